"""The leadership workforce: headcounts, staff mix, WRES figures, replacing and editing counts, bands, qualities.

The worked example (hand-computed figures are in each test):
  Board        ethnicity White 8, BME 2, Not stated 2 · gender Female 5, Male 7 · staff group 3 / 3 / 6
  Executive    ethnicity White 9, BME 1 · gender Female 4, Male 5
  Middle       ethnicity White 30, BME 10 · staff group 10 / 20 / 10
  First-line   ethnicity White 60, BME 40
  Senior       nothing
  Whole        ethnicity White 700, BME 250, Not stated 50 · staff group 100 / 600 / 300
(staff group = Medical and dental / Other clinical / Non-clinical)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from planner import models as m
from planner import workforce
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import Conflict, read_session, write_session
from planner.validation import InvalidInput
from planner.workforce import LOCAL, WHOLE

STAFF = ("Medical and dental", "Other clinical", "Non-clinical")
EXAMPLE = [
    ("board", "ethnicity", "White", 8), ("board", "ethnicity", "BME", 2), ("board", "ethnicity", "Not stated", 2),
    ("board", "gender", "Female", 5), ("board", "gender", "Male", 7),
    *[("board", "staff_group", group, n) for group, n in zip(STAFF, (3, 3, 6), strict=True)],
    ("executive", "ethnicity", "White", 9), ("executive", "ethnicity", "BME", 1),
    ("executive", "gender", "Female", 4), ("executive", "gender", "Male", 5),
    ("middle", "ethnicity", "White", 30), ("middle", "ethnicity", "BME", 10),
    *[("middle", "staff_group", group, n) for group, n in zip(STAFF, (10, 20, 10), strict=True)],
    ("first_line", "ethnicity", "White", 60), ("first_line", "ethnicity", "BME", 40),
    (WHOLE, "ethnicity", "White", 700), (WHOLE, "ethnicity", "BME", 250), (WHOLE, "ethnicity", "Not stated", 50),
    *[(WHOLE, "staff_group", group, n) for group, n in zip(STAFF, (100, 600, 300), strict=True)],
]  # fmt: skip


def _frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["tier_key", "dimension", "category", "count"])


def _write(engine: Engine, action: Callable[[Any], Any]) -> Any:
    with write_session(engine) as session:
        return action(session)


def _read(engine: Engine, reader: Callable[..., Any], plan_id: int, *args: Any) -> Any:
    with read_session(engine) as session:
        return reader(session, owner(), plan_id, *args)


def _replace(engine: Engine, plan_id: int, rows: list[tuple[Any, ...]], access: Access | None = None) -> int:
    return _write(engine, lambda s: workforce.replace_workforce(s, access or owner(), plan_id, _frame(rows), "hr.csv"))


@pytest.fixture
def example(engine: Engine, plan_id: int) -> int:
    """A plan holding the worked example."""
    _replace(engine, plan_id, EXAMPLE)
    return plan_id


def _events(engine: Engine, plan_id: int, action: str) -> list[m.AuditEvent]:
    query = select(m.AuditEvent).where(m.AuditEvent.plan_id == plan_id, m.AuditEvent.action == action)
    with read_session(engine) as session:
        return list(session.scalars(query.order_by(m.AuditEvent.id)))


def _revision(engine: Engine, plan_id: int) -> int:
    with read_session(engine) as session:
        return session.execute(select(m.Plan.revision).where(m.Plan.id == plan_id)).scalar_one()


# --- Reading --------------------------------------------------------------------------------


def test_headcounts_take_the_largest_dimension_total(engine: Engine, example: int) -> None:
    heads = _read(engine, workforce.headcounts, example)

    # Executive: gender sums to 9 but ethnicity to 10, so 10 leaders; Senior has no rows, so 0.
    assert dict(zip(heads.by_tier["tier_key"], heads.by_tier["leaders"], strict=True)) == {
        "board": 12, "executive": 10, "senior": 0, "middle": 40, "first_line": 100,
    }  # fmt: skip
    assert list(heads.by_tier["tier"]) == ["Board", "Executive", "Senior", "Middle", "First-line"]
    assert (heads.leaders, heads.workforce) == (162, 1000)


def test_staff_mix_gives_each_groups_share_per_tier_and_for_the_workforce(engine: Engine, example: int) -> None:
    mix = _read(engine, workforce.staff_mix, example).set_index("tier_key")

    assert list(mix.index) == ["board", "middle", WHOLE]  # only tiers with staff-group counts, in tier order
    assert mix.loc["board", list(STAFF)].tolist() == [0.25, 0.25, 0.5]  # 3, 3, 6 of 12
    assert mix.loc["middle", list(STAFF)].tolist() == [0.25, 0.5, 0.25]  # 10, 20, 10 of 40
    assert mix.loc[WHOLE, list(STAFF)].tolist() == pytest.approx([0.1, 0.6, 0.3])
    assert mix.loc[WHOLE, "headcount"] == 1000


def test_wres_figures_of_the_worked_example(engine: Engine, example: int) -> None:
    table = _read(engine, workforce.representation, example).set_index("tier_key")

    # Workforce: 250 BME of 950 with ethnicity known = 26.3158%; of all 1,000 = 25%.
    workforce_share = 250 / 950
    assert table["workforce_share"].iloc[0] == pytest.approx(workforce_share)
    assert table["workforce_share_all"].iloc[0] == pytest.approx(0.25)
    board = table.loc["board"]
    # Board: 2 BME of 10 known = 20% (2 of all 12 = 16.7%); 20 − 26.3158 = −6.3158 pp (WRES indicator 9);
    # relative representation 0.20 / 0.263158 = 0.76.
    assert (board["count"], board["known"], board["total"]) == (2, 10, 12)
    assert board["share"] == pytest.approx(0.2)
    assert board["share_all"] == pytest.approx(2 / 12)
    assert board["difference_pp"] == pytest.approx(-6.3158, abs=1e-4)
    assert board["relative"] == pytest.approx(0.76)
    # First-line: 40 of 100 = 40%: +13.6842 pp, relative 1.52.
    assert table.loc["first_line", "difference_pp"] == pytest.approx(13.6842, abs=1e-4)
    assert table.loc["first_line", "relative"] == pytest.approx(1.52)
    # Senior has no counts: its figures are missing, not zero.
    assert table.loc["senior", "count"] == 0 and math.isnan(table.loc["senior", "share"])
    assert table["local_share"].isna().all()


def test_local_population_share_is_reported_beside_the_workforce(engine: Engine, example: int) -> None:
    _write(engine, lambda s: workforce.set_counts(s, owner(), example, LOCAL, "ethnicity", {"BME": 30, "White": 70}))

    table = _read(engine, workforce.representation, example)

    assert table["local_share"].tolist() == pytest.approx([0.3] * 5)


def test_relative_representation_is_missing_when_the_workforce_has_none_of_the_category(
    engine: Engine, plan_id: int
) -> None:
    _replace(engine, plan_id, [("board", "ethnicity", "BME", 1), ("board", "ethnicity", "White", 3),
                               (WHOLE, "ethnicity", "White", 100)])  # fmt: skip

    board = _read(engine, workforce.representation, plan_id).iloc[0]

    assert board["workforce_share"] == 0
    assert math.isnan(board["relative"])
    assert board["difference_pp"] == pytest.approx(25.0)


def test_representation_of_another_dimension_and_category(engine: Engine, example: int) -> None:
    table = _read(engine, workforce.representation, example, "gender", "Female").set_index("tier_key")

    assert table.loc["board", "share"] == pytest.approx(5 / 12)
    assert table.loc["executive", "share"] == pytest.approx(4 / 9)
    assert math.isnan(table.loc["board", "workforce_share"])  # no whole-workforce gender counts
    assert set(table["category"]) == {"Female"}


def test_counts_put_the_whole_workforce_after_the_tiers_and_the_local_population_last(
    engine: Engine, example: int
) -> None:
    _write(engine, lambda s: workforce.set_counts(s, owner(), example, LOCAL, "ethnicity", {"BME": 3, "White": 7}))

    frame = _read(engine, workforce.counts, example)

    order = list(dict.fromkeys(zip(frame["tier_key"], frame["kind"], frame["position"], strict=True)))
    assert order == [("board", "tier", 1), ("executive", "tier", 2), ("middle", "tier", 4), ("first_line", "tier", 5),
                     (WHOLE, "whole", 6), (LOCAL, "local", 7)]  # fmt: skip
    board_ethnicity = frame[(frame["tier_key"] == "board") & (frame["dimension"] == "ethnicity")]
    assert list(board_ethnicity["category"]) == ["BME", "White", "Not stated"]
    assert frame["count"].sum() == sum(row[3] for row in EXAMPLE) + 10


def test_category_order_sorts_age_bands_by_age_and_puts_unstated_values_last() -> None:
    bands = ["55 and over", "Not stated", "25-34", "Under 25", "35-44"]

    assert workforce.category_order("age_band", bands) == ["Under 25", "25-34", "35-44", "55 and over", "Not stated"]
    assert workforce.category_order("gender", ["Male", "Unknown", "Female"]) == ["Female", "Male", "Unknown"]
    assert workforce.default_category("ethnicity", ["White", "BME"]) == "BME"
    assert workforce.default_category("age_band", bands) == "Under 25"


# --- Replacing --------------------------------------------------------------------------------


def test_replace_stores_only_counts_bumps_the_revision_once_and_records_one_summary(
    engine: Engine, plan_id: int
) -> None:
    revision = _revision(engine, plan_id)

    stored = _replace(engine, plan_id, [*EXAMPLE, ("senior", "gender", "Female", 0)])

    assert stored == len(EXAMPLE)  # the zero count is not stored
    assert _revision(engine, plan_id) == revision + 1
    [event] = _events(engine, plan_id, "workforce.replace")
    assert event.after == {
        "source": "hr.csv",
        "rows": len(EXAMPLE),
        "headcounts": {"Board": 12, "Executive": 10, "Middle": 40, "First-line": 100, "Whole workforce": 1000},
    }
    assert event.before == {"headcounts": {}}


def test_replace_swaps_out_the_previous_counts_entirely(engine: Engine, example: int) -> None:
    _replace(engine, example, [("senior", "gender", "Male", 4), (WHOLE, "gender", "Male", 40)])

    frame = _read(engine, workforce.counts, example)

    assert sorted(zip(frame["tier_key"], frame["category"], frame["count"], strict=True)) == [
        ("senior", "Male", 4), (WHOLE, "Male", 40),
    ]  # fmt: skip
    [_, second] = _events(engine, example, "workforce.replace")
    assert second.before["headcounts"]["Whole workforce"] == 1000


def test_replace_keeps_the_local_population(engine: Engine, example: int) -> None:
    _write(engine, lambda s: workforce.set_counts(s, owner(), example, LOCAL, "ethnicity", {"BME": 3, "White": 7}))

    _replace(engine, example, [("board", "gender", "Female", 1)])

    local = _read(engine, workforce.dimension_counts, example, LOCAL, "ethnicity")
    assert dict(zip(local["category"], local["count"], strict=True)) == {"BME": 3, "White": 7}


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (("trustees", "gender", "Female", 1), "Row 3: tier 'trustees'"),
        (("board", "religion", "None", 1), "Row 3: dimension 'religion'"),
        (("board", "gender", "Other", -1), "Row 3: the count must be a whole number"),
        (("board", "gender", "Other", 2.5), "Row 3: the count must be a whole number"),
        (("board", "gender", "Other", "many"), "Row 3: the count must be a whole number"),
        (("board", "gender", "  ", 1), "Row 3: category is required"),
        (("board", "gender", "female", 1), "Row 3: board / gender / “female” appears twice"),
    ],
)
def test_a_bad_row_refuses_the_whole_replacement_and_changes_nothing(
    engine: Engine, example: int, snapshot: Callable[[], Any], bad_row: tuple[Any, ...], message: str
) -> None:
    before = snapshot()
    rows = [("board", "gender", "Female", 3), ("board", "gender", "Male", 4), bad_row]

    with pytest.raises(InvalidInput, match=message):
        _replace(engine, example, rows)

    assert snapshot() == before


def test_replace_refuses_a_frame_without_the_count_columns(engine: Engine, plan_id: int) -> None:
    frame = pd.DataFrame({"tier_key": ["board"], "dimension": ["gender"]})

    with pytest.raises(InvalidInput, match="category, count"):
        _write(engine, lambda s: workforce.replace_workforce(s, owner(), plan_id, frame, "x.csv"))


# --- Editing counts ---------------------------------------------------------------------------


def test_set_counts_adds_changes_and_removes_categories_with_versions(engine: Engine, example: int) -> None:
    cell = _read(engine, workforce.dimension_counts, example, "board", "gender")
    seen = dict(zip(cell["category"], cell["version"], strict=True))
    revision = _revision(engine, example)

    changed = _write(
        engine,
        lambda s: workforce.set_counts(
            s, owner(), example, "board", "gender", {"Female": 6, "Male": 0, "Other": 1}, seen
        ),
    )

    after = _read(engine, workforce.dimension_counts, example, "board", "gender")
    assert changed == 3
    assert list(zip(after["category"], after["count"], after["version"], strict=True)) == [
        ("Female", 6, 2), ("Other", 1, 1),
    ]  # fmt: skip
    assert _revision(engine, example) == revision + 1
    [event] = _events(engine, example, "workforce.set_counts")
    assert event.before["counts"] == {"Female": 5, "Male": 7}
    assert event.after == {"tier": "board", "dimension": "gender", "counts": {"Female": 6, "Other": 1}}


def test_set_counts_with_nothing_changed_writes_nothing(engine: Engine, example: int) -> None:
    revision = _revision(engine, example)

    changed = _write(
        engine, lambda s: workforce.set_counts(s, owner(), example, "board", "gender", {"Female": 5, "Male": 7})
    )

    assert changed == 0 and _revision(engine, example) == revision
    assert _events(engine, example, "workforce.set_counts") == []


@pytest.mark.parametrize(
    ("seen", "message"),
    [
        ({"Female": 1, "Male": 0}, "changed the count of “Male”"),
        ({"Female": 1}, "added the category “Male”"),
        ({"Female": 1, "Male": 1, "Other": 1}, "removed the category “Other”"),
    ],
)
def test_set_counts_refuses_stale_versions_and_writes_nothing(
    engine: Engine, example: int, snapshot: Callable[[], Any], seen: dict[str, int], message: str
) -> None:
    before = snapshot()

    with pytest.raises(Conflict, match=message):
        _write(engine, lambda s: workforce.set_counts(s, owner(), example, "board", "gender", {"Female": 9}, seen))

    assert snapshot() == before


def test_a_second_editor_with_the_same_versions_gets_a_conflict(engine: Engine, example: int) -> None:
    seen = {"Female": 1, "Male": 1}
    _write(
        engine, lambda s: workforce.set_counts(s, owner(), example, "board", "gender", {"Female": 6, "Male": 7}, seen)
    )

    with pytest.raises(Conflict):
        _write(
            engine,
            lambda s: workforce.set_counts(s, owner(), example, "board", "gender", {"Female": 1, "Male": 7}, seen),
        )

    cell = _read(engine, workforce.dimension_counts, example, "board", "gender")
    assert dict(zip(cell["category"], cell["count"], strict=True)) == {"Female": 6, "Male": 7}


def test_set_counts_edits_the_whole_workforce_and_the_local_population(engine: Engine, example: int) -> None:
    _write(engine, lambda s: workforce.set_counts(s, owner(), example, WHOLE, "gender", {"Female": 700, "Male": 300}))
    _write(engine, lambda s: workforce.set_counts(s, owner(), example, LOCAL, "gender", {"Female": 51, "Male": 49}))

    table = _read(engine, workforce.representation, example, "gender", "Female")

    assert table["workforce_share"].iloc[0] == pytest.approx(0.7)
    assert table["local_share"].iloc[0] == pytest.approx(0.51)
    assert _read(engine, workforce.headcounts, example).workforce == 1000


@pytest.mark.parametrize(
    ("tier_key", "dimension", "values", "message"),
    [
        ("trustees", "gender", {"Female": 1}, "Tier must be one of"),
        ("board", "religion", {"Female": 1}, "Dimension must be one of"),
        ("board", "gender", {"Female": -2}, "whole number"),
        ("board", "gender", {"Female": 1, " female ": 2}, "listed twice"),
        ("board", "gender", {"": 2}, "Category is required"),
        ("board", "gender", {"x" * 101: 2}, "too long"),
    ],
)
def test_set_counts_refuses_bad_input(
    engine: Engine, example: int, snapshot: Callable[[], Any], tier_key: str, dimension: str, values: dict, message: str
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match=message):
        _write(engine, lambda s: workforce.set_counts(s, owner(), example, tier_key, dimension, values))

    assert snapshot() == before


# --- Roles ------------------------------------------------------------------------------------

WRITES: dict[str, Callable[[Any, Access, int], Any]] = {
    "replace": lambda s, a, p: workforce.replace_workforce(s, a, p, _frame([("board", "gender", "Male", 1)]), "x"),
    "set_counts": lambda s, a, p: workforce.set_counts(s, a, p, "board", "gender", {"Female": 1}),
    "bands": lambda s, a, p: workforce.set_band_mapping(s, a, p, [("Band 7", "middle")]),
    "add_quality": lambda s, a, p: workforce.add_quality(s, a, p, name="Kind"),
}


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PARTICIPANT])
@pytest.mark.parametrize("write", list(WRITES))
def test_viewers_and_participants_cannot_write(
    engine: Engine, example: int, snapshot: Callable[[], Any], role: Role, write: str
) -> None:
    before = snapshot()

    with pytest.raises(PermissionDenied):
        _write(engine, lambda s: WRITES[write](s, Access(role=role, plan_id=example), example))

    assert snapshot() == before


def test_viewers_read_but_participants_and_other_plans_links_do_not(
    engine: Engine, example: int, make_plan: Callable[..., int]
) -> None:
    other = make_plan("Other plan")
    with read_session(engine) as session:
        assert len(workforce.counts(session, Access(role=Role.VIEWER, plan_id=example), example)) == len(EXAMPLE)
        for access in (Access(role=Role.PARTICIPANT, plan_id=example), Access(role=Role.VIEWER, plan_id=other)):
            with pytest.raises(PermissionDenied):
                workforce.counts(session, access, example)


def test_an_editor_can_replace_the_workforce(engine: Engine, plan_id: int) -> None:
    _replace(engine, plan_id, [("board", "gender", "Male", 3)], Access(role=Role.EDITOR, plan_id=plan_id))

    assert _read(engine, workforce.headcounts, plan_id).leaders == 3
    [event] = _events(engine, plan_id, "workforce.replace")
    assert event.role == "editor"


# --- Export -----------------------------------------------------------------------------------


def test_export_rows_name_tiers_and_sort_by_tier_dimension_and_category(engine: Engine, example: int) -> None:
    _write(engine, lambda s: workforce.set_counts(s, owner(), example, LOCAL, "ethnicity", {"BME": 3, "White": 7}))

    with read_session(engine) as session:
        rows = workforce.export_rows(session, example)

    assert rows[:3] == [
        {"tier": "Board", "dimension": "ethnicity", "category": "BME", "count": 2},
        {"tier": "Board", "dimension": "ethnicity", "category": "Not stated", "count": 2},
        {"tier": "Board", "dimension": "ethnicity", "category": "White", "count": 8},
    ]
    assert len(rows) == len(EXAMPLE)  # the local population is not part of the workforce
    assert list(dict.fromkeys(row["tier"] for row in rows)) == ["Board", "Executive", "Middle", "First-line",
                                                                  "Whole workforce"]  # fmt: skip
    assert all(isinstance(row["count"], int) for row in rows)
    assert rows[-1] == {
        "tier": "Whole workforce",
        "dimension": "staff_group",
        "category": "Other clinical",
        "count": 600,
    }


# --- Band mapping -----------------------------------------------------------------------------


def _bands(engine: Engine, plan_id: int) -> dict[str, str]:
    return _read(engine, workforce.band_tiers, plan_id)


def test_the_seeded_band_mapping_is_readable(engine: Engine, plan_id: int) -> None:
    bands = _bands(engine, plan_id)

    assert bands["Band 8 - Range A"] == "middle"
    assert bands["Band 7"] == "first_line"
    assert bands["VSM"] == "executive"


def test_set_band_mapping_changes_adds_and_removes_bands(engine: Engine, plan_id: int) -> None:
    changed = _write(
        engine,
        lambda s: workforce.set_band_mapping(
            s, owner(), plan_id, [("Band 7", "middle"), ("Matron", "middle"), ("8c", None)]
        ),
    )

    bands = _bands(engine, plan_id)
    assert changed == 3
    assert (bands["Band 7"], bands["Matron"]) == ("middle", "middle")
    assert "Band 8 - Range C" not in bands  # removed through another spelling of the same band
    actions = [e.action for e in _events(engine, plan_id, "band_mapping.update")]
    assert actions == ["band_mapping.update"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("Band 8A", "senior")], "“Band 8A” is the same band as “Band 8 - Range A”"),
        ([("Band 6", "middle"), ("band 6", "senior")], "given twice"),
        ([("Band 6", "trustees")], "tier must be one of"),
        ([("Band 3", None)], "not in the mapping"),
        ([("  ", "middle")], "Band is required"),
    ],
)
def test_set_band_mapping_refuses_duplicates_and_bad_tiers(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], rows: list, message: str
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match=message):
        _write(engine, lambda s: workforce.set_band_mapping(s, owner(), plan_id, rows))

    assert snapshot() == before


def test_set_band_mapping_checks_the_versions_seen(engine: Engine, plan_id: int, snapshot: Callable[[], Any]) -> None:
    _write(engine, lambda s: workforce.set_band_mapping(s, owner(), plan_id, [("Band 7", "middle")], {"Band 7": 1}))
    before = snapshot()

    with pytest.raises(Conflict):
        _write(engine, lambda s: workforce.set_band_mapping(s, owner(), plan_id, [("Band 7", "senior")], {"Band 7": 1}))

    assert snapshot() == before
    assert _bands(engine, plan_id)["Band 7"] == "middle"


# --- Leadership qualities ---------------------------------------------------------------------


def test_qualities_can_be_added_listed_edited_and_removed(engine: Engine, plan_id: int) -> None:
    first = _write(engine, lambda s: workforce.add_quality(s, owner(), plan_id, name=" Compassionate ", strength=4))
    second = _write(
        engine,
        lambda s: workforce.add_quality(s, owner(), plan_id, tier_key="board", name="Curious", description="Asks why"),
    )

    listed = _read(engine, workforce.qualities, plan_id)
    assert list(listed["name"]) == ["Compassionate", "Curious"]
    assert listed["tier"].tolist() == ["Every tier", "Board"]
    assert listed["tier_key"].isna().tolist() == [True, False]
    assert listed["strength"].iloc[0] == 4 and pd.isna(listed["strength"].iloc[1])

    version = _write(
        engine, lambda s: workforce.update_quality(s, owner(), plan_id, second, 1, strength=2, tier_key=None)
    )
    _write(engine, lambda s: workforce.delete_quality(s, owner(), plan_id, first, 1))

    [row] = _read(engine, workforce.qualities, plan_id).to_dict("records")
    assert (row["name"], row["strength"], row["tier"], row["version"], version) == ("Curious", 2, "Every tier", 2, 2)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Quality is required"),
        ({"description": "no name"}, "Quality is required"),
        ({"name": "Kind", "strength": 0}, "Strength must be"),
        ({"name": "Kind", "strength": 6}, "Strength must be"),
        ({"name": "Kind", "strength": 2.5}, "Strength must be"),
        ({"name": "Kind", "tier_key": "trustees"}, "Tier must be one of"),
        ({"name": "Kind", "colour": "red"}, "no field"),
    ],
)
def test_bad_qualities_are_refused(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], fields: dict, message: str
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match=message):
        _write(engine, lambda s: workforce.add_quality(s, owner(), plan_id, **fields))

    assert snapshot() == before


def test_a_stale_quality_edit_is_a_conflict(engine: Engine, plan_id: int) -> None:
    quality = _write(engine, lambda s: workforce.add_quality(s, owner(), plan_id, name="Kind"))
    _write(engine, lambda s: workforce.update_quality(s, owner(), plan_id, quality, 1, name="Kinder"))

    with pytest.raises(Conflict):
        _write(engine, lambda s: workforce.update_quality(s, owner(), plan_id, quality, 1, name="Kindest"))

    with read_session(engine) as session:
        count = session.execute(select(func.count()).select_from(m.LeadershipQuality)).scalar_one()
    assert count == 1
    assert _read(engine, workforce.qualities, plan_id)["name"].tolist() == ["Kinder"]
