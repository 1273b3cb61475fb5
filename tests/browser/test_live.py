"""Every page picks up other people's changes within 5 s, without losing what the user is typing."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from planner import context, plans
from planner.access import owner
from planner.db import make_engine, read_session, write_session

from .conftest import Server
from .test_app import _open

pytestmark = pytest.mark.browser

LIVE_WITHIN_MS = 5_000
PAGES = ["context", "culture", "capabilities", "workforce", "priorities", "means", "initiatives", "history", "share"]


def _rename(server: Server, name: str) -> None:
    engine = make_engine(server.database_url)
    with read_session(engine) as session:
        version = plans.get_plan(session, owner(), server.demo_id, with_progress=False).version
    with write_session(engine) as session:
        plans.update_plan(session, owner("Colleague"), server.demo_id, version, name=name)


@pytest.mark.parametrize("path", PAGES)
def test_a_rename_elsewhere_shows_on_the_open_page(server: Server, page: Page, path: str) -> None:
    _open(page, f"{server.url}/{path}?plan={server.demo_id}")
    page.wait_for_timeout(500)
    name = f"Northshire Health strategy {time.monotonic_ns()}"

    _rename(server, name)

    expect(page.get_by_text(name).first).to_be_visible(timeout=LIVE_WITHIN_MS)


def test_typing_survives_a_refresh_brought_by_someone_elses_change(server: Server, page: Page) -> None:
    _open(page, f"{server.url}/context?plan={server.demo_id}")
    narrative = page.get_by_role("textbox", name="Strategic narrative")
    narrative.focus()
    narrative.press("Control+End")
    narrative.press_sequentially(" Draft sentence still being typed")
    title = f"New ICB operating model {time.monotonic_ns()}"

    with write_session(make_engine(server.database_url)) as session:
        context.add_item(session, owner("Colleague"), server.demo_id, title=title, category="political",
                         detail="", implication="", priority="high", element_keys=[])  # fmt: skip

    # The items table draws on a canvas; its accessible cells carry the text.
    expect(page.get_by_text(title).first).to_be_attached(timeout=LIVE_WITHIN_MS)
    assert narrative.input_value().endswith(" Draft sentence still being typed")
    narrative.press_sequentially(" and more")
    assert narrative.input_value().endswith("still being typed and more")
