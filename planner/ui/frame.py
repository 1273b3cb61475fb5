"""Per-run context: settings, cached engine, the caller's access and the open plan."""

from __future__ import annotations

import ipaddress
import secrets
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine

from planner import members, plans, sharing
from planner.access import Access, owner
from planner.db import DatabaseUnavailable, read_session, write_session
from planner.migration import SchemaError, open_database
from planner.plans import PlanNotFound, PlanView
from planner.settings import Settings, SettingsError, load_settings
from planner.throttle import Throttle
from planner.ui import flash, gate, memo

T = TypeVar("T")
CONTEXT_KEY = "planner_context"
PLAN_KEY = "plan_id"
TOKEN_KEY = "planner_token"
# Reads of the plan's own content: every write to it moves the plan's revision, so they can be remembered
# under it. Links, members, the list of snapshots and the audit log change in other ways and are always read
# afresh (a snapshot's own contents never change: history_views keeps them with `remembered`).
REMEMBERED = {f"planner.{name}" for name in ("capabilities", "context", "culture", "initiatives", "means",
                                               "priorities", "summary", "traceability", "workforce")}  # fmt: skip


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
        return _token_access(settings, engine, token)
    email = gate.signed_in_email()
    if email:
        return _member_access(settings, engine, email)
    if settings.is_local:
        return owner()
    gate.show(gate.welcome)


@st.cache_resource
def _throttle() -> Throttle:
    return Throttle()


def _client() -> str:
    """Who presents a token, for slowing down guessing; a proxy's forwarded address only from a private peer."""
    peer = st.context.ip_address
    peer = peer if isinstance(peer, str) else None  # None on localhost (and under AppTest)
    forwarded = str(st.context.headers.get("X-Forwarded-For") or "").split(",")[-1].strip()
    if forwarded and (peer is None or _private(peer)):
        return forwarded
    return peer or "localhost"


def _private(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_private
    except ValueError:
        return False


def _token_access(settings: Settings, engine: Engine, token: str) -> Access:
    # Keep the token in the URL so a reload works, and re-check it on every run so a
    # revoked or expired link stops working at the holder's next interaction.
    st.session_state[TOKEN_KEY] = st.query_params["token"] = token
    client = _client()
    time.sleep(_throttle().delay(client))
    try:
        access = _admin(settings, token) or _link_access(engine, token)
    except sharing.LinkRefused as refused:
        _throttle().failed(client)
        st.session_state.pop(TOKEN_KEY, None)
        st.query_params.pop("token", None)
        gate.show(partial(gate.welcome, str(refused), not settings.is_local))
    _throttle().succeeded(client)
    return access


def _admin(settings: Settings, token: str) -> Access | None:
    if settings.admin_token and secrets.compare_digest(token.encode(), settings.admin_token.encode()):
        return owner("administrator")
    return None


def _link_access(engine: Engine, token: str) -> Access:
    with write_session(engine) as session:
        return sharing.resolve_token(session, token)


def _member_access(settings: Settings, engine: Engine, email: str) -> Access:
    with read_session(engine) as session:
        access = _signed_in(settings, session, email, _plan_param())
    if access is None:
        gate.show(gate.not_a_member(email))
    return access  # type: ignore[return-value]


def _plan_param() -> int | None:
    raw = st.query_params.get("plan") or st.session_state.get(PLAN_KEY)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def holds_link() -> bool:
    """True when this session came in through a share link or the admin token."""
    return bool(st.session_state.get(TOKEN_KEY))


def recheck() -> None:
    """In a live fragment: rerun the whole app, which says why, once this session's link or membership is gone."""
    ctx = context()
    token = st.session_state.get(TOKEN_KEY)
    email = None if token else gate.signed_in_email()
    if (not token and not email) or (token and _admin(ctx.settings, token)):
        return
    with read_session(ctx.engine) as session:
        try:
            plan_id = ctx.access.plan_id
            still = sharing.check_token(session, token) if token else _signed_in(ctx.settings, session, email, plan_id)
        except sharing.LinkRefused:
            still = None
    if still != ctx.access:
        st.rerun(scope="app")


def _signed_in(settings: Settings, session: Any, email: str, plan_id: int | None) -> Access | None:
    if email in settings.admin_emails:
        return owner(email)
    return members.member_access(session, email, plan_id)


def start() -> Context:
    """Resolve settings, database, access and the open plan; stop the run with a clear message on failure."""
    settings, engine = _settings_and_engine()
    if not settings.is_local:  # clients of a hosted planner see no tracebacks and no developer menu
        st.set_option("client.showErrorDetails", "none")
        st.set_option("client.toolbarMode", "viewer")
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
        # Not echoed: a crafted address would otherwise put its own words (and a bare URL) in an alert.
        flash.error("The address asks for a plan that is not a plan number. Choose a plan below.")
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
    """loader(session, access, open plan id, *args) in a short read session, or the result of the same read with
    the same access while the plan's revision (and the day) are unchanged, kept in this process (memo.read)."""
    ctx = context()
    if ctx.plan is None:
        raise LookupError("No plan is open.")

    def run() -> T:
        with read_session(ctx.engine) as session:
            return loader(session, ctx.access, ctx.plan.id, *args)  # type: ignore[union-attr]

    if loader.__module__ not in REMEMBERED:
        return run()
    return memo.read(*_place(ctx), (ctx.access, loader.__module__, loader.__qualname__, args), run)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), kept as `read_plan` keeps its reads (under the open plan's revision, the day and the access):
    for work derived only from such reads, such as a table formatted for display, or from content that never
    changes (a snapshot's), that reruns need not redo."""
    ctx = context()
    if ctx.plan is None:
        return compute()
    return memo.read(*_place(ctx), (ctx.access, "derived", key), compute)


def _place(ctx: Context) -> tuple[Hashable, Hashable]:
    """The open plan (its database and id) and its state, under which memo.read keeps reads."""
    plan = ctx.plan
    return (ctx.engine.url, plan.id), (plan.revision, plan.updated_at, date.today())  # type: ignore[union-attr]
