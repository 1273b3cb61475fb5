"""Means: how the organisation will acquire, develop and sustain its priority capabilities, and what they cover."""

import streamlit as st

from planner import context, means
from planner.ui import frame, means_views, widgets

ctx = frame.context()
widgets.page_header("means", ctx)
plan = widgets.require_plan(ctx)
editable = ctx.access.can_edit

priorities = frame.read_plan(means.priorities)
if priorities.empty:
    means_views.no_priorities()
    st.stop()

coverage = frame.read_plan(means.coverage)

means_views.uncovered_flags(frame.remembered("means_uncovered", lambda: means.uncovered_rows(coverage)))

# Only the open tab's content runs, as on the other long pages.
by_priority_tab, coverage_tab, totals_tab = widgets.lazy_tabs(["Means by priority", "Coverage", "Totals"],
                                                              key="means_tabs")  # fmt: skip
if by_priority_tab.open:
    with by_priority_tab:
        all_means, tiers = frame.read_plan(means.list_means), frame.read_plan(means.tiers)
        choice = frame.remembered("means_choice", lambda: means_views.priority_choice(priorities, coverage.rows))
        priority_id = means_views.priority_picker(choice)
        st.markdown(choice.statuses[priority_id])
        chosen = frame.remembered(("means_of", priority_id),
                                  lambda: means_views.priority_means(all_means, priority_id, tiers))  # fmt: skip
        means_views.mode_columns(chosen.cards)
        if editable:
            means_views.add_panel(plan.id, priority_id, frame.read_plan(context.elements), tiers,
                                  open_=chosen.rows.empty)  # fmt: skip
        if not chosen.rows.empty and editable:
            means_views.edit_panel(plan.id, chosen, tiers)
        elif not chosen.rows.empty:
            st.caption(f"{len(chosen.rows)} means for this priority.")
            means_views.means_table(plan.id, chosen, tiers, editable)
        means_views.unlinked(all_means)

if coverage_tab.open:
    with coverage_tab:
        st.caption(
            "Rows: every priority, and every weak cultural element (one a priority names, or one rated below "
            f"{means.WEAK_MEAN:.1f} of 5 in the latest survey round). A means covers its priority, the elements "
            "that priority names and, from the library, the elements its intervention addresses."
        )
        means_views.coverage_chart(coverage)

if totals_tab.open:
    with totals_tab:
        means_views.totals_tables(frame.read_plan(means.totals))
