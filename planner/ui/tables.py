"""Static tables: small read-only frames drawn as one Markdown table each (text the browser can search)."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
import streamlit as st

from planner.ui.text import markdown_table


def static_table(frame: pd.DataFrame, markdown: Collection[str] = (), right: Collection[str] = ()) -> None:
    """The frame without its index as one Markdown table (see planner.ui.text.markdown_table)."""
    st.markdown(markdown_table(frame, markdown, right))
