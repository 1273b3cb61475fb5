"""Pure chart builders for the culture diagnostic: valid Vega-Lite, the right layout, and no crash on empty data."""

from __future__ import annotations

import math
from collections.abc import Callable

import altair as alt
import pandas as pd
import pytest

from planner import charts
from planner.workforce import COUNT_COLUMNS, LOCAL, WHOLE
from tests.chart_order import sorted_values

ELEMENTS = [
    ("vision", "Vision and strategy", 0),
    ("objectives", "Objectives", 1),
    ("equity", "Equity and inclusion", 2),
]


def _distribution(counts: dict[str, dict[int, int]]) -> pd.DataFrame:
    rows = []
    for key, name, position in ELEMENTS:
        total = sum(counts.get(key, {}).values())
        for score, count in counts.get(key, {}).items():
            rows.append((key, name, position, score, count, count / total if total else 0.0))
    return pd.DataFrame(rows, columns=["element_key", "element", "position", "score", "count", "share"])


def _single(counts: dict[int, int]) -> pd.DataFrame:
    return _distribution({"vision": counts})


def _means() -> pd.DataFrame:
    rows = [(key, name, position, 3.0 + position / 2, 6) for key, name, position in ELEMENTS]
    return pd.DataFrame(rows, columns=["element_key", "element", "position", "mean", "n"])


def _group_means() -> pd.DataFrame:
    rows = [
        (key, name, position, group_key, group, 2.5 + index, 5)
        for key, name, position in ELEMENTS
        for index, (group_key, group) in enumerate([("board", "Board"), ("front_line", "Front-line staff")])
    ]
    return pd.DataFrame(rows, columns=["element_key", "element", "position", "group_key", "group", "mean", "n"])


def _gaps(gaps: list[float]) -> pd.DataFrame:
    rows = [(key, name, 3.0 + gap / 2, 3.0 - gap / 2, gap) for (key, name, _), gap in zip(ELEMENTS, gaps, strict=True)]
    return pd.DataFrame(rows, columns=["element_key", "element", "mean_a", "mean_b", "gap"])


def _changes(changes: list[float | None]) -> pd.DataFrame:
    rows = [
        (key, name, 3.0, None if change is None else 3.0 - change, change)
        for (key, name, _), change in zip(ELEMENTS, changes, strict=True)
    ]
    return pd.DataFrame(rows, columns=["element_key", "element", "mean_now", "mean_before", "change"])


