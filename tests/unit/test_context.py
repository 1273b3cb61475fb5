"""Strategic context items and the strategic narrative: validation, versions, roles, filters, audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import col

from planner import context
from planner import models as m
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import Conflict, read_session, write_session
from planner.records import RecordNotFound
from planner.validation import InvalidInput

ITEM = {
    "category": "challenges",
    "title": "Elective backlog",
    "detail": "Waiting lists are the longest they have been.",
    "implication": "Leaders must run improvement across boundaries.",
    "source": "Board report, May",
    "priority": "high",
    "element_keys": ["teams", "vision"],
}


def _add(engine: Engine, plan_id: int, access: Access | None = None, **fields: Any) -> int:
    with write_session(engine) as session:
        return context.add_item(session, access or owner(), plan_id, **(ITEM | fields))


def _items(engine: Engine, plan_id: int, **filters: Any):
    with read_session(engine) as session:
        return context.list_items(session, owner(), plan_id, **filters)


def _events(engine: Engine, plan_id: int, action: str) -> list[m.AuditEvent]:
    query = select(m.AuditEvent).where(m.AuditEvent.plan_id == plan_id, m.AuditEvent.action == action)
    with read_session(engine) as session:
        return list(session.scalars(query.order_by(col(m.AuditEvent.id))))


def _narrative(engine: Engine, plan_id: int) -> context.NarrativeView:
    with read_session(engine) as session:
        return context.narrative(session, owner(), plan_id)


def test_add_update_delete_round_trip(engine: Engine, plan_id: int) -> None:
    item_id = _add(engine, plan_id)
    row = _items(engine, plan_id).iloc[0]
    assert (row["id"], row["version"], row["title"], list(row["element_keys"])) == (
        item_id, 1, "Elective backlog", ["vision", "teams"]  # stored in the plan's element order
    )

    with write_session(engine) as session:
        version = context.update_item(session, owner(), plan_id, item_id, 1, title="  Backlog  ", priority="low")
    row = _items(engine, plan_id).iloc[0]
    assert (version, row["version"], row["title"], row["priority"], row["detail"]) == (
        2, 2, "Backlog", "low", ITEM["detail"]
    )

    with write_session(engine) as session:
        context.delete_item(session, owner(), plan_id, item_id, 2)
    assert _items(engine, plan_id).empty
    assert [e.entity_id for e in _events(engine, plan_id, "context_item.delete")] == [item_id]


def test_items_are_numbered_in_the_order_added(engine: Engine, plan_id: int) -> None:
    first, second = _add(engine, plan_id, title="First"), _add(engine, plan_id, title="Second")

    frame = _items(engine, plan_id)

    assert list(frame["id"]) == [first, second]
    assert list(frame["position"]) == [1, 2]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "   "}, "Title is required"),
        ({"title": "x" * 201}, "Title is too long"),
        ({"detail": "x" * 5001}, "Detail is too long"),
        ({"implication": "x" * 5001}, "Implication for leadership is too long"),
        ({"category": "gossip"}, "Category must be one of: Strategy"),
        ({"priority": "urgent"}, "Priority must be one of: High, Medium, Low"),
        ({"element_keys": ["vision", "astrology"]}, "astrology are not part of this plan"),
        ({"element_keys": "vision"}, "must be given as a list"),
        ({"owner": "Jo"}, "no field"),
    ],
)
def test_invalid_input_changes_nothing(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], fields: dict[str, Any], message: str
) -> None:
    item_id = _add(engine, plan_id)
    before = snapshot()

    with pytest.raises(InvalidInput, match=message):
        _add(engine, plan_id, **fields)
    with pytest.raises(InvalidInput, match=message), write_session(engine) as session:
        context.update_item(session, owner(), plan_id, item_id, 1, **fields)

    assert snapshot() == before


def test_add_needs_a_category_and_title(engine: Engine, plan_id: int) -> None:
    with pytest.raises(InvalidInput, match="Category is required"), write_session(engine) as session:
        context.add_item(session, owner(), plan_id, title="No heading")

    assert _items(engine, plan_id).empty


def test_stale_version_conflicts_and_keeps_the_newer_edit(engine: Engine, plan_id: int) -> None:
    item_id = _add(engine, plan_id)
    with write_session(engine) as session:
        context.update_item(session, owner(), plan_id, item_id, 1, title="First edit")

    with pytest.raises(Conflict), write_session(engine) as session:
        context.update_item(session, owner(), plan_id, item_id, 1, title="Stale edit")
    with pytest.raises(Conflict), write_session(engine) as session:
        context.delete_item(session, owner(), plan_id, item_id, 1)

    assert list(_items(engine, plan_id)["title"]) == ["First edit"]


def test_another_plans_element_key_is_refused(engine: Engine, plan_id: int, make_plan: Callable[..., int]) -> None:
    other = make_plan(name="Other")
    with write_session(engine) as session:
        theirs = session.scalars(select(m.CulturalElement).where(m.CulturalElement.plan_id == other,
                                                                 m.CulturalElement.key == "equity")).one()
        theirs.key = "their_own"

    with pytest.raises(InvalidInput, match="their_own are not part of this plan"):
        _add(engine, plan_id, element_keys=["their_own"])

    assert _items(engine, plan_id).empty


def test_an_item_of_another_plan_cannot_be_changed_through_this_one(
    engine: Engine, plan_id: int, make_plan: Callable[..., int]
) -> None:
    other = make_plan(name="Other")
    theirs = _add(engine, other)

    with pytest.raises(RecordNotFound), write_session(engine) as session:
        context.update_item(session, owner(), plan_id, theirs, 1, title="Hijacked")

    assert list(_items(engine, other)["title"]) == ["Elective backlog"]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PARTICIPANT])
def test_read_only_roles_cannot_write(engine: Engine, plan_id: int, snapshot: Callable[[], Any], role: Role) -> None:
    item_id = _add(engine, plan_id)
    before = snapshot()
    reader = Access(role, plan_id=plan_id)

    with pytest.raises(PermissionDenied):
        _add(engine, plan_id, access=reader)
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        context.update_item(session, reader, plan_id, item_id, 1, title="Nope")
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        context.delete_item(session, reader, plan_id, item_id, 1)
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        context.save_narrative(session, reader, plan_id, 1, "Nope")

    assert snapshot() == before


def test_viewer_is_refused_before_validation(engine: Engine, plan_id: int) -> None:
    viewer = Access(Role.VIEWER, plan_id=plan_id)

    with pytest.raises(PermissionDenied):
        _add(engine, plan_id, access=viewer, category="gossip")

    assert _events(engine, plan_id, "context_item.create") == []


def test_editor_of_another_plan_is_refused(engine: Engine, plan_id: int, make_plan: Callable[..., int]) -> None:
    other = make_plan(name="Other")

    with pytest.raises(PermissionDenied):
        _add(engine, plan_id, access=Access(Role.EDITOR, plan_id=other))

    assert _items(engine, plan_id).empty


def test_editor_writes_are_audited_with_their_name(engine: Engine, plan_id: int) -> None:
    editor = Access(Role.EDITOR, plan_id=plan_id, actor="Workshop facilitator")
    item_id = _add(engine, plan_id, access=editor)
    with write_session(engine) as session:
        context.update_item(session, editor, plan_id, item_id, 1, source="Staff survey")

    (event,) = _events(engine, plan_id, "context_item.update")
    assert (event.actor, event.before, event.after) == (
        "Workshop facilitator", {"source": ITEM["source"]}, {"source": "Staff survey"}
    )


def test_filters_by_category_and_element(engine: Engine, plan_id: int) -> None:
    _add(engine, plan_id, title="A", category="strategy", element_keys=["vision"])
    _add(engine, plan_id, title="B", category="challenges", element_keys=["teams"])
    _add(engine, plan_id, title="C", category="challenges", element_keys=["vision", "voice"])

    assert list(_items(engine, plan_id, category="challenges")["title"]) == ["B", "C"]
    assert list(_items(engine, plan_id, element_key="vision")["title"]) == ["A", "C"]
    assert list(_items(engine, plan_id, category="challenges", element_key="vision")["title"]) == ["C"]
    assert _items(engine, plan_id, category="mission").empty
    assert list(_items(engine, plan_id, element_key="vision").index) == [0, 1]


def test_elements_are_the_plans_in_order(engine: Engine, plan_id: int) -> None:
    with read_session(engine) as session:
        names = context.elements(session, owner(), plan_id)

    assert list(names)[:2] == ["vision", "objectives"]
    assert names["vision"] == "Vision and strategy"


def test_narrative_save_bumps_version_revision_and_audits(engine: Engine, plan_id: int) -> None:
    seen = _narrative(engine, plan_id)
    with read_session(engine) as session:
        revision = session.get(m.Plan, plan_id).revision

    with write_session(engine) as session:
        version = context.save_narrative(session, owner(), plan_id, seen.version, "  Outstanding care, every time.  ")

    saved = _narrative(engine, plan_id)
    assert (saved.text, saved.version, saved.words, version) == (
        "Outstanding care, every time.", seen.version + 1, 4, seen.version + 1
    )
    with read_session(engine) as session:
        assert session.get(m.Plan, plan_id).revision == revision + 1
    (event,) = _events(engine, plan_id, "plan.narrative")
    assert (event.before, event.after) == ({"narrative": ""}, {"narrative": "Outstanding care, every time."})


def test_narrative_stale_version_conflicts(engine: Engine, plan_id: int) -> None:
    seen = _narrative(engine, plan_id)
    with write_session(engine) as session:
        context.save_narrative(session, owner(), plan_id, seen.version, "Mine")

    with pytest.raises(Conflict), write_session(engine) as session:
        context.save_narrative(session, owner(), plan_id, seen.version, "Theirs")

    assert _narrative(engine, plan_id).text == "Mine"
    assert len(_events(engine, plan_id, "plan.narrative")) == 1


def test_narrative_too_long_is_refused(engine: Engine, plan_id: int, snapshot: Callable[[], Any]) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match="limit is 20000"), write_session(engine) as session:
        context.save_narrative(session, owner(), plan_id, 1, "word " * 4001)

    assert snapshot() == before


@pytest.mark.parametrize(("text", "words"), [("", 0), ("   ", 0), ("One", 1), ("Care,\nevery  time.\t", 3)])
def test_word_count(text: str, words: int) -> None:
    assert context.word_count(text) == words
