"""Charts onto the page: the Vega-Lite spec of a planner.charts builder's chart, built once per input."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Any

import altair as alt
import streamlit as st
from streamlit import dataframe_util

from planner.ui import memo

# Streamlit's own theme styles the charts; Altair's default theme would only add fixed view sizes.
alt.theme.enable("none")
_TRANSFORMER = "planner_arrow"
_lock = threading.Lock()  # Altair's active data transformer is process-wide; sessions run in threads


def _to_arrow(data: Any, datasets: dict[str, bytes]) -> dict[str, str]:
    """Altair data transformer: chart data as Arrow bytes under a content-hashed name, as st.altair_chart does."""
    data_bytes = dataframe_util.convert_anything_to_arrow_bytes(data)
    name = hashlib.md5(data_bytes, usedforsecurity=False).hexdigest()
    datasets[name] = data_bytes
    return {"name": name}


alt.data_transformers.register(_TRANSFORMER, _to_arrow)


def spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's Vega-Lite spec with its data as Arrow, not validated.

    Validating against the Vega-Lite schema (which st.altair_chart does on every rerun) was more than half
    of a results page's server time on a large plan. The builders in planner.charts are validated by their
    unit tests instead.
    """
    datasets: dict[str, bytes] = {}
    with _lock, alt.data_transformers.enable(_TRANSFORMER, datasets=datasets):
        found = chart.to_dict(validate=False)
    return found | {"datasets": {**found.get("datasets", {}), **datasets}}


def show(builder: Callable[..., alt.TopLevelMixin], *args: Any, chrome: int, default_height: int = 120) -> None:
    """Draw builder(*args) at its plot height plus `chrome` pixels for title, axes and legend.

    Streamlit's "content" height squeezes layered charts, hence the explicit height. The spec is built
    once for the same builder and inputs in this process (memo.chart), so reruns and other viewers of
    unchanged data do not build it again.
    """

    def build() -> tuple[dict[str, Any], int]:
        chart = builder(*args)
        return spec(chart), chart.height if isinstance(chart.height, int) else default_height

    found, height = memo.chart(memo.digest(builder.__module__, builder.__qualname__, args), build)
    st.vega_lite_chart(dict(found), height=height + chrome)  # a copy: Streamlit moves the datasets out of it
