"""The audit trail: who did what, when, before and after."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select

from planner import plans
from planner.access import Access, Role
from planner.db import read_session, write_session
from planner.history import audit_events, record_event, row_dict
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
        record_event(session, access, "test.kept", plan_id=1, entity="plan", entity_id=1,
                     before={"name": "Old"}, after={"name": "New"})

    with read_session(engine) as session:
        [event] = session.scalars(select(AuditEvent)).all()
    assert (event.action, event.actor, event.role, event.entity, event.entity_id) == (
        "test.kept", "Ann", "editor", "plan", 1)
    assert (event.before, event.after) == ({"name": "Old"}, {"name": "New"})
    assert event.at is not None


def test_record_event_stores_dates_as_iso_text(engine: Engine) -> None:
    with write_session(engine) as session:
        record_event(session, Access(Role.OWNER), "test.dates", plan_id=None,
                     before={"due": None}, after={"due": date(2027, 3, 31)})

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
