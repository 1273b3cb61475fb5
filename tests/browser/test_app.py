"""The app in Chromium against a real server: pages load, edits persist across a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from planner.ui.navigation import SPECS

from .conftest import Server

BY_PATH = {spec.url_path: spec for spec in SPECS}

pytestmark = pytest.mark.browser


expect.set_options(timeout=20_000)


def _open(page: Page, url: str) -> None:
    """Load a URL and wait until the script run has finished rendering."""
    page.goto(url)
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


def settle(page: Page) -> None:
    """Wait until no script run is in progress."""
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=60_000)


def open_tab(page: Page, name: str) -> Locator:
    """Show a tab and wait for its content: only the open tab's content runs, so a click reruns the page.

    The panel of a tab that was closed is empty until that rerun draws it (which starts some 0.5 s after
    the click), so wait for its first element, then for the run to finish.
    """
    page.get_by_role("tab", name=name, exact=True).click()
    panel = page.get_by_role("tabpanel", name=name, exact=True)
    expect(panel.get_by_test_id("stElementContainer").first).to_be_attached(timeout=60_000)
    settle(page)
    return panel


def choose(page: Page, box: Locator, option: str) -> None:
    """Pick the first option of a Streamlit select that contains `option`, by typing it and clicking it.

    Typing filters the list (clicking a long list's last option can miss). Keystrokes or a click that land
    while a rerun redraws the select are lost, so a pick that does not show is tried again.
    """
    for attempt in range(3):
        box.click()
        page.keyboard.type(option)
        wanted = page.get_by_role("option", name=option, exact=False).first
        try:
            label = wanted.inner_text(timeout=5_000).strip()
            wanted.click(timeout=5_000)
            if page.get_by_role("listbox").count():
                # A multiselect's list stays open, and while it is open everything else is hidden from roles.
                page.keyboard.press("Escape")
            _wait_until_picked(page, box, label)
            return
        except (AssertionError, PlaywrightTimeout):
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def _wait_until_picked(page: Page, box: Locator, label: str) -> None:
    """A select shows its pick as the box's value; a multiselect as a tag with a remove button."""
    tag = page.get_by_role("button", name=f"Remove {label}", exact=True)
    for _ in range(50):
        if tag.count() or box.input_value(timeout=1_000) == label:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the select does not show {label!r}")


def tab_names(page: Page) -> list[str]:
    """The labels of the page's tabs, in order."""
    return [name.strip() for name in page.get_by_role("tab").all_inner_texts()]


def test_home_shows_demo_plan(server: Server, page: Page) -> None:
    _open(page, server.url + "/")
    expect(page.get_by_text("Northshire Health leadership strategy", exact=False).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.parametrize("path", [spec.url_path for spec in SPECS])
def test_every_page_loads_without_exception(server: Server, page: Page, path: str) -> None:
    _open(page, f"{server.url}/{path}?plan={server.demo_id}")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Northshire Health leadership strategy").first).to_be_visible()
    for name in tab_names(page)[1:]:  # each tab's content runs only once it is opened
        open_tab(page, name)
        expect(page.get_by_test_id("stException"), name).to_have_count(0)


@pytest.mark.parametrize("path", ["culture", "workforce"])
def test_deep_link_is_first_request(server: Server, page: Page, path: str) -> None:
    server.restart()  # Streamlit serves a server's first request through its legacy pages/ discovery
    _open(page, f"{server.url}/{path}?plan={server.demo_id}")
    expect(page.get_by_role("heading", name=BY_PATH[path].title.split()[0], exact=False).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.wait_for_timeout(1_000)  # the dialog, when it comes, follows the first render
    expect(page.get_by_text("Page not found")).to_have_count(0)


def _health_checks(page: Page) -> list[str]:
    """The health checks the page's frontend makes from now on, in order (its probes for the base address)."""
    checks: list[str] = []
    page.on("request", lambda request: checks.append(request.url) if "_stcore/health" in request.url else None)
    return checks


def test_page_path_opens_without_probing_for_the_base_address(server: Server, page: Page) -> None:
    checks = _health_checks(page)
    _open(page, f"{server.url}/summary?plan={server.demo_id}")
    expect(page.get_by_role("heading", name="Board summary").first).to_be_visible()
    assert checks == [f"{server.url}/_stcore/health"]


def test_app_py_alone_serves_the_same_pages_after_a_probe(server: Server, page: Page, tmp_path: Path) -> None:
    plain = Server(server.database_url, tmp_path / "app.log", script=Path("app.py"))
    plain.start()
    try:
        checks = _health_checks(page)
        _open(page, f"{plain.url}/summary?plan={server.demo_id}")
        expect(page.get_by_role("heading", name="Board summary").first).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        assert checks == [f"{plain.url}/summary/_stcore/health", f"{plain.url}/_stcore/health"]
    finally:
        plain.stop()


def test_metadata_edit_survives_restart(server: Server, page: Page) -> None:
    _open(page, server.url + "/")
    page.get_by_role("button", name="Manage").first.click()
    page.get_by_role("button", name="Edit details").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Organisation").fill("Northshire and Eastbrook Health NHS Foundation Trust")
    dialog.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Plan details saved.")).to_be_visible()
    server.restart()
    _open(page, server.url + "/")
    expect(page.get_by_text("Northshire and Eastbrook Health NHS Foundation Trust").first).to_be_visible()


def test_create_plan_from_framework(server: Server, page: Page) -> None:
    _open(page, server.url + "/")
    page.get_by_role("button", name="New plan").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Plan name").fill("Eastbrook leadership strategy")
    dialog.get_by_role("button", name="Create plan").click()
    expect(page.get_by_text("Open plan: Eastbrook leadership strategy")).to_be_visible()
    assert "Eastbrook leadership strategy" in server.cli("plans")


def test_delete_needs_the_plan_name(server: Server, page: Page) -> None:
    _open(page, server.url + "/")
    page.get_by_role("button", name="Manage").first.click()
    page.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("to confirm", exact=False).fill("wrong name")
    dialog.get_by_role("button", name="Delete permanently").click()
    expect(dialog.get_by_text("Type the plan's name exactly", exact=False)).to_be_visible()
    assert "Northshire" in server.cli("plans")


def test_conflicting_edit_is_reported_not_overwritten(server: Server, browser, page: Page) -> None:
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    for tab in (page, other):
        _open(tab, server.url + "/")
        tab.get_by_role("button", name="Manage").first.click()
        tab.get_by_role("button", name="Edit details").click()
    other.get_by_role("dialog").get_by_label("Sector").fill("Saved first")
    other.get_by_role("dialog").get_by_role("button", name="Save changes").click()
    expect(other.get_by_text("Plan details saved.")).to_be_visible()

    page.get_by_role("dialog").get_by_label("Sector").fill("Saved second")
    page.get_by_role("dialog").get_by_role("button", name="Save changes").click()

    conflict = page.get_by_role("dialog")
    expect(conflict.get_by_text("Someone else saved first")).to_be_visible()
    expect(conflict.get_by_text("Saved second")).to_be_visible()  # their value and mine, side by side
    conflict.get_by_role("button", name="Keep theirs").click()
    expect(page.get_by_text("your change was not saved")).to_be_visible()
    expect(page.get_by_text("Saved first", exact=False).first).to_be_visible()
    expect(page.get_by_text("Saved second")).to_have_count(0)
    other.context.close()
