"""A workshop in Chromium: three participants vote through the link; the facilitator's open page updates live."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from planner import culture, sharing
from planner.access import owner
from planner.db import make_engine, write_session

from .conftest import FIGURE, Server
from .test_app import _open

pytestmark = pytest.mark.browser


def _workshop(server: Server) -> str:
    """A new open round on the demo plan and its participant link."""
    with write_session(make_engine(server.database_url)) as session:
        round_id = culture.create_round(session, owner(), server.demo_id, "Live workshop", date(2026, 11, 25))
        link = sharing.create_link(session, owner(), server.demo_id, "participant", label="Live workshop",
                                   round_id=round_id, base_url=server.url)
    return link.url


def _vote(page: Page, url: str, group: str, score_label: str) -> None:
    _open(page, url)
    radios = page.get_by_role("radiogroup")
    radios.first.get_by_text(group, exact=True).click()
    for index in range(1, radios.count()):
        radios.nth(index).get_by_text(score_label).click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("your answers are recorded", exact=False)).to_be_visible()


def test_three_participants_show_up_live_on_the_facilitator_page(server: Server, browser, page: Page) -> None:
    url = _workshop(server)
    _open(page, f"{server.url}/culture?plan={server.demo_id}")
    expect(page.get_by_role("combobox", name="Survey round")).to_have_value("Live workshop · open")
    expect(page.locator(f"{FIGURE} .value").first).to_have_text("0")

    for group, score in (("Board", "5 · Strongly agree"), ("Manager", "3 · Neutral"), ("Board", "4 · Agree")):
        context = browser.new_context(viewport={"width": 420, "height": 900})
        _vote(context.new_page(), url, group, score)
        context.close()

    expect(page.locator(f"{FIGURE} .value").first).to_have_text("3", timeout=10_000)
    means = page.get_by_role("table").filter(has_text="Mean (1–5)")
    expect(means.get_by_text("Vision and strategy")).to_be_visible()
    expect(means.get_by_text("4.00")).to_have_count(7)  # (5 + 3 + 4) / 3 on every element


def test_the_participant_link_reaches_no_other_page(server: Server, page: Page) -> None:
    url = _workshop(server)
    _open(page, url)
    expect(page.get_by_role("heading", name="Have your say")).to_be_visible()

    _open(page, url.replace("/?token=", "/context?token="))

    expect(page.get_by_role("heading", name="Have your say")).to_be_visible()
    expect(page.get_by_role("heading", name="Strategic context")).to_have_count(0)
    expect(page.get_by_test_id("stSidebar")).to_have_count(0)
