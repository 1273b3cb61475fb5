"""The initiatives page: the demo portfolio and roadmap, adding an initiative, recording a check-in, viewers."""

from __future__ import annotations

from datetime import date

import pandas as pd
from streamlit.testing.v1 import AppTest

from planner import initiatives, sharing
from planner.access import owner
from planner.db import read_session, write_session
from planner.ui.initiative_views import ADD_OPEN, ATTENTION_OPEN, EDIT_OPEN
from planner.ui.navigation import page_file

from .conftest import APP, AppDb, button, figures, open_panel, open_tab, shown_charts, shows, tables, texts

RECRUITMENT = "Inclusive recruitment panels for Band 8A and above"  # a demo initiative with no check-in yet


def _portfolio(app_db: AppDb, plan_id: int) -> pd.DataFrame:
    with read_session(app_db.engine()) as session:
        return initiatives.portfolio(session, owner(), plan_id)


def test_demo_page_shows_the_portfolio_roadmap_and_what_needs_attention(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("initiatives", demo_id)

    assert not at.exception
    assert [tab.label for tab in at.tabs][:6] == ["Portfolio", "Roadmap", "Check-ins", "Milestones", "Traceability",
                                                  "Budget"]  # fmt: skip
    attention = tables(at)[0]
    assert "WRES action plan 2026–27" in list(attention["Initiative"])  # a milestone due 15 Nov 2026 is not done
    shown = {figure.label: figure for figure in figures(at)}
    assert shown["Initiatives"].value == "16"
    budget = shown["Budget"]
    assert (budget.value, budget.help) == ("£813k", "£813,000 in all, across the initiatives shown")  # fits
    assert "Showing 16 of 16 initiatives." in texts(at, "caption")
    table = at.dataframe[0].value.set_index("Initiative")
    assert len(table) == 16
    assert list(table.loc["WRES action plan 2026–27", "Status"]) == ["Off track"]  # one coloured label
    assert list(table.loc["WRES action plan 2026–27", "Needs attention"]) == ["1 overdue milestone"]
    assert list(table.loc[RECRUITMENT, "Needs attention"]) == []

    at = open_tab(at, "initiatives", "Roadmap")
    assert not at.exception
    [roadmap] = [chart for chart in shown_charts(at) if chart.title == "Roadmap"]
    rows = roadmap.rows()
    assert len(rows) == 16 + 3 and rows[0] == "Leadership development"  # each type's heading, then its initiatives


def test_a_long_attention_list_shows_the_most_urgent_and_the_rest_on_request(app_db: AppDb, demo_id: int) -> None:
    extra = initiatives.ATTENTION_SHOWN + 5
    with write_session(app_db.engine()) as session:
        for n in range(extra):  # under way since April with no check-in: each needs attention
            initiatives.add_initiative(session, owner(), demo_id, title=f"Coaching cohort {n + 1}",
                                       start=date(2026, 4, 1), end=date(2027, 3, 31))  # fmt: skip
    flagged = 2 + extra  # the demo's own two

    at = app_db.app("initiatives", demo_id)

    assert not at.exception
    [urgent] = tables(at)
    assert len(urgent) == initiatives.ATTENTION_SHOWN
    assert urgent["Initiative"].iloc[0] == "WRES action plan 2026–27"  # the one with an overdue milestone
    assert f"The {initiatives.ATTENTION_SHOWN} most urgent of {flagged}:" in texts(at, "caption")
    assert "Every initiative needing attention" in [expander.label for expander in at.expander]

    at = open_panel(at, ATTENTION_OPEN)
    assert [len(table) for table in tables(at)] == [initiatives.ATTENTION_SHOWN, flagged]
    not_off_track = [status for status in initiatives.STATUS_LABELS if status != "off_track"]
    at.multiselect(key="initiative_filter_status").set_value(not_off_track).run()
    urgent, everyone = tables(at)  # the panel stays open when the filters change
    assert len(everyone) < flagged and "Off track" not in set(everyone["Status"])


def test_filters_narrow_the_portfolio_and_the_roadmap(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("initiatives", demo_id)

    at.multiselect(key="initiative_filter_status").set_value(["done"]).run()

    assert not at.exception
    assert "Showing 3 of 16 initiatives, filtered by status." in texts(at, "caption")  # beside the closed popover
    at = open_tab(at, "initiatives", "Roadmap")
    assert not at.exception
    assert "Showing 3 of 16 initiatives, filtered by status." in texts(at, "caption"), "kept on a tab change"
    [roadmap] = [chart for chart in shown_charts(at) if chart.title == "Roadmap"]
    expected = [
        "Organisation development", "Northshire Conversations: listening events",
        "Cross-site specialty interface workshops",
        "Shaping leadership and organisational culture", "Launch of the improvement recognition scheme",
    ]  # fmt: skip
    rows = roadmap.rows()
    assert len(rows) == len(expected) and all(map(shows, rows, expected)), rows

    at.multiselect(key="initiative_filter_owner").set_value(["Head of Talent and Resourcing"]).run()
    assert "Showing 0 of 16 initiatives, filtered by owner and status." in texts(at, "caption")


def _first_priority(app_db: AppDb, plan_id: int) -> int:
    with read_session(app_db.engine()) as session:
        return next(iter(initiatives.link_options(session, owner(), plan_id)["priority"]))


def test_adding_an_initiative_linked_to_a_priority_persists(app_db: AppDb, demo_id: int) -> None:
    priority = _first_priority(app_db, demo_id)
    at = open_panel(app_db.app("initiatives", demo_id), ADD_OPEN)

    at.text_input(key="initiative_new_title").input("Ward leader huddles")
    at.selectbox(key="initiative_new_kind").set_value("organisation_development")
    at.date_input(key="initiative_new_start").set_value(date(2027, 1, 1))
    at.date_input(key="initiative_new_end").set_value(date(2027, 12, 31))
    at.number_input(key="initiative_new_budget").set_value(12_000)
    at.multiselect(key="initiative_new_priority_ids").set_value([priority])
    at = button(at, "Add initiative").click().run()

    assert not at.exception
    assert "Added “Ward leader huddles”." in texts(at, "success")
    row = _portfolio(app_db, demo_id).set_index("title").loc["Ward leader huddles"]
    assert (row["kind"], row["budget"], row["start"], row["links"]) == ("organisation_development", 12_000,
                                                                        date(2027, 1, 1), 1)  # fmt: skip
    with read_session(app_db.engine()) as session:
        links = initiatives.links(session, owner(), demo_id)
    assert list(links.loc[links["initiative_id"] == row["id"], "target_id"]) == [priority]
    assert at.text_input(key="initiative_new_title").value == ""  # the form is ready for the next one


def test_a_refused_initiative_writes_nothing_and_keeps_what_was_typed(app_db: AppDb, demo_id: int) -> None:
    at = open_panel(app_db.app("initiatives", demo_id), ADD_OPEN)

    at.text_input(key="initiative_new_title").input("Backwards")
    at.date_input(key="initiative_new_start").set_value(date(2027, 6, 1))
    at.date_input(key="initiative_new_end").set_value(date(2027, 1, 1))
    at = button(at, "Add initiative").click().run()

    assert "End date: the end (01 Jan 2027) is before the start (01 Jun 2027)." in texts(at, "error")
    assert len(_portfolio(app_db, demo_id)) == 16
    assert at.text_input(key="initiative_new_title").value == "Backwards"


def test_choosing_a_library_intervention_prefills_the_form(app_db: AppDb, demo_id: int) -> None:
    at = open_panel(app_db.app("initiatives", demo_id), ADD_OPEN)

    at = at.selectbox(key="initiative_new_library").set_value("reverse_mentoring").run()

    assert not at.exception
    assert at.text_input(key="initiative_new_title").value == "Reverse mentoring"
    assert at.number_input(key="initiative_new_budget").value > 0


def test_recording_a_check_in_persists_and_changes_the_status_shown(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("initiatives", demo_id), "initiatives", "Check-ins")
    chosen = int(_portfolio(app_db, demo_id).set_index("title").loc[RECRUITMENT, "id"])
    at = at.selectbox(key="initiative_check_in_pick").set_value(chosen).run()
    assert "**Status: Not started**" in texts(at, "markdown")

    at.radio(key=f"check_in_{chosen}_0_rag").set_value("red")
    at.number_input(key=f"check_in_{chosen}_0_percent_complete").set_value(10)
    at.text_area(key=f"check_in_{chosen}_0_note").input("Panel training delayed")
    at = button(at, "Record check-in").click().run()

    assert not at.exception
    assert "Check-in recorded." in texts(at, "success")
    assert "**Status: Off track** · 10% complete" in texts(at, "markdown")
    row = _portfolio(app_db, demo_id).set_index("title").loc[RECRUITMENT]
    assert (row["status_label"], row["percent_complete"], row["check_ins"]) == ("Off track", 10, 1)
    history = next(table for table in tables(at) if "RAG" in table.columns)
    assert list(history["Note"]) == ["Panel training delayed"]
    assert list(history["RAG"]) == [":red-badge[Red]"]  # a red badge, as the status column's colours


def test_a_bad_check_in_is_refused_with_a_message(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("initiatives", demo_id), "initiatives", "Check-ins")
    chosen = int(at.selectbox(key="initiative_check_in_pick").value)
    before = int(_portfolio(app_db, demo_id).set_index("id").loc[chosen, "check_ins"])
    prefix = f"check_in_{chosen}_{before}_"

    at.number_input(key=f"{prefix}percent_complete").set_value(150)
    at = button(at, "Record check-in").click().run()

    assert "% complete must be from 0 to 100 (you entered 150)." in texts(at, "error")
    assert int(_portfolio(app_db, demo_id).set_index("id").loc[chosen, "check_ins"]) == before


def test_a_viewer_sees_the_portfolio_and_roadmap_but_no_forms(app_db: AppDb, demo_id: int) -> None:
    with write_session(app_db.engine()) as session:
        link = sharing.create_link(session, owner(), demo_id, "viewer", label="Board", base_url="http://localhost")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["token"] = link.token
    at.run()
    at = at.switch_page(page_file("initiatives")).run()

    assert not at.exception
    assert len(at.dataframe[0].value) == 16, "the portfolio table"
    forms = ("Add initiative", "Record check-in", "Add milestone", "Save changes")
    for label in ["Portfolio", "Roadmap", "Check-ins", "Milestones", "Traceability", "Budget"]:
        at = open_tab(at, "initiatives", label)
        assert not at.exception, label
        assert not [b for b in at.button if b.label in forms], label
        assert not [t for t in at.text_input if t.key and t.key.startswith(("initiative_new_", "check_in_"))], label
        assert len(at.data_editor) == 0, label
        if label == "Roadmap":
            assert any(chart.title == "Roadmap" for chart in shown_charts(at))


def test_a_plan_without_initiatives_shows_the_framework_prompt_and_the_add_form(app_db: AppDb) -> None:
    at = app_db.app("initiatives", app_db.blank_id)

    assert not at.exception
    assert "No initiatives planned yet." in texts(at, "info")
    assert button(at, "Add initiative")


def _priority_links(app_db: AppDb, plan_id: int, initiative_id: int) -> list[int]:
    with read_session(app_db.engine()) as session:
        links = initiatives.links(session, owner(), plan_id)
    return list(links.loc[(links["initiative_id"] == initiative_id) & (links["kind"] == "priority"), "target_id"])


def test_editing_an_initiative_saves_its_fields_and_links_and_deleting_removes_it(app_db: AppDb, demo_id: int) -> None:
    chosen = int(_portfolio(app_db, demo_id).set_index("title").loc[RECRUITMENT, "id"])
    with read_session(app_db.engine()) as session:
        ranked = list(initiatives.link_options(session, owner(), demo_id)["priority"])
    assert _priority_links(app_db, demo_id, chosen) == ranked[:1]  # the demo links it to the first priority only
    priority = ranked[-1]
    at = open_panel(app_db.app("initiatives", demo_id), EDIT_OPEN)
    at = at.selectbox(key="initiative_edit_pick").set_value(chosen).run()
    prefix = f"initiative_form_{chosen}_"

    at.text_input(key=f"{prefix}owner").input("Director of People")
    at.multiselect(key=f"{prefix}priority_ids").set_value([priority])
    at = button(at, "Save changes").click().run()

    assert not at.exception
    assert f"Saved “{RECRUITMENT}”." in texts(at, "success")
    row = _portfolio(app_db, demo_id).set_index("id").loc[chosen]
    assert (row["owner"], row["version"]) == ("Director of People", 2)
    assert _priority_links(app_db, demo_id, chosen) == [priority]

    at = button(at, "Delete initiative").click().run()

    assert f"Deleted “{RECRUITMENT}”." in texts(at, "success")
    assert chosen not in set(_portfolio(app_db, demo_id)["id"])


def test_adding_a_milestone_persists_and_an_overdue_one_is_flagged(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("initiatives", demo_id), "initiatives", "Milestones")
    chosen = int(at.selectbox(key="initiative_milestone_pick").value)

    at.text_input(key="milestone_new_title").input("Missed deadline")
    at.date_input(key="milestone_new_due").set_value(date(2026, 1, 15))
    at = button(at, "Add milestone").click().run()

    assert not at.exception
    assert "Added the milestone “Missed deadline”." in texts(at, "success")
    assert _portfolio(app_db, demo_id).set_index("id").loc[chosen, "overdue_milestones"] == 1
    overdue = next(table for table in tables(at) if "Milestone" in table.columns)
    assert "Missed deadline" in list(overdue["Milestone"])
    assert ":red[**15 Jan 2026**]" in list(overdue["Due"])
