"""Share: the links that give editors, viewers and workshop participants access to this plan."""

import streamlit as st

from planner import sharing
from planner.ui import gate, share_views, widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("share", ctx)
widgets.require_plan(ctx)
share_views.role_check()

if ctx.settings.is_local:
    st.info(
        "The planner is running in local mode: everything is open to you on this computer. A link gives "
        "whoever opens it exactly its role, e.g. workshop participants on your network see only the vote page.",
        icon=":material/computer:",
    )

st.subheader("Create a link")
share_views.create_form()
share_views.new_link()

st.subheader("Links")
links = read_plan(sharing.list_links)
if links.empty:
    widgets.empty_state("share")
else:
    share_views.link_list(links)

if gate.auth_configured():
    share_views.member_section()
