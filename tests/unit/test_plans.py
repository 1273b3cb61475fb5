"""Plans: create from the framework or the demo, edit, clone, archive, delete, list, get."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, exists, func, select
from sqlmodel import SQLModel, col

from planner import models as m
from planner import plans
from planner.access import Access, Role
from planner.db import Conflict, read_session, write_session
from planner.document import TREE, insert_document, plan_document
from planner.plans import PlanNotFound
from planner.progress import PHASES
from planner.seed import demo_plan_id
from planner.validation import InvalidInput

Rows = dict[str, list[tuple[Any, ...]]]

DECK_LEARNING_QUESTIONS = [
    "Are staff focused on continually improving patient care?",
    "Are all staff focused on achieving zero harm?",
    "Do all staff intervene to ensure high quality of care?",
    "Are staff enabled at all levels to learn about best practice?",
    "Are there effective schemes to promote responsible, safe innovation – lean, QI?",
    "Is there recognition and reward for QI and innovation?",
]
HLM_DIMENSIONS = {
    "Inspiring shared purpose", "Leading with care", "Evaluating information", "Connecting our service",
    "Sharing the vision", "Engaging the team", "Holding to account", "Developing capability",
    "Influencing for results",
}


def tables_outside_the_document() -> set[str]:
    """Plan-owned tables that a plan file does not carry (the delete test adds a row to each)."""
    owned = {table.name for table in SQLModel.metadata.sorted_tables if "plan_id" in table.c}
    return owned - {model.__table__.name for model, _ in TREE} - {"audit_event"}  # type: ignore[attr-defined]


def get(engine: Engine, plan_id: int) -> plans.PlanView:
    with read_session(engine) as session:
        return plans.get_plan(session, Access(Role.OWNER), plan_id)


def events(engine: Engine, plan_id: int | None = None) -> list[m.AuditEvent]:
    query = select(m.AuditEvent).order_by(col(m.AuditEvent.id))
    if plan_id is not None:
        query = query.where(m.AuditEvent.plan_id == plan_id)
    with read_session(engine) as session:
        return list(session.scalars(query))


def document(engine: Engine, plan_id: int) -> dict[str, Any]:
    with read_session(engine) as session:
        return plan_document(session, plan_id)


def without_audit(rows: Rows) -> Rows:
    return {table: content for table, content in rows.items() if table != "audit_event"}


def orphan_rows(engine: Engine) -> dict[str, int]:
    """Rows whose foreign key points at a row that does not exist, per table.column."""
    found: dict[str, int] = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for fk in table.foreign_keys:
                target = fk.column.table
                dangling = ~exists().where(fk.column == fk.parent)
                query = select(func.count()).select_from(table).where(fk.parent.is_not(None), dangling)
                count = connection.execute(query).scalar_one()
                if count:
                    found[f"{table.name}.{fk.parent.name} -> {target.name}"] = count
    return found


# --- create --------------------------------------------------------------------------------


def test_create_from_the_framework(engine: Engine, plan_id: int) -> None:
    with read_session(engine) as session:
        elements = session.scalars(select(m.CulturalElement).where(m.CulturalElement.plan_id == plan_id)
                                   .order_by(col(m.CulturalElement.position))).all()
        tiers = session.scalars(select(m.LeadershipTier).where(m.LeadershipTier.plan_id == plan_id)).all()
        capabilities = session.scalars(select(m.Capability).where(m.Capability.plan_id == plan_id)).all()
        questions = {e.key: session.scalars(select(m.ElementQuestion.text).where(m.ElementQuestion.element_id == e.id)
                                            .order_by(col(m.ElementQuestion.position))).all() for e in elements}

    assert [e.key for e in elements] == ["vision", "objectives", "people", "voice", "learning", "teams", "equity"]
    assert all(e.enabled for e in elements)
    assert [e.key for e in elements if e.optional] == ["equity"]
    assert len(tiers) == 5
    assert len(capabilities) == 19
    assert {c.name for c in capabilities} >= HLM_DIMENSIONS
    assert {c.kind for c in capabilities} == {"individual", "collective"}
    assert all(questions[key] for key in questions), "every element has diagnostic questions"
    assert questions["learning"] == DECK_LEARNING_QUESTIONS


def test_create_records_metadata_and_an_audit_event(engine: Engine, make_plan: Callable[..., int]) -> None:
    plan_id = make_plan("  Trust strategy  ", organisation="Test Trust", sector="Acute")

    view = get(engine, plan_id)
    assert (view.name, view.organisation, view.sector, view.origin) == ("Trust strategy", "Test Trust", "Acute",
                                                                        "template")
    assert (view.version, view.revision, view.archived) == (1, 0, False)
    [event] = events(engine, plan_id)
    assert (event.action, event.entity, event.entity_id, event.actor) == ("plan.create", "plan", plan_id, "local user")
    assert event.after == {"name": "Trust strategy", "organisation": "Test Trust", "sector": "Acute",
                           "template": "framework"}


def test_create_with_a_horizon(engine: Engine, make_plan: Callable[..., int]) -> None:
    plan_id = make_plan("Dated", horizon_start=date(2026, 4, 1), horizon_end=date(2029, 3, 31))

    view = get(engine, plan_id)
    assert (view.horizon_start, view.horizon_end) == (date(2026, 4, 1), date(2029, 3, 31))
    [event] = events(engine, plan_id)
    assert event.after is not None
    assert (event.after["horizon_start"], event.after["horizon_end"]) == ("2026-04-01", "2029-03-31")


def test_create_from_the_demo(engine: Engine, demo_document: dict[str, Any], make_plan: Callable[..., int]) -> None:
    plan_id = make_plan("My copy of the demo", template="demo")

    copy = document(engine, plan_id)
    assert copy["plan"]["name"] == "My copy of the demo"
    assert {t: len(rows) for t, rows in copy["records"].items()} == {
        t: len(demo_document["records"].get(t, [])) for t in copy["records"]
    }
    assert get(engine, plan_id).origin != "demo"  # a copy is not the demo plan itself
    with read_session(engine) as session:
        assert demo_plan_id(session) is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": ""}, "Plan name is required"),
        ({"name": "   "}, "Plan name is required"),
        ({"name": "x" * 121}, "too long"),
        ({"name": "Plan", "horizon_start": date(2027, 1, 1), "horizon_end": date(2026, 1, 1)}, "Horizon"),
        ({"name": "Plan", "colour": "red"}, "no field"),
        ({"name": "Plan", "revision": 9}, "no field"),
        ({"name": "Plan", "template": "blank"}, "Unknown template"),
    ],
)
def test_create_rejects_invalid_input_and_writes_nothing(
    engine: Engine, owner_access: Access, snapshot: Callable[[], Rows], values: dict[str, Any], message: str
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match=message), write_session(engine) as session:
        plans.create_plan(session, owner_access, **values)

    assert snapshot() == before


# --- update --------------------------------------------------------------------------------


def test_update_persists_values_and_bumps_version_and_revision(
    engine: Engine, owner_access: Access, plan_id: int
) -> None:
    with write_session(engine) as session:
        version = plans.update_plan(session, owner_access, plan_id, 1, name="Renamed ", sector="Community",
                                    horizon_start=date(2026, 4, 1), horizon_end=date(2026, 4, 1))

    view = get(engine, plan_id)
    assert version == view.version == 2
    assert view.revision == 1
    assert (view.name, view.sector, view.horizon_start, view.horizon_end) == (
        "Renamed", "Community", date(2026, 4, 1), date(2026, 4, 1))


def test_update_records_before_and_after(engine: Engine, owner_access: Access, plan_id: int) -> None:
    with write_session(engine) as session:
        plans.update_plan(session, Access(Role.EDITOR, plan_id=plan_id, actor="Ann"), plan_id, 1,
                          name="Renamed", horizon_end=date(2027, 1, 31))

    event = events(engine, plan_id)[-1]
    assert (event.action, event.actor, event.role) == ("plan.update", "Ann", "editor")
    assert event.before == {"name": "Test plan", "horizon_end": None}
    assert event.after == {"name": "Renamed", "horizon_end": "2027-01-31"}


def test_every_update_bumps_the_revision_again(engine: Engine, owner_access: Access, plan_id: int) -> None:
    with write_session(engine) as session:
        version = plans.update_plan(session, owner_access, plan_id, 1, description="One")
    with write_session(engine) as session:
        plans.update_plan(session, owner_access, plan_id, version, description="Two")

    view = get(engine, plan_id)
    assert (view.version, view.revision, view.description) == (3, 2, "Two")


def test_update_with_a_stale_version_conflicts_and_changes_nothing(
    engine: Engine, owner_access: Access, plan_id: int, snapshot: Callable[[], Rows]
) -> None:
    with write_session(engine) as session:
        plans.update_plan(session, owner_access, plan_id, 1, description="First edit wins")
    before = snapshot()

    with pytest.raises(Conflict), write_session(engine) as session:
        plans.update_plan(session, owner_access, plan_id, 1, description="Second edit loses")

    assert snapshot() == before
    assert get(engine, plan_id).description == "First edit wins"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": ""}, "Plan name is required"),
        ({"name": None}, "Plan name is required"),
        ({"organisation": "o" * 201}, "Organisation is too long"),
        ({"description": "d" * 5001}, "Description is too long"),
        ({"horizon_start": date(2027, 1, 1), "horizon_end": date(2026, 12, 31)}, "Horizon"),
        ({"archived": True}, "no field"),
        ({"version": 5}, "no field"),
        ({"id": 5}, "no field"),
    ],
)
def test_update_rejects_invalid_input_and_changes_nothing(
    engine: Engine, owner_access: Access, plan_id: int, snapshot: Callable[[], Rows], values: dict[str, Any],
    message: str,
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match=message), write_session(engine) as session:
        plans.update_plan(session, owner_access, plan_id, 1, **values)

    assert snapshot() == before


def test_update_checks_a_new_end_against_the_stored_start(
    engine: Engine, owner_access: Access, plan_id: int, snapshot: Callable[[], Rows]
) -> None:
    with write_session(engine) as session:
        version = plans.update_plan(session, owner_access, plan_id, 1, horizon_start=date(2026, 4, 1))
    before = snapshot()

    with pytest.raises(InvalidInput, match="Horizon"), write_session(engine) as session:
        plans.update_plan(session, owner_access, plan_id, version, horizon_end=date(2026, 3, 31))

    assert snapshot() == before


def test_update_of_a_missing_plan(engine: Engine, owner_access: Access) -> None:
    with pytest.raises(PlanNotFound), write_session(engine) as session:
        plans.update_plan(session, owner_access, 424242, 1, name="Nobody")


# --- clone ---------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["framework", "full"])
def test_clone_copies_everything_but_the_name(
    engine: Engine, owner_access: Access, make_plan: Callable[..., int], full_plan: int, source: str
) -> None:
    original = make_plan("Original") if source == "framework" else full_plan
    original_document = document(engine, original)

    with write_session(engine) as session:
        copy = plans.clone_plan(session, owner_access, original, " The copy ")

    copied = document(engine, copy)
    assert copy != original
    assert copied["plan"].pop("name") == "The copy"
    expected = document(engine, original)
    expected["plan"].pop("name")
    assert copied == expected
    assert document(engine, original) == original_document  # untouched
    assert get(engine, copy).origin == "clone"
    [event] = events(engine, copy)
    assert event.action == "plan.clone"
    assert event.after == {"from_plan": original, "name": "The copy"}


def test_clone_needs_a_name(engine: Engine, owner_access: Access, plan_id: int, snapshot: Callable[[], Rows]) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match="Name of the copy is required"), write_session(engine) as session:
        plans.clone_plan(session, owner_access, plan_id, "  ")

    assert snapshot() == before


def test_clone_of_a_missing_plan(engine: Engine, owner_access: Access) -> None:
    with pytest.raises(PlanNotFound), write_session(engine) as session:
        plans.clone_plan(session, owner_access, 424242, "Copy")


# --- archive -------------------------------------------------------------------------------


def test_archive_and_unarchive(engine: Engine, owner_access: Access, plan_id: int) -> None:
    with write_session(engine) as session:
        archived_version = plans.set_archived(session, owner_access, plan_id, 1, True)
    archived = get(engine, plan_id)
    with write_session(engine) as session:
        plans.set_archived(session, owner_access, plan_id, archived_version, False)
    restored = get(engine, plan_id)

    assert (archived.archived, archived.version, archived.revision) == (True, 2, 1)
    assert (restored.archived, restored.version, restored.revision) == (False, 3, 2)
    assert [e.action for e in events(engine, plan_id)] == ["plan.create", "plan.archive", "plan.unarchive"]


def test_archive_with_a_stale_version_conflicts(
    engine: Engine, owner_access: Access, plan_id: int, snapshot: Callable[[], Rows]
) -> None:
    with write_session(engine) as session:
        plans.update_plan(session, owner_access, plan_id, 1, description="Edited")
    before = snapshot()

    with pytest.raises(Conflict), write_session(engine) as session:
        plans.set_archived(session, owner_access, plan_id, 1, True)

    assert snapshot() == before


def test_archived_plans_are_listed_last_or_left_out(
    engine: Engine, owner_access: Access, make_plan: Callable[..., int]
) -> None:
    old, new = make_plan("Old"), make_plan("New")
    with write_session(engine) as session:
        plans.set_archived(session, owner_access, old, 1, True)

    with read_session(engine) as session:
        everything = [v.id for v in plans.list_plans(session, owner_access)]
        active = [v.id for v in plans.list_plans(session, owner_access, include_archived=False)]

    assert everything == [new, old]
    assert active == [new]


# --- delete --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["", "test plan", "Test", "Test plan!", "Another plan"])
def test_delete_needs_the_exact_name(
    engine: Engine, owner_access: Access, plan_id: int, snapshot: Callable[[], Rows], typed: str
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match=r"Type the plan's name exactly \(Test plan\)"), write_session(engine) as s:
        plans.delete_plan(s, owner_access, plan_id, typed)

    assert snapshot() == before
    assert get(engine, plan_id).name == "Test plan"


def test_delete_removes_the_plan_and_every_child_row(
    engine: Engine, owner_access: Access, make_plan: Callable[..., int], snapshot: Callable[[], Rows],
    full_document: Callable[..., dict[str, Any]],
) -> None:
    survivor = make_plan("Survivor")
    before = snapshot()
    with write_session(engine) as session:
        victim = insert_document(session, full_document("Victim"))
        round_id = session.scalars(select(m.SurveyRound.id).where(m.SurveyRound.plan_id == victim)).one()
        session.add(m.ShareLink(plan_id=victim, round_id=round_id, token_hash="h1", role="participant"))
        session.add(m.Snapshot(plan_id=victim, label="Board pack", data={"x": 1}))
        session.add(m.PlanMember(plan_id=victim, email="ann@example.org", role="editor"))

    with write_session(engine) as session:
        plans.delete_plan(session, owner_access, victim, " Victim ")

    assert orphan_rows(engine) == {}
    assert without_audit(snapshot()) == without_audit(before)  # only the survivor's rows are left
    assert tables_outside_the_document() == {"share_link", "snapshot", "plan_member"}, "add a row for a new table"
    deleted = [e for e in events(engine, victim) if e.action == "plan.delete"]
    assert len(deleted) == 1 and deleted[0].before is not None and deleted[0].before["name"] == "Victim"
    assert get(engine, survivor).name == "Survivor"
    with pytest.raises(PlanNotFound):
        get(engine, victim)


def test_delete_of_a_missing_plan(engine: Engine, owner_access: Access) -> None:
    with pytest.raises(PlanNotFound), write_session(engine) as session:
        plans.delete_plan(session, owner_access, 424242, "Anything")


# --- list and get --------------------------------------------------------------------------


def test_list_plans_shows_every_plan_to_the_owner(
    engine: Engine, owner_access: Access, make_plan: Callable[..., int]
) -> None:
    first, second = make_plan("First"), make_plan("Second")

    with read_session(engine) as session:
        views = plans.list_plans(session, owner_access)

    assert {v.id: v.name for v in views} == {first: "First", second: "Second"}
    assert all(list(v.progress) == list(PHASES) for v in views)


@pytest.mark.parametrize("role", [Role.OWNER, Role.EDITOR, Role.VIEWER])
def test_list_plans_is_scoped_by_access_plan_id(
    engine: Engine, make_plan: Callable[..., int], role: Role
) -> None:
    first, second = make_plan("First"), make_plan("Second")

    with read_session(engine) as session:
        views = plans.list_plans(session, Access(role, plan_id=second))

    assert [v.id for v in views] == [second]
    assert first != second


def test_list_plans_of_an_empty_database(engine: Engine, owner_access: Access) -> None:
    with read_session(engine) as session:
        assert plans.list_plans(session, owner_access) == []


def test_get_plan_of_an_unknown_id(engine: Engine, owner_access: Access) -> None:
    with read_session(engine) as session, pytest.raises(PlanNotFound, match="424242"):
        plans.get_plan(session, owner_access, 424242)


def test_get_plan_reports_progress_per_phase(engine: Engine, plan_id: int, full_plan: int) -> None:
    blank, full = get(engine, plan_id), get(engine, full_plan)

    assert [blank.phase_fraction(phase) for phase in PHASES] == [0.0, 0.0, 0.0]
    assert [full.phase_fraction(phase) for phase in PHASES] == [1.0, 1.0, 1.0]
    assert blank.phase_fraction("No such phase") == 0.0
