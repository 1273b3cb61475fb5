"""Widgets of the history page (snapshots, differences, restore, audit log) and of the plan-file import on Plans."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from planner import history, plan_import, plans, snapshots
from planner.access import Access, Role
from planner.db import read_session, utcnow
from planner.document import DocumentError
from planner.plans import PlanView
from planner.snapshots import CURRENT, SectionDiff
from planner.ui import flash, panels, widgets
from planner.ui.actions import attempt, write
from planner.ui.frame import context, open_plan, read_plan, remembered
from planner.ui.tables import static_table
from planner.ui.text import plain

CONFIRM = "history_confirm_restore"
IMPORTED = "plan_import_file"
COMPARE_OPEN = "history_compare_open"
VIEW_OPEN = "history_view_open"
EVERY_OPEN = "history_every_snapshot_open"
NEWEST = 5  # snapshots listed before "Every snapshot"
SNAPSHOT_COLUMNS = {"label": "Label", "kind_name": "Kind", "taken": "Taken", "revision": "Revision", "by": "By"}


def _when(moment: Any) -> str:
    return f"{pd.Timestamp(moment):%d %b %Y, %H:%M} UTC" if moment is not None and not pd.isna(moment) else ""


# --- Snapshots -----------------------------------------------------------------------------


def daily_snapshot(plan_id: int, access: Access) -> None:
    """Take today's automatic snapshot if the daily rule says it is due (editors and owners only)."""
    today = utcnow().date()
    if access.can_edit and read_plan(snapshots.daily_due, today):
        taken = attempt(lambda s, a: snapshots.daily_snapshot_if_due(s, a, plan_id, today))
        if taken.ok and taken.value:
            st.toast("Saved today's automatic snapshot of this plan.", icon=":material/history:")


def save_form(plan_id: int) -> None:
    """A label and a button that store the plan as it is now."""
    with st.form("snapshot_save", clear_on_submit=True, border=False):
        left, right = st.columns([4, 1], vertical_alignment="bottom")
        label = left.text_input(
            "Snapshot label", max_chars=120, placeholder="e.g. Agreed at the board workshop, 12 May"
        )
        submitted = right.form_submit_button("Save snapshot", icon=":material/photo_camera:", type="primary")
    if submitted:
        outcome = attempt(lambda s, a: snapshots.take_snapshot(s, a, plan_id, label))
        if not outcome.ok:
            st.error(plain(outcome.error), icon=":material/error:")
            return
        flash.success(f"Saved snapshot “{plain(label)}”.")
        st.rerun()


def snapshot_table(table: pd.DataFrame) -> None:
    """The newest snapshots (label, kind, when, revision and who took it) as a table, and all of them on request.

    A grid costs a page 50-140 ms in the browser; the daily rule adds a snapshot a day, and the newest are the
    ones people look for.
    """
    shown = table.rename(columns=SNAPSHOT_COLUMNS)[list(SNAPSHOT_COLUMNS.values())]
    newest = shown.head(NEWEST).assign(Taken=[_when(moment) for moment in shown["Taken"].head(NEWEST)])
    static_table(newest, right=["Revision"])
    if len(shown) > NEWEST:
        with panels.lazy("Every snapshot", EVERY_OPEN, icon=":material/list:") as open_:
            if open_:
                taken = st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm")
                st.dataframe(shown, hide_index=True, column_config={"Taken": taken})


def _choices(table: pd.DataFrame, current: bool = False) -> dict[Any, str]:
    names = {int(row.id): f"{row.label} — {_when(row.taken)} (revision {row.revision})" for row in table.itertuples()}
    return ({CURRENT: "The plan as it is now"} if current else {}) | names


def view_panel(table: pd.DataFrame) -> None:
    """What one chosen snapshot holds, section by section; drawn only while open, as the comparison is."""
    with panels.lazy("Choose a snapshot to see what it holds", VIEW_OPEN, icon=":material/visibility:") as open_:
        if open_:
            _view(table)


def _view(table: pd.DataFrame) -> None:
    choices = _choices(table)
    chosen = st.selectbox("Snapshot to view", list(choices), format_func=choices.get, key="snapshot_view")
    # A snapshot never changes: its contents are kept under the plan's state, read once, not on every rerun.
    plan, held = remembered(("snapshot_contents", chosen), lambda: _contents(chosen))
    st.markdown(f"**{plain(plan.get('name', ''))}** · {plain(plan.get('organisation') or '')}")
    widths = {
        "Section": st.column_config.TextColumn(width="medium"),
        "Records": st.column_config.NumberColumn(width="small"),
    }
    st.dataframe(held, hide_index=True, height=_rows_height(len(held)), column_config=widths)


