"""Development: the initiatives portfolio, what each delivers, its milestones and its progress check-ins (issue 6).

Status comes from check-ins, never from typing it in. The latest check-in (by date, then by id)
gives an initiative its RAG and % complete: none yet → "Not started"; 100% → "Done"; otherwise
green → "On track", amber → "At risk", red → "Off track". Check-ins are append-only history: no
function changes one. Recording one also stores the derived status and % on the initiative row,
a cache that lists and the summary read cheaply; the check-ins stay the source of truth, and
refreshing the cache is not an edit of the initiative, so its version does not change.

A milestone is overdue when its due date has passed and it is not done. An initiative has "no recent
check-in" (is stale) when it is under way (started, not past its end, not done) and more than
STALE_DAYS days have passed since the later of its start and its last check-in.
"""

from __future__ import annotations

import numbers
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import func, select, update
from sqlmodel import Session

from planner import means, records
from planner.access import Access, Role
from planner.db import once, read_frame, utcnow
from planner.framework import framework
from planner.models import (
    Capability,
    CheckIn,
    CulturalElement,
    Initiative,
    InitiativeLink,
    LeadershipTier,
    Means,
    Milestone,
    Objective,
    Priority,
)
from planner.priorities import as_date
from planner.records import RecordNotFound
from planner.validation import InvalidInput, choice, date_range, limited_text, required_text, whole_amount

STALE_DAYS = 30
ATTENTION_SHOWN = 10  # the portfolio's "needs attention" table shows this many, most urgent first
MAX_BUDGET = 50_000_000
MAX_PARTICIPANTS = 1_000_000
KINDS = {kind["key"]: kind["name"] for kind in framework()["initiative_kinds"]}
KIND_HINTS = {  # the deck's words for the Development phase
    "leadership_development": "Leadership development – programmes etc.",
    "organisation_development": "Organisation development – culture, teams, boundary spanning, collaboration, dialogue",
    "culture_shaping": "Shaping leadership culture, organisational culture, embracing change",
}
OD_FOCUSES = {
    "culture": "Culture",
    "teams": "Teams",
    "boundary_spanning": "Boundary spanning",
    "collaboration": "Collaboration",
    "dialogue": "Dialogue",
}
RAGS = {"green": "Green", "amber": "Amber", "red": "Red"}
RAG_STATUS = {"green": "in_progress", "amber": "at_risk", "red": "off_track"}
STATUS_LABELS = {
    "planned": "Not started",
    "in_progress": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "done": "Done",
}
LINKS = {  # link kind → (InitiativeLink column, label)
    "priority": ("priority_id", "Priority"),
    "means": ("means_id", "Means"),
    "objective": ("objective_id", "Objective"),
    "capability": ("capability_id", "Capability"),
}
LINK_FIELDS = {f"{kind}_ids": kind for kind in LINKS}  # add / update take e.g. priority_ids=[…]
TEXTS = {  # field → (label, maximum length)
    "description": ("Description", 5000),
    "owner": ("Owner", 200),
    "sponsor": ("Sponsor", 200),
    "audience": ("Audience", 500),
}
AMOUNTS = {"budget": ("Budget (£)", MAX_BUDGET), "participants": ("Participants", MAX_PARTICIPANTS)}
DATES = {"start": "Start date", "end": "End date"}
EDITABLE = (
    "title",
    "kind",
    "od_focus",
    "intervention_key",
    *TEXTS,
    *DATES,
    *AMOUNTS,
    "tier_keys",
    "element_keys",
)
BASE_COLUMNS = ["id", "version", "position", *EDITABLE]
PORTFOLIO_COLUMNS = [
    *BASE_COLUMNS,
    "rag",
    "percent_complete",
    "status",
    "status_label",
    "last_check_in",
    "check_ins",
    "stale",
    "milestones",
    "overdue_milestones",
    "links",
]
CHECK_IN_COLUMNS = ["id", "initiative_id", "checked_on", "rag", "percent_complete", "note", "author"]
MILESTONE_COLUMNS = ["id", "version", "initiative_id", "initiative", "title", "due", "done", "done_on"]
LINK_COLUMNS = ["id", "version", "initiative_id", "kind", "target_id", "label"]


