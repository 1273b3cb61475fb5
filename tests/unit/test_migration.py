"""Alembic migrations, and the checks that keep a wrong schema from being touched."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, text
from sqlmodel import SQLModel

from planner.db import DatabaseUnavailable, read_session, write_session
from planner.migration import (
    SchemaError,
    alembic_config,
    check_schema,
    current_revision,
    head_revision,
    integrity_problems,
    open_database,
    upgrade,
)
from planner.models import Intervention, Plan
from planner.settings import Settings

FUTURE = "9999_future"
MODEL_TABLES = set(SQLModel.metadata.tables)


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def state(engine: Engine) -> dict[str, Any]:
    """Table names, the stamped revision and every plan row: what a refusal must not touch."""
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        plans = connection.execute(select(Plan.__table__)).all()  # type: ignore[attr-defined]
    return {"tables": tables, "revision": revision, "plans": plans}


@pytest.fixture
def future_engine(empty_engine: Engine) -> Engine:
    """A migrated database holding one plan, stamped with a revision newer than this code."""
    upgrade(empty_engine)
    with write_session(empty_engine) as session:
        session.add(Plan(name="From the future"))
    with empty_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE})
    return empty_engine


def test_head_revision_is_the_newest_script() -> None:
    script = ScriptDirectory.from_config(alembic_config())

    assert head_revision() == script.get_current_head()
    assert head_revision()


def test_upgrade_an_empty_database_to_head(empty_engine: Engine) -> None:
    assert check_schema(empty_engine) == "empty"
    assert current_revision(empty_engine) is None

    revision = upgrade(empty_engine)

    assert revision == head_revision() == current_revision(empty_engine)
    assert check_schema(empty_engine) == "ok"
    assert set(inspect(empty_engine).get_table_names()) == MODEL_TABLES | {"alembic_version"}


def test_the_migration_matches_the_models(empty_engine: Engine) -> None:
    upgrade(empty_engine)

    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_upgrade_twice_changes_nothing(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    with write_session(empty_engine) as session:
        session.add(Plan(name="Kept"))
    before = state(empty_engine)

    assert upgrade(empty_engine) == head_revision()
    assert state(empty_engine) == before


def test_a_newer_schema_is_refused_by_check_schema(future_engine: Engine) -> None:
    before = state(future_engine)

    with pytest.raises(SchemaError, match=f"{FUTURE}, newer than this planner knows.*nothing was changed"):
        check_schema(future_engine)

    assert state(future_engine) == before


def test_a_newer_schema_is_not_upgraded(future_engine: Engine) -> None:
    before = state(future_engine)

    with pytest.raises(SchemaError, match=FUTURE):
        upgrade(future_engine)

    assert state(future_engine) == before
    assert before["revision"] == [FUTURE]


def test_a_newer_schema_is_refused_by_open_database(future_engine: Engine) -> None:
    before = state(future_engine)

    with pytest.raises(SchemaError, match=FUTURE):
        open_database(Settings(database_url=url_of(future_engine)))

    assert state(future_engine) == before


def test_open_database_migrates_sqlite_but_not_postgresql(empty_engine: Engine) -> None:
    settings = Settings(database_url=url_of(empty_engine))

    if settings.is_sqlite:
        opened = open_database(settings)
        try:
            assert check_schema(opened) == "ok"
            with read_session(opened) as session:
                assert (session.scalar(select(func.count()).select_from(Intervention)) or 0) >= 25
        finally:
            opened.dispose()
    else:
        with pytest.raises(SchemaError, match=r"schema is empty: run `python -m planner migrate` first"):
            open_database(settings)
        assert inspect(empty_engine).get_table_names() == []


def test_open_database_of_a_migrated_database(engine: Engine, plan_id: int) -> None:
    opened = open_database(Settings(database_url=url_of(engine)))
    try:
        with read_session(opened) as session:
            assert session.get(Plan, plan_id) is not None
    finally:
        opened.dispose()


def test_open_database_that_cannot_be_reached() -> None:
    with pytest.raises(DatabaseUnavailable, match="Cannot reach the database"):
        open_database(Settings(database_url="postgresql+psycopg://postgres@127.0.0.1:1/x"))


def test_integrity_problems_of_a_good_database(engine: Engine, full_plan: int) -> None:
    assert integrity_problems(engine) == []


def test_integrity_problems_finds_an_orphan_in_sqlite(sqlite_engine: Engine) -> None:
    raw = sqlite3.connect(sqlite_engine.url.database or "")  # foreign keys are off by default here
    with raw:
        raw.execute("INSERT INTO leadership_tier (plan_id, key, name, description, position, version, created_at,"
                    " updated_at) VALUES (999, 'k', 'n', '', 0, 1, '2026-01-01', '2026-01-01')")
    raw.close()

    problems = integrity_problems(sqlite_engine)

    assert problems == ["row 1 of leadership_tier points at a missing plan"]
