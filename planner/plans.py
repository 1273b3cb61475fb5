"""Plans: create from the framework or the demo, edit, clone, archive, delete, list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from planner import progress
from planner.access import Access, Role
from planner.db import bump_revision, versioned_update
from planner.document import insert_document, plan_document
from planner.framework import framework_document, read_seed
from planner.history import record_event, row_dict
from planner.models import Plan
from planner.seed import DEMO_FILE
from planner.validation import InvalidInput, date_range, limited_text, required_text

EDITABLE = ("name", "organisation", "sector", "horizon_start", "horizon_end", "description")
TEMPLATES = ("framework", "demo")


class PlanNotFound(LookupError):
    """No plan has that id (or the caller may not see it)."""


@dataclass(frozen=True)
class PlanView:
    """A plan's metadata as pages show it."""

    id: int
    name: str
    organisation: str
    sector: str
    horizon_start: date | None
    horizon_end: date | None
    description: str
    archived: bool
    origin: str
    version: int
    revision: int
    updated_at: datetime
    progress: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)

    def phase_fraction(self, phase: str) -> float:
        """Share of the phase's parts with content (0.0 to 1.0)."""
        return progress.fraction(self.progress.get(phase, []))


def _view(plan: Plan, parts: dict[str, list[tuple[str, bool]]] | None = None) -> PlanView:
    values = {name: getattr(plan, name) for name in PlanView.__dataclass_fields__ if name != "progress"}
    return PlanView(**values, progress=parts or {})


def list_plans(session: Session, access: Access, include_archived: bool = True) -> list[PlanView]:
    """The plans this access may see, newest activity first, with phase progress."""
    query = select(Plan).order_by(col(Plan.archived), col(Plan.updated_at).desc())
    if access.plan_id is not None:
        query = query.where(Plan.id == access.plan_id)
    if not include_archived:
        query = query.where(col(Plan.archived).is_(False))
    plans = [p for p in session.exec(query) if access.allows(Role.VIEWER, p.id)]
    parts = progress.phase_progress(session, [p.id for p in plans])  # type: ignore[misc]
    return [_view(p, parts[p.id]) for p in plans]  # type: ignore[index]


def get_plan(session: Session, access: Access, plan_id: int, with_progress: bool = True) -> PlanView:
    """One plan's metadata (and phase progress unless with_progress is False); PlanNotFound when absent."""
    access.require(Role.PARTICIPANT if access.role == Role.PARTICIPANT else Role.VIEWER, plan_id)
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise PlanNotFound(f"There is no plan {plan_id}. It may have been deleted.")
    return _view(plan, progress.phase_progress(session, [plan_id])[plan_id] if with_progress else None)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"Plans have no field(s) {', '.join(sorted(unknown))}.")
    clean = dict(values)
    if "name" in clean:
        clean["name"] = required_text(clean["name"], "Plan name", 120)
    for name in ("organisation", "sector"):
        if name in clean:
            clean[name] = limited_text(clean[name], name.capitalize(), 200)
    if "description" in clean:
        clean["description"] = limited_text(clean["description"], "Description", 5000)
    return clean


def create_plan(session: Session, access: Access, *, template: str = "framework", **values: Any) -> int:
    """Create a plan from the framework template or as a copy of the demo; return its id."""
    access.require(Role.OWNER)
    if template not in TEMPLATES:
        raise InvalidInput(f"Unknown template {template!r}; choose framework or demo.")
    clean = _clean(values)
    date_range(clean.get("horizon_start"), clean.get("horizon_end"), "Horizon")
    document = framework_document() if template == "framework" else read_seed(DEMO_FILE)
    plan_id = insert_document(session, document, **clean, origin="template" if template == "framework" else "clone")
    record_event(
        session,
        access,
        "plan.create",
        plan_id=plan_id,
        entity="plan",
        entity_id=plan_id,
        after=clean | {"template": template},
    )
    return plan_id


def update_plan(session: Session, access: Access, plan_id: int, seen_version: int, **values: Any) -> int:
    """Change a plan's metadata if nobody else has; return the new version."""
    access.require(Role.EDITOR, plan_id)
    clean = _clean(values)
    before = _existing(session, plan_id)
    date_range(
        clean.get("horizon_start", before.horizon_start), clean.get("horizon_end", before.horizon_end), "Horizon"
    )
    old = row_dict(before) or {}
    version = versioned_update(session, Plan, plan_id, seen_version, clean)
    bump_revision(session, plan_id)
    record_event(
        session,
        access,
        "plan.update",
        plan_id=plan_id,
        entity="plan",
        entity_id=plan_id,
        before={k: old[k] for k in clean},
        after=clean,
    )
    return version


def _existing(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise PlanNotFound(f"There is no plan {plan_id}. It may have been deleted.")
    return plan


def clone_plan(session: Session, access: Access, plan_id: int, name: str) -> int:
    """Copy a plan with all its content under a new name; return the copy's id."""
    access.require(Role.OWNER)
    _existing(session, plan_id)
    new_name = required_text(name, "Name of the copy", 120)
    new_id = insert_document(session, plan_document(session, plan_id), name=new_name, origin="clone")
    record_event(
        session,
        access,
        "plan.clone",
        plan_id=new_id,
        entity="plan",
        entity_id=new_id,
        after={"from_plan": plan_id, "name": new_name},
    )
    return new_id


def set_archived(session: Session, access: Access, plan_id: int, seen_version: int, archived: bool) -> int:
    """Archive or unarchive a plan; return the new version."""
    access.require(Role.OWNER, plan_id)
    _existing(session, plan_id)
    version = versioned_update(session, Plan, plan_id, seen_version, {"archived": archived})
    bump_revision(session, plan_id)
    record_event(
        session,
        access,
        "plan.archive" if archived else "plan.unarchive",
        plan_id=plan_id,
        entity="plan",
        entity_id=plan_id,
    )
    return version


def delete_plan(session: Session, access: Access, plan_id: int, typed_name: str) -> None:
    """Delete a plan and everything in it, once the user has typed its exact name."""
    access.require(Role.OWNER, plan_id)
    plan = _existing(session, plan_id)
    if typed_name.strip() != plan.name:
        raise InvalidInput(f"Type the plan's name exactly ({plan.name}) to delete it.")
    before = row_dict(plan)
    session.execute(delete(Plan).where(col(Plan.id) == plan_id))
    record_event(session, access, "plan.delete", plan_id=plan_id, entity="plan", entity_id=plan_id, before=before)


def revision(session: Session, access: Access, plan_id: int) -> int:
    """The plan's revision counter: live views poll it and redraw only when it moves."""
    access.require(Role.PARTICIPANT if access.role == Role.PARTICIPANT else Role.VIEWER, plan_id)
    value = session.execute(select(Plan.revision).where(Plan.id == plan_id)).scalar_one_or_none()
    if value is None:
        raise PlanNotFound(f"There is no plan {plan_id}. It may have been deleted.")
    return value
