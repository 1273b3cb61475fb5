"""Capabilities: leadership capabilities needed versus those that exist, individual and collective."""

import streamlit as st

from planner import overview
from planner.ui import widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("capabilities", ctx)
widgets.require_plan(ctx)

gaps = read_plan(overview.capability_gaps)

if not gaps["Ratings"].any():
    widgets.empty_state("capabilities")
st.caption(f"Levels: {overview.capability_levels()}. Needed and existing levels are averaged over tiers.")
st.dataframe(gaps, hide_index=True)
