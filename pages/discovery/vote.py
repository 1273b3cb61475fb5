"""Vote: what a workshop participant sees when they open a participant link."""

import streamlit as st

from planner import overview
from planner.db import read_session
from planner.ui import widgets
from planner.ui.frame import context

ctx = context()
widgets.page_header("vote", ctx)
plan = widgets.require_plan(ctx)

with read_session(ctx.engine) as session:
    rounds = overview.survey_rounds(session, ctx.access, plan.id)
if not (rounds["Status"] == "open").any():
    widgets.empty_state("vote")
else:
    st.info(
        "A round is open. Participants reach this page through the participant link shown on the "
        "Culture diagnostic page.",
        icon=":material/how_to_vote:",
    )
