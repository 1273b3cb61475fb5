"""The plan file: one JSON document holding a plan and every child record (DESIGN §4).

Each record carries a stable "ref" ("<table>-<n>", numbered in id order) and
foreign keys hold refs instead of ids, so that
export → import → export yields the same document.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, String, UniqueConstraint, select
from sqlmodel import Session, SQLModel
from sqlmodel.sql.sqltypes import AutoString

from planner import models as m

FORMAT_VERSION = 1
SKIPPED = {"id", "version", "created_at", "updated_at", "plan_id"}
PLAN_SKIPPED = SKIPPED | {"revision", "origin"}

# Child tables in insertion order, each with the column tying it to its owner.
TREE: list[tuple[type[SQLModel], str]] = [
    (m.CulturalElement, "plan_id"),
    (m.ElementQuestion, "element_id"),
    (m.ContextItem, "plan_id"),
    (m.SurveyRound, "plan_id"),
    (m.SurveyResponse, "round_id"),
    (m.SurveyRating, "response_id"),
    (m.SurveyComment, "round_id"),
    (m.SurveyTally, "round_id"),
    (m.LeadershipTier, "plan_id"),
    (m.BandMapping, "plan_id"),
    (m.Capability, "plan_id"),
    (m.CapabilityRating, "capability_id"),
    (m.WorkforceAggregate, "plan_id"),
    (m.WorkforceBenchmark, "plan_id"),
    (m.LeadershipQuality, "plan_id"),
    (m.Priority, "plan_id"),
    (m.Objective, "plan_id"),
    (m.Means, "plan_id"),
    (m.Initiative, "plan_id"),
    (m.InitiativeLink, "initiative_id"),
    (m.Milestone, "initiative_id"),
    (m.CheckIn, "initiative_id"),
]


Refs = dict[str, tuple[str, int]]  # a record's ref → (its table, the id it was inserted as)


class DocumentError(ValueError):
    """A plan document is malformed; the message names the record and field."""


def _table(model: type[SQLModel]) -> Any:
    return model.__table__  # type: ignore[attr-defined]


def _fk_target(column: Column) -> str | None:
    for fk in column.foreign_keys:
        return fk.column.table.name
    return None


def plan_document(session: Session, plan_id: int) -> dict[str, Any]:
    """The whole plan as a JSON-ready document with stable keys instead of ids."""
    plan = session.get(m.Plan, plan_id)
    if plan is None:
        raise LookupError(f"No plan with id {plan_id}.")
    keys: dict[tuple[str, int], str] = {("plan", plan_id): "plan"}
    records = {_table(model).name: _export_rows(session, model, owner, keys) for model, owner in TREE}
    plan_fields = {c.name: _dump(getattr(plan, c.name)) for c in _table(m.Plan).columns if c.name not in PLAN_SKIPPED}
    return {"format_version": FORMAT_VERSION, "plan": plan_fields, "records": records}


def _export_rows(
    session: Session, model: type[SQLModel], owner: str, keys: dict[tuple[str, int], str]
) -> list[dict[str, Any]]:
    table = _table(model)
    owner_table = _fk_target(table.c[owner])
    owner_ids = [row_id for (name, row_id) in keys if name == owner_table]
    rows = session.execute(select(table).where(table.c[owner].in_(owner_ids)).order_by(table.c.id)).all()
    out = []
    for n, row in enumerate(rows, start=1):
        keys[(table.name, row.id)] = f"{table.name}-{n}"
        out.append(_export_row(table, row, keys))
    return out


def _export_row(table: Any, row: Any, keys: dict[tuple[str, int], str]) -> dict[str, Any]:
    record: dict[str, Any] = {"ref": keys[(table.name, row.id)]}
    for column in table.columns:
        if column.name in SKIPPED:
            continue
        value = getattr(row, column.name)
        target = _fk_target(column)
        record[column.name] = keys.get((target, value)) if target and value is not None else _dump(value)
    return record


def _dump(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def insert_document(session: Session, document: dict[str, Any], **plan_overrides: Any) -> int:
    """Insert the document as a new plan in the caller's transaction; return its id."""
    _check_shape(document)
    plan_values = {**_restore_fields(m.Plan, document["plan"], {}, "plan", PLAN_SKIPPED), **plan_overrides}
    if not str(plan_values.get("name") or "").strip():
        raise DocumentError("plan, field 'name': a plan needs a name.")
    plan = m.Plan(**plan_values)
    session.add(plan)
    session.flush()
    ids: Refs = {"plan": ("plan", plan.id)}  # type: ignore[dict-item]
    for model, _owner in TREE:
        _insert_rows(session, model, document["records"].get(_table(model).name, []), ids, plan.id)
    return plan.id  # type: ignore[return-value]


