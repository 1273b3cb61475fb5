"""Means to acquire, develop and sustain the priority capabilities; their coverage and totals (issue 5).

Coverage rule: the rows are every priority (in rank order) and every *weak* cultural element.
An element is weak when a priority without a capability names it (an element priority), or when
its mean in the latest survey round with at least culture.MIN_GROUP responses is below
WEAK_MEAN. A means covers its own priority, any priority with the same capability, the elements
its priority names and, when it comes from the library, the elements the intervention addresses.
A row no means covers is "uncovered".

Totals by tier: a means for several tiers has its cost and reach split evenly among them, so
the tier totals add up to the plan's totals; a means with no tier goes to NO_TIER.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from planner import context, culture, records
from planner.access import Access, Role
from planner.db import lock_for, once, read_frame
from planner.framework import framework, names
from planner.models import Capability, Intervention, LeadershipTier, Means, Priority
from planner.records import RecordNotFound
from planner.validation import InvalidInput, choice, limited_text, required_text, whole_amount

STATUSES = {"current": "Current", "planned": "Planned"}
MAX_COST = 50_000_000
MAX_REACH = 1_000_000
MAX_LEAD_TIME = 120
WEAK_MEAN = 3.0
NO_TIER = "No tier given"
APPROACHES = {  # examples the framework's three modes cover, offered as prompts
    "acquire": ["recruit", "second", "partner or borrow"],
    "develop": ["programmes", "coaching", "mentoring", "action learning", "QI training", "team development"],
    "sustain": ["talent management", "succession", "appraisal", "reward and recognition", "culture"],
}
AMOUNTS = {  # field → (label, maximum)
    "cost": ("Cost (£)", MAX_COST),
    "lead_time_months": ("Lead time (months)", MAX_LEAD_TIME),
    "reach": ("Leaders reached", MAX_REACH),
}
EDITABLE = (
    "priority_id",
    "capability_id",
    "mode",
    "status",
    "approach",
    "description",
    "intervention_key",
    *AMOUNTS,
    "owner",
    "tier_keys",
)
COLUMNS = ["id", "version", "position", *EDITABLE]
LIBRARY_COLUMNS = [
    "key",
    "name",
    "kind",
    "od_focus",
    "modes",
    "element_keys",
    "description",
    "audience",
    "typical_duration_months",
    "typical_cost_gbp",
]
PRIORITY_COLUMNS = ["id", "rank", "title", "capability_id", "capability", "element_keys"]
ROW_COLUMNS = ["row_key", "kind", "label", "detail", "position", "status", "means", "reason"]
MATRIX_COLUMNS = [
    "row_key",
    "row",
    "row_position",
    "uncovered",
    "means_id",
    "means",
    "mode",
    "means_position",
    "status",
]


@dataclass(frozen=True, eq=False)
class Coverage:
    """Coverage rows (priorities and weak elements, each with its best status) and the long rows × means matrix."""

    rows: pd.DataFrame
    matrix: pd.DataFrame

    def table(self) -> pd.DataFrame:
        """The matrix as a wide table: one row per coverage row, one column per means, cells current/planned/''."""
        if self.matrix["means_id"].isna().all():
            return pd.DataFrame({"Row": self.rows["label"]})
        cells = self.matrix.dropna(subset=["means_id"]).replace({"status": {"none": ""}})
        wide = cells.pivot(index="row", columns="means", values="status")
        order = list(dict.fromkeys(cells.sort_values("means_position")["means"]))
        return wide.reindex(index=list(self.rows["label"]), columns=order).rename_axis(index="Row", columns=None)


@dataclass(frozen=True, eq=False)
class Totals:
    """Estimated cost and reach by mode and by tier, and the plan's overall figures."""

    by_mode: pd.DataFrame
    by_tier: pd.DataFrame
    means: int
    cost: int
    reach: int


