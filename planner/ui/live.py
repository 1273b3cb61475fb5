"""Live pages: pick up other people's changes within seconds without disturbing what the user is doing."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import streamlit as st

from planner import plans
from planner.db import read_session
from planner.plans import PlanNotFound
from planner.ui.frame import context, recheck

LIVE_EVERY = timedelta(seconds=2)
SEEN_KEY = "planner_seen_revision"
DIALOG_KEY = "planner_dialog_open"
# Participants' vote pages are left alone: every vote bumps the revision, and forty phones rerunning
# on each other's votes would be work for nothing (the round's own state shows at their next click).
UNWATCHED = ("vote",)


def start_run() -> None:
    """Note, before the page runs, the plan revision it shows; no dialog is open yet."""
    st.session_state[SEEN_KEY] = _revision()
    st.session_state[DIALOG_KEY] = False


def _revision() -> int | None:
    ctx = context()
    if ctx.plan is None:
        return None
    try:
        with read_session(ctx.engine) as session:
            return plans.revision(session, ctx.access, ctx.plan.id)
    except PlanNotFound:
        return None


def watch(page_key: str) -> None:
    """Poll the open plan's revision and rerun the page when someone else changed the plan."""
    if page_key not in UNWATCHED and context().plan is not None:
        _watcher()


@st.fragment(run_every=LIVE_EVERY)
def _watcher() -> None:
    # A dialog is a fragment of its own: a full rerun now would close it and lose what is typed there.
    if st.session_state.get(DIALOG_KEY):
        return
    recheck()
    if _revision() != st.session_state.get(SEEN_KEY):
        st.rerun(scope="app")


def dialog(title: str, **options: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """st.dialog that holds live refreshes while it is open (closing it reruns the page)."""

    def decorate(body: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(body)
        def opened(*args: Any, **kwargs: Any) -> None:
            st.session_state[DIALOG_KEY] = True
            body(*args, **kwargs)

        return st.dialog(title, on_dismiss="rerun", **options)(opened)

    return decorate
