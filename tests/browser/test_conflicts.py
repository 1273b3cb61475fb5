"""Two people edit the same initiative in Chromium: the second save opens the conflict dialog, never overwrites."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from planner import models as m
from planner import plans
from planner.access import owner
from planner.db import make_engine, read_session, write_session

from .conftest import Server
from .test_app import _open, choose, open_tab

pytestmark = pytest.mark.browser

INITIATIVE = "Reverse mentoring for the board and executive"


def _edit_form(page: Page, server: Server) -> object:
    _open(page, f"{server.url}/initiatives?plan={server.demo_id}")
    portfolio = open_tab(page, "Portfolio")
    portfolio.get_by_text("Edit or delete an initiative").click()
    choose(page, portfolio.get_by_label("Initiative to edit"), INITIATIVE)
    form = portfolio.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Save changes"))
    expect(form.get_by_label("Owner")).to_be_visible()
    return form


def _owner(server: Server) -> str:
    with read_session(make_engine(server.database_url)) as session:
        initiative = m.Initiative
        query = select(initiative.owner).where(initiative.plan_id == server.demo_id, initiative.title == INITIATIVE)
        return session.execute(query).scalar_one()


def test_the_second_save_opens_the_dialog_and_keep_theirs_leaves_their_value(
    server: Server, browser: Browser, page: Page
) -> None:
    mine = _edit_form(page, server)
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    theirs_page = other.new_page()
    theirs = _edit_form(theirs_page, server)

    theirs.get_by_label("Owner").fill("Director of People (theirs)")
    theirs.get_by_role("button", name="Save changes").click()
    expect(theirs_page.get_by_text(f"Saved “{INITIATIVE}”.")).to_be_visible()

    mine.get_by_label("Owner").fill("Chief Nurse (mine)")
    mine.get_by_role("button", name="Save changes").click()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Someone else saved first")).to_be_visible()
    expect(dialog.get_by_text("Chief Nurse (mine)")).to_be_visible()
    expect(dialog.get_by_text("Director of People (theirs)")).to_be_visible()
    assert _owner(server) == "Director of People (theirs)"

    dialog.get_by_role("button", name="Keep theirs").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_text("your change was not saved")).to_be_visible()
    assert _owner(server) == "Director of People (theirs)"
    other.close()


def test_plan_details_saved_over_someone_elses_keep_their_other_fields(server: Server, page: Page) -> None:
    _open(page, f"{server.url}/?plan={server.demo_id}")
    page.get_by_role("button", name="Manage").first.click()
    page.get_by_role("button", name="Edit details").click()
    edit = page.get_by_role("dialog")
    expect(edit.get_by_label("Organisation")).to_be_visible()  # opened on the version before theirs
    engine = make_engine(server.database_url)
    with read_session(engine) as session:
        version = plans.get_plan(session, owner(), server.demo_id).version
    with write_session(engine) as session:
        plans.update_plan(session, owner("Colleague"), server.demo_id, version, sector="Acute and mental health")

    edit.get_by_label("Organisation").fill("Northshire and Westmere Health")
    edit.get_by_role("button", name="Save changes").click()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Someone else saved first")).to_be_visible()
    expect(dialog.get_by_text("Northshire and Westmere Health")).to_be_visible()
    dialog.get_by_role("button", name="Overwrite with mine").click()
    expect(page.get_by_text("Saved your version")).to_be_visible()
    with read_session(engine) as session:
        saved = plans.get_plan(session, owner(), server.demo_id)
    assert (saved.organisation, saved.sector) == ("Northshire and Westmere Health", "Acute and mental health")
