"""Share links: tokens that grant a role on one plan (or one survey round), stored only as hashes (DESIGN §5)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Row, or_, select, update
from sqlmodel import Session

from planner.access import Access, PermissionDenied, Role
from planner.db import bump_revision, read_frame, utcnow, versioned_update
from planner.history import record_event
from planner.models import Plan, ShareLink, SurveyRound
from planner.plans import PlanNotFound
from planner.validation import InvalidInput, limited_text

SHAREABLE = (Role.VIEWER, Role.EDITOR, Role.PARTICIPANT)
TOKEN_BYTES = 32
TOKEN_LENGTH = 43  # secrets.token_urlsafe(32): 32 random bytes as unpadded URL-safe base64
TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]+")
STAMP_INTERVAL = timedelta(minutes=1)
MAX_EXPIRY = timedelta(days=5 * 365)
EXPIRY_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
LIST_COLUMNS = ["Id", "Label", "Role", "Round", "Created", "Expires", "Revoked", "Last used", "Status"]
WHEN_COLUMNS = ("Created", "Expires", "Revoked", "Last used")
ASK = "Ask whoever shared it with you for a new link."
_LINKS: Any = ShareLink.__table__  # type: ignore[attr-defined]


class LinkRefused(PermissionDenied):
    """A share link that is unknown, malformed, expired or revoked; `reason` says which."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # invalid | expired | revoked


class LinkNotFound(LookupError):
    """No share link has that id (in this plan)."""


