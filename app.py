"""Leadership Strategy Planner: the frame (page config, access, navigation)."""

import streamlit as st

from planner.access import Role
from planner.ui import frame, gate, history_views, live, navigation, widgets

ctx = frame.start()
participant = ctx.access.role == Role.PARTICIPANT
st.set_page_config(
    page_title="Leadership Strategy Planner",
    page_icon=":material/diversity_3:",
    layout="centered" if participant else "wide",
)
page = navigation.navigation(ctx.access)
member = None if frame.holds_link() else gate.signed_in_email()
if ctx.access.plan_id is None or member:  # a link holds one plan; a member may belong to several
    widgets.plan_switcher(ctx, member)
if member:
    gate.account(member)
if ctx.plan is not None:  # the day's automatic snapshot, when the plan changed since the last one
    history_views.daily_snapshot(ctx.plan.id, ctx.access)
live.start_run()  # after the day's snapshot, which moves the revision
live.watch(page.url_path)  # other people's changes show within seconds
page.run()
