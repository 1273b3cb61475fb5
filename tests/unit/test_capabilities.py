"""Capabilities: consensus, gaps and priorities, rating validation, the framework's edits, roles and versions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from planner import capabilities as caps
from planner import models as m
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import Conflict, read_session, write_session
from planner.records import RecordNotFound
from planner.validation import InvalidInput

# --- Pure consensus, gaps, priorities and filters ------------------------------------------------


def _ratings(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Rating rows (capability_id, kind, active, tier_id, assessor, required, current, importance) as rating_table."""
    records = []
    for n, (capability_id, kind, active, tier_id, assessor, required, current, importance) in enumerate(rows):
        records.append(
            {
                "id": n + 1, "version": 1, "capability_id": capability_id, "tier_id": tier_id, "assessor": assessor,
                "required": required, "current": current, "importance": importance, "evidence": "",
                "capability": f"Capability {capability_id}", "kind": kind, "active": active,
                "capability_position": capability_id, "tier": f"Tier {tier_id}", "tier_position": tier_id,
            }
        )  # fmt: skip
    frame = pd.DataFrame(records, columns=caps.TABLE_COLUMNS)
    return frame.astype({"required": float, "current": float, "importance": float})


def _cell(cells: pd.DataFrame, capability_id: int, tier_id: int) -> pd.Series:
    return cells.set_index(["capability_id", "tier_id"]).loc[(capability_id, tier_id)]


def test_consensus_is_the_median_with_spread_and_a_flag_at_two_levels() -> None:
    cells = caps.consensus(_ratings([
        (1, "individual", True, 1, "Ann", 2, 1, 3),
        (1, "individual", True, 1, "Bob", 3, 1, 3),
        (1, "individual", True, 1, "Cat", 4, 2, 1),
        (1, "individual", True, 2, "Ann", 3, 2, 2),
        (1, "individual", True, 2, "Bob", 4, 3, 2),
    ]))  # fmt: skip

    wide = _cell(cells, 1, 1)
    assert (wide["assessors"], wide["required"], wide["current"], wide["importance"]) == (3, 3.0, 1.0, 3.0)
    assert (wide["required_spread"], wide["current_spread"], bool(wide["disagree"])) == (2.0, 1.0, True)
    assert (wide["gap"], wide["priority"]) == (2.0, 6.0)
    narrow = _cell(cells, 1, 2)
    assert (narrow["required"], narrow["current"]) == (3.5, 2.5)  # the float median is kept …
    assert (narrow["required_level"], narrow["current_level"]) == (4, 3)  # … and rounded half up for display
    assert (narrow["required_spread"], bool(narrow["disagree"])) == (1.0, False)


def test_a_two_level_difference_on_the_current_level_alone_flags_the_cell() -> None:
    cells = caps.consensus(_ratings([
        (1, "individual", True, 1, "Ann", 3, 1, 2),
        (1, "individual", True, 1, "Bob", 3, 3, 2),
    ]))  # fmt: skip

    assert bool(_cell(cells, 1, 1)["disagree"])


@pytest.mark.parametrize(("median", "level"), [(0.5, 1), (1.5, 2), (2.5, 3), (3.49, 3), (4.0, 4), (None, None)])
def test_half_up_rounds_halves_upwards(median: float | None, level: int | None) -> None:
    assert caps.half_up(median) == level


def test_negative_gaps_are_kept_but_give_no_priority_and_missing_importance_counts_as_medium() -> None:
    cells = caps.consensus(_ratings([
        (1, "individual", True, 1, "Ann", 1, 3, 3),
        (2, "individual", True, 1, "Ann", 3, 1, None),
    ]))  # fmt: skip

    surplus, short = _cell(cells, 1, 1), _cell(cells, 2, 1)
    assert (surplus["gap"], surplus["priority"]) == (-2.0, 0.0)
    assert (short["gap"], short["priority"]) == (2.0, 2.0 * caps.DEFAULT_IMPORTANCE)


def test_roll_up_sums_priorities_over_tiers_and_sorts_by_priority() -> None:
    cells = caps.consensus(_ratings([
        (1, "individual", True, 1, "Ann", 4, 1, 1),  # gap 3, priority 3 at one tier
        (2, "collective", True, 1, "Ann", 3, 2, 3),  # gap 1, priority 3 …
        (2, "collective", True, 2, "Ann", 3, 1, 3),  # … and gap 2, priority 6 at a second tier
        (3, "individual", True, 1, "Ann", 2, None, 3),  # current not rated: left out of the roll-up
    ]))  # fmt: skip

    gaps = caps.roll_up(cells)

    assert list(gaps["capability_id"]) == [2, 1]
    top = gaps.iloc[0]
    assert (top["tiers"], top["required"], top["current"], top["gap"], top["priority"]) == (2, 3.0, 1.5, 1.5, 9.0)
    assert list(gaps["rank"]) == [1, 2]


