"""The priorities page: the demo's candidates and priorities, promoting, objectives' flags, agreement, viewers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from planner import priorities
from planner.access import owner
from planner.db import make_engine, read_session
from planner.ui.priority_views import PRIORITY_EDIT_OPEN, TABLE_EDIT_OPEN

from .conftest import AppDb, button, cards, edit_cells, figures, open_panel, open_tab, tables, texts


def _read(app_db: AppDb, loader: Any, plan_id: int, *args: Any) -> Any:
    with read_session(make_engine(app_db.url)) as session:
        return loader(session, owner(), plan_id, *args)


def _tables(at: AppTest) -> str:
    return "\n".join(table.to_csv() for table in tables(at))


def test_demo_plan_shows_candidates_priorities_and_objectives(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("priorities", demo_id)

    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["From Discovery", "Priority capabilities", "Objectives",
                                              "Diversity targets"]  # fmt: skip
    shown = cards(at)
    top = next(card for card in shown if card.line.startswith("1. Cross-boundary and system leadership"))
    assert (top.line, top.badge) == ("1. Cross-boundary and system leadership · Collective", "Priority 4")
    assert top.details[0].startswith("gap +1.3 levels over 5 tier(s) · priority 19.5")
    assert "served by priority 2, 5" in shown[10].details[0] and shown[10].badge is None
    assert any(card.line == "1. Learning and quality improvement" for card in shown)
    assert len(at.get("html")) == 2, "each list is one element"
    promote = [node for node in at.main if getattr(node, "type", "") == "popover"]
    assert [node.proto.popover.label for node in promote] == ["Promote", "Promote"], "one per list"
    assert not any(found.label == "Promote to priority" for found in at.button)  # drawn once a popover opens

    at = open_tab(at, "priorities", "Priority capabilities")
    assert not at.exception
    ranked = _read(app_db, priorities.list_priorities, demo_id)
    assert set(ranked["title"]) <= set(tables(at)[0]["Priority"])

    at = open_tab(at, "priorities", "Objectives")
    assert not at.exception
    assert "Halve the perception gap" in _tables(at)


def test_promoting_a_candidate_saves_a_priority(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("priorities", demo_id)
    candidates = _read(app_db, priorities.ranked_candidates, demo_id)
    top = candidates[(candidates["source"] == "capability") & candidates["priority_id"].isna()].iloc[0]
    key = f"promote_capability_{top['capability_id']}"
    assert not [box for box in at.selectbox if box.key == f"{key}_level"]  # a closed popover draws no form
    at.session_state["promote_capability_open"] = True  # as a click on the gaps' "Promote" does
    at.run()
    assert at.selectbox(key="promote_capability").value == key, "the highest ranked gap not yet chosen"

    at.selectbox(key=f"{key}_level").set_value(4)
    at.text_area(key=f"{key}_rationale").input("The largest gap not yet chosen.")
    at = at.button(key=f"{key}_submit").click().run()

    assert not at.exception
    ranked = _read(app_db, priorities.list_priorities, demo_id)
    added = ranked[ranked["capability_id"] == top["capability_id"]].iloc[0]
    assert (added["rank"], added["title"], added["target_level"]) == (len(ranked), top["name"], 4)
    assert (added["rationale"], added["target_date"]) == ("The largest gap not yet chosen.", date(2029, 3, 31))
    assert any(f"Promoted “{top['name']}”" in message.value for message in at.success)
    [card] = [card for card in cards(at) if card.line.startswith(f"{top['rank']}. {top['name']}")]
    assert card.badge == f"Priority {len(ranked)}"
    assert key not in at.selectbox(key="promote_capability").options, "a chosen gap is no longer offered"
    at = open_tab(at, "priorities", "Priority capabilities")
    assert top["name"] in set(tables(at)[0]["Priority"])


def test_an_objective_without_a_metric_is_flagged_not_yet_specific(app_db: AppDb) -> None:
    at = open_tab(app_db.app("priorities", app_db.blank_id), "priorities", "Objectives")
    assert "No objectives yet" in texts(at)

    at.text_input(key="objective_new_title").input("Every team has goals")
    at.text_input(key="objective_new_baseline").input("20%")
    at.text_input(key="objective_new_target").input("90%")
    at.date_input(key="objective_new_due").set_value(date(2027, 3, 31))
    at = at.button(key="objective_new_submit").click().run()

    assert not at.exception
    stored = _read(app_db, priorities.list_objectives, app_db.blank_id)
    assert list(stored["title"]) == ["Every team has goals"]
    assert ":red[**Not yet specific: no metric**]" in _tables(at)  # flags in red
    flagged = next(figure for figure in figures(at) if figure.label == "Not yet specific")
    assert (flagged.value, flagged.help) == ("1", "Missing a metric, baseline, target or due date.")


def test_a_due_date_before_the_horizon_is_refused_with_a_message(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("priorities", demo_id), "priorities", "Objectives")
    before = _read(app_db, priorities.list_objectives, demo_id)
    assert not [editor for editor in at.data_editor if "objectives_editor_" in editor.proto.id]  # panel closed
    at = open_panel(at, TABLE_EDIT_OPEN["objectives"])
    editor = next(editor for editor in at.data_editor if "objectives_editor_" in editor.proto.id)

    at = edit_cells(at, editor, {0: {"due": "2025-01-01"}})  # the column's own bounds stop a browser from this

    assert any("Due date (01 Jan 2025) is before the plan's horizon starts (01 Apr 2026)" in e.value for e in at.error)
    pd.testing.assert_frame_equal(_read(app_db, priorities.list_objectives, demo_id), before)


def test_editing_an_objective_cell_clears_its_flag(app_db: AppDb, demo_id: int) -> None:
    at = open_panel(open_tab(app_db.app("priorities", demo_id), "priorities", "Objectives"),
                    TABLE_EDIT_OPEN["objectives"])  # fmt: skip
    editor = next(editor for editor in at.data_editor if "objectives_editor_" in editor.proto.id)
    target = editor.value.iloc[0]

    at = edit_cells(at, editor, {0: {"target": target["baseline"]}})

    assert not at.exception
    row = _read(app_db, priorities.list_objectives, demo_id).set_index("id").loc[target["id"]]
    assert (row["target"], row["version"]) == (target["baseline"], target["version"] + 1)
    assert row["issues"] == ["Not stretching: the target equals the baseline"]
    assert "Not stretching: the target equals the baseline" in _tables(at)


def test_marking_an_objective_agreed(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("priorities", demo_id), "priorities", "Objectives")
    objectives = priorities.other_objectives(_read(app_db, priorities.list_objectives, demo_id))
    pending = objectives[objectives["agreed_by"] == ""].iloc[0]

    at.selectbox(key=f"objectives_chosen_{demo_id}").set_value(int(pending["id"])).run()
    key = f"objectives_agree_{pending['id']}_{pending['version']}"
    at.text_input(key=f"{key}_by").input("Quality Committee")
    at = at.button(key=f"{key}_submit").click().run()

    assert not at.exception
    row = _read(app_db, priorities.list_objectives, demo_id).set_index("id").loc[pending["id"]]
    assert (row["agreed_by"], row["agreed_on"]) == ("Quality Committee", date.today())
    assert f"Quality Committee, {date.today():%d %b %Y}" in _tables(at)


def test_a_diversity_target_is_prefilled_and_added(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("priorities", demo_id), "priorities", "Diversity targets")

    at.selectbox(key=f"diversity_tier_{demo_id}").set_value("middle").run()
    assert at.text_input(key="diversity_new_middle_metric").value == "BME share of Middle leaders (WRES indicator 1)"
    assert at.text_input(key="diversity_new_middle_baseline").value.startswith("25.7% (104 of 404")
    at.text_input(key="diversity_new_middle_owner").input("Chief People Officer")
    at = at.button(key="diversity_new_middle_submit").click().run()

    assert not at.exception
    targets = priorities.diversity_targets(_read(app_db, priorities.list_objectives, demo_id))
    added = targets[targets["tier_key"] == "middle"].iloc[0]
    assert (added["owner"], added["target"], added["due"]) == ("Chief People Officer", "28%", date(2029, 3, 31))
    assert list(added["element_keys"]) == ["equity"]


def test_a_viewer_sees_the_lists_but_no_editing_widgets(app_db: AppDb, demo_id: int) -> None:
    at = app_db.viewer("priorities", demo_id)
    assert any(card.line.startswith("1. Cross-boundary and system leadership") for card in cards(at))

    for label in ["From Discovery", "Priority capabilities", "Objectives", "Diversity targets"]:
        at = open_tab(at, "priorities", label)
        assert not at.exception, label
        assert len(at.data_editor) == 0, label
        assert len(at.button) == 0, label
        assert len(at.text_input) == 0 and len(at.date_input) == 0, label
        assert len(at.selectbox) == 0, label  # not even the plan switcher: a link opens one plan
        if label != "From Discovery":
            assert "Compassionate and inclusive leadership at every level" in _tables(at), label


def test_reranking_in_the_editor_and_removing_a_priority(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("priorities", demo_id), "priorities", "Priority capabilities")
    before = _read(app_db, priorities.list_priorities, demo_id)
    assert not [editor for editor in at.data_editor if "priorities_" in editor.proto.id]  # the panel is closed
    at = open_panel(at, PRIORITY_EDIT_OPEN)
    editor = next(editor for editor in at.data_editor if "priorities_" in editor.proto.id)

    at = edit_cells(at, editor, {2: {"rank": 1, "target_level": 4}})

    assert not at.exception
    after = _read(app_db, priorities.list_priorities, demo_id)
    moved = before.iloc[2]["id"]
    assert list(after["id"]) == [moved, *before["id"].drop(index=2)]
    assert after.set_index("id").loc[moved, "target_level"] == 4

    at.selectbox(key=f"priority_remove_{demo_id}").set_value(int(moved)).run()
    at = button(at, "Remove priority").click().run()

    assert not at.exception
    remaining = _read(app_db, priorities.list_priorities, demo_id)
    assert list(remaining["id"]) == list(before["id"].drop(index=2))
    assert list(remaining["rank"]) == list(range(1, len(before)))
    assert any("Removed" in message.value for message in at.success)
