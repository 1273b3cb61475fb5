"""The share page, role-limited navigation, the hosted welcome gate, bad-token slowdown and sign-in."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from planner import culture, members, plans, sharing
from planner.access import owner
from planner.db import read_session, write_session
from planner.ui.navigation import page_file

from .conftest import APP, AppDb, button, texts

ADMIN = "a-long-enough-admin-token"
AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32,
                 "client_id": "planner", "client_secret": "secret",
                 "server_metadata_url": "https://login.example/.well-known/openid-configuration"}}


def _hosted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_MODE", "hosted")
    monkeypatch.setenv("PLANNER_ADMIN_TOKEN", ADMIN)


def _with_token(token: str, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["token"] = token
    at.run()
    return at.switch_page(page_file(page)).run() if page else at


def _link(app_db: AppDb, plan_id: int, role: str, **extra: object) -> str:
    with write_session(app_db.engine()) as session:
        created = sharing.create_link(session, owner(), plan_id, role, base_url="http://localhost", **extra)
    return created.token


def _token_in(at: AppTest) -> str:
    url = next(code.value for code in at.code if "?token=" in code.value)
    return parse_qs(urlparse(url).query)["token"][0]


def _create(at: AppTest, label: str, expiry: str = "7 days") -> AppTest:
    next(t for t in at.text_input if t.label == "Label").input(label)
    next(s for s in at.selectbox if s.label == "Expires after").select(expiry)
    return button(at, "Create link").click().run()


# --- The share page ------------------------------------------------------------------------


def test_an_owner_creates_a_viewer_link_shown_once_with_a_qr_code(app_db: AppDb, demo_id: int) -> None:
    at = _create(app_db.app("share", demo_id), "Finance director")

    assert not at.exception
    token = _token_in(at)
    assert len(token) == 43
    assert at.get("image"), "the QR code is shown beside the link"
    assert "Copy it now" in texts(at)
    with read_session(app_db.engine()) as session:
        listed = sharing.list_links(session, owner(), demo_id)
    assert list(listed["Label"]) == ["Finance director"] and list(listed["Status"]) == ["active"]
    expires = listed["Expires"][0] - listed["Created"][0]
    assert timedelta(days=6, hours=23) < expires <= timedelta(days=7, minutes=1)

    button(at, "Done").click().run()
    assert not [code for code in at.code if "?token=" in code.value], "the token is shown once"
    assert "Finance director" in at.dataframe[0].value.to_string()

    viewer = _with_token(token)
    assert not viewer.exception
    assert viewer.title[0].value == "Board summary", "a viewer lands on the summary"


def test_a_participant_link_is_for_an_open_round(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("share", demo_id)
    at.segmented_control[0].set_value("participant").run()
    with read_session(app_db.engine()) as session:
        open_rounds = [r for r in culture.list_rounds(session, owner(), demo_id) if r.status == "open"]

    if not open_rounds:
        assert "Open a survey round" in texts(at)
        return
    at = _create(at, "March workshop")
    participant = _with_token(_token_in(at))
    assert participant.title[0].value == "Participant vote" or "vote" in texts(participant).lower()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        participant.switch_page(page_file("summary"))


def test_the_share_page_of_a_plan_without_rounds_explains_participant_links(app_db: AppDb) -> None:
    at = app_db.app("share", app_db.blank_id)
    at.segmented_control[0].set_value("participant").run()

    assert not at.exception
    assert "Open a survey round on the Culture diagnostic page first" in texts(at)
    assert "No links shared yet" in texts(at)


# --- Navigation follows the role -------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("editor", ["home", "history", "context", "initiatives", "summary"], ["share"]),
        ("viewer", ["summary", "context", "culture", "capabilities", "workforce", "priorities", "means",
                    "initiatives", "history"], ["home", "share", "vote"]),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(
    app_db: AppDb, demo_id: int, role: str, visible: list[str], hidden: list[str]
) -> None:
    token = _link(app_db, demo_id, role)
    at = _with_token(token)

    for page in visible:
        at.switch_page(page_file(page)).run()
        assert not at.exception, page
    for page in hidden:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page_file(page))


def test_an_editor_cannot_copy_archive_or_delete_the_plan(app_db: AppDb, demo_id: int) -> None:
    at = _with_token(_link(app_db, demo_id, "editor"), "home")

    labels = {b.label for b in at.button}
    assert "Edit details" in labels
    assert not labels & {"Copy", "Archive", "Delete", "New plan"}


def test_a_link_holder_sees_no_other_plan(app_db: AppDb, demo_id: int) -> None:
    at = _with_token(_link(app_db, demo_id, "editor"), "home")

    assert "Blank plan" not in texts(at)
    assert not at.sidebar.selectbox, "no plan switcher for a link holder"
    at.query_params["plan"] = str(app_db.blank_id)
    at.run()
    assert "Blank plan" not in texts(at)


# --- Hosted mode -----------------------------------------------------------------------------


def test_hosted_without_a_link_shows_only_the_welcome_page(app_db: AppDb, monkeypatch: pytest.MonkeyPatch) -> None:
    _hosted(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()

    assert not at.exception
    assert "Ask your facilitator" in texts(at)
    assert "Blank plan" not in texts(at) and "Northshire" not in texts(at)
    assert not at.sidebar.selectbox
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page_file("summary"))
    assert not [b for b in at.button if b.label == "Sign in"], "no sign-in without [auth]"


def test_hosted_mode_hides_error_details(app_db: AppDb, monkeypatch: pytest.MonkeyPatch) -> None:
    _hosted(monkeypatch)
    saved = config.get_option("client.showErrorDetails"), config.get_option("client.toolbarMode")
    try:
        AppTest.from_file(APP, default_timeout=60).run()
        assert config.get_option("client.showErrorDetails") == "none"
        assert config.get_option("client.toolbarMode") == "viewer"
    finally:
        config.set_option("client.showErrorDetails", saved[0])
        config.set_option("client.toolbarMode", saved[1])


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("not-a-token", "This link is not valid"),
        ("A" * 43, "This link is not valid"),
        ("ünïcødé-" * 6, "This link is not valid"),  # compared as bytes: str compare_digest refuses non-ASCII
        ("x" * 100_000, "This link is not valid"),
    ],
)
def test_a_bad_token_gets_a_clear_message_and_no_data(
    app_db: AppDb, monkeypatch: pytest.MonkeyPatch, token: str, message: str
) -> None:
    _hosted(monkeypatch)
    at = _with_token(token)

    assert not at.exception
    assert message in texts(at)
    assert "Northshire" not in texts(at)
    assert "token" not in at.query_params


def test_an_expired_or_revoked_link_says_so(app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    _hosted(monkeypatch)
    expired = _link(app_db, demo_id, "viewer", expires_in=timedelta(hours=1))
    revoked = _link(app_db, demo_id, "viewer")
    engine = app_db.engine()
    with write_session(engine) as session:
        session.execute(sharing._LINKS.update().values(expires_at=sharing.utcnow() - timedelta(days=1))
                        .where(sharing._LINKS.c.token_hash == sharing._digest(expired)))
        link_id = int(sharing.list_links(session, owner(), demo_id)["Id"].iloc[-1])
        sharing.revoke_link(session, owner(), demo_id, link_id)

    assert "This link expired on" in texts(_with_token(expired))
    assert "This link was revoked on" in texts(_with_token(revoked))


def test_a_link_is_refused_at_the_next_interaction_after_it_is_revoked(app_db: AppDb, demo_id: int) -> None:
    at = _with_token(_link(app_db, demo_id, "viewer"), "summary")
    assert at.title[0].value == "Board summary"
    with write_session(app_db.engine()) as session:
        link_id = int(sharing.list_links(session, owner(), demo_id)["Id"].iloc[-1])
        sharing.revoke_link(session, owner(), demo_id, link_id)

    at.run()

    assert "This link was revoked on" in texts(at)
    assert "Board summary" not in [t.value for t in at.title]


def test_repeated_bad_tokens_from_one_client_are_slowed_down(app_db: AppDb, monkeypatch: pytest.MonkeyPatch) -> None:
    _hosted(monkeypatch)
    at, timings = AppTest.from_file(APP, default_timeout=60), []
    at.query_params["token"] = ADMIN
    at.run()  # the first run opens the database (over a second on a slow machine); the admin token is no bad try
    for attempt in range(5):
        at.query_params["token"] = f"guess-{attempt}"
        started = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - started)
        assert "This link is not valid" in texts(at)

    assert max(timings[:3]) < 1.0 + min(timings[:3]), "the first tries cost nothing extra"
    assert timings[3] >= 1.0 and timings[4] >= 2.0


def test_the_admin_token_clears_the_slowdown(app_db: AppDb, monkeypatch: pytest.MonkeyPatch) -> None:
    _hosted(monkeypatch)
    for attempt in range(4):
        _with_token(f"guess-{attempt}")
    _with_token(ADMIN)

    started = time.perf_counter()
    _with_token("guess-again")
    assert time.perf_counter() - started < 1.0


# --- Sign-in (OpenID Connect) ----------------------------------------------------------------


def _signed_in(email: str, plan_id: int | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets.update(AUTH)
    at.user = {"is_logged_in": True, "email": email}
    if plan_id is not None:
        at.query_params["plan"] = str(plan_id)
    return at.run()


def test_hosted_with_sign_in_configured_offers_it(app_db: AppDb, monkeypatch: pytest.MonkeyPatch) -> None:
    _hosted(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets.update(AUTH)
    at.user = {"is_logged_in": False}
    at.run()

    assert [b for b in at.button if b.label == "Sign in"]
    assert "Northshire" not in texts(at)


def test_a_signed_in_member_gets_their_role_on_their_plan_only(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hosted(monkeypatch)
    with write_session(app_db.engine()) as session:
        members.add_member(session, owner(), demo_id, "od.lead@trust.nhs.uk", "editor")

    at = _signed_in("OD.Lead@trust.nhs.uk", app_db.blank_id)

    assert not at.exception
    assert "Northshire" in texts(at) and "Blank plan" not in texts(at)
    assert not [box for box in at.selectbox if box.label == "Open plan"], "one plan: nothing to switch to"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page_file("share"))


def test_a_member_of_two_plans_can_switch_between_them_only(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hosted(monkeypatch)
    with write_session(app_db.engine()) as session:
        members.add_member(session, owner(), demo_id, "od.lead@trust.nhs.uk", "viewer")
        second = plans.create_plan(session, owner(), name="Second trust plan")
        members.add_member(session, owner(), second, "od.lead@trust.nhs.uk", "editor")

    at = _signed_in("od.lead@trust.nhs.uk", demo_id)

    [switcher] = [box for box in at.selectbox if box.label == "Open plan"]
    assert sorted(switcher.options) == sorted(["Northshire Health leadership strategy 2026–2029", "Second trust plan"])
    at = switcher.set_value(second).run()
    assert not at.exception
    assert at.query_params["plan"] in (str(second), [str(second)])
    at.run()  # the next run opens it, with this member's role on it
    assert "Second trust plan" in texts(at, "subheader", "markdown", "caption")
    assert "Blank plan" not in str([box.options for box in at.selectbox]), "only their own plans"


def test_a_signed_in_stranger_is_told_to_ask_the_owner(app_db: AppDb, monkeypatch: pytest.MonkeyPatch) -> None:
    _hosted(monkeypatch)
    at = _signed_in("stranger@example.org")

    assert "no plan has been shared with this address" in texts(at)
    assert "Northshire" not in texts(at) and "Blank plan" not in texts(at)


def test_an_admin_email_owns_every_plan(app_db: AppDb, monkeypatch: pytest.MonkeyPatch) -> None:
    _hosted(monkeypatch)
    monkeypatch.setenv("PLANNER_ADMIN_EMAILS", "chief@consultancy.example")
    at = _signed_in("chief@consultancy.example")

    assert "Blank plan" in texts(at) and "Northshire" in texts(at)


def test_an_owner_adds_a_signed_in_member_on_the_share_page(app_db: AppDb, demo_id: int) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets.update(AUTH)
    at.query_params["plan"] = str(demo_id)
    at.run()
    at.switch_page(page_file("share")).run()
    next(t for t in at.text_input if t.label == "Email address").input("Chair@Trust.nhs.uk")
    next(s for s in at.selectbox if s.label == "Role").select("viewer")
    button(at, "Add").click().run()

    assert not at.exception
    with read_session(app_db.engine()) as session:
        access = members.member_access(session, "chair@trust.nhs.uk")
    assert (access.role, access.plan_id) == ("viewer", demo_id)


def test_a_signed_in_member_sees_who_they_are_and_can_sign_out(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hosted(monkeypatch)
    with write_session(app_db.engine()) as session:
        members.add_member(session, owner(), demo_id, "od.lead@trust.nhs.uk", "viewer")

    at = _signed_in("od.lead@trust.nhs.uk")

    assert any("Signed in as" in caption.value for caption in at.sidebar.caption)
    assert [b for b in at.sidebar.button if b.label == "Sign out"]


def test_an_address_the_provider_says_is_unverified_is_not_trusted(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hosted(monkeypatch)
    with write_session(app_db.engine()) as session:
        members.add_member(session, owner(), demo_id, "od.lead@trust.nhs.uk", "editor")
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets.update(AUTH)
    at.user = {"is_logged_in": True, "email": "od.lead@trust.nhs.uk", "email_verified": False}

    at.run()

    assert "Ask your facilitator" in texts(at)
    assert "Northshire" not in texts(at)
