"""Strategic context: the intelligence Discovery collects on strategy, vision, mission, challenges."""

import streamlit as st

from planner import overview
from planner.ui import widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("context", ctx)
widgets.require_plan(ctx)

items = read_plan(overview.context_items)

if items.empty:
    widgets.empty_state("context")
    st.stop()

st.subheader(f"{len(items)} context items")
st.dataframe(items, hide_index=True)
