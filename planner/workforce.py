"""The leadership workforce: counts by tier and dimension, WRES figures, the band mapping and leadership qualities.

Only aggregate counts are stored (DESIGN §2): person-level files are counted by planner.workforce_file
before anything reaches this module. Leadership tiers' counts live in workforce_aggregate; the whole
workforce (the WHOLE pseudo-tier of imports) and the optional local population (LOCAL) in workforce_benchmark.

Representation follows the NHS Workforce Race Equality Standard (WRES). A tier's headline `share` of a
category is among those whose answer is known, so unrecorded answers do not dilute it (`share_all` divides
by everyone); `difference_pp` is the tier's share minus the whole workforce's in percentage points (the
Board's is WRES indicator 9); `relative` is the tier's share ÷ the workforce's (1.0 = parity; NaN when the
workforce has none of the category). Missing figures are NaN, never 0.

replace_workforce swaps every tier and Whole workforce count at once, keeping the hand-entered Local
population. set_counts makes one tier × dimension hold exactly the counts given (0 or left out removes a
category); given the versions the caller saw (`seen`, category → version), it raises Conflict if anyone
changed, added or removed a category since. set_band_mapping leaves bands it is not given alone.
export_rows leaves the Local population out: it is a benchmark, not part of the workforce.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, select
from sqlmodel import Session, SQLModel

from planner import records
from planner.access import Access, Role
from planner.db import Conflict, bump_revision, lock_for, versioned_update
from planner.history import record_event
from planner.models import BandMapping, LeadershipQuality, LeadershipTier, WorkforceAggregate, WorkforceBenchmark
from planner.validation import InvalidInput, limited_text, required_text
from planner.workforce_file import DIMENSIONS, WHOLE, WHOLE_NAME, band_key

LOCAL = "local"
LOCAL_NAME = "Local population"
BENCHMARKS = {WHOLE: WHOLE_NAME, LOCAL: LOCAL_NAME}  # pseudo-tier key → workforce_benchmark label
MAX_COUNT = 10_000_000
MAX_CATEGORY = 100
DIMENSION_NAMES = {
    "gender": "Gender",
    "ethnicity": "Ethnicity (White / BME)",
    "ethnic_group": "Ethnic group",
    "disability": "Disability",
    "age_band": "Age band",
    "staff_group": "Staff group",
}
# Display order of each dimension's normalised categories; anything else follows, "not stated" values last.
CATEGORIES = {
    "gender": ("Female", "Male", "Other", "Not stated"),
    "ethnicity": ("BME", "White", "Not stated"),
    "ethnic_group": ("Asian", "Black", "Mixed", "Other", "White", "Not stated"),
    "disability": ("Yes", "No", "Not declared"),
    "age_band": (),
    "staff_group": ("Medical and dental", "Other clinical", "Non-clinical", "Not stated"),
}
DEFAULT_CATEGORY = {"gender": "Female", "ethnicity": "BME", "ethnic_group": "Black", "disability": "Yes"}
STAFF_GROUPS = ("Medical and dental", "Other clinical", "Non-clinical", "Not stated")
UNKNOWN = frozenset({"", "not stated", "not declared", "not known", "unknown", "prefer not to say", "not recorded"})
COUNT_COLUMNS = ["tier_key", "tier", "position", "kind", "dimension", "category", "count"]
QUALITY_FIELDS = ("tier_key", "name", "description", "strength", "evidence")

# Column headings of the WRES table, as the page and the exports show it.
WRES_COLUMNS = {
    "tier": "Tier",
    "count": "BME",
    "known": "Ethnicity known",
    "share": "BME share",
    "workforce_share": "Whole workforce",
    "difference_pp": "Difference (pp)",
    "relative": "Relative representation",
}


@dataclass(frozen=True, eq=False)
class Headcounts:
    """Leaders per leadership tier (every tier, zeros included), their total and the whole workforce's headcount."""

    by_tier: pd.DataFrame  # tier_key, tier, position, leaders
    leaders: int
    workforce: int


# --- Categories ----------------------------------------------------------------------------


def is_unknown(category: str) -> bool:
    """True for categories that record no answer ("Not stated", "Not declared", "Unknown", …)."""
    return str(category).strip().casefold() in UNKNOWN