def _contents(snapshot_id: int) -> tuple[dict[str, Any], pd.DataFrame]:
    document = read_plan(snapshots.snapshot_document, snapshot_id)
    return document.get("plan", {}), snapshots.contents(document)


def _rows_height(rows: int) -> int:
    """A table height that shows every row without scrolling (35 px a row, plus the header)."""
    return 35 * (rows + 1) + 3


def compare_panel(table: pd.DataFrame) -> None:
    """Pick A and B (a snapshot or the plan now) and show what changed from A to B, per section, in words.

    Drawn only while open: comparing the large plan's snapshot with the plan now took 173 ms, which every first
    viewer after a change paid, mostly to see the audit log or the snapshots.
    """
    label = "Choose two versions to see what changed"
    with panels.lazy(label, COMPARE_OPEN, icon=":material/compare_arrows:") as open_:
        if open_:
            _comparison(table)


def _comparison(table: pd.DataFrame) -> None:
    choices = _choices(table, current=True)
    ids = list(choices)
    left, right = st.columns(2)
    old = left.selectbox("Compare (A)", ids, index=1, format_func=choices.get, key="snapshot_compare_a")
    new = right.selectbox("with (B)", ids, index=0, format_func=choices.get, key="snapshot_compare_b")
    if old == new:
        st.caption("Choose two different versions to compare.")
        return
    diffs = remembered(("snapshot_compare", old, new), lambda: read_plan(snapshots.compare, old, new))
    if not diffs:
        st.success("No differences: A and B hold the same plan.", icon=":material/check_circle:")
    for diff in diffs:
        _section(diff, expanded=len(diffs) <= 3)


def _section(diff: SectionDiff, expanded: bool) -> None:
    counts = [f"{len(diff.added)} added", f"{len(diff.changed)} changed", f"{len(diff.removed)} removed"]
    with st.expander(f"{diff.title}: {', '.join(counts)}", expanded=expanded):
        st.markdown("\n".join(f"- {plain(sentence)}" for sentence in diff.sentences()))


def restore_panel(plan: PlanView, table: pd.DataFrame, access: Access) -> None:
    """Restore a snapshot as a new plan (owners) or over this plan (editors), the latter after confirmation."""
    choices = _choices(table)
    chosen = st.selectbox("Snapshot to restore", list(choices), format_func=choices.get, key="snapshot_restore")
    left, right = st.columns(2)
    if access.allows(Role.OWNER) and left.button("Restore as a new plan", icon=":material/library_add:"):
        _restore_as_new(plan.id, chosen)
    if right.button("Restore over this plan…", icon=":material/restore:"):
        st.session_state[CONFIRM] = chosen
    if st.session_state.get(CONFIRM) == chosen:
        _confirm_restore(plan, chosen, choices[chosen])


def _restore_as_new(plan_id: int, snapshot_id: int) -> None:
    new_id = write(lambda s, a: snapshots.restore_as_new_plan(s, a, plan_id, snapshot_id))
    if new_id is not None:
        flash.success(f"Restored the snapshot as a new plan (plan {new_id}). Open it from Plans or the sidebar.")
        st.rerun()


def _confirm_restore(plan: PlanView, snapshot_id: int, name: str) -> None:
    st.warning(
        f"This replaces **everything in {plain(plan.name)}** with the content of “{plain(name)}”. "
        "The plan as it is now is saved first as a snapshot named “Before restore…”, so you can go back. "
        "Participant links keep working only for survey rounds with the same name in the snapshot.",
        icon=":material/warning:",
    )
    yes, no = st.columns(2)
    if yes.button("Yes, restore over this plan", type="primary"):
        st.session_state.pop(CONFIRM, None)
        done = write(lambda s, a: snapshots.restore_over_plan(s, a, plan.id, snapshot_id))
        if done is not None:
            flash.success("Restored. The previous state is kept as the snapshot “Before restore…”.")
        st.rerun()
    if no.button("Cancel"):
        st.session_state.pop(CONFIRM, None)
        st.rerun()


# --- Audit log -----------------------------------------------------------------------------


