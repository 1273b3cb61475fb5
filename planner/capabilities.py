"""Leadership capabilities: the plan's framework, needed vs existing levels per tier, consensus, gaps, priorities.

Several assessors may rate one capability × tier cell. A cell's consensus is the median of their
ratings and its spread is max − min; a cell is flagged when assessors differ by DISAGREEMENT (2) or
more levels on the required or the current level.

Gap = required − current, from the consensus medians. A negative gap (more than is needed) is kept
in tables and the heatmap. Priority = max(gap, 0) × importance, so a surplus never offsets a
shortfall; a cell whose importance nobody gave counts as medium (2). Per capability, over the
selected tiers: the mean required and current levels of the cells rated on both, the gap between
those means, and the SUM of the cells' priorities, so a capability short at several tiers ranks
above one short at a single tier.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from planner import records
from planner.access import Access, Role
from planner.db import Conflict, once, read_frame
from planner.framework import level_names
from planner.models import Capability, CapabilityRating, LeadershipTier
from planner.validation import InvalidInput, limited_text, required_text

NOT_IN_PLACE = "Not in place"
IMPORTANCE = {1: "Low", 2: "Medium", 3: "High"}
KINDS = {"individual": "Individual", "collective": "Collective"}
SOURCES = {
    "hlm": "NHS Healthcare Leadership Model",
    "deck": "Collective leadership (The King's Fund)",
    "dpic": "Developing People – Improving Care",
    "plan": "Added for this plan",
}
DEFAULT_ASSESSOR = "Leadership team"
DEFAULT_IMPORTANCE = 2
DISAGREEMENT = 2
RATING_FIELDS = ("required", "current", "importance", "evidence")
CAPABILITY_FIELDS = ("name", "description", "kind")
EVIDENCE_LIMIT = 2000
DESCRIPTION_LIMIT = 2000

RATING_COLUMNS = ["id", "version", "capability_id", "tier_id", "assessor", *RATING_FIELDS]
INFO_COLUMNS = ["capability", "kind", "active", "capability_position", "tier", "tier_position"]
TABLE_COLUMNS = RATING_COLUMNS + INFO_COLUMNS
CELL_KEYS = ["capability_id", "capability", "kind", "active", "capability_position", "tier_id", "tier", "tier_position"]
CELL_COLUMNS = [
    *CELL_KEYS,
    "assessors",
    "required",
    "current",
    "importance",
    "required_level",
    "current_level",
    "importance_level",
    "required_spread",
    "current_spread",
    "disagree",
    "gap",
    "priority",
]
GAP_COLUMNS = [
    "capability_id",
    "capability",
    "kind",
    "position",
    "tiers",
    "required",
    "current",
    "gap",
    "priority",
    "disagreements",
    "rank",
]
FRAMEWORK_COLUMNS = ["id", "version", "key", "name", "description", "kind", "source", "active", "position", "ratings"]
SHEET_COLUMNS = ["capability_id", "capability", "kind", "rating_id", "version", *RATING_FIELDS]


def levels() -> dict[int, str]:
    """Capability level value → name, 0 Not in place to 4 Exemplary."""
    return {0: NOT_IN_PLACE, **level_names()}


def half_up(value: float | None) -> int | None:
    """A median rounded to a whole level, halves upwards (2.5 → 3); None stays None."""
    if value is None or pd.isna(value):
        return None
    return math.floor(float(value) + 0.5)


def key_for(name: str) -> str:
    """The stable key derived from a capability's name: lower-case ASCII words joined by underscores."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:60] or "capability"


# --- Reading ------------------------------------------------------------------------------


def tiers(session: Session, access: Access, plan_id: int) -> dict[int, str]:
    """The plan's leadership tiers, id → name, Board first."""
    access.require(Role.VIEWER, plan_id)
    query = select(LeadershipTier.id, LeadershipTier.name).where(LeadershipTier.plan_id == plan_id)
    return dict(session.execute(query.order_by(LeadershipTier.position, LeadershipTier.id)).all())


