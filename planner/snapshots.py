"""Snapshots of a whole plan: taken by hand, when a survey round closes and once a day; viewed, compared, restored.

A snapshot stores the plan document (planner.document) as it was, with its kind, in `Snapshot.data`:
{"kind": "manual" | "round_closed" | "daily" | "before_restore", "document": {...}}.
Taking one does not bump the plan's revision: the plan's content is unchanged, and the daily rule
compares revisions to tell whether the plan changed since the last snapshot.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from planner.access import Access, Role
from planner.db import bump_revision, lock_for, versioned_update
from planner.document import PLAN_SKIPPED, TREE, insert_document, plan_document
from planner.framework import level_names
from planner.history import record_event
from planner.models import AuditEvent, Plan, ShareLink, Snapshot, SurveyRound
from planner.plans import PlanNotFound
from planner.validation import InvalidInput, required_text

KINDS = {
    "manual": "Saved by hand",
    "round_closed": "Survey round closed",
    "daily": "Daily (automatic)",
    "before_restore": "Before a restore",
}
CURRENT = "current"  # compare against the plan as it is now
Document = dict[str, Any]
Record = dict[str, Any]


class SnapshotNotFound(LookupError):
    """No snapshot with that id belongs to this plan."""


# --- Taking snapshots ----------------------------------------------------------------------


def take_snapshot(session: Session, access: Access, plan_id: int, label: str, kind: str = "manual") -> int:
    """Store the plan's whole document under a label; return the snapshot's id."""
    access.require(Role.EDITOR, plan_id)
    clean = required_text(label, "Snapshot label", 120)
    if kind not in KINDS:
        raise InvalidInput(f"A snapshot's kind is one of {', '.join(KINDS)}, not {kind!r}.")
    revision = _revision(session, plan_id)
    data = {"kind": kind, "document": plan_document(session, plan_id)}
    snapshot = Snapshot(plan_id=plan_id, label=clean, revision=revision, created_by=access.actor, data=data)
    session.add(snapshot)
    session.flush()
    after = {"label": clean, "kind": kind, "revision": revision}
    record_event(
        session, access, "snapshot.create", plan_id=plan_id, entity="snapshot", entity_id=snapshot.id, after=after
    )
    return snapshot.id  # type: ignore[return-value]


def _revision(session: Session, plan_id: int) -> int:
    value = session.execute(select(Plan.revision).where(col(Plan.id) == plan_id)).scalar_one_or_none()
    if value is None:
        raise PlanNotFound(f"There is no plan {plan_id}. It may have been deleted.")
    return value


def after_round_status(session: Session, access: Access, plan_id: int, round_id: int, status: str) -> int | None:
    """Snapshot the plan when a survey round has just gone from open to closed (culture.set_round_status)."""
    access.require(Role.EDITOR, plan_id)
    if status != "closed" or _previous_round_status(session, round_id) == "closed":
        return None
    rounds = select(SurveyRound.name).where(col(SurveyRound.id) == round_id, col(SurveyRound.plan_id) == plan_id)
    name = session.execute(rounds).scalar_one_or_none()
    if name is None:  # another plan's round: its name must not end up in this plan's snapshot label
        raise InvalidInput(f"Survey round {round_id} is not part of this plan.")
    return take_snapshot(session, access, plan_id, f"Survey round closed: {name}"[:120], kind="round_closed")


def _previous_round_status(session: Session, round_id: int) -> str | None:
    """The status before the update just made, from its audit event (records.update keeps the old value)."""
    a = AuditEvent
    query = (
        select(a.before)
        .where(a.entity == "survey_round", a.entity_id == round_id, a.action == "survey_round.update")
        .order_by(col(a.id).desc())
        .limit(1)
    )
    before = session.execute(query).scalar_one_or_none() or {}
    return before.get("status")


def daily_due(session: Session, access: Access, plan_id: int, today: date) -> bool:
    """True when the daily rule asks for a snapshot (see daily_snapshot_if_due); False for read-only roles."""
    if not access.allows(Role.EDITOR, plan_id):
        return False
    latest = session.execute(
        select(Snapshot.revision, Snapshot.created_at)
        .where(Snapshot.plan_id == plan_id)
        .order_by(col(Snapshot.id).desc())
        .limit(1)
    ).first()
    if latest is None:
        return _revision(session, plan_id) > 0
    taken_on = _utc(latest.created_at).date()
    return taken_on < today and _revision(session, plan_id) != latest.revision


def daily_snapshot_if_due(session: Session, access: Access, plan_id: int, today: date) -> int | None:
    """Take the day's automatic snapshot when due; return its id, or None.

    The rule: at most one a day (UTC), and only when the plan changed — when its revision differs
    from the newest snapshot's (any kind) and that snapshot was taken before `today`; a plan with no
    snapshot yet gets one once it has changed at all (revision above 0).
    """
    if not access.allows(Role.EDITOR, plan_id):  # read-only roles load pages too: no lock, no query
        return None
    lock_for(session, f"snapshot-daily:{plan_id}")  # two page loads at once must not take two
    if not daily_due(session, access, plan_id, today):
        return None
    return take_snapshot(session, access, plan_id, f"Daily snapshot {today:%d %b %Y}", kind="daily")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- Reading snapshots ---------------------------------------------------------------------


def list_snapshots(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """The plan's snapshots, newest first: id, label, kind, kind name, taken, revision, by."""
    access.require(Role.VIEWER, plan_id)
    s = Snapshot
    kind = col(s.data)["kind"].as_string()
    query = (
        select(s.id, s.label, kind, s.created_at, s.revision, s.created_by)
        .where(s.plan_id == plan_id)
        .order_by(col(s.id).desc())
    )
    columns = ["id", "label", "kind", "taken", "revision", "by"]
    table = pd.DataFrame(session.execute(query).all(), columns=columns)
    table.insert(3, "kind_name", table["kind"].map(lambda key: KINDS.get(key, key or "Saved by hand")))
    return table


