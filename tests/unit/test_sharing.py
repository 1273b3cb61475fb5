"""Share links: hashed tokens, expiry, revocation, last use, roles and plan isolation."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, func, select
from sqlmodel import Session

from planner import models as m
from planner import plans, records, sharing
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import read_session, write_session
from planner.plans import PlanNotFound
from planner.sharing import CreatedLink, LinkNotFound, LinkRefused
from planner.validation import InvalidInput
from tests.conftest import database_rows

BASE = "https://planner.example.nhs.uk"
LATER = timedelta(days=3650)


def _create(engine: Engine, plan_id: int, role: str = "viewer", access: Access | None = None, **kwargs) -> CreatedLink:
    with write_session(engine) as session:
        return sharing.create_link(session, access or owner(), plan_id, role, base_url=BASE, **kwargs)


def _resolve(engine: Engine, token: str, now: datetime | None = None) -> Access:
    with write_session(engine) as session:
        return sharing.resolve_token(session, token, now=now)


def _revoke(engine: Engine, plan_id: int, link_id: int, access: Access | None = None) -> None:
    with write_session(engine) as session:
        sharing.revoke_link(session, access or owner(), plan_id, link_id)


def _link(engine: Engine, link_id: int) -> m.ShareLink:
    with read_session(engine) as session:
        return session.get(m.ShareLink, link_id)


def _revision(engine: Engine, plan_id: int) -> int:
    with read_session(engine) as session:
        return session.get(m.Plan, plan_id).revision


def _round(engine: Engine, plan_id: int, name: str = "Spring pulse") -> int:
    with write_session(engine) as session:
        return records.add(session, owner(), m.SurveyRound, plan_id, {"name": name})


def _events(engine: Engine, action: str) -> list[m.AuditEvent]:
    with read_session(engine) as session:
        return list(session.execute(select(m.AuditEvent).where(m.AuditEvent.action == action)).scalars())


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    """SQL statements the engine runs while the test does."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


# --- create ---------------------------------------------------------------------------------


def test_create_returns_a_url_with_the_token_and_stores_only_its_hash(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id, label="Finance director")

    stored = _link(engine, link.id)
    assert link.url == f"{BASE}/?token={link.token}"
    assert len(link.token) == sharing.TOKEN_LENGTH
    assert stored.token_hash == hashlib.sha256(link.token.encode()).hexdigest()
    assert (stored.role, stored.label, stored.created_by, stored.plan_id) == ("viewer", "Finance director",
                                                                              "local user", plan_id)


def test_the_raw_token_is_in_no_column_of_any_table(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id, "editor", label="Board", expires_in=timedelta(days=14))

    everything = repr(database_rows(engine))

    assert link.token not in everything
    assert hashlib.sha256(link.token.encode()).hexdigest() in everything  # the scan does see share_link


def test_the_raw_token_is_nowhere_in_the_sqlite_files(sqlite_engine: Engine) -> None:
    with write_session(sqlite_engine) as session:
        plan_id = plans.create_plan(session, owner(), name="File scan")
    link = _create(sqlite_engine, plan_id)
    _resolve(sqlite_engine, link.token)
    path = Path(sqlite_engine.url.database or "")

    contents = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))

    assert link.token.encode() not in contents
    assert hashlib.sha256(link.token.encode()).hexdigest().encode() in contents


def test_create_bumps_the_revision_and_audits_without_the_token(engine: Engine, plan_id: int) -> None:
    revision = _revision(engine, plan_id)

    link = _create(engine, plan_id, label="March workshop", expires_in=timedelta(days=1))

    [created] = _events(engine, "share_link.create")
    assert _revision(engine, plan_id) == revision + 1
    assert (created.entity, created.entity_id, created.plan_id) == ("share_link", link.id, plan_id)
    assert created.after["label"] == "March workshop" and created.after["role"] == "viewer"
    assert link.token not in repr(created.after)
    assert "hash" not in repr(created.after) and _link(engine, link.id).token_hash not in repr(created.after)


