"""Engine factory, SQLite pragmas, session scopes, versioned updates and the revision counter."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, event, text
from sqlmodel import select

from planner import plans
from planner.access import owner
from planner.db import (
    BUSY_TIMEOUT_MS,
    Conflict,
    DatabaseUnavailable,
    bump_revision,
    fresh_copy,
    make_engine,
    once,
    overwriting,
    ping,
    read_frame,
    read_session,
    utcnow,
    versioned_update,
    write_session,
)
from planner.models import Plan

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/x"


def plan_row(engine: Engine, plan_id: int) -> Plan:
    with read_session(engine) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        return plan


def add_plan(engine: Engine, name: str = "Test plan") -> int:
    with write_session(engine) as session:
        plan = Plan(name=name)
        session.add(plan)
        session.flush()
        assert plan.id is not None
        return plan.id


def run_threads(*targets: Callable[[], Any]) -> list[BaseException]:
    """Run each target in its own thread; return the exceptions they raised."""
    errors: list[BaseException] = []

    def wrap(target: Callable[[], Any]) -> None:
        try:
            target()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=wrap, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return errors


# --- SQLite ---------------------------------------------------------------------------------


def test_sqlite_connection_pragmas(tmp_path: Path) -> None:
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        with fresh.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731

            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == BUSY_TIMEOUT_MS
            assert pragma("synchronous") == 1  # NORMAL
    finally:
        fresh.dispose()


def test_make_engine_creates_the_sqlite_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "planner.db"
    fresh = make_engine(f"sqlite:///{path}")
    try:
        ping(fresh)
    finally:
        fresh.dispose()

    assert path.exists()


def test_two_sqlite_writers_queue_instead_of_failing(sqlite_engine: Engine) -> None:
    plan_id = add_plan(sqlite_engine)
    start = threading.Barrier(2)

    def read_then_write() -> None:
        start.wait()
        with write_session(sqlite_engine) as session:
            seen = session.execute(text("SELECT revision FROM plan WHERE id = :id"), {"id": plan_id}).scalar_one()
            time.sleep(0.2)  # hold the transaction so that the other writer must wait
            session.execute(text("UPDATE plan SET revision = :r WHERE id = :id"), {"r": seen + 1, "id": plan_id})

    errors = run_threads(read_then_write, read_then_write)

    assert errors == []
    assert plan_row(sqlite_engine, plan_id).revision == 2  # serialised: neither update was lost


def test_sqlite_readers_are_not_blocked_by_a_writer(sqlite_engine: Engine) -> None:
    plan_id = add_plan(sqlite_engine)
    written, read_done = threading.Event(), threading.Event()

    def writer() -> None:
        with write_session(sqlite_engine) as session:
            bump_revision(session, plan_id)
            written.set()
            read_done.wait(timeout=10)

    thread = threading.Thread(target=writer)
    thread.start()
    assert written.wait(timeout=10)
    seen = plan_row(sqlite_engine, plan_id).revision  # WAL: readers see the last commit at once
    read_done.set()
    thread.join(timeout=10)

    assert seen == 0
    assert plan_row(sqlite_engine, plan_id).revision == 1


# --- Sessions -------------------------------------------------------------------------------


def test_write_session_commits(engine: Engine) -> None:
    with write_session(engine) as session:
        session.add(Plan(name="Committed"))

    with read_session(engine) as session:
        assert session.exec(select(Plan.name)).all() == ["Committed"]


def test_write_session_rolls_back_on_error(engine: Engine) -> None:
    with pytest.raises(RuntimeError, match="boom"), write_session(engine) as session:
        session.add(Plan(name="Doomed"))
        session.flush()
        raise RuntimeError("boom")

    with read_session(engine) as session:
        assert session.exec(select(Plan)).all() == []


def test_read_session_never_commits(engine: Engine) -> None:
    with read_session(engine) as session:
        session.add(Plan(name="Never saved"))
        session.flush()

    with read_session(engine) as session:
        assert session.exec(select(Plan)).all() == []


def test_read_session_objects_stay_usable_after_the_session(engine: Engine, plan_id: int) -> None:
    plan = plan_row(engine, plan_id)

    assert plan.name == "Test plan"


# --- versioned_update ----------------------------------------------------------------------


def test_versioned_update_applies_values_and_bumps_the_version(engine: Engine, plan_id: int) -> None:
    before = plan_row(engine, plan_id)

    with write_session(engine) as session:
        version = versioned_update(session, Plan, plan_id, 1, {"organisation": "Northshire"})

    after = plan_row(engine, plan_id)
    assert version == 2
    assert (after.version, after.organisation) == (2, "Northshire")
    assert after.updated_at.replace(tzinfo=None) >= before.updated_at.replace(tzinfo=None)


def test_versioned_update_twice_needs_the_new_version(engine: Engine, plan_id: int) -> None:
    with write_session(engine) as session:
        second = versioned_update(session, Plan, plan_id, 1, {"sector": "Acute"})
        third = versioned_update(session, Plan, plan_id, second, {"sector": "Community"})

    assert (second, third) == (2, 3)
    assert (plan_row(engine, plan_id).version, plan_row(engine, plan_id).sector) == (3, "Community")


@pytest.mark.parametrize("stale", [0, 2, 99])
def test_versioned_update_with_a_stale_version_conflicts_and_changes_nothing(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], stale: int
) -> None:
    before = snapshot()

    with pytest.raises(Conflict, match="Someone else changed this plan"), write_session(engine) as session:
        versioned_update(session, Plan, plan_id, stale, {"name": "Overwritten"})

    assert snapshot() == before


def test_a_conflict_says_what_you_tried_and_what_the_row_holds_now(engine: Engine, plan_id: int) -> None:
    with write_session(engine) as session:
        versioned_update(session, Plan, plan_id, 1, {"organisation": "Theirs Trust"})

    with pytest.raises(Conflict) as conflict, write_session(engine) as session:
        versioned_update(session, Plan, plan_id, 1, {"organisation": "Mine Trust"})

    assert (conflict.value.table, conflict.value.row_id, conflict.value.version) == ("plan", plan_id, 2)
    assert conflict.value.yours == {"organisation": "Mine Trust"}
    assert conflict.value.theirs == {"organisation": "Theirs Trust"}
    assert conflict.value.resolvable


def test_overwriting_applies_over_the_version_shown_and_no_other(engine: Engine, plan_id: int) -> None:
    with write_session(engine) as session:
        versioned_update(session, Plan, plan_id, 1, {"organisation": "Theirs Trust"})

    with overwriting("plan", plan_id, 2), write_session(engine) as session:
        version = versioned_update(session, Plan, plan_id, 1, {"organisation": "Mine Trust"})
    assert (version, plan_row(engine, plan_id).organisation) == (3, "Mine Trust")

    # Shown version 2, but a third person saved in between: still a conflict, nothing overwritten.
    with pytest.raises(Conflict), overwriting("plan", plan_id, 2), write_session(engine) as session:
        versioned_update(session, Plan, plan_id, 1, {"organisation": "Stale Trust"})
    assert plan_row(engine, plan_id).organisation == "Mine Trust"
    with pytest.raises(Conflict), write_session(engine) as session:  # the override ends with its block
        versioned_update(session, Plan, plan_id, 3 - 2, {"organisation": "Old"})


def test_versioned_update_of_a_deleted_row_says_it_was_deleted(engine: Engine, plan_id: int) -> None:
    with write_session(engine) as session:
        session.execute(text("DELETE FROM plan WHERE id = :id"), {"id": plan_id})

    with pytest.raises(Conflict, match="deleted"), write_session(engine) as session:
        versioned_update(session, Plan, plan_id, 1, {"name": "Ghost"})


def test_a_plan_deleted_while_being_updated_is_reported_as_deleted(engine: Engine, plan_id: int) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite writers hold the write lock from BEGIN IMMEDIATE, so no one can delete the row in between")
    deleted: list[bool] = []

    def delete_after_the_read(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not deleted and statement.startswith("SELECT") and "FROM plan" in statement:
            deleted.append(True)
            with engine.begin() as other:
                other.execute(text("DELETE FROM plan WHERE id = :id"), {"id": plan_id})

    event.listen(engine, "after_cursor_execute", delete_after_the_read)
    try:
        with pytest.raises(Conflict, match="deleted"), write_session(engine) as session:
            plans.update_plan(session, owner(), plan_id, 1, name="Too late")
    finally:
        event.remove(engine, "after_cursor_execute", delete_after_the_read)
    assert deleted


def test_concurrent_versioned_updates_from_the_same_version_have_one_winner(engine: Engine, plan_id: int) -> None:
    start = threading.Barrier(2)

    def edit(name: str) -> Callable[[], None]:
        def run() -> None:
            start.wait()
            with write_session(engine) as session:
                versioned_update(session, Plan, plan_id, 1, {"name": name})

        return run

    errors = run_threads(edit("Alice's name"), edit("Bob's name"))

    assert [type(error) for error in errors] == [Conflict]
    plan = plan_row(engine, plan_id)
    assert plan.version == 2
    assert plan.name in ("Alice's name", "Bob's name")


# --- bump_revision -------------------------------------------------------------------------


def test_bump_revision_advances_only_that_plan(engine: Engine, make_plan: Callable[..., int]) -> None:
    first, second = make_plan("First"), make_plan("Second")

    with write_session(engine) as session:
        bump_revision(session, first)
        bump_revision(session, first)

    assert plan_row(engine, first).revision == 2
    assert plan_row(engine, second).revision == 0
    assert plan_row(engine, first).version == 1  # the revision is not an edit of the plan row


# --- ping and helpers ----------------------------------------------------------------------


def test_ping_a_working_database(engine: Engine) -> None:
    assert ping(engine) is None


def test_ping_an_unreachable_database_raises_one_clear_line() -> None:
    unreachable = make_engine(UNREACHABLE)
    try:
        with pytest.raises(DatabaseUnavailable, match=r"^Cannot reach the database: ") as caught:
            ping(unreachable)
    finally:
        unreachable.dispose()

    assert "\n" not in str(caught.value)


def test_utcnow_is_timezone_aware() -> None:
    assert utcnow().tzinfo is UTC


def test_read_frame_names_the_query_columns_and_keeps_their_rows(engine: Engine) -> None:
    with write_session(engine) as session:
        ids = [plans.create_plan(session, owner(), name=name) for name in ("B plan", "A plan")]
    query = select(Plan.id, Plan.name).where(Plan.id.in_(ids)).order_by(Plan.name)
    with read_session(engine) as session:
        found = read_frame(session, query, ["id", "name"])
        none = read_frame(session, query.where(Plan.id < 0), ["id", "name"])
    assert found.to_dict("list") == {"id": ids[::-1], "name": ["A plan", "B plan"]}
    assert list(none.columns) == ["id", "name"] and none.empty


def test_once_runs_a_read_once_per_read_session_and_every_time_in_a_write_session(engine: Engine) -> None:
    runs: list[int] = []

    def compute() -> pd.DataFrame:
        runs.append(1)
        return pd.DataFrame({"a": [1, 2]})

    with read_session(engine) as session:
        first = once(session, ("k", 1), compute)
        first["b"] = [0, 0]  # a receiver changing what it got
        again = once(session, ("k", 1), compute)
        other = once(session, ("k", 2), compute)
    assert len(runs) == 2 and list(again.columns) == ["a"] and other["a"].tolist() == [1, 2]
    with read_session(engine) as session:
        once(session, ("k", 1), compute)  # a new read session is a new view of the database
    with write_session(engine) as session:
        once(session, ("k", 1), compute)
        once(session, ("k", 1), compute)  # a write session may have changed what it read
    assert len(runs) == 5


@dataclass(frozen=True)
class _Held:
    frame: pd.DataFrame
    names: list[str]


def test_a_fresh_copy_can_be_changed_without_changing_what_is_kept() -> None:
    kept = _Held(pd.DataFrame({"a": [1, 2]}), ["x"])
    given = fresh_copy(kept)
    given.frame["a"] = [9, 9]
    given.frame["b"] = [0, 0]
    given.names.append("y")
    frames = fresh_copy((kept.frame, {"k": kept.frame}))
    frames[0].loc[0, "a"] = 5
    frames[1]["k"]["c"] = 1

    assert list(kept.frame.columns) == ["a"] and kept.frame["a"].tolist() == [1, 2] and kept.names == ["x"]
