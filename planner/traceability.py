"""Traceability from Discovery through Design to Development, and the budget against the means' estimates (issue 6).

The chain's rows are the coverage rows of planner/means.py: every priority and every weak cultural
element. For each: the Discovery evidence (the capability gap, the element's survey mean, and the
context items that bear on its elements), the Design means that cover it, and the Development
initiatives that deliver it. An initiative delivers a row when it links to the row's priority, to
a means covering the row, to an objective of the priority or to the priority's capability; or,
for an element row or an element priority, when it names the element. An initiative "linked to nothing" has no links
and names no element.

Budgets: an initiative's budget is split evenly among its tiers (as the means' estimates are) and
across calendar years in proportion to the days it runs in each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from planner import capabilities, context, means
from planner.access import Access, Role
from planner.db import once, read_frame
from planner.initiatives import KINDS
from planner.models import Initiative, InitiativeLink, Objective

CHAIN_COLUMNS = ["row_key", "kind", "item", "discovery", "design", "development", "status"]
NO_DATES = "No dates"
INITIATIVE_COLUMNS = ["id", "title", "kind", "budget", "tier_keys", "start", "end", "element_keys"]
LINK_COLUMNS = ["initiative_id", "means_id", "priority_id", "objective_id", "capability_id"]


@dataclass(frozen=True, eq=False)
class Budget:
    """Initiative budgets by type, tier and year, with the means' estimates beside them where they exist."""

    by_type: pd.DataFrame
    by_tier: pd.DataFrame
    by_year: pd.DataFrame
    budget: int
    estimate: int


def _initiatives(session: Session, plan_id: int) -> pd.DataFrame:
    return once(session, ("traceability._initiatives", plan_id), lambda: _read_initiatives(session, plan_id))


def _read_initiatives(session: Session, plan_id: int) -> pd.DataFrame:
    query = select(*[getattr(Initiative, c) for c in INITIATIVE_COLUMNS]).where(Initiative.plan_id == plan_id)
    frame = read_frame(session, query.order_by(Initiative.position, Initiative.id), INITIATIVE_COLUMNS)
    return frame.assign(tier_keys=frame["tier_keys"].map(_list), element_keys=frame["element_keys"].map(_list))


def _list(value: Any) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _links(session: Session, plan_id: int) -> pd.DataFrame:
    query = select(*[getattr(InitiativeLink, c) for c in LINK_COLUMNS]).join(Initiative)
    return read_frame(session, query.where(Initiative.plan_id == plan_id), LINK_COLUMNS)


def _objective_priorities(session: Session, plan_id: int) -> dict[int, int]:
    query = select(Objective.id, Objective.priority_id).where(Objective.plan_id == plan_id)
    return {oid: pid for oid, pid in session.execute(query) if pid is not None}


def _row_keys_of_link(
    link: Any, covers: dict[int, set[str]], by_capability: dict[int, set[str]], objectives: dict[int, int]
) -> set[str]:
    """The chain rows one initiative link delivers."""
    keys = set(covers.get(int(link.means_id), set())) if pd.notna(link.means_id) else set()
    if pd.notna(link.priority_id):
        keys.add(f"priority:{int(link.priority_id)}")
    if pd.notna(link.objective_id) and int(link.objective_id) in objectives:
        keys.add(f"priority:{objectives[int(link.objective_id)]}")
    if pd.notna(link.capability_id):
        keys |= by_capability.get(int(link.capability_id), set())
    return keys


def _priority_rows_by_capability(prios: pd.DataFrame) -> dict[int, set[str]]:
    """Capability id → the chain rows of the priorities for it (looked up once per link)."""
    found: dict[int, set[str]] = {}
    for pid, capability_id in zip(prios["id"], prios["capability_id"], strict=True):
        if pd.notna(capability_id):
            found.setdefault(int(capability_id), set()).add(f"priority:{pid}")
    return found


def _delivers(session: Session, plan_id: int, found: means.Coverage, prios: pd.DataFrame) -> dict[int, set[str]]:
    """Initiative id → the chain rows it delivers."""
    cells = found.matrix[found.matrix["status"] != "none"].dropna(subset=["means_id"])
    covers: dict[int, set[str]] = {}
    for means_id, row_key in zip(cells["means_id"], cells["row_key"], strict=True):
        covers.setdefault(int(means_id), set()).add(row_key)
    objectives = _objective_priorities(session, plan_id)
    element_priorities = prios[prios["capability_id"].isna()]
    named = [
        (pid, set(names or []))
        for pid, names in zip(element_priorities["id"], element_priorities["element_keys"], strict=True)
    ]
    delivered = {
        int(i): {f"element:{k}" for k in keys} | _element_priority_rows(named, keys)
        for i, keys in _element_map(session, plan_id).items()
    }
    by_capability = _priority_rows_by_capability(prios)
    for link in _links(session, plan_id).itertuples():
        found_keys = _row_keys_of_link(link, covers, by_capability, objectives)
        delivered.setdefault(int(link.initiative_id), set()).update(found_keys)
    return delivered


