"""The live board summary in Chromium: an edit made in one browser shows on another's open summary within 5 s."""

from __future__ import annotations

import time
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from planner import initiatives, sharing
from planner.access import owner
from planner.db import make_engine, write_session

from .conftest import FIGURE, Server, figure_value
from .test_app import _open

pytestmark = pytest.mark.browser

LIVE_WITHIN_MS = 5_000
TAG_CHARTS = """() => {
    window.__summaryStayed = true;
    const charts = document.querySelectorAll('[data-testid=stImage] img');
    charts.forEach((chart) => chart.setAttribute('data-summary-tag', '1'));
    return charts.length;
}"""
TAGS_LEFT = "() => window.__summaryStayed === true ? document.querySelectorAll('[data-summary-tag]').length : -1"


def _open_summary(page: Page, server: Server) -> None:
    _open(page, f"{server.url}/summary?plan={server.demo_id}")
    expect(page.locator(FIGURE)).to_have_count(6)
    expect(page.get_by_test_id("stImage")).to_have_count(4)


def test_an_edit_in_another_browser_shows_on_the_open_summary(server: Server, browser, page: Page) -> None:
    _open_summary(page, server)
    tagged = page.evaluate(TAG_CHARTS)
    assert tagged >= 4
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    editor = other.new_page()
    _open(editor, server.url + "/")
    editor.get_by_role("button", name="Manage").first.click()
    editor.get_by_role("button", name="Edit details").click()
    dialog = editor.get_by_role("dialog")
    organisation = f"Northshire and Westmere Health {time.monotonic_ns()}"
    dialog.get_by_label("Organisation").fill(organisation)

    dialog.get_by_role("button", name="Save changes").click()
    saved = time.monotonic()

    expect(page.get_by_text(organisation).first).to_be_visible(timeout=LIVE_WITHIN_MS)
    assert time.monotonic() - saved < LIVE_WITHIN_MS / 1000
    expect(editor.get_by_text("Plan details saved.")).to_be_visible()
    assert page.evaluate(TAGS_LEFT) == tagged  # no reload, and the unchanged charts were not redrawn
    other.close()


def test_a_new_initiative_moves_the_budget_on_the_open_summary(server: Server, page: Page) -> None:
    _open_summary(page, server)
    budget = figure_value(page, "Budget committed")
    before = int(budget.inner_text().lstrip("£").replace(",", ""))
    count = int(page.get_by_text("initiatives in all").first.inner_text().split()[0])

    with write_session(make_engine(server.database_url)) as session:
        initiatives.add_initiative(session, owner(), server.demo_id, title="Board away day", budget=12_345,
                                   start=date(2027, 1, 10), end=date(2027, 1, 11))  # fmt: skip

    expect(budget).to_have_text(f"£{before + 12_345:,}", timeout=LIVE_WITHIN_MS)
    expect(page.get_by_text(f"{count + 1} initiatives in all").first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_revoked_viewer_link_stops_receiving_the_live_summary(server: Server, page: Page) -> None:
    with write_session(make_engine(server.database_url)) as session:
        link = sharing.create_link(session, owner(), server.demo_id, "viewer", label="Board", base_url=server.url)
    _open(page, link.url.replace("/?token=", "/summary?token="))
    expect(page.locator(FIGURE)).to_have_count(6)

    with write_session(make_engine(server.database_url)) as session:
        sharing.revoke_link(session, owner(), server.demo_id, link.id)

    expect(page.get_by_text("This link was revoked")).to_be_visible(timeout=LIVE_WITHIN_MS)
    expect(page.locator(FIGURE)).to_have_count(0)


TOOLTIP = "element => getComputedStyle(element, '::after').content"


def test_a_figures_help_opens_on_keyboard_focus_and_changes_point_their_way(server: Server, page: Page) -> None:
    _open_summary(page, server)
    culture, board = (page.locator(FIGURE).filter(has=page.locator(".label", has_text=label))
                      for label in ("Culture index", "BME share of the board"))  # fmt: skip
    help_icon = culture.get_by_role("img", name="Mean of the element means", exact=False)
    assert help_icon.evaluate(TOOLTIP) == "none"

    help_icon.focus()

    assert "Mean of the element means in" in help_icon.evaluate(TOOLTIP)
    expect(culture.locator(".delta.good")).to_contain_text("+0.10 since the last round")  # the demo's index rose
    expect(culture.locator(".delta .icon")).to_have_text("arrow_upward")
    expect(board.locator(".delta.bad")).to_contain_text("-21.5 pp vs workforce")
    expect(board.locator(".delta .icon")).to_have_text("arrow_downward")
