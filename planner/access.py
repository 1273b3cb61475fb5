"""Roles, the Access value every planner function receives, and PermissionDenied."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"
    PARTICIPANT = "participant"


_RANK = {Role.PARTICIPANT: 0, Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}


class PermissionDenied(Exception):
    """The caller's role does not allow this action on this plan."""


@dataclass(frozen=True)
class Access:
    """Who is acting, with which role, on which plan (None: every plan, owners only)."""

    role: Role
    plan_id: int | None = None
    actor: str = "local user"
    round_id: int | None = None

    def __post_init__(self) -> None:
        if self.role != Role.OWNER and self.plan_id is None:
            raise ValueError("Only an owner's access may span every plan; give the plan for any other role.")

    def allows(self, minimum: Role, plan_id: int | None = None) -> bool:
        """True when this access has at least `minimum` on `plan_id`."""
        if self.role == Role.PARTICIPANT and minimum != Role.PARTICIPANT:
            return False
        if _RANK[self.role] < _RANK[minimum]:
            return False
        return self.plan_id is None or plan_id == self.plan_id

    def require(self, minimum: Role, plan_id: int | None = None) -> None:
        """Raise PermissionDenied unless this access has at least `minimum` on `plan_id`."""
        if not self.allows(minimum, plan_id):
            what = f"plan {plan_id}" if plan_id is not None else "all plans"
            raise PermissionDenied(f"A {self.role} link cannot do this on {what}.")

    @property
    def can_edit(self) -> bool:
        """True when this access may change plan content."""
        return self.role in (Role.OWNER, Role.EDITOR)


def owner(actor: str = "local user") -> Access:
    """Full access to every plan: the local-mode user or the admin token."""
    return Access(role=Role.OWNER, actor=actor)