def list_capabilities(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """The plan's capability framework (active and retired) with id, version and number of ratings."""
    access.require(Role.VIEWER, plan_id)
    c = Capability
    query = (
        select(c.id, c.version, c.key, c.name, c.description, c.kind, c.source, c.active, c.position)
        .add_columns(func.count(CapabilityRating.id))
        .outerjoin(CapabilityRating, CapabilityRating.capability_id == c.id)
        .where(c.plan_id == plan_id)
        .group_by(c.id)
        .order_by(c.position, c.id)
    )
    return read_frame(session, query, FRAMEWORK_COLUMNS)


def assessors(session: Session, access: Access, plan_id: int) -> list[str]:
    """Everyone who has rated a capability in this plan, alphabetically."""
    access.require(Role.VIEWER, plan_id)
    query = (
        select(CapabilityRating.assessor)
        .join(Capability, Capability.id == CapabilityRating.capability_id)
        .where(Capability.plan_id == plan_id)
        .distinct()
    )
    return sorted(session.execute(query).scalars(), key=str.casefold)


def _numeric(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    return frame


def rating_table(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Every rating of the plan with its capability and tier (names, kind, active, positions)."""
    access.require(Role.VIEWER, plan_id)
    key = ("capabilities.rating_table", access, plan_id)
    return once(session, key, lambda: _rating_table(session, access, plan_id))


def _rating_table(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    access.require(Role.VIEWER, plan_id)
    r, c, t = CapabilityRating, Capability, LeadershipTier
    query = (
        select(r.id, r.version, r.capability_id, r.tier_id, r.assessor, r.required, r.current, r.importance)
        .add_columns(r.evidence, c.name, c.kind, c.active, c.position, t.name, t.position)
        .join(c, c.id == r.capability_id)
        .join(t, t.id == r.tier_id)
        .where(c.plan_id == plan_id)
        .order_by(c.position, c.id, t.position, t.id, r.assessor)
    )
    return _numeric(read_frame(session, query, TABLE_COLUMNS), ("required", "current", "importance"))


def rating_sheet(session: Session, access: Access, plan_id: int, tier_id: int, assessor: str) -> pd.DataFrame:
    """One row per active capability with this assessor's rating at this tier (blank where not rated)."""
    access.require(Role.VIEWER, plan_id)
    r, c = CapabilityRating, Capability
    rated = and_(r.capability_id == c.id, r.tier_id == tier_id, r.assessor == _assessor(assessor))
    query = (
        select(c.id, c.name, c.kind, r.id, r.version, r.required, r.current, r.importance, r.evidence)
        .outerjoin(r, rated)
        .where(c.plan_id == plan_id, c.active.is_(True))  # type: ignore[union-attr,attr-defined]
        .order_by(c.position, c.id)
    )
    sheet = read_frame(session, query, SHEET_COLUMNS)
    for column in ("rating_id", "version", "required", "current", "importance"):
        sheet[column] = sheet[column].astype("Int64")
    sheet["evidence"] = sheet["evidence"].fillna("")
    return sheet


# --- Consensus, gaps and priorities (pure) -----------------------------------------------------


def consensus(ratings: pd.DataFrame) -> pd.DataFrame:
    """Per capability × tier: medians, whole-level consensus, spreads, the disagreement flag, gap and priority."""
    if ratings.empty:
        return pd.DataFrame(columns=CELL_COLUMNS)
    cells = (
        ratings.groupby(CELL_KEYS, sort=False)
        .agg(
            assessors=("assessor", "nunique"),
            required=("required", "median"),
            current=("current", "median"),
            importance=("importance", "median"),
            required_high=("required", "max"),
            required_low=("required", "min"),
            current_high=("current", "max"),
            current_low=("current", "min"),
        )
        .reset_index()
    )
    for name in ("required", "current"):
        cells[f"{name}_spread"] = cells[f"{name}_high"] - cells[f"{name}_low"]
    return _derived(cells).sort_values(["capability_position", "capability_id", "tier_position"])[CELL_COLUMNS]


def _derived(cells: pd.DataFrame) -> pd.DataFrame:
    for name in ("required", "current", "importance"):
        cells[f"{name}_level"] = cells[name].map(half_up).astype("Int64")
    spread = cells[["required_spread", "current_spread"]].fillna(0)
    cells["disagree"] = (spread >= DISAGREEMENT).any(axis=1)
    cells["gap"] = cells["required"] - cells["current"]
    cells["priority"] = cells["gap"].clip(lower=0) * cells["importance"].fillna(DEFAULT_IMPORTANCE)
    return cells


def filtered(
    cells: pd.DataFrame, tier_ids: Iterable[int] | None = None, kind: str | None = None, include_retired: bool = False
) -> pd.DataFrame:
    """The cells of the chosen tiers (None or empty: all) and kind (None: both), retired capabilities left out."""
    keep = pd.Series(True, index=cells.index)
    chosen = list(tier_ids or [])
    if chosen:
        keep &= cells["tier_id"].isin(chosen)
    if kind:
        keep &= cells["kind"] == kind
    if not include_retired:
        keep &= cells["active"].astype(bool)
    return cells[keep].reset_index(drop=True)


def roll_up(cells: pd.DataFrame) -> pd.DataFrame:
    """Per capability over the given cells rated on both levels: mean levels, gap, summed priority; by priority."""
    rated = cells.dropna(subset=["required", "current"])
    if rated.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    gaps = (
        rated.groupby(["capability_id", "capability", "kind", "capability_position"], sort=False)
        .agg(
            tiers=("tier_id", "nunique"),
            required=("required", "mean"),
            current=("current", "mean"),
            priority=("priority", "sum"),
            disagreements=("disagree", "sum"),
        )
        .reset_index()
        .rename(columns={"capability_position": "position"})
    )
    gaps["gap"] = gaps["required"] - gaps["current"]
    gaps = gaps.sort_values(["priority", "gap", "position"], ascending=[False, False, True], kind="stable")
    gaps["rank"] = range(1, len(gaps) + 1)
    return gaps.reset_index(drop=True)[GAP_COLUMNS]


def disagreements(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells where assessors differ by 2+ levels, for the consensus table."""
    return cells[cells["disagree"].astype(bool)].reset_index(drop=True)


def capability_gaps(
    session: Session,
    access: Access,
    plan_id: int,
    tier_ids: Iterable[int] | None = None,
    kind: str | None = None,
    include_retired: bool = False,
) -> pd.DataFrame:
    """The plan's capability gaps rolled up over the chosen tiers and kind, highest priority first."""
    access.require(Role.VIEWER, plan_id)
    key = ("capabilities.capability_gaps", access, plan_id, tuple(tier_ids or ()), kind, include_retired)
    return once(session, key, lambda: gap_view(session, access, plan_id, tier_ids, kind, include_retired)[1])


def gap_view(
    session: Session,
    access: Access,
    plan_id: int,
    tier_ids: Iterable[int] | None = None,
    kind: str | None = None,
    include_retired: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The consensus cells of the chosen tiers and kind, and their gaps rolled up by capability (the gaps tab)."""
    cells = filtered(consensus(rating_table(session, access, plan_id)), tier_ids, kind, include_retired)
    return cells, roll_up(cells)


# --- Validation ---------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _scale_value(value: Any, label: str, scale: dict[int, str]) -> int | None:
    """A whole number on the scale, or None for not rated; InvalidInput names the field and the scale."""
    if _blank(value):
        return None
    whole = isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole or int(value) not in scale:
        options = ", ".join(f"{number} ({name})" for number, name in scale.items())
        raise InvalidInput(f"{label} must be one of {options}, or left blank; “{value}” is not.")
    return int(value)


def _clean_rating(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(RATING_FIELDS)
    if unknown:
        raise InvalidInput(f"Capability ratings have no field(s) {', '.join(sorted(unknown))}.")
    scales = {"required": ("Required level", levels()), "current": ("Current level", levels())}
    scales["importance"] = ("Importance", IMPORTANCE)
    clean = {name: _scale_value(values[name], *scales[name]) for name in scales if name in values}
    if "evidence" in values:
        evidence = values["evidence"]
        clean["evidence"] = limited_text("" if _blank(evidence) else evidence, "Evidence", EVIDENCE_LIMIT)
    return clean


def _assessor(name: Any) -> str:
    return required_text(" ".join(str(name or "").split()), "Assessor", 80)


def _check_rateable(session: Session, plan_id: int, capability_id: int, tier_id: int) -> None:
    capability = session.get(Capability, capability_id)
    if capability is None or capability.plan_id != plan_id:
        raise InvalidInput(f"Capability {capability_id} is not part of this plan.")
    if not capability.active:
        raise InvalidInput(f"“{capability.name}” is retired: restore it before rating it.")
    tier = session.get(LeadershipTier, tier_id)
    if tier is None or tier.plan_id != plan_id:
        raise InvalidInput(f"Tier {tier_id} is not part of this plan.")


# --- Ratings -----------------------------------------------------------------------------------


def _find_rating(session: Session, capability_id: int, tier_id: int, assessor: str) -> CapabilityRating | None:
    r = CapabilityRating
    query = select(r).where(r.capability_id == capability_id, r.tier_id == tier_id, r.assessor == assessor)
    return session.execute(query).scalars().first()


def set_rating(
    session: Session,
    access: Access,
    plan_id: int,
    capability_id: int,
    tier_id: int,
    assessor: str,
    seen_version: int | None,
    **values: Any,
) -> int:
    """Set one assessor's rating of a capability at a tier (seen_version None: a new rating); return its version."""
    access.require(Role.EDITOR, plan_id)
    clean, who = _clean_rating(values), _assessor(assessor)
    _check_rateable(session, plan_id, capability_id, tier_id)
    existing = _find_rating(session, capability_id, tier_id, who)
    if existing is None and seen_version is not None:
        raise Conflict("Someone else removed this rating since you opened it.")
    if existing is None:
        cell = {"capability_id": capability_id, "tier_id": tier_id, "assessor": who}
        return _insert_rating(session, access, plan_id, cell, clean)
    if seen_version is None:
        raise Conflict(f"Someone else rated this for {who} since you opened it.")
    if not clean:
        return seen_version
    return records.update(session, access, CapabilityRating, existing.id, seen_version, clean, plan_id)  # type: ignore[arg-type]


def _insert_rating(session: Session, access: Access, plan_id: int, cell: dict[str, Any], clean: dict[str, Any]) -> int:
    try:
        records.add(session, access, CapabilityRating, plan_id, {**cell, **clean})
    except IntegrityError as error:  # another session inserted the same cell a moment ago
        raise Conflict(f"Someone else rated this for {cell['assessor']} since you opened it.") from error
    return 1


def delete_rating(session: Session, access: Access, plan_id: int, rating_id: int, seen_version: int) -> None:
    """Delete one assessor's rating of one cell if nobody has changed it since `seen_version`."""
    records.remove(session, access, CapabilityRating, rating_id, seen_version, plan_id)


# --- The capability framework ---------------------------------------------------------------------


def _others(session: Session, plan_id: int, capability_id: int | None) -> list[tuple[int, str, str, bool]]:
    c = Capability
    query = select(c.id, c.key, c.name, c.active).where(c.plan_id == plan_id)
    return [row for row in session.execute(query).all() if row[0] != capability_id]  # type: ignore[misc]


def _unique_name(session: Session, plan_id: int, name: Any, capability_id: int | None) -> str:
    """A tidy name unless another capability of the plan has the same one (ignoring case and punctuation)."""
    clean = required_text(" ".join(str(name or "").split()), "Name", 120)
    for _id, _key, other, active in _others(session, plan_id, capability_id):
        if key_for(other) == key_for(clean):
            retired = "" if active else " (retired: restore it instead)"
            raise InvalidInput(f"A capability called “{other}” is already in this plan{retired}.")
    return clean


def _free_key(session: Session, plan_id: int, name: str) -> str:
    taken = {key for _id, key, _name, _active in _others(session, plan_id, None)}
    base, suffix = key_for(name), 2
    key = base
    while key in taken:  # a renamed capability keeps its old key, which a new name may match
        key, suffix = f"{base}_{suffix}", suffix + 1
    return key


def _clean_capability(session: Session, plan_id: int, fields: dict[str, Any], capability_id: int | None) -> dict:
    unknown = set(fields) - set(CAPABILITY_FIELDS)
    if unknown:
        raise InvalidInput(f"Capabilities have no field(s) {', '.join(sorted(unknown))}.")
    clean: dict[str, Any] = {}
    if "name" in fields:
        clean["name"] = _unique_name(session, plan_id, fields["name"], capability_id)
    if "description" in fields:
        clean["description"] = limited_text(fields["description"], "Description", DESCRIPTION_LIMIT)
    if "kind" in fields:
        if fields["kind"] not in KINDS:
            raise InvalidInput(f"Kind must be one of: {', '.join(KINDS.values())}.")
        clean["kind"] = fields["kind"]
    return clean


def add_capability(
    session: Session, access: Access, plan_id: int, name: str, description: str = "", kind: str = "individual"
) -> int:
    """Add a capability to the plan's framework (its key derived from the name); return its id."""
    access.require(Role.EDITOR, plan_id)
    clean = _clean_capability(session, plan_id, {"name": name, "description": description, "kind": kind}, None)
    last = select(func.coalesce(func.max(Capability.position), 0)).where(Capability.plan_id == plan_id)
    position = session.execute(last).scalar_one() + 1
    values = {**clean, "key": _free_key(session, plan_id, clean["name"]), "source": "plan", "position": position}
    return records.add(session, access, Capability, plan_id, values)


def update_capability(
    session: Session, access: Access, plan_id: int, capability_id: int, seen_version: int, **changes: Any
) -> int:
    """Rename, describe or change the kind of a capability (its key stays); return the new version."""
    access.require(Role.EDITOR, plan_id)
    clean = _clean_capability(session, plan_id, changes, capability_id)
    if not clean:
        return seen_version
    return records.update(session, access, Capability, capability_id, seen_version, clean, plan_id)


def retire_capability(session: Session, access: Access, plan_id: int, capability_id: int, seen_version: int) -> int:
    """Retire a capability: hidden from rating and gap charts, its ratings and history kept; return the version."""
    return records.update(session, access, Capability, capability_id, seen_version, {"active": False}, plan_id)


def restore_capability(session: Session, access: Access, plan_id: int, capability_id: int, seen_version: int) -> int:
    """Bring a retired capability back, with the ratings it had; return the new version."""
    return records.update(session, access, Capability, capability_id, seen_version, {"active": True}, plan_id)
