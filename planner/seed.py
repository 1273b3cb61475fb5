"""Idempotent loading of the intervention library and the demo plan."""

from __future__ import annotations

from sqlmodel import Session, select

from planner.access import Access, Role
from planner.db import lock_for
from planner.document import insert_document
from planner.framework import read_seed
from planner.history import record_event
from planner.models import Intervention, Plan

DEMO_FILE = "demo_plan.json"


def seed(session: Session) -> int:
    """Add library interventions that are missing; return how many were added."""
    lock_for(session, "seed")
    known = set(session.exec(select(Intervention.key)))
    fresh = [Intervention(**item) for item in _library() if item["key"] not in known]
    session.add_all(fresh)
    session.flush()
    return len(fresh)


def _library() -> list[dict]:
    return [
        {**{k: v for k, v in item.items() if k != "elements"}, "element_keys": item["elements"]}
        for item in read_seed("interventions.json")
    ]


def demo_plan_id(session: Session) -> int | None:
    """The id of the demo plan, if one is loaded."""
    query = select(Plan.id).where(Plan.origin == "demo").order_by(Plan.id)
    return session.exec(query).first()


def load_demo(session: Session, access: Access) -> int:
    """Load the demo plan unless it is already there; return its id."""
    access.require(Role.OWNER)
    seed(session)
    lock_for(session, "demo")
    existing = demo_plan_id(session)
    if existing is not None:
        return existing
    plan_id = insert_document(session, read_seed(DEMO_FILE), origin="demo")
    record_event(session, access, "plan.demo", plan_id=plan_id, entity="plan", entity_id=plan_id)
    return plan_id
