"""Vote: what a workshop participant sees when they open a participant link."""

import streamlit as st

from planner import overview
from planner.ui import widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("vote", ctx)
widgets.require_plan(ctx)

rounds = read_plan(overview.survey_rounds)
if not (rounds["Status"] == "open").any():
    widgets.empty_state("vote")
else:
    st.info(
        "A round is open. Participants reach this page through the participant link shown on the "
        "Culture diagnostic page.",
        icon=":material/how_to_vote:",
    )
