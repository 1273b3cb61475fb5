"""The board summary: headline figures on a hand-built plan, the assurance checklist, and anonymity."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from planner import capabilities, charts, context, culture, initiatives, means, priorities, summary, workforce
from planner import models as m
from planner.access import Access as AccessType
from planner.access import PermissionDenied, Role
from planner.db import read_session, write_session

TODAY = date(2026, 11, 26)


def _write(engine: Engine, access: AccessType, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with write_session(engine) as session:
        return action(session, access, *args, **kwargs)


def _read(engine: Engine, access: AccessType, action: Callable[..., Any], plan_id: int) -> Any:
    with read_session(engine) as session:
        return action(session, access, plan_id, TODAY)


def _tallies(rows: list[tuple[str, int, int]]) -> str:
    """A tally CSV of (element, score, count) rows, all from the Board group."""
    return "element,group,score,count\n" + "".join(f"{e},board,{s},{c}\n" for e, s, c in rows)


def _round(engine: Engine, access: AccessType, plan_id: int, name: str, held: date, rows: list) -> int:
    return _write(engine, access, culture.import_tallies, plan_id, name, held, _tallies(rows))


def _ids(engine: Engine, plan_id: int) -> tuple[dict[str, int], int]:
    """The plan's capability ids by key and its Board tier's id."""
    with read_session(engine) as session:
        query = select(m.Capability.key, m.Capability.id).where(m.Capability.plan_id == plan_id)
        caps = dict(session.execute(query.order_by(m.Capability.position)).all())
        board = select(m.LeadershipTier.id).where(m.LeadershipTier.plan_id == plan_id, m.LeadershipTier.key == "board")
        return caps, session.execute(board).scalar_one()


# --- Pure helpers ---------------------------------------------------------------------------------


def test_culture_index_is_the_mean_of_the_rated_elements() -> None:
    means_frame = pd.DataFrame({"element_key": ["a", "b", "c"], "mean": [2.0, 4.5, float("nan")]})

    assert summary.culture_index(means_frame) == pytest.approx(3.25)
    assert summary.culture_index(means_frame.iloc[2:]) is None


def test_index_change_compares_the_elements_rated_in_both_rounds() -> None:
    now = pd.DataFrame({"element_key": ["a", "b", "new"], "mean": [3.0, 4.0, 1.0]})
    before = pd.DataFrame({"element_key": ["a", "b"], "mean": [2.0, 2.0]})

    assert summary.index_change(now, before) == pytest.approx(1.5)  # (3 + 4) / 2 − (2 + 2) / 2; "new" left out
    assert summary.index_change(now.iloc[2:], before) is None


def _gap_frame(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["capability", "gap", "priority"])
    return frame.assign(position=range(1, len(rows) + 1))


def test_largest_gaps_take_positive_gaps_largest_first_ties_by_priority() -> None:
    gaps = _gap_frame(
        [("A", 1.0, 3), ("B", 3.2 - 1.9, 1), ("C", 3.4 - 2.1, 5), ("D", 0.0, 0), ("E", -1.0, 0), ("F", 0.5, 1),
         ("G", 2.0, 2), ("H", 0.2, 9)]
    )  # fmt: skip

    top = summary.largest_gaps(gaps)

    assert list(top["capability"]) == ["G", "C", "B", "A", "F"]  # B and C tie at 1.3 (float noise aside)


def test_board_figures_read_the_board_row() -> None:
    frame = pd.DataFrame(
        {"tier_key": ["board", "senior"], "share": [0.25, 0.5], "workforce_share": [0.3, 0.3],
         "difference_pp": [-5.0, 20.0]}
    )  # fmt: skip

    assert summary.board_figures(frame) == (0.25, 0.3, -5.0)
    assert summary.board_figures(frame.iloc[1:]) == (None, None, None)
    assert summary.board_figures(frame.assign(share=float("nan"), difference_pp=float("nan"))) == (None, 0.3, None)


def test_status_counts_list_every_status() -> None:
    portfolio = pd.DataFrame({"status_label": ["On track", "At risk", "On track", "Done"]})

    counts = summary.status_counts(portfolio)

    assert counts == {"On track": 2, "At risk": 1, "Off track": 0, "Not started": 0, "Done": 1}
    assert sum(summary.status_counts(portfolio.iloc[0:0]).values()) == 0


def _roadmap_portfolio(rows: list[tuple[str, int, bool, str | None]]) -> pd.DataFrame:
    """Initiatives as (status, overdue milestones, stale, end), ids from 1, all starting on 1 January 2026."""
    return pd.DataFrame(
        {
            "id": range(1, len(rows) + 1),
            "status": [row[0] for row in rows],
            "overdue_milestones": [row[1] for row in rows],
            "stale": [row[2] for row in rows],
            "start": [date(2026, 1, 1)] * len(rows),
            "end": [date.fromisoformat(row[3]) if row[3] else None for row in rows],
        }
    )


def test_the_board_roadmap_shows_every_dated_initiative_up_to_the_limit() -> None:
    portfolio = _roadmap_portfolio([("planned", 0, False, "2027-01-01"), ("done", 0, False, None)])

    shown, dated = summary.board_roadmap(portfolio, limit=5)

    assert list(shown["id"]) == [1] and dated == 1
    assert summary.board_roadmap(portfolio.iloc[0:0])[1] == 0


def test_the_board_roadmap_keeps_the_initiatives_most_needing_attention_in_portfolio_order() -> None:
    portfolio = _roadmap_portfolio([
        ("done", 0, False, "2026-02-01"),         # 1: done, last
        ("in_progress", 0, False, "2026-03-01"),  # 2: on track, calm, ends soonest of the calm ones
        ("in_progress", 2, False, "2027-06-01"),  # 3: on track with overdue milestones
        ("at_risk", 0, False, "2028-01-01"),      # 4
        ("off_track", 0, False, "2029-01-01"),    # 5: off track comes first whatever its end
        ("in_progress", 0, True, "2028-06-01"),   # 6: on track, no recent check-in
        ("in_progress", 0, False, "2030-01-01"),  # 7: on track, calm, ends last
        ("planned", 0, False, None),              # 8: undated, never on the roadmap
    ])  # fmt: skip

    shown, dated = summary.board_roadmap(portfolio, limit=5)

    assert dated == 7
    assert list(shown["id"]) == [2, 3, 4, 5, 6]
    assert list(summary.board_roadmap(portfolio, limit=2)[0]["id"]) == [4, 5]


@pytest.mark.parametrize(
    ("narrative", "categories", "ok", "words"),
    [
        ("", ["vision"], False, "write the strategic narrative"),
        ("Quality first.", ["strategy"], False, "record the vision"),
        ("  ", [], False, "write the strategic narrative and record the vision"),
        ("Quality first, always.", ["vision", "strategy"], True, "(3 words)"),
    ],
)
def test_vision_check(narrative: str, categories: list[str], ok: bool, words: str) -> None:
    check = summary.vision_check(narrative, categories)

    assert (check.ok, check.status) == (ok, summary.OK if ok else summary.ATTENTION)
    assert words in check.explanation


def _objectives(*rows: dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame([{"tier_id": None, "tier": "", "agreed_by": "Board", "issues": []} | row for row in rows])
    return frame.astype({"tier_id": "Int64"})


def test_objectives_check_names_what_is_missing() -> None:
    flagged = _objectives({"issues": ["Not yet specific: no metric"]}, {"agreed_by": ""}, {})

    assert summary.objectives_check(flagged).explanation == "Of 3 objectives: 1 not yet specific, 1 not yet agreed."
    assert summary.objectives_check(_objectives({}, {})).ok
    assert not summary.objectives_check(_objectives({}).iloc[0:0]).ok


def test_coverage_check_lists_the_open_chains() -> None:
    chains = pd.DataFrame(
        {"kind": ["priority", "priority", "element", "priority", "priority"],
         "item": ["Priority 1: A", "Priority 2: B", "Element: Voice", "Priority 3: C", "Priority 4: D"],
         "status": ["Complete", "No means", "No initiative", "No means", "No means"]}
    )  # fmt: skip

    check = summary.coverage_check(chains)

    assert not check.ok
    assert check.explanation == (
        "4 of 5 not yet covered: Priority 2: B (no means), Element: Voice (no initiative), "
        "Priority 3: C (no means) and 1 more."
    )
    assert summary.coverage_check(chains.assign(status="Complete")).ok
    assert not summary.coverage_check(chains[chains["kind"] == "element"]).ok  # no priorities at all


def test_diversity_and_check_in_checks() -> None:
    assert not summary.diversity_check(_objectives({})).ok
    assert summary.diversity_check(_objectives({}, {"tier_id": 1, "tier": "Board"})).explanation == (
        "1 diversity target set, for Board."
    )
    portfolio = pd.DataFrame({"title": ["Coaching", "Fellowships"], "stale": [False, True]})
    assert "1 initiative under way without a check-in for 30 days: Fellowships." in (
        summary.check_ins_check(portfolio).explanation
    )
    assert summary.check_ins_check(portfolio.assign(stale=False)).ok
    assert not summary.check_ins_check(portfolio.iloc[0:0]).ok


# --- Headline on a hand-built plan ------------------------------------------------------------------


@pytest.fixture
def built_plan(engine: Engine, plan_id: int, owner_access: AccessType) -> dict[str, Any]:
    """Survey rounds, capability ratings, workforce counts, initiatives with check-ins, means and a priority."""
    a = owner_access
    # Culture: round 1 index (3 + 2) / 2 = 2.5; round 2 (4 + 3) / 2 = 3.5; round 3 has only 3 responses.
    _round(engine, a, plan_id, "Spring", date(2026, 3, 1), [("vision", 3, 5), ("objectives", 2, 5)])
    _round(engine, a, plan_id, "Autumn", date(2026, 9, 1), [("vision", 4, 6), ("objectives", 3, 6)])
    _round(engine, a, plan_id, "Small", date(2026, 11, 1), [("vision", 1, 3), ("objectives", 1, 3)])
    caps, board = _ids(engine, plan_id)
    keys = list(caps)
    ratings = [(3, 0, 2), (2, 1, 3), (4, 1, 1), (3, 2, 2), (2, 2, 2), (1, 3, 2)]  # required, current, importance
    for key, (required, current, importance) in zip(keys, ratings, strict=False):
        _write(engine, a, capabilities.set_rating, plan_id, caps[key], board, "Board", None,
               required=required, current=current, importance=importance)  # fmt: skip
    _write(engine, a, workforce.set_counts, plan_id, "board", "ethnicity", {"BME": 2, "White": 6, "Not stated": 2})
    _write(engine, a, workforce.set_counts, plan_id, workforce.WHOLE, "ethnicity", {"BME": 300, "White": 700})
    labels = {}
    for title, rag, budget in (("Coaching", "green", 1000), ("Mentoring", "amber", 2500), ("Panels", "red", 500),
                               ("Fellowships", None, 4000)):  # fmt: skip
        initiative = _write(engine, a, initiatives.add_initiative, plan_id, title=title, budget=budget,
                            start=date(2026, 6, 1), end=date(2027, 6, 30))  # fmt: skip
        if rag:
            _write(engine, a, initiatives.add_check_in, plan_id, initiative, TODAY, rag, 40, today=TODAY)
        labels[title] = initiative
    priority = _write(engine, a, priorities.promote, plan_id, capability_id=caps[keys[0]], title="Coaching culture")
    return {"caps": caps, "keys": keys, "priority": priority}


def test_headline_figures_on_a_hand_built_plan(
    engine: Engine, plan_id: int, owner_access: AccessType, built_plan: dict[str, Any]
) -> None:
    head = _read(engine, owner_access, summary.headline, plan_id)

    assert (head.culture_round, head.previous_round) == ("Autumn", "Spring")  # "Small" has < 5 responses
    assert head.culture_index == pytest.approx(3.5)
    assert head.culture_change == pytest.approx(1.0)
    names = dict(zip(built_plan["caps"].values(), built_plan["caps"], strict=True))
    top = [names[i] for i in head.gaps["capability_id"]]
    keys = built_plan["keys"]
    # gaps 3, 1, 3, 1, 0, −2 with priorities 6, 3, 3, 2: the two 3s by priority, then the two 1s by priority
    assert top == [keys[0], keys[2], keys[1], keys[3]]
    assert (head.board_share, head.workforce_share) == (pytest.approx(0.25), pytest.approx(0.3))  # 2 of 8 known
    assert head.board_difference_pp == pytest.approx(-5.0)
    assert head.statuses == {"On track": 1, "At risk": 1, "Off track": 1, "Not started": 1, "Done": 0}
    assert head.budget == 8000
    assert not head.empty


def test_budget_estimate_and_uncovered_priorities(
    engine: Engine, plan_id: int, owner_access: AccessType, built_plan: dict[str, Any]
) -> None:
    before = _read(engine, owner_access, summary.headline, plan_id)
    assert before.estimate == 0
    assert "Priority 1: Coaching culture" in list(before.uncovered["label"])

    _write(engine, owner_access, means.add_means, plan_id, priority_id=built_plan["priority"], mode="develop",
           approach="Action learning", cost=1200)  # fmt: skip
    after = _read(engine, owner_access, summary.headline, plan_id)

    assert after.estimate == 1200
    assert "Priority 1: Coaching culture" not in list(after.uncovered["label"])
    assert after.has_priorities


def test_a_round_of_fewer_than_five_responses_is_not_shown(
    engine: Engine, plan_id: int, owner_access: AccessType
) -> None:
    _round(engine, owner_access, plan_id, "Pilot", date(2026, 10, 1), [("vision", 5, 4), ("objectives", 5, 4)])

    head = _read(engine, owner_access, summary.headline, plan_id)

    assert head.culture_index is None
    assert head.culture is None and head.culture_round is None and head.culture_change is None


def test_an_empty_plan_is_empty(engine: Engine, plan_id: int, owner_access: AccessType) -> None:
    head = _read(engine, owner_access, summary.headline, plan_id)

    assert head.empty
    assert head.gaps.empty and head.portfolio.empty and head.budget == 0
    assert head.board_share is None
    assert [check.status for check in _read(engine, owner_access, summary.assurance, plan_id)] == [
        summary.ATTENTION
    ] * 5


def test_a_viewer_may_read_the_summary_and_a_participant_may_not(
    engine: Engine, plan_id: int, built_plan: dict[str, Any]
) -> None:
    viewer = AccessType(role=Role.VIEWER, plan_id=plan_id, actor="Board link")
    assert _read(engine, viewer, summary.headline, plan_id).culture_index == pytest.approx(3.5)
    participant = AccessType(role=Role.PARTICIPANT, plan_id=plan_id, actor="Vote link")
    for read in (summary.headline, summary.assurance, summary.board):
        with pytest.raises(PermissionDenied):
            _read(engine, participant, read, plan_id)


def test_the_board_read_is_the_headline_and_the_assurance_together(
    engine: Engine, plan_id: int, built_plan: dict[str, Any], owner_access: AccessType
) -> None:
    head, checks = _read(engine, owner_access, summary.board, plan_id)

    _assert_same(head, _read(engine, owner_access, summary.headline, plan_id))
    assert checks == _read(engine, owner_access, summary.assurance, plan_id)


def _assert_same(mine: Any, theirs: Any) -> None:
    """Equality through dataclasses and lists down to frames, which compare with pandas' own check."""
    if isinstance(mine, pd.DataFrame):
        pd.testing.assert_frame_equal(mine, theirs)
    elif isinstance(mine, pd.Series):
        pd.testing.assert_series_equal(mine, theirs)
    elif dataclasses.is_dataclass(mine):
        for field in dataclasses.fields(mine):
            _assert_same(getattr(mine, field.name), getattr(theirs, field.name))
    elif isinstance(mine, dict):
        assert mine.keys() == theirs.keys()
        for name, value in mine.items():
            _assert_same(value, theirs[name])
    elif isinstance(mine, list | tuple):
        assert type(mine) is type(theirs) and len(mine) == len(theirs)
        for one, other in zip(mine, theirs, strict=True):
            _assert_same(one, other)
    else:
        assert mine == theirs


