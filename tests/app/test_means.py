"""The means page: the demo's coverage and totals, adding from the library and by hand, edits, removal, viewers."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner import means, records, sharing
from planner import models as m
from planner.access import owner
from planner.db import read_session, write_session
from planner.ui.means_views import COVERAGE_TABLE_OPEN, EDIT_OPEN, TABLE_COLUMNS
from planner.ui.navigation import page_file

from .conftest import APP, AppDb, button, cards, edit_cells, open_panel, open_tab, shown_charts, tables, texts

TITLE = "Holding leaders to account for improvement"


def _new_priority(app_db: AppDb, plan_id: int, title: str = TITLE) -> int:
    """A priority for the Holding to account capability, with no means yet."""
    with write_session(app_db.engine()) as session:
        capability = session.execute(
            select(m.Capability.id).where(m.Capability.plan_id == plan_id, m.Capability.key == "holding_to_account")
        ).scalar_one()
        values = {"title": title, "rank": 7, "capability_id": capability, "element_keys": ["objectives"]}
        return records.add(session, owner(), m.Priority, plan_id, values)


def _means(app_db: AppDb, plan_id: int) -> pd.DataFrame:
    with read_session(app_db.engine()) as session:
        return means.list_means(session, owner(), plan_id)


def _shown(app_db: AppDb, plan_id: int, at: AppTest) -> pd.DataFrame:
    """The records behind the means editor's rows, in its order (the editor holds only the shown columns)."""
    approaches = list(at.data_editor[0].value["approach"])
    return _means(app_db, plan_id).set_index("approach").loc[approaches].reset_index()


