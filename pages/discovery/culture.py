"""Culture diagnostic: survey rounds, the participant link and QR code, live results, and imports."""

import streamlit as st

from planner import culture
from planner.framework import names
from planner.ui import culture_views, widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("culture", ctx)
widgets.require_plan(ctx)

rounds = sorted(read_plan(culture.list_rounds), key=lambda r: (r.held_on is not None, r.held_on, r.id), reverse=True)
if not rounds:
    widgets.empty_state("culture")
    if ctx.access.can_edit:
        culture_views.create_round_form()
    st.stop()

by_id = {r.id: r for r in rounds}
chosen = by_id[st.selectbox("Survey round", list(by_id), format_func=lambda i: f"{by_id[i].name} · {by_id[i].status}")]
groups = names("survey_groups")
results, manage, imports, elements = widgets.lazy_tabs(
    ["Live results", "Rounds and participant link", "Import results", "The cultural elements"], key="culture_tabs"
)
if results.open:
    with results:
        left, right = st.columns(2)
        a = left.selectbox("Compare group", list(groups), index=list(groups).index("senior"), format_func=groups.get)
        b = right.selectbox("with group", list(groups), index=list(groups).index("manager"), format_func=groups.get)
        culture_views.live_results(chosen.id, (a, b))
if manage.open:
    with manage:
        culture_views.show_link(chosen.id, chosen.name, chosen.status == "open")
        if ctx.access.can_edit:
            status, label = ("closed", "Close this round") if chosen.status == "open" else ("open", "Reopen this round")
            st.button(label, on_click=culture_views.set_status, args=(chosen.id, chosen.version, status))
            st.divider()
            culture_views.create_round_form()
if imports.open and ctx.access.can_edit:
    with imports:
        culture_views.import_form()
if elements.open:
    with elements:
        st.dataframe(read_plan(culture.elements_table), hide_index=True)
