"""Priorities and objectives: the capabilities to build first, and specific, agreed, stretching objectives."""

import streamlit as st

from planner import capabilities, context, priorities, workforce
from planner.ui import frame, widgets
from planner.ui import priority_views as views

ctx = frame.context()
widgets.page_header("priorities", ctx)
plan = widgets.require_plan(ctx)
editable = ctx.access.can_edit

ranked = frame.read_plan(priorities.list_priorities)
elements = frame.read_plan(context.elements)
framework = frame.read_plan(capabilities.list_capabilities)
options = views.options(ranked, framework, elements, frame.read_plan(capabilities.tiers))

discovery_tab, priorities_tab, objectives_tab, diversity_tab = widgets.lazy_tabs(
    ["From Discovery", "Priority capabilities", "Objectives", "Diversity targets"], key="priorities_tabs"
)

if discovery_tab.open:
    with discovery_tab:
        candidates = frame.read_plan(priorities.ranked_candidates)
        views.candidates_panel(plan, candidates, frame.read_plan(priorities.latest_round), editable)

if priorities_tab.open:
    with priorities_tab:
        if ranked.empty:
            widgets.empty_state("priorities")
            where = "with **Promote** under **From Discovery**" if editable else "once an editor has chosen them"
            st.caption(f"Priorities appear here {where}.")
        else:
            views.priority_table(ranked, elements)
            if editable:
                views.priority_edit_panel(plan, ranked, elements)

if objectives_tab.open:
    with objectives_tab:
        general = priorities.other_objectives(frame.read_plan(priorities.list_objectives))
        if general.empty:
            st.info(views.OBJECTIVES_EMPTY, icon=":material/lightbulb:")
        else:
            st.caption(views.DECK_OBJECTIVES)
            views.issue_summary(general)
            views.objectives_by_level(general, options)
            if editable:
                views.objective_edit_panel(plan, general, "objectives")
                views.objective_actions(plan, general, options, "objectives")
        if editable:
            views.add_objective_form(plan, options, expanded=general.empty)

if diversity_tab.open:
    with diversity_tab:
        st.caption(
            "Diversity targets are objectives for one leadership tier, drafted from the workforce figures "
            "(WRES indicator 9 for the Board, indicator 1 for the other tiers)."
        )
        wres = frame.read_plan(workforce.representation, "ethnicity", "BME")
        targets = priorities.diversity_targets(frame.read_plan(priorities.list_objectives))
        if targets.empty:
            where = "Choose a tier below: the form is prefilled" if editable else "An editor can draft them"
            st.info(f"No diversity targets yet. {where} from the workforce figures.", icon=":material/lightbulb:")
        else:
            views.issue_summary(targets, "Diversity targets")
            views.objective_table(targets, options)
            if editable:
                views.objective_edit_panel(plan, targets, "diversity")
                views.objective_actions(plan, targets, options, "diversity")
        st.subheader("BME representation by tier")
        if int(wres["known"].sum()) == 0:
            st.caption("No workforce figures yet: add them on the Workforce page to prefill the targets.")
        else:
            views.representation_table(wres)
        if editable:
            st.subheader("Add a diversity target")
            tier = views.tier_picker(plan, frame.read_plan(priorities.tier_keys))
            if tier:
                views.diversity_form(plan, frame.read_plan(priorities.diversity_target_draft, tier), options)
