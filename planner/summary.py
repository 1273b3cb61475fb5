"""The board summary: the headline figures of the three phases, and the board-assurance checklist.

The deck asks how the board will oversee the creation of leadership capabilities; the checklist
answers from the plan itself: vision and narrative written, objectives specific and agreed, every
priority covered by means and initiatives, diversity targets set, check-ins recent.

The culture index is the mean of the element means of the latest round with at least
culture.MIN_GROUP responses: a smaller round is never reported, here or anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlmodel import Session

from planner import capabilities, context, culture, initiatives, means, plans, priorities, traceability, workforce
from planner.access import Access, Role
from planner.culture import CultureResults, RoundView
from planner.plans import PlanView

TOP_GAPS = 5
BOARD = "board"
DIMENSION, CATEGORY = "ethnicity", "BME"
OK, ATTENTION = "ok", "attention"
LISTED = 3  # names a check's explanation lists before "and N more"
# The board's roadmap shows at most this many initiatives: a Gantt of hundreds of rows is read by no one
# (300 were most of the summary's data sent to the browser); the full roadmap is on Initiatives and roadmap.
ROADMAP_LIMIT = 20
URGENCY = ["off_track", "at_risk", "in_progress", "planned", "done"]  # status order on the board's roadmap


@dataclass(frozen=True, eq=False)
class Headline:
    """The figures a board reads first, and the frames behind the summary's charts."""

    plan: PlanView
    culture: CultureResults | None  # the latest round with at least MIN_GROUP responses
    culture_round: str | None
    culture_index: float | None
    culture_change: float | None
    previous_round: str | None
    gaps: pd.DataFrame  # the TOP_GAPS largest capability gaps, largest first
    board_share: float | None  # BME share of the board (of those whose ethnicity is known)
    workforce_share: float | None
    board_difference_pp: float | None  # WRES indicator 9
    workforce_counts: pd.DataFrame
    portfolio: pd.DataFrame
    statuses: dict[str, int]  # initiative status label → number of initiatives
    budget: int
    estimate: int
    uncovered: pd.DataFrame
    has_priorities: bool

    @property
    def empty(self) -> bool:
        """True while no part of any phase has content."""
        return not any(done for parts in self.plan.progress.values() for _, done in parts)


@dataclass(frozen=True)
class Check:
    """One line of the board-assurance checklist: what is checked, ok or attention, and why."""

    label: str
    status: str
    explanation: str

    @property
    def ok(self) -> bool:
        """True when nothing needs the board's attention."""
        return self.status == OK


# --- Headline figures (pure) ---------------------------------------------------------------------


def culture_index(means_frame: pd.DataFrame) -> float | None:
    """The mean of the element means (1–5), elements nobody rated left out; None when nothing is rated."""
    values = means_frame["mean"].dropna()
    return float(values.mean()) if not values.empty else None


def index_change(now: pd.DataFrame, before: pd.DataFrame) -> float | None:
    """The change in the culture index over the elements rated in both rounds; None when they share none."""
    rated = [frame.dropna(subset=["mean"])[["element_key", "mean"]] for frame in (now, before)]
    both = rated[0].merge(rated[1], on="element_key", suffixes=("_now", "_before"))
    if both.empty:
        return None
    return float(both["mean_now"].mean() - both["mean_before"].mean())


def reportable(rounds: list[RoundView]) -> list[RoundView]:
    """The rounds with enough responses to report, oldest first."""
    return [r for r in rounds if r.responses >= culture.MIN_GROUP]


def largest_gaps(gaps: pd.DataFrame, count: int = TOP_GAPS) -> pd.DataFrame:
    """The capabilities furthest below their required level, largest gap first (ties: higher priority first)."""
    shown = gaps[gaps["gap"] > 0].assign(_gap=lambda frame: frame["gap"].round(6))
    ordered = shown.sort_values(["_gap", "priority", "position"], ascending=[False, False, True], kind="stable")
    return ordered.drop(columns="_gap").head(count).reset_index(drop=True)


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def board_figures(representation: pd.DataFrame) -> tuple[float | None, float | None, float | None]:
    """The board's share, the whole workforce's share and their difference in points (None where unknown)."""
    board = representation[representation["tier_key"] == BOARD]
    if board.empty:
        return None, None, None
    row = board.iloc[0]
    return _number(row["share"]), _number(row["workforce_share"]), _number(row["difference_pp"])