def test_the_token_stays_out_of_the_created_links_repr(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id)

    assert link.token not in repr(link)


def test_tokens_are_unique(engine: Engine, plan_id: int) -> None:
    tokens = {_create(engine, plan_id).token for _ in range(5)}

    assert len(tokens) == 5


@pytest.mark.parametrize("role", ["owner", "admin", "", None])
def test_only_viewer_editor_and_participant_links_exist(engine: Engine, plan_id: int, role: str, snapshot) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match="viewer, an editor or a participant"):
        _create(engine, plan_id, role)

    assert snapshot() == before


def test_a_link_for_a_missing_plan_is_refused(engine: Engine) -> None:
    with pytest.raises(PlanNotFound, match="no plan 999"):
        _create(engine, 999)


@pytest.mark.parametrize(
    ("expires_in", "message"),
    [(timedelta(0), "in the future"), (timedelta(hours=-1), "in the future"), (timedelta(days=5000), "five years")],
)
def test_a_bad_expiry_is_refused(engine: Engine, plan_id: int, expires_in: timedelta, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        _create(engine, plan_id, expires_in=expires_in)


def test_labels_are_one_line_and_limited(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id, label="  Finance\tdirector\n(interim) ")

    assert _link(engine, link.id).label == "Finance director (interim)"
    with pytest.raises(InvalidInput, match="Label is too long"):
        _create(engine, plan_id, label="x" * 121)


# --- participant links ----------------------------------------------------------------------


def test_a_participant_link_is_scoped_to_its_round(engine: Engine, plan_id: int) -> None:
    round_id = _round(engine, plan_id)
    link = _create(engine, plan_id, "participant", round_id=round_id)

    access = _resolve(engine, link.token)

    assert (access.role, access.plan_id, access.round_id) == (Role.PARTICIPANT, plan_id, round_id)
    assert access.actor == "participant link"


def test_a_participant_link_needs_a_round(engine: Engine, plan_id: int) -> None:
    with pytest.raises(InvalidInput, match="needs the survey round"):
        _create(engine, plan_id, "participant")


def test_a_participant_link_for_another_plans_round_is_refused(
    engine: Engine, make_plan: Callable[..., int], snapshot
) -> None:
    mine, theirs = make_plan(name="Mine"), make_plan(name="Theirs")
    their_round = _round(engine, theirs)
    before = snapshot()

    with pytest.raises(InvalidInput, match=f"round {their_round} is not part of this plan"):
        _create(engine, mine, "participant", round_id=their_round)
    with pytest.raises(InvalidInput, match="is not part of this plan"):
        _create(engine, mine, "participant", round_id=10**6)

    assert snapshot() == before


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_participant_links_take_a_round(engine: Engine, plan_id: int, role: str) -> None:
    round_id = _round(engine, plan_id)

    with pytest.raises(InvalidInput, match="Only a participant link"):
        _create(engine, plan_id, role, round_id=round_id)


# --- resolve --------------------------------------------------------------------------------


def test_resolve_grants_the_links_role_on_its_plan_only(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id, "editor", label="Finance director")

    access = _resolve(engine, link.token)

    assert access == Access(Role.EDITOR, plan_id=plan_id, actor="Finance director", round_id=None)
    assert access.allows(Role.EDITOR, plan_id)
    assert not access.allows(Role.VIEWER, plan_id + 1)


def test_an_unlabelled_link_acts_as_its_role(engine: Engine, plan_id: int) -> None:
    assert _resolve(engine, _create(engine, plan_id).token).actor == "viewer link"


def test_a_link_works_until_it_expires(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id, expires_in=timedelta(days=14))
    expires = _utc(_link(engine, link.id).expires_at)

    assert _resolve(engine, link.token, now=expires - timedelta(seconds=1)).role == Role.VIEWER
    with pytest.raises(LinkRefused, match=f"This link expired on {expires.day} {expires:%b %Y}") as refused:
        _resolve(engine, link.token, now=expires)
    assert refused.value.reason == "expired"


def test_the_expiry_message_names_the_day(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id, expires_in=timedelta(days=1))
    with write_session(engine) as session:
        session.get(m.ShareLink, link.id).expires_at = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)

    with pytest.raises(LinkRefused, match=r"^This link expired on 3 Dec 2026\."):
        _resolve(engine, link.token, now=datetime(2027, 1, 1, tzinfo=UTC))


