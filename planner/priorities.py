"""Design: priorities drawn from Discovery, and specific, agreed, stretching objectives at every level.

Ranking. Capability gaps and cultural elements are measured on different scales (levels 0–4 against
survey scores 1–5), so ranked_candidates ranks them in two lists, each by its own score, which pages
show side by side rather than pretending the scores compare:
- a capability's score is its priority from planner.capabilities (over every tier, the sum of
  max(gap, 0) × importance); only capabilities short of the level needed (mean gap > 0) are candidates;
- an element's score is how far its mean falls below the top of the 1–5 scale plus the absolute
  difference between the board's and front-line staff's means (0 when either group is withheld), both in
  scale points, from the latest survey round with enough responses to show. Every rated element is listed.

A priority is either a capability (capability_id set; target level 1–4) or a cultural element
(capability_id empty, element_keys holding that one element; no target level). The same capability or
element cannot be a priority twice. Target and due dates must fall within the plan's horizon.

An objective missing a metric, baseline, target or due date is "not yet specific"; one whose target equals
its baseline (ignoring case and spacing) is "not stretching". Objectives with a tier are diversity targets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from planner import capabilities, context, culture, records, workforce
from planner.access import Access, Role
from planner.culture import CultureResults, RoundView
from planner.db import lock_for, read_frame
from planner.framework import level_names
from planner.models import Capability, CulturalElement, LeadershipTier, Objective, Plan, Priority
from planner.plans import PlanNotFound
from planner.records import RecordNotFound
from planner.validation import InvalidInput, choice, limited_text, required_text
from planner.wording import listed

TOP_SCORE = 5
PERCEPTION = ("board", "front_line")
SOURCES = {"capability": "Capability gap", "element": "Cultural element"}
LEVELS = {
    "board": "Board",
    "organisation": "Organisation",
    "directorate": "Directorate or division",
    "team": "Team",
    "individual": "Individual",
}
STATUSES = {
    "not_started": "Not started",
    "on_track": "On track",
    "at_risk": "At risk",
    "achieved": "Achieved",
    "dropped": "Dropped",
}
NOT_SPECIFIC = "Not yet specific"
NOT_STRETCHING = "Not stretching"
SPECIFIC_PARTS = {"metric": "metric", "baseline": "baseline", "target": "target", "due": "due date"}
EQUITY = "equity"

CANDIDATE_COLUMNS = [
    "source",
    "rank",
    "capability_id",
    "element_key",
    "name",
    "kind",
    "evidence",
    "score",
    "suggested_level",
    "priority_id",
    "priority_rank",
    "served_by",
]
PRIORITY_FIELDS = ("title", "rationale", "target_level", "target_date", "element_keys")
PRIORITY_COLUMNS = [
    "id",
    "version",
    "rank",
    "title",
    "capability_id",
    "capability",
    "kind",
    "element_keys",
    "target_level",
    "target_date",
    "rationale",
    "objectives",
]
OBJECTIVE_FIELDS = (
    "title",
    "metric",
    "baseline",
    "target",
    "due",
    "owner",
    "level",
    "status",
    "priority_id",
    "capability_id",
    "tier_id",
    "element_keys",
)
OBJECTIVE_COLUMNS = ["id", "version", "position", *OBJECTIVE_FIELDS, "agreed_by", "agreed_on"]
OBJECTIVE_NAMES = ["priority", "capability", "tier_key", "tier"]
TEXT_LIMITS = {
    "metric": ("Metric", 300),
    "baseline": ("Baseline", 200),
    "target": ("Target", 200),
    "owner": ("Owner", 120),
}


@dataclass(frozen=True)
class ObjectiveDraft:
    """A diversity target prefilled from the workforce figures, for the add form to start from."""

    tier_id: int
    tier_key: str
    tier: str
    title: str
    metric: str
    baseline: str
    target: str
    due: date | None
    level: str
    element_keys: tuple[str, ...]
    note: str


# --- Small helpers ---------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def _plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise PlanNotFound(f"There is no plan {plan_id}. It may have been deleted.")
    return plan


def as_date(value: Any, label: str) -> date | None:
    """A date from a date, datetime, ISO text or blank (None); InvalidInput names the field otherwise."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InvalidInput(f"{label}: “{value}” is not a date (write it as YYYY-MM-DD).") from None


