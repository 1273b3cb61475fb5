"""Pure Altair chart builders for the culture diagnostic: data frames in, charts out."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

SCORE_LABELS = {1: "Strongly disagree", 2: "Disagree", 3: "Neutral", 4: "Agree", 5: "Strongly agree"}
# Red–grey–blue, ending on the app's primary NHS blue, so "agree" reads as the brand colour.
SCORE_COLOURS = {1: "#C4483E", 2: "#EFA37E", 3: "#CDD3D8", 4: "#8DB9E4", 5: "#005EB8"}
GROUP_COLOURS = ["#005EB8", "#ED8B00", "#009639", "#7C2855", "#00A9CE", "#425563"]
GROUP_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
HIGHER, LOWER, SAME = "#005EB8", "#ED8B00", "#768692"
SAME_RATING = "Rated the same"
INK = "#1F2A33"
NO_DATA = "No data to show"
SIGNED = "datum.value === 0 ? '0' : format(datum.value, '+.1~f')"
ROW_HEIGHT = 42
LABEL_LIMIT = 360
Chart = alt.Chart | alt.LayerChart
_SCORE_SCALE = alt.Scale(domain=[1, 5], nice=False)


def _empty(title: str) -> alt.Chart:
    """A placeholder chart that says there is nothing to plot."""
    text = alt.Chart(pd.DataFrame({"text": [NO_DATA]})).mark_text(
        x={"expr": "width / 2"}, y=30, fontSize=14, color="#768692"
    )
    heading = alt.TitleParams(title, anchor="start")
    return text.encode(text="text:N").properties(title=heading, width="container", height=60)


def _element_order(frame: pd.DataFrame) -> list[str]:
    """Element display names in `position` order when given, else in the frame's order."""
    if "position" in frame.columns:
        frame = frame.sort_values("position", kind="stable")
    return list(dict.fromkeys(frame["element"]))


def _y(order: list[str]) -> alt.Y:
    return alt.Y("element:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT, labelFontSize=12))


def _mean_axis() -> alt.Axis:
    return alt.Axis(title="Mean score (1–5)", values=[1 + step / 2 for step in range(9)])


def _legend(**options: str) -> alt.Legend:
    return alt.Legend(title=None, orient="bottom", direction="horizontal", labelLimit=LABEL_LIMIT, **options)


def _gap_axis(reach: float, label_a: str, label_b: str) -> alt.Axis:
    """Ticks every half point (whole points for wide gaps), signed so the direction reads off the axis too."""
    step = 0.5 if reach <= 2 else 1.0
    ticks = [step * index for index in range(-int(reach / step), int(reach / step) + 1)]
    return alt.Axis(title=f"Gap in mean score ({label_a} − {label_b})", values=ticks, labelExpr=SIGNED)


def _sized(chart: Chart, rows: int, title: str, subtitle: str) -> Chart:
    """Container width, a height that grows with the number of elements, and a sentence-case title."""
    heading = alt.TitleParams(title, subtitle=subtitle, anchor="start", subtitleColor="#425563")
    return chart.properties(title=heading, width="container", height=ROW_HEIGHT * max(rows, 1))


def diverging_segments(distribution: pd.DataFrame) -> pd.DataFrame:
    """Each score's bar as a share span [x0, x1]: scores 1–2 left of zero, 4–5 right, neutral split across it."""
    frame = distribution.sort_values(["position", "element_key", "score"], kind="stable").copy()
    frame["score_label"] = frame["score"].map(SCORE_LABELS)
    left_share = frame["share"].where(frame["score"] < 3, 0) + frame["share"].where(frame["score"] == 3, 0) / 2
    left = left_share.groupby(frame["element_key"]).transform("sum")
    frame["x1"] = frame.groupby("element_key")["share"].cumsum() - left
    frame["x0"] = frame["x1"] - frame["share"]
    return frame.reset_index(drop=True)


def _score_bars(segments: pd.DataFrame, order: list[str]) -> alt.Chart:
    colour = alt.Color(
        "score_label:N",
        scale=alt.Scale(domain=list(SCORE_LABELS.values()), range=list(SCORE_COLOURS.values())),
        legend=_legend(symbolType="square"),
    )
    share_axis = alt.Axis(
        title="← Disagree · share of responses · Agree →",
        values=[step / 4 for step in range(-4, 5)],
        labelExpr="format(abs(datum.value), '.0%')",
    )
    return (
        alt.Chart(segments)
        .mark_bar(height={"band": 0.7})
        .encode(
            x=alt.X("x0:Q", scale=alt.Scale(domain=[-1, 1], nice=False), axis=share_axis),
            x2="x1:Q",
            y=_y(order),
            color=colour,
            tooltip=[
                alt.Tooltip("element:N", title="Element"),
                alt.Tooltip("score_label:N", title="Score"),
                alt.Tooltip("count:Q", title="Responses"),
                alt.Tooltip("share:Q", title="Share", format=".0%"),
            ],
        )
    )


def _zero_rule() -> alt.Chart:
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=INK, strokeWidth=1.2)
    return zero.encode(x=alt.X("x:Q", scale=alt.Scale(domain=[-1, 1], nice=False), axis=None))


