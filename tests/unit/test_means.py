"""Means to acquire, develop and sustain: library search, adding and editing, validation, coverage and totals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import col

from planner import culture, means, records
from planner import models as m
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import Conflict, read_session, write_session
from planner.framework import read_seed
from planner.validation import InvalidInput

OWN = {
    "mode": "acquire",
    "status": "current",
    "approach": "  Second two matrons to the improvement team  ",
    "description": "Twelve-month secondments.",
    "cost": 45_000,
    "lead_time_months": 3,
    "reach": 2,
    "owner": "Chief Nurse",
    "tier_keys": ["middle", "board"],
}


def _capability(engine: Engine, plan_id: int, key: str) -> int:
    query = select(m.Capability.id).where(m.Capability.plan_id == plan_id, m.Capability.key == key)
    with read_session(engine) as session:
        return session.execute(query).scalar_one()


def _priority(engine: Engine, plan_id: int, title: str, rank: int = 1, capability: str | None = None,
              elements: tuple[str, ...] = ()) -> int:  # fmt: skip
    values = {"title": title, "rank": rank, "element_keys": list(elements)}
    if capability:
        values["capability_id"] = _capability(engine, plan_id, capability)
    with write_session(engine) as session:
        return records.add(session, owner(), m.Priority, plan_id, values)


def _add(engine: Engine, plan_id: int, priority_id: int, access: Access | None = None, **fields: Any) -> int:
    with write_session(engine) as session:
        return means.add_means(session, access or owner(), plan_id, priority_id=priority_id, **(OWN | fields))


def _from_library(engine: Engine, plan_id: int, priority_id: int, key: str, mode: str | None = None,
                  **overrides: Any) -> int:  # fmt: skip
    with write_session(engine) as session:
        return means.add_from_library(session, owner(), plan_id, priority_id, key, mode, **overrides)


def _read(engine: Engine, loader: Callable[..., Any], plan_id: int, access: Access | None = None) -> Any:
    with read_session(engine) as session:
        return loader(session, access or owner(), plan_id)


def _row(engine: Engine, plan_id: int, means_id: int) -> dict[str, Any]:
    frame = _read(engine, means.list_means, plan_id).set_index("id")
    return frame.loc[means_id].to_dict()


def _library(engine: Engine, query: str = "", mode: str | None = None, element: str | None = None) -> list[str]:
    with read_session(engine) as session:
        return list(means.library(session, query, mode, element)["key"])


# --- Library --------------------------------------------------------------------------------------


def test_the_library_holds_every_seeded_intervention(engine: Engine) -> None:
    assert len(_library(engine)) == len(read_seed("interventions.json"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("coaching", ["executive_coaching", "team_coaching"]),  # name and description
        ("SCHWARTZ", ["schwartz_rounds"]),  # any case
        ("non-executive", ["board_development"]),  # audience
        ("board quality", ["board_development", "wres_action_plan", "board_quality_walkrounds"]),  # every word
        ("no such thing", []),
    ],
)
def test_library_search_matches_name_description_and_audience(engine: Engine, query: str, expected: list[str]) -> None:
    assert _library(engine, query) == expected


def test_library_filters_by_mode_and_element(engine: Engine) -> None:
    found = _library(engine, mode="acquire", element="equity")

    assert found == ["talent_management_succession", "inclusive_recruitment_panels", "aspiring_leaders_programme"]
    with read_session(engine) as session:
        sustain = means.library(session, mode="sustain")
    assert len(sustain) > 0 and all("sustain" in modes for modes in sustain["modes"])


# --- Adding ---------------------------------------------------------------------------------------


def test_adding_from_the_library_prefills_from_the_intervention(engine: Engine, plan_id: int) -> None:
    capability = "compassionate_inclusive_leadership"
    priority_id = _priority(engine, plan_id, "Compassionate leadership", capability=capability)

    means_id = _from_library(engine, plan_id, priority_id, "mentoring_scheme", reach=40, tier_keys=["senior"])

    row = _row(engine, plan_id, means_id)
    assert (row["approach"], row["intervention_key"], row["mode"], row["status"]) == (
        "Mentoring scheme", "mentoring_scheme", "develop", "planned"  # the intervention's first mode
    )
    assert (row["cost"], row["lead_time_months"], row["reach"], row["tier_keys"]) == (8000, 12, 40, ["senior"])
    assert row["description"].startswith("Pairs leaders with more experienced mentors")
    assert row["priority_id"] == priority_id
    assert row["capability_id"] == _capability(engine, plan_id, "compassionate_inclusive_leadership")


def test_a_library_means_can_take_another_mode_and_its_own_figures(engine: Engine, plan_id: int) -> None:
    priority_id = _priority(engine, plan_id, "Succession")

    means_id = _from_library(engine, plan_id, priority_id, "mentoring_scheme", "sustain", cost=5000, status="current")

    row = _row(engine, plan_id, means_id)
    assert (row["mode"], row["cost"], row["status"], row["lead_time_months"]) == ("sustain", 5000, "current", 12)


def test_a_hand_written_means_is_stored_as_entered(engine: Engine, plan_id: int) -> None:
    priority_id = _priority(engine, plan_id, "Improvement skills", capability="improvement_skills")

    means_id = _add(engine, plan_id, priority_id)

    row = _row(engine, plan_id, means_id)
    assert row["approach"] == "Second two matrons to the improvement team"
    assert row["tier_keys"] == ["board", "middle"]  # the plan's tier order
    assert (row["mode"], row["status"], row["cost"], row["lead_time_months"], row["reach"], row["owner"]) == (
        "acquire", "current", 45_000, 3, 2, "Chief Nurse"
    )
    assert row["intervention_key"] == "" and row["version"] == 1


def test_means_are_listed_acquire_develop_sustain(engine: Engine, plan_id: int) -> None:
    priority_id = _priority(engine, plan_id, "Talent")
    for mode in ("sustain", "develop", "acquire"):
        _add(engine, plan_id, priority_id, mode=mode, approach=f"Way to {mode}")

    assert list(_read(engine, means.list_means, plan_id)["mode"]) == ["acquire", "develop", "sustain"]


# --- Validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cost": -1}, "Cost (£) cannot be negative"),
        ({"cost": 50_000_001}, "Cost (£) of 50,000,001 is more than the limit"),
        ({"cost": 1.5}, "Cost (£) must be a whole number"),
        ({"cost": "lots"}, "Cost (£) must be a whole number"),
        ({"reach": 1_000_001}, "Leaders reached of 1,000,001 is more than the limit"),
        ({"reach": -3}, "Leaders reached cannot be negative"),
        ({"lead_time_months": 121}, "Lead time (months) of 121 is more than the limit"),
        ({"mode": "borrow"}, "Mode must be one of: Acquire, Develop, Sustain"),
        ({"status": "maybe"}, "Status must be one of: Current, Planned"),
        ({"approach": "   "}, "Approach is required"),
        ({"tier_keys": ["ward"]}, "Tiers: ward are not tiers of this plan"),
        ({"intervention_key": "magic"}, "Intervention: “magic” is not in the library"),
        ({"colour": "blue"}, "no field(s) colour"),
        ({"capability_id": "x"}, "Capability: “x” is not a capability of this plan"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], fields: dict[str, Any], message: str
) -> None:
    priority_id = _priority(engine, plan_id, "Improvement skills")
    before = snapshot()

    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        _add(engine, plan_id, priority_id, **fields)

    assert snapshot() == before


def test_a_priority_or_capability_of_another_plan_is_refused(
    engine: Engine, plan_id: int, make_plan: Callable[..., int], snapshot: Callable[[], Any]
) -> None:
    elsewhere = make_plan("Other plan")
    other, theirs = _priority(engine, elsewhere, "Someone else's"), _capability(engine, elsewhere, "talent_management")
    ours = _priority(engine, plan_id, "Ours")
    before = snapshot()

    with pytest.raises(InvalidInput, match=f"Priority: {other} is not a priority of this plan"):
        _add(engine, plan_id, other)
    with pytest.raises(InvalidInput, match="Priority is required"):
        _add(engine, plan_id, None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=f"Capability {theirs} is not part of this plan"):
        _add(engine, plan_id, ours, capability_id=theirs)

    assert snapshot() == before


def test_the_same_intervention_twice_for_a_priority_and_mode_is_refused(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any]
) -> None:
    first, second = _priority(engine, plan_id, "First"), _priority(engine, plan_id, "Second", rank=2)
    _from_library(engine, plan_id, first, "team_coaching")
    before = snapshot()

    with pytest.raises(InvalidInput, match="already has “Team coaching” as a means to develop"):
        _from_library(engine, plan_id, first, "team_coaching", approach="Coaching for teams")
    assert snapshot() == before

    _from_library(engine, plan_id, first, "team_coaching", "sustain")  # another mode
    _from_library(engine, plan_id, second, "team_coaching")  # another priority
    assert len(_read(engine, means.list_means, plan_id)) == 3


def test_a_hand_written_duplicate_and_an_edit_into_a_duplicate_are_refused(engine: Engine, plan_id: int) -> None:
    priority_id = _priority(engine, plan_id, "Talent")
    _add(engine, plan_id, priority_id)
    other = _add(engine, plan_id, priority_id, approach="Interim director")

    with pytest.raises(InvalidInput, match="already has"):
        _add(engine, plan_id, priority_id, approach="SECOND two matrons to the improvement team")
    with write_session(engine) as session, pytest.raises(InvalidInput, match="already has"):
        means.update_means(session, owner(), plan_id, other, 1, approach="Second two matrons to the improvement team")
    assert _row(engine, plan_id, other)["approach"] == "Interim director"


# --- Editing and removing -----------------------------------------------------------------------


def _events(engine: Engine, plan_id: int) -> list[str]:
    query = select(m.AuditEvent.action).where(m.AuditEvent.plan_id == plan_id, col(m.AuditEvent.entity) == "means")
    with read_session(engine) as session:
        return list(session.execute(query.order_by(col(m.AuditEvent.id))).scalars())


def _revision(engine: Engine, plan_id: int) -> int:
    with read_session(engine) as session:
        return session.get(m.Plan, plan_id).revision  # type: ignore[union-attr]


def test_update_and_delete_are_versioned_audited_and_bump_the_revision(engine: Engine, plan_id: int) -> None:
    priority_id = _priority(engine, plan_id, "Talent")
    means_id = _add(engine, plan_id, priority_id)
    revision = _revision(engine, plan_id)

    with write_session(engine) as session:
        version = means.update_means(session, owner(), plan_id, means_id, 1, cost=60_000.0, tier_keys=["senior"])

    row = _row(engine, plan_id, means_id)
    assert (version, row["version"], row["cost"], row["tier_keys"]) == (2, 2, 60_000, ["senior"])
    assert _revision(engine, plan_id) == revision + 1
    with write_session(engine) as session:
        means.delete_means(session, owner(), plan_id, means_id, 2)
    assert _read(engine, means.list_means, plan_id).empty
    assert _events(engine, plan_id) == ["means.create", "means.update", "means.delete"]


def test_a_stale_version_is_a_conflict(engine: Engine, plan_id: int) -> None:
    means_id = _add(engine, plan_id, _priority(engine, plan_id, "Talent"))
    with write_session(engine) as session:
        means.update_means(session, owner(), plan_id, means_id, 1, reach=10)

    with write_session(engine) as session, pytest.raises(Conflict):
        means.update_means(session, owner(), plan_id, means_id, 1, reach=20)
    with write_session(engine) as session, pytest.raises(Conflict):
        means.delete_means(session, owner(), plan_id, means_id, 1)
    assert _row(engine, plan_id, means_id)["reach"] == 10


def test_a_bad_edit_saves_nothing(engine: Engine, plan_id: int, snapshot: Callable[[], Any]) -> None:
    means_id = _add(engine, plan_id, _priority(engine, plan_id, "Talent"))
    before = snapshot()

    with write_session(engine) as session, pytest.raises(InvalidInput, match="Lead time"):
        means.update_means(session, owner(), plan_id, means_id, 1, approach="New name", lead_time_months=500)

    assert snapshot() == before


# --- Roles ----------------------------------------------------------------------------------------


def test_viewers_read_but_cannot_write(engine: Engine, plan_id: int, snapshot: Callable[[], Any]) -> None:
    priority_id = _priority(engine, plan_id, "Talent")
    means_id = _add(engine, plan_id, priority_id)
    viewer = Access(role=Role.VIEWER, plan_id=plan_id)
    before = snapshot()

    assert len(_read(engine, means.list_means, plan_id, viewer)) == 1
    assert _read(engine, means.totals, plan_id, viewer).means == 1
    assert len(_read(engine, means.coverage, plan_id, viewer).rows) == 1
    with pytest.raises(PermissionDenied):
        _add(engine, plan_id, priority_id, access=viewer, approach="Another")
    with write_session(engine) as session, pytest.raises(PermissionDenied):
        means.update_means(session, viewer, plan_id, means_id, 1, cost=1)
    with write_session(engine) as session, pytest.raises(PermissionDenied):
        means.delete_means(session, viewer, plan_id, means_id, 1)
    assert snapshot() == before


def test_other_plans_links_and_participants_are_refused(
    engine: Engine, plan_id: int, make_plan: Callable[..., int]
) -> None:
    priority_id = _priority(engine, plan_id, "Talent")
    elsewhere = Access(role=Role.EDITOR, plan_id=make_plan("Other"))
    participant = Access(role=Role.PARTICIPANT, plan_id=plan_id)

    with pytest.raises(PermissionDenied):
        _add(engine, plan_id, priority_id, access=elsewhere)
    with pytest.raises(PermissionDenied):
        _read(engine, means.coverage, plan_id, participant)
    assert _add(engine, plan_id, priority_id, access=Access(role=Role.EDITOR, plan_id=plan_id)) > 0


# --- Coverage -------------------------------------------------------------------------------------


def _round(engine: Engine, plan_id: int, name: str, held_on: date, scores: dict[str, int], count: int = 6) -> None:
    """An imported round in which `count` managers gave each element the score shown (others 4)."""
    lines = ["element,group,score,count"]
    lines += [f"{key},manager,{scores.get(key, 4)},{count}" for key in ("vision", "voice", "learning", "teams")]
    with write_session(engine) as session:
        culture.import_tallies(session, owner(), plan_id, name, held_on, "\n".join(lines))


@pytest.fixture
def small_plan(engine: Engine, plan_id: int) -> dict[str, int]:
    """Two priorities, two survey rounds and two means, by hand:

    P1 "Compassionate leadership" (capability, names people) has a current hand-written means M1 and a
    planned QI training means M2 from the library (elements learning, objectives). P2 "Voice" is an
    element priority naming voice, with no means. Teams was weak only in the older round; learning is
    weak (2.0) in the latest; vision is 1.0 in a still later round of 3 responses, too few to count.
    """
    _round(engine, plan_id, "Spring", date(2026, 3, 1), {"teams": 2})
    _round(engine, plan_id, "Autumn", date(2026, 9, 1), {"learning": 2})
    _round(engine, plan_id, "Tiny", date(2026, 11, 1), {"vision": 1}, count=3)
    p1 = _priority(engine, plan_id, "Compassionate leadership", 1, "compassionate_inclusive_leadership", ("people",))
    p2 = _priority(engine, plan_id, "Voice", 2, None, ("voice",))
    m1 = _add(engine, plan_id, p1, mode="develop", approach="Leading with compassion", status="current")
    m2 = _from_library(engine, plan_id, p1, "qi_leadership_training")
    return {"plan": plan_id, "p1": p1, "p2": p2, "m1": m1, "m2": m2}


def test_coverage_rows_are_priorities_then_weak_elements_with_their_best_status(
    engine: Engine, small_plan: dict[str, int]
) -> None:
    rows = _read(engine, means.coverage, small_plan["plan"]).rows

    assert list(rows["label"]) == [
        "Priority 1: Compassionate leadership",
        "Priority 2: Voice",
        "Element: Patient and staff voice",  # named by the element priority P2
        "Element: Learning and quality improvement",  # 2.0 in the latest countable round
    ]
    assert list(rows["status"]) == ["current", "none", "none", "planned"]
    assert list(rows["means"]) == [2, 0, 0, 1]
    assert list(rows["detail"])[:2] == ["Compassionate and inclusive leadership", "Patient and staff voice"]


def test_the_coverage_matrix_marks_each_means_against_each_row(engine: Engine, small_plan: dict[str, int]) -> None:
    found = _read(engine, means.coverage, small_plan["plan"])

    cells = {(c.row, c.means_id): c.status for c in found.matrix.itertuples()}
    p1, voice, learning = "Priority 1: Compassionate leadership", "Element: Patient and staff voice", (
        "Element: Learning and quality improvement"
    )
    m1, m2 = small_plan["m1"], small_plan["m2"]
    assert (cells[(p1, m1)], cells[(p1, m2)]) == ("current", "planned")
    assert (cells[(learning, m1)], cells[(learning, m2)]) == ("none", "planned")
    assert (cells[(voice, m1)], cells[(voice, m2)]) == ("none", "none")
    assert set(found.matrix.loc[found.matrix["uncovered"], "row"]) == {"Priority 2: Voice", voice}
    table = found.table()
    assert list(table.columns) == [
        "Leading with compassion (develop)",
        "Quality improvement leadership training (develop)",
    ]
    assert table.loc[learning].tolist() == ["", "planned"]


def test_uncovered_lists_priorities_and_weak_elements_with_reasons(engine: Engine, small_plan: dict[str, int]) -> None:
    flags = _read(engine, means.uncovered, small_plan["plan"])

    assert list(flags["label"]) == ["Priority 2: Voice", "Element: Patient and staff voice"]
    assert list(flags["kind"]) == ["priority", "element"]
    assert flags["reason"][0] == "No means to acquire, develop or sustain it yet."
    assert "named by the priority “Voice”" in flags["reason"][1]


def test_a_weak_elements_reason_gives_its_latest_score(engine: Engine, small_plan: dict[str, int]) -> None:
    with write_session(engine) as session:
        means.delete_means(session, owner(), small_plan["plan"], small_plan["m2"], 1)

    flags = _read(engine, means.uncovered, small_plan["plan"]).set_index("label")

    reason = flags.loc["Element: Learning and quality improvement", "reason"]
    assert "rated 2.0 of 5 in Autumn (below 3.0)" in reason


def test_uncovered_flags_clear_when_a_means_is_added(engine: Engine, small_plan: dict[str, int]) -> None:
    _from_library(engine, small_plan["plan"], small_plan["p2"], "freedom_to_speak_up")

    assert _read(engine, means.uncovered, small_plan["plan"]).empty
    rows = _read(engine, means.coverage, small_plan["plan"]).rows
    assert set(rows["status"]) == {"current", "planned"} and set(rows["reason"]) == {""}


def test_a_means_covers_every_priority_with_its_capability(engine: Engine, plan_id: int) -> None:
    first = _priority(engine, plan_id, "Talent now", 1, "talent_management")
    _priority(engine, plan_id, "Talent later", 2, "talent_management")

    _add(engine, plan_id, first)

    assert _read(engine, means.uncovered, plan_id).empty


def test_a_plan_without_means_has_a_matrix_row_per_uncovered_row(engine: Engine, plan_id: int) -> None:
    _priority(engine, plan_id, "Talent")

    found = _read(engine, means.coverage, plan_id)

    assert list(found.matrix["row"]) == ["Priority 1: Talent"]
    assert list(found.matrix["status"]) == ["none"] and found.matrix["uncovered"].all()
    assert list(found.table()["Row"]) == ["Priority 1: Talent"]


# --- Totals ---------------------------------------------------------------------------------------


def test_totals_by_mode_and_by_tier_split_several_tiers_evenly(engine: Engine, plan_id: int) -> None:
    priority_id = _priority(engine, plan_id, "Talent")
    _add(engine, plan_id, priority_id, approach="A", cost=900, reach=90, tier_keys=["board", "executive", "senior"])
    _add(engine, plan_id, priority_id, approach="B", mode="develop", status="planned", cost=3000, reach=10,
         tier_keys=["middle"])  # fmt: skip
    _add(engine, plan_id, priority_id, approach="C", mode="develop", status="planned", cost=500, reach=0, tier_keys=[])

    totals = _read(engine, means.totals, plan_id)

    by_mode = totals.by_mode.set_index("mode")
    assert by_mode.loc["acquire", ["means", "current", "planned", "cost", "reach"]].tolist() == [1, 1, 0, 900, 90]
    assert by_mode.loc["develop", ["means", "current", "planned", "cost", "reach"]].tolist() == [2, 0, 2, 3500, 10]
    assert by_mode.loc["sustain", ["means", "cost", "reach"]].tolist() == [0, 0, 0]
    by_tier = totals.by_tier.set_index("tier")
    assert by_tier.loc["Board", ["means", "cost", "reach"]].tolist() == [1, 300, 30]
    assert by_tier.loc["Middle", ["means", "cost", "reach"]].tolist() == [1, 3000, 10]
    assert by_tier.loc["First-line", ["means", "cost", "reach"]].tolist() == [0, 0, 0]
    assert by_tier.loc[means.NO_TIER, ["means", "cost", "reach"]].tolist() == [1, 500, 0]
    assert (totals.means, totals.cost, totals.reach) == (3, 4400, 100)
    assert by_tier["cost"].sum() == pytest.approx(totals.cost) and by_tier["reach"].sum() == pytest.approx(100)


def test_totals_of_a_plan_without_means_are_zero(engine: Engine, plan_id: int) -> None:
    totals = _read(engine, means.totals, plan_id)

    assert list(totals.by_mode["name"]) == ["Acquire", "Develop", "Sustain"]
    assert totals.by_mode["cost"].sum() == 0 and (totals.means, totals.cost, totals.reach) == (0, 0, 0)
    assert list(totals.by_tier["tier"]) == ["Board", "Executive", "Senior", "Middle", "First-line"]
