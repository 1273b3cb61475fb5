"""Capabilities: leadership capabilities needed versus those that exist, individual and collective."""

import streamlit as st

from planner import overview
from planner.db import read_session
from planner.ui import widgets
from planner.ui.frame import context

ctx = context()
widgets.page_header("capabilities", ctx)
plan = widgets.require_plan(ctx)

with read_session(ctx.engine) as session:
    gaps = overview.capability_gaps(session, ctx.access, plan.id)

if not gaps["Ratings"].any():
    widgets.empty_state("capabilities")
st.caption(f"Levels: {overview.capability_levels()}. Needed and existing levels are averaged over tiers.")
st.dataframe(gaps, hide_index=True)
