"""The conflict dialog: a save over someone else's newer version asks which to keep, and never overwrites silently."""

from __future__ import annotations

from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from planner import context, initiatives
from planner.access import owner
from planner.db import read_session, write_session
from planner.ui.conflicts import shown_value
from planner.ui.initiative_views import EDIT_OPEN

from .conftest import AppDb, button, edit_cells, open_panel, tables, texts


def _items(app_db: AppDb, plan_id: int) -> pd.DataFrame:
    with read_session(app_db.engine()) as session:
        return context.list_items(session, owner(), plan_id)


def _conflicted(app_db: AppDb, plan_id: int) -> tuple[AppTest, Any]:
    """The context page after my edit of the first item hit their newer title."""
    at = app_db.app("context", plan_id)
    first = at.data_editor[0].value.iloc[0]
    with write_session(app_db.engine()) as session:
        context.update_item(session, owner("Colleague"), plan_id, int(first["id"]), int(first["version"]),
                            title="Their title")  # fmt: skip
    edit_cells(at, at.data_editor[0], {0: {"title": "My title"}})
    return at, first


def _dialog_table(at: AppTest) -> pd.DataFrame:
    return next(table for table in tables(at) if "Their value" in table.columns)


def _dialog_open(at: AppTest) -> bool:
    return any("Their value" in table.columns for table in tables(at))


def test_the_dialog_shows_both_values_and_nothing_is_saved_yet(app_db: AppDb, demo_id: int) -> None:
    at, first = _conflicted(app_db, demo_id)

    assert not at.exception
    table = _dialog_table(at)
    assert table.to_dict("records") == [{"Field": "Title", "Your value": "My title", "Their value": "Their title"}]
    assert {"Keep theirs", "Overwrite with mine", "Edit again"} <= {b.label for b in at.button}
    assert _items(app_db, demo_id).set_index("id").loc[first["id"], "title"] == "Their title"


def test_keep_theirs_leaves_their_value(app_db: AppDb, demo_id: int) -> None:
    at, first = _conflicted(app_db, demo_id)

    button(at, "Keep theirs").click().run()

    assert not at.exception
    assert not _dialog_open(at)
    assert _items(app_db, demo_id).set_index("id").loc[first["id"], "title"] == "Their title"
    assert "your change was not saved" in texts(at)


def test_overwrite_saves_mine_over_the_version_shown(app_db: AppDb, demo_id: int) -> None:
    at, first = _conflicted(app_db, demo_id)

    button(at, "Overwrite with mine").click().run()

    assert not at.exception
    saved = _items(app_db, demo_id).set_index("id").loc[first["id"]]
    assert (saved["title"], saved["version"]) == ("My title", first["version"] + 2)
    assert "Saved your version" in texts(at)


def test_overwrite_after_a_third_save_asks_again_with_the_newest_value(app_db: AppDb, demo_id: int) -> None:
    at, first = _conflicted(app_db, demo_id)
    with write_session(app_db.engine()) as session:
        context.update_item(session, owner("Third"), demo_id, int(first["id"]), int(first["version"]) + 1,
                            title="Third title")  # fmt: skip

    button(at, "Overwrite with mine").click().run()

    assert _items(app_db, demo_id).set_index("id").loc[first["id"], "title"] == "Third title"
    assert _dialog_table(at)["Their value"].tolist() == ["Third title"]


def test_edit_again_closes_the_dialog_and_repeats_what_i_entered(app_db: AppDb, demo_id: int) -> None:
    at, _first = _conflicted(app_db, demo_id)

    button(at, "Edit again").click().run()

    assert not _dialog_open(at)
    entered = next(info.value for info in at.info if "What you had entered" in info.value)
    assert "My title" in entered
    assert at.data_editor[0].value.iloc[0]["title"] == "Their title"


# --- A form that stays open while other people's changes arrive --------------------------------

RECRUITMENT = "Inclusive recruitment panels for Band 8A and above"


def _initiative(app_db: AppDb, plan_id: int) -> pd.Series:
    with read_session(app_db.engine()) as session:
        return initiatives.portfolio(session, owner(), plan_id).set_index("title").loc[RECRUITMENT]


def _open_form(app_db: AppDb, plan_id: int) -> tuple[AppTest, str, pd.Series]:
    row = _initiative(app_db, plan_id)
    at = open_panel(app_db.app("initiatives", plan_id), EDIT_OPEN)
    at = at.selectbox(key="initiative_edit_pick").set_value(int(row["id"])).run()
    return at, f"initiative_form_{int(row['id'])}_", row


def _their_owner_change(app_db: AppDb, plan_id: int, row: pd.Series) -> None:
    with write_session(app_db.engine()) as session:
        initiatives.update_initiative(session, owner("Colleague"), plan_id, int(row["id"]), int(row["version"]),
                                      owner="Director of People (theirs)")  # fmt: skip


def test_an_open_form_keeps_its_values_when_someone_elses_change_arrives(app_db: AppDb, demo_id: int) -> None:
    at, prefix, row = _open_form(app_db, demo_id)
    _their_owner_change(app_db, demo_id, row)

    at.run()  # what the live refresh does when the plan's revision moves

    assert at.text_input(key=f"{prefix}owner").value == row["owner"]
    assert at.session_state[f"{prefix}seen"] == row["version"]


def test_edit_again_keeps_my_entries_and_saves_them_over_their_version(app_db: AppDb, demo_id: int) -> None:
    at, prefix, row = _open_form(app_db, demo_id)
    _their_owner_change(app_db, demo_id, row)
    at.text_input(key=f"{prefix}sponsor").input("Chief Nurse (mine)")
    at = button(at, "Save changes").click().run()
    assert _dialog_table(at).to_dict("records") == [
        {"Field": "Sponsor", "Your value": "Chief Nurse (mine)", "Their value": shown_value(row["sponsor"])}
    ]

    at = button(at, "Edit again").click().run()
    assert at.text_input(key=f"{prefix}sponsor").value == "Chief Nurse (mine)"
    at = button(at, "Save changes").click().run()

    saved = _initiative(app_db, demo_id)
    assert (saved["sponsor"], saved["owner"]) == ("Chief Nurse (mine)", "Director of People (theirs)")
    assert not _dialog_open(at)


def test_keep_theirs_reopens_the_form_on_their_version(app_db: AppDb, demo_id: int) -> None:
    at, prefix, row = _open_form(app_db, demo_id)
    _their_owner_change(app_db, demo_id, row)
    at.text_input(key=f"{prefix}owner").input("Medical Director (mine)")
    at = button(at, "Save changes").click().run()

    at = button(at, "Keep theirs").click().run()

    assert at.text_input(key=f"{prefix}owner").value == "Director of People (theirs)"
    assert _initiative(app_db, demo_id)["owner"] == "Director of People (theirs)"