def test_roll_up_breaks_priority_ties_by_gap() -> None:
    cells = caps.consensus(_ratings([
        (1, "individual", True, 1, "Ann", 2, 1, 2),  # gap 1 × importance 2 = 2
        (2, "individual", True, 1, "Ann", 3, 1, 1),  # gap 2 × importance 1 = 2
    ]))  # fmt: skip

    assert list(caps.roll_up(cells)["capability_id"]) == [2, 1]


def test_filters_by_tier_kind_and_retired() -> None:
    cells = caps.consensus(_ratings([
        (1, "individual", True, 1, "Ann", 3, 1, 2),
        (1, "individual", True, 2, "Ann", 3, 1, 2),
        (2, "collective", True, 1, "Ann", 3, 1, 2),
        (3, "collective", False, 1, "Ann", 3, 1, 2),
    ]))  # fmt: skip

    assert set(caps.filtered(cells)["capability_id"]) == {1, 2}
    assert set(caps.filtered(cells, include_retired=True)["capability_id"]) == {1, 2, 3}
    assert set(caps.filtered(cells, tier_ids=[2])["capability_id"]) == {1}
    assert set(caps.filtered(cells, kind="collective")["capability_id"]) == {2}
    assert len(caps.filtered(cells, tier_ids=[])) == 3  # no tier chosen: every tier


def test_empty_ratings_give_empty_frames() -> None:
    cells = caps.consensus(_ratings([]))
    assert cells.empty and list(cells.columns) == caps.CELL_COLUMNS
    assert caps.roll_up(cells).empty


@pytest.mark.parametrize(
    ("name", "key"),
    [("Systems leadership", "systems_leadership"), ("  Team-work & trust! ", "team_work_trust"), ("Équipe", "equipe"),
     ("!!!", "capability")],
)  # fmt: skip
def test_key_for_derives_a_stable_key(name: str, key: str) -> None:
    assert caps.key_for(name) == key


# --- Database fixtures ---------------------------------------------------------------------------


def _first(engine: Engine, plan_id: int) -> tuple[int, int]:
    """The plan's first capability id and first (Board) tier id."""
    with read_session(engine) as session:
        capability = caps.list_capabilities(session, owner(), plan_id).iloc[0]["id"]
        return int(capability), next(iter(caps.tiers(session, owner(), plan_id)))


def _rate(engine: Engine, plan_id: int, access: Access | None = None, version: int | None = None, **values: Any):
    capability_id, tier_id = values.pop("cell", None) or _first(engine, plan_id)
    assessor = values.pop("assessor", caps.DEFAULT_ASSESSOR)
    with write_session(engine) as session:
        return caps.set_rating(
            session, access or owner(), plan_id, capability_id, tier_id, assessor, version, **values
        )


def _table(engine: Engine, plan_id: int) -> pd.DataFrame:
    with read_session(engine) as session:
        return caps.rating_table(session, owner(), plan_id)


def _framework(engine: Engine, plan_id: int) -> pd.DataFrame:
    with read_session(engine) as session:
        return caps.list_capabilities(session, owner(), plan_id)


def _revision(engine: Engine, plan_id: int) -> int:
    with read_session(engine) as session:
        return session.get(m.Plan, plan_id).revision  # type: ignore[union-attr]


def _write(engine: Engine, action: Callable[..., Any]) -> Any:
    with write_session(engine) as session:
        return action(session)


# --- Ratings ---------------------------------------------------------------------------------------


def test_set_rating_inserts_then_updates_with_versions_revision_and_audit(engine: Engine, plan_id: int) -> None:
    revision = _revision(engine, plan_id)

    assert _rate(engine, plan_id, required=3, current=1, importance=3, evidence=" 360 feedback ") == 1
    assert _rate(engine, plan_id, version=1, current=2) == 2

    row = _table(engine, plan_id).iloc[0]
    assert (row["required"], row["current"], row["importance"], row["evidence"], row["version"]) == (
        3.0, 2.0, 3.0, "360 feedback", 2
    )  # fmt: skip
    assert _revision(engine, plan_id) == revision + 2
    with read_session(engine) as session:
        query = select(m.AuditEvent.action).where(m.AuditEvent.plan_id == plan_id).order_by(m.AuditEvent.id)
        actions = session.execute(query).scalars().all()  # PostgreSQL has no implicit order
    assert actions[-2:] == ["capability_rating.create", "capability_rating.update"]