def snapshot_document(session: Session, access: Access, plan_id: int, snapshot_id: int | str) -> Document:
    """The plan document a snapshot holds (or the plan as it is now, for CURRENT)."""
    access.require(Role.VIEWER, plan_id)
    if snapshot_id == CURRENT:
        _revision(session, plan_id)
        return plan_document(session, plan_id)
    data = _snapshot(session, plan_id, int(snapshot_id)).data or {}
    return data.get("document", data)


def _snapshot(session: Session, plan_id: int, snapshot_id: int) -> Snapshot:
    snapshot = session.get(Snapshot, snapshot_id)
    if snapshot is None or snapshot.plan_id != plan_id:
        raise SnapshotNotFound(f"Snapshot {snapshot_id} is not one of this plan's snapshots.")
    return snapshot


# --- What a document holds, in words -------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A kind of record as people name it, and what identifies one record across snapshots."""

    table: str
    title: str
    noun: str
    identity: tuple[str, ...]
    label: tuple[str, ...] = ()

    @property
    def label_fields(self) -> tuple[str, ...]:
        """Fields that name a record (its identity unless given)."""
        return self.label or self.identity


SECTIONS = (
    Section("cultural_element", "Cultural elements", "cultural element", ("key",), ("name",)),
    Section("element_question", "Diagnostic questions", "question", ("element_id", "text")),
    Section("context_item", "Context items", "context item", ("title",)),
    Section("survey_round", "Survey rounds", "survey round", ("name",)),
    Section("leadership_tier", "Leadership tiers", "tier", ("key",), ("name",)),
    Section("band_mapping", "Band mapping", "band", ("band",)),
    Section("capability", "Capabilities", "capability", ("key",), ("name",)),
    Section("capability_rating", "Capability ratings", "rating", ("capability_id", "tier_id", "assessor")),
    Section("workforce_aggregate", "Leadership workforce", "headcount", ("tier_id", "dimension", "category")),
    Section("workforce_benchmark", "Workforce benchmarks", "benchmark", ("label", "dimension", "category")),
    Section("leadership_quality", "Leadership qualities", "quality", ("name", "tier_id")),
    Section("priority", "Priorities", "priority", ("title",)),
    Section("objective", "Objectives", "objective", ("title",)),
    Section("means", "Means", "means", ("mode", "approach"), ("approach",)),
    Section("initiative", "Initiatives", "initiative", ("title",)),
    Section(
        "initiative_link",
        "Initiative links",
        "link",
        ("initiative_id", "means_id", "priority_id", "objective_id", "capability_id"),
    ),
    Section("milestone", "Milestones", "milestone", ("initiative_id", "title")),
    Section("check_in", "Check-ins", "check-in", ("initiative_id", "checked_on")),
)
# Individual survey answers are only ever counted per round: listing them could unpick anonymity.
SURVEY_DETAIL = {
    "survey_response": "responses",
    "survey_rating": "ratings",
    "survey_comment": "comments",
    "survey_tally": "imported answers",
}
TITLES = {section.table: section.title for section in SECTIONS} | {
    "survey_response": "Survey responses",
    "survey_rating": "Survey ratings",
    "survey_comment": "Survey comments",
    "survey_tally": "Imported survey answers",
}
IGNORED = {"ref", "position"}
FIELD_WORDS = {"element_keys": "cultural elements", "tier_keys": "tiers", "checked_on": "date", "rag": "RAG status"}
IMPORTANCE = {1: "low", 2: "medium", 3: "high"}


