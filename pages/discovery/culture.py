"""Culture diagnostic: the cultural elements, survey rounds and how each element is rated."""

import streamlit as st

from planner import overview
from planner.ui import widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("culture", ctx)
widgets.require_plan(ctx)

elements = read_plan(overview.cultural_elements)
rounds = read_plan(overview.survey_rounds)
means = read_plan(overview.element_means)

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
