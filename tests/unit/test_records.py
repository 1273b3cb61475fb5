"""Generic checked writes: role, plan ownership, versions, revision counter and audit trail."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from planner import models as m
from planner import records
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import Conflict, read_session, write_session
from planner.validation import InvalidInput


def _count(session: Session, model: type) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def _revision(engine: Engine, plan_id: int) -> int:
    with read_session(engine) as session:
        return session.get(m.Plan, plan_id).revision


def _element_id(engine: Engine, plan_id: int) -> int:
    with read_session(engine) as session:
        query = select(m.CulturalElement.id).where(m.CulturalElement.plan_id == plan_id)
        return session.execute(query).scalars().first()


def _add_item(engine: Engine, plan_id: int, title: str = "New ICS strategy") -> int:
    with write_session(engine) as session:
        return records.add(session, owner(), m.ContextItem, plan_id, {"category": "strategy", "title": title})


def test_add_bumps_revision_and_audits(engine: Engine, plan_id: int) -> None:
    revision = _revision(engine, plan_id)

    item_id = _add_item(engine, plan_id)

    assert _revision(engine, plan_id) == revision + 1
    with read_session(engine) as session:
        events = session.execute(select(m.AuditEvent).where(m.AuditEvent.entity_id == item_id,
                                                            m.AuditEvent.action == "context_item.create")).scalars()
        assert [e.after["title"] for e in events] == ["New ICS strategy"]


def test_plan_of_follows_owner_links(engine: Engine, plan_id: int) -> None:
    element_id = _element_id(engine, plan_id)
    with read_session(engine) as session:
        question_id = session.execute(select(m.ElementQuestion.id).where(
            m.ElementQuestion.element_id == element_id)).scalars().first()

        assert records.plan_of(session, "element_question", question_id) == plan_id
        assert records.plan_of(session, "element_question", 10**6) is None


def test_a_link_to_another_plans_record_is_refused(engine: Engine, make_plan: Callable[..., int]) -> None:
    mine, theirs = make_plan(name="Mine"), make_plan(name="Theirs")
    their_element = _element_id(engine, theirs)

    with pytest.raises(InvalidInput, match="not part of this plan"), write_session(engine) as session:
        records.add(session, owner(), m.ElementQuestion, mine, {"element_id": their_element, "text": "Sneaky?"})

    with read_session(engine) as session:
        assert session.execute(select(m.ElementQuestion).where(m.ElementQuestion.text == "Sneaky?")).first() is None


def test_update_with_a_stale_version_conflicts_and_changes_nothing(engine: Engine, plan_id: int) -> None:
    item_id = _add_item(engine, plan_id)
    with write_session(engine) as session:
        records.update(session, owner(), m.ContextItem, item_id, 1, {"title": "First edit"}, plan_id)

    with pytest.raises(Conflict), write_session(engine) as session:
        records.update(session, owner(), m.ContextItem, item_id, 1, {"title": "Stale edit"}, plan_id)

    with read_session(engine) as session:
        assert session.get(m.ContextItem, item_id).title == "First edit"


def test_update_through_another_plan_is_not_found(engine: Engine, make_plan: Callable[..., int]) -> None:
    mine, theirs = make_plan(name="Mine"), make_plan(name="Theirs")
    item_id = _add_item(engine, theirs)

    with pytest.raises(records.RecordNotFound), write_session(engine) as session:
        records.update(session, Access(Role.EDITOR, plan_id=mine), m.ContextItem, item_id, 1, {"title": "x"}, mine)


def test_remove_deletes_the_record_and_what_it_owns(engine: Engine, plan_id: int) -> None:
    with write_session(engine) as session:
        initiative = records.add(session, owner(), m.Initiative, plan_id, {"title": "Coaching"})
        records.add(session, owner(), m.Milestone, plan_id, {"initiative_id": initiative, "title": "Launch"})

    with write_session(engine) as session:
        records.remove(session, owner(), m.Initiative, initiative, 1, plan_id)

    with read_session(engine) as session:
        assert _count(session, m.Milestone) == 0
        assert session.get(m.Initiative, initiative) is None


def test_remove_with_a_stale_version_conflicts(engine: Engine, plan_id: int) -> None:
    item_id = _add_item(engine, plan_id)
    with write_session(engine) as session:
        records.update(session, owner(), m.ContextItem, item_id, 1, {"title": "Edited"}, plan_id)

    with pytest.raises(Conflict), write_session(engine) as session:
        records.remove(session, owner(), m.ContextItem, item_id, 1, plan_id)

    with read_session(engine) as session:
        assert session.get(m.ContextItem, item_id) is not None


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PARTICIPANT])
def test_writes_without_the_role_leave_no_row_and_no_event(engine: Engine, plan_id: int, role: Role) -> None:
    with read_session(engine) as session:
        events_before = _count(session, m.AuditEvent)

    with pytest.raises(PermissionDenied), write_session(engine) as session:
        records.add(session, Access(role, plan_id=plan_id), m.ContextItem, plan_id, {"category": "x", "title": "y"})

    with read_session(engine) as session:
        assert _count(session, m.ContextItem) == 0
        assert _count(session, m.AuditEvent) == events_before
