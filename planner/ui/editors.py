"""Keyed fixed-row data editors whose edited rows map back to the records shown, not to positions (DESIGN §3)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

ROW_HEIGHT = 35


def record_editor(key: str, shown: pd.DataFrame, data: pd.DataFrame | None = None, max_height: int = 600,
                  **options: Any) -> None:  # fmt: skip
    """A fixed-row editor of `data` (default: `shown`); `shown` is kept so its callback can find each edited record."""
    st.session_state[f"{key}_shown"] = shown
    frame = shown if data is None else data
    height = min(ROW_HEIGHT * (len(frame) + 1) + 3, max_height)
    st.data_editor(frame, key=key, num_rows="fixed", hide_index=True, height=height, row_height=ROW_HEIGHT, **options)


def shown_rows(key: str) -> pd.DataFrame:
    """The records the editor `key` showed when it was last drawn."""
    return st.session_state[f"{key}_shown"]


def edited_rows(key: str) -> list[tuple[pd.Series, dict[str, Any]]]:
    """For each row edited in the editor `key`: the record shown there and its changed cells."""
    shown = shown_rows(key)
    return [(shown.iloc[int(position)], changes) for position, changes in st.session_state[key]["edited_rows"].items()]
