"""Messages set in a callback and shown once at the top of the next run."""

from __future__ import annotations

import streamlit as st

KEY = "planner_flash"


def _push(kind: str, text: str) -> None:
    st.session_state.setdefault(KEY, []).append((kind, text))


def success(text: str) -> None:
    """Queue a success message."""
    _push("success", text)


def info(text: str) -> None:
    """Queue a neutral message."""
    _push("info", text)


def error(text: str) -> None:
    """Queue an error message."""
    _push("error", text)


def show() -> None:
    """Render and clear the queued messages."""
    for kind, text in st.session_state.pop(KEY, []):
        if kind == "success":
            st.success(text, icon=":material/check_circle:")
        elif kind == "info":
            st.info(text, icon=":material/info:")
        else:
            st.error(text, icon=":material/error:")
