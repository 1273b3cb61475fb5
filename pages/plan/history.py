"""History: snapshots of the plan (save, view, compare, restore) and the audit log of every change."""

import streamlit as st

from planner import snapshots
from planner.ui import history_views, widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("history", ctx)
plan = widgets.require_plan(ctx)

saved, audit = widgets.lazy_tabs(["Snapshots", "Audit log"], key="history_tabs")

if saved.open:
    with saved:
        if ctx.access.can_edit:
            history_views.save_form(plan.id)
        table = read_plan(snapshots.list_snapshots)
        if table.empty:
            st.info(
                "No snapshots yet. Save one before a workshop or a big change; the planner also saves one when a "
                "survey round closes and once a day when the plan has changed.",
                icon=":material/lightbulb:",
            )
        else:
            history_views.snapshot_table(table)
            st.subheader("View a snapshot")
            history_views.view_panel(table)
            st.subheader("Compare")
            history_views.compare_panel(table)
            if ctx.access.can_edit:
                st.subheader("Restore")
                history_views.restore_panel(plan, table, ctx.access)

if audit.open:
    with audit:
        history_views.audit_panel(plan.id)
