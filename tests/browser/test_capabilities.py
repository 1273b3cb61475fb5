"""Capabilities in Chromium: the filters open from their popover and narrow the gap chart."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server
from .test_app import _open, settle

pytestmark = pytest.mark.browser

EVERYTHING = "Every tier · individual and collective · retired capabilities left out"


def test_the_filters_are_drawn_once_their_popover_opens_and_narrow_the_gap_chart(server: Server, page: Page) -> None:
    _open(page, f"{server.url}/capabilities?plan={server.demo_id}")
    expect(page.get_by_text(EVERYTHING)).to_be_visible()
    expect(page.get_by_test_id("stMultiSelect")).to_have_count(0)  # the browser draws the popover's content later
    gap_chart = page.get_by_test_id("stImage").locator("img").first
    everything = gap_chart.get_attribute("src")

    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("stMultiSelect")).to_be_visible()
    page.get_by_role("radio", name="Collective", exact=True).click()  # single-choice pills are radios
    settle(page)

    expect(page.get_by_text("Every tier · collective only · retired capabilities left out")).to_be_visible()
    expect(gap_chart).not_to_have_attribute("src", everything or "")
