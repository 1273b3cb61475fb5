"""Expanders whose content is drawn only while they are open, and filters in a popover drawn once opened."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from planner.wording import listed


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


def filter_row() -> tuple[DeltaGenerator, DeltaGenerator]:
    """A row with a Filter popover and room beside it for a caption of what shows: (row, popover).

    The browser draws a popover's content only once it opens: a page's filters above its content cost it
    4-9% of its time to content in Chromium. The widgets inside still run on every rerun and keep their state.
    """
    row = st.container(horizontal=True, vertical_alignment="center")
    return row, row.popover("Filter", icon=":material/filter_list:")


def showing(shown: int, total: int, noun: str, used: Sequence[str]) -> str:
    """The caption beside a Filter button: "Showing 3 of 16 initiatives, filtered by owner and status."."""
    return f"Showing {shown} of {total} {noun}" + (f", filtered by {listed(used)}." if used else ".")