def audit_panel(plan_id: int) -> None:
    """Filters (who, what, from, to), the matching events, and one event's before and after."""
    actors, actions = read_plan(history.audit_choices)
    if not actors:
        widgets.empty_state("history")
        return
    who, what, since, until = st.columns([2, 2, 1, 1])
    actor = who.selectbox("Who", actors, index=None, placeholder="Anyone", key="audit_actor")
    action = what.selectbox(
        "What", actions, index=None, format_func=history.describe_action, placeholder="Any change", key="audit_action"
    )
    start = since.date_input("From", value=None, format="DD/MM/YYYY", key="audit_since")
    end = until.date_input("To", value=None, format="DD/MM/YYYY", key="audit_until")
    log = read_plan(history.audit_log, actor, action, _day(start), _day(end))
    if log.empty:
        st.info("No changes match these filters.", icon=":material/filter_alt_off:")
        return
    st.caption(f"{len(log):,} change(s), newest first.")
    st.dataframe(
        log[["When", "Who", "Role", "What", "Record", "Record id"]],
        hide_index=True,
        column_config={"When": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm:ss")},
    )
    _event_details(log)


def _day(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def _event_details(log: pd.DataFrame) -> None:
    events = {int(row.id): f"{_when(row.When)} · {row.Who} · {row.What}" for row in log.itertuples()}
    chosen = st.selectbox("Event details", list(events), format_func=events.get, key="audit_event")
    row = log[log["id"] == chosen].iloc[0]
    before, after = st.columns(2)
    before.markdown("**Before**")
    before.json(row["Before"] if row["Before"] is not None else {}, expanded=True)
    after.markdown("**After**")
    after.json(row["After"] if row["After"] is not None else {}, expanded=True)


# --- Import a plan file (on Plans) ---------------------------------------------------------


def import_section() -> None:
    """Upload a plan file, see what it will create, confirm; the new plan becomes the open plan."""
    with st.expander("Import a plan file", icon=":material/upload_file:"):
        st.caption(
            "A plan file is the JSON that Export → JSON (or `python -m planner export PLAN --format json`) writes, "
            "here or on another host. It becomes a new plan; nothing is stored until you confirm."
        )
        upload = st.file_uploader(
            "Plan file (JSON)", type=["json"], key="plan_import_upload", max_upload_size=plan_import.MAX_BYTES // 2**20
        )
        if upload is None:
            st.session_state.pop(IMPORTED, None)
            return
        parsed = _parsed(upload)
        if parsed.get("error"):
            st.error(
                f"**{plain(upload.name)}** cannot be imported. {plain(parsed['error'])} Nothing was stored.",
                icon=":material/error:",
            )
        elif parsed.get("done"):
            st.success(
                f"**{plain(upload.name)}** was imported as plan {parsed['done']}.", icon=":material/check_circle:"
            )
        else:
            _confirm_import(parsed)


def _parsed(upload: Any) -> dict[str, Any]:
    """The uploaded file read once (kept across reruns, so confirming does not read it again)."""
    kept = st.session_state.get(IMPORTED)
    if kept is not None and kept["ident"] == upload.file_id:
        return kept
    parsed: dict[str, Any] = {"ident": upload.file_id}
    with st.spinner(f"Reading {plain(upload.name)}…"):
        try:
            parsed["document"] = plan_import.read_plan_file(upload.getvalue())
            parsed["preview"] = plan_import.preview(parsed["document"])
        except DocumentError as error:
            parsed["error"] = str(error)
    st.session_state[IMPORTED] = parsed
    return parsed


def _free_name(name: str) -> str:
    """The file's plan name, or “… (imported)” when a plan already has it (two plans of one name are confusing)."""
    ctx = context()
    with read_session(ctx.engine) as session:
        taken = {plan.name for plan in plans.list_plans(session, ctx.access)}
    return f"{name} (imported)"[:120] if name in taken else name


def _confirm_import(parsed: dict[str, Any]) -> None:
    found: plan_import.PlanFilePreview = parsed["preview"]
    where = f" ({plain(found.organisation)})" if found.organisation else ""
    st.markdown(f"This creates the plan **{plain(found.name)}**{where} with {found.total:,} records:")
    st.dataframe(found.counts, hide_index=True, height=_rows_height(len(found.counts)))
    name = st.text_input("Name of the new plan", _free_name(found.name), max_chars=120, key="plan_import_name")
    if not st.button("Import as a new plan", type="primary", icon=":material/upload:"):
        return
    with st.status(f"Importing {found.total:,} records…", expanded=True) as status:
        status.write("Checking every record and its links, then writing the plan in one transaction…")
        outcome = attempt(lambda s, a: plan_import.import_document(s, a, parsed["document"], name))
        status.update(label="Imported." if outcome.ok else "Not imported.", state="complete" if outcome.ok else "error")
    if not outcome.ok:
        st.error(f"{plain(outcome.error)} Nothing was stored.", icon=":material/error:")
        return
    parsed["done"] = outcome.value
    open_plan(outcome.value)
    flash.success(f"Imported “{plain(name.strip() or found.name)}” as a new plan. It is now the open plan.")
    st.rerun()
