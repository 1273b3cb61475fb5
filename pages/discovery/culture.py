"""Culture diagnostic: the cultural elements, survey rounds and how each element is rated."""

import streamlit as st

from planner import overview
from planner.db import read_session
from planner.ui import widgets
from planner.ui.frame import context

ctx = context()
widgets.page_header("culture", ctx)
plan = widgets.require_plan(ctx)

with read_session(ctx.engine) as session:
    elements = overview.cultural_elements(session, ctx.access, plan.id)
    rounds = overview.survey_rounds(session, ctx.access, plan.id)
    means = overview.element_means(session, ctx.access, plan.id)

st.subheader("Survey rounds")
if rounds.empty:
    widgets.empty_state("culture")
else:
    st.dataframe(rounds, hide_index=True)
if not means.empty:
    st.subheader("Mean rating by element (1 = strongly disagree, 5 = strongly agree)")
    st.dataframe(means, hide_index=True)

st.subheader("The cultural elements")
st.dataframe(elements, hide_index=True)
