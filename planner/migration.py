"""Schema migrations with Alembic, and the checks that keep a wrong schema from being touched."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from planner.db import make_engine, ping, write_session
from planner.seed import seed
from planner.settings import PROJECT_ROOT, Settings


class SchemaError(Exception):
    """The database schema is not one this planner can use as it is."""


def alembic_config() -> Config:
    """The project's Alembic configuration (migrations/ under the project root)."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return config


def head_revision() -> str:
    """The newest migration this code ships."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _known(revision: str) -> bool:
    script = ScriptDirectory.from_config(alembic_config())
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises several types for unknown ids
        return False


def check_schema(engine: Engine) -> str:
    """'ok', 'empty' or 'behind'; raises SchemaError for a schema newer than this code."""
    current = current_revision(engine)
    if current is None:
        return "empty"
    if not _known(current):
        raise SchemaError(
            f"The database is at schema {current}, newer than this planner knows "
            f"(latest {head_revision()}). Upgrade the planner; nothing was changed."
        )
    return "ok" if current == head_revision() else "behind"


def upgrade(engine: Engine) -> str:
    """Bring the database to the newest schema; return the revision it is at."""
    check_schema(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return head_revision()


def open_database(settings: Settings) -> Engine:
    """Connect, check the schema (migrating an embedded SQLite database), seed the library."""
    engine = make_engine(settings.database_url)
    ping(engine)
    state = check_schema(engine)
    if state != "ok" and not settings.is_sqlite:
        engine.dispose()
        raise SchemaError(f"The database schema is {state}: run `python -m planner migrate` first.")
    if state != "ok":
        upgrade(engine)
    with write_session(engine) as session:
        seed(session)
    return engine


def integrity_problems(engine: Engine) -> list[str]:
    """Integrity problems found by the database itself (SQLite checks; PostgreSQL enforces them)."""
    if engine.dialect.name != "sqlite":
        return []
    with engine.connect() as connection:
        result = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
        broken = list(connection.exec_driver_sql("PRAGMA foreign_key_check"))
    problems = [] if result == ["ok"] else result
    return problems + [f"row {row[1]} of {row[0]} points at a missing {row[2]}" for row in broken]