def test_demo_page_shows_means_by_mode_the_heatmap_and_totals(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("means", demo_id)

    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["Means by priority", "Coverage", "Totals"]
    assert "Every priority and weak cultural element has at least one means." in texts(at, "success")
    [card] = [card for card in cards(at) if card.line == "Inclusive recruitment panels for Band 8A and above"]
    assert card.badge in {"Current", "Planned"} and "months' lead time" in card.details[0]
    assert "Edit or remove these means" in [panel.label for panel in at.expander]
    assert not at.data_editor, "closed, the editor is neither built nor sent"
    assert not shown_charts(at) and not tables(at), "only the open tab's content is drawn"

    at = open_panel(at, EDIT_OPEN)
    assert len(at.data_editor) == 1 and len(at.data_editor[0].value) == 4
    assert tuple(at.data_editor[0].value.columns) == TABLE_COLUMNS, "ids and versions stay on the server"
    assert at.selectbox(key=f"means_remove_{demo_id}").options

    at = open_tab(at, "means", "Coverage")
    [chart] = shown_charts(at)
    assert chart.title == "Coverage: priorities and weak cultural elements × means"
    assert not at.data_editor

    at = open_tab(at, "means", "Totals")
    by_mode, by_tier = tables(at)
    assert list(by_mode["Mode"]) == ["Acquire", "Develop", "Sustain", "Total"]
    assert list(by_tier["Tier"]) == ["Board", "Executive", "Senior", "Middle", "First-line"]


def test_the_coverage_table_is_built_only_once_opened(app_db: AppDb, demo_id: int) -> None:
    def coverage_tables(at: AppTest) -> list[pd.DataFrame]:
        return [frame.value for frame in at.dataframe if frame.value.index.name == "Row"]

    at = open_tab(app_db.app("means", demo_id), "means", "Coverage")
    assert shown_charts(at) and not coverage_tables(at), "closed, the coverage table is neither built nor sent"

    at = open_panel(at, COVERAGE_TABLE_OPEN)

    [table] = coverage_tables(at)
    assert not at.exception and str(table.index[0]).startswith("Priority 1: ")


def test_adding_a_means_from_the_library_clears_the_uncovered_flag(app_db: AppDb, demo_id: int) -> None:
    priority_id = _new_priority(app_db, demo_id)
    at = app_db.app("means", demo_id)
    assert f"Priority 7: {TITLE}** — uncovered" in texts(at, "warning")
    assert at.selectbox(key="means_priority").value == priority_id  # the first uncovered priority is chosen

    at.text_input(key="means_lib_query").input("mentoring").run()
    at.radio(key="means_lib_mode").set_value("develop").run()
    at.selectbox(key="means_lib_pick").set_value("mentoring_scheme").run()
    at.number_input(key="means_lib_reach").set_value(25).run()
    at = at.button(key="means_lib_add").click().run()

    assert not at.exception
    added = _means(app_db, demo_id).query(f"priority_id == {priority_id}")
    columns = ["intervention_key", "mode", "cost", "reach"]
    assert added[columns].values.tolist() == [["mentoring_scheme", "develop", 8000, 25]]
    assert not at.warning, "the uncovered warning should have cleared"
    assert "Every priority and weak cultural element has at least one means." in texts(at, "success")
    assert "Added “Mentoring scheme” as a means." in texts(at, "success")


def test_writing_your_own_means_and_a_refused_figure(app_db: AppDb, demo_id: int) -> None:
    priority_id = _new_priority(app_db, demo_id)
    at = app_db.app("means", demo_id)
    count = len(_means(app_db, demo_id))

    at.text_input(key="means_own_approach").input("Second two matrons to the improvement team")
    at.number_input(key="means_own_cost").set_value(-500)
    at = button(at, "Add means").click().run()

    assert "Cost (£) cannot be negative" in texts(at, "error")
    assert at.text_input(key="means_own_approach").value == "Second two matrons to the improvement team"
    assert len(_means(app_db, demo_id)) == count

    at.number_input(key="means_own_cost").set_value(30_000)
    at.selectbox(key="means_own_mode").set_value("acquire")
    at = button(at, "Add means").click().run()

    added = _means(app_db, demo_id).query(f"priority_id == {priority_id}")
    assert added[["approach", "mode", "cost"]].values.tolist() == [
        ["Second two matrons to the improvement team", "acquire", 30_000]
    ]
    assert TITLE not in texts(at, "warning")


def test_editing_a_cell_saves_the_means(app_db: AppDb, demo_id: int) -> None:
    at = open_panel(app_db.app("means", demo_id), EDIT_OPEN)
    first = _shown(app_db, demo_id, at).iloc[0]

    at = edit_cells(at, at.data_editor[0], {0: {"cost": 7500, "status": "current"}})

    assert not at.exception
    saved = _means(app_db, demo_id).set_index("id").loc[first["id"]]
    assert (saved["cost"], saved["status"], saved["version"]) == (7500, "current", first["version"] + 1)


def test_removing_a_means_after_confirming(app_db: AppDb, demo_id: int) -> None:
    at = open_panel(app_db.app("means", demo_id), EDIT_OPEN)
    target = _shown(app_db, demo_id, at).iloc[1]

    at.selectbox(key=f"means_remove_{demo_id}").set_value(int(target["id"])).run()
    at = at.button(key="means_remove_go").click().run()

    assert not at.exception
    assert int(target["id"]) not in set(_means(app_db, demo_id)["id"])
    assert f"Removed “{target['approach']}”." in texts(at, "success")
    assert len(at.data_editor) == 1 and len(at.data_editor[0].value) == 3, "the panel stays open, one means fewer"


def test_a_viewer_sees_means_and_coverage_but_no_forms(app_db: AppDb, demo_id: int) -> None:
    with write_session(app_db.engine()) as session:
        link = sharing.create_link(session, owner(), demo_id, "viewer", label="Board", base_url="http://localhost")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["token"] = link.token
    at.run()
    at = at.switch_page(page_file("means")).run()

    assert not at.exception
    assert len(at.dataframe) >= 1 and len(at.data_editor) == 0
    assert len(shown_charts(open_tab(at, "means", "Coverage"))) == 1
    assert not [b for b in at.button if b.label in ("Add from library", "Add means", "Remove")]
    assert not [t for t in at.text_input if t.key in ("means_lib_query", "means_own_approach")]


def test_a_plan_without_priorities_points_to_the_priorities_page(app_db: AppDb) -> None:
    at = app_db.app("means", app_db.blank_id)

    assert not at.exception
    assert "No priorities set yet" in texts(at, "info")
    assert not shown_charts(at)


def test_the_summary_lists_uncovered_priorities(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("summary", demo_id)
    assert "Every priority has means" in texts(at, "success")

    _new_priority(app_db, demo_id)
    at = app_db.app("summary", demo_id)

    assert not at.exception
    [table] = tables(at)
    assert list(table["Uncovered"]) == [f"Priority 7: {TITLE}"]
