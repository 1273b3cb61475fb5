"""Board summary: where the plan stands in each phase."""

import streamlit as st

from planner import means, plans
from planner.ui import means_views, widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("summary", ctx)
widgets.require_plan(ctx)
plan = read_plan(plans.get_plan)

if not any(done for parts in plan.progress.values() for _, done in parts):
    widgets.empty_state("summary")
st.subheader(plan.name)
widgets.plan_steps(plan)
if plan.description:
    st.markdown(plan.description)

st.subheader("Uncovered priorities")
means_views.uncovered_summary(read_plan(means.uncovered), not read_plan(means.priorities).empty)