def test_a_naive_now_is_taken_as_utc(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id, expires_in=timedelta(hours=2))
    naive_expiry = _utc(_link(engine, link.id).expires_at).replace(tzinfo=None)

    with pytest.raises(LinkRefused, match="expired"):
        _resolve(engine, link.token, now=naive_expiry + timedelta(minutes=1))


def test_a_revoked_link_is_refused_at_its_next_use(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id)
    _resolve(engine, link.token)

    _revoke(engine, plan_id, link.id)

    with pytest.raises(LinkRefused, match=r"^This link was revoked on \d+ \w{3} \d{4}\.") as refused:
        _resolve(engine, link.token)
    assert refused.value.reason == "revoked"
    assert isinstance(refused.value, PermissionDenied)


def test_a_revocation_is_seen_within_one_session(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id)

    with write_session(engine) as session:
        sharing.resolve_token(session, link.token)
        sharing.revoke_link(session, owner(), plan_id, link.id)
        with pytest.raises(LinkRefused, match="revoked"):
            sharing.resolve_token(session, link.token)


def test_an_unknown_token_is_not_valid(engine: Engine, plan_id: int) -> None:
    _create(engine, plan_id)

    with pytest.raises(LinkRefused, match=r"^This link is not valid") as refused:
        _resolve(engine, "A" * sharing.TOKEN_LENGTH)
    assert refused.value.reason == "invalid"


def test_a_link_row_claiming_owner_is_refused(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id)
    with write_session(engine) as session:
        session.get(m.ShareLink, link.id).role = "owner"

    with pytest.raises(LinkRefused, match="not valid"):
        _resolve(engine, link.token)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "short",
        "A" * 42,
        "A" * 44,
        "!" * 43,
        "A" * 42 + "=",
        "A" * 42 + " ",
        "A" * 201,
        "A" * 100_000,
        "' OR 1=1 --" + "A" * 32,
        None,
    ],
)
def test_a_malformed_token_is_refused_without_a_query(
    engine: Engine, plan_id: int, statements: list[str], token: str
) -> None:
    with read_session(engine) as session:
        statements.clear()
        with pytest.raises(LinkRefused, match=r"^This link is not valid"):
            sharing.resolve_token(session, token)

    assert statements == []


def test_a_well_formed_token_is_looked_up(engine: Engine, plan_id: int, statements: list[str]) -> None:
    with read_session(engine) as session, pytest.raises(LinkRefused):
        sharing.resolve_token(session, "A" * sharing.TOKEN_LENGTH)

    assert any("share_link" in statement for statement in statements)  # so the test above can fail


# --- last use -------------------------------------------------------------------------------


def test_resolve_stamps_last_use_at_most_once_a_minute(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id)
    start = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)

    _resolve(engine, link.token, now=start)
    first = _utc(_link(engine, link.id).last_used_at)
    _resolve(engine, link.token, now=start + timedelta(seconds=59))
    throttled = _utc(_link(engine, link.id).last_used_at)
    _resolve(engine, link.token, now=start + timedelta(seconds=61))
    later = _utc(_link(engine, link.id).last_used_at)

    assert (first, throttled, later) == (start, start, start + timedelta(seconds=61))


def test_stamping_last_use_is_not_an_edit(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id)
    revision = _revision(engine, plan_id)

    _resolve(engine, link.token)

    stored = _link(engine, link.id)
    assert stored.last_used_at is not None
    assert stored.version == 1  # an owner revoking at this moment does not get a Conflict
    assert _revision(engine, plan_id) == revision


