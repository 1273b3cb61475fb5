"""Capabilities: the leadership capabilities the strategy needs versus those that exist, tier by tier."""

import streamlit as st

from planner import capabilities
from planner.ui import capability_views as views
from planner.ui import frame, widgets

ctx = frame.context()
widgets.page_header("capabilities", ctx)
plan = widgets.require_plan(ctx)
editable = ctx.access.can_edit

framework = frame.read_plan(capabilities.list_capabilities)
tiers = frame.read_plan(capabilities.tiers)

gaps_tab, rate_tab, framework_tab = widgets.lazy_tabs(
    ["Gaps and priorities", "Rate capabilities" if editable else "Ratings", "Capability framework"],
    key="capability_tabs",
)
if gaps_tab.open:
    with gaps_tab:
        if frame.read_plan(capabilities.rating_table).empty:
            widgets.empty_state("capabilities")
            when = "capabilities are rated in **Rate capabilities**" if editable else "an editor has rated capabilities"
            st.caption(f"The gap chart and the heatmap appear here once {when}.")
        else:
            tier_ids, kind, include_retired = views.filters(tiers)
            chosen = (tuple(tier_ids), kind, include_retired)
            cells, gaps = frame.read_plan(capabilities.gap_view, *chosen)
            views.headline(gaps, cells, int(framework["active"].sum()))
            if gaps.empty:
                st.caption("No capability matches these filters with both levels rated. Widen the filters above.")
            else:
                views.gap_charts(gaps, cells)
                views.consensus_table(cells, chosen)
if rate_tab.open:
    with rate_tab:
        views.rating_panel(plan.id, tiers, frame.read_plan(capabilities.assessors), editable)
if framework_tab.open:
    with framework_tab:
        views.framework_panel(plan.id, framework, editable)