def _mean_markers(means: pd.DataFrame, order: list[str]) -> alt.Chart:
    mean_axis = alt.Axis(
        orient="top", title="Mean score (diamond, 1–5)", values=[1, 2, 3, 4, 5], format="d", grid=False
    )
    return (
        alt.Chart(means)
        .mark_point(shape="diamond", filled=True, size=140, color=INK, stroke="white", strokeWidth=1.5, opacity=1)
        .encode(
            x=alt.X("mean:Q", scale=_SCORE_SCALE, axis=mean_axis),
            y=_y(order),
            tooltip=[
                alt.Tooltip("element:N", title="Element"),
                alt.Tooltip("mean:Q", title="Mean score", format=".2f"),
                alt.Tooltip("n:Q", title="Responses"),
            ],
        )
    )


def element_profile(distribution: pd.DataFrame, means: pd.DataFrame) -> Chart:
    """Diverging stacked bars of the 1–5 ratings per element, with each element's mean marked on a 1–5 scale."""
    title = "Ratings by cultural element"
    if distribution.empty:
        return _empty(title)
    order = _element_order(distribution)
    layers = [_score_bars(diverging_segments(distribution), order), _zero_rule()]
    if not means.empty:
        layers.append(_mean_markers(means, order))
    chart = alt.layer(*layers).resolve_scale(x="independent")
    subtitle = "Share of responses at each score; the diamond marks the mean (3 = neutral, on the centre line)"
    return _sized(chart, len(order), title, subtitle)


def _ordered_groups(group_means: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(group_means["group"]))


def _group_dots(group_means: pd.DataFrame, order: list[str]) -> alt.Chart:
    groups = _ordered_groups(group_means)
    legend = _legend()
    return (
        alt.Chart(group_means)
        .mark_point(filled=True, size=110, opacity=0.9)
        .encode(
            x=alt.X("mean:Q", scale=_SCORE_SCALE, axis=_mean_axis()),
            y=_y(order),
            color=alt.Color("group:N", scale=alt.Scale(domain=groups, range=GROUP_COLOURS), legend=legend),
            shape=alt.Shape("group:N", scale=alt.Scale(domain=groups, range=GROUP_SHAPES), legend=legend),
            tooltip=[
                alt.Tooltip("element:N", title="Element"),
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("mean:Q", title="Mean score", format=".2f"),
                alt.Tooltip("n:Q", title="Responses"),
            ],
        )
    )


def _group_spread(group_means: pd.DataFrame, order: list[str]) -> alt.Chart:
    """A faint line from the lowest to the highest group mean, so the spread within an element reads at a glance."""
    spread = group_means.groupby("element", as_index=False)["mean"].agg(low="min", high="max")
    rule = alt.Chart(spread).mark_rule(color="#AEB7BD", strokeWidth=2)
    return rule.encode(x=alt.X("low:Q", scale=_SCORE_SCALE), x2="high:Q", y=_y(order))


def group_comparison(group_means: pd.DataFrame) -> Chart:
    """A dot plot of each group's mean score per element."""
    title = "Mean score by group"
    if group_means.empty:
        return _empty(title)
    order = _element_order(group_means)
    chart = alt.layer(_group_spread(group_means, order), _group_dots(group_means, order))
    return _sized(chart, len(order), title, "1 = strongly disagree, 3 = neutral, 5 = strongly agree")


def _higher(label: str) -> str:
    return f"Rated higher by {label}"


def gap_directions(gap_frame: pd.DataFrame, label_a: str, label_b: str) -> pd.DataFrame:
    """The gap frame with a `direction` naming which group rates each element higher."""
    frame = gap_frame.copy()
    frame["direction"] = SAME_RATING
    frame.loc[frame["gap"] > 0, "direction"] = _higher(label_a)
    frame.loc[frame["gap"] < 0, "direction"] = _higher(label_b)
    return frame