def _count_events(session: Session) -> int:
    return session.execute(select(func.count()).select_from(m.AuditEvent)).scalar_one()


def test_resolve_writes_no_audit_event(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id)
    with read_session(engine) as session:
        before = _count_events(session)

    _resolve(engine, link.token)

    with read_session(engine) as session:
        assert _count_events(session) == before


# --- roles and plan isolation ---------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, Role.PARTICIPANT])
def test_only_the_owner_creates_links(engine: Engine, plan_id: int, role: Role, snapshot) -> None:
    before = snapshot()

    with pytest.raises(PermissionDenied):
        _create(engine, plan_id, access=Access(role, plan_id=plan_id))

    assert snapshot() == before


def test_the_owner_of_one_plan_cannot_share_another(engine: Engine, make_plan: Callable[..., int], snapshot) -> None:
    plan_a, plan_b = make_plan(name="A"), make_plan(name="B")
    before = snapshot()

    with pytest.raises(PermissionDenied):
        _create(engine, plan_b, access=Access(Role.OWNER, plan_id=plan_a))

    assert snapshot() == before


def test_a_plan_owner_shares_their_own_plan(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id, access=Access(Role.OWNER, plan_id=plan_id, actor="Consultant"))

    assert _link(engine, link.id).created_by == "Consultant"


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, Role.PARTICIPANT])
def test_only_the_owner_revokes_and_lists(engine: Engine, plan_id: int, role: Role, snapshot) -> None:
    link = _create(engine, plan_id)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        _revoke(engine, plan_id, link.id, access=Access(role, plan_id=plan_id))
    with pytest.raises(PermissionDenied), read_session(engine) as session:
        sharing.list_links(session, Access(role, plan_id=plan_id), plan_id)

    assert snapshot() == before


def test_another_plans_link_cannot_be_revoked_or_listed(
    engine: Engine, make_plan: Callable[..., int], snapshot
) -> None:
    plan_a, plan_b = make_plan(name="A"), make_plan(name="B")
    theirs = _create(engine, plan_b)
    owner_a = Access(Role.OWNER, plan_id=plan_a)
    before = snapshot()

    with pytest.raises(LinkNotFound, match="in this plan"):
        _revoke(engine, plan_a, theirs.id, access=owner_a)
    with pytest.raises(PermissionDenied):
        _revoke(engine, plan_b, theirs.id, access=owner_a)
    with read_session(engine) as session:
        assert sharing.list_links(session, owner_a, plan_a).empty
        with pytest.raises(PermissionDenied):
            sharing.link_plan(session, owner_a, theirs.id)

    assert snapshot() == before


# --- revoke ---------------------------------------------------------------------------------


def test_revoke_is_versioned_audited_and_bumps_the_revision(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id, label="Board")
    revision = _revision(engine, plan_id)

    _revoke(engine, plan_id, link.id, access=owner("command line"))

    stored = _link(engine, link.id)
    [revoked] = _events(engine, "share_link.revoke")
    assert stored.revoked_at is not None and stored.version == 2
    assert _revision(engine, plan_id) == revision + 1
    assert (revoked.actor, revoked.entity_id, revoked.after["label"]) == ("command line", link.id, "Board")
    assert link.token not in repr(revoked.after) and stored.token_hash not in repr(revoked.after)


def test_revoking_twice_changes_nothing_the_second_time(engine: Engine, plan_id: int, snapshot) -> None:
    link = _create(engine, plan_id)
    _revoke(engine, plan_id, link.id)
    before = snapshot()

    _revoke(engine, plan_id, link.id)

    assert snapshot() == before
    assert len(_events(engine, "share_link.revoke")) == 1


def test_revoking_a_missing_link_is_not_found(engine: Engine, plan_id: int) -> None:
    with pytest.raises(LinkNotFound):
        _revoke(engine, plan_id, 10**6)
    with pytest.raises(LinkNotFound), read_session(engine) as session:
        sharing.link_plan(session, owner(), 10**6)