# --- Pure rules ------------------------------------------------------------------------------


def derive_status(rag: str | None, percent_complete: int | None) -> str:
    """The status key the latest check-in gives: none → planned; 100% → done; otherwise by its RAG."""
    if rag is None:
        return "planned"
    if (percent_complete or 0) >= 100:
        return "done"
    return RAG_STATUS[rag]


def latest_check_ins(rows: pd.DataFrame) -> pd.DataFrame:
    """Each initiative's latest check-in (by date, then id), indexed by initiative id, with its number of check-ins."""
    ordered = rows.sort_values(["initiative_id", "checked_on", "id"], kind="stable")
    latest = ordered.groupby("initiative_id").tail(1).set_index("initiative_id")
    return latest.assign(check_ins=ordered.groupby("initiative_id").size())


def is_overdue(due: date | None, done: bool, today: date) -> bool:
    """A milestone is overdue when its due date has passed and it is not done."""
    return bool(due is not None and not done and due < today)


def most_urgent(flagged: pd.DataFrame, limit: int = ATTENTION_SHOWN) -> pd.DataFrame:
    """The `limit` flagged portfolio rows most needing attention, most urgent first.

    Most overdue milestones first; then off track, at risk, under way; then the longest since the later
    of its start and its last check-in.
    """
    urgency = {"off_track": 0, "at_risk": 1, "in_progress": 2}
    pairs = zip(flagged["start"], flagged["last_check_in"], strict=True)
    since = [_since(_none(start), _none(last)) for start, last in pairs]
    ranked = flagged.assign(
        _overdue=-flagged["overdue_milestones"],
        _status=flagged["status"].map(urgency).fillna(len(urgency)),
        _since=since,
    ).sort_values(["_overdue", "_status", "_since", "id"], kind="stable")
    return flagged.loc[ranked.index[:limit]]


def _since(start: date | None, last: date | None) -> date:
    known = [day for day in (start, last) if day is not None]
    return max(known) if known else date.max


def is_stale(status: str, start: date | None, end: date | None, last: date | None, today: date) -> bool:
    """Under way, and more than STALE_DAYS days since the later of its start and its last check-in."""
    if status == "done" or start is None or start > today or (end is not None and end < today):
        return False
    since = max(start, last) if last is not None else start
    return (today - since).days > STALE_DAYS


def filtered(
    frame: pd.DataFrame,
    owners: list[str] | tuple[str, ...] = (),
    kinds: list[str] | tuple[str, ...] = (),
    tiers: list[str] | tuple[str, ...] = (),
    statuses: list[str] | tuple[str, ...] = (),
) -> pd.DataFrame:
    """The portfolio rows matching every filter given (an empty filter keeps every row; tiers: any in common)."""
    keep = pd.Series(True, index=frame.index)
    if owners:
        keep &= frame["owner"].isin(list(owners))
    if kinds:
        keep &= frame["kind"].isin(list(kinds))
    if tiers:
        keep &= frame["tier_keys"].map(lambda keys: bool(set(keys or []) & set(tiers)))
    if statuses:
        keep &= frame["status"].isin(list(statuses))
    return frame[keep].reset_index(drop=True)


def end_after(start: date | None, months: int) -> date | None:
    """The day before the same date `months` months after `start` (so 12 months from 1 Apr ends on 31 Mar)."""
    if start is None or months <= 0:
        return None
    return (pd.Timestamp(start) + pd.DateOffset(months=months) - pd.Timedelta(days=1)).date()


def prefill(item: dict[str, Any], elements: list[str] | tuple[str, ...], start: date | None = None) -> dict[str, Any]:
    """The initiative fields a library intervention fills in (only the plan's `elements` among its elements)."""
    return {
        "intervention_key": item["key"],
        "title": item["name"],
        "kind": item["kind"],
        "od_focus": item["od_focus"] or "",
        "description": item["description"],
        "audience": item["audience"],
        "budget": int(item["typical_cost_gbp"] or 0),
        "element_keys": [key for key in elements if key in (item["element_keys"] or [])],
        "start": start,
        "end": end_after(start, int(item["typical_duration_months"] or 0)),
    }


