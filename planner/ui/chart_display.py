"""Charts onto the page: a planner.charts builder's chart as a picture, drawn once per input in this process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import streamlit as st

from planner import chart_images
from planner.ui import memo


def show(builder: Callable[..., alt.TopLevelMixin], *args: Any) -> None:
    """Draw builder(*args) as an SVG picture at its natural width, narrower only where the column is.

    The picture is drawn once for the same builder and inputs in this process (memo.chart), so reruns and
    other viewers of unchanged data reuse it; vl-convert takes tens of milliseconds per chart.
    """
    key = memo.digest(builder.__module__, builder.__qualname__, args)
    picture = memo.chart(key, lambda: chart_images.picture(builder(*args)))
    st.image(picture.url, alt=picture.alt, width="content")
