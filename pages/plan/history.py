"""History: every change to the plan, who made it and when."""

import streamlit as st

from planner import history
from planner.ui import widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("history", ctx)
widgets.require_plan(ctx)

events = read_plan(history.audit_events)

if events.empty:
    widgets.empty_state("history")
    st.stop()
st.dataframe(events, hide_index=True)
