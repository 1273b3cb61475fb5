"""The conflict dialog: someone else saved first; keep theirs, overwrite with yours, or edit again."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from planner.db import overwriting
from planner.ui import flash, live
from planner.ui.actions import CONFLICT_KEY, PendingConflict, attempt, forget
from planner.ui.tables import static_table
from planner.ui.text import plain


def show_pending() -> None:
    """Open the conflict dialog if the last save hit someone else's newer version."""
    pending = st.session_state.get(CONFLICT_KEY)
    if isinstance(pending, PendingConflict):
        _dialog(pending)


def shown_value(value: Any) -> str:
    """A stored value as a person reads it."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, datetime | date):
        return f"{value.day} {value:%b %Y}"
    if isinstance(value, list | tuple | set):
        return ", ".join(map(str, value))
    return str(value)


def comparison(yours: dict[str, Any], theirs: dict[str, Any]) -> pd.DataFrame:
    """One row per field you changed: your value and the value saved by the other person."""
    rows = [
        (name.replace("_", " ").capitalize(), shown_value(value), shown_value(theirs.get(name)))
        for name, value in yours.items()
    ]
    return pd.DataFrame(rows, columns=["Field", "Your value", "Their value"])


@live.dialog("Someone else saved first", width="large", dismissible=False, icon=":material/sync_problem:")
def _dialog(pending: PendingConflict) -> None:
    conflict = pending.conflict
    record = conflict.table.replace("_", " ")
    st.markdown(
        f"While you were editing this {record}, someone else saved a newer version. Nothing of yours is saved yet."
    )
    static_table(comparison(conflict.yours, conflict.theirs))
    keep, overwrite, again = st.columns(3)
    if keep.button("Keep theirs", type="primary", icon=":material/check:", width="stretch"):
        forget(pending.form)
        _close(f"Kept the other person's version of this {record}; your change was not saved.")
    if overwrite.button("Overwrite with mine", icon=":material/upload:", width="stretch"):
        _overwrite(pending, record)
    if again.button("Edit again", icon=":material/edit:", width="stretch"):
        _edit_again(pending)


def _edit_again(pending: PendingConflict) -> None:
    conflict = pending.conflict
    if pending.form:  # the form keeps what was typed; saving it now applies over the version just shown
        st.session_state[pending.form + "seen"] = conflict.version
        _close("Your entries are still in the form. Change what you need and save: it now applies over their "
               "version.", kind="info")  # fmt: skip
    yours = "; ".join(f"{name.replace('_', ' ')}: {shown_value(v)}" for name, v in conflict.yours.items())
    _close(f"The form now shows the latest version. What you had entered: {plain(yours)}", kind="info")


def _overwrite(pending: PendingConflict, record: str) -> None:
    conflict = pending.conflict
    st.session_state.pop(CONFLICT_KEY, None)
    # Still conditional: on the version this dialog showed, so a third person's save is not overwritten blindly.
    with overwriting(conflict.table, conflict.row_id, conflict.version):  # type: ignore[arg-type]
        outcome = attempt(pending.action)
    if outcome.ok:
        forget(pending.form)
        flash.success(f"Saved your version of this {record} over the other person's.")
    elif CONFLICT_KEY not in st.session_state:  # a new conflict reopens the dialog with the newest values
        flash.error(plain(outcome.error))
    st.rerun()


def _close(message: str, kind: str = "success") -> None:
    st.session_state.pop(CONFLICT_KEY, None)
    getattr(flash, kind)(message)
    st.rerun()