def _in_horizon(session: Session, plan_id: int, value: Any, label: str) -> date | None:
    """The date, unless it falls before the plan's horizon starts or after it ends."""
    day, plan = as_date(value, label), _plan(session, plan_id)
    if day and plan.horizon_start and day < plan.horizon_start:
        raise InvalidInput(
            f"{label} ({day:%d %b %Y}) is before the plan's horizon starts ({plan.horizon_start:%d %b %Y})."
        )
    if day and plan.horizon_end and day > plan.horizon_end:
        raise InvalidInput(f"{label} ({day:%d %b %Y}) is after the plan's horizon ends ({plan.horizon_end:%d %b %Y}).")
    return day


def _element_names(session: Session, plan_id: int) -> dict[str, str]:
    e = CulturalElement
    return dict(session.execute(select(e.key, e.name).where(e.plan_id == plan_id)).all())


def _whole(value: Any) -> int | None:
    """A whole number from an int, a whole float or digits; None for anything else."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _link_id(value: Any, label: str) -> int | None:
    if _blank(value):
        return None
    if _whole(value) is None:
        raise InvalidInput(f"{label} must be chosen from the list.")
    return _whole(value)


# --- Candidates from Discovery ---------------------------------------------------------------


def latest_round(session: Session, access: Access, plan_id: int) -> RoundView | None:
    """The newest survey round (in the culture page's order) with enough responses to show, if any."""
    shown = [r for r in culture.list_rounds(session, access, plan_id) if r.responses >= culture.MIN_GROUP]
    return shown[-1] if shown else None


def element_scores(results: CultureResults) -> pd.DataFrame:
    """Per rated element: mean, board − front-line gap (NaN if either is withheld) and score, weakest first."""
    means = results.means.dropna(subset=["mean"])
    gaps = culture.perception_gap(results, *PERCEPTION)[["element_key", "gap"]]
    frame = means.merge(gaps, on="element_key", how="left")
    frame["gap"] = pd.to_numeric(frame["gap"]).astype(float)
    frame["score"] = (TOP_SCORE - frame["mean"]) + frame["gap"].abs().fillna(0.0)
    ordered = frame.sort_values(["score", "mean", "position"], ascending=[False, True, True], kind="stable")
    return ordered.reset_index(drop=True)


def _links(session: Session, plan_id: int) -> dict[tuple[str, Any], tuple[int, int]]:
    """(source, capability id or element key) → (priority id, rank) for what is already a priority."""
    p = Priority
    rows = session.execute(select(p.id, p.rank, p.capability_id, p.element_keys).where(p.plan_id == plan_id)).all()
    links: dict[tuple[str, Any], tuple[int, int]] = {}
    for priority_id, rank, capability_id, keys in rows:
        if capability_id is not None:
            links[("capability", capability_id)] = (priority_id, rank)
        else:
            links.update({("element", key): (priority_id, rank) for key in keys or []})
    return links


def _linked(links: dict[tuple[str, Any], tuple[int, int]], source: str, key: Any) -> dict[str, Any]:
    priority_id, rank = links.get((source, key), (None, None))
    return {"priority_id": priority_id, "priority_rank": rank}


def _serving(session: Session, plan_id: int) -> dict[str, list[int]]:
    """Element key → the ranks of the capability priorities that serve it."""
    p = Priority
    query = select(p.rank, p.element_keys).where(p.plan_id == plan_id, p.capability_id.is_not(None))  # type: ignore[union-attr]
    serving: dict[str, list[int]] = {}
    for rank, keys in session.execute(query.order_by(p.rank, p.id)).all():
        for key in keys or []:
            serving.setdefault(key, []).append(rank)
    return serving


def _suggested_level(required: float) -> int:
    return min(max(capabilities.half_up(required) or 1, 1), 4)


def capability_candidates(gaps: pd.DataFrame, links: dict[tuple[str, Any], tuple[int, int]]) -> pd.DataFrame:
    """The capabilities short of the level needed, by priority score (pure)."""
    short = gaps[gaps["gap"] > 0].reset_index(drop=True)
    rows = [
        {
            "source": "capability",
            "rank": n,
            "capability_id": int(row.capability_id),
            "name": row.capability,
            "kind": row.kind,
            "evidence": f"gap {row.gap:+.1f} levels over {row.tiers} tier(s) · priority {row.priority:.1f}",
            "score": float(row.priority),
            "suggested_level": _suggested_level(row.required),
            **_linked(links, "capability", int(row.capability_id)),
            "served_by": [],
        }
        for n, row in enumerate(short.itertuples(), start=1)
    ]
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


def _element_evidence(mean: float, gap: float) -> str:
    text = f"mean {mean:.1f} of {TOP_SCORE}"
    return text if math.isnan(gap) else f"{text} · board vs front-line gap {gap:+.1f}"


def element_candidates(
    scores: pd.DataFrame, links: dict[tuple[str, Any], tuple[int, int]], serving: dict[str, list[int]] | None = None
) -> pd.DataFrame:
    """The rated cultural elements, weakest first, with the capability priorities serving each (pure)."""
    rows = [
        {
            "source": "element",
            "rank": n,
            "element_key": row.element_key,
            "name": row.element,
            "kind": "element",
            "evidence": _element_evidence(row.mean, row.gap),
            "score": float(row.score),
            **_linked(links, "element", row.element_key),
            "served_by": (serving or {}).get(row.element_key, []),
        }
        for n, row in enumerate(scores.itertuples(), start=1)
    ]
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


def ranked_candidates(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """What Discovery found, ranked: capability gaps by priority score, then cultural elements, weakest first."""
    access.require(Role.VIEWER, plan_id)
    gaps = capabilities.capability_gaps(session, access, plan_id)
    links = _links(session, plan_id)
    found = latest_round(session, access, plan_id)
    scores = element_scores(culture.results(session, access, plan_id, found.id)) if found else None
    frames = [capability_candidates(gaps, links)]
    if scores is not None:
        frames.append(element_candidates(scores, links, _serving(session, plan_id)))
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    frame = pd.concat(frames, ignore_index=True)
    frame["element_key"] = frame["element_key"].astype(object).where(frame["element_key"].notna(), None)
    types = {"capability_id": "Int64", "suggested_level": "Int64", "priority_id": "Int64", "priority_rank": "Int64"}
    return frame.astype(types)


# --- Priorities ------------------------------------------------------------------------------


def list_priorities(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """The plan's priorities in rank order, with capability name and kind ("element" for elements) and objectives."""
    access.require(Role.VIEWER, plan_id)
    p, c, o = Priority, Capability, Objective
    objectives = select(func.count(o.id)).where(o.priority_id == p.id).correlate(p).scalar_subquery()
    query = (
        select(p.id, p.version, p.rank, p.title, p.capability_id, c.name, c.kind, p.element_keys)
        .add_columns(p.target_level, p.target_date, p.rationale, objectives)
        .outerjoin(c, c.id == p.capability_id)
        .where(p.plan_id == plan_id)
        .order_by(p.rank, p.id)
    )
    frame = read_frame(session, query, PRIORITY_COLUMNS)
    frame["capability"] = frame["capability"].fillna("")
    frame["kind"] = frame["kind"].fillna("element")
    return frame.astype({"capability_id": "Int64", "target_level": "Int64", "objectives": int})


def _target_level(value: Any) -> int | None:
    if _blank(value):
        return None
    scale = level_names()
    if _whole(value) not in scale:
        options = ", ".join(f"{number} ({name})" for number, name in scale.items())
        raise InvalidInput(f"Target level must be one of {options}; “{value}” is not.")
    return _whole(value)


def _clean_priority(session: Session, plan_id: int, fields: dict[str, Any], element: bool) -> dict[str, Any]:
    unknown = set(fields) - set(PRIORITY_FIELDS)
    if unknown:
        raise InvalidInput(f"Priorities have no field(s) {', '.join(sorted(unknown))}.")
    clean: dict[str, Any] = {}
    if "title" in fields:
        clean["title"] = required_text(fields["title"], "Title", 200)
    if "rationale" in fields:
        clean["rationale"] = limited_text(fields["rationale"], "Rationale", 5000)
    if "target_level" in fields:
        clean["target_level"] = _target_level(fields["target_level"])
        if element and clean["target_level"] is not None:
            raise InvalidInput("Target level applies to capability priorities only; leave it blank for an element.")
    if "target_date" in fields:
        clean["target_date"] = _in_horizon(session, plan_id, fields["target_date"], "Target date")
    if "element_keys" in fields:
        if element:
            raise InvalidInput("An element priority is about its one element: remove it and promote another.")
        clean["element_keys"] = context.element_keys(session, plan_id, fields["element_keys"])
    return clean


def _already(title: str, rank: int) -> InvalidInput:
    return InvalidInput(f"“{title}” is already priority {rank}: edit that one instead of adding it twice.")


def _capability_subject(session: Session, plan_id: int, capability_id: Any) -> dict[str, Any]:
    """The new priority's capability, refusing one not in the plan or already a priority."""
    capability = session.get(Capability, _link_id(capability_id, "Capability"))
    if capability is None or capability.plan_id != plan_id:
        raise InvalidInput(f"Capability {capability_id} is not part of this plan.")
    found = _links(session, plan_id).get(("capability", capability.id))
    if found:
        raise _already(capability.name, found[1])
    return {"capability_id": capability.id, "title": capability.name}


def _element_subject(session: Session, plan_id: int, element_key: str) -> dict[str, Any]:
    """The new priority's cultural element, refusing one not in the plan or already a priority."""
    name = _element_names(session, plan_id).get(element_key)
    if name is None:
        raise InvalidInput(f"Cultural element {element_key} is not part of this plan.")
    found = _links(session, plan_id).get(("element", element_key))
    if found:
        raise _already(name, found[1])
    return {"capability_id": None, "title": name, "element_keys": [element_key]}


def promote(
    session: Session,
    access: Access,
    plan_id: int,
    *,
    capability_id: int | None = None,
    element_key: str | None = None,
    **fields: Any,
) -> int:
    """Make a capability or a cultural element a priority, ranked last (fields: title, rationale, target_…)."""
    access.require(Role.EDITOR, plan_id)
    if (capability_id is None) == (element_key is None):
        raise InvalidInput("Choose either a capability or a cultural element to promote.")
    lock_for(session, f"priorities:{plan_id}")  # two editors promoting the same gap at once must not both succeed
    if element_key is None:
        subject = _capability_subject(session, plan_id, capability_id)
    else:
        subject = _element_subject(session, plan_id, element_key)
    title = fields.pop("title", None)
    clean = _clean_priority(session, plan_id, {"title": title or subject["title"], **fields}, element_key is not None)
    last = select(func.coalesce(func.max(Priority.rank), 0)).where(Priority.plan_id == plan_id)
    values = {**subject, **clean, "rank": session.execute(last).scalar_one() + 1}
    return records.add(session, access, Priority, plan_id, values)


def _priority(session: Session, plan_id: int, priority_id: int) -> Priority:
    row = session.get(Priority, priority_id)
    if row is None or row.plan_id != plan_id:
        raise RecordNotFound("This priority no longer exists in this plan.")
    return row


def update_priority(
    session: Session, access: Access, plan_id: int, priority_id: int, seen_version: int, **changes: Any
) -> int:
    """Change a priority's title, rationale, target level or date, or elements; return the new version."""
    access.require(Role.EDITOR, plan_id)
    element = _priority(session, plan_id, priority_id).capability_id is None
    clean = _clean_priority(session, plan_id, changes, element)
    if not clean:
        return seen_version
    return records.update(session, access, Priority, priority_id, seen_version, clean, plan_id)


def _ranked(session: Session, plan_id: int) -> list[tuple[int, int, int]]:
    p = Priority
    query = select(p.id, p.version, p.rank).where(p.plan_id == plan_id).order_by(p.rank, p.id)
    return [tuple(row) for row in session.execute(query).all()]  # type: ignore[misc]


def _renumber(session: Session, access: Access, plan_id: int, order: list[int]) -> None:
    """Give the priorities ranks 1, 2, … in `order`, touching only those whose rank changes."""
    current = {priority_id: (version, rank) for priority_id, version, rank in _ranked(session, plan_id)}
    for rank, priority_id in enumerate(order, start=1):
        version, was = current[priority_id]
        if was != rank:
            records.update(session, access, Priority, priority_id, version, {"rank": rank}, plan_id)


def set_rank(session: Session, access: Access, plan_id: int, priority_id: int, seen_version: int, rank: Any) -> int:
    """Move a priority to `rank` (1 = first), renumbering the others; return its new version."""
    access.require(Role.EDITOR, plan_id)
    lock_for(session, f"priorities:{plan_id}")
    order = [row[0] for row in _ranked(session, plan_id)]
    if priority_id not in order:
        raise RecordNotFound("This priority no longer exists in this plan.")
    position = _whole(rank)
    if position is None or not 1 <= position <= len(order):
        raise InvalidInput(f"Rank must be a whole number from 1 to {len(order)}; “{rank}” is not.")
    # Update the moved priority first, so a stale version is refused before anything else changes.
    version = records.update(session, access, Priority, priority_id, seen_version, {"rank": position}, plan_id)
    order.remove(priority_id)
    order.insert(position - 1, priority_id)
    _renumber(session, access, plan_id, order)
    return version


def remove_priority(session: Session, access: Access, plan_id: int, priority_id: int, seen_version: int) -> None:
    """Delete a priority (its objectives stay, unlinked) and close the gap in the ranks."""
    access.require(Role.EDITOR, plan_id)
    lock_for(session, f"priorities:{plan_id}")
    records.remove(session, access, Priority, priority_id, seen_version, plan_id)
    _renumber(session, access, plan_id, [row[0] for row in _ranked(session, plan_id)])


# --- Objectives ------------------------------------------------------------------------------


def _value(objective: Any, name: str) -> Any:
    return objective.get(name) if hasattr(objective, "get") else getattr(objective, name, None)


def _normalised(value: Any) -> str:
    return "" if _blank(value) else " ".join(str(value).split()).casefold()


def missing_parts(objective: Any) -> list[str]:
    """Which of metric, baseline, target and due date an objective (mapping or record) lacks."""
    return [label for name, label in SPECIFIC_PARTS.items() if _blank(_value(objective, name))]


def specificity_issues(objective: Any) -> list[str]:
    """The flags that apply: “Not yet specific” (naming what is missing), “Not stretching” (target = baseline)."""
    issues = []
    missing = missing_parts(objective)
    if missing:
        issues.append(f"{NOT_SPECIFIC}: no {listed(missing, 'or')}")
    baseline = _normalised(_value(objective, "baseline"))
    if baseline and baseline == _normalised(_value(objective, "target")):
        issues.append(f"{NOT_STRETCHING}: the target equals the baseline")
    return issues


def list_objectives(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """The plan's objectives with priority, capability and tier names and their specificity issues."""
    access.require(Role.VIEWER, plan_id)
    o, p, c, t = Objective, Priority, Capability, LeadershipTier
    query = (
        select(*(getattr(o, name) for name in OBJECTIVE_COLUMNS))
        .add_columns(p.title, c.name, t.key, t.name)
        .outerjoin(p, p.id == o.priority_id)
        .outerjoin(c, c.id == o.capability_id)
        .outerjoin(t, t.id == o.tier_id)
        .where(o.plan_id == plan_id)
        .order_by(o.position, o.id)
    )
    frame = read_frame(session, query, OBJECTIVE_COLUMNS + OBJECTIVE_NAMES)
    for name in ("priority", "capability", "tier_key", "tier"):
        frame[name] = frame[name].fillna("")
    frame["issues"] = [specificity_issues(row) for row in frame.to_dict("records")]
    return frame.astype({"priority_id": "Int64", "capability_id": "Int64", "tier_id": "Int64"})


def _clean_objective(session: Session, plan_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(OBJECTIVE_FIELDS)
    if unknown:
        raise InvalidInput(f"Objectives have no field(s) {', '.join(sorted(unknown))}.")
    clean = {name: limited_text(fields[name], *TEXT_LIMITS[name]) for name in TEXT_LIMITS if name in fields}
    if "title" in fields:
        clean["title"] = required_text(fields["title"], "Title", 200)
    if "due" in fields:
        clean["due"] = _in_horizon(session, plan_id, fields["due"], "Due date")
    if "level" in fields:
        clean["level"] = choice(fields["level"], LEVELS, "Level")
    if "status" in fields:
        clean["status"] = choice(fields["status"], STATUSES, "Status")
    for name in ("priority_id", "capability_id", "tier_id"):
        if name in fields:
            clean[name] = _link_id(fields[name], name.removesuffix("_id").capitalize())
    if "element_keys" in fields:
        clean["element_keys"] = context.element_keys(session, plan_id, fields["element_keys"] or [])
    return clean


def _inherited(session: Session, plan_id: int, clean: dict[str, Any]) -> dict[str, Any]:
    """An objective serving a priority serves its capability and elements too, unless told otherwise."""
    if clean.get("priority_id") is None:
        return {}
    priority = session.get(Priority, clean["priority_id"])
    if priority is None or priority.plan_id != plan_id:
        raise InvalidInput(f"Priority {clean['priority_id']} is not part of this plan.")
    inherited = {"capability_id": priority.capability_id, "element_keys": list(priority.element_keys or [])}
    return {name: value for name, value in inherited.items() if name not in clean}


def add_objective(session: Session, access: Access, plan_id: int, **fields: Any) -> int:
    """Add an objective (title required; fields as OBJECTIVE_FIELDS), numbered last; return its id."""
    access.require(Role.EDITOR, plan_id)
    clean = _clean_objective(session, plan_id, fields)
    if "title" not in clean:
        raise InvalidInput("Title is required.")
    last = select(func.coalesce(func.max(Objective.position), 0)).where(Objective.plan_id == plan_id)
    values = {**clean, **_inherited(session, plan_id, clean), "position": session.execute(last).scalar_one() + 1}
    return records.add(session, access, Objective, plan_id, values)


def update_objective(
    session: Session, access: Access, plan_id: int, objective_id: int, seen_version: int, **changes: Any
) -> int:
    """Change an objective's fields if nobody else has since `seen_version`; return the new version."""
    access.require(Role.EDITOR, plan_id)
    clean = _clean_objective(session, plan_id, changes)
    if not clean:
        return seen_version
    return records.update(session, access, Objective, objective_id, seen_version, clean, plan_id)


def remove_objective(session: Session, access: Access, plan_id: int, objective_id: int, seen_version: int) -> None:
    """Delete an objective if nobody has changed it since `seen_version`."""
    records.remove(session, access, Objective, objective_id, seen_version, plan_id)


def agree(
    session: Session,
    access: Access,
    plan_id: int,
    objective_id: int,
    seen_version: int,
    agreed_by: str,
    agreed_on: Any = None,
) -> int:
    """Record who agreed an objective and when (default today, never in the future); return the new version."""
    access.require(Role.EDITOR, plan_id)
    who = required_text(agreed_by, "Agreed by", 200)
    when = as_date(agreed_on, "Agreed on") or date.today()
    if when > date.today():
        raise InvalidInput(f"Agreed on ({when:%d %b %Y}) is in the future: record agreement once it is given.")
    values = {"agreed_by": who, "agreed_on": when}
    return records.update(session, access, Objective, objective_id, seen_version, values, plan_id)


def withdraw_agreement(session: Session, access: Access, plan_id: int, objective_id: int, seen_version: int) -> int:
    """Mark an objective as not (or no longer) agreed; return the new version."""
    values = {"agreed_by": "", "agreed_on": None}
    return records.update(session, access, Objective, objective_id, seen_version, values, plan_id)


# --- Diversity targets -----------------------------------------------------------------------


def _percent(share: float) -> str:
    return f"{math.floor(share * 100 + 0.5)}%"


def _tier_row(session: Session, access: Access, plan_id: int, tier_key: str, dimension: str, category: str) -> Any:
    figures = workforce.representation(session, access, plan_id, dimension, category)
    found = figures[figures["tier_key"] == tier_key]
    if found.empty:
        raise InvalidInput(f"Tier {tier_key} is not part of this plan.")
    return found.iloc[0]


def _people(tier_key: str, tier: str) -> str:
    return "Board members" if tier_key == "board" else f"{tier} leaders"


def _draft_target(row: Any) -> str:
    """The whole workforce's share, rounded; "at least" it when the tier already reaches it."""
    if math.isnan(row["workforce_share"]):
        return ""
    target = _percent(row["workforce_share"])
    return f"at least {target}" if row["share"] >= row["workforce_share"] else target


def _draft_baseline(row: Any, known_word: str) -> str:
    if not row["known"]:
        return ""
    return f"{row['share']:.1%} ({row['count']:,} of {row['known']:,} with {known_word} known)"


def _draft_title(category: str, people: str, baseline: str, target: str, due: date | None) -> str:
    if target.startswith("at least"):
        title = f"Keep the {category} share of {people} at {target.removeprefix('at least ')} or more"
    elif baseline and target:
        title = f"Raise the {category} share of {people} from {baseline.split(' ')[0]} to {target}"
    else:
        title = f"Raise the {category} share of {people}"
    return title + (f" by {due:%B %Y}" if due else "")


def _draft_note(row: Any, category: str, known_word: str) -> str:
    if math.isnan(row["workforce_share"]):
        return "There are no whole-workforce figures yet: set the target yourself, or add them on the Workforce page."
    text = f"Whole workforce: {row['workforce_share']:.1%} {category} among staff whose {known_word} is known"
    if not math.isnan(row["difference_pp"]):
        text += f"; {row['tier']} is {row['difference_pp']:+.1f} percentage points from it"
    return text + ". The target suggested is the workforce's share, rounded."


def diversity_target_draft(
    session: Session, access: Access, plan_id: int, tier_key: str, dimension: str = "ethnicity", category: str = "BME"
) -> ObjectiveDraft:
    """A diversity target for one tier prefilled from the workforce figures (WRES indicator 9 for the Board, else 1)."""
    row = _tier_row(session, access, plan_id, tier_key, dimension, category)
    known_word = dimension.replace("_", " ")
    baseline = _draft_baseline(row, known_word)
    target, people = _draft_target(row), _people(tier_key, row["tier"])
    due = _plan(session, plan_id).horizon_end
    indicator = 9 if tier_key == "board" else 1
    t = LeadershipTier
    tier_id = session.execute(select(t.id).where(t.plan_id == plan_id, t.key == tier_key)).scalar_one()
    return ObjectiveDraft(
        tier_id=tier_id,
        tier_key=tier_key,
        tier=row["tier"],
        title=_draft_title(category, people, baseline, target, due),
        metric=f"{category} share of {people} (WRES indicator {indicator})",
        baseline=baseline,
        target=target,
        due=due,
        level="board" if tier_key == "board" else "organisation",
        element_keys=(EQUITY,) if EQUITY in _element_names(session, plan_id) else (),
        note=_draft_note(row, category, known_word),
    )


def diversity_targets(objectives: pd.DataFrame) -> pd.DataFrame:
    """The objectives that are diversity targets (those with a tier), renumbered from 0 (pure)."""
    return objectives[objectives["tier_id"].notna()].reset_index(drop=True)


def other_objectives(objectives: pd.DataFrame) -> pd.DataFrame:
    """The objectives that are not diversity targets, renumbered from 0 (pure)."""
    return objectives[objectives["tier_id"].isna()].reset_index(drop=True)


def issue_counts(objectives: pd.DataFrame) -> dict[str, int]:
    """How many objectives are not yet specific, not stretching and agreed."""
    issues = objectives["issues"] if not objectives.empty else pd.Series(dtype=object)
    return {
        NOT_SPECIFIC: int(issues.map(lambda found: any(i.startswith(NOT_SPECIFIC) for i in found)).sum()),
        NOT_STRETCHING: int(issues.map(lambda found: any(i.startswith(NOT_STRETCHING) for i in found)).sum()),
        "Agreed": int((objectives["agreed_by"].fillna("") != "").sum()) if not objectives.empty else 0,
    }


def tier_keys(session: Session, access: Access, plan_id: int) -> dict[str, str]:
    """The plan's leadership tiers, key → name, Board first."""
    frame = workforce.tiers(session, access, plan_id)
    return dict(zip(frame["key"], frame["name"], strict=True))