def test_each_assessor_keeps_their_own_rating_of_a_cell(engine: Engine, plan_id: int) -> None:
    _rate(engine, plan_id, required=4, current=1)
    _rate(engine, plan_id, assessor="  Board   workshop ", required=2, current=3)

    with read_session(engine) as session:
        assert caps.assessors(session, owner(), plan_id) == ["Board workshop", caps.DEFAULT_ASSESSOR]
        cells = caps.consensus(caps.rating_table(session, owner(), plan_id))
    cell = cells.iloc[0]
    assert (cell["assessors"], cell["required"], cell["current"], bool(cell["disagree"])) == (2, 3.0, 2.0, True)


def test_rating_sheet_has_a_row_per_active_capability_blank_where_not_rated(engine: Engine, plan_id: int) -> None:
    _rate(engine, plan_id, required=3, current=2, importance=1)
    capability_id, tier_id = _first(engine, plan_id)

    with read_session(engine) as session:
        sheet = caps.rating_sheet(session, owner(), plan_id, tier_id, caps.DEFAULT_ASSESSOR)
        other = caps.rating_sheet(session, owner(), plan_id, tier_id, "Someone else")

    assert len(sheet) == len(_framework(engine, plan_id)) == len(other)
    rated = sheet.set_index("capability_id").loc[capability_id]
    assert (rated["required"], rated["current"], rated["importance"], rated["version"]) == (3, 2, 1, 1)
    assert sheet["rating_id"].isna().sum() == len(sheet) - 1
    assert other["rating_id"].isna().all()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"required": 5}, "Required level"),
        ({"required": -1}, "Required level"),
        ({"required": 2.5}, "Required level"),
        ({"required": "high"}, "Required level"),
        ({"current": 7}, "Current level"),
        ({"current": True}, "Current level"),
        ({"importance": 0}, "Importance"),
        ({"importance": 4}, "Importance"),
        ({"evidence": "x" * 2001}, "Evidence"),
        ({"score": 3}, "score"),
    ],
)
def test_out_of_range_ratings_are_refused_with_nothing_written(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], values: dict[str, Any], field: str
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match=field):
        _rate(engine, plan_id, **({"required": 3, "current": 2} | values))

    assert snapshot() == before


def test_a_level_may_be_left_blank_and_whole_floats_are_accepted(engine: Engine, plan_id: int) -> None:
    _rate(engine, plan_id, required=4.0, current=None, importance=float("nan"))

    row = _table(engine, plan_id).iloc[0]
    assert row["required"] == 4.0 and pd.isna(row["current"]) and pd.isna(row["importance"])


def test_a_blank_assessor_is_refused(engine: Engine, plan_id: int) -> None:
    with pytest.raises(InvalidInput, match="Assessor is required"):
        _rate(engine, plan_id, assessor="   ", required=3)


def test_capability_and_tier_must_belong_to_the_plan(
    engine: Engine, plan_id: int, make_plan: Callable[..., int]
) -> None:
    other = make_plan("Other plan")
    their_capability, their_tier = _first(engine, other)
    mine_capability, mine_tier = _first(engine, plan_id)

    with pytest.raises(InvalidInput, match=r"Capability .* is not part of this plan"):
        _rate(engine, plan_id, cell=(their_capability, mine_tier), required=3)
    with pytest.raises(InvalidInput, match=r"Tier .* is not part of this plan"):
        _rate(engine, plan_id, cell=(mine_capability, their_tier), required=3)
    assert _table(engine, plan_id).empty and _table(engine, other).empty


def test_stale_versions_conflict(engine: Engine, plan_id: int) -> None:
    _rate(engine, plan_id, required=3)
    _rate(engine, plan_id, version=1, required=4)

    with pytest.raises(Conflict):
        _rate(engine, plan_id, version=1, required=2)  # someone saved version 2 meanwhile
    with pytest.raises(Conflict):
        _rate(engine, plan_id, version=None, required=2)  # "new" rating, but someone rated the cell meanwhile
    assert _table(engine, plan_id).iloc[0]["required"] == 4.0


def test_saving_a_removed_rating_conflicts(engine: Engine, plan_id: int) -> None:
    _rate(engine, plan_id, required=3)
    rating_id = int(_table(engine, plan_id).iloc[0]["id"])
    _write(engine, lambda s: caps.delete_rating(s, owner(), plan_id, rating_id, 1))
    assert _table(engine, plan_id).empty

    with pytest.raises(Conflict, match="removed"):
        _rate(engine, plan_id, version=1, required=2)


