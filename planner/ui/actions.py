"""Run one planner write in one transaction, turning expected failures into messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlmodel import Session

from planner.access import Access, PermissionDenied
from planner.db import Conflict, write_session
from planner.document import DocumentError
from planner.plans import PlanNotFound
from planner.records import RecordNotFound
from planner.ui import flash
from planner.ui.frame import context
from planner.validation import InvalidInput

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """The result of one attempted write: a value, or the message explaining why not."""

    ok: bool
    value: T | None = None
    error: str = ""


def attempt(action: Callable[[Session, Access], T]) -> Outcome[T]:
    """Run action(session, access) in one write transaction; expected failures become messages."""
    ctx = context()
    try:
        with write_session(ctx.engine) as session:
            return Outcome(True, action(session, ctx.access))
    except Conflict as error:
        return Outcome(False, error=f"{error} Nothing was saved: reload to see the latest version, then try again.")
    except (InvalidInput, PermissionDenied, PlanNotFound, RecordNotFound, DocumentError) as error:
        return Outcome(False, error=str(error))


def write(action: Callable[[Session, Access], T], success: str = "") -> T | None:
    """Attempt a write from a callback and flash its outcome on the next run."""
    outcome = attempt(action)
    if not outcome.ok:
        flash.error(outcome.error)
    elif success:
        flash.success(success)
    return outcome.value
