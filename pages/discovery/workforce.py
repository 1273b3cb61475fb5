"""Leadership workforce: number of leaders by tier, their qualities and diversity."""

import streamlit as st

from planner import overview
from planner.db import read_session
from planner.ui import widgets
from planner.ui.frame import context

ctx = context()
widgets.page_header("workforce", ctx)
plan = widgets.require_plan(ctx)

with read_session(ctx.engine) as session:
    headcounts = overview.tier_headcounts(session, ctx.access, plan.id)

if not headcounts["Leaders"].any():
    widgets.empty_state("workforce")
    st.stop()
st.metric("Leaders in the leadership workforce", f"{int(headcounts['Leaders'].sum()):,}")
st.dataframe(headcounts, hide_index=True)