# --- Reading ---------------------------------------------------------------------------------


def _none(value: Any) -> Any:
    return None if value is None or (not isinstance(value, list | str | date) and pd.isna(value)) else value


def _initiatives(session: Session, plan_id: int) -> pd.DataFrame:
    i = Initiative
    query = select(*[getattr(i, name) for name in BASE_COLUMNS]).where(i.plan_id == plan_id).order_by(i.position, i.id)
    frame = read_frame(session, query, BASE_COLUMNS)
    return frame.assign(tier_keys=frame["tier_keys"].map(_keys), element_keys=frame["element_keys"].map(_keys))


def _keys(value: Any) -> list[str]:
    return list(value or [])


def _check_in_rows(session: Session, plan_id: int, initiative_id: int | None = None) -> pd.DataFrame:
    c = CheckIn
    query = select(*[getattr(c, name) for name in CHECK_IN_COLUMNS]).join(Initiative, Initiative.id == c.initiative_id)
    query = query.where(Initiative.plan_id == plan_id)
    if initiative_id is not None:
        query = query.where(c.initiative_id == initiative_id)
    return read_frame(session, query.order_by(c.checked_on, c.id), CHECK_IN_COLUMNS)


def _overdue_flags(rows: pd.DataFrame, today: date) -> pd.Series:
    flags = [is_overdue(_none(due), bool(done), today) for due, done in zip(rows["due"], rows["done"], strict=True)]
    return pd.Series(flags, index=rows.index, dtype=bool)


def _milestone_counts(session: Session, plan_id: int, today: date) -> pd.DataFrame:
    m = Milestone
    query = select(m.initiative_id, m.due, m.done).join(Initiative, Initiative.id == m.initiative_id)
    rows = read_frame(session, query.where(Initiative.plan_id == plan_id), ["initiative_id", "due", "done"])
    rows["overdue"] = _overdue_flags(rows, today)
    grouped = rows.groupby("initiative_id")
    return pd.DataFrame({"milestones": grouped.size(), "overdue_milestones": grouped["overdue"].sum()})


def _link_counts(session: Session, plan_id: int) -> pd.Series:
    link = InitiativeLink
    query = (
        select(link.initiative_id, func.count(link.id))
        .join(Initiative, Initiative.id == link.initiative_id)
        .where(Initiative.plan_id == plan_id)
        .group_by(link.initiative_id)
    )
    return pd.Series(dict(session.execute(query).all()), dtype="int64")


def _with_status(frame: pd.DataFrame, latest: pd.DataFrame, today: date) -> pd.DataFrame:
    rag = frame["id"].map(latest["rag"]).astype(object)
    rag = [_none(value) for value in rag]
    percent = frame["id"].map(latest["percent_complete"]).fillna(0).astype(int)
    last = [_none(value) for value in frame["id"].map(latest["checked_on"]).astype(object)]
    status = [derive_status(r, p) for r, p in zip(rag, percent, strict=True)]
    stale = [
        is_stale(s, _none(a), _none(b), c, today)
        for s, a, b, c in zip(status, frame["start"], frame["end"], last, strict=True)
    ]
    return frame.assign(
        rag=pd.Series(rag, index=frame.index, dtype=object),
        percent_complete=percent,
        status=status,
        status_label=[STATUS_LABELS[s] for s in status],
        last_check_in=pd.Series(last, index=frame.index, dtype=object),
        check_ins=frame["id"].map(latest["check_ins"]).fillna(0).astype(int),
        stale=stale,
    )


def portfolio(session: Session, access: Access, plan_id: int, today: date | None = None) -> pd.DataFrame:
    """One row per initiative with its status from check-ins, stale flag, overdue milestones and number of links."""
    access.require(Role.VIEWER, plan_id)
    key = ("initiatives.portfolio", access, plan_id, today or date.today())
    return once(session, key, lambda: _portfolio(session, access, plan_id, today))