def test_link_plan_finds_the_links_plan(engine: Engine, make_plan: Callable[..., int]) -> None:
    make_plan(name="Other")
    plan_id = make_plan(name="Shared")
    link = _create(engine, plan_id)

    with read_session(engine) as session:
        assert sharing.link_plan(session, owner(), link.id) == plan_id


# --- list -----------------------------------------------------------------------------------


def test_list_shows_status_round_and_never_the_hash(engine: Engine, plan_id: int) -> None:
    round_id = _round(engine, plan_id, "March workshop")
    active = _create(engine, plan_id, "editor", label="Finance director")
    expiring = _create(engine, plan_id, expires_in=timedelta(hours=1))
    revoked = _create(engine, plan_id, "participant", label="Room", round_id=round_id)
    _revoke(engine, plan_id, revoked.id)
    _resolve(engine, active.token)

    with read_session(engine) as session:
        frame = sharing.list_links(session, owner(), plan_id, now=datetime.now(UTC) + timedelta(hours=2))

    assert list(frame.columns) == sharing.LIST_COLUMNS
    assert frame["Id"].tolist() == [active.id, expiring.id, revoked.id]
    assert frame["Status"].tolist() == ["active", "expired", "revoked"]
    assert frame["Round"].tolist()[2] == "March workshop" and frame["Label"].tolist()[0] == "Finance director"
    assert frame["Last used"].notna().tolist() == [True, False, False]
    assert str(frame["Created"].dt.tz) == "UTC"
    text = frame.to_csv()
    for link in (active, expiring, revoked):
        assert link.token not in text
        assert _link(engine, link.id).token_hash not in text


def test_list_of_a_plan_without_links_is_empty_with_columns(engine: Engine, plan_id: int) -> None:
    with read_session(engine) as session:
        frame = sharing.list_links(session, owner(), plan_id)

    assert frame.empty and list(frame.columns) == sharing.LIST_COLUMNS


def test_list_of_a_missing_plan_is_not_found(engine: Engine) -> None:
    with pytest.raises(PlanNotFound), read_session(engine) as session:
        sharing.list_links(session, owner(), 999)


# --- expiry text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("14d", timedelta(days=14)), ("12h", timedelta(hours=12)), ("2w", timedelta(weeks=2)), (" 3D ", timedelta(3))],
)
def test_parse_expiry(text: str, expected: timedelta) -> None:
    assert sharing.parse_expiry(text) == expected


@pytest.mark.parametrize("text", ["", "14", "d", "0d", "-1d", "1.5d", "14m", "14 days", "9999999w", "١٤d"])
def test_parse_expiry_refuses_other_text(text: str) -> None:
    with pytest.raises(InvalidInput, match="12h, 14d or 2w"):
        sharing.parse_expiry(text)


def test_the_stored_hash_is_compared_in_constant_time(
    engine: Engine, plan_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = _create(engine, plan_id)
    compared: list[tuple[str, str]] = []
    real = sharing.hmac.compare_digest

    def recording(a: str, b: str) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(sharing.hmac, "compare_digest", recording)

    _resolve(engine, link.token)

    digest = hashlib.sha256(link.token.encode()).hexdigest()
    assert compared == [(digest, digest)]


def test_check_token_grants_the_same_access_without_stamping_last_use(engine: Engine, plan_id: int) -> None:
    link = _create(engine, plan_id, "editor", label="Live view")

    with read_session(engine) as session:
        access = sharing.check_token(session, link.token)

    assert access == Access(Role.EDITOR, plan_id=plan_id, actor="Live view")
    assert _link(engine, link.id).last_used_at is None
    _revoke(engine, plan_id, link.id)
    with pytest.raises(LinkRefused, match="revoked"), read_session(engine) as session:
        sharing.check_token(session, link.token)