def _age_start(band: str) -> float:
    """Where an age band starts, for sorting: "Under 25" first, "25-34" at 25, unreadable bands last."""
    if band.strip().casefold().startswith(("under", "<")):
        return -1
    found = re.search(r"\d+", band)
    return float(found.group()) if found else math.inf


def category_order(dimension: str, categories: Iterable[str]) -> list[str]:
    """The categories in display order: the dimension's standard order, then others, "not stated" values last."""
    present = list(dict.fromkeys(str(c) for c in categories))
    standard = [c for c in CATEGORIES.get(dimension, ()) if c in present and not is_unknown(c)]
    rest = sorted((c for c in present if c not in standard and not is_unknown(c)), key=lambda c: (_age_start(c), c))
    if dimension != "age_band":
        rest = sorted(rest)
    return standard + rest + sorted(c for c in present if is_unknown(c))


def default_category(dimension: str, categories: Iterable[str]) -> str | None:
    """The category a dimension's representation is about by default (BME for ethnicity, the first otherwise)."""
    ordered = category_order(dimension, categories)
    preferred = DEFAULT_CATEGORY.get(dimension)
    if preferred in ordered:
        return preferred
    return ordered[0] if ordered else None


# --- Reading -------------------------------------------------------------------------------


def tiers(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """The plan's leadership tiers, Board first: key, name, position, id."""
    access.require(Role.VIEWER, plan_id)
    return _tiers(session, plan_id)


def _tiers(session: Session, plan_id: int) -> pd.DataFrame:
    t = LeadershipTier
    query = select(t.key, t.name, t.position, t.id).where(t.plan_id == plan_id).order_by(t.position, t.id)
    return pd.DataFrame(session.execute(query).all(), columns=["key", "name", "position", "id"])


def sources(session: Session, access: Access, plan_id: int) -> dict[str, str]:
    """Everything counts can be entered for, key → name: the tiers, then Whole workforce and Local population."""
    frame = tiers(session, access, plan_id)
    return dict(zip(frame["key"], frame["name"], strict=True)) | BENCHMARKS


def counts(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Every count (tiers, then Whole workforce, then Local population): tier_key, tier, position, kind, dimension, …"""
    access.require(Role.VIEWER, plan_id)
    return _counts(session, plan_id)


def _counts(session: Session, plan_id: int) -> pd.DataFrame:
    a, t, b = WorkforceAggregate, LeadershipTier, WorkforceBenchmark
    leaders = session.execute(
        select(t.key, t.name, t.position, a.dimension, a.category, a.count)
        .join(t, t.id == a.tier_id)
        .where(a.plan_id == plan_id)
    ).all()
    last = session.execute(select(func.coalesce(func.max(t.position), 0)).where(t.plan_id == plan_id)).scalar_one()
    rows = [(key, name, position, "tier", *rest) for key, name, position, *rest in leaders]
    benchmark = select(b.label, b.dimension, b.category, b.count).where(b.plan_id == plan_id)
    for label, *rest in session.execute(benchmark).all():
        for offset, (key, name) in enumerate(BENCHMARKS.items(), start=1):
            if label == name:
                rows.append((key, name, last + offset, "whole" if key == WHOLE else "local", *rest))
    return _ordered(pd.DataFrame(rows, columns=COUNT_COLUMNS))


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by position, dimension (in DIMENSIONS order) and category display order."""
    if frame.empty:
        return frame.astype({"position": int, "count": int})
    rank = {d: n for n, d in enumerate(DIMENSIONS)}
    order = {
        (d, c): n
        for d in frame["dimension"].unique()
        for n, c in enumerate(category_order(d, frame.loc[frame["dimension"] == d, "category"]))
    }
    keys = frame.assign(
        _d=frame["dimension"].map(lambda d: rank.get(d, len(rank))),
        _c=[order[(d, c)] for d, c in zip(frame["dimension"], frame["category"], strict=True)],
    )
    ordered = keys.sort_values(["position", "_d", "dimension", "_c"], kind="stable").drop(columns=["_d", "_c"])
    return ordered.reset_index(drop=True).astype({"position": int, "count": int})


def tier_totals(frame: pd.DataFrame) -> dict[str, int]:
    """Headcount per tier_key: the largest dimension total, since every dimension should cover everyone."""
    if frame.empty:
        return {}
    sums = frame.groupby(["tier_key", "dimension"], sort=False)["count"].sum()
    return {str(key): int(total) for key, total in sums.groupby(level=0, sort=False).max().items()}


def headcounts(session: Session, access: Access, plan_id: int) -> Headcounts:
    """Leaders per tier (the largest dimension total), the total of leaders and the whole workforce's headcount."""
    access.require(Role.VIEWER, plan_id)
    totals = tier_totals(_counts(session, plan_id))
    frame = _tiers(session, plan_id).rename(columns={"key": "tier_key", "name": "tier"})
    frame["leaders"] = [totals.get(key, 0) for key in frame["tier_key"]]
    by_tier = frame[["tier_key", "tier", "position", "leaders"]]
    return Headcounts(by_tier, int(by_tier["leaders"].sum()), totals.get(WHOLE, 0))


def staff_mix(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Per tier with staff-group counts (and the Whole workforce): headcount and the share of each staff group."""
    access.require(Role.VIEWER, plan_id)
    frame = _counts(session, plan_id)
    groups = frame[(frame["dimension"] == "staff_group") & (frame["kind"] != "local")]
    table = groups.pivot_table(
        index=["tier_key", "tier", "position"], columns="category", values="count", aggfunc="sum", fill_value=0
    )
    table = table.reindex(columns=list(dict.fromkeys([*STAFF_GROUPS[:3], *table.columns])), fill_value=0)
    headcount = table.sum(axis=1)
    shares = table.div(headcount.where(headcount > 0), axis=0)
    shares.insert(0, "headcount", headcount.astype(int))
    return shares.reset_index().sort_values("position", kind="stable").reset_index(drop=True)


def _shares(frame: pd.DataFrame, dimension: str, category: str) -> pd.DataFrame:
    """Per tier_key: count of the category, known (stated) and total headcount in the dimension."""
    rows = frame[frame["dimension"] == dimension]
    known = rows[~rows["category"].map(is_unknown).astype(bool)]
    chosen = rows[rows["category"] == category]
    sums = {name: part.groupby("tier_key")["count"].sum() for name, part in (("count", chosen), ("known", known))}
    return pd.DataFrame({**sums, "total": rows.groupby("tier_key")["count"].sum()}).fillna(0).astype(int)


def _share(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def representation(
    session: Session, access: Access, plan_id: int, dimension: str = "ethnicity", category: str = "BME"
) -> pd.DataFrame:
    """WRES representation of one category in every leadership tier against the whole workforce (see module doc)."""
    access.require(Role.VIEWER, plan_id)
    figures = _shares(_counts(session, plan_id), dimension, category)
    frame = _tiers(session, plan_id).rename(columns={"key": "tier_key", "name": "tier"}).drop(columns="id")
    frame["category"] = category
    for column in ("count", "known", "total"):
        frame[column] = [int(figures[column].get(key, 0)) for key in frame["tier_key"]]
    frame["share"] = [_share(c, k) for c, k in zip(frame["count"], frame["known"], strict=True)]
    frame["share_all"] = [_share(c, t) for c, t in zip(frame["count"], frame["total"], strict=True)]
    whole, local = (_benchmark_share(figures, key) for key in (WHOLE, LOCAL))
    frame["workforce_share"], frame["workforce_share_all"] = whole, _benchmark_share(figures, WHOLE, "total")
    frame["difference_pp"] = (frame["share"] - whole) * 100
    frame["relative"] = frame["share"] / whole if whole else math.nan
    frame["local_share"] = local
    return frame


def _benchmark_share(figures: pd.DataFrame, key: str, base: str = "known") -> float:
    if key not in figures.index:
        return math.nan
    return _share(figures.loc[key, "count"], figures.loc[key, base])


def dimension_counts(session: Session, access: Access, plan_id: int, tier_key: str, dimension: str) -> pd.DataFrame:
    """One tier's (or benchmark's) categories in a dimension, for editing: id, version, category, count."""
    access.require(Role.VIEWER, plan_id)
    model, cell = _cell(session, plan_id, tier_key, _dimension(dimension))
    table = _table(model)
    query = select(table.c.id, table.c.version, table.c.category, table.c["count"]).where(*_where(model, cell))
    frame = pd.DataFrame(session.execute(query).all(), columns=["id", "version", "category", "count"])
    order = {c: n for n, c in enumerate(category_order(dimension, frame["category"]))}
    return frame.sort_values("category", key=lambda s: s.map(order)).reset_index(drop=True)


def export_rows(session: Session, plan_id: int) -> list[dict[str, Any]]:
    """Tier and Whole workforce counts as {tier, dimension, category, count}, sorted; callers check access."""
    frame = _counts(session, plan_id)
    frame = frame[frame["kind"] != "local"].sort_values(["position", "dimension", "category"], kind="stable")
    return [
        {"tier": tier, "dimension": dimension, "category": category, "count": int(count)}
        for tier, dimension, category, count in frame[["tier", "dimension", "category", "count"]].itertuples(
            index=False
        )
    ]


# --- Writing counts ------------------------------------------------------------------------


def _table(model: type[SQLModel]) -> Any:
    return model.__table__  # type: ignore[attr-defined]


def _dimension(value: Any) -> str:
    if value not in DIMENSIONS:
        raise InvalidInput(f"Dimension must be one of: {', '.join(DIMENSIONS)} (not {value!r}).")
    return value


def _tier_ids(session: Session, plan_id: int) -> dict[str, int]:
    frame = _tiers(session, plan_id)
    return {str(key): int(tier_id) for key, tier_id in zip(frame["key"], frame["id"], strict=True)}


def _cell(session: Session, plan_id: int, tier_key: str, dimension: str) -> tuple[type[SQLModel], dict[str, Any]]:
    """The table holding one tier's (or benchmark's) counts in a dimension, and the column values selecting them."""
    if tier_key in BENCHMARKS:
        return WorkforceBenchmark, {"plan_id": plan_id, "label": BENCHMARKS[tier_key], "dimension": dimension}
    tier_ids = _tier_ids(session, plan_id)
    if tier_key not in tier_ids:
        raise InvalidInput(f"Tier must be one of: {', '.join([*tier_ids, *BENCHMARKS])} (not {tier_key!r}).")
    return WorkforceAggregate, {"plan_id": plan_id, "tier_id": tier_ids[tier_key], "dimension": dimension}


def _where(model: type[SQLModel], cell: dict[str, Any]) -> list[Any]:
    table = _table(model)
    return [table.c[name] == value for name, value in cell.items()]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _count(value: Any, label: str) -> int:
    """A whole number from 0 to MAX_COUNT (None and NaN, from an emptied table cell, are 0)."""
    if _missing(value):
        return 0
    number = math.nan if isinstance(value, str | bool) else _number(value)
    if not number.is_integer() or not 0 <= number <= MAX_COUNT:
        raise InvalidInput(f"{label}: the count must be a whole number from 0 to {MAX_COUNT:,}, not {value!r}.")
    return int(number)


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _category(value: Any, label: str = "Category") -> str:
    return required_text(value, label, MAX_CATEGORY)


def _clean_counts(values: Mapping[str, Any]) -> dict[str, int]:
    """Category → count, names stripped, each category once (ignoring case)."""
    clean: dict[str, int] = {}
    for raw, value in values.items():
        category = _category(raw)
        if category.casefold() in {c.casefold() for c in clean}:
            raise InvalidInput(f"Category “{category}” is listed twice.")
        clean[category] = _count(value, f"Category “{category}”")
    return clean


def _checked_seen(existing: dict[str, tuple[int, int, int]], seen: Mapping[str, int] | None) -> None:
    """Conflict unless the rows are exactly those the caller saw, at the versions seen."""
    if seen is None:
        return
    for category, (_, version, _) in existing.items():
        if category not in seen:
            raise Conflict(f"Someone else added the category “{category}” since you opened these counts.")
        if seen[category] != version:
            raise Conflict(f"Someone else changed the count of “{category}” since you opened these counts.")
    gone = [category for category in seen if category not in existing]
    if gone:
        raise Conflict(f"Someone else removed the category “{gone[0]}” since you opened these counts.")


def set_counts(
    session: Session,
    access: Access,
    plan_id: int,
    tier_key: str,
    dimension: str,
    values: Mapping[str, Any],
    seen: Mapping[str, int] | None = None,
) -> int:
    """Make a tier's (or WHOLE's, LOCAL's) counts in a dimension exactly `values`, versions as `seen`; count changes."""
    access.require(Role.EDITOR, plan_id)
    model, cell = _cell(session, plan_id, tier_key, _dimension(dimension))
    wanted = _clean_counts(values)
    lock_for(session, f"workforce:{plan_id}")
    table = _table(model)
    query = select(table.c.category, table.c.id, table.c.version, table.c["count"]).where(*_where(model, cell))
    existing = {category: (row_id, version, count) for category, row_id, version, count in session.execute(query)}
    _checked_seen(existing, seen)
    changed = _apply_counts(session, model, cell, existing, wanted)
    if changed:
        bump_revision(session, plan_id)
        before = {category: count for category, (_, _, count) in existing.items()}
        _record_counts(session, access, plan_id, table.name, (tier_key, dimension), before, wanted)
    return changed


def _record_counts(
    session: Session,
    access: Access,
    plan_id: int,
    entity: str,
    where: tuple[str, str],
    before: dict[str, int],
    after: dict[str, int],
) -> None:
    cell = {"tier": where[0], "dimension": where[1]}
    record_event(
        session, access, "workforce.set_counts", plan_id=plan_id, entity=entity,
        before={**cell, "counts": before}, after={**cell, "counts": {c: n for c, n in after.items() if n}},
    )  # fmt: skip


def _apply_counts(
    session: Session,
    model: type[SQLModel],
    cell: dict[str, Any],
    existing: dict[str, tuple[int, int, int]],
    wanted: dict[str, int],
) -> int:
    """Update, delete and insert rows so that the cell holds `wanted`; return how many categories changed."""
    by_fold = {category.casefold(): category for category in wanted}
    changed = 0
    for category, (row_id, version, count) in existing.items():
        name = by_fold.pop(category.casefold(), None)
        new = wanted[name] if name is not None else 0
        if new == 0:
            _delete_row(session, model, row_id, version)
        elif (new, name) != (count, category):
            versioned_update(session, model, row_id, version, {"count": new, "category": name})
        changed += new == 0 or (new, name) != (count, category)
    for name in by_fold.values():
        if wanted[name]:
            session.add(model(**cell, category=name, count=wanted[name]))
            changed += 1
    session.flush()
    return changed


def _delete_row(session: Session, model: type[SQLModel], row_id: int, version: int) -> None:
    table = _table(model)
    done = session.execute(delete(table).where(table.c.id == row_id, table.c.version == version))
    if done.rowcount != 1:
        raise Conflict("Someone else changed these counts since you opened them.")


def _replacement_rows(session: Session, plan_id: int, frame: pd.DataFrame) -> list[SQLModel]:
    """Validated rows to insert (zero counts dropped); InvalidInput names the first bad row."""
    missing = {"tier_key", "dimension", "category", "count"} - set(frame.columns)
    if missing:
        raise InvalidInput(f"The workforce counts lack the column(s) {', '.join(sorted(missing))}.")
    tier_ids, seen, rows = _tier_ids(session, plan_id), set(), []
    for number, (tier_key, dimension, raw_category, value) in enumerate(
        frame[["tier_key", "dimension", "category", "count"]].itertuples(index=False), start=1
    ):
        where = f"Row {number}"
        if tier_key not in tier_ids and tier_key != WHOLE:
            raise InvalidInput(f"{where}: tier {tier_key!r} is not one of {', '.join([*tier_ids, WHOLE])}.")
        if dimension not in DIMENSIONS:
            raise InvalidInput(f"{where}: dimension {dimension!r} is not one of {', '.join(DIMENSIONS)}.")
        category, count = _category(raw_category, f"{where}: category"), _count(value, where)
        if (tier_key, dimension, category.casefold()) in seen:
            raise InvalidInput(f"{where}: {tier_key} / {dimension} / “{category}” appears twice.")
        seen.add((tier_key, dimension, category.casefold()))
        if count:
            rows.append(_new_row(plan_id, tier_ids, tier_key, dimension, category, count))
    return rows


def _new_row(
    plan_id: int, tier_ids: dict[str, int], tier_key: str, dimension: str, category: str, count: int
) -> SQLModel:
    values = {"plan_id": plan_id, "dimension": dimension, "category": category, "count": count}
    if tier_key == WHOLE:
        return WorkforceBenchmark(**values, label=WHOLE_NAME)
    return WorkforceAggregate(**values, tier_id=tier_ids[tier_key])


def replace_workforce(session: Session, access: Access, plan_id: int, frame: pd.DataFrame, source: str) -> int:
    """Replace every tier and Whole workforce count with `frame` (all checked first); return the rows stored."""
    access.require(Role.EDITOR, plan_id)
    label = limited_text(source, "Source", 200)
    new_rows = _replacement_rows(session, plan_id, frame)
    lock_for(session, f"workforce:{plan_id}")
    before = _named_totals(session, plan_id)
    session.execute(delete(WorkforceAggregate).where(WorkforceAggregate.plan_id == plan_id))
    b = WorkforceBenchmark
    session.execute(delete(b).where(b.plan_id == plan_id, b.label == WHOLE_NAME))
    session.add_all(new_rows)
    session.flush()
    bump_revision(session, plan_id)
    after = {"source": label, "rows": len(new_rows), "headcounts": _named_totals(session, plan_id)}
    record_event(
        session, access, "workforce.replace", plan_id=plan_id, entity="workforce_aggregate",
        before={"headcounts": before}, after=after,
    )  # fmt: skip
    return len(new_rows)


def _named_totals(session: Session, plan_id: int) -> dict[str, int]:
    """Headcount per tier name (Whole workforce included, Local population not): what an audit event may keep."""
    frame = _counts(session, plan_id)
    names = dict(zip(frame["tier_key"], frame["tier"], strict=False))
    return {names[key]: total for key, total in tier_totals(frame[frame["kind"] != "local"]).items()}


# --- Band mapping --------------------------------------------------------------------------


def band_mapping(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """The plan's band → tier mapping by tier, then band: id, version, band, tier_key, tier."""
    access.require(Role.VIEWER, plan_id)
    m, t = BandMapping, LeadershipTier
    query = (
        select(m.id, m.version, m.band, t.key, t.name)
        .join(t, t.id == m.tier_id)
        .where(m.plan_id == plan_id)
        .order_by(t.position, m.band)
    )
    return pd.DataFrame(session.execute(query).all(), columns=["id", "version", "band", "tier_key", "tier"])


def band_tiers(session: Session, access: Access, plan_id: int) -> dict[str, str]:
    """Band → tier key, as planner.workforce_file.read_workforce_file takes it."""
    frame = band_mapping(session, access, plan_id)
    return dict(zip(frame["band"], frame["tier_key"], strict=True))


def set_band_mapping(
    session: Session,
    access: Access,
    plan_id: int,
    rows: Iterable[tuple[str, str | None]],
    seen: Mapping[str, int] | None = None,
) -> int:
    """Map, add or (tier None) remove the given bands, refusing other spellings of mapped bands; count changes."""
    access.require(Role.EDITOR, plan_id)
    tier_ids = _tier_ids(session, plan_id)
    current = {band_key(row.band): row for row in band_mapping(session, access, plan_id).itertuples()}
    changes, keys = [], set()
    for raw_band, tier_key in rows:
        band = required_text(raw_band, "Band", 100)
        if band_key(band) in keys:
            raise InvalidInput(f"Band “{band}” is given twice (spellings of one band count as the same).")
        keys.add(band_key(band))
        if tier_key is not None and tier_key not in tier_ids:
            raise InvalidInput(f"Band “{band}”: tier must be one of {', '.join(tier_ids)}, not {tier_key!r}.")
        changes.append((band, tier_key, current.get(band_key(band))))
    return sum(_map_band(session, access, plan_id, tier_ids, change, seen) for change in changes)


def _map_band(
    session: Session,
    access: Access,
    plan_id: int,
    tier_ids: dict[str, int],
    change: tuple[str, str | None, Any],
    seen: Mapping[str, int] | None,
) -> int:
    band, tier_key, row = change
    if row is None:
        if tier_key is None:
            raise InvalidInput(f"Band “{band}” is not in the mapping.")
        records.add(session, access, BandMapping, plan_id, {"band": band, "tier_id": tier_ids[tier_key]})
        return 1
    if tier_key is not None and row.band != band:
        raise InvalidInput(
            f"“{band}” is the same band as “{row.band}”, already mapped to {row.tier}: change that row instead."
        )
    version = row.version if seen is None else seen.get(row.band, -1)
    if tier_key is None:
        records.remove(session, access, BandMapping, int(row.id), int(version), plan_id)
        return 1
    if tier_key == row.tier_key and version == row.version:
        return 0
    records.update(session, access, BandMapping, int(row.id), int(version), {"tier_id": tier_ids[tier_key]}, plan_id)
    return 1


# --- Leadership qualities ------------------------------------------------------------------


def qualities(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Qualities sought, every-tier ones first, then by tier: id, version, tier_key (None: every tier), tier, name, …"""
    access.require(Role.VIEWER, plan_id)
    q, t = LeadershipQuality, LeadershipTier
    query = (
        select(
            q.id, q.version, t.key, func.coalesce(t.name, "Every tier"), q.name, q.description, q.strength, q.evidence
        )
        .outerjoin(t, t.id == q.tier_id)
        .where(q.plan_id == plan_id)
        .order_by(func.coalesce(t.position, 0), q.position, q.id)
    )
    columns = ["id", "version", "tier_key", "tier", "name", "description", "strength", "evidence"]
    frame = pd.DataFrame(session.execute(query).all(), columns=columns)
    return frame.astype({"strength": "Int64"})


def _strength(value: Any) -> int | None:
    if _missing(value):
        return None
    number = math.nan if isinstance(value, str | bool) else _number(value)
    if number not in {1, 2, 3, 4, 5}:
        raise InvalidInput(f"Strength must be a whole number from 1 to 5 (or left empty), not {value!r}.")
    return int(number)


def _clean_quality(session: Session, plan_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(QUALITY_FIELDS)
    if unknown:
        raise InvalidInput(f"Leadership qualities have no field(s) {', '.join(sorted(unknown))}.")
    clean: dict[str, Any] = {}
    if "name" in fields:
        clean["name"] = required_text(fields["name"], "Quality", 120)
    for name, label in (("description", "Description"), ("evidence", "Evidence")):
        if name in fields:
            clean[name] = limited_text(fields[name], label, 2000)
    if "strength" in fields:
        clean["strength"] = _strength(fields["strength"])
    if "tier_key" in fields:
        clean["tier_id"] = _quality_tier(session, plan_id, fields["tier_key"])
    return clean


def _quality_tier(session: Session, plan_id: int, tier_key: Any) -> int | None:
    if tier_key is None or tier_key == "":
        return None
    tier_ids = _tier_ids(session, plan_id)
    if tier_key not in tier_ids:
        raise InvalidInput(f"Tier must be one of {', '.join(tier_ids)} (or none, for every tier), not {tier_key!r}.")
    return tier_ids[tier_key]


def add_quality(session: Session, access: Access, plan_id: int, **fields: Any) -> int:
    """Add a leadership quality sought (name required; tier_key None means every tier); return its id."""
    access.require(Role.EDITOR, plan_id)
    clean = _clean_quality(session, plan_id, fields)
    if "name" not in clean:
        raise InvalidInput("Quality is required.")
    q = LeadershipQuality
    last = select(func.coalesce(func.max(q.position), 0)).where(q.plan_id == plan_id)
    clean["position"] = session.execute(last).scalar_one() + 1
    return records.add(session, access, LeadershipQuality, plan_id, clean)


def update_quality(
    session: Session, access: Access, plan_id: int, quality_id: int, seen_version: int, **changes: Any
) -> int:
    """Change a leadership quality if nobody else has since `seen_version`; return the new version."""
    access.require(Role.EDITOR, plan_id)
    clean = _clean_quality(session, plan_id, changes)
    if not clean:
        return seen_version
    return records.update(session, access, LeadershipQuality, quality_id, seen_version, clean, plan_id)


def delete_quality(session: Session, access: Access, plan_id: int, quality_id: int, seen_version: int) -> None:
    """Remove a leadership quality if nobody has changed it since `seen_version`."""
    records.remove(session, access, LeadershipQuality, quality_id, seen_version, plan_id)
