"""Development in Chromium: add an initiative serving a new priority, record a check-in, and see the roadmap and
the traceability view change."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from planner import models as m
from planner import priorities
from planner.access import owner
from planner.db import make_engine, write_session

from .conftest import Server
from .test_app import _open, choose, open_tab

pytestmark = pytest.mark.browser

TITLE = "Ward leaders' action learning sets"


def _new_priority(server: Server) -> str:
    """A priority no initiative delivers yet (the demo's own are all delivered)."""
    with write_session(make_engine(server.database_url)) as session:
        capability = session.execute(select(m.Capability.id).where(
            m.Capability.plan_id == server.demo_id, m.Capability.key == "shared_leadership")).scalar_one()
        priorities.promote(session, owner(), server.demo_id, capability_id=capability, title="Shared leadership",
                           rationale="", target_level=3, target_date=date(2028, 3, 31), element_keys=[])
    return "Shared leadership"


def _roadmap_picture(page: Page) -> bytes:
    chart = open_tab(page, "Roadmap").get_by_test_id("stImage").locator("img").first
    expect(chart).to_be_visible()
    return base64.b64decode((chart.get_attribute("src") or ",").partition(",")[2])


def test_add_an_initiative_for_a_priority_check_in_and_the_views_change(server: Server, page: Page) -> None:
    priority = _new_priority(server)
    _open(page, f"{server.url}/initiatives?plan={server.demo_id}")
    gaps = open_tab(page, "Traceability")
    expect(gaps.get_by_text(priority).first).to_be_visible()
    expect(gaps.get_by_text("Every priority is delivered by at least one initiative.")).to_have_count(0)
    before = _roadmap_picture(page)

    portfolio = open_tab(page, "Portfolio")
    if not portfolio.get_by_label("Title").first.is_visible():
        portfolio.get_by_text("Add an initiative").click()
    form = portfolio.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Add initiative"))
    form.get_by_label("Title").fill(TITLE)
    choose(page, form.get_by_label("Priorities it serves"), priority)
    form.get_by_label("day, Start").click()
    page.keyboard.type("01012027")
    form.get_by_label("day, End").click()
    page.keyboard.type("30062027")
    form.get_by_role("button", name="Add initiative").click()
    expect(page.get_by_text(f"Added “{TITLE}”.")).to_be_visible()

    after_adding = _roadmap_picture(page)
    traced = open_tab(page, "Traceability")
    expect(traced.get_by_text("Every priority is delivered by at least one initiative.")).to_be_visible()
    expect(traced.get_by_text(TITLE).first).to_be_visible()

    check_ins = open_tab(page, "Check-ins")
    choose(page, check_ins.get_by_label("Initiative").first, TITLE)
    check_ins.get_by_text("Red", exact=True).click()
    check_ins.get_by_label("% complete").fill("10")
    check_ins.get_by_role("button", name="Record check-in").click()
    expect(page.get_by_text("Check-in recorded.")).to_be_visible()
    expect(check_ins.get_by_text("Status: Off track")).to_be_visible()

    after_check_in = _roadmap_picture(page)
    assert before != after_adding != after_check_in  # a new bar, then the bar turns red
