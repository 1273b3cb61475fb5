"""Hosted mode in Chromium: links decide what anyone sees, and a revoked link stops working without a restart."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from planner import culture
from planner.access import owner
from planner.db import make_engine, write_session

from .conftest import Server
from .test_app import _open, choose, open_tab, tab_names

pytestmark = pytest.mark.browser

ADMIN = "hosted-admin-token-for-browser-tests"
OTHER_PLAN = "Westmere Community Trust plan"


class HostedServer(Server):
    """A server in hosted mode: every request needs a link or the admin token."""

    def env(self) -> dict[str, str]:
        return {**super().env(), "PLANNER_MODE": "hosted", "PLANNER_ADMIN_TOKEN": ADMIN,
                "PLANNER_PUBLIC_URL": self.url}


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[HostedServer]:
    tmp_path = tmp_path_factory.mktemp("hosted")
    server = HostedServer(f"sqlite:///{tmp_path / 'planner.db'}", tmp_path / "streamlit.log")
    server.demo_id = int(server.cli("demo"))  # type: ignore[attr-defined]
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format_version": 1, "plan": {"name": OTHER_PLAN}, "records": {}}))
    server.other_id = int(server.cli("import", str(other)))  # type: ignore[attr-defined]
    server.start()
    yield server
    server.stop()


def _link(server: HostedServer, role: str, *extra: str) -> str:
    url = server.cli("share", "create", str(server.demo_id), "--role", role, "--label", f"{role} test", *extra)
    assert urlparse(url).netloc == urlparse(server.url).netloc
    return url


def _nav_labels(page: Page) -> list[str]:
    # Each entry reads "<icon name>\n\n<title>".
    return [text.split("\n")[-1] for text in page.get_by_test_id("stSidebarNav").locator("a").all_inner_texts()]


@pytest.mark.parametrize("path", ["/", "/summary", "/share", "/initiatives"])
def test_without_a_link_only_the_welcome_page_shows(hosted: HostedServer, page: Page, path: str) -> None:
    _open(page, hosted.url + path)

    expect(page.get_by_text("Ask your facilitator for yours")).to_be_visible()
    body = page.locator("body").inner_text()
    assert "Northshire" not in body and OTHER_PLAN not in body
    assert "Page not found" not in body
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(page.get_by_test_id("stSelectbox")).to_have_count(0)


def test_a_viewer_reads_the_summary_cannot_edit_and_sees_no_other_plan(hosted: HostedServer, page: Page) -> None:
    url = _link(hosted, "viewer")
    _open(page, url)

    expect(page.get_by_role("heading", name="Board summary")).to_be_visible()
    page.reload()  # the link keeps working across reloads
    expect(page.get_by_role("heading", name="Board summary")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Northshire Health leadership strategy").first).to_be_visible()
    nav = _nav_labels(page)
    assert "Board summary" in nav and "Initiatives and roadmap" in nav
    assert not {"Plans", "Share", "Participant vote"} & set(nav)

    page.get_by_test_id("stSidebarNav").get_by_text("Initiatives and roadmap").click()
    expect(page.get_by_role("heading", name="Initiatives and roadmap")).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    expect(page.get_by_role("tab", name="Portfolio")).to_be_visible()  # the heading is drawn before the tabs
    tabs = tab_names(page)
    assert tabs[:2] == ["Portfolio", "Roadmap"]
    for name in tabs:  # only the open tab's content runs: each one's forms would show only there
        open_tab(page, name)
        expect(page.get_by_test_id("stForm"), name).to_have_count(0)
        expect(page.get_by_role("button", name=re.compile(r"^(Add|Save)")), name).to_have_count(0)

    _open(page, f"{url}&plan={hosted.other_id}")  # type: ignore[attr-defined]
    body = page.locator("body").inner_text()
    assert OTHER_PLAN not in body and "Northshire" in body


def test_a_participant_sees_only_the_vote_page(hosted: HostedServer, page: Page) -> None:
    with write_session(make_engine(hosted.database_url)) as session:
        round_id = culture.create_round(session, owner(), hosted.demo_id, "Board away day", date(2026, 12, 1))
    url = _link(hosted, "participant", "--round", str(round_id))

    _open(page, url)

    expect(page.get_by_text("Board away day").first).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    _open(page, url.replace("/?", "/summary?"))
    # The vote page's header draws before its form: read the page once the round's form is there.
    expect(page.get_by_text("Board away day").first).to_be_visible()
    assert "Board summary" not in page.locator("body").inner_text()


def test_a_revoked_link_is_refused_without_a_restart(hosted: HostedServer, browser: Browser, page: Page) -> None:
    viewer_url = _link(hosted, "viewer", "--label", "Revoke me")
    _open(page, viewer_url)
    expect(page.get_by_role("heading", name="Board summary")).to_be_visible()

    admin = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    _open(admin, f"{hosted.url}/share?token={ADMIN}&plan={hosted.demo_id}")
    choose(admin, admin.get_by_label("Revoke a link"), "Revoke me")
    admin.get_by_role("button", name="Revoke…").click()
    admin.get_by_role("dialog").get_by_role("button", name="Revoke the link").click()
    expect(admin.get_by_text("Revoked").first).to_be_visible()

    # The open summary re-checks its link at its next live poll, without anyone clicking.
    expect(page.get_by_text("This link was revoked on")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("heading", name="Board summary")).to_have_count(0)
    _open(page, viewer_url)
    expect(page.get_by_text("This link was revoked on")).to_be_visible()
    admin.context.close()
