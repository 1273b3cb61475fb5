"""Sign-in in Chromium: the real OpenID Connect round trip through st.login, against a local mock provider."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from planner import members
from planner.access import owner
from planner.db import make_engine, write_session
from planner.ui import deep_links

from .conftest import Server, browser_required
from .test_hosted import ADMIN, OTHER_PLAN, _nav_labels

try:  # a test dependency (requirements-dev.txt): a Flask OpenID provider that signs in whoever you name
    import oidc_provider_mock
    import werkzeug.serving
except ImportError:  # pragma: no cover - only without the dev requirements
    oidc_provider_mock = None

pytestmark = pytest.mark.browser

MEMBER = "od.lead@trust.nhs.uk"
MEMBER_SUB = "od-lead"  # the provider's subject id; the app goes by the email claim
ADMIN_EMAIL = "chief@consultancy.example"
STRANGER = "someone.else@example.org"
NOT_SHARED = "no plan has been shared with this address"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """A mock OpenID provider on a free loopback port; its authorize page signs in any `sub` typed into it."""
    if oidc_provider_mock is None:
        if browser_required():
            pytest.fail("oidc-provider-mock is required here (CI): pip install -r requirements-dev.txt")
        pytest.skip("oidc-provider-mock is not installed: pip install -r requirements-dev.txt")
    # Providers such as Entra ID keep the case people typed; membership is by the lower-cased address.
    claims = {"email": "OD.Lead@Trust.nhs.uk", "email_verified": True, "name": "OD Lead"}
    users = [oidc_provider_mock.User(sub=MEMBER_SUB, claims=claims)]
    app = oidc_provider_mock.app(user_claims=users, require_nonce=True)
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    # "localhost", not 127.0.0.1: the provider is another site than the app, as in real life.
    yield f"http://localhost:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


class SignInServer(Server):
    """A hosted server with [auth] in a secrets file of its own (never the project's .streamlit/)."""

    secrets_file: Path

    def env(self) -> dict[str, str]:
        return {
            **super().env(),
            "PLANNER_MODE": "hosted",
            "PLANNER_ADMIN_TOKEN": ADMIN,
            "PLANNER_PUBLIC_URL": self.url,
            "PLANNER_ADMIN_EMAILS": ADMIN_EMAIL,
            "STREAMLIT_SECRETS_FILES": str(self.secrets_file),  # streamlit's --secrets.files option
        }

    def write_secrets(self, provider: str) -> None:
        self.secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "{self.url}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            'client_id = "planner-browser-test"\n'
            f'client_secret = "{secrets.token_hex(16)}"\n'
            f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        )


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory, chromium: str, provider: str) -> Iterator[SignInServer]:
    tmp_path = tmp_path_factory.mktemp("sign_in")
    server = SignInServer(f"sqlite:///{tmp_path / 'planner.db'}", tmp_path / "streamlit.log")
    server.secrets_file = tmp_path / "secrets.toml"
    server.write_secrets(provider)
    server.demo_id = int(server.cli("demo"))  # type: ignore[attr-defined]
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format_version": 1, "plan": {"name": OTHER_PLAN}, "records": {}}))
    server.cli("import", str(other))
    with write_session(make_engine(server.database_url)) as session:
        members.add_member(session, owner(), server.demo_id, MEMBER, "editor")  # type: ignore[attr-defined]
    server.start()
    yield server
    server.stop()


