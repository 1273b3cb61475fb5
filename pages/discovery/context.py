"""Strategic context: the intelligence Discovery collects on strategy, vision, mission, challenges."""

import streamlit as st

from planner import overview
from planner.db import read_session
from planner.ui import widgets
from planner.ui.frame import context

ctx = context()
widgets.page_header("context", ctx)
plan = widgets.require_plan(ctx)

with read_session(ctx.engine) as session:
    items = overview.context_items(session, ctx.access, plan.id)

if items.empty:
    widgets.empty_state("context")
    st.stop()

st.subheader(f"{len(items)} context items")
st.dataframe(items, hide_index=True)
