"""Priorities and objectives: ranking from Discovery, promotion, ranks, specificity, agreement, diversity drafts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine

from planner import capabilities, culture, priorities, workforce
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import Conflict, read_session, write_session
from planner.validation import InvalidInput
from planner.workforce_file import WHOLE

START, END = date(2026, 4, 1), date(2029, 3, 31)


@pytest.fixture
def plan(make_plan: Callable[..., int]) -> int:
    """A framework plan with a three-year horizon."""
    return make_plan(horizon_start=START, horizon_end=END)


def _write(engine: Engine, action: Callable[[Any], Any]) -> Any:
    with write_session(engine) as session:
        return action(session)


def _read(engine: Engine, loader: Callable[..., Any], plan_id: int, *args: Any) -> Any:
    with read_session(engine) as session:
        return loader(session, owner(), plan_id, *args)


def _capability_ids(engine: Engine, plan_id: int) -> dict[str, int]:
    frame = _read(engine, capabilities.list_capabilities, plan_id)
    return dict(zip(frame["key"], frame["id"], strict=True))


def _tier_ids(engine: Engine, plan_id: int) -> dict[str, int]:
    frame = _read(engine, workforce.tiers, plan_id)
    return dict(zip(frame["key"], frame["id"], strict=True))


def _rate(engine: Engine, plan_id: int, ratings: list[tuple[str, str, int, int, int]]) -> None:
    caps, tiers = _capability_ids(engine, plan_id), _tier_ids(engine, plan_id)
    for capability, tier, required, current, importance in ratings:
        _write(
            engine,
            lambda s, c=capability, t=tier, r=required, n=current, i=importance: capabilities.set_rating(
                s, owner(), plan_id, caps[c], tiers[t], "Team", None, required=r, current=n, importance=i
            ),
        )


def _survey(engine: Engine, plan_id: int, held_on: date, scores: dict[str, tuple[int, int]]) -> int:
    """An imported round: for each element, five board answers and five front-line answers at the given scores."""
    lines = ["element,group,score,count"]
    for element, (board, front_line) in scores.items():
        lines += [f"{element},board,{board},5", f"{element},front_line,{front_line},5"]
    csv_text = "\n".join(lines)
    return _write(engine, lambda s: culture.import_tallies(s, owner(), plan_id, "Pulse", held_on, csv_text))


def _promote(engine: Engine, plan_id: int, access: Access | None = None, **fields: Any) -> int:
    return _write(engine, lambda s: priorities.promote(s, access or owner(), plan_id, **fields))


def _objective(engine: Engine, plan_id: int, access: Access | None = None, **fields: Any) -> int:
    values = {"title": "Teams set goals", "metric": "Teams with goals", "baseline": "10%", "target": "90%"}
    values |= {"due": date(2028, 3, 31)}
    return _write(engine, lambda s: priorities.add_objective(s, access or owner(), plan_id, **(values | fields)))


# --- Ranking ---------------------------------------------------------------------------------


def test_capability_gaps_rank_by_priority_score_and_only_shortfalls_count(engine: Engine, plan: int) -> None:
    _rate(
        engine,
        plan,
        [
            ("inspiring_shared_purpose", "board", 4, 1, 3),  # priority 9
            ("leading_with_care", "board", 3, 2, 3),  # 3 …
            ("leading_with_care", "senior", 3, 1, 2),  # … + 4 = 7
            ("evaluating_information", "board", 2, 3, 3),  # a surplus: not a candidate
            ("connecting_our_service", "board", 2, 1, 1),  # priority 1
        ],
    )

    found = _read(engine, priorities.ranked_candidates, plan)

    ids = _capability_ids(engine, plan)
    gaps = found[found["source"] == "capability"]
    assert list(gaps["capability_id"]) == [ids[k] for k in ("inspiring_shared_purpose", "leading_with_care",
                                                            "connecting_our_service")]  # fmt: skip
    assert list(gaps["rank"]) == [1, 2, 3]
    assert list(gaps["score"]) == [9.0, 7.0, 1.0]
    assert gaps.iloc[0]["evidence"] == "gap +3.0 levels over 1 tier(s) · priority 9.0"
    assert list(gaps["suggested_level"]) == [4, 3, 2]
    assert found["element_key"].isna().all(), "no survey yet, so no element candidates"


def test_elements_rank_by_shortfall_plus_perception_gap_from_the_latest_round(engine: Engine, plan: int) -> None:
    _survey(engine, plan, date(2025, 5, 1), {"vision": (1, 1), "learning": (5, 5)})  # older: ignored
    _survey(engine, plan, date(2026, 5, 1), {"vision": (4, 4), "learning": (4, 2), "voice": (2, 2)})

    found = _read(engine, priorities.ranked_candidates, plan)

    elements = found[found["source"] == "element"]
    assert list(elements["element_key"]) == ["learning", "voice", "vision"]
    assert list(elements["score"]) == pytest.approx([4.0, 3.0, 1.0])  # (5 − mean) + |board − front line|
    assert elements.iloc[0]["evidence"] == "mean 3.0 of 5 · board vs front-line gap +2.0"
    assert list(elements["rank"]) == [1, 2, 3]


def test_a_promoted_candidate_is_marked_with_its_priority(engine: Engine, plan: int) -> None:
    _rate(engine, plan, [("inspiring_shared_purpose", "board", 4, 1, 3)])
    _survey(engine, plan, date(2026, 5, 1), {"learning": (4, 2)})
    ids = _capability_ids(engine, plan)
    first = _promote(engine, plan, capability_id=ids["inspiring_shared_purpose"], element_keys=["learning"])
    second = _promote(engine, plan, element_key="learning")

    found = _read(engine, priorities.ranked_candidates, plan).set_index("source")

    assert (found.loc["capability", "priority_id"], found.loc["capability", "priority_rank"]) == (first, 1)
    assert (found.loc["element", "priority_id"], found.loc["element", "priority_rank"]) == (second, 2)
    assert found.loc["element", "served_by"] == [1]


# --- Priorities ------------------------------------------------------------------------------


def test_promote_a_capability_and_an_element(engine: Engine, plan: int) -> None:
    ids = _capability_ids(engine, plan)

    _promote(engine, plan, capability_id=ids["engaging_the_team"], target_level=3, target_date="2028-03-31",
             rationale="  Engagement is low.  ")  # fmt: skip
    _promote(engine, plan, element_key="voice", title="Hear front-line staff")

    ranked = _read(engine, priorities.list_priorities, plan)
    assert list(ranked["rank"]) == [1, 2]
    first, second = ranked.iloc[0], ranked.iloc[1]
    assert (first["title"], first["kind"], first["target_level"], first["target_date"], first["rationale"]) == (
        "Engaging the team", "individual", 3, date(2028, 3, 31), "Engagement is low."
    )  # fmt: skip
    assert (second["title"], second["kind"], list(second["element_keys"])) == ("Hear front-line staff", "element",
                                                                               ["voice"])  # fmt: skip
    assert pd.isna(second["capability_id"])


@pytest.mark.parametrize("subject", [{"capability_id": "engaging_the_team"}, {"element_key": "voice"}])
def test_the_same_capability_or_element_twice_is_refused(
    engine: Engine, plan: int, subject: dict[str, str], snapshot: Callable[[], Any]
) -> None:
    ids = _capability_ids(engine, plan)
    fields = {name: ids[value] if name == "capability_id" else value for name, value in subject.items()}
    _promote(engine, plan, **fields)
    before = snapshot()

    with pytest.raises(InvalidInput, match="is already priority 1"):
        _promote(engine, plan, **fields)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (START - timedelta(days=1), "Target date \\(31 Mar 2026\\) is before the plan's horizon starts"),
        (END + timedelta(days=1), "Target date \\(01 Apr 2029\\) is after the plan's horizon ends"),
        ("next spring", "Target date: “next spring” is not a date"),
    ],
)
def test_a_target_date_outside_the_horizon_is_refused_and_nothing_saved(
    engine: Engine, plan: int, day: Any, message: str, snapshot: Callable[[], Any]
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match=message):
        _promote(engine, plan, element_key="voice", target_date=day)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"element_key": "voice", "target_level": 3}, "Target level applies to capability priorities only"),
        ({"capability_id": "engaging_the_team", "target_level": 5}, "Target level must be one of 1 \\(Essential\\)"),
        ({}, "Choose either a capability or a cultural element"),
        ({"element_key": "nonsense"}, "Cultural element nonsense is not part of this plan"),
    ],
)
def test_bad_priorities_are_refused(
    engine: Engine, plan: int, fields: dict[str, Any], message: str, snapshot: Callable[[], Any]
) -> None:
    ids = _capability_ids(engine, plan)
    if "capability_id" in fields:
        fields = fields | {"capability_id": ids[fields["capability_id"]]}
    before = snapshot()

    with pytest.raises(InvalidInput, match=message):
        _promote(engine, plan, **fields)
    assert snapshot() == before


def test_another_plans_capability_cannot_be_promoted(engine: Engine, plan: int, make_plan: Callable[..., int]) -> None:
    other = make_plan(name="Other")
    stranger = _capability_ids(engine, other)["engaging_the_team"]

    with pytest.raises(InvalidInput, match="is not part of this plan"):
        _promote(engine, plan, capability_id=stranger)


def test_reordering_moves_one_priority_and_renumbers_the_rest(engine: Engine, plan: int) -> None:
    keys = ["vision", "voice", "learning", "teams"]
    ids = [_promote(engine, plan, element_key=key) for key in keys]

    version = _write(engine, lambda s: priorities.set_rank(s, owner(), plan, ids[3], 1, 1))

    ranked = _read(engine, priorities.list_priorities, plan)
    assert list(ranked["id"]) == [ids[3], ids[0], ids[1], ids[2]]
    assert list(ranked["rank"]) == [1, 2, 3, 4]
    assert version == 2
    with pytest.raises(InvalidInput, match="Rank must be a whole number from 1 to 4"):
        _write(engine, lambda s: priorities.set_rank(s, owner(), plan, ids[0], 2, 9))


def test_removing_a_priority_closes_the_ranks_and_keeps_its_objectives(engine: Engine, plan: int) -> None:
    first, second = _promote(engine, plan, element_key="vision"), _promote(engine, plan, element_key="voice")
    objective = _objective(engine, plan, priority_id=first)

    _write(engine, lambda s: priorities.remove_priority(s, owner(), plan, first, 1))

    ranked = _read(engine, priorities.list_priorities, plan)
    assert (list(ranked["id"]), list(ranked["rank"])) == ([second], [1])
    kept = _read(engine, priorities.list_objectives, plan).set_index("id").loc[objective]
    assert pd.isna(kept["priority_id"])


def test_editing_a_priority_with_a_stale_version_is_a_conflict(engine: Engine, plan: int) -> None:
    priority = _promote(engine, plan, element_key="vision")
    _write(engine, lambda s: priorities.update_priority(s, owner(), plan, priority, 1, rationale="First"))

    with pytest.raises(Conflict):
        _write(engine, lambda s: priorities.update_priority(s, owner(), plan, priority, 1, rationale="Second"))
    with pytest.raises(Conflict):
        _write(engine, lambda s: priorities.set_rank(s, owner(), plan, priority, 1, 1))
    assert _read(engine, priorities.list_priorities, plan).iloc[0]["rationale"] == "First"


# --- Objectives ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("objective", "issues"),
    [
        ({"metric": "Share", "baseline": "10%", "target": "20%", "due": date(2027, 1, 1)}, []),
        ({"metric": "", "baseline": "10%", "target": "20%", "due": date(2027, 1, 1)}, ["Not yet specific: no metric"]),
        ({"metric": " ", "baseline": None, "target": "20%", "due": None},
         ["Not yet specific: no metric, baseline or due date"]),
        ({"metric": "Share", "baseline": "", "target": "", "due": "2027-01-01"},
         ["Not yet specific: no baseline or target"]),
        ({"metric": "Share", "baseline": "10 %", "target": "10 %", "due": date(2027, 1, 1)},
         ["Not stretching: the target equals the baseline"]),
        ({"metric": "Share", "baseline": " Good  rating", "target": "good rating ", "due": date(2027, 1, 1)},
         ["Not stretching: the target equals the baseline"]),
        ({"metric": "", "baseline": "3", "target": "3", "due": float("nan")},
         ["Not yet specific: no metric or due date", "Not stretching: the target equals the baseline"]),
    ],
)  # fmt: skip
def test_specificity_and_stretch(objective: dict[str, Any], issues: list[str]) -> None:
    assert priorities.specificity_issues(objective) == issues


def test_objectives_are_listed_with_their_issues_and_inherit_from_their_priority(engine: Engine, plan: int) -> None:
    ids = _capability_ids(engine, plan)
    priority = _promote(engine, plan, capability_id=ids["engaging_the_team"], element_keys=["people", "voice"])

    made = _objective(engine, plan, priority_id=priority, metric="", level="team", owner="  Ward manager ")

    row = _read(engine, priorities.list_objectives, plan).iloc[0]
    assert (row["id"], row["level"], row["owner"], row["position"]) == (made, "team", "Ward manager", 1)
    assert (row["capability_id"], list(row["element_keys"]), row["priority"]) == (
        ids["engaging_the_team"], ["people", "voice"], "Engaging the team"
    )  # fmt: skip
    assert row["issues"] == ["Not yet specific: no metric"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"due": START - timedelta(days=1)}, "Due date \\(31 Mar 2026\\) is before the plan's horizon starts"),
        ({"level": "ward"}, "Level must be one of: Board, Organisation, Directorate or division, Team, Individual"),
        ({"status": "done"}, "Status must be one of"),
        ({"title": "  "}, "Title is required"),
        ({"element_keys": ["nonsense"]}, "Cultural element\\(s\\) nonsense are not part of this plan"),
        ({"priority_id": 99999}, "Priority 99999 is not part of this plan"),
        ({"colour": "red"}, "Objectives have no field\\(s\\) colour"),
    ],
)
def test_bad_objectives_are_refused_and_nothing_saved(
    engine: Engine, plan: int, fields: dict[str, Any], message: str, snapshot: Callable[[], Any]
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match=message):
        _objective(engine, plan, **fields)
    assert snapshot() == before


def test_update_and_remove_an_objective(engine: Engine, plan: int) -> None:
    made = _objective(engine, plan)

    version = _write(engine, lambda s: priorities.update_objective(s, owner(), plan, made, 1, target="10%"))

    row = _read(engine, priorities.list_objectives, plan).iloc[0]
    assert (version, row["target"], row["issues"]) == (2, "10%", ["Not stretching: the target equals the baseline"])
    with pytest.raises(Conflict):
        _write(engine, lambda s: priorities.update_objective(s, owner(), plan, made, 1, target="50%"))
    _write(engine, lambda s: priorities.remove_objective(s, owner(), plan, made, 2))
    assert _read(engine, priorities.list_objectives, plan).empty


def test_agreement_is_recorded_and_withdrawn(engine: Engine, plan: int) -> None:
    made = _objective(engine, plan)

    _write(engine, lambda s: priorities.agree(s, owner(), plan, made, 1, " Board ", date(2026, 6, 25)))
    row = _read(engine, priorities.list_objectives, plan).iloc[0]
    assert (row["agreed_by"], row["agreed_on"]) == ("Board", date(2026, 6, 25))

    _write(engine, lambda s: priorities.withdraw_agreement(s, owner(), plan, made, 2))
    row = _read(engine, priorities.list_objectives, plan).iloc[0]
    assert (row["agreed_by"], row["agreed_on"]) == ("", None)

    _write(engine, lambda s: priorities.agree(s, owner(), plan, made, 3, "People Committee"))
    assert _read(engine, priorities.list_objectives, plan).iloc[0]["agreed_on"] == date.today()


@pytest.mark.parametrize(
    ("by", "on", "message"),
    [("", None, "Agreed by is required"), ("Board", date.today() + timedelta(days=1), "is in the future")],
)
def test_agreement_needs_a_name_and_a_past_date(
    engine: Engine, plan: int, by: str, on: date | None, message: str, snapshot: Callable[[], Any]
) -> None:
    made = _objective(engine, plan)
    before = snapshot()

    with pytest.raises(InvalidInput, match=message):
        _write(engine, lambda s: priorities.agree(s, owner(), plan, made, 1, by, on))
    assert snapshot() == before


def test_issue_counts(engine: Engine, plan: int) -> None:
    _objective(engine, plan, metric="")
    _objective(engine, plan, target="10%")
    agreed = _objective(engine, plan)
    _write(engine, lambda s: priorities.agree(s, owner(), plan, agreed, 1, "Board"))

    counts = priorities.issue_counts(_read(engine, priorities.list_objectives, plan))

    assert counts == {"Not yet specific": 1, "Not stretching": 1, "Agreed": 1}


# --- Diversity targets -----------------------------------------------------------------------


def test_diversity_draft_is_prefilled_from_the_workforce_counts(engine: Engine, plan: int) -> None:
    counts = {
        "senior": {"BME": 10, "White": 72, "Not stated": 5},
        WHOLE: {"BME": 1000, "White": 2700, "Not stated": 300},
    }
    for tier, values in counts.items():
        _write(engine, lambda s, t=tier, v=values: workforce.set_counts(s, owner(), plan, t, "ethnicity", v))

    draft = _read(engine, priorities.diversity_target_draft, plan, "senior")

    assert draft.metric == "BME share of Senior leaders (WRES indicator 1)"
    assert draft.baseline == "12.2% (10 of 82 with ethnicity known)"
    assert draft.target == "27%"  # 1000 of 3700 = 27.03%
    assert (draft.due, draft.level, draft.element_keys) == (END, "organisation", ("equity",))
    assert draft.title == "Raise the BME share of Senior leaders from 12.2% to 27% by March 2029"
    assert draft.tier_id == _tier_ids(engine, plan)["senior"]


def test_a_diversity_draft_becomes_a_diversity_target(engine: Engine, plan: int) -> None:
    _write(engine, lambda s: workforce.set_counts(s, owner(), plan, "board", "ethnicity", {"BME": 4, "White": 6}))
    _write(engine, lambda s: workforce.set_counts(s, owner(), plan, WHOLE, "ethnicity", {"BME": 20, "White": 80}))
    draft = _read(engine, priorities.diversity_target_draft, plan, "board")
    assert (draft.target, draft.metric) == ("at least 20%", "BME share of Board members (WRES indicator 9)")

    fields = {name: getattr(draft, name) for name in ("title", "metric", "baseline", "target", "due", "level")}
    _objective(engine, plan, **fields, tier_id=draft.tier_id, element_keys=list(draft.element_keys))
    _objective(engine, plan, title="Not a diversity target")

    frame = _read(engine, priorities.list_objectives, plan)
    targets, others = priorities.diversity_targets(frame), priorities.other_objectives(frame)
    assert (list(targets["tier"]), list(targets["issues"])) == (["Board"], [[]])
    assert list(others["title"]) == ["Not a diversity target"]


def test_a_diversity_draft_without_figures_leaves_baseline_and_target_blank(engine: Engine, plan: int) -> None:
    draft = _read(engine, priorities.diversity_target_draft, plan, "middle")

    assert (draft.baseline, draft.target) == ("", "")
    assert "no whole-workforce figures" in draft.note
    with pytest.raises(InvalidInput, match="Tier nonsense is not part of this plan"):
        _read(engine, priorities.diversity_target_draft, plan, "nonsense")


# --- Roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PARTICIPANT])
def test_viewers_and_participants_cannot_write(
    engine: Engine, plan: int, role: Role, snapshot: Callable[[], Any]
) -> None:
    priority = _promote(engine, plan, element_key="vision")
    objective = _objective(engine, plan)
    access = Access(role=role, plan_id=plan)
    before = snapshot()
    writes = [
        lambda s: priorities.promote(s, access, plan, element_key="voice"),
        lambda s: priorities.update_priority(s, access, plan, priority, 1, rationale="x"),
        lambda s: priorities.set_rank(s, access, plan, priority, 1, 1),
        lambda s: priorities.remove_priority(s, access, plan, priority, 1),
        lambda s: priorities.add_objective(s, access, plan, title="x"),
        lambda s: priorities.update_objective(s, access, plan, objective, 1, title="x"),
        lambda s: priorities.remove_objective(s, access, plan, objective, 1),
        lambda s: priorities.agree(s, access, plan, objective, 1, "Board"),
        lambda s: priorities.withdraw_agreement(s, access, plan, objective, 1),
    ]

    for action in writes:
        with pytest.raises(PermissionDenied):
            _write(engine, action)
    assert snapshot() == before


def test_viewers_read_and_participants_do_not(engine: Engine, plan: int) -> None:
    _promote(engine, plan, element_key="vision")
    viewer, participant = Access(role=Role.VIEWER, plan_id=plan), Access(role=Role.PARTICIPANT, plan_id=plan)

    with read_session(engine) as session:
        assert len(priorities.list_priorities(session, viewer, plan)) == 1
        assert priorities.ranked_candidates(session, viewer, plan).empty
        for loader in (priorities.list_priorities, priorities.list_objectives, priorities.ranked_candidates):
            with pytest.raises(PermissionDenied):
                loader(session, participant, plan)
