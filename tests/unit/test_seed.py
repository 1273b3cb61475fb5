"""The intervention library and the demo plan load idempotently."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, delete, event, func, select

from planner.access import Access
from planner.db import read_session, write_session
from planner.framework import framework, read_seed
from planner.models import AuditEvent, Intervention, Plan
from planner.seed import demo_plan_id, load_demo, seed

KINDS = {"leadership_development", "organisation_development", "culture_shaping"}
MODES = {"acquire", "develop", "sustain"}


def count(engine: Engine, model: type, *where: Any) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def seed_once(engine: Engine) -> int:
    with write_session(engine) as session:
        return seed(session)


def demo_once(engine: Engine, access: Access) -> int:
    with write_session(engine) as session:
        return load_demo(session, access)


# --- library -------------------------------------------------------------------------------


def test_the_library_covers_every_kind_and_mode(engine: Engine) -> None:
    with read_session(engine) as session:
        library = session.scalars(select(Intervention)).all()

    assert len(library) >= 25
    assert {i.kind for i in library} == KINDS
    assert set().union(*(i.modes for i in library)) == MODES
    assert len({i.key for i in library}) == len(library)


def test_library_entries_refer_to_real_elements_and_modes() -> None:
    elements = {e["key"] for e in framework()["elements"]}
    library = read_seed("interventions.json")

    assert all(set(item["elements"]) <= elements for item in library)
    assert all(item["modes"] and set(item["modes"]) <= MODES for item in library)
    assert all(item["name"].strip() and item["description"].strip() for item in library)


def test_seed_twice_keeps_one_copy(engine: Engine) -> None:
    with write_session(engine) as session:
        session.execute(delete(Intervention))
    expected = len(read_seed("interventions.json"))

    first, second = seed_once(engine), seed_once(engine)

    assert (first, second) == (expected, 0)
    assert count(engine, Intervention) == expected


def test_seed_adds_only_what_is_missing(engine: Engine) -> None:
    total = count(engine, Intervention)
    with write_session(engine) as session:
        session.execute(delete(Intervention).where(Intervention.key == "first_line_leader_programme"))

    assert seed_once(engine) == 1
    assert count(engine, Intervention) == total


# --- demo plan -----------------------------------------------------------------------------


def test_no_demo_plan_until_loaded(engine: Engine, plan_id: int) -> None:
    with read_session(engine) as session:
        assert demo_plan_id(session) is None


def test_load_demo_twice_gives_one_demo(engine: Engine, owner_access: Access, demo_document: dict[str, Any]) -> None:
    first = demo_once(engine, owner_access)
    second = demo_once(engine, owner_access)

    assert first == second
    assert count(engine, Plan, Plan.origin == "demo") == 1
    assert count(engine, AuditEvent, AuditEvent.action == "plan.demo") == 1
    with read_session(engine) as session:
        assert demo_plan_id(session) == first
        assert session.get(Plan, first).name == demo_document["plan"]["name"]  # type: ignore[union-attr]


@contextmanager
def both_read_before_either_writes(engine: Engine, sql_fragment: str) -> Iterator[None]:
    """Hold each transaction after its read matching `sql_fragment` until the other has read too.

    The wait gives up after a second, so where writers are serialised (SQLite's BEGIN IMMEDIATE)
    the first finishes alone and the second reads its result.
    """
    arrived: list[int] = []
    condition = threading.Condition()

    def after_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if sql_fragment in statement:
            with condition:
                arrived.append(threading.get_ident())
                condition.notify_all()
                condition.wait_for(lambda: len(arrived) >= 2, timeout=1.0)

    event.listen(engine, "after_cursor_execute", after_execute)
    try:
        yield
    finally:
        event.remove(engine, "after_cursor_execute", after_execute)


def run_twice_at_once(target: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(target())
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_concurrent_seeds_add_one_library(engine: Engine) -> None:
    with write_session(engine) as session:
        session.execute(delete(Intervention))

    with both_read_before_either_writes(engine, "FROM intervention"):
        results, errors = run_twice_at_once(lambda: seed_once(engine))

    assert errors == []
    assert sorted(results) == [0, len(read_seed("interventions.json"))]


def test_concurrent_demo_loads_give_one_demo(
    engine: Engine, owner_access: Access, demo_document: dict[str, Any]
) -> None:

    with both_read_before_either_writes(engine, "plan.origin"):
        ids, errors = run_twice_at_once(lambda: demo_once(engine, owner_access))

    assert errors == []
    assert len(ids) == 2 and ids[0] == ids[1]
    assert count(engine, Plan, Plan.origin == "demo") == 1
