"""Generic, checked writes of a plan's child records: role, plan ownership, version, revision, audit.

Concept modules (context, culture, capabilities, …) validate their own fields and
then call add / update / remove here, so every write follows the same rules.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session, SQLModel

from planner.access import Access, Role
from planner.db import Conflict, bump_revision, versioned_update
from planner.document import TREE
from planner.history import record_event, row_dict
from planner.validation import InvalidInput

OWNERS: dict[str, tuple[str, str]] = {}  # table → (owner column, owner table)
for _model, _column in TREE:
    _table = _model.__table__  # type: ignore[attr-defined]
    OWNERS[_table.name] = (_column, next(iter(_table.c[_column].foreign_keys)).column.table.name)
MODELS = {model.__table__.name: model for model, _ in TREE}  # type: ignore[attr-defined]


class RecordNotFound(LookupError):
    """The record does not exist in this plan (deleted, or another plan's)."""


def _table(model: type[SQLModel]) -> Any:
    return model.__table__  # type: ignore[attr-defined]


def plan_of(session: Session, table_name: str, row_id: int) -> int | None:
    """The id of the plan a record belongs to, following owner links up to the plan."""
    while table_name != "plan":
        column, owner_table = OWNERS[table_name]
        table = _table(MODELS[table_name])
        found = session.execute(select(table.c[column]).where(table.c.id == row_id)).first()
        if found is None:
            return None
        table_name, row_id = owner_table, found[0]
    return row_id


def _check_links(session: Session, model: type[SQLModel], values: dict[str, Any], plan_id: int) -> None:
    """Refuse foreign keys that point at another plan's records."""
    for column in _table(model).columns:
        value = values.get(column.name)
        targets = [fk.column.table.name for fk in column.foreign_keys]
        if value is None or not targets or column.name == "plan_id":
            continue
        if targets[0] in OWNERS and plan_of(session, targets[0], value) != plan_id:
            raise InvalidInput(
                f"{column.name.removesuffix('_id').replace('_', ' ').capitalize()} {value} is not part of this plan."
            )


def add(
    session: Session,
    access: Access,
    model: type[SQLModel],
    plan_id: int,
    values: dict[str, Any],
    minimum: Role = Role.EDITOR,
) -> int:
    """Insert a child record of the plan; return its id."""
    access.require(minimum, plan_id)
    table = _table(model)
    if "plan_id" in table.c:
        values = {**values, "plan_id": plan_id}
    _check_links(session, model, values, plan_id)
    row = model(**values)
    session.add(row)
    session.flush()
    bump_revision(session, plan_id)
    record_event(
        session,
        access,
        f"{table.name}.create",
        plan_id=plan_id,
        entity=table.name,
        entity_id=row.id,
        after=row_dict(row),
    )  # type: ignore[attr-defined]
    return row.id  # type: ignore[attr-defined,return-value]


def _existing(session: Session, model: type[SQLModel], row_id: int, plan_id: int) -> SQLModel:
    row = session.get(model, row_id)
    if row is None or plan_of(session, _table(model).name, row_id) != plan_id:
        raise RecordNotFound(f"This {_table(model).name.replace('_', ' ')} no longer exists in this plan.")
    return row


def update(
    session: Session,
    access: Access,
    model: type[SQLModel],
    row_id: int,
    seen_version: int,
    values: dict[str, Any],
    plan_id: int,
    minimum: Role = Role.EDITOR,
) -> int:
    """Change a record if nobody else has since `seen_version`; return the new version."""
    access.require(minimum, plan_id)
    if "plan_id" in values or "id" in values:
        raise InvalidInput("A record's id and plan cannot be changed.")
    before = row_dict(_existing(session, model, row_id, plan_id)) or {}
    _check_links(session, model, values, plan_id)
    version = versioned_update(session, model, row_id, seen_version, values)
    bump_revision(session, plan_id)
    table = _table(model).name
    record_event(
        session,
        access,
        f"{table}.update",
        plan_id=plan_id,
        entity=table,
        entity_id=row_id,
        before={key: before.get(key) for key in values},
        after=values,
    )
    return version


def remove(
    session: Session,
    access: Access,
    model: type[SQLModel],
    row_id: int,
    seen_version: int,
    plan_id: int,
    minimum: Role = Role.EDITOR,
) -> None:
    """Delete a record (and what it owns) if nobody has changed it since `seen_version`."""
    access.require(minimum, plan_id)
    before = row_dict(_existing(session, model, row_id, plan_id))
    table = _table(model)
    done = session.execute(delete(table).where(table.c.id == row_id, table.c.version == seen_version))
    if done.rowcount != 1:
        raise Conflict(f"Someone else changed this {table.name.replace('_', ' ')} since you opened it.")
    bump_revision(session, plan_id)
    record_event(
        session, access, f"{table.name}.delete", plan_id=plan_id, entity=table.name, entity_id=row_id, before=before
    )