def _blank(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns only, no rows and no dtypes, as the culture module returns when there is nothing to show."""
    return pd.DataFrame(columns=frame.columns)


BUILDERS: dict[str, Callable[[bool], alt.Chart | alt.LayerChart]] = {
    "element_profile": lambda empty: charts.element_profile(
        _distribution({} if empty else {"vision": {1: 1, 5: 2}, "objectives": {3: 4}, "equity": {2: 1, 4: 1}}),
        _blank(_means()) if empty else _means(),
    ),
    "group_comparison": lambda empty: charts.group_comparison(_blank(_group_means()) if empty else _group_means()),
    "perception_gap": lambda empty: charts.perception_gap(
        _blank(_gaps([0.5, -0.25, 0.0])) if empty else _gaps([0.5, -0.25, 0.0]), "Board", "Front-line staff"
    ),
    "round_change": lambda empty: charts.round_change(
        _blank(_changes([0.5, -0.2, None])) if empty else _changes([0.5, -0.2, None])
    ),
}


def _mark(layer: dict) -> str:
    mark = layer["mark"]
    return mark["type"] if isinstance(mark, dict) else mark


def _data(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def _by_score(segments: pd.DataFrame) -> dict[int, tuple[float, float]]:
    return {row.score: (row.x0, row.x1) for row in segments.itertuples()}


@pytest.mark.parametrize("name", BUILDERS)
def test_each_builder_gives_a_valid_spec_sized_to_the_elements_it_plots(name: str) -> None:
    spec = BUILDERS[name](False).to_dict()  # to_dict validates against the Vega-Lite schema

    assert spec["width"] == "container"
    assert spec["height"] == charts.ROW_HEIGHT * (2 if name == "round_change" else len(ELEMENTS))
    assert spec["title"]["text"][0].isupper()


@pytest.mark.parametrize("name", BUILDERS)
def test_each_builder_says_there_is_no_data_for_an_empty_frame(name: str) -> None:
    spec = BUILDERS[name](True).to_dict()

    assert _mark(spec) == "text"
    assert _data(spec, spec) == [{"text": charts.NO_DATA}]


def test_neutral_straddles_zero_and_the_scores_tile_without_gaps() -> None:
    segments = charts.diverging_segments(_single({1: 1, 2: 1, 3: 2, 4: 1, 5: 1}))

    spans = _by_score(segments)
    assert spans[3] == pytest.approx((-1 / 6, 1 / 6))
    assert spans[1] == pytest.approx((-3 / 6, -2 / 6))
    assert spans[5] == pytest.approx((2 / 6, 3 / 6))
    assert segments["x0"].iloc[1:].to_list() == pytest.approx(segments["x1"].iloc[:-1].to_list())


@pytest.mark.parametrize(
    "counts",
    [{1: 1, 2: 1, 3: 2, 4: 1, 5: 1}, {1: 3, 5: 1}, {2: 2, 4: 7}, {1: 4}, {5: 2}, {3: 5}, {1: 1, 3: 1, 4: 2}],
)
def test_disagreement_sits_left_of_zero_and_agreement_right(counts: dict[int, int]) -> None:
    spans = _by_score(charts.diverging_segments(_single(counts)))

    assert all(spans[score][1] <= 1e-12 for score in (1, 2) if score in spans)
    assert all(spans[score][0] >= -1e-12 for score in (4, 5) if score in spans)
    assert sum(x1 - x0 for x0, x1 in spans.values()) == pytest.approx(1)


def test_segments_carry_the_score_labels_and_follow_position_not_frame_order() -> None:
    distribution = _distribution({"vision": {2: 1}, "objectives": {4: 1}, "equity": {5: 1, 1: 1}}).iloc[::-1]

    segments = charts.diverging_segments(distribution)

    assert segments["element"].to_list() == ["Vision and strategy", "Objectives", *["Equity and inclusion"] * 2]
    assert segments["score_label"].to_list() == ["Disagree", "Agree", "Strongly disagree", "Strongly agree"]


def test_element_profile_orders_rows_by_position_and_marks_the_mean() -> None:
    distribution = _distribution({"vision": {4: 1}, "objectives": {2: 1}, "equity": {3: 1}}).iloc[::-1]

    spec = charts.element_profile(distribution, _means()).to_dict()

    bars, _, means = spec["layer"]
    assert bars["encoding"]["y"]["sort"] == [name for _, name, _ in ELEMENTS]
    assert _mark(means) == "point" and means["encoding"]["x"]["field"] == "mean"
    assert means["encoding"]["x"]["scale"]["domain"] == [1, 5]
    assert [row["mean"] for row in _data(spec, means)] == [3.0, 3.5, 4.0]


def test_element_profile_colours_and_labels_the_five_scores() -> None:
    spec = charts.element_profile(_single({1: 1, 5: 1}), _means()).to_dict()

    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
    assert colour["scale"]["range"][-1] == "#005EB8"
    tooltips = {tip["title"]: tip.get("format") for tip in spec["layer"][0]["encoding"]["tooltip"]}
    assert tooltips == {"Element": None, "Score": None, "Responses": None, "Share": ".0%"}


def test_element_profile_keeps_a_row_for_an_element_nobody_has_rated_yet() -> None:
    distribution = _distribution(
        {"vision": dict.fromkeys(range(1, 6), 0), "objectives": {1: 0, 2: 0, 3: 1, 4: 0, 5: 0}}
    )
    means = _means().iloc[:2].assign(mean=[float("nan"), 3.0], n=[0, 1])

    spec = charts.element_profile(distribution, means).to_dict()

    bars, _, marks = spec["layer"]
    assert {row["element"] for row in _data(spec, bars)} == {"Vision and strategy", "Objectives"}
    assert [row["mean"] for row in _data(spec, marks)] == [None, 3.0]


def test_element_profile_without_means_leaves_out_the_mean_layer() -> None:
    spec = charts.element_profile(_single({4: 2}), _means().iloc[:0]).to_dict()

    assert [_mark(layer) for layer in spec["layer"]] == ["bar", "rule"]


def test_group_comparison_plots_each_group_on_the_one_to_five_scale() -> None:
    spec = charts.group_comparison(_group_means().iloc[::-1]).to_dict()

    dots = spec["layer"][1]
    assert dots["encoding"]["x"]["scale"]["domain"] == [1, 5]
    assert dots["encoding"]["y"]["sort"] == [name for _, name, _ in ELEMENTS]
    assert dots["encoding"]["color"]["field"] == "group"
    assert {tip["title"] for tip in dots["encoding"]["tooltip"]} == {"Element", "Group", "Mean score", "Responses"}


@pytest.mark.parametrize(
    ("gap", "direction"),
    [(0.4, "Rated higher by Board"), (-0.4, "Rated higher by Front-line staff"), (0.0, "Rated the same")],
)
def test_gap_direction_follows_the_sign(gap: float, direction: str) -> None:
    frame = charts.gap_directions(_gaps([gap, gap, gap]), "Board", "Front-line staff")

    assert set(frame["direction"]) == {direction}


def test_perception_gap_colours_bars_by_sign_and_names_both_groups() -> None:
    spec = charts.perception_gap(_gaps([0.5, -0.25, 0.0]), "Board", "Front-line staff").to_dict()

    bars = spec["layer"][0]
    scale = bars["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours == {
        "Rated higher by Board": charts.HIGHER,
        "Rated higher by Front-line staff": charts.LOWER,
        "Rated the same": charts.SAME,
    }
    assert [row["direction"] for row in _data(spec, bars)][:2] == [
        "Rated higher by Board",
        "Rated higher by Front-line staff",
    ]
    assert "Board" in spec["title"]["text"] and "Front-line staff" in spec["title"]["text"]
    assert _mark(spec["layer"][1]) == "rule"


def test_perception_gap_legend_lists_only_directions_present() -> None:
    spec = charts.perception_gap(_gaps([0.5, 0.25, 1.0]), "Board", "Manager").to_dict()

    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["Rated higher by Board"]


def test_perception_gap_axis_is_symmetric_around_zero() -> None:
    spec = charts.perception_gap(_gaps([2.5, -0.25, 0.0]), "Board", "Manager").to_dict()

    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [-2.5, 2.5]


def test_round_change_drops_elements_missing_a_round_and_names_the_direction() -> None:
    frame = charts.change_directions(_changes([0.5, -0.2, None]))

    assert frame["element"].to_list() == ["Vision and strategy", "Objectives"]
    assert frame["direction"].to_list() == ["Improved", "Declined"]


def test_round_change_draws_arrows_from_the_previous_mean_to_the_current_one() -> None:
    spec = charts.round_change(_changes([0.5, -0.2, 0.0])).to_dict()

    path, before, now = spec["layer"]
    assert (path["encoding"]["x"]["field"], path["encoding"]["x2"]["field"]) == ("mean_before", "mean_now")
    assert before["encoding"]["x"]["field"] == "mean_before" and now["encoding"]["x"]["field"] == "mean_now"
    shapes = now["encoding"]["shape"]["scale"]
    assert dict(zip(shapes["domain"], shapes["range"], strict=True)) == {
        "Improved": "triangle-right",
        "Declined": "triangle-left",
        "No change": "circle",
    }


# --- Capabilities: gap chart and heatmap -------------------------------------------------------

LEVEL_NAMES = {0: "Not in place", 1: "Essential", 2: "Proficient", 3: "Strong", 4: "Exemplary"}
CAPABILITIES = {1: ("Sharing the vision", "individual"), 2: ("Shared leadership", "collective"),
                3: ("Improvement skills", "individual")}  # fmt: skip


def _rows(spec: dict, layer: dict) -> list[dict]:
    """A layer's data rows (layers built on one base chart share the top-level data)."""
    return spec["datasets"][layer.get("data", spec.get("data"))["name"]]


def _capability_cells(rows: list[tuple[int, int, str, float, float, float]]) -> pd.DataFrame:
    """Consensus cells from (capability id, tier position, assessor, required, current, importance) ratings."""
    from planner import capabilities

    records = [
        {"id": n, "version": 1, "capability_id": cap, "tier_id": tier, "assessor": who, "required": required,
         "current": current, "importance": importance, "evidence": "", "capability": CAPABILITIES[cap][0],
         "kind": CAPABILITIES[cap][1], "active": True, "capability_position": cap,
         "tier": ["Board", "Executive", "Senior"][tier - 1], "tier_position": tier}
        for n, (cap, tier, who, required, current, importance) in enumerate(rows)
    ]  # fmt: skip
    return capabilities.consensus(pd.DataFrame(records, columns=capabilities.TABLE_COLUMNS))


def _capability_gaps(cells: pd.DataFrame) -> pd.DataFrame:
    from planner import capabilities

    return capabilities.roll_up(cells)


RATED = [
    (1, 1, "A", 3, 2, 1),  # gap 1, priority 1
    (2, 1, "A", 4, 1, 3),  # gap 3, priority 9
    (2, 2, "A", 3, 2, 3),  # gap 1, priority 3
    (3, 1, "A", 2, 2, 2),  # on target, priority 0
    (3, 2, "A", 4, 1, 2),  # assessors A and B differ by 3 levels on current
    (3, 2, "B", 4, 4, 2),
]


def test_capability_gap_chart_follows_the_priority_order_and_distinguishes_kinds() -> None:
    gaps = _capability_gaps(_capability_cells(RATED))

    spec = charts.capability_gap_chart(gaps, LEVEL_NAMES).to_dict()

    rule, current, required, label = spec["layer"]
    assert sorted_values(spec, "y") == ["Shared leadership", "Improvement skills", "Sharing the vision"]
    assert (rule["encoding"]["x"]["field"], rule["encoding"]["x2"]["field"]) == ("current", "required")
    assert current["mark"]["filled"] is False and required["mark"]["filled"] is True
    colour, shape = required["encoding"]["color"], required["encoding"]["shape"]
    assert colour["field"] == shape["field"] == "kind"
    assert colour["scale"]["domain"] == ["Individual", "Collective"]
    assert set(shape["scale"]["range"]) == {"circle", "square"}
    assert [row["kind"] for row in _rows(spec, required)] == ["Collective", "Individual", "Individual"]
    assert _mark(label) == "text" and _rows(spec, label)[0]["label"] == "gap +2.0 · priority 12.0"


def test_capability_gap_chart_names_the_levels_and_is_sized_by_rows() -> None:
    gaps = _capability_gaps(_capability_cells(RATED))

    spec = charts.capability_gap_chart(gaps, LEVEL_NAMES).to_dict()

    axis = spec["layer"][1]["encoding"]["x"]["axis"]
    assert axis["values"] == [0, 1, 2, 3, 4]
    assert "'0 Not in place'" in axis["labelExpr"] and "'4 Exemplary'" in axis["labelExpr"]
    assert spec["height"] == charts.CAPABILITY_ROW_HEIGHT * 3 and spec["width"] == "container"


def test_capability_gap_chart_legend_lists_only_the_kinds_present() -> None:
    gaps = _capability_gaps(_capability_cells([(2, 1, "A", 3, 1, 2)]))

    spec = charts.capability_gap_chart(gaps, LEVEL_NAMES).to_dict()

    assert spec["layer"][2]["encoding"]["color"]["scale"]["domain"] == ["Collective"]


def test_capability_heatmap_colours_cells_by_gap_and_outlines_disagreement() -> None:
    cells = _capability_cells(RATED)
    order = list(_capability_gaps(cells)["capability"])

    spec = charts.capability_heatmap(cells, order).to_dict()

    rect, outline, text = spec["layer"]
    assert rect["encoding"]["color"]["field"] == "gap"
    assert sorted_values(spec, "y") == order
    assert sorted_values(spec, "x") == ["Board", "Executive"]
    rows = {(row["capability"], row["tier"]): row for row in _rows(spec, rect)}
    assert rows[("Shared leadership", "Board")]["gap"] == 3.0
    assert rows[("Improvement skills", "Executive")]["disagree"] is True
    assert rows[("Improvement skills", "Board")]["disagree"] is False
    assert outline["transform"] == [{"filter": "datum.disagree"}] and outline["mark"]["fillOpacity"] == 0
    assert text["encoding"]["text"]["field"] == "text"
    shared = rows[("Shared leadership", "Board")]
    assert (shared["text"], shared["ink"]) == ("+3", "white"), "a dark cell gets white text"
    assert text["encoding"]["color"] == {"field": "ink", "type": "nominal", "scale": None}
    assert spec["height"] == charts.HEATMAP_ROW_HEIGHT * 3


def test_capability_heatmap_keeps_negative_gaps_and_leaves_out_half_rated_cells() -> None:
    cells = _capability_cells([(1, 1, "A", 1, 3, 2), (2, 1, "A", 3, float("nan"), 2)])

    spec = charts.capability_heatmap(cells).to_dict()

    assert [(row["capability"], row["gap"]) for row in _rows(spec, spec["layer"][0])] == [("Sharing the vision", -2.0)]


@pytest.mark.parametrize("builder", ["gap", "heatmap"])
def test_capability_charts_say_there_is_no_data_when_nothing_is_rated(builder: str) -> None:
    cells = _capability_cells([])
    chart = (
        charts.capability_gap_chart(_capability_gaps(cells), LEVEL_NAMES)
        if builder == "gap"
        else charts.capability_heatmap(cells)
    )

    spec = chart.to_dict()

    assert _mark(spec) == "text" and _data(spec, spec) == [{"text": charts.NO_DATA}]


# --- Leadership workforce: diversity mix and pipeline --------------------------------------

TIERS = [("board", "Board", 1), ("executive", "Executive", 2), ("first_line", "First-line", 5)]
# Board: BME 1, White 3 · Executive: BME 2, White 6, Not stated 2 · First-line: BME 30, White 70
# Whole workforce: BME 250, White 700, Not stated 50 (BME 25% of everyone, 26.3% of those known)
ETHNICITY = {
    "board": {"BME": 1, "White": 3},
    "executive": {"White": 6, "BME": 2, "Not stated": 2},
    "first_line": {"BME": 30, "White": 70},
    WHOLE: {"White": 700, "BME": 250, "Not stated": 50},
}


def _counts(local: dict[str, int] | None = None) -> pd.DataFrame:
    places = [*TIERS, (WHOLE, "Whole workforce", 6), (LOCAL, "Local population", 7)]
    data = ETHNICITY | ({LOCAL: local} if local else {})
    rows = [
        (key, name, position, {WHOLE: "whole", LOCAL: "local"}.get(key, "tier"), "ethnicity", category, count)
        for key, name, position in places
        for category, count in data.get(key, {}).items()
    ]
    return pd.DataFrame(rows, columns=COUNT_COLUMNS)


def _representation(local_share: float = math.nan) -> pd.DataFrame:
    whole = 250 / 950
    rows = [
        (key, name, position, "BME", bme, known, bme / known, whole, local_share)
        for (key, name, position), (bme, known) in zip(TIERS, [(1, 4), (2, 8), (30, 100)], strict=True)
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "tier_key",
            "tier",
            "position",
            "category",
            "count",
            "known",
            "share",
            "workforce_share",
            "local_share",
        ],
    )
    frame["difference_pp"] = (frame["share"] - whole) * 100
    frame["relative"] = frame["share"] / whole
    return frame


