"""The strategic-context page: the demo's items, filters, in-place edits, the add form, the narrative."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from planner import context
from planner.access import owner
from planner.db import make_engine, read_session, write_session
from planner.ui import context_forms

from .conftest import AppDb, edit_cells, open_panel


def _items(app_db: AppDb, plan_id: int) -> pd.DataFrame:
    with read_session(make_engine(app_db.url)) as session:
        return context.list_items(session, owner(), plan_id)


def _write(app_db: AppDb, action: Any) -> Any:
    engine: Engine = make_engine(app_db.url)
    with write_session(engine) as session:
        return action(session)


def _edit_cells(at: AppTest, edited_rows: dict[int, dict[str, Any]]) -> AppTest:
    return edit_cells(at, at.data_editor[0], edited_rows)


def _captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def test_demo_plan_shows_its_17_items(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("context", demo_id)

    assert not at.exception
    assert len(at.data_editor) == 1
    table = at.data_editor[0].value
    assert len(table) == 17
    assert "Northshire 2030: Better care, together" in set(table["title"])
    assert "Showing 17 of 17 context items." in _captions(at)


def test_filters_narrow_the_table(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("context", demo_id)

    at.pills(key="context_filter_category").set_value("challenges").run()
    assert set(at.data_editor[0].value["category"]) == {"challenges"}
    assert len(at.data_editor[0].value) == 5
    assert "Showing 5 of 17 context items, filtered by category." in _captions(at)  # beside the closed popover

    at.pills(key="context_filter_element").set_value("vision").run()
    narrowed = at.data_editor[0].value
    assert 0 < len(narrowed) < 5
    assert f"Showing {len(narrowed)} of 17 context items, filtered by category and element." in _captions(at)
    assert all("vision" in keys for keys in narrowed["element_keys"])


def test_editing_a_filtered_cell_saves_that_item(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("context", demo_id)
    at.pills(key="context_filter_category").set_value("challenges").run()
    target = at.data_editor[0].value.iloc[1]
    before = _items(app_db, demo_id)

    _edit_cells(at, {1: {"title": "Winter pressures", "priority": "low"}})

    assert not at.exception
    after = _items(app_db, demo_id).set_index("id")
    assert (after.loc[target["id"], "title"], after.loc[target["id"], "priority"]) == ("Winter pressures", "low")
    assert after.loc[target["id"], "version"] == target["version"] + 1
    others = before[before["id"] != target["id"]].set_index("id")
    pd.testing.assert_frame_equal(after.drop(index=target["id"]).loc[others.index], others)
    assert any("Winter pressures" in s.value for s in at.success)
    assert "Winter pressures" in set(at.data_editor[0].value["title"])


def test_an_edit_over_someone_elses_change_is_refused_and_shown(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("context", demo_id)
    first = at.data_editor[0].value.iloc[0]
    _write(
        app_db,
        lambda s: context.update_item(
            s, owner(), demo_id, int(first["id"]), int(first["version"]), title="Their title"
        ),
    )

    _edit_cells(at, {0: {"title": "My title"}})

    assert not at.exception
    assert any("Someone else changed" in e.value for e in at.error)
    assert _items(app_db, demo_id).set_index("id").loc[first["id"], "title"] == "Their title"
    assert at.data_editor[0].value.iloc[0]["title"] == "Their title"


def test_an_invalid_cell_is_refused_and_shown(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("context", demo_id)
    first = at.data_editor[0].value.iloc[0]

    _edit_cells(at, {0: {"title": None}})

    assert any("Title is required" in e.value for e in at.error)
    assert _items(app_db, demo_id).iloc[0]["title"] == first["title"]


def _fill_add_form(at: AppTest, **values: Any) -> None:
    for name, value in values.items():
        widget = {"category": at.selectbox, "priority": at.selectbox, "element_keys": at.multiselect}.get(
            name, at.text_area if name in ("detail", "implication") else at.text_input
        )
        widget(key=f"context_new_{name}").set_value(value)


def test_the_add_form_is_drawn_only_while_its_panel_is_open(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("context", demo_id)

    assert not [field for field in at.text_input if field.key == "context_new_title"]  # closed: not drawn
    at = open_panel(at, context_forms.ADD_OPEN)
    assert at.text_input(key="context_new_title").value == ""


def test_adding_through_the_form_persists(app_db: AppDb, demo_id: int) -> None:
    at = open_panel(app_db.app("context", demo_id), context_forms.ADD_OPEN)

    _fill_add_form(
        at,
        category="opportunities",
        title="Digital front door",
        priority="high",
        implication="Leaders must redesign pathways with patients.",
        element_keys=["voice"],
    )
    at.button(key="FormSubmitter:context_add-Add item").click().run()

    assert not at.exception
    added = _items(app_db, demo_id).iloc[-1]
    assert (added["title"], added["category"], added["priority"], list(added["element_keys"])) == (
        "Digital front door",
        "opportunities",
        "high",
        ["voice"],
    )
    assert len(at.data_editor[0].value) == 18
    assert at.text_input(key="context_new_title").value == ""
    assert any("**Digital front door**" in m.value for m in at.markdown)  # high priority: beside the narrative


def test_a_refused_add_keeps_what_was_typed(app_db: AppDb, demo_id: int) -> None:
    at = open_panel(app_db.app("context", demo_id), context_forms.ADD_OPEN)

    _fill_add_form(at, title="   ", detail="Half-written thought")
    at.button(key="FormSubmitter:context_add-Add item").click().run()

    assert any("Title is required" in e.value for e in at.error)
    assert len(_items(app_db, demo_id)) == 17
    assert at.text_area(key="context_new_detail").value == "Half-written thought"


def test_empty_plan_shows_the_empty_state_and_the_form(app_db: AppDb) -> None:
    at = app_db.app("context", app_db.blank_id)

    assert not at.exception
    assert any("No context recorded yet" in i.value for i in at.info)
    assert not at.data_editor
    assert at.text_input(key="context_new_title")
    assert at.expander[0].label == "Add a context item" and at.expander[0].proto.expanded


def test_delete_asks_for_confirmation(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("context", demo_id)
    first = at.data_editor[0].value.iloc[0]

    at.selectbox(key=f"context_chosen_{demo_id}").set_value(int(first["id"])).run()
    delete = next(b for b in at.button if b.label == "Delete…")
    delete.click().run()

    assert not at.exception
    assert any(f"Delete “{first['title']}”? This cannot be undone." in m.value for m in at.markdown)
    assert len(_items(app_db, demo_id)) == 17


def test_narrative_saves_with_its_word_count(app_db: AppDb) -> None:
    text = "Outstanding care, every time, for everyone."
    at = app_db.app("context", app_db.blank_id)
    key = f"context_narrative_{app_db.blank_id}"

    at.text_area(key=key).input(text).run()
    assert "6 words · unsaved changes" in _captions(at)
    next(b for b in at.button if b.label == "Save narrative").click().run()

    assert not at.exception
    with read_session(make_engine(app_db.url)) as session:
        assert context.narrative(session, owner(), app_db.blank_id).text == text
    assert "6 words" in _captions(at)
    assert "unsaved" not in _captions(at)


def test_narrative_conflict_keeps_the_draft_and_offers_theirs(app_db: AppDb) -> None:
    at = app_db.app("context", app_db.blank_id)
    key = f"context_narrative_{app_db.blank_id}"
    at.text_area(key=key).input("My draft").run()
    seen = _write(app_db, lambda s: context.narrative(s, owner(), app_db.blank_id).version)
    _write(app_db, lambda s: context.save_narrative(s, owner(), app_db.blank_id, seen, "Their narrative"))

    next(b for b in at.button if b.label == "Save narrative").click().run()

    assert any("Someone else changed" in e.value for e in at.error)
    assert at.text_area(key=key).value == "My draft"
    with read_session(make_engine(app_db.url)) as session:
        assert context.narrative(session, owner(), app_db.blank_id).text == "Their narrative"
    next(b for b in at.button if b.label == "Load the latest version").click().run()
    assert at.text_area(key=key).value == "Their narrative"


def test_high_priority_items_are_shown_beside_the_narrative(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("context", demo_id)
    high = _items(app_db, demo_id).query("priority == 'high'")

    assert f"{len(high)} high-priority context items" in _captions(at)
    shown = "\n".join(m.value for m in at.markdown)
    assert all(title in shown for title in high["title"])


def test_a_long_high_priority_list_shows_the_first_items_and_the_rest_on_request(app_db: AppDb) -> None:
    plan_id, count = app_db.blank_id, context_forms.HIGH_SHOWN + 5
    titles = [f"High item {n:02d}" for n in range(count)]
    for title in titles:
        fields = {"category": "strategy", "title": title, "priority": "high"}
        _write(app_db, lambda s, f=fields: context.add_item(s, owner(), plan_id, **f))

    at = app_db.app("context", plan_id)

    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert [title in shown for title in titles] == [True] * context_forms.HIGH_SHOWN + [False] * 5
    assert "The other 5 high-priority items" in [expander.label for expander in at.expander]
    at = open_panel(at, context_forms.HIGH_REST_OPEN)
    shown = "\n".join(m.value for m in at.markdown)
    assert all(title in shown for title in titles)
