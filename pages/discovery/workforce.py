"""Leadership workforce: number of leaders by tier, their qualities and diversity."""

import streamlit as st

from planner import overview
from planner.ui import widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("workforce", ctx)
widgets.require_plan(ctx)

headcounts = read_plan(overview.tier_headcounts)

if not headcounts["Leaders"].any():
    widgets.empty_state("workforce")
    st.stop()
st.metric("Leaders in the leadership workforce", f"{int(headcounts['Leaders'].sum()):,}")
st.dataframe(headcounts, hide_index=True)
