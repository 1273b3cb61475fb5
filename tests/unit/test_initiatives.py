"""Initiatives: status from check-ins, overdue and stale rules, CRUD validation, links, milestones, roles, portfolio."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from planner import initiatives, records
from planner import models as m
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import Conflict, read_session, write_session
from planner.records import RecordNotFound
from planner.validation import InvalidInput

TODAY = date(2026, 11, 26)
START, END = date(2026, 4, 1), date(2029, 3, 31)
COACHING = {
    "title": "  Team coaching for ward leaders  ",
    "kind": "organisation_development",
    "od_focus": "teams",
    "owner": "Head of OD",
    "sponsor": "Chief Nurse",
    "start": date(2026, 6, 1),
    "end": date(2027, 5, 31),
    "budget": 40_000,
    "participants": 60,
    "audience": "Band 7 ward leaders",
    "tier_keys": ["first_line", "middle"],
    "element_keys": ["teams"],
    "description": "Six sessions per team.",
}


@pytest.fixture
def plan(make_plan: Callable[..., int]) -> int:
    """A framework plan with a three-year horizon."""
    return make_plan(horizon_start=START, horizon_end=END)


def _write(engine: Engine, action: Callable[[Any], Any]) -> Any:
    with write_session(engine) as session:
        return action(session)


def _read(engine: Engine, loader: Callable[..., Any], plan_id: int, *args: Any, access: Access | None = None) -> Any:
    with read_session(engine) as session:
        return loader(session, access or owner(), plan_id, *args)


def _add(engine: Engine, plan_id: int, access: Access | None = None, **fields: Any) -> int:
    values = COACHING | fields
    return _write(engine, lambda s: initiatives.add_initiative(s, access or owner(), plan_id, **values))


def _check_in(engine: Engine, plan_id: int, initiative_id: int, day: date, rag: str = "green", percent: Any = 10,
              access: Access | None = None, **extra: Any) -> int:  # fmt: skip
    return _write(
        engine,
        lambda s: initiatives.add_check_in(
            s, access or owner(), plan_id, initiative_id, day, rag, percent, today=TODAY, **extra
        ),
    )


def _milestone(engine: Engine, plan_id: int, initiative: int, title: str, due: date | None, done: bool = False) -> int:
    return _write(
        engine, lambda s: initiatives.add_milestone(s, owner(), plan_id, initiative, title, due, done, today=TODAY)
    )


def _priority(engine: Engine, plan_id: int, title: str = "Compassionate leadership", rank: int = 1) -> int:
    values = {"title": title, "rank": rank, "element_keys": ["people"]}
    return _write(engine, lambda s: records.add(s, owner(), m.Priority, plan_id, values))


def _row(engine: Engine, plan_id: int, initiative_id: int, today: date = TODAY) -> pd.Series:
    frame = _read(engine, initiatives.portfolio, plan_id, today)
    return frame.set_index("id").loc[initiative_id]


def _count(engine: Engine, model: type) -> int:
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


# --- Pure rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rag", "percent", "status"),
    [
        (None, 0, "planned"),
        ("green", 40, "in_progress"),
        ("amber", 10, "at_risk"),
        ("red", 99, "off_track"),
        ("red", 100, "done"),
        ("green", 100, "done"),
        ("green", 0, "in_progress"),
    ],
)
def test_status_comes_from_the_latest_check_in(rag: str | None, percent: int, status: str) -> None:
    assert initiatives.derive_status(rag, percent) == status
    assert initiatives.STATUS_LABELS[status] in {"Not started", "On track", "At risk", "Off track", "Done"}


def test_the_latest_check_in_is_chosen_by_date_then_id() -> None:
    rows = pd.DataFrame(
        [
            (1, 7, date(2026, 10, 1), "green", 10),
            (2, 7, date(2026, 9, 1), "red", 5),  # recorded later, dated earlier
            (3, 8, date(2026, 10, 1), "green", 20),
            (4, 8, date(2026, 10, 1), "amber", 25),  # same day: the later record wins
        ],
        columns=["id", "initiative_id", "checked_on", "rag", "percent_complete"],
    )

    latest = initiatives.latest_check_ins(rows)

    assert latest.loc[7, "rag"] == "green" and latest.loc[8, "rag"] == "amber"
    assert latest.loc[7, "check_ins"] == 2 and latest.loc[8, "percent_complete"] == 25


@pytest.mark.parametrize(
    ("due", "done", "overdue"),
    [
        (TODAY - timedelta(days=1), False, True),
        (TODAY - timedelta(days=1), True, False),
        (TODAY, False, False),
        (TODAY + timedelta(days=30), False, False),
        (None, False, False),
    ],
)
def test_a_milestone_is_overdue_when_past_due_and_not_done(due: date | None, done: bool, overdue: bool) -> None:
    assert initiatives.is_overdue(due, done, TODAY) is overdue


@pytest.mark.parametrize(
    ("status", "start", "end", "last", "stale"),
    [
        ("planned", TODAY - timedelta(days=40), None, None, True),  # started 40 days ago, never checked in
        ("planned", TODAY - timedelta(days=10), None, None, False),  # started too recently to expect one
        ("in_progress", TODAY - timedelta(days=200), TODAY + timedelta(days=9), TODAY - timedelta(days=31), True),
        ("in_progress", TODAY - timedelta(days=200), TODAY + timedelta(days=9), TODAY - timedelta(days=30), False),
        ("in_progress", TODAY - timedelta(days=200), TODAY - timedelta(days=1), TODAY - timedelta(days=90), False),
        ("planned", TODAY + timedelta(days=1), None, None, False),  # not started yet
        ("done", TODAY - timedelta(days=200), None, TODAY - timedelta(days=100), False),
        ("planned", None, None, None, False),  # no start date: cannot be under way
        ("in_progress", TODAY - timedelta(days=20), None, TODAY - timedelta(days=90), False),  # check-in before start
    ],
)
def test_no_recent_check_in_means_under_way_and_over_30_days_since_start_or_last_check_in(
    status: str, start: date | None, end: date | None, last: date | None, stale: bool
) -> None:
    assert initiatives.STALE_DAYS == 30
    assert initiatives.is_stale(status, start, end, last, TODAY) is stale


def test_filters_keep_rows_matching_every_filter() -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "owner": ["Ann", "Bob", "Ann"],
            "kind": ["leadership_development", "culture_shaping", "culture_shaping"],
            "tier_keys": [["board"], ["middle", "first_line"], []],
            "status": ["planned", "at_risk", "done"],
        }
    )

    assert list(initiatives.filtered(frame)["id"]) == [1, 2, 3]
    assert list(initiatives.filtered(frame, owners=["Ann"])["id"]) == [1, 3]
    assert list(initiatives.filtered(frame, owners=["Ann"], kinds=["culture_shaping"])["id"]) == [3]
    assert list(initiatives.filtered(frame, tiers=["first_line", "board"])["id"]) == [1, 2]
    assert list(initiatives.filtered(frame, statuses=["at_risk", "done"])["id"]) == [2, 3]


def test_the_most_urgent_come_first_overdue_then_status_then_longest_without_a_check_in() -> None:
    d = date.fromisoformat
    flagged = pd.DataFrame(
        [  # id, status, overdue milestones, start, last check-in
            (1, "in_progress", 0, d("2026-01-01"), d("2026-06-01")),  # since 1 Jun
            (2, "at_risk", 0, d("2026-01-01"), d("2026-09-01")),      # at risk beats on track whenever
            (3, "in_progress", 2, d("2026-01-01"), d("2026-10-01")),  # most overdue milestones: first
            (4, "in_progress", 0, d("2026-03-01"), None),              # since its start, 1 Mar: before 1
            (5, "off_track", 1, d("2026-01-01"), d("2026-10-01")),    # one overdue, off track
            (6, "planned", 1, d("2026-01-01"), None),                  # one overdue, not started: after 5
            (7, "in_progress", 0, d("2026-07-01"), d("2026-05-01")),  # the later of the two, 1 Jul: after 1
        ],
        columns=["id", "status", "overdue_milestones", "start", "last_check_in"],
    )  # fmt: skip

    assert list(initiatives.most_urgent(flagged, limit=7)["id"]) == [3, 5, 6, 2, 4, 1, 7]
    assert list(initiatives.most_urgent(flagged, limit=2)["id"]) == [3, 5]
    assert initiatives.most_urgent(flagged.iloc[0:0]).empty


def test_a_library_intervention_prefills_an_initiative() -> None:
    item = {
        "key": "team_coaching",
        "name": "Team coaching",
        "kind": "organisation_development",
        "od_focus": "teams",
        "description": "Coaching for intact teams.",
        "audience": "Ward teams",
        "typical_cost_gbp": 25_000,
        "typical_duration_months": 12,
        "element_keys": ["teams", "not_in_this_plan"],
    }

    values = initiatives.prefill(item, ["vision", "teams"], date(2026, 4, 1))

    assert values["title"] == "Team coaching" and values["budget"] == 25_000 and values["od_focus"] == "teams"
    assert values["element_keys"] == ["teams"]
    assert values["end"] == date(2027, 3, 31)
    assert initiatives.prefill(item, [], None)["end"] is None


# --- Adding and changing initiatives ---------------------------------------------------------


def test_an_added_initiative_is_listed_with_its_fields_links_and_not_started(engine: Engine, plan: int) -> None:
    priority = _priority(engine, plan)

    initiative = _add(engine, plan, priority_ids=[priority])

    row = _row(engine, plan, initiative)
    assert row["title"] == "Team coaching for ward leaders"
    assert (row["kind"], row["od_focus"], row["budget"], row["participants"]) == ("organisation_development", "teams",
                                                                                  40_000, 60)  # fmt: skip
    assert row["tier_keys"] == ["middle", "first_line"]  # in the plan's tier order
    assert (row["status"], row["status_label"], row["rag"], row["percent_complete"]) == ("planned", "Not started",
                                                                                         None, 0)  # fmt: skip
    assert row["links"] == 1 and row["check_ins"] == 0
    links = _read(engine, initiatives.links, plan)
    assert list(zip(links["kind"], links["target_id"], strict=True)) == [("priority", priority)]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": date(2027, 1, 1), "end": date(2026, 12, 31)}, "End date: the end (31 Dec 2026) is before the start"),
        ({"budget": -1}, "Budget (£) cannot be negative"),
        ({"participants": -5}, "Participants cannot be negative"),
        ({"budget": 12.5}, "Budget (£) must be a whole number"),
        ({"kind": "team_building"}, "Type must be one of"),
        ({"od_focus": "vibes"}, "OD focus must be one of"),
        ({"title": "   "}, "Title is required"),
        ({"tier_keys": ["galaxy"]}, "Audience tiers: galaxy are not part of this plan"),
        ({"element_keys": ["nope"]}, "Cultural elements: nope are not part of this plan"),
        ({"start": "next spring"}, "Start date: “next spring” is not a date"),
        ({"intervention_key": "no_such_thing"}, "Intervention"),
        ({"priority_ids": ["one"]}, "Priority links must be chosen from the list"),
    ],
)
def test_bad_initiatives_are_refused_naming_the_field_and_nothing_is_written(
    engine: Engine, plan: int, snapshot: Callable[[], Any], fields: dict[str, Any], message: str
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match=re.escape(message)):
        _add(engine, plan, **fields)

    assert snapshot() == before


def test_links_to_another_plans_records_are_refused_and_nothing_is_written(
    engine: Engine, plan: int, make_plan: Callable[..., int], snapshot: Callable[[], Any]
) -> None:
    other = make_plan(name="Another trust")
    foreign = _priority(engine, other, "Their priority")
    mine = _add(engine, plan)
    before = snapshot()

    with pytest.raises(InvalidInput, match=f"Priority {foreign} is not part of this plan"):
        _add(engine, plan, title="Mentoring", priority_ids=[foreign])
    with pytest.raises(InvalidInput, match=f"Priority {foreign} is not part of this plan"):
        _write(engine, lambda s: initiatives.set_links(s, owner(), plan, mine, "priority", [foreign]))
    with pytest.raises(InvalidInput, match="Means 999999 is not part of this plan"):
        _add(engine, plan, title="Mentoring", means_ids=[999_999])

    assert snapshot() == before


def test_set_links_adds_and_removes_only_what_changed(engine: Engine, plan: int) -> None:
    first, second, third = (_priority(engine, plan, f"Priority {n}", n) for n in (1, 2, 3))
    initiative = _add(engine, plan, priority_ids=[first, second])
    kept = _read(engine, initiatives.links, plan).set_index("target_id").loc[first, "id"]

    version = _write(
        engine,
        lambda s: initiatives.update_initiative(s, owner(), plan, initiative, 1, priority_ids=[first, third]),
    )

    links = _read(engine, initiatives.links, plan)
    assert sorted(links["target_id"]) == sorted([first, third])
    assert links.set_index("target_id").loc[first, "id"] == kept  # untouched, not re-created
    assert version == 1  # only links changed: the initiative itself is unchanged
    assert _read(engine, initiatives.link_options, plan)["priority"] == {
        first: "1. Priority 1",
        second: "2. Priority 2",
        third: "3. Priority 3",
    }


def test_updating_checks_dates_against_the_stored_ones_and_a_stale_version_conflicts(
    engine: Engine, plan: int, snapshot: Callable[[], Any]
) -> None:
    initiative = _add(engine, plan)
    version = _write(engine, lambda s: initiatives.update_initiative(s, owner(), plan, initiative, 1, owner="New lead"))
    before = snapshot()

    with pytest.raises(InvalidInput, match="End date: the end"):
        _write(engine, lambda s: initiatives.update_initiative(s, owner(), plan, initiative, 2, start=date(2027, 9, 1)))
    with pytest.raises(Conflict):
        _write(engine, lambda s: initiatives.update_initiative(s, owner(), plan, initiative, 1, title="Stale edit"))
    with pytest.raises(Conflict):
        _write(engine, lambda s: initiatives.delete_initiative(s, owner(), plan, initiative, 1))

    assert version == 2 and snapshot() == before
    assert _row(engine, plan, initiative)["owner"] == "New lead"


def test_deleting_an_initiative_removes_its_links_milestones_and_check_ins(engine: Engine, plan: int) -> None:
    initiative = _add(engine, plan, priority_ids=[_priority(engine, plan)])
    _milestone(engine, plan, initiative, "Kick-off", date(2026, 7, 1))
    _check_in(engine, plan, initiative, date(2026, 7, 2))

    _write(engine, lambda s: initiatives.delete_initiative(s, owner(), plan, initiative, 1))

    assert _read(engine, initiatives.portfolio, plan).empty
    assert [_count(engine, model) for model in (m.InitiativeLink, m.Milestone, m.CheckIn)] == [0, 0, 0]


def test_adding_from_the_library_prefills_and_overrides_win(engine: Engine, plan: int) -> None:
    initiative = _write(
        engine,
        lambda s: initiatives.add_from_library(
            s, owner(), plan, "first_line_leader_programme", start=date(2026, 9, 1), owner="Head of OD"
        ),
    )

    row = _row(engine, plan, initiative)
    assert row["title"] == "First-line leader programme" and row["intervention_key"] == "first_line_leader_programme"
    assert (row["kind"], row["budget"], row["owner"]) == ("leadership_development", 40_000, "Head of OD")
    assert row["end"] == date(2027, 5, 31)  # nine months
    assert row["element_keys"] == ["objectives", "people", "teams"]


# --- Check-ins -------------------------------------------------------------------------------


def test_check_ins_are_kept_as_history_and_the_latest_by_date_sets_the_status(engine: Engine, plan: int) -> None:
    initiative = _add(engine, plan)
    _check_in(engine, plan, initiative, date(2026, 7, 1), "green", 10, note="Started", author="Ann")
    _check_in(engine, plan, initiative, date(2026, 9, 1), "amber", 30)
    _check_in(engine, plan, initiative, date(2026, 8, 1), "red", 20)  # late entry for an earlier date

    history = _read(engine, initiatives.check_ins, plan, initiative)
    row = _row(engine, plan, initiative)

    assert list(history["rag"]) == ["green", "red", "amber"]  # oldest first, none overwritten
    assert (history.loc[0, "note"], history.loc[0, "author"]) == ("Started", "Ann")
    assert (row["rag"], row["percent_complete"], row["status_label"]) == ("amber", 30, "At risk")
    assert row["last_check_in"] == date(2026, 9, 1) and row["check_ins"] == 3
    with read_session(engine) as session:  # the stored copy matches what the check-ins say
        stored = session.get(m.Initiative, initiative)
        assert (stored.status, stored.percent_complete, stored.version) == ("at_risk", 30, 1)
    assert not [name for name in dir(initiatives) if "check_in" in name and name.startswith(("update", "set"))]


def test_the_plans_check_ins_come_in_one_list_and_only_its_own(engine: Engine, plan: int, make_plan) -> None:
    first, second = _add(engine, plan), _add(engine, plan, title="Mentoring")
    _check_in(engine, plan, second, date(2026, 7, 1))
    _check_in(engine, plan, first, date(2026, 8, 1))
    other = make_plan(name="Other", horizon_start=START, horizon_end=END)
    _check_in(engine, other, _add(engine, other), date(2026, 7, 15))

    every = _read(engine, initiatives.check_ins, plan)

    assert list(zip(every["initiative_id"], every["checked_on"], strict=True)) == [
        (second, date(2026, 7, 1)), (first, date(2026, 8, 1))]  # fmt: skip


def test_a_check_in_at_100_percent_marks_the_initiative_done(engine: Engine, plan: int) -> None:
    initiative = _add(engine, plan)
    _check_in(engine, plan, initiative, date(2026, 11, 1), "red", 100)

    assert _row(engine, plan, initiative)["status_label"] == "Done"


@pytest.mark.parametrize(
    ("day", "rag", "percent", "message"),
    [
        (TODAY, "green", 101, "% complete must be from 0 to 100"),
        (TODAY, "green", -1, "% complete must be from 0 to 100"),
        (TODAY, "green", 50.5, "% complete must be a whole number"),
        (TODAY, "purple", 50, "RAG status must be one of"),
        (TODAY + timedelta(days=1), "green", 50, "Check-in date .* is in the future"),
        (None, "green", 50, "Check-in date is required"),
    ],
)
def test_bad_check_ins_are_refused_and_nothing_is_written(
    engine: Engine, plan: int, snapshot: Callable[[], Any], day: date | None, rag: str, percent: Any, message: str
) -> None:
    initiative = _add(engine, plan)
    before = snapshot()

    with pytest.raises(InvalidInput, match=message):
        _check_in(engine, plan, initiative, day, rag, percent)  # type: ignore[arg-type]

    assert snapshot() == before


def test_a_check_in_bumps_the_revision_and_is_audited(engine: Engine, plan: int) -> None:
    initiative = _add(engine, plan)
    with read_session(engine) as session:
        revision = session.get(m.Plan, plan).revision

    check_in = _check_in(engine, plan, initiative, TODAY, "amber", 40)

    with read_session(engine) as session:
        assert session.get(m.Plan, plan).revision == revision + 1
        event = session.execute(select(m.AuditEvent).order_by(m.AuditEvent.id.desc())).scalars().first()
    assert (event.action, event.entity_id, event.after["rag"]) == ("check_in.create", check_in, "amber")


def test_another_plans_initiative_cannot_be_read_or_checked_in(
    engine: Engine, plan: int, make_plan: Callable[..., int]
) -> None:
    other = make_plan(name="Another trust")
    theirs = _add(engine, other)

    with pytest.raises(RecordNotFound):
        _read(engine, initiatives.check_ins, plan, theirs)
    with pytest.raises(RecordNotFound):
        _check_in(engine, plan, theirs, TODAY)
    assert _count(engine, m.CheckIn) == 0


# --- Milestones ------------------------------------------------------------------------------


def test_milestones_are_flagged_overdue_and_done_dates_follow_the_done_tick(engine: Engine, plan: int) -> None:
    initiative = _add(engine, plan)
    late = _milestone(engine, plan, initiative, "Cohort 1 starts", date(2026, 9, 1))
    _milestone(engine, plan, initiative, "Evaluation", date(2027, 3, 1))
    assert _row(engine, plan, initiative)["overdue_milestones"] == 1

    version = _write(engine, lambda s: initiatives.update_milestone(s, owner(), plan, late, 1, today=TODAY, done=True))

    frame = _read(engine, initiatives.milestones, plan, TODAY).set_index("id")
    assert (frame.loc[late, "done"], frame.loc[late, "done_on"], frame.loc[late, "overdue"]) == (True, TODAY, False)
    assert _row(engine, plan, initiative)["overdue_milestones"] == 0
    _write(engine, lambda s: initiatives.update_milestone(s, owner(), plan, late, version, done=False))
    assert _read(engine, initiatives.milestones, plan, TODAY).set_index("id").loc[late, "done_on"] is None


def test_bad_milestones_are_refused_and_a_stale_version_conflicts(
    engine: Engine, plan: int, snapshot: Callable[[], Any]
) -> None:
    initiative = _add(engine, plan)
    milestone = _milestone(engine, plan, initiative, "Kick-off", date(2026, 7, 1))
    _write(engine, lambda s: initiatives.update_milestone(s, owner(), plan, milestone, 1, title="Kick-off event"))
    before = snapshot()

    with pytest.raises(InvalidInput, match="Milestone is required"):
        _milestone(engine, plan, initiative, " ", None)
    later = {"done": True, "done_on": TODAY + timedelta(days=3)}
    with pytest.raises(InvalidInput, match=r"Done on .* is in the future"):
        _write(engine, lambda s: initiatives.update_milestone(s, owner(), plan, milestone, 2, today=TODAY, **later))
    with pytest.raises(Conflict):
        _write(engine, lambda s: initiatives.update_milestone(s, owner(), plan, milestone, 1, title="Stale"))
    with pytest.raises(Conflict):
        _write(engine, lambda s: initiatives.delete_milestone(s, owner(), plan, milestone, 1))

    assert snapshot() == before


# --- Roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PARTICIPANT])
def test_viewers_and_participants_cannot_write_and_nothing_is_written(
    engine: Engine, plan: int, snapshot: Callable[[], Any], role: Role
) -> None:
    initiative = _add(engine, plan)
    milestone = _milestone(engine, plan, initiative, "Kick-off", date(2026, 7, 1))
    reader = Access(role=role, plan_id=plan, actor="reader")
    before = snapshot()

    writes: list[Callable[[Any], Any]] = [
        lambda s: initiatives.add_initiative(s, reader, plan, **COACHING),
        lambda s: initiatives.update_initiative(s, reader, plan, initiative, 1, title="Hijacked"),
        lambda s: initiatives.delete_initiative(s, reader, plan, initiative, 1),
        lambda s: initiatives.set_links(s, reader, plan, initiative, "priority", []),
        lambda s: initiatives.add_check_in(s, reader, plan, initiative, TODAY, "red", 5, today=TODAY),
        lambda s: initiatives.add_milestone(s, reader, plan, initiative, "Sneaky", None),
        lambda s: initiatives.update_milestone(s, reader, plan, milestone, 1, done=True),
        lambda s: initiatives.delete_milestone(s, reader, plan, milestone, 1),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            _write(engine, write)

    assert snapshot() == before


def test_viewers_read_the_portfolio_and_participants_cannot(engine: Engine, plan: int) -> None:
    initiative = _add(engine, plan)

    viewer = _read(engine, initiatives.portfolio, plan, access=Access(role=Role.VIEWER, plan_id=plan))

    assert list(viewer["id"]) == [initiative]
    with pytest.raises(PermissionDenied):
        _read(engine, initiatives.portfolio, plan, access=Access(role=Role.PARTICIPANT, plan_id=plan))


# --- The portfolio on a known plan -----------------------------------------------------------


def test_portfolio_of_a_known_plan(engine: Engine, plan: int) -> None:
    on_track = _add(engine, plan, title="On track", start=date(2026, 6, 1), end=date(2027, 5, 31))
    silent = _add(engine, plan, title="Silent", start=date(2026, 7, 1), end=date(2027, 6, 30), owner="Other")
    future = _add(engine, plan, title="Future", start=date(2027, 4, 1), end=date(2028, 3, 31), budget=0)
    undated = _add(engine, plan, title="Undated", start=None, end=None)
    _check_in(engine, plan, on_track, date(2026, 11, 20), "green", 45)
    _check_in(engine, plan, silent, date(2026, 8, 1), "red", 15)
    _milestone(engine, plan, silent, "Overdue one", date(2026, 10, 1))
    _milestone(engine, plan, silent, "Done one", date(2026, 9, 1), done=True)
    _milestone(engine, plan, future, "Later", date(2027, 6, 1))

    frame = _read(engine, initiatives.portfolio, plan, TODAY)

    assert list(frame.columns) == initiatives.PORTFOLIO_COLUMNS
    got = frame.set_index("title")[["status_label", "rag", "percent_complete", "stale", "milestones",
                                    "overdue_milestones", "last_check_in"]]  # fmt: skip
    assert got.to_dict("index") == {
        "On track": {"status_label": "On track", "rag": "green", "percent_complete": 45, "stale": False,
                     "milestones": 0, "overdue_milestones": 0, "last_check_in": date(2026, 11, 20)},
        "Silent": {"status_label": "Off track", "rag": "red", "percent_complete": 15, "stale": True,
                   "milestones": 2, "overdue_milestones": 1, "last_check_in": date(2026, 8, 1)},
        "Future": {"status_label": "Not started", "rag": None, "percent_complete": 0, "stale": False,
                   "milestones": 1, "overdue_milestones": 0, "last_check_in": None},
        "Undated": {"status_label": "Not started", "rag": None, "percent_complete": 0, "stale": False,
                    "milestones": 0, "overdue_milestones": 0, "last_check_in": None},
    }  # fmt: skip
    assert list(frame["id"]) == [on_track, silent, future, undated]  # in the order they were added
    assert initiatives.filtered(frame, owners=["Other"])["title"].tolist() == ["Silent"]