def _records(document: Document, table: str) -> list[Record]:
    return [r for r in document.get("records", {}).get(table, []) if isinstance(r, dict)]


def _names(document: Document) -> dict[str, str]:
    """Ref → a readable name, for every record a diff shows (parents first, so links resolve)."""
    names: dict[str, str] = {}
    for section in SECTIONS:
        for record in _records(document, section.table):
            parts = [_plain(record.get(field), names) for field in section.label_fields]
            names[record.get("ref", "")] = " · ".join(part for part in parts if part)
    return names


def _plain(value: Any, names: dict[str, str]) -> str:
    if value is None:
        return ""
    return names.get(value, str(value)) if isinstance(value, str) else str(value)


def contents(document: Document) -> pd.DataFrame:
    """What a plan document holds: one row per section with its count and the first few names."""
    names = _names(document)
    rows = []
    for section in SECTIONS:
        records = _records(document, section.table)
        if records:
            shown = [_clipped(names.get(r.get("ref", ""), ""), 60) for r in records[:3]]
            more = f" … and {len(records) - 3} more" if len(records) > 3 else ""
            rows.append((section.title, len(records), "; ".join(shown) + more))
    for table, words in SURVEY_DETAIL.items():
        count = len(_records(document, table))
        if count:
            rows.append((TITLES[table], count, f"{count} {words}, shown only as counts"))
    return pd.DataFrame(rows, columns=["Section", "Records", "Includes"])


# --- Differences, in words -----------------------------------------------------------------


@dataclass(frozen=True)
class ItemChange:
    """One record present on both sides whose fields differ: “field: old → new”."""

    item: str
    details: tuple[str, ...]


@dataclass(frozen=True)
class SectionDiff:
    """What was added, changed and removed in one section."""

    title: str
    noun: str
    added: tuple[str, ...] = ()
    changed: tuple[ItemChange, ...] = ()
    removed: tuple[str, ...] = ()

    def sentences(self) -> list[str]:
        """The section's changes as sentences."""
        lines = [f"Added {self.noun} “{item}”." for item in self.added]
        lines += [
            f"Changed {self.noun}{f' “{c.item}”' if c.item else ''}: {'; '.join(c.details)}." for c in self.changed
        ]
        return lines + [f"Removed {self.noun} “{item}”." for item in self.removed]


def compare(session: Session, access: Access, plan_id: int, old: int | str, new: int | str) -> list[SectionDiff]:
    """The differences from snapshot `old` to snapshot `new` (either may be CURRENT), per section."""
    access.require(Role.VIEWER, plan_id)
    before = snapshot_document(session, access, plan_id, old)
    return diff_documents(before, snapshot_document(session, access, plan_id, new))


def diff_documents(old: Document, new: Document) -> list[SectionDiff]:
    """What changed from one plan document to another, per section; sections without changes are left out."""
    diffs = [_plan_diff(old, new)]
    old_view, new_view = _Reader(old), _Reader(new)
    diffs += [_section_diff(section, old_view, new_view) for section in SECTIONS]
    return [d for d in diffs if d.added or d.changed or d.removed]


def _plan_diff(old: Document, new: Document) -> SectionDiff:
    before, after = old.get("plan", {}), new.get("plan", {})
    details = tuple(
        f"{_field_words(field)}: {_shown(before.get(field))} → {_shown(after.get(field))}"
        for field in sorted(set(before) | set(after), key=_plan_order)
        if field not in PLAN_SKIPPED and before.get(field) != after.get(field)
    )
    return SectionDiff("Plan details", "the plan's details", changed=(ItemChange("", details),) if details else ())


