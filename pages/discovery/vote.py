"""Vote: a workshop participant rates the cultural elements, anonymously, for one survey round."""

import streamlit as st

from planner import culture
from planner.ui import vote_form, widgets
from planner.ui.frame import context, read_plan
from planner.ui.text import plain

ctx = context()
widgets.page_header("vote", ctx)
widgets.require_plan(ctx)

current = read_plan(culture.vote_round)
if current is None:
    widgets.empty_state("vote")
    st.stop()
st.subheader(plain(current.name))
if current.status != "open":
    st.warning(
        "This round has closed, so answers can no longer be given or changed. Thank you for taking part.",
        icon=":material/lock:",
    )
    st.stop()
st.caption("No name, email or device details are recorded with your answers.")
vote_form.form(ctx, current.id, read_plan(culture.vote_elements))
