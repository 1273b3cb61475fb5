"""Design in Chromium: promote a capability gap to a priority, give it a means from the library, see it covered."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server
from .test_app import _open

pytestmark = pytest.mark.browser

ALL_COVERED = "Every priority and weak cultural element has at least one means."


def test_promote_a_gap_add_a_library_means_and_the_uncovered_flag_clears(server: Server, page: Page) -> None:
    _open(page, f"{server.url}/priorities?plan={server.demo_id}")
    page.get_by_role("button", name="Promote", exact=True).first.click()
    field = page.get_by_label("Title")
    expect(field).not_to_have_value("")  # the popover fills in the capability's name once it has drawn
    title = field.input_value()
    page.get_by_role("button", name="Promote to priority").click()
    expect(page.get_by_text(f"Promoted “{title}” to a priority.")).to_be_visible()

    _open(page, f"{server.url}/means?plan={server.demo_id}")
    warning = page.get_by_test_id("stAlertContentWarning")
    expect(warning).to_contain_text(title)
    expect(warning).to_contain_text("uncovered")
    expect(page.get_by_text(ALL_COVERED)).to_have_count(0)

    page.get_by_role("button", name="Add from library").click()
    expect(page.get_by_text("as a means.")).to_be_visible()
    expect(page.get_by_text(ALL_COVERED)).to_be_visible()
    expect(page.get_by_test_id("stAlertContentWarning").filter(has_text=title)).to_have_count(0)
