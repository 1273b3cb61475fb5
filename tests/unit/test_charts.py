"""Pure chart builders for the culture diagnostic: valid Vega-Lite, the right layout, and no crash on empty data."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd
import pytest

from planner import charts

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