@dataclass(frozen=True)
class CreatedLink:
    """A new link: its token is shown this once and never stored."""

    id: int
    token: str = field(repr=False)  # kept out of reprs, so tracebacks and logs never show it
    url: str = field(repr=False)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utc(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything the planner stores is UTC.
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _day(value: datetime) -> str:
    return f"{value.day} {value:%b %Y}"


def _link(session: Session, condition: Any) -> Row[Any] | None:
    # Core rows rather than ORM objects: a row cached in the session's identity map could hide a revocation.
    return session.execute(select(_LINKS).where(condition)).first()


def _require_plan(session: Session, plan_id: int) -> None:
    if session.execute(select(Plan.id).where(Plan.id == plan_id)).first() is None:
        raise PlanNotFound(f"There is no plan {plan_id}. It may have been deleted.")


def parse_expiry(text: str) -> timedelta:
    """A duration written as <n>h, <n>d or <n>w (such as 14d); InvalidInput otherwise."""
    match = re.fullmatch(r"\s*([0-9]{1,6})\s*([hdw])\s*", str(text).lower())
    if match is None or int(match[1]) == 0:
        raise InvalidInput(f"An expiry looks like 12h, 14d or 2w (hours, days or weeks), not {text!r}.")
    return timedelta(**{EXPIRY_UNITS[match[2]]: int(match[1])})


def _expiry(expires_in: timedelta | None) -> datetime | None:
    if expires_in is None:
        return None
    if expires_in <= timedelta(0):
        raise InvalidInput("A link's expiry must be in the future.")
    if expires_in > MAX_EXPIRY:
        raise InvalidInput("A link can last at most five years (or leave the expiry empty: no expiry).")
    return utcnow() + expires_in


def _check_round(session: Session, plan_id: int, role: Role, round_id: int | None) -> None:
    if role != Role.PARTICIPANT:
        if round_id is not None:
            raise InvalidInput("Only a participant link belongs to a survey round; leave the round empty.")
        return
    if round_id is None:
        raise InvalidInput("A participant link needs the survey round it is for.")
    found = session.execute(select(SurveyRound.plan_id).where(SurveyRound.id == round_id)).scalar_one_or_none()
    if found != plan_id:
        raise InvalidInput(f"Survey round {round_id} is not part of this plan.")


def _link_values(
    session: Session, plan_id: int, role: str, label: str, expires_in: timedelta | None, round_id: int | None
) -> dict[str, Any]:
    _require_plan(session, plan_id)
    if role not in SHAREABLE:
        raise InvalidInput(f"A link makes someone a viewer, an editor or a participant, not {role!r}.")
    _check_round(session, plan_id, Role(role), round_id)
    # Labels are one line: they are shown in tables and in the command line's tab-separated listing.
    clean_label = limited_text(" ".join(str(label or "").split()), "Label", 120)
    return {"role": str(Role(role)), "label": clean_label, "round_id": round_id, "expires_at": _expiry(expires_in)}


def create_link(
    session: Session,
    access: Access,
    plan_id: int,
    role: str,
    label: str = "",
    expires_in: timedelta | None = None,
    round_id: int | None = None,
    *,
    base_url: str,
) -> CreatedLink:
    """Create a link granting `role` on the plan (a participant link: on one survey round); owners only."""
    access.require(Role.OWNER, plan_id)
    values = _link_values(session, plan_id, role, label, expires_in, round_id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = ShareLink(**values, plan_id=plan_id, token_hash=_digest(token), created_by=access.actor)
    session.add(row)
    session.flush()
    bump_revision(session, plan_id)
    # Viewers can read the audit trail: it records what the link grants, never its token or hash.
    record_event(
        session, access, "share_link.create", plan_id=plan_id, entity="share_link", entity_id=row.id, after=values
    )
    return CreatedLink(row.id, token, f"{base_url.rstrip('/')}/?token={token}")  # type: ignore[arg-type]


def _well_formed(token: object) -> bool:
    return isinstance(token, str) and len(token) == TOKEN_LENGTH and TOKEN_CHARS.fullmatch(token) is not None


def _check_live(link: Row[Any], now: datetime) -> None:
    if link.role not in SHAREABLE:  # a row written by hand: links never make anyone an owner
        raise LinkRefused(f"This link is not valid. {ASK}", "invalid")
    if link.revoked_at is not None:
        raise LinkRefused(f"This link was revoked on {_day(_utc(link.revoked_at))}. {ASK}", "revoked")  # type: ignore[arg-type]
    expires = _utc(link.expires_at)
    if expires is not None and expires <= now:
        raise LinkRefused(f"This link expired on {_day(expires)}. {ASK}", "expired")


def _stamp_use(session: Session, link: Row[Any], now: datetime) -> None:
    # Pages rerun on every click: stamping each resolve would turn every reader into a writer (on SQLite,
    # one write lock per click for forty phones in a workshop), and "last used" needs no better than a
    # minute. The SQL repeats the condition so that concurrent reruns write once. This is bookkeeping,
    # not an edit: it leaves `version` alone (an owner revoking at that moment must not get a Conflict),
    # and the plan revision (live views would refresh for nothing) and the audit trail too.
    last = _utc(link.last_used_at)
    if last is not None and now - last < STAMP_INTERVAL:
        return
    stale = or_(_LINKS.c.last_used_at.is_(None), _LINKS.c.last_used_at <= now - STAMP_INTERVAL)
    session.execute(update(_LINKS).where(_LINKS.c.id == link.id, stale).values(last_used_at=now))


def resolve_token(session: Session, token: str, now: datetime | None = None) -> Access:
    """The access a share link grants; LinkRefused if it is unknown, malformed, expired or revoked.

    Run it in a write_session: it stamps the link's last use (at most once a minute) in that transaction.
    """
    now = _utc(now) or utcnow()
    link = _live_link(session, token, now)
    _stamp_use(session, link, now)
    return _grant(link)


def check_token(session: Session, token: str, now: datetime | None = None) -> Access:
    """Like resolve_token, but read-only: for live views that re-check a link every few seconds."""
    return _grant(_live_link(session, token, _utc(now) or utcnow()))


def _live_link(session: Session, token: str, now: datetime) -> Row[Any]:
    if not _well_formed(token):  # refused before any query: nothing attacker-sized reaches the database
        raise LinkRefused(f"This link is not valid. Check that you copied all of it. {ASK}", "invalid")
    digest = _digest(token)
    # Looking the link up by its hash is safe: any timing difference in the index lookup can only tell an
    # attacker about SHA-256 digests of tokens they chose, which says nothing about stored tokens (finding
    # a token for a given digest is a preimage attack). The constant-time compare guards the final check.
    link = _link(session, _LINKS.c.token_hash == digest)
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        raise LinkRefused(f"This link is not valid. Check that you copied all of it. {ASK}", "invalid")
    _check_live(link, now)
    return link


def _grant(link: Row[Any]) -> Access:
    role = Role(link.role)
    return Access(role=role, plan_id=link.plan_id, actor=link.label or f"{role} link", round_id=link.round_id)


def _status(revoked: Any, expires: Any, now: datetime) -> str:
    if not pd.isna(revoked):
        return "revoked"
    return "expired" if not pd.isna(expires) and expires <= now else "active"


def list_links(session: Session, access: Access, plan_id: int, now: datetime | None = None) -> pd.DataFrame:
    """The plan's share links with their status, oldest first (never their tokens or hashes); owners only."""
    access.require(Role.OWNER, plan_id)
    _require_plan(session, plan_id)
    s, r = _LINKS.c, SurveyRound
    query = (
        select(s.id, s.label, s.role, r.name, s.created_at, s.expires_at, s.revoked_at, s.last_used_at)
        .select_from(_LINKS)
        .outerjoin(r, r.id == s.round_id)
        .where(s.plan_id == plan_id)
        .order_by(s.id)
    )
    frame = read_frame(session, query, LIST_COLUMNS[:-1])
    for column in WHEN_COLUMNS:
        frame[column] = pd.to_datetime(frame[column], utc=True)  # naive (SQLite) values are UTC
    now = _utc(now) or utcnow()
    frame["Status"] = [_status(rv, ex, now) for rv, ex in zip(frame["Revoked"], frame["Expires"], strict=True)]
    return frame


def link_plan(session: Session, access: Access, link_id: int) -> int:
    """The id of the plan a share link belongs to; for owners of every plan (the command line)."""
    access.require(Role.OWNER)
    link = _link(session, _LINKS.c.id == link_id)
    if link is None:
        raise LinkNotFound(f"There is no share link {link_id}.")
    return link.plan_id


def revoke_link(session: Session, access: Access, plan_id: int, link_id: int) -> None:
    """Revoke a link from its next use on; revoking a revoked link changes nothing. Owners only."""
    access.require(Role.OWNER, plan_id)
    link = _link(session, _LINKS.c.id == link_id)
    if link is None or link.plan_id != plan_id:
        raise LinkNotFound(f"There is no share link {link_id} in this plan.")
    if link.revoked_at is not None:
        return
    now = utcnow()
    versioned_update(session, ShareLink, link_id, link.version, {"revoked_at": now})
    bump_revision(session, plan_id)
    after = {"revoked_at": now, "role": link.role, "label": link.label}
    record_event(
        session,
        access,
        "share_link.revoke",
        plan_id=plan_id,
        entity="share_link",
        entity_id=link_id,
        before={"revoked_at": None},
        after=after,
    )