def _portfolio(session: Session, access: Access, plan_id: int, today: date | None = None) -> pd.DataFrame:
    access.require(Role.VIEWER, plan_id)
    today = today or date.today()
    frame = _initiatives(session, plan_id)
    frame = _with_status(frame, latest_check_ins(_check_in_rows(session, plan_id)), today)
    counts = _milestone_counts(session, plan_id, today)
    frame["milestones"] = frame["id"].map(counts["milestones"]).fillna(0).astype(int)
    frame["overdue_milestones"] = frame["id"].map(counts["overdue_milestones"]).fillna(0).astype(int)
    frame["links"] = frame["id"].map(_link_counts(session, plan_id)).fillna(0).astype(int)
    return frame[PORTFOLIO_COLUMNS]


def _initiative(session: Session, plan_id: int, initiative_id: Any) -> Initiative:
    found = session.get(Initiative, initiative_id) if isinstance(initiative_id, numbers.Integral) else None
    if found is None or found.plan_id != plan_id:
        raise RecordNotFound("This initiative no longer exists in this plan.")
    return found


def check_ins(session: Session, access: Access, plan_id: int, initiative_id: int | None = None) -> pd.DataFrame:
    """Check-ins oldest first: one initiative's (the history behind its status and trend), or the whole plan's."""
    access.require(Role.VIEWER, plan_id)
    if initiative_id is not None:
        _initiative(session, plan_id, initiative_id)
    return _check_in_rows(session, plan_id, initiative_id)


def milestones(session: Session, access: Access, plan_id: int, today: date | None = None) -> pd.DataFrame:
    """Every milestone of the plan's initiatives (by initiative, then due date), with an overdue flag."""
    access.require(Role.VIEWER, plan_id)
    m, i = Milestone, Initiative
    query = (
        select(m.id, m.version, m.initiative_id, i.title, m.title, m.due, m.done, m.done_on)
        .join(i, i.id == m.initiative_id)
        .where(i.plan_id == plan_id)
        .order_by(i.position, i.id, m.due, m.id)
    )
    frame = read_frame(session, query, MILESTONE_COLUMNS)
    today = today or date.today()
    return frame.assign(overdue=_overdue_flags(frame, today))


def _link_label() -> Any:
    return func.coalesce(Priority.title, Means.approach, Objective.title, Capability.name, "")  # one target per link


