"""The audit trail: every write records who did what, when, before and after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session, SQLModel, col

from planner.access import Access, Role
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
    return pd.DataFrame(session.execute(query).all(), columns=["When", "Who", "Role", "Action", "Record", "Id"])
