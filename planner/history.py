"""The audit trail: every write records who did what, when, before and after."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import or_, select
from sqlmodel import Session, SQLModel, col

from planner.access import Access, Role
from planner.db import read_frame
from planner.models import AuditEvent


def row_dict(row: SQLModel | None) -> dict[str, Any] | None:
    """A JSON-safe dict of a row's columns, for audit before/after images."""
    if row is None:
        return None
    return _json_dict(row.model_dump())


def _json_safe(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _json_dict(values: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if values is None else {key: _json_safe(value) for key, value in values.items()}


def record_event(
    session: Session,
    access: Access,
    action: str,
    *,
    plan_id: int | None,
    entity: str = "",
    entity_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one audit event in the caller's transaction."""
    session.add(
        AuditEvent(
            plan_id=plan_id,
            actor=access.actor,
            role=str(access.role),
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=_json_dict(before),
            after=_json_dict(after),
        )
    )


def audit_events(session: Session, access: Access, plan_id: int, limit: int = 200) -> pd.DataFrame:
    """The plan's newest audit events, newest first."""
    access.require(Role.VIEWER, plan_id)
    a = AuditEvent
    query = (
        select(a.at, a.actor, a.role, a.action, a.entity, a.entity_id)
        .where(a.plan_id == plan_id)
        .order_by(col(a.id).desc())
        .limit(limit)
    )
    return read_frame(session, query, ["When", "Who", "Role", "Action", "Record", "Id"])


AUDIT_COLUMNS = ["id", "When", "Who", "Role", "What", "Action", "Record", "Record id", "Before", "After"]
VERBS = {
    "create": "Added",
    "update": "Changed",
    "delete": "Deleted",
    "import": "Imported",
    "restore": "Restored",
    "archive": "Archived",
    "unarchive": "Unarchived",
    "clone": "Copied",
    "demo": "Loaded the demo",
    "replace": "Replaced",
}


def describe_action(action: str, entity: str = "") -> str:
    """An audit action in words: “context_item.update” → “Changed context item”."""
    noun, _, verb = action.rpartition(".")
    thing = (noun or entity).replace("_", " ")
    return f"{VERBS.get(verb, verb.replace('_', ' ').capitalize())} {thing}".strip()


def audit_log(
    session: Session,
    access: Access,
    plan_id: int,
    actor: str | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 2000,
) -> pd.DataFrame:
    """The plan's audit events, newest first, filtered by actor, action (full, or its verb or record type) and dates.

    `since` and `until` are days (UTC), both included.
    """
    access.require(Role.VIEWER, plan_id)
    a = AuditEvent
    query = select(a.id, a.at, a.actor, a.role, a.action, a.entity, a.entity_id, a.before, a.after)
    query = query.where(a.plan_id == plan_id).order_by(col(a.id).desc())
    if actor:
        query = query.where(a.actor == actor)
    if action:
        query = query.where(_action_matches(action))
    if since:
        query = query.where(col(a.at) >= _midnight(since))
    if until:
        query = query.where(col(a.at) < _midnight(until + timedelta(days=1)))
    return _audit_table(session.execute(query.limit(limit)).all())


def _action_matches(action: str) -> Any:
    column = col(AuditEvent.action)
    return or_(
        column == action,
        column.startswith(f"{action}.", autoescape=True),
        column.endswith(f".{action}", autoescape=True),
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _audit_table(rows: list[Any]) -> pd.DataFrame:
    records = [
        (r.id, r.at, r.actor, r.role, describe_action(r.action, r.entity), r.action, r.entity.replace("_", " "),
         r.entity_id, r.before, r.after)
        for r in rows
    ]  # fmt: skip
    return pd.DataFrame(records, columns=AUDIT_COLUMNS)


def audit_choices(session: Session, access: Access, plan_id: int) -> tuple[list[str], list[str]]:
    """The actors and actions that occur in the plan's audit log, for filter lists."""
    access.require(Role.VIEWER, plan_id)
    a = AuditEvent
    actors = session.execute(select(a.actor).where(a.plan_id == plan_id).distinct().order_by(a.actor)).scalars()
    actions = session.execute(select(a.action).where(a.plan_id == plan_id).distinct().order_by(a.action)).scalars()
    return list(actors), list(actions)