# --- Assurance as the plan changes -------------------------------------------------------------------


def _statuses(engine: Engine, access: AccessType, plan_id: int) -> dict[str, str]:
    return {check.label: check.status for check in _read(engine, access, summary.assurance, plan_id)}


def test_assurance_checks_turn_ok_as_the_plan_fills_in(engine: Engine, plan_id: int, owner_access: AccessType) -> None:
    a = owner_access
    caps, board = _ids(engine, plan_id)
    assert set(_statuses(engine, a, plan_id).values()) == {summary.ATTENTION}

    version = _read_narrative_version(engine, a, plan_id)
    _write(engine, a, context.save_narrative, plan_id, version, "Outstanding care, led by all of us.")
    assert _statuses(engine, a, plan_id)["Vision and narrative written"] == summary.ATTENTION  # no vision item yet
    _write(engine, a, context.add_item, plan_id, category="vision", title="Outstanding care for Northshire")
    assert _statuses(engine, a, plan_id)["Vision and narrative written"] == summary.OK

    priority = _write(engine, a, priorities.promote, plan_id, capability_id=caps[next(iter(caps))], title="Coaching")
    objective = _write(engine, a, priorities.add_objective, plan_id, title="Leaders coached", metric="Leaders coached",
                       baseline="0", target="40", due=date(2027, 3, 31), priority_id=priority)  # fmt: skip
    assert _statuses(engine, a, plan_id)["Objectives specific and agreed"] == summary.ATTENTION  # not agreed
    _write(engine, a, priorities.agree, plan_id, objective, 1, "Board", date(2026, 11, 20))
    assert _statuses(engine, a, plan_id)["Objectives specific and agreed"] == summary.OK

    assert _statuses(engine, a, plan_id)["Every priority covered by means and initiatives"] == summary.ATTENTION
    means_id = _write(engine, a, means.add_means, plan_id, priority_id=priority, mode="develop", approach="Coaching")
    started = TODAY - timedelta(days=60)
    _write(engine, a, initiatives.add_initiative, plan_id, title="Coaching programme", start=started,
           end=TODAY + timedelta(days=300), means_ids=[means_id])  # fmt: skip
    after = _statuses(engine, a, plan_id)
    assert after["Every priority covered by means and initiatives"] == summary.OK
    assert after["Check-ins recent"] == summary.ATTENTION  # started 60 days ago, never checked in

    initiative = _read(engine, a, initiatives.portfolio, plan_id)["id"].iloc[0]
    _write(engine, a, initiatives.add_check_in, plan_id, int(initiative), TODAY, "green", 10, today=TODAY)
    assert _statuses(engine, a, plan_id)["Check-ins recent"] == summary.OK

    assert _statuses(engine, a, plan_id)["Diversity targets set"] == summary.ATTENTION
    _write(engine, a, priorities.add_objective, plan_id, title="Board BME share 15%", tier_id=board)
    assert _statuses(engine, a, plan_id)["Diversity targets set"] == summary.OK


def _read_narrative_version(engine: Engine, access: AccessType, plan_id: int) -> int:
    with read_session(engine) as session:
        return context.narrative(session, access, plan_id).version


def test_the_largest_gaps_chart_is_titled_for_the_board() -> None:
    gaps = pd.DataFrame(
        {"capability_id": [1, 2], "capability": ["Coaching", "Systems"], "kind": ["individual", "collective"],
         "position": [1, 2], "tiers": [5, 5], "required": [3.0, 3.5], "current": [1.0, 2.5], "gap": [2.0, 1.0],
         "priority": [6.0, 3.0]}
    )  # fmt: skip

    chart = charts.largest_gaps_chart(gaps, capabilities.levels()).to_dict()

    assert chart["title"]["text"] == "The 2 largest capability gaps"
    assert chart["title"]["subtitle"].endswith("largest gap first")
    assert charts.largest_gaps_chart(gaps.iloc[0:0], capabilities.levels()).to_dict()["title"]["text"] == (
        "Capability gaps"
    )
