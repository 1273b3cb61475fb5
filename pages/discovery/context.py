"""Strategic context: the intelligence Discovery collects on strategy, vision, mission, challenges and opportunities."""

import streamlit as st

from planner import context
from planner.ui import context_forms, frame, widgets

ctx = frame.context()
widgets.page_header("context", ctx)
plan = widgets.require_plan(ctx)
editable = ctx.access.can_edit

items = frame.read_plan(context.list_items)
elements = frame.read_plan(context.elements)
narrative = frame.read_plan(context.narrative)

if items.empty:
    widgets.empty_state("context")
else:
    shown = context_forms.filtered(items, elements, editable)
    if shown.empty:
        st.caption("No items match these filters: open Filter and click a selected one again to clear it.")
    else:
        context_forms.item_table(plan.id, shown, elements, editable)
        if editable:
            context_forms.item_actions(plan.id, shown, elements)

if editable:
    context_forms.add_form(plan.id, elements, expanded=items.empty)

st.divider()
context_forms.narrative_panel(plan.id, narrative, items[items["priority"] == "high"], editable)
