"""History: every change to the plan, who made it and when."""

import streamlit as st

from planner import history
from planner.db import read_session
from planner.ui import widgets
from planner.ui.frame import context

ctx = context()
widgets.page_header("history", ctx)
plan = widgets.require_plan(ctx)

with read_session(ctx.engine) as session:
    events = history.audit_events(session, ctx.access, plan.id)

if events.empty:
    widgets.empty_state("history")
    st.stop()
st.dataframe(events, hide_index=True)
