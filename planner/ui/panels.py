"""Expanders whose content is drawn only while they are open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def lazy(label: str, key: str, *, expanded: bool = False, icon: str | None = None) -> Iterator[bool]:
    """An expander that reruns the page when opened or closed; yields whether it is open (`if open_:`).

    Streamlit mounts the widgets of a closed expander all the same: the closed "Add a context item" form
    cost /context a sixth of its time to content in Chromium. Keyed, so it stays open across saves.
    Keep `label` and `expanded` the same from run to run: Streamlit takes them as part of the expander's
    identity, so a count in the label would close the panel whenever the count changed (put it in a heading).
    """
    with st.expander(label, expanded=expanded, icon=icon, key=key, on_change="rerun") as panel:
        yield panel.open
