"""The audit trail: who did what, when, before and after."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from planner import context, plans
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import read_session, write_session
from planner.history import audit_choices, audit_events, audit_log, describe_action, record_event, row_dict
from planner.models import AuditEvent, Plan


def test_row_dict_is_json_safe() -> None:
    plan = Plan(id=3, name="P", horizon_start=date(2026, 4, 1))

    values = row_dict(plan)

    assert values is not None
    assert values["horizon_start"] == "2026-04-01"
    assert isinstance(values["created_at"], str)
    assert (values["id"], values["name"], values["horizon_end"]) == (3, "P", None)


def test_row_dict_of_nothing() -> None:
    assert row_dict(None) is None


def test_record_event_is_part_of_the_callers_transaction(engine: Engine) -> None:
    access = Access(Role.EDITOR, plan_id=1, actor="Ann")

    with pytest.raises(RuntimeError), write_session(engine) as session:
        record_event(session, access, "test.rolled_back", plan_id=1)
        session.flush()
        raise RuntimeError("undo")
    with write_session(engine) as session:
        record_event(
            session,
            access,
            "test.kept",
            plan_id=1,
            entity="plan",
            entity_id=1,
            before={"name": "Old"},
            after={"name": "New"},
        )

    with read_session(engine) as session:
        [event] = session.scalars(select(AuditEvent)).all()
    assert (event.action, event.actor, event.role, event.entity, event.entity_id) == (
        "test.kept",
        "Ann",
        "editor",
        "plan",
        1,
    )
    assert (event.before, event.after) == ({"name": "Old"}, {"name": "New"})
    assert event.at is not None


def test_record_event_stores_dates_as_iso_text(engine: Engine) -> None:
    with write_session(engine) as session:
        record_event(
            session,
            Access(Role.OWNER),
            "test.dates",
            plan_id=None,
            before={"due": None},
            after={"due": date(2027, 3, 31)},
        )

    with read_session(engine) as session:
        event = session.scalars(select(AuditEvent)).one()
    assert (event.before, event.after) == ({"due": None}, {"due": "2027-03-31"})


def test_audit_events_newest_first_with_a_limit(engine: Engine, owner_access: Access, plan_id: int) -> None:
    with write_session(engine) as session:
        version = plans.update_plan(session, owner_access, plan_id, 1, name="Two")
    with write_session(engine) as session:
        plans.set_archived(session, owner_access, plan_id, version, True)

    with read_session(engine) as session:
        table = audit_events(session, owner_access, plan_id)
        latest = audit_events(session, owner_access, plan_id, limit=1)

    assert list(table["Action"]) == ["plan.archive", "plan.update", "plan.create"]
    assert list(table.columns) == ["When", "Who", "Role", "Action", "Record", "Id"]
    assert list(latest["Action"]) == ["plan.archive"]


def test_audit_events_of_a_deleted_plan_remain(engine: Engine, owner_access: Access, plan_id: int) -> None:
    with write_session(engine) as session:
        plans.delete_plan(session, owner_access, plan_id, "Test plan")

    with read_session(engine) as session:
        actions = list(audit_events(session, owner_access, plan_id)["Action"])

    assert actions == ["plan.delete", "plan.create"]


# --- The audit log page's query: filters, words, choices -------------------------------------


def _events(engine: Engine, plan_id: int) -> None:
    """Two actors' changes today and one old event from last year."""
    ann, bob = Access(Role.EDITOR, plan_id=plan_id, actor="Ann"), Access(Role.EDITOR, plan_id=plan_id, actor="Bob")
    with write_session(engine) as session:
        context.add_item(session, ann, plan_id, category="strategy", title="Backlog")
    with write_session(engine) as session:
        plans.update_plan(session, bob, plan_id, 1, name="Renamed")
        session.add(AuditEvent(plan_id=plan_id, actor="Ann", role="editor", action="context_item.delete",
                               entity="context_item", entity_id=7, before={"title": "Old"},
                               at=datetime(2025, 1, 15, 12, tzinfo=UTC)))  # fmt: skip


def _log(engine: Engine, plan_id: int, access: Access | None = None, **filters: Any) -> list[str]:
    with read_session(engine) as session:
        return list(audit_log(session, access or owner(), plan_id, **filters)["Action"])


def test_audit_log_lists_who_what_when_with_before_and_after(engine: Engine, plan_id: int) -> None:
    _events(engine, plan_id)

    with read_session(engine) as session:
        table = audit_log(session, owner(), plan_id)

    assert list(table.columns) == [
        "id",
        "When",
        "Who",
        "Role",
        "What",
        "Action",
        "Record",
        "Record id",
        "Before",
        "After",
    ]
    newest = table.iloc[0]
    assert (newest["Who"], newest["What"], newest["Record"]) == ("Ann", "Deleted context item", "context item")
    renamed = table[table["Action"] == "plan.update"].iloc[0]
    assert (renamed["Who"], renamed["Before"], renamed["After"]) == ("Bob", {"name": "Test plan"}, {"name": "Renamed"})


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"actor": "Bob"}, ["plan.update"]),
        ({"actor": "Ann"}, ["context_item.delete", "context_item.create"]),
        ({"action": "context_item.create"}, ["context_item.create"]),
        ({"action": "context_item"}, ["context_item.delete", "context_item.create"]),
        ({"action": "update"}, ["plan.update"]),
        ({"action": "item"}, []),
        ({"actor": "Ann", "action": "delete"}, ["context_item.delete"]),
        ({"since": date(2025, 1, 15), "until": date(2025, 1, 15)}, ["context_item.delete"]),
        ({"until": date(2025, 1, 14)}, []),
        ({"since": date(2025, 1, 16), "action": "context_item"}, ["context_item.create"]),
    ],
)
def test_audit_log_filters(engine: Engine, plan_id: int, filters: dict[str, Any], expected: list[str]) -> None:
    _events(engine, plan_id)

    assert _log(engine, plan_id, **filters) == expected


def test_audit_log_action_filter_is_not_a_pattern(engine: Engine, plan_id: int) -> None:
    _events(engine, plan_id)

    assert _log(engine, plan_id, action="context%") == []
    assert _log(engine, plan_id, action="context_item_") == []


def test_audit_choices_list_actors_and_actions(engine: Engine, plan_id: int) -> None:
    _events(engine, plan_id)

    with read_session(engine) as session:
        actors, actions = audit_choices(session, owner(), plan_id)

    assert actors == ["Ann", "Bob", "local user"]
    assert actions == ["context_item.create", "context_item.delete", "plan.create", "plan.update"]


@pytest.mark.parametrize(
    ("action", "words"),
    [
        ("context_item.update", "Changed context item"),
        ("plan.create", "Added plan"),
        ("survey_tally.import", "Imported survey tally"),
        ("plan.restore", "Restored plan"),
        ("snapshot.create", "Added snapshot"),
        ("weird", "Weird"),
    ],
)
def test_describe_action(action: str, words: str) -> None:
    assert describe_action(action) == words


def test_viewers_read_the_audit_log_and_participants_do_not(engine: Engine, plan_id: int) -> None:
    _events(engine, plan_id)

    assert len(_log(engine, plan_id, Access(Role.VIEWER, plan_id=plan_id))) == 4
    with pytest.raises(PermissionDenied):
        _log(engine, plan_id, Access(Role.PARTICIPANT, plan_id=plan_id))
    with pytest.raises(PermissionDenied):
        _log(engine, plan_id, Access(Role.VIEWER, plan_id=plan_id + 1))