def modes() -> dict[str, str]:
    """Mode key → name: acquire, develop, sustain."""
    return names("modes")


def mode_descriptions() -> dict[str, str]:
    """Mode key → the framework's description of that mode."""
    return {mode["key"]: mode["description"] for mode in framework()["modes"]}


# --- The intervention library ----------------------------------------------------------------


def library(session: Session, query: str = "", mode: str | None = None, element_key: str | None = None) -> pd.DataFrame:
    """Library interventions matching every word of `query` (name, description, audience), a mode and an element."""
    columns = [getattr(Intervention, name) for name in LIBRARY_COLUMNS]
    frame = read_frame(session, select(*columns).order_by(Intervention.id), LIBRARY_COLUMNS)
    text = (frame["name"] + " " + frame["description"] + " " + frame["audience"]).str.lower()
    keep = pd.Series(True, index=frame.index)
    for word in str(query or "").lower().split():
        keep &= text.str.contains(word, regex=False)
    if mode:
        keep &= frame["modes"].map(lambda found: mode in (found or []))
    if element_key:
        keep &= frame["element_keys"].map(lambda found: element_key in (found or []))
    return frame[keep].reset_index(drop=True)


def library_item(session: Session, key: str) -> dict[str, Any]:
    """One library intervention as a dict; InvalidInput when the key is not in the library."""
    found = session.execute(select(Intervention).where(Intervention.key == key)).scalars().first()
    if found is None:
        raise InvalidInput(f"Intervention: “{key}” is not in the library.")
    return {name: getattr(found, name) for name in LIBRARY_COLUMNS}


def prefill(item: dict[str, Any]) -> dict[str, Any]:
    """The means fields a library intervention fills in: approach, description, cost and lead time."""
    return {
        "intervention_key": item["key"],
        "approach": item["name"],
        "description": item["description"],
        "cost": item["typical_cost_gbp"],
        "lead_time_months": item["typical_duration_months"],
    }


# --- Reading the plan's priorities and means --------------------------------------------------


