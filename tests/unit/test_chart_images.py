"""Charts drawn as SVG pictures on the server: size, type, alt text, dates in data, user text kept as text."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import altair as alt
import pandas as pd
import pytest

from planner import chart_images, charts

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<img src=x onerror=alert(1)> & "quotes"'


def _bars(names: list[str], title: str | alt.TitleParams = "Scores") -> alt.Chart:
    frame = pd.DataFrame({"name": names, "score": range(1, len(names) + 1)})
    chart = alt.Chart(frame).mark_bar().encode(x="score:Q", y=alt.Y("name:N", title=None))
    return chart.properties(title=title, width="container", height=30 * len(names))


def _texts(svg: str) -> list[str]:
    return ["".join(text.itertext()) for text in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def test_charts_are_drawn_at_a_fixed_width() -> None:
    spec = {"width": "container", "layer": [{"width": "container", "mark": "bar"}], "height": 40}

    assert chart_images.fixed_width(spec, 500) == {"width": 500, "layer": [{"width": 500, "mark": "bar"}], "height": 40}


@pytest.mark.parametrize("width", [480, chart_images.WIDTH])
def test_the_whole_picture_is_as_wide_as_asked_whatever_the_labels(width: int) -> None:
    short = chart_images.picture(_bars(["A", "B"]), width)
    long = chart_images.picture(_bars(["A capability with a long name indeed", "B"]), width)

    for picture in (short, long):
        assert ElementTree.fromstring(picture.svg).get("width") == str(width)


def test_the_picture_uses_the_apps_type_and_draws_every_label() -> None:
    svg = chart_images.picture(_bars(["Sharing the vision", "Improvement skills"])).svg

    assert "font-family=\"Arial, Helvetica, 'Liberation Sans', sans-serif\"" in svg
    assert {"Scores", "Sharing the vision", "Improvement skills"} <= set(_texts(svg))
    marks = [group for group in ElementTree.fromstring(svg).iter(f"{SVG}g") if "role-mark" in group.get("class", "")]
    assert marks and not [mark for group in marks for mark in group if mark.get("aria-label")], "the alt text speaks"


def test_the_alt_text_is_the_title_and_subtitle() -> None:
    titled = _bars(["A"], alt.TitleParams("Roadmap", subtitle=["Grouped by type", "coloured by status"]))

    assert chart_images.picture(titled).alt == "Roadmap. Grouped by type coloured by status"
    assert chart_images.picture(_bars(["A"], "Scores")).alt == "Scores"


def test_dates_in_the_data_are_drawn_on_a_time_axis() -> None:
    frame = pd.DataFrame({"day": [date(2024, 1, 1), date(2026, 1, 1)], "value": [1, 2]}, dtype=object)
    chart = alt.Chart(frame).mark_line().encode(x="day:T", y="value:Q").properties(width="container")

    texts = _texts(chart_images.picture(chart).svg)

    assert {"2024", "2025", "2026"} <= set(texts), texts


def test_other_objects_in_the_data_are_refused_not_drawn_as_text() -> None:
    chart = alt.Chart(pd.DataFrame({"x": [object()]}, dtype=object)).mark_point().encode(x="x:N")

    with pytest.raises(TypeError, match="object in chart data"):
        chart_images.picture(chart)


def test_user_text_stays_text_in_the_picture() -> None:
    svg = chart_images.picture(_bars([HOSTILE, "B"], HOSTILE)).svg

    root = ElementTree.fromstring(svg)  # well-formed: the markup is escaped, not parsed
    assert not [element for element in root.iter() if element.tag.split("}")[-1] in {"img", "script", "foreignObject"}]
    assert HOSTILE in _texts(svg)


def test_the_capability_gap_chart_has_a_legend_of_the_kinds() -> None:
    gaps = pd.DataFrame(
        {"capability": ["Shared leadership", "Improvement skills"], "kind": ["collective", "individual"],
         "current": [1.0, 2.0], "required": [3.0, 3.0], "gap": [2.0, 1.0], "priority": [6.0, 2.0],
         "tiers": [1, 1]}
    )  # fmt: skip

    chart = charts.capability_gap_chart(gaps, {0: "Not in place", 1: "Essential", 2: "Proficient", 3: "Strong"})
    root = ElementTree.fromstring(chart_images.picture(chart).svg)

    legends = [group for group in root.iter(f"{SVG}g") if "role-legend-label" in group.get("class", "")]
    assert ["".join(text.itertext()) for group in legends for text in group.iter(f"{SVG}text")] == [
        "Individual", "Collective"
    ]  # fmt: skip
