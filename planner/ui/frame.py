"""Per-run context: settings, cached engine, the caller's access and the open plan."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine

from planner import plans, sharing
from planner.access import Access, owner
from planner.db import DatabaseUnavailable, read_session, write_session
from planner.migration import SchemaError, open_database
from planner.plans import PlanNotFound, PlanView
from planner.settings import Settings, SettingsError, load_settings
from planner.ui import flash

T = TypeVar("T")
CONTEXT_KEY = "planner_context"
PLAN_KEY = "plan_id"
TOKEN_KEY = "planner_token"


@dataclass(frozen=True)
class Context:
    """What every page needs for this run."""

    settings: Settings
    engine: Engine
    access: Access
    plan: PlanView | None


@st.cache_resource(show_spinner="Opening the database…")
def _engine(url: str, _settings: Settings) -> Engine:
    return open_database(_settings)


def _settings_and_engine() -> tuple[Settings, Engine]:
    try:
        settings = load_settings()
        return settings, _engine(settings.database_url, settings)
    except (SettingsError, DatabaseUnavailable, SchemaError) as error:
        st.error(f"**The planner cannot start.** {error}", icon=":material/error:")
        st.stop()
        raise  # unreachable: st.stop ends the run


def _access(settings: Settings, engine: Engine) -> Access:
    token = st.query_params.get("token") or st.session_state.get(TOKEN_KEY, "")
    if token:
        # Keep the token in the URL so a reload works, and re-check it on every run so a
        # revoked or expired link stops working at the holder's next interaction.
        st.session_state[TOKEN_KEY] = st.query_params["token"] = token
        if settings.admin_token and secrets.compare_digest(token, settings.admin_token):
            return owner("administrator")
        return _link_access(engine, token)
    if settings.is_local:
        return owner()
    st.info(
        "This planner is hosted. Open it with the link you were given, or ask your facilitator for one.",
        icon=":material/lock:",
    )
    st.stop()
    raise AssertionError("unreachable")


def _link_access(engine: Engine, token: str) -> Access:
    try:
        with write_session(engine) as session:
            return sharing.resolve_token(session, token)
    except sharing.LinkRefused as refused:
        st.session_state.pop(TOKEN_KEY, None)
        st.query_params.pop("token", None)
        st.error(str(refused), icon=":material/link_off:")
        st.stop()
        raise AssertionError("unreachable") from refused


def start() -> Context:
    """Resolve settings, database, access and the open plan; stop the run with a clear message on failure."""
    settings, engine = _settings_and_engine()
    access = _access(settings, engine)
    context = Context(settings, engine, access, _open_plan(engine, access))
    st.session_state[CONTEXT_KEY] = context
    return context


def _requested_plan(access: Access) -> int | None:
    if access.plan_id is not None:  # a link opens its own plan, whatever the URL says
        return access.plan_id
    raw = st.query_params.get("plan")
    if raw is None:
        return st.session_state.get(PLAN_KEY)
    try:
        return int(raw)
    except ValueError:
        flash.error(f"“{raw}” is not a plan number. Choose a plan below.")
        return None


def _open_plan(engine: Engine, access: Access) -> PlanView | None:
    plan_id = _requested_plan(access)
    if plan_id is None:
        st.query_params.pop("plan", None)
        return None
    try:
        with read_session(engine) as session:
            plan = plans.get_plan(session, access, plan_id, with_progress=False)  # progress: home, summary only
    except PlanNotFound as error:
        flash.error(f"{error} Choose another plan.")
        open_plan(None)
        return None
    st.session_state[PLAN_KEY] = plan.id
    st.query_params["plan"] = str(plan.id)
    return plan


def open_plan(plan_id: int | None) -> None:
    """Make plan_id the open plan for this browser session (None closes it)."""
    st.session_state[PLAN_KEY] = plan_id
    if plan_id is None:
        st.query_params.pop("plan", None)
    else:
        st.query_params["plan"] = str(plan_id)


def context() -> Context:
    """The context that app.py resolved for this run."""
    return st.session_state[CONTEXT_KEY]


def read_plan(loader: Callable[..., T], *args: Any) -> T:
    """Run loader(session, access, open plan id, *args) in a short read session."""
    ctx = context()
    if ctx.plan is None:
        raise LookupError("No plan is open.")
    with read_session(ctx.engine) as session:
        return loader(session, ctx.access, ctx.plan.id, *args)
