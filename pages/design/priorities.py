"""Priorities and objectives: the capabilities to build first, and specific, stretching objectives."""

import streamlit as st

from planner import overview
from planner.db import read_session
from planner.ui import widgets
from planner.ui.frame import context

ctx = context()
widgets.page_header("priorities", ctx)
plan = widgets.require_plan(ctx)

with read_session(ctx.engine) as session:
    ranked = overview.priorities(session, ctx.access, plan.id)
    objectives = overview.objectives(session, ctx.access, plan.id)

if ranked.empty:
    widgets.empty_state("priorities")
    st.stop()
st.subheader("Priority capabilities")
st.dataframe(ranked, hide_index=True)
st.subheader("Objectives")
st.dataframe(objectives, hide_index=True)