def _plan_order(field: str) -> int:
    order = [c.name for c in Plan.__table__.columns]  # type: ignore[attr-defined]
    return order.index(field) if field in order else len(order)


class _Reader:
    """A document indexed for comparison: each record keyed by its identity, its fields shown in words."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.names = _names(document)
        self.elements = {r.get("key"): r.get("name") for r in _records(document, "cultural_element")}
        self.tiers = {r.get("key"): r.get("name") for r in _records(document, "leadership_tier")}
        self.survey = _survey_counts(document)

    def indexed(self, section: Section) -> dict[tuple[str, ...], tuple[str, dict[str, str]]]:
        """Identity → (readable name, field → value in words); repeated identities are numbered."""
        found: dict[tuple[str, ...], tuple[str, dict[str, str]]] = {}
        seen: Counter[tuple[str, ...]] = Counter()
        for record in _records(self.document, section.table):
            identity = tuple(_plain(record.get(field), self.names) for field in section.identity)
            seen[identity] += 1
            name = self.names.get(record.get("ref", ""), "") or "(unnamed)"
            repeat = seen[identity]
            found[(*identity, str(repeat))] = (name if repeat == 1 else f"{name} ({repeat})", self.fields(record))
        return found

    def fields(self, record: Record) -> dict[str, str]:
        """Every compared field of a record, in words (survey rounds also count their answers)."""
        values = {field: self.value(field, value) for field, value in record.items() if field not in IGNORED}
        if "ref" in record and record["ref"] in self.survey:
            values |= {words: str(count) for words, count in self.survey[record["ref"]].items()}
        return values

    def value(self, field: str, value: Any) -> str:
        """One field's value in words: linked records by name, levels and lists by their names."""
        if isinstance(value, str) and field.endswith("_id") and value in self.names:
            return f"“{self.names[value]}”"
        if field == "element_keys" and isinstance(value, list):
            return _shown([self.elements.get(key, key) for key in value])
        if field == "tier_keys" and isinstance(value, list):
            return _shown([self.tiers.get(key, key) for key in value])
        if field in ("required", "current", "target_level") and isinstance(value, int) and not isinstance(value, bool):
            return f"{value} {level_names().get(value, '')}".strip()
        if field == "importance" and value in IMPORTANCE:
            return IMPORTANCE[value]
        return _shown(value)


def _survey_counts(document: Document) -> dict[str, dict[str, int]]:
    """Round ref → responses, ratings, comments and imported answers (tally counts summed)."""
    response_round = {r.get("ref"): r.get("round_id") for r in _records(document, "survey_response")}
    counts: dict[str, dict[str, int]] = {
        r.get("ref", ""): dict.fromkeys(SURVEY_DETAIL.values(), 0) for r in _records(document, "survey_round")
    }
    for table, words in SURVEY_DETAIL.items():
        for record in _records(document, table):
            round_ref = record.get("round_id") or response_round.get(record.get("response_id"))
            if round_ref in counts:
                amount = record.get("count", 0) if table == "survey_tally" else 1
                counts[round_ref][words] += amount if isinstance(amount, int) else 0
    return counts


def _section_diff(section: Section, old: _Reader, new: _Reader) -> SectionDiff:
    before, after = old.indexed(section), new.indexed(section)
    changed = []
    for key in after.keys() & before.keys():
        details = _changes(before[key][1], after[key][1])
        if details:
            changed.append(ItemChange(after[key][0], details))
    return SectionDiff(
        section.title,
        section.noun,
        added=tuple(after[key][0] for key in after if key not in before),
        changed=tuple(sorted(changed, key=lambda c: c.item)),
        removed=tuple(before[key][0] for key in before if key not in after),
    )


def _changes(before: dict[str, str], after: dict[str, str]) -> tuple[str, ...]:
    fields = list(before) + [field for field in after if field not in before]
    missing = "none"
    return tuple(
        f"{_field_words(field)}: {before.get(field, missing)} → {after.get(field, missing)}"
        for field in fields
        if before.get(field, missing) != after.get(field, missing)
    )


def _field_words(field: str) -> str:
    return FIELD_WORDS.get(field, field.removesuffix("_id").replace("_", " "))


def _clipped(text: str, length: int) -> str:
    return text if len(text) <= length else f"{text[: length - 1]}…"


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_shown(item).strip("“”") for item in value) or "none"
    if isinstance(value, str):
        if not value:
            return "empty"
        return f"“{_clipped(value, 80)}”"
    return f"{value:,}" if isinstance(value, int) else str(value)