def status_counts(portfolio: pd.DataFrame) -> dict[str, int]:
    """Initiatives per status label, every label present (On track, At risk, Off track, Not started, Done)."""
    found = portfolio["status_label"].value_counts() if not portfolio.empty else pd.Series(dtype=int)
    labels = [initiatives.STATUS_LABELS[key] for key in ("in_progress", "at_risk", "off_track", "planned", "done")]
    return {label: int(found.get(label, 0)) for label in labels}


def board_roadmap(portfolio: pd.DataFrame, limit: int = ROADMAP_LIMIT) -> tuple[pd.DataFrame, int]:
    """The dated initiatives most needing the board's attention (at most `limit`), and how many are dated.

    Off track, then at risk; within each status, those with overdue milestones or no recent check-in first,
    then the soonest to end. The rows keep the portfolio's order.
    """
    dated = portfolio[portfolio["start"].notna() & portfolio["end"].notna()] if not portfolio.empty else portfolio
    if len(dated) <= limit:
        return dated, len(dated)
    rank = dated.assign(
        _status=dated["status"].map({status: n for n, status in enumerate(URGENCY)}).fillna(len(URGENCY)),
        _calm=~((dated["overdue_milestones"] > 0) | dated["stale"].astype(bool)),
        _end=pd.to_datetime(dated["end"]),
    ).sort_values(["_status", "_calm", "_end", "id"], kind="stable")
    return dated.loc[dated.index.isin(rank.index[:limit])], len(dated)


# --- Headline (reads) ------------------------------------------------------------------------------


def _culture(session: Session, access: Access, plan_id: int) -> dict[str, Any]:
    rounds = reportable(culture.list_rounds(session, access, plan_id))
    found: dict[str, Any] = dict.fromkeys(
        ("culture", "culture_round", "culture_index", "culture_change", "previous_round")
    )
    if not rounds:
        return found
    latest = culture.results(session, access, plan_id, rounds[-1].id)
    found.update(culture=latest, culture_round=rounds[-1].name, culture_index=culture_index(latest.means))
    if len(rounds) > 1:
        before = culture.element_means(session, access, plan_id, rounds[-2].id)  # only its means are shown
        found.update(culture_change=index_change(latest.means, before), previous_round=rounds[-2].name)
    return found


def _workforce(session: Session, access: Access, plan_id: int) -> dict[str, Any]:
    share, whole, difference = board_figures(workforce.representation(session, access, plan_id, DIMENSION, CATEGORY))
    return {
        "board_share": share,
        "workforce_share": whole,
        "board_difference_pp": difference,
        "workforce_counts": workforce.counts(session, access, plan_id),
    }


def _delivery(session: Session, access: Access, plan_id: int, today: date) -> dict[str, Any]:
    portfolio = initiatives.portfolio(session, access, plan_id, today)
    return {
        "portfolio": portfolio,
        "statuses": status_counts(portfolio),
        "budget": int(portfolio["budget"].fillna(0).sum()),
        "estimate": means.totals(session, access, plan_id).cost,
        "uncovered": means.uncovered(session, access, plan_id),
        "has_priorities": not means.priorities(session, access, plan_id).empty,
    }


def headline(session: Session, access: Access, plan_id: int, today: date | None = None) -> Headline:
    """The summary's headline figures and chart data for the plan (culture, gaps, diversity, delivery, budget)."""
    access.require(Role.VIEWER, plan_id)
    return Headline(
        plan=plans.get_plan(session, access, plan_id, with_progress=True),
        gaps=largest_gaps(capabilities.capability_gaps(session, access, plan_id)),
        **_culture(session, access, plan_id),
        **_workforce(session, access, plan_id),
        **_delivery(session, access, plan_id, today or date.today()),
    )


# --- Board assurance (pure checks) -------------------------------------------------------------


def _check(label: str, ok: bool, explanation: str) -> Check:
    return Check(label, OK if ok else ATTENTION, explanation)


