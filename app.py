"""Leadership Strategy Planner: the frame (page config, access, navigation)."""

import streamlit as st

from planner.access import Role
from planner.ui import frame, navigation, widgets

ctx = frame.start()
participant = ctx.access.role == Role.PARTICIPANT
st.set_page_config(
    page_title="Leadership Strategy Planner",
    page_icon=":material/diversity_3:",
    layout="centered" if participant else "wide",
)
page = navigation.navigation(ctx.access)
if not participant:
    widgets.plan_switcher(ctx)
page.run()
