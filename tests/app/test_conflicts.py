"""The conflict dialog: a save over someone else's newer version asks which to keep, and never overwrites silently."""

from __future__ import annotations

from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from planner import context
from planner.access import owner
from planner.db import read_session, write_session

from .conftest import AppDb, button, edit_cells, texts


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
    return next(table.value for table in at.table if "Their value" in table.value.columns).reset_index()


def _dialog_open(at: AppTest) -> bool:
    return any("Their value" in table.value.columns for table in at.table)


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
