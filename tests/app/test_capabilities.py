"""The capabilities page: charts on the demo plan, rating in the sheet, the framework's edits, read-only viewers."""

from __future__ import annotations

from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from planner import capabilities as caps
from planner.access import owner
from planner.db import make_engine, read_session
from planner.ui.capability_views import ADD_OPEN, CONSENSUS_OPEN
from planner.ui.navigation import page_file

from .conftest import AppDb, FigureShown, edit_cells, figures, open_panel, open_tab, shown_charts, shows, texts


def _editor(at: AppTest, prefix: str) -> Any:
    return next(editor for editor in at.data_editor if prefix in editor.proto.id)


def _edit_cells(at: AppTest, prefix: str, edited_rows: dict[int, dict[str, Any]]) -> AppTest:
    return edit_cells(at, _editor(at, prefix), edited_rows)


def _ratings(app_db: AppDb, plan_id: int) -> pd.DataFrame:
    with read_session(make_engine(app_db.url)) as session:
        return caps.rating_table(session, owner(), plan_id)


def _framework(app_db: AppDb, plan_id: int) -> pd.DataFrame:
    with read_session(make_engine(app_db.url)) as session:
        return caps.list_capabilities(session, owner(), plan_id)


def test_demo_plan_shows_both_charts_and_the_consensus(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("capabilities", demo_id)

    assert not at.exception
    titles = [chart.title for chart in shown_charts(at)]
    assert len(titles) == 2, "the gap chart and the heatmap should both be on the page"
    assert titles[0].startswith("Capability gaps") and titles[1] == "Gap by capability and tier"
    assert figures(at)[0] == FigureShown("Capabilities rated", "19 of 19")
    assert "Consensus by capability and tier" in [header.value for header in at.subheader]
    assert not at.dataframe, "the grid of every rated cell is drawn only once its panel opens"
    at = open_panel(at, CONSENSUS_OPEN)
    consensus = at.dataframe[0].value
    assert len(consensus) == 19 * 5 and list(consensus["flag"]) == sorted(consensus["flag"], reverse=True)


def test_filtering_by_kind_narrows_the_gap_chart(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("capabilities", demo_id)
    assert "Every tier · individual and collective · retired capabilities left out" in texts(at, "caption")

    at.pills(key="capability_filter_kind").set_value("collective").run()

    gaps = shown_charts(at)[0]
    collective = list(_framework(app_db, demo_id).query("kind == 'collective'")["name"])
    rows = gaps.rows()
    assert len(rows) == len(collective) and all(any(shows(row, name) for name in collective) for row in rows)
    assert gaps.texts("legend-label") == [["Collective"]]
    assert figures(at)[0].value == f"{len(rows)} of 19"
    assert "Every tier · collective only · retired capabilities left out" in texts(at, "caption")  # beside the popover


def test_the_caption_names_the_tiers_chosen(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("capabilities", demo_id)
    tiers = at.multiselect(key="capability_filter_tiers")

    tiers.set_value(tiers.value[:2]).run()
    at.toggle(key="capability_filter_retired").set_value(True).run()

    assert "Board and Executive · individual and collective · retired capabilities included" in texts(at, "caption")


def test_editing_a_rating_in_the_sheet_saves_it(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("capabilities", demo_id), "capabilities", "Rate capabilities")
    sheet = _editor(at, "capability_ratings_").value
    target = sheet.iloc[1]
    before = _ratings(app_db, demo_id).set_index("id").loc[int(target["rating_id"])]

    at = _edit_cells(at, "capability_ratings_", {1: {"current": 1, "evidence": "Workshop, 3 March"}})

    assert not at.exception
    after = _ratings(app_db, demo_id).set_index("id").loc[int(target["rating_id"])]
    assert (after["current"], after["evidence"], after["version"]) == (1.0, "Workshop, 3 March", before["version"] + 1)
    assert after["required"] == before["required"]
    assert any("Saved" in message.value for message in at.success)


def test_a_new_assessor_rates_a_cell_of_their_own(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("home", demo_id)
    at.session_state[f"capability_assessor_{demo_id}"] = "Clinical directors"  # as if typed as a new option
    at = open_tab(at.switch_page(page_file("capabilities")).run(), "capabilities", "Rate capabilities")
    assert at.selectbox(key=f"capability_assessor_{demo_id}").value == "Clinical directors"
    assert _editor(at, "capability_ratings_").value["rating_id"].isna().all()

    at = _edit_cells(at, "capability_ratings_", {0: {"required": 4, "current": 1, "importance": 3}})

    assert not at.exception
    mine = _ratings(app_db, demo_id).query("assessor == 'Clinical directors'")
    assert mine[["required", "current", "importance"]].values.tolist() == [[4.0, 1.0, 3.0]]


def test_an_out_of_range_edit_is_refused_with_a_message(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("capabilities", demo_id), "capabilities", "Rate capabilities")
    before = _ratings(app_db, demo_id)

    at = _edit_cells(at, "capability_ratings_", {0: {"required": 9}})

    assert any("Required level must be one of" in message.value for message in at.error)
    pd.testing.assert_frame_equal(_ratings(app_db, demo_id), before)


def test_a_viewer_sees_the_charts_but_no_editor_or_form(app_db: AppDb, demo_id: int) -> None:
    at = app_db.viewer("capabilities", demo_id)

    assert not at.exception
    assert len(shown_charts(at)) == 2
    assert len(at.data_editor) == 0
    for label in ("Ratings", "Capability framework"):
        at = open_tab(at, "capabilities", label)
        assert not at.exception
        assert len(at.data_editor) == 0
        assert not [button for button in at.button if button.label in ("Add capability", "Retire", "Restore")]
        assert len(at.dataframe) >= 1, f"the read-only {label.lower()} table"


def test_adding_a_capability_through_the_form(app_db: AppDb) -> None:
    at = app_db.app("capabilities", app_db.blank_id)
    assert "No capabilities assessed yet" in texts(at)

    at = open_panel(open_tab(at, "capabilities", "Capability framework"), ADD_OPEN)
    at.text_input(key="capability_new_name").input("Leading improvement")
    at.radio(key="capability_new_kind").set_value("collective")
    at.text_area(key="capability_new_description").input("Leads QI across teams.")
    at = next(button for button in at.button if button.label == "Add capability").click().run()

    assert not at.exception
    added = _framework(app_db, app_db.blank_id).query("name == 'Leading improvement'")
    assert added[["key", "kind", "description"]].values.tolist() == [
        ["leading_improvement", "collective", "Leads QI across teams."]
    ]
    at = open_tab(at, "capabilities", "Rate capabilities")
    assert "Leading improvement" in set(_editor(at, "capability_ratings_").value["capability"])


def test_adding_a_duplicate_capability_shows_why_and_keeps_what_was_typed(app_db: AppDb) -> None:
    at = app_db.app("capabilities", app_db.blank_id)
    count = len(_framework(app_db, app_db.blank_id))

    at = open_panel(open_tab(at, "capabilities", "Capability framework"), ADD_OPEN)
    at.text_input(key="capability_new_name").input("systems leadership")
    at = next(button for button in at.button if button.label == "Add capability").click().run()

    assert any("already in this plan" in message.value for message in at.error)
    assert at.text_input(key="capability_new_name").value == "systems leadership"
    assert len(_framework(app_db, app_db.blank_id)) == count


def test_retiring_and_restoring_a_capability(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("capabilities", demo_id), "capabilities", "Capability framework")
    target = _framework(app_db, demo_id).iloc[0]

    at.selectbox(key=f"capability_retire_{demo_id}").set_value(int(target["id"])).run()
    at = at.button(key=f"capability_retire_go_{target['id']}").click().run()

    assert not at.exception
    retired = _framework(app_db, demo_id).set_index("id").loc[target["id"]]
    assert not retired["active"] and retired["ratings"] == target["ratings"]
    assert "Retired" in [header.value for header in at.subheader]
    assert figures(open_tab(at, "capabilities", "Gaps and priorities"))[0].value == "18 of 18"

    at = open_tab(at, "capabilities", "Capability framework")
    at = at.button(key=f"capability_restore_{target['id']}").click().run()

    assert _framework(app_db, demo_id).set_index("id").loc[target["id"], "active"]


def test_renaming_a_capability_in_the_framework_table(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("capabilities", demo_id), "capabilities", "Capability framework")
    target = _editor(at, "capability_framework_").value.iloc[2]

    at = _edit_cells(at, "capability_framework_", {2: {"name": "Using information well"}})

    assert not at.exception
    assert _framework(app_db, demo_id).set_index("id").loc[target["id"], "name"] == "Using information well"


def test_an_unrated_plan_says_where_the_charts_come_from(app_db: AppDb) -> None:
    editor = app_db.app("capabilities", app_db.blank_id)
    assert not editor.exception and not shown_charts(editor)
    assert "appear here once capabilities are rated in **Rate capabilities**." in texts(editor)
    viewer = app_db.viewer("capabilities", app_db.blank_id)
    assert "appear here once an editor has rated capabilities." in texts(viewer)