def links(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Every link of the plan's initiatives: its kind (priority, means, objective, capability), target and label."""
    access.require(Role.VIEWER, plan_id)
    link = InitiativeLink
    query = (
        select(link.id, link.version, link.initiative_id, link.priority_id, link.means_id, link.objective_id)
        .add_columns(link.capability_id, _link_label())
        .join(Initiative, Initiative.id == link.initiative_id)
        .outerjoin(Priority, Priority.id == link.priority_id)
        .outerjoin(Means, Means.id == link.means_id)
        .outerjoin(Objective, Objective.id == link.objective_id)
        .outerjoin(Capability, Capability.id == link.capability_id)
        .where(Initiative.plan_id == plan_id)
        .order_by(link.initiative_id, link.id)
    )
    return pd.DataFrame([_link_row(row) for row in session.execute(query).all()], columns=LINK_COLUMNS)


def _link_row(row: Any) -> tuple[Any, ...]:
    kind, target = next(((kind, t) for kind, t in zip(LINKS, row[3:7], strict=True) if t is not None), ("", None))
    return row[0], row[1], row[2], kind, target, row[7]


def link_options(session: Session, access: Access, plan_id: int) -> dict[str, dict[int, str]]:
    """What an initiative can link to, kind → {id: label}: priorities (by rank), means, objectives, capabilities."""
    access.require(Role.VIEWER, plan_id)
    p, ms, o, c = Priority, Means, Objective, Capability
    ranked = select(p.id, p.rank, p.title).where(p.plan_id == plan_id).order_by(p.rank, p.id)
    queries = {
        "means": select(ms.id, ms.approach).where(ms.plan_id == plan_id).order_by(ms.position, ms.id),
        "objective": select(o.id, o.title).where(o.plan_id == plan_id).order_by(o.position, o.id),
        "capability": select(c.id, c.name).where(c.plan_id == plan_id, c.active).order_by(c.position, c.id),
    }
    options = {"priority": {pid: f"{rank}. {title}" for pid, rank, title in session.execute(ranked).all()}}
    return options | {kind: dict(session.execute(query).all()) for kind, query in queries.items()}


def tiers(session: Session, access: Access, plan_id: int) -> dict[str, str]:
    """The plan's leadership tiers, key → name, Board first."""
    return means.tiers(session, access, plan_id)


# --- Validation ------------------------------------------------------------------------------


def _known_keys(session: Session, keys: Any, query: Any, label: str) -> list[str]:
    """The keys among `keys` that `query` lists, in its order; InvalidInput names any stranger."""
    if isinstance(keys, str) or not isinstance(keys, list | tuple | set):
        raise InvalidInput(f"{label} must be given as a list.")
    known = list(session.execute(query).scalars())
    strangers = [str(key) for key in keys if key not in known]
    if strangers:
        raise InvalidInput(f"{label}: {', '.join(strangers)} are not part of this plan.")
    return [key for key in known if key in keys]


def _list_choices(session: Session, plan_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    t, e = LeadershipTier, CulturalElement
    clean: dict[str, Any] = {}
    if "tier_keys" in fields:
        query = select(t.key).where(t.plan_id == plan_id).order_by(t.position, t.id)
        clean["tier_keys"] = _known_keys(session, fields["tier_keys"], query, "Audience tiers")
    if "element_keys" in fields:
        query = select(e.key).where(e.plan_id == plan_id).order_by(e.position, e.id)
        clean["element_keys"] = _known_keys(session, fields["element_keys"], query, "Cultural elements")
    return clean


def _choices(session: Session, fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "kind" in fields:
        clean["kind"] = choice(fields["kind"], KINDS, "Type")
    if "od_focus" in fields:
        clean["od_focus"] = choice(fields["od_focus"], OD_FOCUSES, "OD focus") if fields["od_focus"] else ""
    if fields.get("intervention_key"):
        clean["intervention_key"] = means.library_item(session, fields["intervention_key"])["key"]
    elif "intervention_key" in fields:
        clean["intervention_key"] = ""
    return clean


def _clean(session: Session, plan_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """Validated values for the given initiative fields; InvalidInput names the first problem."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"Initiatives have no field(s) {', '.join(sorted(unknown))}.")
    clean = {"title": required_text(fields["title"], "Title", 200)} if "title" in fields else {}
    clean |= {name: limited_text(fields[name], *TEXTS[name]) for name in TEXTS if name in fields}
    clean |= {name: as_date(fields[name], label) for name, label in DATES.items() if name in fields}
    clean |= {name: whole_amount(fields[name], *AMOUNTS[name]) for name in AMOUNTS if name in fields}
    return clean | _choices(session, fields) | _list_choices(session, plan_id, fields)


def _split_links(fields: dict[str, Any]) -> tuple[dict[str, list[int]], dict[str, Any]]:
    """The link lists (kind → ids, validated as whole numbers) and the other fields."""
    found = {LINK_FIELDS[name]: _ids(value, LINKS[LINK_FIELDS[name]][1]) for name, value in fields.items()
             if name in LINK_FIELDS}  # fmt: skip
    return found, {name: value for name, value in fields.items() if name not in LINK_FIELDS}


def _ids(values: Any, label: str) -> list[int]:
    if isinstance(values, str) or not isinstance(values, list | tuple | set):
        raise InvalidInput(f"{label} links must be given as a list.")
    if any(isinstance(v, bool) or not isinstance(v, numbers.Integral) for v in values):
        raise InvalidInput(f"{label} links must be chosen from the list.")
    return list(dict.fromkeys(int(v) for v in values))


def _percent(value: Any) -> int:
    if value is None or isinstance(value, bool) or not isinstance(value, numbers.Real) or float(value) != int(value):
        raise InvalidInput("% complete must be a whole number from 0 to 100.")
    if not 0 <= value <= 100:
        raise InvalidInput(f"% complete must be from 0 to 100 (you entered {int(value)}).")
    return int(value)


def _past_date(value: Any, label: str, today: date, required: bool = False) -> date | None:
    day = as_date(value, label)
    if day is None and required:
        raise InvalidInput(f"{label} is required.")
    if day is not None and day > today:
        raise InvalidInput(f"{label} ({day:%d %b %Y}) is in the future: it can be today at the latest.")
    return day


# --- Writing initiatives and links -----------------------------------------------------------


def _next_position(session: Session, plan_id: int) -> int:
    last = select(func.coalesce(func.max(Initiative.position), 0)).where(Initiative.plan_id == plan_id)
    return session.execute(last).scalar_one() + 1


def add_initiative(session: Session, access: Access, plan_id: int, **fields: Any) -> int:
    """Add an initiative (title required; links as priority_ids, means_ids, objective_ids, capability_ids)."""
    access.require(Role.EDITOR, plan_id)
    found, fields = _split_links(fields)
    clean = _clean(session, plan_id, fields)
    if "title" not in clean:
        raise InvalidInput("Title is required.")
    date_range(clean.get("start"), clean.get("end"), "End date")
    clean |= {"status": "planned", "percent_complete": 0, "position": _next_position(session, plan_id)}
    initiative_id = records.add(session, access, Initiative, plan_id, clean)
    for kind, ids in found.items():
        set_links(session, access, plan_id, initiative_id, kind, ids)
    return initiative_id


def add_from_library(session: Session, access: Access, plan_id: int, intervention_key: str, **overrides: Any) -> int:
    """Add a library intervention as an initiative, prefilled from the library (overrides win); return its id."""
    access.require(Role.EDITOR, plan_id)
    e = CulturalElement
    elements = list(session.execute(select(e.key).where(e.plan_id == plan_id)).scalars())
    values = prefill(means.library_item(session, intervention_key), elements, as_date(overrides.get("start"), "Start"))
    return add_initiative(session, access, plan_id, **(values | overrides))


def update_initiative(
    session: Session, access: Access, plan_id: int, initiative_id: int, seen_version: int, **changes: Any
) -> int:
    """Change an initiative (and replace the links given) if nobody else has since `seen_version`; the new version."""
    access.require(Role.EDITOR, plan_id)
    found, changes = _split_links(changes)
    clean = _clean(session, plan_id, changes)
    current = _initiative(session, plan_id, initiative_id)
    date_range(clean.get("start", current.start), clean.get("end", current.end), "End date")
    version = seen_version
    if clean:
        version = records.update(session, access, Initiative, initiative_id, seen_version, clean, plan_id)
    for kind, ids in found.items():
        set_links(session, access, plan_id, initiative_id, kind, ids)
    return version


def delete_initiative(session: Session, access: Access, plan_id: int, initiative_id: int, seen_version: int) -> None:
    """Delete an initiative with its links, milestones and check-ins, if nobody has changed it since `seen_version`."""
    records.remove(session, access, Initiative, initiative_id, seen_version, plan_id)


def set_links(session: Session, access: Access, plan_id: int, initiative_id: int, kind: str, ids: Any) -> None:
    """Make the initiative's links of one kind exactly `ids`; another plan's records are refused."""
    access.require(Role.EDITOR, plan_id)
    column, label = LINKS[choice(kind, {k: k for k in LINKS}, "Link kind")]
    wanted = _ids(ids, label)
    link = InitiativeLink
    query = select(getattr(link, column), link.id, link.version).where(
        link.initiative_id == _initiative(session, plan_id, initiative_id).id, getattr(link, column).is_not(None)
    )
    current = {target: (link_id, version) for target, link_id, version in session.execute(query).all()}
    for target in wanted:
        if target not in current:
            records.add(session, access, InitiativeLink, plan_id, {"initiative_id": initiative_id, column: target})
    for target, (link_id, version) in current.items():
        if target not in wanted:
            records.remove(session, access, InitiativeLink, link_id, version, plan_id)


# --- Check-ins -------------------------------------------------------------------------------


def add_check_in(
    session: Session,
    access: Access,
    plan_id: int,
    initiative_id: int,
    checked_on: Any,
    rag: str,
    percent_complete: Any,
    note: str = "",
    author: str = "",
    today: date | None = None,
) -> int:
    """Record a check-in (append-only) and refresh the initiative's stored status and %; return its id."""
    access.require(Role.EDITOR, plan_id)
    initiative = _initiative(session, plan_id, initiative_id)
    values = {
        "initiative_id": initiative.id,
        "checked_on": _past_date(checked_on, "Check-in date", today or date.today(), required=True),
        "rag": choice(rag, RAGS, "RAG status"),
        "percent_complete": _percent(percent_complete),
        "note": limited_text(note, "Note", 2000),
        "author": limited_text(author, "By", 200),
    }
    check_in_id = records.add(session, access, CheckIn, plan_id, values)
    _refresh_status(session, initiative.id)  # type: ignore[arg-type]
    return check_in_id


def _refresh_status(session: Session, initiative_id: int) -> None:
    c = CheckIn
    query = select(c.rag, c.percent_complete).where(c.initiative_id == initiative_id)
    latest = session.execute(query.order_by(c.checked_on.desc(), c.id.desc()).limit(1)).first()
    rag, percent = (latest[0], latest[1]) if latest else (None, 0)
    values = {"status": derive_status(rag, percent), "percent_complete": percent, "updated_at": utcnow()}
    session.execute(update(Initiative).where(Initiative.id == initiative_id).values(**values))


# --- Milestones ------------------------------------------------------------------------------


def _milestone(session: Session, plan_id: int, milestone_id: Any) -> Milestone:
    found = session.get(Milestone, milestone_id) if isinstance(milestone_id, numbers.Integral) else None
    if found is None or _initiative_plan(session, found.initiative_id) != plan_id:
        raise RecordNotFound("This milestone no longer exists in this plan.")
    return found


def _initiative_plan(session: Session, initiative_id: int) -> int | None:
    return session.execute(select(Initiative.plan_id).where(Initiative.id == initiative_id)).scalar()


def _done(value: Any) -> bool:
    if not isinstance(value, bool | numbers.Integral) or value not in (0, 1):
        raise InvalidInput("Done must be yes or no.")
    return bool(value)


def _clean_milestone(fields: dict[str, Any], current: dict[str, Any], today: date) -> dict[str, Any]:
    """Validated milestone values; marking it done dates it today unless a date is given, undoing clears the date."""
    unknown = set(fields) - {"title", "due", "done", "done_on"}
    if unknown:
        raise InvalidInput(f"Milestones have no field(s) {', '.join(sorted(unknown))}.")
    clean = {"title": required_text(fields["title"], "Milestone", 200)} if "title" in fields else {}
    if "due" in fields:
        clean["due"] = as_date(fields["due"], "Due date")
    done = _done(fields["done"]) if "done" in fields else current["done"]
    done_on = _past_date(fields["done_on"], "Done on", today) if "done_on" in fields else current["done_on"]
    if "done" in fields or "done_on" in fields:
        clean |= {"done": done, "done_on": (done_on or today) if done else None}
    return clean


def add_milestone(
    session: Session,
    access: Access,
    plan_id: int,
    initiative_id: int,
    title: str,
    due: Any = None,
    done: bool = False,
    done_on: Any = None,
    today: date | None = None,
) -> int:
    """Add a milestone to an initiative; return its id."""
    access.require(Role.EDITOR, plan_id)
    fields = {"title": title, "due": due, "done": done, "done_on": done_on}
    clean = _clean_milestone(fields, {"done": False, "done_on": None}, today or date.today())
    initiative = _initiative(session, plan_id, initiative_id)
    return records.add(session, access, Milestone, plan_id, clean | {"initiative_id": initiative.id})


def update_milestone(
    session: Session,
    access: Access,
    plan_id: int,
    milestone_id: int,
    seen_version: int,
    today: date | None = None,
    **changes: Any,
) -> int:
    """Change a milestone if nobody else has since `seen_version`; return the new version."""
    access.require(Role.EDITOR, plan_id)
    current = _milestone(session, plan_id, milestone_id)
    clean = _clean_milestone(changes, {"done": current.done, "done_on": current.done_on}, today or date.today())
    if not clean:
        return seen_version
    return records.update(session, access, Milestone, milestone_id, seen_version, clean, plan_id)


def delete_milestone(session: Session, access: Access, plan_id: int, milestone_id: int, seen_version: int) -> None:
    """Delete a milestone if nobody has changed it since `seen_version`."""
    records.remove(session, access, Milestone, milestone_id, seen_version, plan_id)