def _element_priority_rows(named: list[tuple[int, set[str]]], keys: list[str]) -> set[str]:
    """The element priorities (no capability; id and the elements each names) that name any of these elements."""
    wanted = set(keys)
    return {f"priority:{pid}" for pid, names in named if names & wanted}


def _element_map(session: Session, plan_id: int) -> dict[int, list[str]]:
    initiatives = _initiatives(session, plan_id)
    return dict(zip(initiatives["id"], initiatives["element_keys"], strict=True))


def _capability_evidence(session: Session, access: Access, plan_id: int) -> dict[int, str]:
    gaps = capabilities.capability_gaps(session, access, plan_id)
    return {
        int(row.capability_id): f"capability gap {row.gap:+.1f} levels (priority score {row.priority:.1f})"
        for row in gaps.itertuples()
        if pd.notna(row.gap)
    }


def _items_by_element(items: pd.DataFrame) -> dict[str, list[int]]:
    """Element key → the positions of the context items that name it, in the items' order."""
    found: dict[str, list[int]] = {}
    for position, keys in enumerate(items["element_keys"]):
        for key in dict.fromkeys(keys or []):
            found.setdefault(key, []).append(position)
    return found


def _context_evidence(titles: list[str], by_element: dict[str, list[int]], element_keys: list[str]) -> str:
    positions = sorted({position for key in element_keys for position in by_element.get(key, [])})
    if not positions:
        return ""
    shown = "; ".join(f"“{titles[p]}”" for p in positions[:3])
    return f"context: {shown}" + (f" and {len(positions) - 3} more" if len(positions) > 3 else "")


def _priority_facts(prios: pd.DataFrame) -> dict[str, tuple[int | None, list[str]]]:
    """Priority row key → its capability id (None for an element priority) and the elements it names."""
    return {
        f"priority:{pid}": (None if pd.isna(capability_id) else int(capability_id), list(keys or []))
        for pid, capability_id, keys in zip(prios["id"], prios["capability_id"], prios["element_keys"], strict=True)
    }


def _evidence(row: Any, facts: dict[str, tuple[int | None, list[str]]], gaps: dict[int, str], titles: list[str],
              by_element: dict[str, list[int]]) -> str:  # fmt: skip
    capability_id, element_keys = facts.get(row.row_key, (None, []))
    parts = []
    if row.kind != "priority":
        parts.append(row.detail)
        element_keys = [row.row_key.split(":", 1)[1]]
    elif capability_id is not None:
        parts.append(gaps.get(capability_id, "capability not yet rated"))
    parts.append(_context_evidence(titles, by_element, element_keys))
    return " · ".join(p for p in parts if p) or "no Discovery evidence recorded"