def priorities(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """The plan's priorities in rank order, with their capability's name and the elements they name."""
    access.require(Role.VIEWER, plan_id)
    p = Priority
    query = (
        select(p.id, p.rank, p.title, p.capability_id, Capability.name, p.element_keys)
        .outerjoin(Capability, Capability.id == p.capability_id)
        .where(p.plan_id == plan_id)
        .order_by(p.rank, p.id)
    )
    frame = read_frame(session, query, PRIORITY_COLUMNS)
    return frame.assign(capability=frame["capability"].fillna(""), element_keys=frame["element_keys"].map(_keys))


def _keys(value: Any) -> list[str]:
    return list(value or [])


def list_means(session: Session, access: Access, plan_id: int, priority_id: int | None = None) -> pd.DataFrame:
    """The plan's means (with id and version) by mode then position, optionally those of one priority."""
    access.require(Role.VIEWER, plan_id)
    query = select(*[getattr(Means, name) for name in COLUMNS]).where(Means.plan_id == plan_id)
    if priority_id is not None:
        query = query.where(Means.priority_id == priority_id)
    frame = read_frame(session, query, COLUMNS)
    frame["mode_order"] = frame["mode"].map({key: n for n, key in enumerate(modes())}).fillna(len(modes()))
    frame = frame.sort_values(["mode_order", "position", "id"]).drop(columns="mode_order").reset_index(drop=True)
    return frame.assign(tier_keys=frame["tier_keys"].map(_keys))


def tiers(session: Session, access: Access, plan_id: int) -> dict[str, str]:
    """The plan's leadership tiers, key → name, Board first."""
    access.require(Role.VIEWER, plan_id)
    return _tiers(session, plan_id)


def _tiers(session: Session, plan_id: int) -> dict[str, str]:
    t = LeadershipTier
    query = select(t.key, t.name).where(t.plan_id == plan_id).order_by(t.position, t.id)
    return dict(session.execute(query).all())


# --- Validation -------------------------------------------------------------------------------


def _priority(session: Session, plan_id: int, priority_id: Any) -> Priority:
    if priority_id is None:
        raise InvalidInput("Priority is required: choose the priority this means serves.")
    found = session.get(Priority, priority_id) if isinstance(priority_id, numbers.Integral) else None
    if found is None or found.plan_id != plan_id:
        raise InvalidInput(f"Priority: {priority_id} is not a priority of this plan.")
    return found


def _tier_keys(session: Session, plan_id: int, keys: Any) -> list[str]:
    if isinstance(keys, str) or not isinstance(keys, list | tuple | set):
        raise InvalidInput("Tiers must be given as a list.")
    known = list(_tiers(session, plan_id))
    strangers = [str(key) for key in keys if key not in known]
    if strangers:
        raise InvalidInput(f"Tiers: {', '.join(strangers)} are not tiers of this plan.")
    return [key for key in known if key in keys]


def _capability_id(value: Any) -> int | None:
    """None or a whole id; records.add / update then refuse another plan's capability."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral)):
        raise InvalidInput(f"Capability: “{value}” is not a capability of this plan.")
    return None if value is None else int(value)


def _texts(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "approach" in fields:
        clean["approach"] = required_text(fields["approach"], "Approach", 200)
    if "description" in fields:
        clean["description"] = limited_text(fields["description"], "Description", 5000)
    if "owner" in fields:
        clean["owner"] = limited_text(fields["owner"], "Owner", 200)
    return clean


def _choices(session: Session, plan_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "mode" in fields:
        clean["mode"] = choice(fields["mode"], modes(), "Mode")
    if "status" in fields:
        clean["status"] = choice(fields["status"], STATUSES, "Status")
    if "priority_id" in fields:
        clean["priority_id"] = _priority(session, plan_id, fields["priority_id"]).id
    if "capability_id" in fields:
        clean["capability_id"] = _capability_id(fields["capability_id"])
    if fields.get("intervention_key"):
        clean["intervention_key"] = library_item(session, fields["intervention_key"])["key"]
    elif "intervention_key" in fields:
        clean["intervention_key"] = ""
    if "tier_keys" in fields:
        clean["tier_keys"] = _tier_keys(session, plan_id, fields["tier_keys"])
    return clean


def _clean(session: Session, plan_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """Validated values for the given fields; InvalidInput names the first problem."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"Means have no field(s) {', '.join(sorted(unknown))}.")
    amounts = {name: whole_amount(fields[name], *AMOUNTS[name]) for name in AMOUNTS if name in fields}
    return {**_texts(fields), **_choices(session, plan_id, fields), **amounts}


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two means for one priority and mode that are the same intervention, or have the same approach."""
    if a["intervention_key"] and a["intervention_key"] == b["intervention_key"]:
        return True
    return a["approach"].strip().casefold() == b["approach"].strip().casefold()


def _refuse_duplicate(session: Session, plan_id: int, values: dict[str, Any], means_id: int | None = None) -> None:
    lock_for(session, f"means:{plan_id}")  # two editors adding the same means at once: one wins
    query = select(Means).where(Means.plan_id == plan_id, Means.priority_id == values["priority_id"])
    for other in session.execute(query.where(Means.mode == values["mode"])).scalars():
        known = {"intervention_key": other.intervention_key, "approach": other.approach}
        if other.id != means_id and _same(values, known):
            mode = modes()[values["mode"]].lower()
            raise InvalidInput(f"Approach: this priority already has “{other.approach}” as a means to {mode}.")


# --- Writing ----------------------------------------------------------------------------------


def _next_position(session: Session, plan_id: int) -> int:
    last = select(func.coalesce(func.max(Means.position), 0)).where(Means.plan_id == plan_id)
    return session.execute(last).scalar_one() + 1


def add_means(session: Session, access: Access, plan_id: int, **fields: Any) -> int:
    """Add a means for a priority (priority_id, mode and approach required); return its id."""
    access.require(Role.EDITOR, plan_id)
    clean = {"status": "planned", "intervention_key": "", **_clean(session, plan_id, fields)}
    for required, label in (("priority_id", "Priority"), ("mode", "Mode"), ("approach", "Approach")):
        if required not in clean:
            raise InvalidInput(f"{label} is required.")
    if "capability_id" not in clean:
        clean["capability_id"] = session.get(Priority, clean["priority_id"]).capability_id  # type: ignore[union-attr]
    _refuse_duplicate(session, plan_id, clean)
    clean["position"] = _next_position(session, plan_id)
    return records.add(session, access, Means, plan_id, clean)


def add_from_library(
    session: Session,
    access: Access,
    plan_id: int,
    priority_id: int,
    intervention_key: str,
    mode: str | None = None,
    **overrides: Any,
) -> int:
    """Add a library intervention as a means, prefilled from the library (overrides win); return its id."""
    access.require(Role.EDITOR, plan_id)
    item = library_item(session, intervention_key)
    chosen = mode or (item["modes"] or ["develop"])[0]
    values = {**prefill(item), "priority_id": priority_id, "mode": chosen, **overrides}
    return add_means(session, access, plan_id, **values)


def _existing(session: Session, plan_id: int, means_id: int) -> Means:
    found = session.get(Means, means_id)
    if found is None or found.plan_id != plan_id:
        raise RecordNotFound("This means no longer exists in this plan.")
    return found


def update_means(
    session: Session, access: Access, plan_id: int, means_id: int, seen_version: int, **changes: Any
) -> int:
    """Change a means if nobody else has since `seen_version`; return the new version."""
    access.require(Role.EDITOR, plan_id)
    clean = _clean(session, plan_id, changes)
    if not clean:
        return seen_version
    if {"priority_id", "mode", "approach", "intervention_key"} & set(clean):
        current = _existing(session, plan_id, means_id)
        merged = {name: getattr(current, name) for name in ("priority_id", "mode", "approach", "intervention_key")}
        _refuse_duplicate(session, plan_id, merged | clean, means_id)
    return records.update(session, access, Means, means_id, seen_version, clean, plan_id)


def delete_means(session: Session, access: Access, plan_id: int, means_id: int, seen_version: int) -> None:
    """Delete a means if nobody has changed it since `seen_version`."""
    records.remove(session, access, Means, means_id, seen_version, plan_id)


# --- Coverage ---------------------------------------------------------------------------------


def latest_element_means(session: Session, access: Access, plan_id: int) -> tuple[str, dict[str, float]]:
    """The latest survey round with enough responses to report: its name and each element's mean score."""
    access.require(Role.VIEWER, plan_id)
    reported = [r for r in culture.list_rounds(session, access, plan_id) if r.responses >= culture.MIN_GROUP]
    if not reported:
        return "", {}
    means = culture.element_means(session, access, plan_id, reported[-1].id).dropna(subset=["mean"])
    return reported[-1].name, dict(zip(means["element_key"], means["mean"].astype(float), strict=True))


def _priority_rows(prios: pd.DataFrame, elements: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for n, p in enumerate(prios.itertuples()):
        detail = p.capability or ", ".join(elements.get(k, k) for k in p.element_keys)
        rows.append(
            {
                "row_key": f"priority:{p.id}",
                "kind": "priority",
                "label": f"Priority {p.rank}: {p.title}",
                "detail": detail,
                "position": n,
                "reason": "No means to acquire, develop or sustain it yet.",
            }
        )
    return rows


def _element_reason(name: str, round_name: str, mean: float | None, named_by: list[str]) -> str:
    parts = [f"rated {mean:.1f} of 5 in {round_name} (below {WEAK_MEAN:.1f})"] if mean is not None else []
    parts += [f"named by the priority “{title}”" for title in named_by]
    return f"{name} is {' and '.join(parts)}, and no means addresses it."


def _element_rows(
    prios: pd.DataFrame, elements: dict[str, str], round_name: str, latest: dict[str, float]
) -> list[dict[str, Any]]:
    rows = []
    for n, (key, name) in enumerate(elements.items()):
        mean, named = latest.get(key), _named_by(prios, key)
        weak = mean is not None and mean < WEAK_MEAN
        if weak or named:
            detail = f"Mean {mean:.2f} in {round_name}" if mean is not None else "Named by an element priority"
            reason = _element_reason(name, round_name, mean if weak else None, named)
            row = {"row_key": f"element:{key}", "kind": "element", "label": f"Element: {name}", "detail": detail}
            rows.append(row | {"position": 1000 + n, "reason": reason})
    return rows


def _named_by(prios: pd.DataFrame, key: str) -> list[str]:
    """Titles of the element priorities (priorities without a capability) that name the element."""
    chosen = prios[prios["capability_id"].isna()]
    return [title for title, keys in zip(chosen["title"], chosen["element_keys"], strict=True) if key in keys]


def _covers(means: pd.DataFrame, prios: pd.DataFrame, library_elements: dict[str, list[str]]) -> list[set[str]]:
    """For each means, in order, the coverage row keys it covers (by lookups built once, not frame filters)."""
    own: dict[int, list[str]] = {}
    by_capability: dict[int, set[str]] = {}
    for pid, capability_id, keys in zip(prios["id"], prios["capability_id"], prios["element_keys"], strict=True):
        own[int(pid)] = keys
        if pd.notna(capability_id):
            by_capability.setdefault(int(capability_id), set()).add(f"priority:{pid}")

    def covered(priority_id: Any, capability_id: Any, intervention_key: Any) -> set[str]:
        keys = set(by_capability.get(int(capability_id), set())) if pd.notna(capability_id) else set()
        elements = set(library_elements.get(intervention_key, []))
        if pd.notna(priority_id) and int(priority_id) in own:
            keys.add(f"priority:{int(priority_id)}")
            elements |= set(own[int(priority_id)])
        return keys | {f"element:{key}" for key in elements}

    columns = (means["priority_id"], means["capability_id"], means["intervention_key"])
    return [covered(*values) for values in zip(*columns, strict=True)]


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _means_labels(means: pd.DataFrame) -> list[str]:
    names_ = modes()
    return _unique([f"{a} ({names_.get(m, m).lower()})" for a, m in zip(means["approach"], means["mode"], strict=True)])


def _matrix(rows: pd.DataFrame, means: pd.DataFrame, covers: list[set[str]]) -> pd.DataFrame:
    labels, means_rows = _means_labels(means), list(means.itertuples())
    cells = []
    for row in rows.itertuples():
        base = {"row_key": row.row_key, "row": row.label, "row_position": row.position}
        base["uncovered"] = row.status == "none"
        if means.empty:
            cells.append(base | {"means_id": None, "means": "", "mode": "", "means_position": 0, "status": "none"})
        for n, m in enumerate(means_rows):
            status = m.status if row.row_key in covers[n] else "none"
            cells.append(base | {"means_id": m.id, "means": labels[n], "mode": m.mode, "means_position": n})
            cells[-1]["status"] = status
    return pd.DataFrame(cells, columns=MATRIX_COLUMNS)


def _row_status(row_key: str, means: pd.DataFrame, covers: list[set[str]]) -> tuple[str, int]:
    statuses = [status for status, keys in zip(means["status"], covers, strict=True) if row_key in keys]
    best = "current" if "current" in statuses else "planned" if statuses else "none"
    return best, len(statuses)


def coverage(session: Session, access: Access, plan_id: int) -> Coverage:
    """Which means cover each priority and weak element, current or planned (see the module's rule)."""
    access.require(Role.VIEWER, plan_id)
    key = ("means.coverage", access, plan_id)
    return once(session, key, lambda: _coverage(session, access, plan_id))


def _coverage(session: Session, access: Access, plan_id: int) -> Coverage:
    access.require(Role.VIEWER, plan_id)
    prios, elements = priorities(session, access, plan_id), context.elements(session, access, plan_id)
    round_name, latest = latest_element_means(session, access, plan_id)
    found_rows = _priority_rows(prios, elements) + _element_rows(prios, elements, round_name, latest)
    rows = pd.DataFrame(found_rows, columns=[c for c in ROW_COLUMNS if c not in ("status", "means")])
    means = list_means(session, access, plan_id)
    library_elements = dict(library(session)[["key", "element_keys"]].itertuples(index=False))
    covers = _covers(means, prios, library_elements)
    found = [_row_status(key, means, covers) for key in rows["row_key"]]
    rows["status"], rows["means"] = [s for s, _ in found], [n for _, n in found]
    rows["reason"] = rows["reason"].where(rows["status"] == "none", "")
    rows["label"] = _unique(list(rows["label"]))
    return Coverage(rows[ROW_COLUMNS], _matrix(rows, means, covers))


def uncovered_rows(found: Coverage) -> pd.DataFrame:
    """The coverage rows no means covers: row key, kind, label and reason."""
    rows = found.rows
    return rows.loc[rows["status"] == "none", ["row_key", "kind", "label", "reason"]].reset_index(drop=True)


def uncovered(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """The priorities and weak elements no means covers, each with the reason it is flagged."""
    return uncovered_rows(coverage(session, access, plan_id))


# --- Totals -----------------------------------------------------------------------------------


def _by_mode(means: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame({"mode": list(modes()), "name": list(modes().values())})
    grouped = means.groupby("mode")
    frame["means"] = frame["mode"].map(grouped.size()).fillna(0).astype(int)
    for status in STATUSES:
        frame[status] = frame["mode"].map(means[means["status"] == status].groupby("mode").size()).fillna(0)
        frame[status] = frame[status].astype(int)
    frame["cost"] = frame["mode"].map(grouped["cost"].sum()).fillna(0).astype(int)
    frame["reach"] = frame["mode"].map(grouped["reach"].sum()).fillna(0).astype(int)
    return frame


def _by_tier(means: pd.DataFrame, tier_names: dict[str, str]) -> pd.DataFrame:
    shares = []
    for m in means.itertuples():
        keys = m.tier_keys or [None]
        shares += [(key, m.cost / len(keys), m.reach / len(keys)) for key in keys]
    split = pd.DataFrame(shares, columns=["tier_key", "cost", "reach"])
    order = list(tier_names) + ([None] if split["tier_key"].isna().any() else [])
    grouped = split.groupby(split["tier_key"].fillna(""), sort=False)
    frame = pd.DataFrame({"tier_key": [key or "" for key in order]})
    frame["tier"] = [tier_names.get(key, NO_TIER) if key else NO_TIER for key in order]
    frame["means"] = frame["tier_key"].map(grouped.size()).fillna(0).astype(int)
    frame["cost"] = frame["tier_key"].map(grouped["cost"].sum()).fillna(0.0).astype(float)
    frame["reach"] = frame["tier_key"].map(grouped["reach"].sum()).fillna(0.0).astype(float)
    return frame


def totals(session: Session, access: Access, plan_id: int) -> Totals:
    """Estimated cost and reach by mode and by tier (a several-tier means is split evenly among its tiers)."""
    means = list_means(session, access, plan_id)
    tier_names = tiers(session, access, plan_id)
    return Totals(
        by_mode=_by_mode(means),
        by_tier=_by_tier(means, tier_names),
        means=len(means),
        cost=int(means["cost"].sum()),
        reach=int(means["reach"].sum()),
    )