def _check_shape(document: Any) -> None:
    if not isinstance(document, dict) or not isinstance(document.get("plan"), dict):
        raise DocumentError("Not a plan file: expected a JSON object with a 'plan' section.")
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise DocumentError(f"Unsupported plan file format_version {version!r} (this planner reads {FORMAT_VERSION}).")
    records = document.get("records")
    if not isinstance(records, dict) or not all(isinstance(v, list) for v in records.values()):
        raise DocumentError("A plan file needs a 'records' section mapping table names to lists of records.")
    unknown = set(records) - {_table(model).name for model, _ in TREE}
    if unknown:
        raise DocumentError(f"Unknown record type(s) in plan file: {', '.join(sorted(unknown))}.")


def _insert_rows(session: Session, model: type[SQLModel], records: list[Any], ids: Refs, plan_id: int) -> None:
    table = _table(model)
    rows: dict[str, SQLModel] = {}
    for index, record in enumerate(records, start=1):
        where = f"{table.name} record {index}"
        if not isinstance(record, dict) or not isinstance(record.get("ref"), str):
            raise DocumentError(f"{where}: each record needs a string 'ref'.")
        if record["ref"] in ids or record["ref"] in rows:
            raise DocumentError(f"{where}: the ref {record['ref']!r} is used twice.")
        values = _restore_fields(model, record, ids, where, SKIPPED)
        if "plan_id" in table.c:
            values["plan_id"] = plan_id
        rows[record["ref"]] = model(**values)
    _check_unique(table, list(rows.values()))
    session.add_all(rows.values())
    session.flush()
    ids.update((ref, (table.name, row.id)) for ref, row in rows.items())  # type: ignore[misc]


def _check_unique(table: Any, rows: list[SQLModel]) -> None:
    """Refuse records that would break a unique constraint (defaults included), before the database does."""
    for constraint in table.constraints:
        if not isinstance(constraint, UniqueConstraint):
            continue
        names = [c.name for c in constraint.columns]
        seen: dict[tuple[Any, ...], int] = {}
        for index, row in enumerate(rows, start=1):
            key = tuple(getattr(row, name) for name in names)
            if key in seen:
                raise DocumentError(f"{table.name} records {seen[key]} and {index} share {', '.join(names)} {key!r}.")
            seen[key] = index


def _restore_fields(
    model: type[SQLModel], record: dict[str, Any], ids: Refs, where: str, skipped: set[str]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in _table(model).columns:
        if column.name in skipped or column.name not in record:
            continue
        values[column.name] = _restore(column, record[column.name], ids, f"{where}, field '{column.name}'")
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    missing = [name for name in required if name not in values and name not in skipped]
    if missing:
        raise DocumentError(f"{where}: missing field(s) {', '.join(missing)}.")
    return values


def _restore(column: Column, value: Any, ids: Refs, where: str) -> Any:
    if value is None:
        if not column.nullable:
            raise DocumentError(f"{where}: a value is required.")
        return None
    target = _fk_target(column)
    if target:
        table, row_id = ids.get(value, ("", 0)) if isinstance(value, str) else ("", 0)
        if table != target:
            raise DocumentError(f"{where}: refers to {value!r}, which is not earlier in the file as a {target} record.")
        return row_id
    return _coerce(column, value, where)


INT_RANGE = range(-(2**31), 2**31)  # PostgreSQL INTEGER; keeps files portable between hosts


def _coerce(column: Column, value: Any, where: str) -> Any:
    kind = column.type
    if isinstance(kind, (Date, DateTime)):
        return _iso(kind, value, where)
    if isinstance(kind, JSON):
        if not isinstance(value, (list, dict)):
            raise DocumentError(f"{where}: expected a list, got {value!r}.")
        _check_texts(value, where)
        return value
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise DocumentError(f"{where}: expected true or false, got {value!r}.")
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int) or value not in INT_RANGE:
            raise DocumentError(f"{where}: expected a whole number, got {value!r} (the limit is ±2,147,483,647).")
        return value
    if isinstance(kind, (String, AutoString)) and not isinstance(value, str):
        raise DocumentError(f"{where}: expected text, got {value!r}.")
    _check_texts(value, where)
    return value


def _iso(kind: Any, value: Any, where: str) -> date | datetime:
    try:
        return datetime.fromisoformat(value) if isinstance(kind, DateTime) else date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise DocumentError(f"{where}: {value!r} is not an ISO date.") from error


def _check_texts(value: Any, where: str) -> None:
    """Refuse text no database can store the same way: NUL characters and lone surrogates."""
    if isinstance(value, str):
        if "\x00" in value:
            raise DocumentError(f"{where}: text contains a NUL character.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise DocumentError(f"{where}: text is not valid Unicode ({error.reason}).") from error
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_texts(item, where)
    elif isinstance(value, dict):
        for item in value.values():
            _check_texts(item, where)
