"""The history page (snapshots, compare, restore, audit log) and the plan-file import on Plans."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner import context, export, plans, snapshots
from planner import models as m
from planner.access import Access, Role, owner
from planner.db import read_session, utcnow, write_session
from planner.ui import history_views

from .conftest import AppDb, button, open_panel, open_tab, tables, texts


def _snapshot(app_db: AppDb, plan_id: int, label: str) -> int:
    with write_session(app_db.engine()) as session:
        return snapshots.take_snapshot(session, owner(), plan_id, label)


def _add_item(app_db: AppDb, plan_id: int, title: str, actor: str = "local user") -> None:
    access = Access(Role.EDITOR, plan_id=plan_id, actor=actor)
    with write_session(app_db.engine()) as session:
        context.add_item(session, access, plan_id, category="strategy", title=title)


def _labels(app_db: AppDb, plan_id: int) -> list[str]:
    with read_session(app_db.engine()) as session:
        return list(snapshots.list_snapshots(session, owner(), plan_id)["label"])


def _text_input(at: AppTest, label: str):
    return next(found for found in at.text_input if found.label == label)


def test_history_renders_for_the_demo_plan(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("history", demo_id)

    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["Snapshots", "Audit log"]
    assert "No snapshots yet" in texts(at)

    at = open_tab(at, "history", "Audit log")
    assert not at.exception
    assert any("Loaded the demo plan" in str(frame.value["What"].tolist()) for frame in at.dataframe)


def test_saving_a_snapshot_persists(app_db: AppDb) -> None:
    at = app_db.app("history", app_db.blank_id)

    _text_input(at, "Snapshot label").set_value("Before the board workshop")
    button(at, "Save snapshot").click().run()

    assert not at.exception
    assert _labels(app_db, app_db.blank_id) == ["Before the board workshop"]
    assert "Saved snapshot “Before the board workshop”." in texts(at)
    [listed] = tables(at)
    assert listed["Label"].tolist() == ["Before the board workshop"]
    assert listed["Kind"].tolist() == ["Saved by hand"] and listed["Taken"][0].endswith(" UTC")


def test_the_newest_snapshots_are_listed_and_every_one_on_request(app_db: AppDb) -> None:
    plan_id = app_db.blank_id
    labels = [f"Workshop {n}" for n in range(history_views.NEWEST + 2)]
    for label in labels:
        _snapshot(app_db, plan_id, label)
    at = app_db.app("history", plan_id)

    [listed] = tables(at)
    assert listed["Label"].tolist() == labels[::-1][: history_views.NEWEST], "newest first"
    assert not at.dataframe

    at = open_panel(at, history_views.EVERY_OPEN)
    assert at.dataframe[0].value["Label"].tolist() == labels[::-1]


def test_a_snapshot_s_contents_show_on_request(app_db: AppDb) -> None:
    plan_id = app_db.blank_id
    _add_item(app_db, plan_id, "Winter pressures")
    _snapshot(app_db, plan_id, "With winter")
    at = app_db.app("history", plan_id)
    assert not at.dataframe, "closed, the contents are not drawn"

    at = open_panel(at, history_views.VIEW_OPEN)

    assert not at.exception
    held = at.dataframe[0].value.set_index("Section")
    assert held.loc["Context items", "Records"] == 1
    assert "Winter pressures" in held.loc["Context items"].to_string()


def test_compare_two_snapshots_shows_the_added_item_in_words(app_db: AppDb) -> None:
    plan_id = app_db.blank_id
    first = _snapshot(app_db, plan_id, "Empty")
    _add_item(app_db, plan_id, "Winter pressures")
    second = _snapshot(app_db, plan_id, "With winter")
    at = app_db.app("history", plan_id)
    assert not [box for box in at.selectbox if box.key == "snapshot_compare_a"], "closed, the comparison waits"
    at = open_panel(at, history_views.COMPARE_OPEN)

    at.selectbox(key="snapshot_compare_a").set_value(first)
    at.selectbox(key="snapshot_compare_b").set_value(second).run()

    assert not at.exception
    assert "Context items: 1 added, 0 changed, 0 removed" in [e.label for e in at.expander]
    assert "- Added context item “Winter pressures”." in texts(at, "markdown")


def test_the_comparison_with_now_is_made_once_per_plan_state(app_db: AppDb, monkeypatch: pytest.MonkeyPatch) -> None:
    plan_id = app_db.blank_id
    _snapshot(app_db, plan_id, "Empty")
    calls: list[int] = []
    compare = snapshots.compare
    monkeypatch.setattr(snapshots, "compare", lambda *args: calls.append(1) or compare(*args))

    app_db.app("history", plan_id)
    assert not calls, "made only on request"
    at = open_panel(app_db.app("history", plan_id), history_views.COMPARE_OPEN).run()  # and a rerun
    open_panel(app_db.app("history", plan_id), history_views.COMPARE_OPEN)  # another viewer
    assert len(calls) == 1

    _add_item(app_db, plan_id, "Winter pressures")
    at.run()
    assert len(calls) == 2
    assert "- Added context item “Winter pressures”." in texts(at, "markdown")


def test_audit_log_filters_by_who(app_db: AppDb) -> None:
    plan_id = app_db.blank_id
    _add_item(app_db, plan_id, "Ann's item", actor="Ann")
    _add_item(app_db, plan_id, "Bob's item", actor="Bob")
    at = open_tab(app_db.app("history", plan_id), "history", "Audit log")
    log = at.dataframe[-1]
    assert set(log.value["Who"]) >= {"Ann", "Bob"}

    at.selectbox(key="audit_actor").set_value("Bob").run()

    assert not at.exception
    assert at.dataframe[-1].value["Who"].tolist() == ["Bob"]
    assert "1 change(s), newest first." in texts(at)
    assert at.json[-1].value is not None and "Bob's item" in str(at.json[-1].value)


def test_restore_over_the_plan_asks_first_and_keeps_the_state_before(app_db: AppDb) -> None:
    plan_id = app_db.blank_id
    _snapshot(app_db, plan_id, "Empty")
    _add_item(app_db, plan_id, "Added later")
    at = app_db.app("history", plan_id)

    button(at, "Restore over this plan…").click().run()
    assert any("replaces **everything in Blank plan**" in w.value for w in at.warning)
    assert _count_items(app_db, plan_id) == 1, "nothing changes before the user confirms"
    button(at, "Yes, restore over this plan").click().run()

    assert not at.exception
    assert _count_items(app_db, plan_id) == 0
    assert _labels(app_db, plan_id)[0] == "Before restore of “Empty”"


def _count_items(app_db: AppDb, plan_id: int) -> int:
    with read_session(app_db.engine()) as session:
        return len(session.scalars(select(m.ContextItem).where(m.ContextItem.plan_id == plan_id)).all())


@pytest.mark.parametrize("page", ["history", "context"])
def test_opening_a_page_takes_the_daily_snapshot_when_the_plan_changed(app_db: AppDb, page: str) -> None:
    _add_item(app_db, app_db.blank_id, "A change")

    at = app_db.app(page, app_db.blank_id)

    assert not at.exception
    assert _labels(app_db, app_db.blank_id) == [f"Daily snapshot {utcnow().date():%d %b %Y}"]


def test_viewers_compare_but_cannot_save_or_restore(app_db: AppDb) -> None:
    _snapshot(app_db, app_db.blank_id, "Empty")
    _add_item(app_db, app_db.blank_id, "A change")

    at = open_panel(app_db.viewer("history", app_db.blank_id), history_views.COMPARE_OPEN)

    assert not at.exception
    labels = {b.label for b in at.button}
    assert "Save snapshot" not in labels and "Restore over this plan…" not in labels
    assert "- Added context item “A change”." in texts(at, "markdown")
    assert _labels(app_db, app_db.blank_id) == ["Empty"], "a viewer's visit takes no daily snapshot"


# --- Import on Plans ---------------------------------------------------------------------------


def _plan_file(app_db: AppDb) -> bytes:
    with write_session(app_db.engine()) as session:
        plans.update_plan(session, owner(), app_db.blank_id, 1, name="Plan from host A")
    with read_session(app_db.engine()) as session:
        return export.json_text(export.json_document(session, owner(), app_db.blank_id)).encode()


def _plan_names(app_db: AppDb) -> list[str]:
    with read_session(app_db.engine()) as session:
        return list(session.scalars(select(m.Plan.name).order_by(m.Plan.id)))


def test_import_shows_what_it_creates_then_creates_it_on_confirmation(app_db: AppDb) -> None:
    data = _plan_file(app_db)
    before = _plan_names(app_db)
    at = app_db.app("home")

    at.file_uploader[0].upload("plan.json", data, "application/json").run()
    assert "This creates the plan **Plan from host A**" in texts(at, "markdown")
    assert "Cultural elements" in at.dataframe[0].value["Section"].tolist()
    assert _plan_names(app_db) == before, "nothing is stored before confirming"
    button(at, "Import as a new plan").click().run()

    assert not at.exception
    assert _plan_names(app_db) == [*before, "Plan from host A (imported)"], "a plan of that name exists already"
    with read_session(app_db.engine()) as session:
        new_id = session.scalars(select(m.Plan.id).order_by(m.Plan.id.desc())).first()
    assert at.query_params["plan"] in (str(new_id), [str(new_id)])
    assert any("It is now the open plan" in s.value for s in at.success)


def test_a_bad_plan_file_is_refused_with_a_message(app_db: AppDb) -> None:
    before = _plan_names(app_db)
    at = app_db.app("home")

    at.file_uploader[0].upload("plan.json", b'{"format_version": 7, "plan": {"name": "x"}}', "application/json").run()

    assert not at.exception
    assert any("newer than this planner reads (1)" in e.value for e in at.error)
    assert not any(b.label == "Import as a new plan" for b in at.button)
    assert _plan_names(app_db) == before