def _joined_by_row(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Row key → its names joined with "; ", in the pairs' order."""
    found: dict[str, list[str]] = {}
    for key, name in pairs:
        found.setdefault(key, []).append(name)
    return {key: "; ".join(names) for key, names in found.items()}


def _deliverers(delivered: dict[int, set[str]], titles: dict[int, str]) -> dict[str, str]:
    """Row key → the titles of the initiatives that deliver it, joined with "; "."""
    return _joined_by_row((key, titles[i]) for i, keys in delivered.items() if i in titles for key in keys)


def _status(design: str, development: str) -> str:
    if not design:
        return "No means"
    return "No initiative" if not development else "Complete"


def chains(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Per priority and weak element: Discovery evidence → Design means → Development initiatives, and a status."""
    access.require(Role.VIEWER, plan_id)
    found = means.coverage(session, access, plan_id)
    prios = means.priorities(session, access, plan_id)
    gaps, items = _capability_evidence(session, access, plan_id), context.list_items(session, access, plan_id)
    titles = dict(zip(*(_initiatives(session, plan_id)[c] for c in ("id", "title")), strict=True))
    developers = _deliverers(_delivers(session, plan_id, found, prios), titles)
    cells = found.matrix[found.matrix["status"] != "none"]
    designs = _joined_by_row(zip(cells["row_key"], cells["means"], strict=True))
    facts, by_element, item_titles = _priority_facts(prios), _items_by_element(items), list(items["title"])
    rows = []
    for row in found.rows.itertuples():
        design, development = designs.get(row.row_key, ""), developers.get(row.row_key, "")
        evidence = _evidence(row, facts, gaps, item_titles, by_element)
        rows.append([row.row_key, row.kind, row.label, evidence, design, development, _status(design, development)])
    return pd.DataFrame(rows, columns=CHAIN_COLUMNS)


def unlinked_priorities(chain: pd.DataFrame) -> pd.DataFrame:
    """The priorities (not elements) that no initiative delivers."""
    gaps = chain[(chain["kind"] == "priority") & (chain["development"] == "")]
    return gaps[["item", "design"]].reset_index(drop=True)


def orphan_initiatives(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Initiatives linked to nothing: no means, priority, objective or capability, and no cultural element."""
    access.require(Role.VIEWER, plan_id)
    initiatives = _initiatives(session, plan_id)
    linked = set(_links(session, plan_id)["initiative_id"])
    alone = initiatives[~initiatives["id"].isin(linked) & (initiatives["element_keys"].map(len) == 0)]
    return alone[["id", "title", "kind"]].reset_index(drop=True)


# --- Budget ------------------------------------------------------------------------------------


def kind_names() -> dict[str, str]:
    """Initiative types, key → name (leadership development, organisation development, culture shaping)."""
    return dict(KINDS)


def _by_type(initiatives: pd.DataFrame) -> pd.DataFrame:
    names = kind_names()
    grouped = initiatives.groupby("kind")
    keys = list(names) + sorted(set(initiatives["kind"]) - set(names))
    frame = pd.DataFrame({"kind": keys, "type": [names.get(k, k.replace("_", " ").capitalize()) for k in keys]})
    frame["initiatives"] = frame["kind"].map(grouped.size()).fillna(0).astype(int)
    frame["budget"] = frame["kind"].map(grouped["budget"].sum()).fillna(0).astype(int)
    return frame


def _tier_shares(initiatives: pd.DataFrame) -> pd.DataFrame:
    shares = [
        (key, row.budget / max(len(row.tier_keys), 1))
        for row in initiatives.itertuples()
        for key in (row.tier_keys or [""])
    ]
    return pd.DataFrame(shares, columns=["tier_key", "budget"])


def _by_tier(initiatives: pd.DataFrame, estimates: pd.DataFrame) -> pd.DataFrame:
    """Budget per tier beside the means' estimated cost per tier (both split evenly among tiers)."""
    budget = _tier_shares(initiatives).groupby("tier_key")["budget"].sum()
    frame = estimates[["tier_key", "tier", "cost"]].rename(columns={"cost": "estimate"}).copy()
    if "" in budget.index and "" not in set(frame["tier_key"]):
        frame = pd.concat([frame, pd.DataFrame([{"tier_key": "", "tier": means.NO_TIER, "estimate": 0.0}])])
    frame["budget"] = frame["tier_key"].map(budget).fillna(0.0)
    frame["difference"] = frame["budget"] - frame["estimate"]
    return frame.reset_index(drop=True)[["tier_key", "tier", "budget", "estimate", "difference"]]


def year_shares(start: date | None, end: date | None, amount: float) -> dict[str, float]:
    """An amount spread over calendar years in proportion to the days from start to end (inclusive)."""
    if start is None or end is None or end < start:
        return {NO_DATES: float(amount)}
    days = (end - start).days + 1
    shares = {}
    for year in range(start.year, end.year + 1):
        first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
        shares[str(year)] = amount * ((last - first).days + 1) / days
    return shares


def _by_year(initiatives: pd.DataFrame) -> pd.DataFrame:
    totals: dict[str, float] = {}
    for row in initiatives.itertuples():
        for year, share in year_shares(_day(row.start), _day(row.end), row.budget).items():
            totals[year] = totals.get(year, 0.0) + share
    order = sorted(k for k in totals if k != NO_DATES) + ([NO_DATES] if NO_DATES in totals else [])
    return pd.DataFrame({"year": order, "budget": [totals[k] for k in order]})


def _day(value: Any) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def budget(session: Session, access: Access, plan_id: int) -> Budget:
    """Initiative budgets by type, by tier (beside the means' estimates) and by year."""
    access.require(Role.VIEWER, plan_id)
    initiatives = _initiatives(session, plan_id)
    estimates = means.totals(session, access, plan_id)
    return Budget(
        by_type=_by_type(initiatives),
        by_tier=_by_tier(initiatives, estimates.by_tier),
        by_year=_by_year(initiatives),
        budget=int(initiatives["budget"].sum()),
        estimate=estimates.cost,
    )