def test_delete_rating_refuses_a_stale_version(engine: Engine, plan_id: int) -> None:
    _rate(engine, plan_id, required=3)
    _rate(engine, plan_id, version=1, required=4)
    rating_id = int(_table(engine, plan_id).iloc[0]["id"])

    with pytest.raises(Conflict):
        _write(engine, lambda s: caps.delete_rating(s, owner(), plan_id, rating_id, 1))
    assert len(_table(engine, plan_id)) == 1


# --- The framework ----------------------------------------------------------------------------------


def test_add_capability_derives_a_key_and_goes_last(engine: Engine, plan_id: int) -> None:
    before = _framework(engine, plan_id)

    name = " Leading  improvement "
    new_id = _write(engine, lambda s: caps.add_capability(s, owner(), plan_id, name, "QI.", "collective"))

    row = _framework(engine, plan_id).set_index("id").loc[new_id]
    assert (row["key"], row["name"], row["kind"], row["source"], bool(row["active"])) == (
        "leading_improvement", "Leading improvement", "collective", "plan", True
    )  # fmt: skip
    assert row["position"] == before["position"].max() + 1


@pytest.mark.parametrize("name", ["Systems leadership", "systems LEADERSHIP", " Systems-leadership "])
def test_add_with_a_duplicate_name_is_refused(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], name: str
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match="already in this plan"):
        _write(engine, lambda s: caps.add_capability(s, owner(), plan_id, name))

    assert snapshot() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"name": "  "}, "Name is required"), ({"name": "New", "kind": "team"}, "Kind must be one of")],
)
def test_add_refuses_bad_fields(engine: Engine, plan_id: int, fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        _write(engine, lambda s: caps.add_capability(s, owner(), plan_id, **fields))


def test_rename_describe_and_change_kind_keep_the_key(engine: Engine, plan_id: int) -> None:
    row = _framework(engine, plan_id).iloc[0]

    version = _write(
        engine,
        lambda s: caps.update_capability(
            s, owner(), plan_id, int(row["id"]), 1, name="Shared purpose", description="Why we are here.",
            kind="collective",
        ),
    )  # fmt: skip

    after = _framework(engine, plan_id).set_index("id").loc[row["id"]]
    assert version == 2
    assert (after["name"], after["description"], after["kind"], after["key"]) == (
        "Shared purpose", "Why we are here.", "collective", row["key"]
    )  # fmt: skip
    # The old name is free again, under a fresh key (the renamed capability kept the old one).
    new_id = _write(engine, lambda s: caps.add_capability(s, owner(), plan_id, row["name"]))
    assert _framework(engine, plan_id).set_index("id").loc[new_id, "key"] == f"{row['key']}_2"


def test_rename_to_another_capabilitys_name_is_refused(engine: Engine, plan_id: int) -> None:
    first, second = _framework(engine, plan_id).iloc[:2].to_dict("records")

    with pytest.raises(InvalidInput, match=second["name"]):
        _write(engine, lambda s: caps.update_capability(s, owner(), plan_id, first["id"], 1, name=second["name"]))
    # Renaming a capability to its own name (different case) is fine.
    _write(engine, lambda s: caps.update_capability(s, owner(), plan_id, first["id"], 1, name=first["name"].upper()))


def test_update_with_a_stale_version_conflicts(engine: Engine, plan_id: int) -> None:
    capability_id = int(_framework(engine, plan_id).iloc[0]["id"])
    _write(engine, lambda s: caps.update_capability(s, owner(), plan_id, capability_id, 1, description="One"))

    with pytest.raises(Conflict):
        _write(engine, lambda s: caps.update_capability(s, owner(), plan_id, capability_id, 1, description="Two"))
    with pytest.raises(Conflict):
        _write(engine, lambda s: caps.retire_capability(s, owner(), plan_id, capability_id, 1))
    assert _framework(engine, plan_id).iloc[0]["description"] == "One"


def test_retiring_keeps_ratings_and_hides_the_capability_from_gaps(engine: Engine, plan_id: int) -> None:
    capability_id, tier_id = _first(engine, plan_id)
    _rate(engine, plan_id, required=4, current=1, importance=3)

    _write(engine, lambda s: caps.retire_capability(s, owner(), plan_id, capability_id, 1))

    with read_session(engine) as session:
        assert caps.capability_gaps(session, owner(), plan_id).empty
        kept = caps.capability_gaps(session, owner(), plan_id, include_retired=True)
        sheet = caps.rating_sheet(session, owner(), plan_id, tier_id, caps.DEFAULT_ASSESSOR)
    assert list(kept["capability_id"]) == [capability_id]
    assert capability_id not in set(sheet["capability_id"])
    assert len(_table(engine, plan_id)) == 1
    with pytest.raises(InvalidInput, match="retired"):
        _rate(engine, plan_id, version=1, required=3)
    with pytest.raises(InvalidInput, match="restore it instead"):
        name = _framework(engine, plan_id).set_index("id").loc[capability_id, "name"]
        _write(engine, lambda s: caps.add_capability(s, owner(), plan_id, name))

    _write(engine, lambda s: caps.restore_capability(s, owner(), plan_id, capability_id, 2))
    with read_session(engine) as session:
        assert list(caps.capability_gaps(session, owner(), plan_id)["capability_id"]) == [capability_id]


def test_capability_gaps_filters_by_tier_and_kind(engine: Engine, plan_id: int) -> None:
    frame = _framework(engine, plan_id)
    individual = int(frame[frame["kind"] == "individual"].iloc[0]["id"])
    collective = int(frame[frame["kind"] == "collective"].iloc[0]["id"])
    with read_session(engine) as session:
        board, executive = list(caps.tiers(session, owner(), plan_id))[:2]
    _rate(engine, plan_id, cell=(individual, board), required=3, current=1)
    _rate(engine, plan_id, cell=(collective, executive), required=4, current=1)

    with read_session(engine) as session:
        def gaps(**filters: Any) -> list[int]:
            return list(caps.capability_gaps(session, owner(), plan_id, **filters)["capability_id"])

        assert gaps() == [collective, individual]
        assert gaps(tier_ids=[board]) == [individual]
        assert gaps(kind="collective") == [collective]
        assert gaps(tier_ids=[board], kind="collective") == []


# --- Roles ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PARTICIPANT])
def test_viewers_and_participants_cannot_write(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], role: Role
) -> None:
    _rate(engine, plan_id, required=3)
    capability_id, _tier = _first(engine, plan_id)
    rating_id = int(_table(engine, plan_id).iloc[0]["id"])
    access = Access(role=role, plan_id=plan_id)
    before = snapshot()
    writes = [
        lambda s: caps.set_rating(s, access, plan_id, capability_id, _tier, "Me", None, required=2),
        lambda s: caps.set_rating(s, access, plan_id, capability_id, _tier, caps.DEFAULT_ASSESSOR, 1, required=2),
        lambda s: caps.delete_rating(s, access, plan_id, rating_id, 1),
        lambda s: caps.add_capability(s, access, plan_id, "New one"),
        lambda s: caps.update_capability(s, access, plan_id, capability_id, 1, name="Renamed"),
        lambda s: caps.retire_capability(s, access, plan_id, capability_id, 1),
        lambda s: caps.restore_capability(s, access, plan_id, capability_id, 1),
    ]

    for action in writes:
        with pytest.raises(PermissionDenied):
            _write(engine, action)

    assert snapshot() == before