@pytest.fixture
def visitor(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile (no cookies); the provider's page may not fetch its CDN stylesheet."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def _sign_in(page: Page, app_server: SignInServer, provider: str, *, sub: str = "", typed: str = "",
             start: str = "/") -> None:  # fmt: skip
    """From the welcome page at `start` through the provider's page and back: pick a predefined user or type one."""
    page.goto(app_server.url + start)
    expect(page.get_by_text("Plan owners and editors can sign in instead.")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider}/oauth2/authorize?**")
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    if sub:
        page.get_by_role("button", name=sub, exact=True).click()
    else:
        page.get_by_placeholder("sub").fill(typed)  # this mock makes the typed subject the email claim too
        page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{app_server.url}/**")
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


def test_a_member_signs_in_and_edits_their_plan(app_server: SignInServer, provider: str, visitor: Page) -> None:
    _sign_in(visitor, app_server, provider, sub=MEMBER_SUB)

    expect(visitor.get_by_text("Northshire Health leadership strategy").first).to_be_visible()
    assert f"plan={app_server.demo_id}" in visitor.url  # type: ignore[attr-defined]
    nav = _nav_labels(visitor)
    assert "Initiatives and roadmap" in nav and "Board summary" in nav
    assert "Share" not in nav, "an editor does not manage sharing"
    assert OTHER_PLAN not in visitor.locator("body").inner_text()

    visitor.reload()  # the identity cookie keeps them signed in
    expect(visitor.get_by_text("Northshire Health leadership strategy").first).to_be_visible(timeout=60_000)
    visitor.get_by_test_id("stSidebarNav").get_by_text("Initiatives and roadmap").click()
    expect(visitor.get_by_role("heading", name="Initiatives and roadmap")).to_be_visible()
    expect(visitor.get_by_test_id("stExpander").filter(has_text="Add an initiative")).to_be_visible()  # editors only
    expect(visitor.get_by_text("Ask your facilitator for yours")).to_have_count(0)

    expect(visitor.get_by_text("Signed in as od.lead@trust.nhs.uk")).to_be_visible()
    visitor.get_by_role("button", name="Sign out").click()
    visitor.wait_for_url(f"{provider}/oauth2/end_session?**")
    visitor.get_by_role("button", name="End session").click()
    expect(visitor.get_by_role("button", name="Sign in")).to_be_visible(timeout=60_000)
    expect(visitor.get_by_text("Northshire")).to_have_count(0)


def test_a_link_to_a_page_opens_that_page_after_sign_in(app_server: SignInServer, provider: str, visitor: Page) -> None:
    link = f"/initiatives?plan={app_server.demo_id}"  # type: ignore[attr-defined]
    _sign_in(visitor, app_server, provider, sub=MEMBER_SUB, start=link)

    expect(visitor.get_by_role("heading", name="Initiatives and roadmap")).to_be_visible()
    assert visitor.url.startswith(f"{app_server.url}/initiatives?") and f"plan={app_server.demo_id}" in visitor.url  # type: ignore[attr-defined]
    assert deep_links.RETURN_COOKIE not in {cookie["name"] for cookie in visitor.context.cookies()}  # spent
    visitor.goto(app_server.url + "/")  # signed in, the plan list stays the plan list
    expect(visitor.get_by_text("Northshire Health leadership strategy").first).to_be_visible(timeout=60_000)
    assert visitor.url.startswith(f"{app_server.url}/?") or visitor.url == f"{app_server.url}/"


def test_a_stranger_signs_in_sees_no_plan_and_signs_out(app_server: SignInServer, provider: str, visitor: Page) -> None:
    _sign_in(visitor, app_server, provider, typed=STRANGER)

    expect(visitor.get_by_text(NOT_SHARED)).to_be_visible()
    expect(visitor.get_by_text(f"You are signed in as {STRANGER}")).to_be_visible()
    body = visitor.locator("body").inner_text()
    assert "Northshire" not in body and OTHER_PLAN not in body
    expect(visitor.get_by_test_id("stSidebarNav")).to_have_count(0)

    visitor.get_by_role("button", name="Sign out").click()
    visitor.wait_for_url(f"{provider}/oauth2/end_session?**")  # the provider's own sign-out, then back
    visitor.get_by_role("button", name="End session").click()
    expect(visitor.get_by_role("button", name="Sign in")).to_be_visible(timeout=60_000)
    expect(visitor.get_by_text(NOT_SHARED)).to_have_count(0)
    visitor.reload()  # the identity cookie is gone, not just this session's copy
    expect(visitor.get_by_role("button", name="Sign in")).to_be_visible(timeout=60_000)


def test_an_admin_email_owns_every_plan(app_server: SignInServer, provider: str, visitor: Page) -> None:
    _sign_in(visitor, app_server, provider, typed=ADMIN_EMAIL)

    expect(visitor.get_by_text("Northshire Health leadership strategy").first).to_be_visible()
    expect(visitor.get_by_text(OTHER_PLAN).first).to_be_visible()
    assert "Share" in _nav_labels(visitor)
