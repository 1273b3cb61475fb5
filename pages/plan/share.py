"""Share: the links that give editors, viewers and workshop participants access to this plan."""

import streamlit as st

from planner import overview
from planner.db import read_session
from planner.ui import widgets
from planner.ui.frame import context

ctx = context()
widgets.page_header("share", ctx)
plan = widgets.require_plan(ctx)

if ctx.settings.is_local:
    st.info(
        "The planner is running in local mode: everything is open to you on this computer. "
        "Share links take effect when it is hosted (PLANNER_MODE=hosted).",
        icon=":material/computer:",
    )
with read_session(ctx.engine) as session:
    links = overview.share_links(session, ctx.access, plan.id)
if links.empty:
    widgets.empty_state("share")
    st.stop()
st.dataframe(links, hide_index=True)
