"""Initiatives: leadership and organisation development initiatives and their progress."""

import streamlit as st

from planner import overview
from planner.db import read_session
from planner.ui import widgets
from planner.ui.frame import context

ctx = context()
widgets.page_header("initiatives", ctx)
plan = widgets.require_plan(ctx)

with read_session(ctx.engine) as session:
    table = overview.initiatives(session, ctx.access, plan.id)

if table.empty:
    widgets.empty_state("initiatives")
    st.stop()
st.dataframe(
    table,
    hide_index=True,
    column_config={
        "% complete": st.column_config.ProgressColumn("% complete", min_value=0, max_value=100, format="%d%%")
    },
)
