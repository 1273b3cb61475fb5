"""Pure Altair chart builders for the culture diagnostic: data frames in, charts out."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from planner.workforce import DIMENSION_NAMES, category_order, default_category, is_unknown

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


def _legend(**options: str | float) -> alt.Legend:
    return alt.Legend(title=None, orient="bottom", direction="horizontal", labelLimit=LABEL_LIMIT, **options)


def _gap_axis(reach: float, label_a: str, label_b: str) -> alt.Axis:
    """Ticks every half point (whole points for wide gaps), signed so the direction reads off the axis too."""
    step = 0.5 if reach <= 2 else 1.0
    ticks = [step * index for index in range(-int(reach / step), int(reach / step) + 1)]
    return alt.Axis(title=f"Gap in mean score ({label_a} − {label_b})", values=ticks, labelExpr=SIGNED)


def _by(field: str) -> alt.EncodingSortField:
    """Sort a nominal channel by a numeric column of the data (its position), not by an explicit list.

    Vega-Lite turns a list into a chain of comparisons that Vega evaluates for every row and layer (a 60-row
    order over a 300-cell heatmap was a good part of its drawing time); a column costs nothing.
    """
    return alt.EncodingSortField(field=field, op="min")


def _positions(values: pd.Series, order: list[str]) -> pd.Series:
    """Each value's position in `order` (values not in it after the rest), for sorting with `_by`."""
    return values.map({value: n for n, value in enumerate(order)}).fillna(len(order)).astype(int)


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
    legend = _legend(columns=3)  # six groups on one line are wider than the chart
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


# --- Capabilities: needed vs existing -------------------------------------------------------

KIND_STYLES = {"Individual": ("#005EB8", "circle"), "Collective": ("#ED8B00", "square")}
CAPABILITY_ROW_HEIGHT = 30
HEATMAP_ROW_HEIGHT = 28
# Blue where leaders exceed what is needed, grey on target, orange to red as the shortfall grows.
GAP_COLOURS = {-2: "#005EB8", -1: "#8DB9E4", 0: "#F2F4F5", 1: "#EFA37E", 2: "#C4483E"}
NOT_RATED = "No capability rated on both levels yet"


def _level_axis(level_names: dict[int, str], title: str) -> alt.Axis:
    """Ticks at each whole level, labelled with its number and name."""
    cases = " : ".join(f"datum.value === {value} ? '{value} {name}'" for value, name in level_names.items())
    return alt.Axis(title=title, values=list(level_names), labelExpr=f"{cases} : ''", domain=False, labelFlush=False)


def _kind_names(kinds: pd.Series) -> pd.Series:
    return kinds.fillna("individual").astype(str).str.capitalize()


def _kind_scales(names: pd.Series) -> tuple[alt.Scale, alt.Scale]:
    """Colour and shape scales listing only the kinds present, so the legend stays honest."""
    present = [name for name in KIND_STYLES if name in set(names)] or list(KIND_STYLES)
    colours = alt.Scale(domain=present, range=[KIND_STYLES[name][0] for name in present])
    return colours, alt.Scale(domain=present, range=[KIND_STYLES[name][1] for name in present])


def _dumbbell_frame(gaps: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "capability": gaps["capability"].astype(str),
            "kind": _kind_names(gaps["kind"]),
            "required": gaps["required"].astype(float),
            "current": gaps["current"].astype(float),
            "gap": gaps["gap"].astype(float),
            "priority": gaps["priority"].astype(float),
            "tiers": gaps["tiers"].astype(int),
        }
    )
    frame["end"] = frame[["required", "current"]].max(axis=1)
    frame["capability_position"] = range(len(frame))
    frame["label"] = [
        f"gap {gap:+.1f} · priority {priority:.1f}" for gap, priority in zip(frame.gap, frame.priority, strict=True)
    ]
    return frame


def _dumbbell_tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("capability:N", title="Capability"),
        alt.Tooltip("kind:N", title="Kind"),
        alt.Tooltip("current:Q", title="Current level", format=".1f"),
        alt.Tooltip("required:Q", title="Required level", format=".1f"),
        alt.Tooltip("gap:Q", title="Gap", format="+.1f"),
        alt.Tooltip("priority:Q", title="Priority", format=".1f"),
        alt.Tooltip("tiers:Q", title="Tiers rated"),
    ]