def _mark(layer: dict) -> str:
    mark = layer["mark"]
    return mark["type"] if isinstance(mark, dict) else mark


def _layers(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if _mark(layer) == mark]


def _data(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def test_mix_segments_stack_the_chosen_category_first_and_tile_each_bar() -> None:
    segments = charts.mix_segments(_counts(), "ethnicity", "BME")

    executive = segments[segments["tier_key"] == "executive"]
    assert list(executive["category"]) == ["BME", "White", "Not stated"]
    assert executive["x0"].tolist() == pytest.approx([0, 0.2, 0.8])
    assert executive["x1"].tolist() == pytest.approx([0.2, 0.8, 1.0])
    assert segments.groupby("tier_key")["x1"].max().tolist() == pytest.approx([1.0] * 4)
    assert set(segments["tier_key"]) == {"board", "executive", "first_line", WHOLE}  # no local population bar


def test_diversity_mix_orders_tiers_board_first_then_the_whole_workforce_and_marks_the_benchmark() -> None:
    spec = charts.diversity_mix(_counts(), "ethnicity", "BME").to_dict()  # to_dict validates the Vega-Lite spec

    bars = _layers(spec, "bar")[0]
    assert bars["encoding"]["y"]["sort"] == ["Board", "Executive", "First-line", "Whole workforce"]
    assert bars["encoding"]["color"]["scale"]["domain"] == ["BME", "White", "Not stated"]
    assert bars["encoding"]["color"]["scale"]["range"][0] == "#005EB8"
    [tick] = _layers(spec, "tick")
    marks = _data(spec, tick)
    assert [row["tier"] for row in marks] == ["Board", "Executive", "First-line", "Whole workforce"]
    assert {row["share"] for row in marks} == {0.25}  # BME share of the whole workforce, not stated included
    assert _layers(spec, "point") == []  # no local population entered
    assert spec["height"] == charts.MIX_ROW_HEIGHT * 4
    assert "whole workforce's share 25%" in spec["title"]["subtitle"]


def test_diversity_mix_marks_the_local_population_differently_when_entered() -> None:
    spec = charts.diversity_mix(_counts(local={"BME": 40, "White": 60}), "ethnicity", "BME").to_dict()

    [diamond] = _layers(spec, "point")
    assert diamond["mark"]["shape"] == "diamond" and diamond["mark"]["color"] == charts.LOCAL_MARK
    assert {row["share"] for row in _data(spec, diamond)} == {0.4}
    assert len(_layers(spec, "tick")) == 1


def test_diversity_mix_stacks_another_chosen_category_first() -> None:
    spec = charts.diversity_mix(_counts(), "ethnicity", "White").to_dict()

    assert _layers(spec, "bar")[0]["encoding"]["color"]["scale"]["domain"] == ["White", "BME", "Not stated"]
    assert {row["share"] for row in _data(spec, _layers(spec, "tick")[0])} == {0.7}


def test_diversity_mix_defaults_to_the_dimensions_key_category() -> None:
    spec = charts.diversity_mix(_counts(), "ethnicity").to_dict()

    assert _layers(spec, "bar")[0]["encoding"]["color"]["scale"]["domain"][0] == "BME"


@pytest.mark.parametrize("frame", [_counts().iloc[0:0], _counts()])
def test_diversity_mix_says_there_is_no_data_for_a_missing_dimension(frame: pd.DataFrame) -> None:
    spec = charts.diversity_mix(frame, "disability").to_dict()

    assert spec["mark"]["type"] == "text"
    assert spec["title"]["text"] == "Diversity mix by tier — Disability"


def test_age_bands_get_a_sequence_of_colours_and_unstated_stays_grey() -> None:
    frame = pd.DataFrame(
        [("board", "Board", 1, "tier", "age_band", band, 1) for band in ("55 and over", "Under 35", "Unknown")],
        columns=COUNT_COLUMNS,
    )

    colour = _layers(charts.diversity_mix(frame, "age_band").to_dict(), "bar")[0]["encoding"]["color"]["scale"]

    assert colour["domain"] == ["Under 35", "55 and over", "Unknown"]
    assert colour["range"][-1] == charts.UNSTATED and len(set(colour["range"])) == 3


def test_pipeline_runs_from_first_line_up_to_the_board_against_the_workforce_line() -> None:
    spec = charts.pipeline(_representation()).to_dict()

    line = _layers(spec, "line")[0]
    assert line["encoding"]["x"]["sort"] == ["First-line", "Executive", "Board"]
    [rule] = _layers(spec, "rule")
    assert _data(spec, rule)[0]["share"] == pytest.approx(250 / 950)
    assert _data(spec, rule)[0]["label"] == "Whole workforce 26%"
    assert spec["height"] == charts.PIPELINE_HEIGHT
    assert spec["title"]["text"] == "Leadership pipeline: share BME by tier"


def test_pipeline_adds_a_dashed_local_population_line_when_entered() -> None:
    spec = charts.pipeline(_representation(local_share=0.4)).to_dict()

    rules = _layers(spec, "rule")
    assert len(rules) == 2
    local = next(r for r in rules if _data(spec, r)[0]["label"].startswith("Local population"))
    assert local["mark"]["strokeDash"] == [6, 4] and local["mark"]["color"] == charts.LOCAL_MARK


def test_pipeline_leaves_out_tiers_without_a_share_and_handles_no_data() -> None:
    frame = _representation()
    frame.loc[frame["tier_key"] == "executive", "share"] = math.nan

    spec = charts.pipeline(frame).to_dict()
    empty = charts.pipeline(frame.assign(share=math.nan)).to_dict()

    assert _layers(spec, "line")[0]["encoding"]["x"]["sort"] == ["First-line", "Board"]
    assert empty["mark"]["type"] == "text"


# --- Means: coverage heatmap ----------------------------------------------------------------------


def _coverage_matrix() -> pd.DataFrame:
    """Two priorities and one weak element × two means; the second priority is uncovered."""
    cells = [
        ("priority:1", "Priority 1: Talent", 0, False, 11, "Mentoring (develop)", "develop", 0, "current"),
        ("priority:1", "Priority 1: Talent", 0, False, 12, "Succession (sustain)", "sustain", 1, "planned"),
        ("priority:2", "Priority 2: Voice", 1, True, 11, "Mentoring (develop)", "develop", 0, "none"),
        ("priority:2", "Priority 2: Voice", 1, True, 12, "Succession (sustain)", "sustain", 1, "none"),
        ("element:equity", "Element: Equity and inclusion", 1006, False, 11, "Mentoring (develop)", "develop", 0,
         "none"),
        ("element:equity", "Element: Equity and inclusion", 1006, False, 12, "Succession (sustain)", "sustain", 1,
         "planned"),
    ]  # fmt: skip
    columns = ["row_key", "row", "row_position", "uncovered", "means_id", "means", "mode", "means_position", "status"]
    return pd.DataFrame(cells, columns=columns)


def _shared_data(spec: dict) -> list[dict]:
    """The rows of a layered chart whose layers share the top-level data."""
    return spec["datasets"][spec["data"]["name"]]


def test_coverage_heatmap_has_a_row_per_priority_and_element_and_a_cell_per_means() -> None:
    spec = charts.coverage_heatmap(_coverage_matrix()).to_dict()

    [rect] = _layers(spec, "rect")
    data = _shared_data(spec)
    assert sorted_values(spec, "y") == [
        "Priority 1: Talent", "Priority 2: Voice — uncovered", "Element: Equity and inclusion"
    ]  # fmt: skip
    assert sorted_values(spec, "x") == ["Mentoring (develop)", "Succession (sustain)"]
    cells = {(row["row"], row["means"]): row["cell"] for row in data}
    assert cells == {
        ("Priority 1: Talent", "Mentoring (develop)"): "Current",
        ("Priority 1: Talent", "Succession (sustain)"): "Planned",
        ("Priority 2: Voice", "Mentoring (develop)"): "Uncovered",
        ("Priority 2: Voice", "Succession (sustain)"): "Uncovered",
        ("Element: Equity and inclusion", "Mentoring (develop)"): "Not by this means",
        ("Element: Equity and inclusion", "Succession (sustain)"): "Planned",
    }
    assert rect["encoding"]["color"]["scale"]["domain"] == ["Current", "Planned", "Not by this means", "Uncovered"]
    assert spec["height"] == 3 * charts.COVERAGE_ROW_HEIGHT


def test_coverage_heatmap_writes_the_status_in_covered_cells_and_reddens_uncovered_labels() -> None:
    spec = charts.coverage_heatmap(_coverage_matrix()).to_dict()

    [text] = _layers(spec, "text")
    written = {(row["row"], row["means"]): row["text"] for row in _shared_data(spec)}
    assert written[("Priority 1: Talent", "Mentoring (develop)")] == "current"
    assert written[("Priority 2: Voice", "Mentoring (develop)")] == ""
    inks = {row["status"]: row["ink"] for row in _shared_data(spec)}
    assert inks["current"] == "white" and inks["planned"] == charts.INK, "white text on the dark blue only"
    assert text["encoding"]["color"] == {"field": "ink", "type": "nominal", "scale": None}
    label_colour = text["encoding"]["y"]["axis"]["labelColor"]["expr"]
    assert "uncovered" in label_colour and charts.UNCOVERED_INK in label_colour


def test_coverage_heatmap_with_many_means_leaves_the_words_out_of_the_narrow_cells() -> None:
    many = charts.COVERAGE_TEXT_COLUMNS + 1
    matrix = pd.concat([_coverage_matrix().assign(means_id=n, means=f"Means {n}", means_position=n)
                        for n in range(many)])  # fmt: skip

    spec = charts.coverage_heatmap(matrix).to_dict()

    assert "layer" not in spec and _mark(spec) == "rect" and len(sorted_values(spec, "x")) == many
    assert charts.UNCOVERED_INK in spec["encoding"]["y"]["axis"]["labelColor"]["expr"], "uncovered rows stay red"


def test_coverage_heatmap_without_means_shows_each_row_uncovered_and_without_rows_says_so() -> None:
    lonely = pd.DataFrame(
        [("priority:1", "Priority 1: Talent", 0, True, None, "", "", 0, "none")], columns=_coverage_matrix().columns
    )

    spec = charts.coverage_heatmap(lonely).to_dict()
    empty = charts.coverage_heatmap(lonely.iloc[0:0]).to_dict()

    assert len(_layers(spec, "rect")) == 1
    assert [(r["row_label"], r["means"], r["cell"]) for r in _shared_data(spec)] == [
        ("Priority 1: Talent — uncovered", charts.NO_MEANS, "Uncovered")
    ]
    assert empty["mark"]["type"] == "text"


# --- Initiatives: roadmap and check-in trend -----------------------------------------------------


def _portfolio_rows() -> pd.DataFrame:
    from datetime import date

    rows = [
        (1, "Team coaching", "organisation_development", "Ann", date(2026, 7, 1), date(2027, 3, 31), "At risk", 30,
         date(2026, 11, 1)),
        (2, "First-line programme", "leadership_development", "Bob", date(2026, 9, 1), date(2028, 3, 31), "On track",
         20, date(2026, 11, 20)),
        (3, "Undated idea", "culture_shaping", "Cy", None, None, "Not started", 0, None),
        (4, "Board development", "leadership_development", "Di", date(2026, 5, 1), date(2026, 10, 31), "Done", 100,
         date(2026, 10, 30)),
    ]  # fmt: skip
    columns = ["id", "title", "kind", "owner", "start", "end", "status_label", "percent_complete", "last_check_in"]
    return pd.DataFrame(rows, columns=columns)


KIND_NAMES = {
    "leadership_development": "Leadership development",
    "organisation_development": "Organisation development",
    "culture_shaping": "Shaping culture",
}


def _roadmap_spec() -> dict:
    from datetime import date

    chart = charts.roadmap(_portfolio_rows(), date(2026, 4, 1), date(2029, 3, 31), date(2026, 11, 26), KIND_NAMES)
    return chart.to_dict()


def _all_rows(spec: dict) -> list[dict]:
    return [row for rows in spec["datasets"].values() for row in rows]


def test_roadmap_has_a_bar_per_dated_initiative_grouped_by_type_with_status_colours() -> None:
    spec = _roadmap_spec()

    [bars] = _layers(spec, "bar")
    rows = _data(spec, bars)
    assert [(r["label"], r["start_iso"], r["bar_end"], r["status_label"]) for r in rows] == [
        ("Board development", "2026-05-01", "2026-11-01", "Done"),
        ("First-line programme", "2026-09-01", "2028-04-01", "On track"),
        ("Team coaching", "2026-07-01", "2027-04-01", "At risk"),
    ]  # the undated idea is left out; bars end the day after the end date
    assert sorted_values(spec, "y") == [
        "Leadership development", "Board development", "First-line programme", "Organisation development",
        "Team coaching",
    ]  # fmt: skip
    colour = bars["encoding"]["color"]["scale"]
    assert dict(zip(colour["domain"], colour["range"], strict=True)) == charts.STATUS_COLOURS
    assert spec["height"] == 5 * charts.ROADMAP_ROW_HEIGHT


def test_roadmap_x_axis_runs_by_quarter_over_the_horizon_and_marks_today() -> None:
    spec = _roadmap_spec()

    [bars] = _layers(spec, "bar")
    x = bars["encoding"]["x"]
    assert x["axis"]["tickCount"] == {"interval": "month", "step": 3}
    assert [(d["year"], d["month"], d["date"]) for d in x["scale"]["domain"]] == [(2026, 4, 1), (2029, 4, 1)]
    [rule] = _layers(spec, "rule")
    assert _data(spec, rule)[0]["start_iso"] == "2026-11-26" and "y" not in rule["encoding"]
    [text] = _layers(spec, "text")
    assert _data(spec, text)[0]["text"] == "Today, 26 Nov 2026"
    assert {row.get("label") for row in _all_rows(spec)} >= {"Leadership development", "Organisation development"}


def test_roadmap_extends_to_whole_quarters_past_the_horizon_and_says_when_nothing_is_dated() -> None:
    from datetime import date

    late = _portfolio_rows().assign(end=lambda f: f["end"].where(f["id"] != 2, date(2029, 8, 15)))

    spec = charts.roadmap(late, date(2026, 4, 15), date(2029, 3, 31), date(2026, 11, 26)).to_dict()
    empty = charts.roadmap(_portfolio_rows().iloc[2:3], None, None, date(2026, 11, 26)).to_dict()

    [bars] = _layers(spec, "bar")
    assert [(d["year"], d["month"]) for d in bars["encoding"]["x"]["scale"]["domain"]] == [(2026, 4), (2029, 10)]
    assert "Organisation development" in sorted_values(spec, "y")  # readable names without a mapping too
    assert empty["mark"]["type"] == "text"


def test_check_in_trend_plots_percent_over_time_with_rag_coloured_points() -> None:
    from datetime import date

    history = pd.DataFrame(
        {
            "id": [1, 2],
            "initiative_id": [7, 7],
            "checked_on": [date(2026, 9, 30), date(2026, 11, 20)],
            "rag": ["green", "amber"],
            "percent_complete": [8, 20],
            "note": ["Launched", "Winter pressures"],
            "author": ["Ann", "Ann"],
        }
    )

    spec = charts.check_in_trend(history).to_dict()
    empty = charts.check_in_trend(history.iloc[0:0]).to_dict()

    [line] = _layers(spec, "line")
    [points] = _layers(spec, "point")
    assert [(r["day"], r["percent_complete"], r["rag_label"]) for r in _shared_data(spec)] == [
        ("2026-09-30", 8, "Green"),
        ("2026-11-20", 20, "Amber"),
    ]
    assert points["encoding"]["color"]["scale"]["range"] == list(charts.RAG_COLOURS.values())
    assert line["encoding"]["y"]["scale"]["domain"] == [0, 100]
    assert empty["mark"]["type"] == "text"
