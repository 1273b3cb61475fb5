"""Run one planner write in one transaction, turning expected failures into messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import streamlit as st
from sqlmodel import Session

from planner.access import Access, PermissionDenied
from planner.db import Conflict, write_session
from planner.document import DocumentError
from planner.plans import PlanNotFound
from planner.records import RecordNotFound
from planner.ui import flash
from planner.ui.frame import context
from planner.ui.text import plain
from planner.validation import InvalidInput

T = TypeVar("T")
CONFLICT_KEY = "planner_conflict"


@dataclass(frozen=True)
class PendingConflict:
    """An edit that hit a newer version: the conflict, and the action to replay if the user overwrites."""

    conflict: Conflict
    action: Callable[[Session, Access], Any]
    form: str = ""  # the session-state prefix of the form that made the edit, if it keeps its own state


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """The result of one attempted write: a value, or the message explaining why not."""

    ok: bool
    value: T | None = None
    error: str = ""


def attempt(action: Callable[[Session, Access], T], form: str = "") -> Outcome[T]:
    """Run action(session, access) in one write transaction; expected failures become messages.

    `form`: the prefix of a form whose values and seen version live in session state under it
    (`<form>seen` is the version it edits), so the conflict dialog can reset or rebase it.
    """
    ctx = context()
    try:
        with write_session(ctx.engine) as session:
            return Outcome(True, action(session, ctx.access))
    except Conflict as error:
        if error.resolvable:  # the page's header opens the conflict dialog on the next run
            st.session_state[CONFLICT_KEY] = PendingConflict(error, action, form)
            return Outcome(False, error=f"{error} Choose in the dialog which version to keep.")
        return Outcome(False, error=f"{error} Nothing was saved: reload to see the latest version, then try again.")
    except (InvalidInput, PermissionDenied, PlanNotFound, RecordNotFound, DocumentError) as error:
        return Outcome(False, error=str(error))


def write(action: Callable[[Session, Access], T], success: str = "") -> T | None:
    """Attempt a write from a callback and flash its outcome on the next run."""
    outcome = attempt(action)
    if not outcome.ok:
        flash.error(plain(outcome.error))
    elif success:
        flash.success(success)
    return outcome.value


def forget(prefix: str) -> None:
    """Drop every session-state value under `prefix`, so a form reopens on the latest version."""
    if not prefix:  # an empty prefix would clear the whole session
        return
    for key in [key for key in st.session_state if str(key).startswith(prefix)]:
        del st.session_state[key]