def _dumbbell_layers(frame: pd.DataFrame, level_names: dict[int, str]) -> list[alt.Chart]:
    # Room right of the top level for "gap +2.2 · priority 21.0" beside a marker there, at the pictures' width.
    scale = alt.Scale(domain=[0, max(level_names) + 1.8], nice=False)
    x_current = alt.X("current:Q", scale=scale, axis=_level_axis(level_names, "Capability level"))
    colours, shapes = _kind_scales(frame["kind"])
    legend = _legend(symbolOpacity=1)  # not the faint rules' opacity
    kind_colour = alt.Color("kind:N", scale=colours, legend=legend)
    kind_shape = alt.Shape("kind:N", scale=shapes, legend=legend)
    base = alt.Chart(frame).encode(
        y=alt.Y("capability:N", sort=_by("capability_position"), title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    )
    tooltip = _dumbbell_tooltip()
    return [
        base.mark_rule(strokeWidth=3, opacity=0.45).encode(
            x=x_current, x2="required:Q", color=kind_colour
        ),  # the same legend as the markers': a layer's legend=None would drop the merged legend altogether
        base.mark_point(filled=False, size=120, strokeWidth=2.5, opacity=1).encode(
            x=x_current, color=kind_colour, shape=kind_shape, tooltip=tooltip
        ),
        base.mark_point(filled=True, size=150, opacity=1).encode(
            x=alt.X("required:Q", scale=scale), color=kind_colour, shape=kind_shape, tooltip=tooltip
        ),
        base.mark_text(align="left", dx=12, fontSize=11, color="#425563").encode(
            x=alt.X("end:Q", scale=scale), text="label:N"
        ),
    ]


def capability_gap_chart(gaps: pd.DataFrame, level_names: dict[int, str]) -> Chart:
    """Per capability, in the frame's (priority) order: current level → required level, coloured by kind."""
    title = "Capability gaps: current → required level"
    if gaps.empty:
        return _empty(title)
    frame = _dumbbell_frame(gaps)
    chart = alt.layer(*_dumbbell_layers(frame, level_names))
    subtitle = "Open marker: current level · filled marker: required level · highest priority (gap × importance) first"
    return _sized_rows(chart, len(frame), CAPABILITY_ROW_HEIGHT, title, subtitle)


def _sized_rows(chart: Chart, rows: int, row_height: int, title: str, subtitle: str) -> Chart:
    heading = alt.TitleParams(title, subtitle=subtitle, anchor="start", subtitleColor="#425563")
    return chart.properties(title=heading, width="container", height=row_height * max(rows, 1))


def _signed(value: float) -> str:
    """A gap as Vega's SIGNED legend labels write it: +1.5, +2, 0, −0.5 (with a minus sign)."""
    text = f"{value:+.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("+", "-", "+0", "-0") else text.replace("-", "\u2212")


def _heatmap_frame(cells: pd.DataFrame) -> pd.DataFrame:
    rated = cells.dropna(subset=["gap"])
    frame = pd.DataFrame(
        {
            "capability": rated["capability"].astype(str),
            "kind": _kind_names(rated["kind"]),
            "tier": rated["tier"].astype(str),
            "tier_position": rated["tier_position"].astype(int),
            "required": rated["required"].astype(float),
            "current": rated["current"].astype(float),
            "gap": rated["gap"].astype(float),
            "assessors": rated["assessors"].astype(int),
            "disagree": rated["disagree"].astype(bool),
        }
    ).reset_index(drop=True)
    # Written here, not as Vega expressions, which Vega would evaluate cell by cell at every drawing.
    frame["text"] = [_signed(gap) for gap in frame["gap"]]
    frame["ink"] = ["white" if abs(gap) >= 1.5 else INK for gap in frame["gap"]]
    return frame


def _heatmap_layers(frame: pd.DataFrame) -> list[alt.Chart]:
    colour = alt.Color(
        "gap:Q",
        scale=alt.Scale(domain=list(GAP_COLOURS), range=list(GAP_COLOURS.values()), clamp=True, interpolate="rgb"),
        legend=alt.Legend(title="Gap (levels)", orient="bottom", values=list(GAP_COLOURS), labelExpr=SIGNED),
    )
    base = alt.Chart(frame).encode(
        x=alt.X(
            "tier:N", sort=_by("tier_position"), title=None, axis=alt.Axis(orient="top", labelAngle=0, labelFontSize=12)
        ),
        y=alt.Y("capability:N", sort=_by("capability_position"), title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
    )
    tooltip = [
        alt.Tooltip("capability:N", title="Capability"),
        alt.Tooltip("tier:N", title="Tier"),
        alt.Tooltip("required:Q", title="Required (median)", format=".1f"),
        alt.Tooltip("current:Q", title="Current (median)", format=".1f"),
        alt.Tooltip("gap:Q", title="Gap", format="+.1f"),
        alt.Tooltip("assessors:Q", title="Assessors"),
        alt.Tooltip("disagree:N", title="Assessors differ by 2+ levels"),
    ]
    return [
        base.mark_rect(stroke="white", strokeWidth=1).encode(color=colour, tooltip=tooltip),
        base.transform_filter("datum.disagree").mark_rect(
            fillOpacity=0, stroke=INK, strokeWidth=2.5, strokeDash=[4, 2]
        ),
        base.mark_text(fontSize=12).encode(text="text:N", color=alt.Color("ink:N", scale=None), tooltip=tooltip),
    ]


def capability_heatmap(cells: pd.DataFrame, order: list[str] | None = None) -> Chart:
    """Capability × tier cells coloured by gap (required − current), the gap written in, disagreements outlined."""
    title = "Gap by capability and tier"
    frame = _heatmap_frame(cells) if not cells.empty else pd.DataFrame()
    if frame.empty:
        return _empty(title)
    rows = order or list(dict.fromkeys(frame["capability"]))
    frame["capability_position"] = _positions(frame["capability"], rows)
    # The text's colour is written in each row (scale None), so it must not share the gap's colour scale.
    chart = alt.layer(*_heatmap_layers(frame)).resolve_scale(color="independent")
    subtitle = "Red: short of the level needed · blue: above it · dashed outline: assessors differ by 2+ levels"
    return _sized_rows(chart, frame["capability"].nunique(), HEATMAP_ROW_HEIGHT, title, subtitle)


# --- Leadership workforce: diversity mix by tier and the leadership pipeline ------------------
# Both take planner.workforce frames: diversity_mix its counts(), pipeline its representation(). In the
# mix, the Whole workforce's share of the highlighted category is a black tick on every bar and the
# Local population's, when entered, an orange diamond.

MIX_ROW_HEIGHT = 44
PIPELINE_HEIGHT = 300
WORKFORCE_MARK = INK
LOCAL_MARK = "#ED8B00"
UNSTATED = "#CDD3D8"
# Fixed colours so a category keeps its colour whichever category is highlighted; NHS identity palette.
COLOURS = {
    "gender": {"Female": "#005EB8", "Male": "#41B6E6", "Other": "#ED8B00"},
    "ethnicity": {"BME": "#005EB8", "White": "#A6B3BD"},
    "ethnic_group": {
        "Asian": "#005EB8",
        "Black": "#330072",
        "Mixed": "#00A9CE",
        "Other": "#ED8B00",
        "White": "#A6B3BD",
    },
    "disability": {"Yes": "#005EB8", "No": "#A6B3BD"},
    "staff_group": {"Medical and dental": "#005EB8", "Other clinical": "#41B6E6", "Non-clinical": "#FFB81C"},
}
SEQUENCE = ["#C6DBEF", "#8DB9E4", "#41B6E6", "#0072CE", "#005EB8", "#003087", "#001A4D"]  # age bands, young → old
SPARE = ["#ED8B00", "#009639", "#AE2573", "#768692", "#00A9CE", "#7C2855"]
DARK = {"#005EB8", "#330072", "#0072CE", "#003087", "#001A4D", "#009639", "#AE2573", "#7C2855", "#768692"}


def mix_order(dimension: str, categories: list[str], category: str | None) -> list[str]:
    """Stack order: the highlighted category first (so the benchmark marks where it ends), then display order."""
    ordered = category_order(dimension, categories)
    return [category, *(c for c in ordered if c != category)] if category in ordered else ordered


def _colours(dimension: str, order: list[str]) -> list[str]:
    fixed = COLOURS.get(dimension, {})
    stated = sorted((c for c in order if not is_unknown(c)), key=category_order(dimension, order).index)
    spare = iter(SEQUENCE if dimension == "age_band" and len(stated) <= len(SEQUENCE) else SPARE * 4)
    colours = {c: fixed.get(c) or next(spare) for c in stated}
    return [UNSTATED if is_unknown(c) else colours[c] for c in order]


def mix_segments(counts: pd.DataFrame, dimension: str, category: str | None = None) -> pd.DataFrame:
    """Each tier's (and the Whole workforce's) categories as share spans [x0, x1] in stack order, with counts."""
    rows = counts[(counts["dimension"] == dimension) & (counts["kind"] != "local")]
    if rows.empty:
        return rows.assign(share=[], x0=[], x1=[], stack=[])
    order = mix_order(dimension, list(rows["category"]), category)
    frame = rows.assign(stack=rows["category"].map(order.index)).sort_values(["position", "stack"], kind="stable")
    frame["share"] = frame["count"] / frame.groupby("tier_key")["count"].transform("sum").where(lambda s: s > 0)
    frame["x1"] = frame.groupby("tier_key")["share"].cumsum()
    frame["x0"] = frame["x1"] - frame["share"]
    return frame.reset_index(drop=True)


def _benchmark(counts: pd.DataFrame, dimension: str, category: str, kind: str) -> float:
    """The share of `category` among everyone counted for the Whole workforce or Local population (NaN if none)."""
    rows = counts[(counts["dimension"] == dimension) & (counts["kind"] == kind)]
    total = rows["count"].sum()
    return float(rows.loc[rows["category"] == category, "count"].sum() / total) if total else math.nan


def _tier_axis(order: list[str]) -> alt.Y:
    return alt.Y("tier:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT, labelFontSize=12))


def _mix_bars(segments: pd.DataFrame, dimension: str, tiers: list[str], order: list[str]) -> list[alt.Chart]:
    colour = alt.Color(
        "category:N",
        sort=order,
        scale=alt.Scale(domain=order, range=_colours(dimension, order)),
        legend=alt.Legend(title=None, orient="bottom", direction="horizontal", symbolType="square"),
    )
    axis = alt.Axis(format="%", title="Share of headcount", values=[step / 10 for step in range(11)])
    x = alt.X("x0:Q", scale=alt.Scale(domain=[0, 1], nice=False), axis=axis)
    tooltip = [
        alt.Tooltip("tier:N", title="Tier"),
        alt.Tooltip("category:N", title=DIMENSION_NAMES.get(dimension, dimension)),
        alt.Tooltip("count:Q", title="Headcount", format=","),
        alt.Tooltip("share:Q", title="Share", format=".1%"),
    ]
    base = alt.Chart(segments).encode(y=_tier_axis(tiers), tooltip=tooltip)
    bars = base.mark_bar(height={"band": 0.72}, stroke="white", strokeWidth=1).encode(x=x, x2="x1:Q", color=colour)
    return [bars, _share_labels(segments, dimension, tiers, order)]


def _share_labels(segments: pd.DataFrame, dimension: str, tiers: list[str], order: list[str]) -> alt.Chart:
    """Each segment's share written in its middle (when wide enough), white on dark colours."""
    colours = dict(zip(order, _colours(dimension, order), strict=True))
    labelled = segments.assign(
        middle=(segments["x0"] + segments["x1"]) / 2,
        label=segments["share"].map(lambda s: f"{s:.0%}" if s >= 0.08 else ""),
        ink=["white" if colours[c] in DARK else INK for c in segments["category"]],
    )
    return (
        alt.Chart(labelled)
        .mark_text(fontSize=11)
        .encode(x="middle:Q", y=_tier_axis(tiers), text="label:N", color=alt.Color("ink:N", scale=None))
    )


def _marks(tiers: list[str], share: float, label: str, workforce: bool) -> alt.Chart:
    """A benchmark share on every bar: a black tick for the workforce, an orange diamond for the local population."""
    frame = pd.DataFrame({"tier": tiers, "share": share, "benchmark": label})
    tooltip = [alt.Tooltip("benchmark:N", title="Benchmark"), alt.Tooltip("share:Q", title="Share", format=".1%")]
    base = alt.Chart(frame).encode(x="share:Q", y=_tier_axis(tiers), tooltip=tooltip)
    if workforce:
        return base.mark_tick(color=WORKFORCE_MARK, thickness=3, size=MIX_ROW_HEIGHT * 0.9)
    return base.mark_point(shape="diamond", filled=True, size=140, color=LOCAL_MARK, stroke="white", strokeWidth=1.5)


def diversity_mix(counts: pd.DataFrame, dimension: str, category: str | None = None) -> Chart:
    """Stacked 100% bars per tier, Board at the top, Whole workforce last; `category` first, its benchmarks marked."""
    name = DIMENSION_NAMES.get(dimension, dimension)
    title = f"Diversity mix by tier — {name}"
    category = category or default_category(dimension, counts.loc[counts["dimension"] == dimension, "category"])
    segments = mix_segments(counts, dimension, category)
    if segments.empty or category is None:
        return _empty(title)
    tiers = list(dict.fromkeys(segments["tier"]))
    layers = _mix_bars(segments, dimension, tiers, mix_order(dimension, list(segments["category"]), category))
    notes = []
    for kind, label, style in (
        ("whole", "Whole workforce", "black tick"),
        ("local", "Local population", "orange diamond"),
    ):
        share = _benchmark(counts, dimension, category, kind)
        if not math.isnan(share):
            layers.append(_marks(tiers, share, label, kind == "whole"))
            notes.append(f"; {style}: {label.lower()}'s share {share:.0%}")
    subtitle = f"Share of each tier's headcount, not stated included; {category} first{''.join(notes)}"
    heading = alt.TitleParams(title, subtitle=subtitle, anchor="start", subtitleColor="#425563")
    return alt.layer(*layers).properties(title=heading, width="container", height=MIX_ROW_HEIGHT * len(tiers))


def _reference(share: float, label: str, colour: str, dash: list[int]) -> list[alt.Chart]:
    """A horizontal line at a benchmark share, labelled at its right-hand end."""
    frame = pd.DataFrame({"share": [share], "label": [f"{label} {share:.0%}"]})
    rule = alt.Chart(frame).mark_rule(color=colour, strokeWidth=2, strokeDash=dash).encode(y="share:Q")
    text = alt.Chart(frame).mark_text(align="right", dy=-8, x="width", color=colour, fontSize=12, fontWeight="bold")
    return [rule, text.encode(y="share:Q", text="label:N")]


def pipeline(representation: pd.DataFrame) -> Chart:
    """The category's share (of those known) in each tier, First-line up to Board, against the workforce line."""
    category = str(representation["category"].iloc[0]) if not representation.empty else ""
    title = f"Leadership pipeline: share {category} by tier"
    frame = representation.dropna(subset=["share"]).sort_values("position", ascending=False)
    if frame.empty:
        return _empty(title)
    tiers = list(frame["tier"])
    benchmarks = [float(frame[c].iloc[0]) for c in ("workforce_share", "local_share")]
    top = max([float(frame["share"].max()), *(b for b in benchmarks if not math.isnan(b))])
    y = alt.Y(
        "share:Q", title=f"Share {category}", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, _ceiling(top)])
    )
    x = alt.X("tier:N", sort=tiers, title=None, axis=alt.Axis(labelAngle=0, labelFontSize=12))
    base = alt.Chart(frame).encode(x=x, y=y, tooltip=_pipeline_tooltip(category))
    layers = [base.mark_line(color="#005EB8", strokeWidth=3), base.mark_point(filled=True, size=120, color="#005EB8")]
    styles = (("Whole workforce", WORKFORCE_MARK, []), ("Local population", LOCAL_MARK, [6, 4]))
    for share, (label, colour, dash) in zip(benchmarks, styles, strict=True):
        if not math.isnan(share):
            layers += _reference(share, label, colour, dash)
    subtitle = "From First-line leaders (left) up to the Board (right); share among those whose answer is known"
    heading = alt.TitleParams(title, subtitle=subtitle, anchor="start", subtitleColor="#425563")
    return alt.layer(*layers).properties(title=heading, width="container", height=PIPELINE_HEIGHT)


def _pipeline_tooltip(category: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("tier:N", title="Tier"),
        alt.Tooltip("count:Q", title=category, format=","),
        alt.Tooltip("known:Q", title="Known headcount", format=","),
        alt.Tooltip("share:Q", title="Share", format=".1%"),
        alt.Tooltip("difference_pp:Q", title="Difference from workforce (pp)", format="+.1f"),
        alt.Tooltip("relative:Q", title="Relative representation", format=".2f"),
    ]


def _ceiling(top: float) -> float:
    """A y-axis top a little above the highest share, on a round 10%, never above 100%."""
    return min(1.0, math.ceil((top * 1.15 + 1e-9) * 10) / 10) if top > 0 else 1.0


# --- Means: coverage of priorities and weak elements ------------------------------------------
# Takes planner.means.coverage(...).matrix: one row per (coverage row, means), status current/planned/none.

COVERAGE_ROW_HEIGHT = 30
UNCOVERED = "uncovered"
UNCOVERED_INK = "#C4483E"
COVERAGE_CELLS = {
    "Current": "#005EB8",
    "Planned": "#8DB9E4",
    "Not by this means": "#F2F4F5",
    "Uncovered": "#F6D5D1",
}
NO_MEANS = "No means yet"
COVERAGE_TEXT_COLUMNS = 12  # more means, and "planned" no longer fits its cell in a chart of chart_images.WIDTH


def coverage_frame(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix with display labels: uncovered rows suffixed "— uncovered", and each cell's legend name."""
    uncovered = matrix["uncovered"].astype(bool)
    cell = matrix["status"].map({"current": "Current", "planned": "Planned"}).fillna("Not by this means")
    frame = matrix.assign(
        row_label=matrix["row"].where(~uncovered, matrix["row"] + f" — {UNCOVERED}"),
        means=matrix["means"].replace("", NO_MEANS),
        cell=cell.where(~uncovered, "Uncovered"),
        text=matrix["status"].where(matrix["status"] != "none", ""),
        ink=matrix["status"].map(lambda status: "white" if status == "current" else INK),
    )
    rows = list(frame.sort_values("row_position", kind="stable")["row_label"].drop_duplicates())
    columns = list(frame.sort_values("means_position", kind="stable")["means"].drop_duplicates())
    return frame.assign(row_order=_positions(frame["row_label"], rows), means_order=_positions(frame["means"], columns))


def _coverage_axes() -> dict[str, alt.X | alt.Y]:
    red = f"indexof(datum.value, '— {UNCOVERED}') >= 0"
    y_axis = alt.Axis(
        labelLimit=LABEL_LIMIT,
        labelFontSize=12,
        labelColor=alt.ExprRef(f"{red} ? '{UNCOVERED_INK}' : '{INK}'"),
        labelFontWeight=alt.ExprRef(f"{red} ? 'bold' : 'normal'"),
    )
    x_axis = alt.Axis(orient="bottom", labelAngle=-35, labelLimit=220, labelFontSize=11, labelOverlap=False)
    return {
        "x": alt.X("means:N", sort=_by("means_order"), title=None, axis=x_axis),
        "y": alt.Y("row_label:N", sort=_by("row_order"), title=None, axis=y_axis),
    }


def coverage_heatmap(matrix: pd.DataFrame) -> Chart:
    """Priorities and weak elements × means: current and planned cover in two blues, uncovered rows in red."""
    title = "Coverage: priorities and weak cultural elements × means"
    if matrix.empty:
        return _empty(title)
    frame = coverage_frame(matrix)
    colour = alt.Color(
        "cell:N",
        scale=alt.Scale(domain=list(COVERAGE_CELLS), range=list(COVERAGE_CELLS.values())),
        legend=_legend(symbolType="square"),
    )
    tooltip = [
        alt.Tooltip("row:N", title="Priority or element"),
        alt.Tooltip("means:N", title="Means"),
        alt.Tooltip("cell:N", title="Cover"),
    ]
    base = alt.Chart(frame).encode(**_coverage_axes())
    cells = base.mark_rect(stroke="white", strokeWidth=1.5).encode(color=colour, tooltip=tooltip)
    subtitle = "Dark blue: a current means covers the row · light blue: a planned one · red: uncovered"
    if frame["means"].nunique() > COVERAGE_TEXT_COLUMNS:
        return _sized_rows(cells, frame["row"].nunique(), COVERAGE_ROW_HEIGHT, title, subtitle)
    text = base.mark_text(fontSize=10).encode(text="text:N", color=alt.Color("ink:N", scale=None), tooltip=tooltip)
    chart = alt.layer(cells, text).resolve_scale(color="independent")  # the text's colour is in each row
    return _sized_rows(chart, frame["row"].nunique(), COVERAGE_ROW_HEIGHT, title, subtitle)


# --- Initiatives: the roadmap and the check-in trend -----------------------------------------
# Takes planner.initiatives.portfolio(...) (status_label holds the derived status) and check_ins(...).

ROADMAP_ROW_HEIGHT = 24
STATUS_COLOURS = {
    "Not started": "#AEB7BD",
    "On track": "#009639",
    "At risk": "#ED8B00",
    "Off track": "#DA291C",
    "Done": "#005EB8",
}
RAG_COLOURS = {"Green": "#009639", "Amber": "#ED8B00", "Red": "#DA291C"}
TODAY_INK = "#7C2855"
HEADING_FILL = "#E8EDEE"


def _iso(day: object) -> str:
    return pd.Timestamp(day).strftime("%Y-%m-%d")


def _quarter_start(day: object) -> pd.Timestamp:
    return pd.Period(pd.Timestamp(day), freq="Q").start_time.normalize()


def _quarter_after(day: object) -> pd.Timestamp:
    """The first quarter start on or after `day`."""
    start = _quarter_start(day)
    return start if start == pd.Timestamp(day) else (pd.Period(start, freq="Q") + 1).start_time.normalize()


def _utc(day: pd.Timestamp) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def _unique_labels(titles: list[str], reserved: list[str]) -> list[str]:
    """Titles made unique (and distinct from the `reserved` headings) by a counter: "Coaching (2)"."""
    seen = dict.fromkeys(reserved, 1)
    labels = []
    for title in titles:
        seen[title] = seen.get(title, 0) + 1
        labels.append(title if seen[title] == 1 else f"{title} ({seen[title]})")
    return labels


def roadmap_frame(portfolio: pd.DataFrame, kind_names: dict[str, str] | None = None) -> pd.DataFrame:
    """Initiatives with both dates, by type then start: ISO start, bar end (the day after the end) and labels."""
    dated = portfolio[portfolio["start"].notna() & portfolio["end"].notna()]
    names = kind_names or {}
    order = {kind: n for n, kind in enumerate(names)}
    dated = dated.assign(
        kind_order=dated["kind"].map(order).fillna(len(order)),
        kind_label=dated["kind"].map(lambda kind: names.get(kind, str(kind).replace("_", " ").capitalize())),
        start_iso=dated["start"].map(_iso),
    ).sort_values(["kind_order", "start_iso", "id"], kind="stable")
    return dated.assign(
        label=_unique_labels(list(dated["title"]), list(dict.fromkeys(dated["kind_label"]))),
        end_iso=dated["end"].map(_iso),
        bar_end=dated["end"].map(lambda day: _iso(pd.Timestamp(day) + pd.Timedelta(days=1))),
        last_iso=dated["last_check_in"].map(lambda day: _iso(day) if day is not None and pd.notna(day) else "none"),
    )[["id", "label", "kind_label", "owner", "status_label", "percent_complete", "start_iso", "end_iso", "bar_end",
       "last_iso"]]  # fmt: skip


def roadmap_domain(
    frame: pd.DataFrame, horizon_start: object, horizon_end: object, today: object
) -> list[pd.Timestamp]:
    """Whole quarters covering the plan's horizon and every bar (today ± a year when neither is known)."""
    starts = [pd.Timestamp(day) for day in [horizon_start, *frame["start_iso"]] if day is not None]
    ends = [pd.Timestamp(day) for day in [horizon_end, *frame["bar_end"]] if day is not None]
    low = min(starts) if starts else pd.Timestamp(today) - pd.DateOffset(years=1)
    high = max(ends) if ends else pd.Timestamp(today) + pd.DateOffset(years=1)
    return [_quarter_start(low), _quarter_after(high)]


def _roadmap_x(domain: list[pd.Timestamp], field: str = "start_iso") -> alt.X:
    quarters = alt.Axis(
        title=None, format="%b %Y", tickCount={"interval": "month", "step": 3}, labelAngle=0, labelOverlap=True,
        orient="top", gridColor="#D5DBDE", labelFontSize=11,
    )  # fmt: skip
    return alt.X(f"{field}:T", scale=alt.Scale(type="utc", domain=[_utc(day) for day in domain]), axis=quarters)


def _roadmap_y(headings: list[str]) -> alt.Y:
    heading = f"indexof({headings!r}, datum.value) >= 0"
    axis = alt.Axis(
        labelLimit=LABEL_LIMIT, labelFontSize=12, labelColor=alt.ExprRef(f"{heading} ? '{INK}' : '#425563'"),
        labelFontWeight=alt.ExprRef(f"{heading} ? 'bold' : 'normal'"), ticks=False, domain=False,
    )  # fmt: skip
    return alt.Y("label:N", sort=_by("label_order"), title=None, axis=axis)


def _roadmap_bars(frame: pd.DataFrame, domain: list[pd.Timestamp], y: alt.Y) -> alt.Chart:
    colour = alt.Color(
        "status_label:N",
        title="Status",
        scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
        legend=alt.Legend(title=None, orient="bottom", direction="horizontal", symbolType="square"),
    )
    tooltip = [
        alt.Tooltip("label:N", title="Initiative"),
        alt.Tooltip("kind_label:N", title="Type"),
        alt.Tooltip("owner:N", title="Owner"),
        alt.Tooltip("start_iso:N", title="Start"),
        alt.Tooltip("end_iso:N", title="End"),
        alt.Tooltip("status_label:N", title="Status"),
        alt.Tooltip("percent_complete:Q", title="% complete"),
        alt.Tooltip("last_iso:N", title="Last check-in"),
    ]
    bars = alt.Chart(frame).mark_bar(cornerRadius=3, height={"band": 0.7})
    return bars.encode(x=_roadmap_x(domain), x2="bar_end:T", y=y, color=colour, tooltip=tooltip)


def _roadmap_headings(headings: list[str], order: list[int], domain: list[pd.Timestamp], y: alt.Y) -> alt.Chart:
    """A shaded band across each type's heading row, so the groups read apart."""
    data = pd.DataFrame({"label": headings, "start_iso": _iso(domain[0]), "bar_end": _iso(domain[1]),
                         "label_order": order})  # fmt: skip
    band = alt.Chart(data).mark_rect(color=HEADING_FILL, opacity=0.7)
    return band.encode(x=_roadmap_x(domain), x2="bar_end:T", y=y)


def _today(today: object, first_heading: str, domain: list[pd.Timestamp], y: alt.Y) -> list[alt.Chart]:
    """A dashed rule at today across every row, labelled in the first heading's row (which has no bars)."""
    data = pd.DataFrame({"start_iso": [_iso(today)], "label": [first_heading],
                         "text": [f"Today, {pd.Timestamp(today):%d %b %Y}"], "label_order": [0]})  # fmt: skip
    rule = alt.Chart(data).mark_rule(color=TODAY_INK, strokeWidth=2, strokeDash=[5, 3])
    text = alt.Chart(data).mark_text(align="left", dx=5, color=TODAY_INK, fontWeight="bold", fontSize=12)
    return [rule.encode(x=_roadmap_x(domain)), text.encode(x=_roadmap_x(domain), y=y, text="text:N")]


def roadmap(
    portfolio: pd.DataFrame,
    horizon_start: object,
    horizon_end: object,
    today: object,
    kind_names: dict[str, str] | None = None,
) -> Chart:
    """A Gantt of the dated initiatives by quarter over the plan's horizon, grouped by type, coloured by status."""
    title = "Roadmap"
    frame = roadmap_frame(portfolio, kind_names)
    if frame.empty:
        return _empty(title)
    domain = roadmap_domain(frame, horizon_start, horizon_end, today)
    headings = list(dict.fromkeys(frame["kind_label"]))
    order = [label for kind in headings for label in [kind, *frame.loc[frame["kind_label"] == kind, "label"]]]
    frame["label_order"] = _positions(frame["label"], order)
    y = _roadmap_y(headings)
    heading_rows = [order.index(heading) for heading in headings]
    layers = [_roadmap_headings(headings, heading_rows, domain, y), _roadmap_bars(frame, domain, y)]
    chart = alt.layer(*layers, *_today(today, headings[0], domain, y))
    subtitle = "Grouped by type; each bar runs from start to end, coloured by the status from its latest check-in"
    heading = alt.TitleParams(title, subtitle=subtitle, anchor="start", subtitleColor="#425563")
    return chart.properties(title=heading, width="container", height=ROADMAP_ROW_HEIGHT * len(order))


def check_in_trend(check_ins: pd.DataFrame) -> Chart:
    """% complete at each check-in over time, each point coloured by its RAG status."""
    title = "Progress at each check-in"
    if check_ins.empty:
        return _empty(title)
    frame = check_ins.assign(
        day=check_ins["checked_on"].map(_iso), rag_label=check_ins["rag"].map(lambda rag: str(rag).capitalize())
    )
    axis = alt.Axis(title=None, format="%d %b %Y", labelAngle=0, tickCount=6)
    x = alt.X("day:T", scale=alt.Scale(type="utc", padding=16), axis=axis)
    y = alt.Y("percent_complete:Q", title="% complete", scale=alt.Scale(domain=[0, 100], nice=False))
    base = alt.Chart(frame).encode(x=x, y=y)
    line = base.mark_line(color="#768692", strokeWidth=2)
    colour = alt.Color(
        "rag_label:N", scale=alt.Scale(domain=list(RAG_COLOURS), range=list(RAG_COLOURS.values())), legend=_legend()
    )
    tooltip = [
        alt.Tooltip("day:N", title="Date"),
        alt.Tooltip("rag_label:N", title="RAG"),
        alt.Tooltip("percent_complete:Q", title="% complete"),
        alt.Tooltip("note:N", title="Note"),
        alt.Tooltip("author:N", title="By"),
    ]
    points = base.mark_point(filled=True, size=140, opacity=1, stroke="white").encode(color=colour, tooltip=tooltip)
    heading = alt.TitleParams(title, anchor="start")
    return alt.layer(line, points).properties(title=heading, width="container", height=240)


# --- Board summary ---------------------------------------------------------------------------------
# Takes planner.summary.largest_gaps(...): the capability gap chart, titled for the board.


def largest_gaps_chart(gaps: pd.DataFrame, level_names: dict[int, str]) -> Chart:
    """The capability gap chart of the largest gaps, largest first, titled for the board summary."""
    title = f"The {len(gaps)} largest capability gaps" if len(gaps) > 1 else "The largest capability gap"
    if gaps.empty:
        return _empty("Capability gaps")
    subtitle = "Open marker: current level · filled marker: required level · largest gap first"
    heading = alt.TitleParams(title, subtitle=subtitle, anchor="start", subtitleColor="#425563")
    return capability_gap_chart(gaps, level_names).properties(title=heading)
