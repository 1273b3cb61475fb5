"""Charts as SVG pictures, drawn on the server by vl-convert in the app's type and colours.

The pages show pictures rather than live Vega charts: in Chromium every live chart cost its page
60–110 ms of JavaScript on each load, for every viewer, where a picture costs next to nothing and is
drawn once per chart and data in the server process (planner/ui/chart_display.py keeps it).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner import charts, renderer

# Pixels of the whole picture. A picture narrows with its column but never widens, and its text shrinks with it:
# 800 fills a 1,280-pixel window's column beside the sidebar and keeps labels legible down to about 1,024.
WIDTH = 800
SVG_URL = "data:image/svg+xml;base64,"
INK, MUTED, GRID = "#1F2A33", "#5C6770", "#E6EAF1"
# Close to Streamlit's own chart theme, so that pictures sit with the page's text.
THEME: dict[str, Any] = {
    # Inside an <img> only the viewer's system fonts apply; vl-convert measures text in its own Liberation
    # Sans, which has Arial's and Helvetica's metrics, so labels fit as measured.
    "font": "Arial, Helvetica, 'Liberation Sans', sans-serif",
    "background": "#FFFFFF",
    "view": {"stroke": None},
    "aria": False,  # inside an <img> the marks' ARIA labels reach nobody: the picture's alt text does
    "title": {"color": INK, "subtitleColor": INK, "fontSize": 16, "fontWeight": 600, "anchor": "start",
              "subtitleFontSize": 12, "subtitlePadding": 4, "offset": 12},
    "axis": {"labelColor": MUTED, "titleColor": MUTED, "labelFontSize": 12, "titleFontSize": 14,
             "titleFontWeight": 400, "gridColor": GRID, "domain": False, "ticks": False, "labelPadding": 8,
             "titlePadding": 12},
    "legend": {"labelColor": MUTED, "titleColor": MUTED, "labelFontSize": 14, "titleFontSize": 14,
               "titleFontWeight": 400},
}  # fmt: skip


def fixed_width(spec: Any, width: int) -> Any:
    """A Vega-Lite spec with every "container" width replaced by a number (there is no container off screen)."""
    if isinstance(spec, dict):
        return {key: width if key == "width" and value == "container" else fixed_width(value, width)
                for key, value in spec.items()}  # fmt: skip
    if isinstance(spec, list):
        return [fixed_width(item, width) for item in spec]
    return spec


@dataclass(frozen=True)
class Picture:
    """A chart drawn as SVG, as a data URL (encoded once, not on every rerun), with the text that stands for it."""

    url: str
    alt: str

    @property
    def svg(self) -> str:
        """The SVG document itself."""
        return base64.b64decode(self.url.partition(",")[2]).decode()


def picture(chart: charts.Chart, width: int = WIDTH) -> Picture:
    """The chart as an SVG picture `width` pixels wide in all, axes and labels included."""
    spec = fixed_width(chart.to_dict(validate=False), width)
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    spec["config"] = _merged(THEME, spec.get("config", {}))
    svg = renderer.svg(spec_json(spec))
    return Picture(SVG_URL + base64.b64encode(svg.encode()).decode(), _title(spec.get("title", "")))


def spec_json(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec as JSON text for vl-convert."""
    return json.dumps(spec, default=_iso)


def _iso(value: Any) -> str:
    """Dates in chart data (a pandas column of datetime.date stays objects) as ISO text, which Vega parses."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in chart data")


def _title(title: str | dict[str, Any]) -> str:
    """A chart's title and subtitle as one line of text."""
    if isinstance(title, str):
        return title
    parts = [title.get("text", ""), title.get("subtitle", "")]
    return ". ".join(" ".join(part) if isinstance(part, list) else str(part) for part in parts if part)


def _merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """base with override's keys on top, nested dictionaries merged rather than replaced."""
    merged = dict(base)
    for key, value in override.items():
        both = isinstance(value, dict) and isinstance(base.get(key), dict)
        merged[key] = _merged(base[key], value) if both else value
    return merged