# --- Restoring -----------------------------------------------------------------------------


def restore_as_new_plan(
    session: Session, access: Access, plan_id: int, snapshot_id: int, name: str = "", today: date | None = None
) -> int:
    """Create a new plan holding the snapshot's content; return its id (owners of every plan, as for any new plan)."""
    access.require(Role.OWNER)
    document = snapshot_document(session, access, plan_id, snapshot_id)
    default = f"{document.get('plan', {}).get('name', 'Plan')} (restored {(today or date.today()):%d %b %Y})"
    new_name = required_text(name or default[:120], "Name of the restored plan", 120)
    new_id = insert_document(session, document, name=new_name, archived=False, origin="restore")
    after = {"from_plan": plan_id, "snapshot": snapshot_id, "name": new_name}
    record_event(session, access, "plan.restore", plan_id=new_id, entity="plan", entity_id=new_id, after=after)
    return new_id


def restore_over_plan(session: Session, access: Access, plan_id: int, snapshot_id: int) -> int:
    """Replace the plan's content with the snapshot's, after a “Before restore” snapshot; return that snapshot's id.

    One transaction: the snapshot is inserted and checked as a scratch plan, its records are moved
    onto this plan (keeping its id, links, members and history), and the scratch plan is dropped.
    A snapshot that fails the checks raises DocumentError and the caller's transaction leaves nothing changed.
    """
    access.require(Role.EDITOR, plan_id)
    document = snapshot_document(session, access, plan_id, snapshot_id)
    label = _snapshot(session, plan_id, snapshot_id).label
    before_id = take_snapshot(session, access, plan_id, f"Before restore of “{label}”"[:120], kind="before_restore")
    bump_revision(session, plan_id)  # first, so that PostgreSQL writers to this plan wait for the restore
    scratch = insert_document(session, document, origin="restore")
    _keep_round_links(session, plan_id, scratch)
    _replace_records(session, plan_id, scratch)
    _copy_plan_fields(session, plan_id, scratch)
    after = {"snapshot": snapshot_id, "label": label, "before_restore_snapshot": before_id}
    record_event(session, access, "plan.restore", plan_id=plan_id, entity="plan", entity_id=plan_id, after=after)
    return before_id


PLAN_TABLES = [model.__table__ for model, owner in reversed(TREE) if owner == "plan_id"]  # type: ignore[attr-defined]


def _keep_round_links(session: Session, plan_id: int, scratch: int) -> None:
    """Point participant links at the restored round of the same name (links to other rounds end with them)."""
    rounds = SurveyRound.__table__  # type: ignore[attr-defined]
    restored = dict(session.execute(select(rounds.c.name, rounds.c.id).where(rounds.c.plan_id == scratch)).all())
    query = (
        select(ShareLink.id, SurveyRound.name)
        .join(SurveyRound, col(ShareLink.round_id) == SurveyRound.id)
        .where(ShareLink.plan_id == plan_id)
    )
    for link_id, round_name in session.execute(query).all():
        if round_name in restored:
            links = ShareLink.__table__  # type: ignore[attr-defined]
            session.execute(update(links).where(links.c.id == link_id).values(round_id=restored[round_name]))


def _replace_records(session: Session, plan_id: int, scratch: int) -> None:
    """Delete the plan's records (their children cascade) and move the scratch plan's onto it."""
    for table in PLAN_TABLES:
        session.execute(delete(table).where(table.c.plan_id == plan_id))
    for table in PLAN_TABLES:
        session.execute(update(table).where(table.c.plan_id == scratch).values(plan_id=plan_id))


def _copy_plan_fields(session: Session, plan_id: int, scratch: int) -> None:
    """Give the plan the snapshot's details (archiving stays as it is), then drop the scratch plan."""
    table = Plan.__table__  # type: ignore[attr-defined]
    kept = PLAN_SKIPPED | {"archived"}
    source = session.execute(select(table).where(table.c.id == scratch)).one()
    values = {c.name: getattr(source, c.name) for c in table.columns if c.name not in kept}
    version = session.execute(select(table.c.version).where(table.c.id == plan_id)).scalar_one()
    versioned_update(session, Plan, plan_id, version, values)
    session.execute(delete(table).where(table.c.id == scratch))
    session.expire_all()  # ORM objects loaded above still hold the scratch plan's ids