def _names(names: list[str]) -> str:
    """Up to LISTED names, then "and N more"."""
    shown = ", ".join(names[:LISTED])
    return f"{shown} and {len(names) - LISTED} more" if len(names) > LISTED else shown


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def vision_check(narrative: str, categories: Iterable[str]) -> Check:
    """Ok when the strategic narrative is written and the strategic context records the vision."""
    label = "Vision and narrative written"
    missing = []
    if not narrative.strip():
        missing.append("write the strategic narrative")
    if "vision" not in set(categories):
        missing.append("record the vision in the strategic context")
    if missing:
        return _check(label, False, f"Still to do on Strategic context: {' and '.join(missing)}.")
    words = context.word_count(narrative)
    return _check(label, True, f"The strategic narrative is written ({words} words) and the vision is recorded.")


def objectives_check(objectives: pd.DataFrame) -> Check:
    """Ok when there are objectives and none is flagged (not specific, not stretching) or unagreed."""
    label = "Objectives specific and agreed"
    if objectives.empty:
        return _check(label, False, "No objectives yet: set them on Priorities and objectives.")
    counts = priorities.issue_counts(objectives)
    unagreed = len(objectives) - counts["Agreed"]
    parts = [
        f"{counts[priorities.NOT_SPECIFIC]} not yet specific" if counts[priorities.NOT_SPECIFIC] else "",
        f"{counts[priorities.NOT_STRETCHING]} not stretching" if counts[priorities.NOT_STRETCHING] else "",
        f"{unagreed} not yet agreed" if unagreed else "",
    ]
    found = [part for part in parts if part]
    if found:
        return _check(label, False, f"Of {_plural(len(objectives), 'objective')}: {', '.join(found)}.")
    return _check(label, True, f"All {_plural(len(objectives), 'objective')} are specific, stretching and agreed.")


def coverage_check(chains: pd.DataFrame) -> Check:
    """Ok when there are priorities and every chain (priorities and weak elements) is Complete."""
    label = "Every priority covered by means and initiatives"
    if not (chains["kind"] == "priority").any():
        return _check(label, False, "No priorities yet: choose them on Priorities and objectives.")
    open_rows = chains[chains["status"] != "Complete"]
    if open_rows.empty:
        return _check(label, True, f"All {len(chains)} priorities and weak elements have means and initiatives.")
    names = [f"{row.item} ({row.status.lower()})" for row in open_rows.itertuples()]
    return _check(label, False, f"{len(open_rows)} of {len(chains)} not yet covered: {_names(names)}.")


def diversity_check(objectives: pd.DataFrame) -> Check:
    """Ok when at least one objective is a diversity target (an objective for a leadership tier)."""
    label = "Diversity targets set"
    targets = priorities.diversity_targets(objectives) if not objectives.empty else objectives
    if targets.empty:
        return _check(label, False, "No diversity target yet: draft one for a leadership tier on Priorities.")
    tiers = list(dict.fromkeys(name for name in targets["tier"] if name))
    return _check(label, True, f"{_plural(len(targets), 'diversity target')} set, for {_names(tiers)}.")


def check_ins_check(portfolio: pd.DataFrame) -> Check:
    """Ok when there are initiatives and none under way has gone STALE_DAYS days without a check-in."""
    label = "Check-ins recent"
    if portfolio.empty:
        return _check(label, False, "No initiatives yet: plan them on Initiatives and roadmap.")
    stale = portfolio[portfolio["stale"].astype(bool)]
    days = initiatives.STALE_DAYS
    if stale.empty:
        return _check(label, True, f"No initiative under way has gone {days} days without a check-in.")
    names = _names(list(stale["title"]))
    return _check(
        label, False, f"{_plural(len(stale), 'initiative')} under way without a check-in for {days} days: {names}."
    )


def assurance(session: Session, access: Access, plan_id: int, today: date | None = None) -> list[Check]:
    """The board-assurance checklist: vision, objectives, coverage, diversity targets and check-ins."""
    access.require(Role.VIEWER, plan_id)
    items = context.list_items(session, access, plan_id)
    objectives = priorities.list_objectives(session, access, plan_id)
    return [
        vision_check(context.narrative(session, access, plan_id).text, items["category"]),
        objectives_check(objectives),
        coverage_check(traceability.chains(session, access, plan_id)),
        diversity_check(objectives),
        check_ins_check(initiatives.portfolio(session, access, plan_id, today or date.today())),
    ]


def board(session: Session, access: Access, plan_id: int, today: date | None = None) -> tuple[Headline, list[Check]]:
    """The headline and the assurance checklist, read together so that they share one read of each part."""
    return headline(session, access, plan_id, today), assurance(session, access, plan_id, today)
