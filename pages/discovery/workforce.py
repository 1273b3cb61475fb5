"""Leadership workforce: leaders by tier, professional mix, diversity against the workforce, qualities sought."""

import streamlit as st

from planner import workforce
from planner.ui import frame, widgets, workforce_views

ctx = frame.context()
widgets.page_header("workforce", ctx)
plan = widgets.require_plan(ctx)
editable = ctx.access.can_edit

counts = frame.read_plan(workforce.counts)
labels = ["Overview", "Qualities sought", *(["Edit counts", "Import a file"] if editable else [])]
tabs = widgets.lazy_tabs(labels, key="workforce_tabs")

if tabs[0].open:
    with tabs[0]:
        if counts.empty:
            widgets.empty_state("workforce")
            if editable:
                st.caption("Import an HR extract in **Import a file**, or type counts by tier in **Edit counts**.")
            else:
                st.caption("An editor of this plan can import an HR extract or enter counts by tier.")
        else:
            workforce_views.overview(counts)
if tabs[1].open:
    with tabs[1]:
        workforce_views.qualities_panel(plan.id, editable)
if editable and tabs[2].open:
    with tabs[2]:
        workforce_views.count_editor(plan.id, counts)
if editable and tabs[3].open:
    with tabs[3]:
        workforce_views.import_panel(plan.id)
        st.divider()
        workforce_views.band_editor(plan.id)
