"""Charts onto the page: a planner.charts builder's chart as a picture, drawn once per input in this process."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import altair as alt
import streamlit as st

from planner import chart_images, renderer
from planner.ui import memo

LOG = logging.getLogger(__name__)


def show(builder: Callable[..., alt.TopLevelMixin], *args: Any) -> None:
    """Draw builder(*args) as an SVG picture at its natural width, narrower only where the column is.

    The picture is drawn once for the same builder and inputs in this process (memo.chart), so reruns and
    other viewers of unchanged data reuse it; vl-convert takes tens of milliseconds per chart.
    """
    key = memo.digest(builder.__module__, builder.__qualname__, args)
    try:
        picture = memo.chart(key, lambda: chart_images.picture(builder(*args)))
    except (renderer.RenderError, EOFError):  # one chart lost, not the page
        LOG.exception("chart %s not drawn", builder.__qualname__)
        st.warning("A chart could not be drawn here; the server's log says why. Reload the page to try again.",
                   icon=":material/broken_image:")  # fmt: skip
        return
    st.image(picture.url, alt=picture.alt, width="content")