def _direction_scale(frame: pd.DataFrame, styles: dict[str, str]) -> alt.Scale:
    """A scale fixed to each direction's style, listing only the directions present so the legend stays honest."""
    present = [name for name in styles if name in set(frame["direction"])]
    return alt.Scale(domain=present, range=[styles[name] for name in present])


def _gap_bars(frame: pd.DataFrame, label_a: str, label_b: str) -> alt.Chart:
    reach = max(1.0, math.ceil(2 * float(frame["gap"].abs().max())) / 2)
    colours = {_higher(label_a): HIGHER, _higher(label_b): LOWER, SAME_RATING: SAME}
    legend = _legend()
    return (
        alt.Chart(frame)
        .mark_bar(height={"band": 0.6})
        .encode(
            x=alt.X(
                "gap:Q", scale=alt.Scale(domain=[-reach, reach], nice=False), axis=_gap_axis(reach, label_a, label_b)
            ),
            y=_y(_element_order(frame)),
            color=alt.Color("direction:N", scale=_direction_scale(frame, colours), legend=legend),
            tooltip=[
                alt.Tooltip("element:N", title="Element"),
                alt.Tooltip("mean_a:Q", title=f"{label_a} mean", format=".2f"),
                alt.Tooltip("mean_b:Q", title=f"{label_b} mean", format=".2f"),
                alt.Tooltip("gap:Q", title="Gap", format="+.2f"),
            ],
        )
    )


def perception_gap(gap_frame: pd.DataFrame, label_a: str, label_b: str) -> Chart:
    """Bars of the gap between two groups' mean scores per element (in row order), coloured by its sign."""
    title = f"Perception gap: {label_a} compared with {label_b}"
    if gap_frame.empty:
        return _empty(title)
    frame = gap_directions(gap_frame, label_a, label_b)
    zero = alt.Chart(pd.DataFrame({"gap": [0]})).mark_rule(color=INK).encode(x="gap:Q")
    chart = alt.layer(_gap_bars(frame, label_a, label_b), zero)
    subtitle = f"Bars to the right: rated higher by {label_a}; to the left: rated higher by {label_b}"
    return _sized(chart, frame["element"].nunique(), title, subtitle)


def change_directions(change_frame: pd.DataFrame) -> pd.DataFrame:
    """The change frame without elements missing from either round, with a `direction` of change."""
    frame = change_frame.dropna(subset=["mean_now", "mean_before", "change"]).copy()
    frame["direction"] = "No change"
    frame.loc[frame["change"] > 0, "direction"] = "Improved"
    frame.loc[frame["change"] < 0, "direction"] = "Declined"
    return frame


def _change_arrowheads(frame: pd.DataFrame, base: alt.Chart) -> alt.Chart:
    legend = _legend()
    colours = {"Improved": HIGHER, "Declined": LOWER, "No change": SAME}
    shapes = {"Improved": "triangle-right", "Declined": "triangle-left", "No change": "circle"}
    return base.mark_point(size=170, filled=True, opacity=1).encode(
        x=alt.X("mean_now:Q", scale=_SCORE_SCALE, axis=_mean_axis()),
        color=alt.Color("direction:N", scale=_direction_scale(frame, colours), legend=legend),
        shape=alt.Shape("direction:N", scale=_direction_scale(frame, shapes), legend=legend),
        tooltip=[
            alt.Tooltip("element:N", title="Element"),
            alt.Tooltip("mean_before:Q", title="Previous round", format=".2f"),
            alt.Tooltip("mean_now:Q", title="This round", format=".2f"),
            alt.Tooltip("change:Q", title="Change", format="+.2f"),
        ],
    )


def round_change(change_frame: pd.DataFrame) -> Chart:
    """Arrows from the previous round's mean to this round's, per element (in row order)."""
    title = "Change since the previous round"
    frame = change_directions(change_frame)
    if frame.empty:
        return _empty(title)
    order = _element_order(frame)
    base = alt.Chart(frame).encode(y=_y(order))
    previous = alt.X("mean_before:Q", scale=_SCORE_SCALE, axis=_mean_axis())
    path = base.mark_rule(color="#AEB7BD", strokeWidth=2.5).encode(x=previous, x2="mean_now:Q")
    before = base.mark_point(shape="circle", size=90, color="#768692", filled=True).encode(x=previous)
    chart = alt.layer(path, before, _change_arrowheads(frame, base))
    return _sized(chart, len(order), title, "Grey dot: previous round; arrowhead: this round")