def test_a_viewer_can_read_and_a_participant_cannot(engine: Engine, plan_id: int) -> None:
    _rate(engine, plan_id, required=3, current=1)
    viewer, participant = Access(role=Role.VIEWER, plan_id=plan_id), Access(role=Role.PARTICIPANT, plan_id=plan_id)

    with read_session(engine) as session:
        assert len(caps.capability_gaps(session, viewer, plan_id)) == 1
        assert len(caps.list_capabilities(session, viewer, plan_id)) > 0
        with pytest.raises(PermissionDenied):
            caps.rating_table(session, participant, plan_id)


def test_an_editor_of_another_plan_cannot_write_here(
    engine: Engine, plan_id: int, make_plan: Callable[..., int]
) -> None:
    other = make_plan("Other plan")
    capability_id = int(_framework(engine, plan_id).iloc[0]["id"])

    elsewhere = Access(role=Role.EDITOR, plan_id=other)

    with pytest.raises(PermissionDenied):
        _write(engine, lambda s: caps.retire_capability(s, elsewhere, plan_id, capability_id, 1))


def test_retiring_another_plans_capability_is_refused(
    engine: Engine, plan_id: int, make_plan: Callable[..., int]
) -> None:
    other = make_plan("Other plan")
    theirs = int(_framework(engine, other).iloc[0]["id"])

    with pytest.raises(RecordNotFound):
        _write(engine, lambda s: caps.retire_capability(s, owner(), plan_id, theirs, 1))
    assert bool(_framework(engine, other).iloc[0]["active"])
