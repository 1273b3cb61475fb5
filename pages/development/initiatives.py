"""Initiatives: leadership and organisation development initiatives and their progress."""

import streamlit as st

from planner import overview
from planner.ui import widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("initiatives", ctx)
widgets.require_plan(ctx)

table = read_plan(overview.initiatives)

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
