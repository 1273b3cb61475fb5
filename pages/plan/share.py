"""Share: the links that give editors, viewers and workshop participants access to this plan."""

import streamlit as st

from planner import overview
from planner.ui import widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("share", ctx)
widgets.require_plan(ctx)

if ctx.settings.is_local:
    st.info(
        "The planner is running in local mode: everything is open to you on this computer. "
        "Share links take effect when it is hosted (PLANNER_MODE=hosted).",
        icon=":material/computer:",
    )
links = read_plan(overview.share_links)
if links.empty:
    widgets.empty_state("share")
    st.stop()
st.dataframe(links, hide_index=True)
