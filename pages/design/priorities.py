"""Priorities and objectives: the capabilities to build first, and specific, stretching objectives."""

import streamlit as st

from planner import overview
from planner.ui import widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("priorities", ctx)
widgets.require_plan(ctx)

ranked = read_plan(overview.priorities)
objectives = read_plan(overview.objectives)

if ranked.empty:
    widgets.empty_state("priorities")
    st.stop()
st.subheader("Priority capabilities")
st.dataframe(ranked, hide_index=True)
st.subheader("Objectives")
st.dataframe(objectives, hide_index=True)
