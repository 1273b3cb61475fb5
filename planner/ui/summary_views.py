"""The board summary, live: headline metrics, the four charts, uncovered priorities, completeness, assurance."""

from __future__ import annotations

from datetime import date

import streamlit as st

from planner import capabilities, charts, culture, summary
from planner.initiatives import KINDS
from planner.plans import PlanNotFound, PlanView
from planner.summary import Check, Headline
from planner.ui import chart_display, figures, means_views, widgets
from planner.ui.figures import Figure
from planner.ui.frame import read_plan, remembered
from planner.ui.navigation import page_file
from planner.ui.text import plain, plain_block

DELIVERY = ("On track", "At risk", "Off track")
STATUS_HELP = "Initiatives whose latest check-in says {}."


def _data() -> tuple[Headline, list[Check]] | None:
    """The summary, read afresh only when the plan's revision (or the day) has moved; None if the plan is gone."""
    try:
        return read_plan(summary.board, date.today())
    except PlanNotFound:
        return None


def live_summary() -> None:
    """The whole summary, from cache unless the plan's revision moved (the page reruns when it does: ui/live.py)."""
    found = _data()
    if found is None:
        st.warning("This plan has been deleted. Choose another plan.", icon=":material/delete:")
        return
    head, checks = found
    st.subheader(plain(head.plan.name))
    if head.empty:
        widgets.empty_state("summary")
        widgets.plan_steps(head.plan)  # the phases' pages, with the plan's facts above them
        return
    _plan_facts(head.plan)
    _metrics(head)
    _charts(head)
    _status(head, checks)


def _plan_facts(plan: PlanView) -> None:
    st.caption(widgets.plan_facts(plan))
    if plan.description:
        st.markdown(plain_block(plan.description))


# --- Headline metrics ------------------------------------------------------------------------------


def _metrics(head: Headline) -> None:
    figures.row([_culture_figure(head), _diversity_figure(head), _budget_figure(head)], border=True)
    delivery = [
        Figure(f"Initiatives {label.lower()}", head.statuses[label], help=STATUS_HELP.format(label.lower()))
        for label in DELIVERY
    ]
    figures.row(delivery, border=True)
    others = {label: count for label, count in head.statuses.items() if label not in DELIVERY and count}
    total = sum(head.statuses.values())
    if total:
        also = " and ".join(f"{count} {label.lower()}" for label, count in others.items())
        st.caption(f"{total} initiatives in all" + (f"; also {also}." if also else "."))


def _culture_figure(head: Headline) -> Figure:
    label = "Culture index (1–5)"
    if head.culture_index is None:
        return Figure(label, "—", help=f"Shown once a survey round has at least {culture.MIN_GROUP} responses.")
    delta = None if head.culture_change is None else f"{head.culture_change:+.2f} since the last round"
    responses = head.culture.total_responses if head.culture else 0
    help_ = f"Mean of the element means in {head.culture_round or ''} ({responses} responses); 3 is neutral."
    if head.previous_round:
        help_ += f" Change against {head.previous_round}, over the elements rated in both."
    return Figure(label, f"{head.culture_index:.2f}", delta, help=help_)


def _diversity_figure(head: Headline) -> Figure:
    label = "BME share of the board"
    if head.board_share is None:
        return Figure(label, "—", help="Enter the board's ethnicity counts on Leadership workforce.")
    delta = None
    if head.board_difference_pp is not None and head.workforce_share is not None:
        delta = f"{head.board_difference_pp:+.1f} pp vs workforce ({head.workforce_share:.0%})"
    help_ = (
        "WRES indicator 9: the board's BME share minus the whole workforce's, in percentage points "
        "(of those whose ethnicity is known)."
    )
    return Figure(label, f"{head.board_share:.0%}", delta, help=help_)


def _budget_figure(head: Headline) -> Figure:
    difference = head.budget - head.estimate
    delta = f"{'+' if difference > 0 else '−' if difference < 0 else ''}£{abs(difference):,} vs the means' estimate"
    help_ = (
        f"Sum of the initiatives' budgets; the means (acquire, develop, sustain) were estimated at £{head.estimate:,}."
    )
    return Figure("Budget committed", f"£{head.budget:,}", delta if head.estimate else None, "off", help=help_)


# --- Charts -------------------------------------------------------------------------------------------


def _charts(head: Headline) -> None:
    # One chart per row: at half width the element and initiative names squeeze the plots to nothing.
    _profile(head)
    _gaps(head)
    _mix(head)
    _roadmap(head)


def _profile(head: Headline) -> None:
    if head.culture is None:
        st.caption(f"The culture profile appears once a survey round has at least {culture.MIN_GROUP} responses.")
        return
    chart_display.show(charts.element_profile, head.culture.distribution, head.culture.means)
    st.caption(f"From {plain(head.culture_round or '')}, {head.culture.total_responses} responses.")


def _gaps(head: Headline) -> None:
    if head.gaps.empty:
        st.caption("No capability is rated below its required level yet.")
        return
    chart_display.show(charts.largest_gaps_chart, head.gaps, capabilities.levels())


def _mix(head: Headline) -> None:
    counts = head.workforce_counts
    if counts.empty or not (counts["dimension"] == summary.DIMENSION).any():
        st.caption("No ethnicity figures for the leadership workforce yet.")
        return
    chart_display.show(charts.diversity_mix, counts, summary.DIMENSION, summary.CATEGORY)


def _roadmap(head: Headline) -> None:
    shown, dated = remembered("summary_board_roadmap", lambda: summary.board_roadmap(head.portfolio))
    if shown.empty:
        st.caption("No initiatives with start and end dates to place on the roadmap yet.")
        return
    plan = head.plan
    chart_display.show(charts.roadmap, shown, plan.horizon_start, plan.horizon_end, date.today(), KINDS)
    if len(shown) < dated:
        st.caption(
            f"The {len(shown)} of {dated} initiatives most needing attention: off track, then at risk, then those "
            "with overdue milestones or no recent check-in, then the soonest to end."
        )
        st.page_link(page_file("initiatives"), label="The whole roadmap", icon=":material/view_timeline:")


# --- Coverage, completeness and assurance ---------------------------------------------------------------


def _status(head: Headline, checks: list[Check]) -> None:
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Uncovered priorities")
        means_views.uncovered_summary(head.uncovered, head.has_priorities)
        st.subheader("Plan completeness by phase")
        widgets.phase_progress(head.plan)
        _still_to_do(head.plan)
    with right:
        _assurance(checks)


def _still_to_do(plan: PlanView) -> None:
    missing = [f"{part} ({phase})" for phase, parts in plan.progress.items() for part, done in parts if not done]
    st.caption("Still to fill in: " + ", ".join(missing) + "." if missing else "Every part of every phase has content.")


def _assurance(checks: list[Check]) -> None:
    st.subheader("Board assurance")
    ok = sum(check.ok for check in checks)
    st.caption(f"How the board oversees the creation of leadership capabilities: {ok} of {len(checks)} in place.")
    for check in checks:
        icon = ":green[:material/check_circle:]" if check.ok else ":orange[:material/error:]"
        st.markdown(f"{icon} **{check.label}** — {plain(check.explanation)}")
