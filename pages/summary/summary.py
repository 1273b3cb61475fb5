"""Board summary: where the plan stands in each phase."""

import streamlit as st

from planner.ui import widgets
from planner.ui.frame import context

ctx = context()
widgets.page_header("summary", ctx)
plan = widgets.require_plan(ctx)

if not any(done for parts in plan.progress.values() for _, done in parts):
    widgets.empty_state("summary")
st.subheader(plan.name)
widgets.plan_steps(plan)
if plan.description:
    st.markdown(plan.description)
