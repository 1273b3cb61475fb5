"""Initiatives and roadmap: the Development phase's portfolio, progress check-ins, milestones and traceability."""

import streamlit as st

from planner import initiatives
from planner.ui import frame, initiative_views, traceability_views, widgets

ctx = frame.context()
widgets.page_header("initiatives", ctx)
plan = widgets.require_plan(ctx)
editable = ctx.access.can_edit

portfolio = frame.read_plan(initiatives.portfolio)
options = initiative_views.options()
shown = portfolio if portfolio.empty else initiative_views.filters(portfolio, options)

# Only the open tab's content runs: on a large plan the six together cost several times one.
portfolio_tab, roadmap_tab, check_in_tab, milestone_tab, trace_tab, budget_tab = widgets.lazy_tabs(
    ["Portfolio", "Roadmap", "Check-ins", "Milestones", "Traceability", "Budget"], key="initiative_tabs"
)

if portfolio_tab.open:
    with portfolio_tab:
        if portfolio.empty:
            widgets.empty_state("initiatives")
        elif shown.empty:
            st.caption("No initiative matches these filters: clear a filter to see more.")
        else:
            initiative_views.summary(shown)
            initiative_views.attention(shown)
            initiative_views.portfolio_table(shown, options)
        if editable:
            initiative_views.add_panel(plan.id, options, expanded=portfolio.empty)
            if not portfolio.empty:
                initiative_views.edit_panel(plan.id, portfolio, options)

if roadmap_tab.open:
    with roadmap_tab:
        if shown.empty:
            st.caption("No initiatives to place on the roadmap yet.")
        else:
            initiative_views.roadmap(plan, shown)

if check_in_tab.open:
    with check_in_tab:
        if portfolio.empty:
            st.caption("Add an initiative first: check-ins record its progress.")
        else:
            st.caption(
                "Each check-in records a date, a RAG status and % complete; the latest one sets the initiative's "
                "status. Check-ins are kept as history and never overwritten."
            )
            initiative_views.check_in_section(plan.id, portfolio, editable)

if milestone_tab.open:
    with milestone_tab:
        if portfolio.empty:
            st.caption("Add an initiative first: milestones belong to initiatives.")
        else:
            all_milestones = frame.read_plan(initiatives.milestones)
            initiative_views.overdue_milestones(all_milestones)
            initiative_views.milestone_section(plan.id, portfolio, all_milestones, editable)

if trace_tab.open:
    with trace_tab:
        traceability_views.traceability_section()

if budget_tab.open:
    with budget_tab:
        traceability_views.budget_section()
