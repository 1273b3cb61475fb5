"""Snapshots: taken by hand, on round close and daily; viewed, compared in words, restored as new or over the plan."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from planner import context, culture, plans, sharing, snapshots
from planner import models as m
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import read_session, utcnow, write_session
from planner.document import DocumentError, plan_document
from planner.snapshots import CURRENT, SnapshotNotFound, diff_documents
from planner.validation import InvalidInput

Document = dict[str, Any]


def take(engine: Engine, plan_id: int, label: str = "Before the workshop", access: Access | None = None) -> int:
    with write_session(engine) as session:
        return snapshots.take_snapshot(session, access or owner(), plan_id, label)


def listed(engine: Engine, plan_id: int, access: Access | None = None) -> list[dict[str, Any]]:
    with read_session(engine) as session:
        return snapshots.list_snapshots(session, access or owner(), plan_id).to_dict("records")


def document_of(engine: Engine, plan_id: int, snapshot_id: int | str = CURRENT) -> Document:
    with read_session(engine) as session:
        return snapshots.snapshot_document(session, owner(), plan_id, snapshot_id)


def add_item(engine: Engine, plan_id: int, title: str = "Elective backlog") -> int:
    with write_session(engine) as session:
        return context.add_item(session, owner(), plan_id, category="strategy", title=title, priority="high")


def sentences(engine: Engine, plan_id: int, old: int | str, new: int | str) -> dict[str, list[str]]:
    with read_session(engine) as session:
        return {d.title: d.sentences() for d in snapshots.compare(session, owner(), plan_id, old, new)}


def editor(plan_id: int) -> Access:
    return Access(Role.EDITOR, plan_id=plan_id, actor="Editor link")


def viewer(plan_id: int) -> Access:
    return Access(Role.VIEWER, plan_id=plan_id, actor="Board link")


# --- Taking and listing ----------------------------------------------------------------------


def test_a_snapshot_stores_the_plan_document(engine: Engine, full_plan: int) -> None:
    snapshot_id = take(engine, full_plan, "  Agreed plan  ", access=editor(full_plan))

    assert document_of(engine, full_plan, snapshot_id) == document_of(engine, full_plan)
    [row] = listed(engine, full_plan)
    assert (row["id"], row["label"], row["kind"], row["kind_name"]) == (
        snapshot_id,
        "Agreed plan",
        "manual",
        "Saved by hand",
    )
    assert (row["revision"], row["by"]) == (0, "Editor link")


def test_snapshots_list_newest_first_with_the_revision_they_hold(engine: Engine, plan_id: int) -> None:
    first = take(engine, plan_id, "One")
    add_item(engine, plan_id)
    second = take(engine, plan_id, "Two")

    rows = listed(engine, plan_id)

    assert [(r["id"], r["label"], r["revision"]) for r in rows] == [(second, "Two", 1), (first, "One", 0)]


def test_a_snapshot_does_not_change_the_plan_revision_and_is_audited(engine: Engine, plan_id: int) -> None:
    snapshot_id = take(engine, plan_id)

    with read_session(engine) as session:
        assert plans.revision(session, owner(), plan_id) == 0
        event = session.scalars(select(m.AuditEvent).where(m.AuditEvent.action == "snapshot.create")).one()
    assert (event.entity, event.entity_id, event.after["label"]) == ("snapshot", snapshot_id, "Before the workshop")


@pytest.mark.parametrize(
    ("label", "kind", "message"),
    [("  ", "manual", "label is required"), ("x" * 121, "manual", "too long"), ("Fine", "weekly", "kind")],
)
def test_bad_labels_and_kinds_are_refused(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], label: str, kind: str, message: str
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match=message), write_session(engine) as session:
        snapshots.take_snapshot(session, owner(), plan_id, label, kind)

    assert snapshot() == before


def test_viewers_may_read_but_not_take_snapshots(engine: Engine, plan_id: int, snapshot: Callable[[], Any]) -> None:
    snapshot_id = take(engine, plan_id)
    before = snapshot()

    with pytest.raises(PermissionDenied), write_session(engine) as session:
        snapshots.take_snapshot(session, viewer(plan_id), plan_id, "Mine")

    assert snapshot() == before
    assert [r["id"] for r in listed(engine, plan_id, viewer(plan_id))] == [snapshot_id]
    with read_session(engine) as session:
        assert snapshots.compare(session, viewer(plan_id), plan_id, snapshot_id, CURRENT) == []


def test_other_plans_snapshots_stay_out_of_reach(engine: Engine, plan_id: int, make_plan: Callable[..., int]) -> None:
    other = make_plan("Other plan")
    foreign = take(engine, other)

    with read_session(engine) as session:
        with pytest.raises(SnapshotNotFound):
            snapshots.snapshot_document(session, owner(), plan_id, foreign)
        with pytest.raises(PermissionDenied):
            snapshots.list_snapshots(session, editor(plan_id), other)
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        snapshots.take_snapshot(session, editor(plan_id), other, "Theirs")


# --- Automatic snapshots ---------------------------------------------------------------------


def _round(engine: Engine, plan_id: int, name: str = "Spring pulse") -> int:
    with write_session(engine) as session:
        return culture.create_round(session, owner(), plan_id, name, date(2026, 3, 1))


def _set_status(engine: Engine, plan_id: int, round_id: int, status: str) -> None:
    with write_session(engine) as session:
        version = session.get(m.SurveyRound, round_id).version
        culture.set_round_status(session, editor(plan_id), plan_id, round_id, version, status)


def test_closing_a_round_takes_a_snapshot_of_the_closed_round(engine: Engine, plan_id: int) -> None:
    round_id = _round(engine, plan_id)

    _set_status(engine, plan_id, round_id, "closed")

    [row] = listed(engine, plan_id)
    assert (row["label"], row["kind"], row["by"]) == (
        "Survey round closed: Spring pulse",
        "round_closed",
        "Editor link",
    )
    [stored] = document_of(engine, plan_id, row["id"])["records"]["survey_round"]
    assert stored["status"] == "closed"


def test_only_the_change_from_open_to_closed_takes_a_snapshot(engine: Engine, plan_id: int) -> None:
    round_id = _round(engine, plan_id)

    _set_status(engine, plan_id, round_id, "closed")
    _set_status(engine, plan_id, round_id, "closed")  # already closed: nothing new to keep
    _set_status(engine, plan_id, round_id, "open")
    _set_status(engine, plan_id, round_id, "closed")

    assert [r["kind"] for r in listed(engine, plan_id)] == ["round_closed", "round_closed"]


def _daily(engine: Engine, plan_id: int, today: date, access: Access | None = None) -> int | None:
    with write_session(engine) as session:
        return snapshots.daily_snapshot_if_due(session, access or owner(), plan_id, today)


def test_daily_snapshot_only_when_the_plan_changed_and_once_a_day(engine: Engine, plan_id: int) -> None:
    today = utcnow().date()
    assert _daily(engine, plan_id, today) is None, "an untouched new plan needs no snapshot"

    add_item(engine, plan_id)
    first = _daily(engine, plan_id, today)
    add_item(engine, plan_id, "Workforce plan")
    again_today = _daily(engine, plan_id, today)
    tomorrow = _daily(engine, plan_id, today + timedelta(days=1))
    unchanged = _daily(engine, plan_id, today + timedelta(days=2))

    assert first is not None and again_today is None and tomorrow is not None and unchanged is None
    rows = listed(engine, plan_id)
    assert [(r["kind"], r["revision"]) for r in rows] == [("daily", 2), ("daily", 1)]
    assert rows[0]["label"] == f"Daily snapshot {today + timedelta(days=1):%d %b %Y}"


def test_daily_rule_counts_any_kind_of_snapshot(engine: Engine, plan_id: int) -> None:
    add_item(engine, plan_id)
    take(engine, plan_id, "By hand")

    with read_session(engine) as session:
        due_tomorrow = snapshots.daily_due(session, owner(), plan_id, utcnow().date() + timedelta(days=1))

    assert due_tomorrow is False, "nothing changed since the hand-made snapshot"


def test_readers_never_take_the_daily_snapshot(engine: Engine, plan_id: int) -> None:
    add_item(engine, plan_id)

    taken = _daily(engine, plan_id, utcnow().date(), viewer(plan_id))

    assert taken is None and listed(engine, plan_id) == []


# --- Differences in words --------------------------------------------------------------------


def _changed(document: Document) -> Document:
    """The full document with one context item added, a priority and the plan changed, an initiative removed."""
    new = copy.deepcopy(document)
    records = new["records"]
    records["context_item"].append({**records["context_item"][0], "ref": "context_item-9", "title": "Winter pressures"})
    records["priority"][0].update(rank=2, rationale="Board asked for it", target_level=3)
    records["initiative"].clear()
    records["initiative_link"].clear()
    records["milestone"].clear()
    records["check_in"].clear()
    new["plan"]["name"] = "Full plan v2"
    return new


def test_diff_says_what_was_added_changed_and_removed(full_document: Callable[..., Document]) -> None:
    old = full_document()

    diffs = {d.title: d.sentences() for d in diff_documents(old, _changed(old))}

    assert diffs["Plan details"] == ["Changed the plan's details: name: “Full plan” → “Full plan v2”."]
    assert diffs["Context items"] == ["Added context item “Winter pressures”."]
    assert diffs["Priorities"] == [
        "Changed priority “Shared leadership”: rank: 1 → 2; rationale: none → “Board asked for it”; "
        "target level: none → 3 Strong."
    ]
    assert diffs["Initiatives"] == ["Removed initiative “Team coaching”."]
    assert diffs["Milestones"] == ["Removed milestone “Team coaching · Cohort 1 starts”."]
    assert diffs["Check-ins"] == ["Removed check-in “Team coaching · 2026-06-30”."]
    assert "Capabilities" not in diffs, "unchanged sections are left out"


def test_identity_is_by_name_not_by_position(full_document: Callable[..., Document]) -> None:
    old = full_document()
    new = copy.deepcopy(old)
    items = new["records"]["context_item"]
    items.insert(0, {**items[0], "ref": "context_item-0", "title": "Inserted first", "position": 0})
    for n, item in enumerate(items, start=1):
        item["position"] = n

    [diff] = diff_documents(old, new)

    assert diff.sentences() == ["Added context item “Inserted first”."]


def test_links_are_shown_by_the_linked_records_name(full_document: Callable[..., Document]) -> None:
    old = full_document()
    new = copy.deepcopy(old)
    new["records"]["objective"][0]["capability_id"] = "capability-1"

    names = {c["ref"]: c["name"] for c in old["records"]["capability"]}

    [diff] = diff_documents(old, new)

    assert diff.sentences() == [
        f"Changed objective “Teams set goals”: capability: “{names['capability-10']}” → “{names['capability-1']}”."
    ]


def test_survey_answers_are_compared_only_as_counts(full_document: Callable[..., Document]) -> None:
    old = full_document()
    new = copy.deepcopy(old)
    records = new["records"]
    records["survey_response"].append({"ref": "survey_response-2", "round_id": "survey_round-1",
                                        "participant_hash": "secret-hash", "group_key": "board"})  # fmt: skip
    records["survey_tally"][0]["count"] = 20

    [diff] = diff_documents(old, new)

    assert diff.title == "Survey rounds"
    assert diff.sentences() == ["Changed survey round “Spring pulse”: responses: 1 → 2; imported answers: 17 → 20."]
    assert "secret-hash" not in str(diff) and "board" not in str(diff)


def test_compare_a_snapshot_with_the_plan_now_and_two_snapshots(engine: Engine, plan_id: int) -> None:
    first = take(engine, plan_id, "Empty")
    add_item(engine, plan_id)
    second = take(engine, plan_id, "One item")

    assert sentences(engine, plan_id, first, CURRENT) == {"Context items": ["Added context item “Elective backlog”."]}
    assert sentences(engine, plan_id, second, first) == {"Context items": ["Removed context item “Elective backlog”."]}
    assert sentences(engine, plan_id, second, CURRENT) == {}


def test_contents_count_each_section_and_hide_survey_answers(full_document: Callable[..., Document]) -> None:
    table = snapshots.contents(full_document()).set_index("Section")

    assert table.loc["Context items", "Records"] == 1
    assert table.loc["Context items", "Includes"] == "Elective backlog"
    assert table.loc["Cultural elements", "Includes"].endswith("… and 4 more")
    assert table.loc["Survey responses", "Includes"] == "1 responses, shown only as counts"
    assert "p1" not in table.to_string()


# --- Restore ---------------------------------------------------------------------------------


def _without_name(document: Document) -> Document:
    trimmed = copy.deepcopy(document)
    trimmed["plan"].pop("name")
    return trimmed


def test_restore_as_a_new_plan_holds_the_snapshots_content(engine: Engine, full_plan: int) -> None:
    snapshot_id = take(engine, full_plan)
    add_item(engine, full_plan)

    with write_session(engine) as session:
        new_id = snapshots.restore_as_new_plan(session, owner(), full_plan, snapshot_id, today=date(2026, 5, 1))

    restored = document_of(engine, new_id)
    assert restored["plan"]["name"] == "Full plan (restored 01 May 2026)"
    assert _without_name(restored) == _without_name(document_of(engine, full_plan, snapshot_id))
    with read_session(engine) as session:
        assert session.get(m.Plan, new_id).origin == "restore"


def test_only_owners_restore_as_a_new_plan(engine: Engine, plan_id: int, snapshot: Callable[[], Any]) -> None:
    snapshot_id = take(engine, plan_id)
    before = snapshot()

    with pytest.raises(PermissionDenied), write_session(engine) as session:
        snapshots.restore_as_new_plan(session, editor(plan_id), plan_id, snapshot_id)

    assert snapshot() == before


def _restore_over(engine: Engine, plan_id: int, snapshot_id: int, access: Access | None = None) -> int:
    with write_session(engine) as session:
        return snapshots.restore_over_plan(session, access or owner(), plan_id, snapshot_id)


def test_restore_over_the_plan_keeps_a_before_restore_snapshot_and_replaces_the_content(
    engine: Engine, full_plan: int
) -> None:
    snapshot_id = take(engine, full_plan, "Agreed")
    add_item(engine, full_plan, "Added later")
    with write_session(engine) as session:
        plans.update_plan(session, owner(), full_plan, 1, name="Renamed later")
    changed, changed_revision = document_of(engine, full_plan), _revision(engine, full_plan)

    before_id = _restore_over(engine, full_plan, snapshot_id, editor(full_plan))

    assert document_of(engine, full_plan) == document_of(engine, full_plan, snapshot_id)
    assert document_of(engine, full_plan, before_id) == changed
    assert listed(engine, full_plan)[0]["label"] == "Before restore of “Agreed”"
    assert listed(engine, full_plan)[0]["kind"] == "before_restore"
    assert _revision(engine, full_plan) > changed_revision
    with read_session(engine) as session:
        assert session.scalar(select(m.Plan.id).where(m.Plan.id > full_plan)) is None, "no scratch plan is left"
        event = session.scalars(select(m.AuditEvent).where(m.AuditEvent.action == "plan.restore")).one()
    assert event.after == {"snapshot": snapshot_id, "label": "Agreed", "before_restore_snapshot": before_id}


def _revision(engine: Engine, plan_id: int) -> int:
    with read_session(engine) as session:
        return plans.revision(session, owner(), plan_id)


def test_restore_over_keeps_share_links_and_moves_participant_links_to_the_restored_round(
    engine: Engine, plan_id: int
) -> None:
    round_id = _round(engine, plan_id)
    snapshot_id = take(engine, plan_id)
    with write_session(engine) as session:
        board = sharing.create_link(session, owner(), plan_id, "viewer", label="Board", base_url="http://x")
        vote = sharing.create_link(session, owner(), plan_id, "participant", round_id=round_id, base_url="http://x")

    _restore_over(engine, plan_id, snapshot_id)

    with write_session(engine) as session:
        assert sharing.resolve_token(session, board.token).plan_id == plan_id
        access = sharing.resolve_token(session, vote.token)
        restored_round = session.scalars(select(m.SurveyRound).where(m.SurveyRound.plan_id == plan_id)).one()
    assert (access.plan_id, access.round_id) == (plan_id, restored_round.id)
    assert restored_round.name == "Spring pulse"


def test_a_broken_snapshot_restores_nothing(engine: Engine, full_plan: int, snapshot: Callable[[], Any]) -> None:
    snapshot_id = take(engine, full_plan)
    with write_session(engine) as session:
        stored = session.get(m.Snapshot, snapshot_id)
        broken = copy.deepcopy(stored.data)
        broken["document"]["records"]["milestone"][0]["initiative_id"] = "initiative-99"
        session.execute(update(m.Snapshot).where(m.Snapshot.id == snapshot_id).values(data=broken))
    add_item(engine, full_plan)
    before = snapshot()

    with pytest.raises(DocumentError, match="initiative-99"):
        _restore_over(engine, full_plan, snapshot_id)

    assert snapshot() == before


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PARTICIPANT])
def test_readers_cannot_restore_over_the_plan(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], role: Role
) -> None:
    snapshot_id = take(engine, plan_id)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        _restore_over(engine, plan_id, snapshot_id, Access(role, plan_id=plan_id))

    assert snapshot() == before


def test_the_snapshot_document_is_the_plan_document_of_its_time(engine: Engine, plan_id: int) -> None:
    snapshot_id = take(engine, plan_id)

    with read_session(engine) as session:
        assert snapshots.snapshot_document(session, owner(), plan_id, snapshot_id) == plan_document(session, plan_id)
