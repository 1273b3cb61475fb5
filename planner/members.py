"""People who sign in (OpenID Connect, hosted mode) and the role each has on a plan."""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import delete, select
from sqlmodel import Session

from planner.access import Access, Role
from planner.db import Conflict, bump_revision, read_frame
from planner.history import record_event
from planner.models import PlanMember
from planner.plans import get_plan
from planner.validation import InvalidInput

MEMBER_ROLES = (Role.OWNER, Role.EDITOR, Role.VIEWER)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
LIST_COLUMNS = ["id", "version", "Email", "Role", "Added"]


class MemberNotFound(LookupError):
    """No such member of this plan."""


def clean_email(text: str) -> str:
    """An email address, trimmed and lower-cased; InvalidInput when it does not look like one."""
    email = str(text or "").strip().lower()
    if len(email) > 254 or not EMAIL.fullmatch(email):
        raise InvalidInput(f"“{email or text}” is not an email address.")
    return email


def add_member(session: Session, access: Access, plan_id: int, email: str, role: str) -> int:
    """Let the person who signs in with `email` use the plan with `role`; owners only."""
    access.require(Role.OWNER, plan_id)
    get_plan(session, access, plan_id, with_progress=False)
    if role not in MEMBER_ROLES:
        raise InvalidInput(f"A signed-in member is an owner, an editor or a viewer, not {role!r}.")
    clean = clean_email(email)
    if session.execute(select(PlanMember.id).where(PlanMember.plan_id == plan_id, PlanMember.email == clean)).first():
        raise InvalidInput(f"{clean} is already a member of this plan; remove them first to change their role.")
    member = PlanMember(plan_id=plan_id, email=clean, role=str(Role(role)))
    session.add(member)
    session.flush()
    bump_revision(session, plan_id)
    after = {"email": clean, "role": member.role}
    record_event(
        session, access, "plan_member.create", plan_id=plan_id, entity="plan_member", entity_id=member.id, after=after
    )
    return member.id  # type: ignore[return-value]


def list_members(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """The plan's signed-in members, by email; owners only."""
    access.require(Role.OWNER, plan_id)
    m = PlanMember
    query = select(m.id, m.version, m.email, m.role, m.created_at).where(m.plan_id == plan_id).order_by(m.email)
    return read_frame(session, query, LIST_COLUMNS)


def remove_member(session: Session, access: Access, plan_id: int, member_id: int, seen_version: int) -> None:
    """Take a member's access to the plan away (from their next interaction on); owners only."""
    access.require(Role.OWNER, plan_id)
    member = session.execute(select(PlanMember).where(PlanMember.id == member_id)).scalar_one_or_none()
    if member is None or member.plan_id != plan_id:
        raise MemberNotFound("That member is no longer on this plan.")
    before = {"email": member.email, "role": member.role}
    gone = session.execute(delete(PlanMember).where(PlanMember.id == member_id, PlanMember.version == seen_version))
    if gone.rowcount != 1:
        raise Conflict("Someone else changed this member since you opened the list.")
    bump_revision(session, plan_id)
    record_event(
        session, access, "plan_member.delete", plan_id=plan_id, entity="plan_member", entity_id=member_id, before=before
    )


def member_access(session: Session, email: str, plan_id: int | None = None) -> Access | None:
    """The access a signed-in email has: on `plan_id` if a member of it, else on their first plan; None if none."""
    rows = session.execute(
        select(PlanMember.plan_id, PlanMember.role)
        .where(PlanMember.email == email.strip().lower())
        .order_by(PlanMember.plan_id)
    ).all()
    if not rows:
        return None
    chosen = next((row for row in rows if row.plan_id == plan_id), rows[0])
    return Access(role=Role(chosen.role), plan_id=chosen.plan_id, actor=email.strip().lower())


def member_plans(session: Session, email: str) -> list[int]:
    """The ids of the plans a signed-in email is a member of."""
    query = select(PlanMember.plan_id).where(PlanMember.email == email.strip().lower()).order_by(PlanMember.plan_id)
    return list(session.execute(query).scalars())
