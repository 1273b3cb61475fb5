"""Widgets of the capabilities page: filters, gap charts, consensus table, rating sheet and the framework."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd
import streamlit as st

from planner import capabilities, charts
from planner.capabilities import DEFAULT_ASSESSOR, IMPORTANCE, KINDS, RATING_FIELDS, SOURCES
from planner.ui import chart_display, figures, flash, panels
from planner.ui.actions import Outcome, attempt, write
from planner.ui.editors import edited_rows, record_editor
from planner.ui.figures import Figure
from planner.ui.frame import read_plan, remembered
from planner.ui.text import plain
from planner.wording import listed

GENERATION = "capability_editor_generation"
ADD_ERROR = "capability_add_error"
ADD_OPEN, CONSENSUS_OPEN = "capability_add_open", "capability_consensus_open"  # panels drawn while open
NEW = {"name": "", "kind": "individual", "description": ""}
RATING_HINT = (
    "Rate each capability twice for this tier: the level the strategy **needs** and the level leaders show "
    "**now**, with how important it is and the evidence behind the judgement. Each assessor keeps their own "
    "ratings; the charts use the median of everyone's. Edit a cell to save it; clear a row to remove it."
)


# --- Filters, charts and consensus ------------------------------------------------------------


def filters(tiers: dict[int, str]) -> tuple[list[int], str | None, bool]:
    """Tier multiselect (empty: every tier), kind pills and whether to include retired capabilities, in a Filter
    popover (panels.filter_row) beside a caption of what they let through."""
    row, popover = panels.filter_row()
    with popover:
        chosen = st.multiselect(
            "Tiers", list(tiers), default=list(tiers), format_func=tiers.get, key="capability_filter_tiers"
        )
        kind = st.pills("Kind", list(KINDS), format_func=KINDS.get, key="capability_filter_kind")
        retired = st.toggle("Include retired capabilities", key="capability_filter_retired")
    row.caption(filter_note(tiers, chosen, kind, retired))
    return chosen, kind, retired


def filter_note(tiers: dict[int, str], chosen: list[int], kind: str | None, retired: bool) -> str:
    """What the filters let through: "Every tier · individual and collective · retired capabilities left out"."""
    names = [plain(name) for key, name in tiers.items() if key in chosen]
    shown_tiers = "Every tier" if not chosen or len(names) == len(tiers) else listed(names)
    kinds = f"{KINDS[kind].lower()} only" if kind else "individual and collective"
    return f"{shown_tiers} · {kinds} · retired capabilities {'included' if retired else 'left out'}"


def _signed(value: float) -> str:
    return "0" if value == 0 else f"{value:+.1f}"


def headline(gaps: pd.DataFrame, cells: pd.DataFrame, active: int) -> None:
    """Four figures: capabilities rated, how many fall short, the mean gap and the cells flagged."""
    figures.row(
        [
            Figure("Capabilities rated", f"{len(gaps)} of {active}"),
            Figure("Short of the level needed", int((gaps["gap"] > 0).sum()) if not gaps.empty else 0),
            Figure("Mean gap", f"{_signed(round(float(gaps['gap'].mean()), 1))} levels" if not gaps.empty else "–"),
            Figure("Cells where assessors disagree", int(cells["disagree"].sum()) if not cells.empty else 0),
        ]
    )


def _level_text(median: float, level: Any) -> str:
    if pd.isna(median):
        return ""
    name = capabilities.levels().get(int(level), "")
    return f"{median:g} · {name}"


def _levels_text(cells: pd.DataFrame, name: str) -> list[str]:
    return [_level_text(m, lvl) for m, lvl in zip(cells[name], cells[f"{name}_level"], strict=True)]


def consensus_table(cells: pd.DataFrame, filters: Hashable) -> None:
    """Every rated cell's consensus, the cells where assessors differ by 2+ levels first.

    `filters` are the arguments the cells were read with: the table built from them is kept under them.
    """
    st.subheader("Consensus by capability and tier")
    flagged = int(cells["disagree"].sum())
    if flagged:
        st.warning(
            f"Assessors differ by 2 or more levels in {flagged} cell(s), listed first in the table below. Talk "
            "these through before treating the median as the organisation's view.",
            icon=":material/flag:",
        )
    else:
        st.caption("No cell has assessors 2 or more levels apart. The levels shown are the medians of all assessors.")
    # Drawn only while open: the grid of every rated cell cost the page a sixth of its time to content.
    label = "Every rated cell: the median levels, how far assessors spread and the gap"
    with panels.lazy(label, CONSENSUS_OPEN, icon=":material/table:") as open_:
        if open_:
            rows = remembered(("capability_consensus", filters), lambda: _consensus_rows(_disagreeing_first(cells)))
            st.dataframe(rows, hide_index=True, column_config=_consensus_columns(), height=360)


def _disagreeing_first(cells: pd.DataFrame) -> pd.DataFrame:
    return cells.sort_values("disagree", ascending=False, kind="stable")


def _consensus_rows(cells: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "flag": cells["disagree"].astype(bool),
            "capability": cells["capability"],
            "tier": cells["tier"],
            "assessors": cells["assessors"].astype(int),
            "required": _levels_text(cells, "required"),
            "required_spread": cells["required_spread"],
            "current": _levels_text(cells, "current"),
            "current_spread": cells["current_spread"],
            "gap": cells["gap"],
            "priority": cells["priority"],
        }
    )


def _consensus_columns() -> dict[str, Any]:
    cc = st.column_config
    return {
        "flag": cc.CheckboxColumn("Disagree", help="Assessors differ by 2 or more levels", width="small"),
        "capability": cc.TextColumn("Capability", width="large"),
        "tier": cc.TextColumn("Tier"),
        "assessors": cc.NumberColumn("Assessors", width="small"),
        "required": cc.TextColumn("Required (median)"),
        "required_spread": cc.NumberColumn("Spread", format="%.0f", width="small"),
        "current": cc.TextColumn("Current (median)"),
        "current_spread": cc.NumberColumn("Spread ", format="%.0f", width="small"),
        "gap": cc.NumberColumn("Gap", format="%+.1f", width="small"),
        "priority": cc.NumberColumn("Priority", format="%.1f", width="small", help="max(gap, 0) × importance"),
    }


# --- Rating sheet --------------------------------------------------------------------------------


def _editor_key(plan_id: int, tier_id: int, assessor: str) -> str:
    return f"capability_ratings_{plan_id}_{tier_id}_{assessor}_{st.session_state.get(GENERATION, 0)}"


def _reset_editors() -> None:
    # A keyed fixed-row editor keeps its edits across data changes, so start a fresh one after every save.
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def rating_panel(plan_id: int, tiers: dict[int, str], assessors: list[str], editable: bool) -> None:
    """Choose an assessor and a tier, then rate (or, read-only, see) every active capability there."""
    key = f"capability_assessor_{plan_id}"
    typed = st.session_state.get(key)  # a new name stays a choice until it has ratings of its own
    choices = list(dict.fromkeys([DEFAULT_ASSESSOR, *assessors, *([typed] if typed else [])]))
    left, right = st.columns(2)
    assessor = left.selectbox(
        "Assessor",
        choices,
        key=key,
        accept_new_options=editable,
        help="Pick who is rating, or type a new name (a person, or a group such as “Board workshop”).",
    )
    tier_id = right.selectbox("Tier", list(tiers), format_func=tiers.get, key=f"capability_tier_{plan_id}")
    if not assessor or tier_id is None:
        st.caption("Choose an assessor and a tier.")
        return
    sheet = read_plan(capabilities.rating_sheet, tier_id, assessor)
    if sheet.empty:
        st.caption("Every capability is retired: restore or add one under **Capability framework**.")
    elif editable:
        st.caption(RATING_HINT)
        rating_editor(plan_id, tier_id, assessor, sheet)
    else:
        st.dataframe(_readable(sheet), hide_index=True, column_order=list(_rating_columns()))


def _readable(sheet: pd.DataFrame) -> pd.DataFrame:
    names = capabilities.levels()
    return sheet.assign(
        kind=sheet["kind"].map(KINDS),
        required=sheet["required"].map(lambda v: "" if pd.isna(v) else f"{v} {names[int(v)]}"),
        current=sheet["current"].map(lambda v: "" if pd.isna(v) else f"{v} {names[int(v)]}"),
        importance=sheet["importance"].map(lambda v: "" if pd.isna(v) else IMPORTANCE[int(v)]),
    )


def _rating_columns() -> dict[str, Any]:
    cc, names = st.column_config, capabilities.levels()
    level = {"options": list(names), "format_func": lambda v: f"{v} {names[v]}", "width": 130}
    return {
        "capability": cc.TextColumn("Capability", disabled=True, width=280),
        "kind": cc.TextColumn("Kind", disabled=True, width=90),
        "required": cc.SelectboxColumn("Required level", help="The level the strategy needs at this tier", **level),
        "current": cc.SelectboxColumn("Current level", help="The level leaders at this tier show now", **level),
        "importance": cc.SelectboxColumn("Importance", options=list(IMPORTANCE), format_func=IMPORTANCE.get, width=100),
        "evidence": cc.TextColumn("Evidence", max_chars=capabilities.EVIDENCE_LIMIT, width=360),
    }


def rating_editor(plan_id: int, tier_id: int, assessor: str, sheet: pd.DataFrame) -> None:
    """A fixed-row editor, one row per active capability; each edited row is saved by capability id."""
    key = _editor_key(plan_id, tier_id, assessor)
    record_editor(
        key,
        sheet,
        sheet.assign(kind=sheet["kind"].map(KINDS)),
        max_height=720,
        column_order=list(_rating_columns()),
        column_config=_rating_columns(),
        placeholder="–",
        on_change=_save_ratings,
        args=(plan_id, tier_id, assessor, key),
    )


def _optional_int(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def _cleared(values: dict[str, Any]) -> bool:
    return all(values[name] is None or pd.isna(values[name]) or values[name] == "" for name in RATING_FIELDS)


def _save_rating(plan_id: int, tier_id: int, assessor: str, row: pd.Series, changes: dict[str, Any]) -> Outcome[Any]:
    rating_id, version = _optional_int(row["rating_id"]), _optional_int(row["version"])
    if _cleared({name: row[name] for name in RATING_FIELDS} | changes):
        if rating_id is None:
            return Outcome(True)
        return attempt(lambda s, a: capabilities.delete_rating(s, a, plan_id, rating_id, version))  # type: ignore[arg-type]
    capability_id = int(row["capability_id"])
    return attempt(
        lambda s, a: capabilities.set_rating(s, a, plan_id, capability_id, tier_id, assessor, version, **changes)
    )


def _save_ratings(plan_id: int, tier_id: int, assessor: str, key: str) -> None:
    """Callback: save each edited row, mapping editor positions to capability ids and rating versions."""
    saved = []
    for row, changes in edited_rows(key):
        outcome = _save_rating(plan_id, tier_id, assessor, row, changes)
        if outcome.ok:
            saved.append(f"“{plain(row['capability'])}”")
        else:
            flash.error(f"“{plain(row['capability'])}” was not saved. {plain(outcome.error)}")
    if saved:
        flash.success(f"Saved {plain(assessor)}'s rating of {', '.join(saved)}.")
    _reset_editors()


# --- The capability framework ----------------------------------------------------------------------


def framework_panel(plan_id: int, framework: pd.DataFrame, editable: bool) -> None:
    """The plan's capabilities (editable in place for editors), retire and restore, and the add form."""
    active, retired = framework[framework["active"]], framework[~framework["active"]]
    st.caption(
        f"{len(active)} capabilities in use: individual ones each leader holds, and collective ones that live "
        "in how leaders work together across teams and boundaries."
        + (" Edit a cell to rename, describe or change the kind of a capability." if editable else "")
    )
    if editable and not active.empty:
        framework_editor(plan_id, active)
        retire_picker(plan_id, active)
    elif not active.empty:
        shown = _framework_rows(active).assign(kind=active["kind"].map(lambda key: KINDS.get(key, key)))
        st.dataframe(shown, hide_index=True, column_order=list(_framework_columns(False)))
    retired_list(plan_id, retired, editable)
    if editable:
        add_form(plan_id, expanded=framework.empty)


def _framework_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(source=frame["source"].map(lambda key: SOURCES.get(key, key)))


def _framework_columns(editable: bool) -> dict[str, Any]:
    cc = st.column_config
    kind = cc.SelectboxColumn("Kind", options=list(KINDS), format_func=KINDS.get, required=True, width=110)
    return {
        "name": cc.TextColumn("Capability", required=True, max_chars=120, width=300),
        "kind": kind if editable else cc.TextColumn("Kind", width=110),
        "description": cc.TextColumn("Description", max_chars=capabilities.DESCRIPTION_LIMIT, width=520),
        "source": cc.TextColumn("Source", disabled=True, width=220),
        "ratings": cc.NumberColumn("Ratings", disabled=True, width=80),
    }


def framework_editor(plan_id: int, active: pd.DataFrame) -> None:
    """Rename, describe or change the kind of capabilities in a fixed-row editor."""
    key = f"capability_framework_{plan_id}_{st.session_state.get(GENERATION, 0)}"
    record_editor(
        key,
        active,
        _framework_rows(active),
        max_height=720,
        column_order=list(_framework_columns(True)),
        column_config=_framework_columns(True),
        disabled=["source", "ratings"],
        on_change=_save_framework,
        args=(plan_id, key),
    )


def _save_framework(plan_id: int, key: str) -> None:
    """Callback: save each edited capability by id with the version shown."""
    for row, changes in edited_rows(key):
        values = {name: "" if value is None else value for name, value in changes.items()}
        write(
            lambda s, a, row=row, values=values: capabilities.update_capability(
                s, a, plan_id, int(row["id"]), int(row["version"]), **values
            ),
            f"Saved “{plain(values.get('name') or row['name'])}”.",
        )
    _reset_editors()


def _confirm(label: str, text: str, action: Any, *args: Any, key: str) -> None:
    """A popover holding the explanation and the button that does it: a confirmation in one click more."""
    with st.popover(label, icon=":material/archive:" if "Retire" in label else ":material/unarchive:"):
        st.markdown(text)
        st.button(label.removesuffix("…"), type="primary", on_click=action, args=args, key=key)


def retire_picker(plan_id: int, active: pd.DataFrame) -> None:
    """Choose a capability and retire it, after a confirmation that says what retiring keeps."""
    rows = {int(row["id"]): row for row in active.to_dict("records")}
    picker, button = st.columns([4, 1], vertical_alignment="bottom")
    chosen = picker.selectbox(
        "Capability to retire",
        list(rows),
        index=None,
        format_func=lambda capability_id: rows[capability_id]["name"],
        placeholder="Choose a capability the plan no longer needs",
        key=f"capability_retire_{plan_id}",
    )
    if chosen is None:
        return
    row = rows[chosen]
    with button:
        text = (
            f"Retire “{plain(row['name'])}”? It leaves the rating sheet and the gap charts; its {row['ratings']} "
            "rating(s) and its history are kept, and you can restore it at any time."
        )
        _confirm("Retire…", text, _set_active, plan_id, row, False, key=f"capability_retire_go_{chosen}")


def retired_list(plan_id: int, retired: pd.DataFrame, editable: bool) -> None:
    """Retired capabilities with their kept ratings, each with a restore action for editors."""
    if retired.empty:
        return
    st.subheader("Retired")
    for row in retired.to_dict("records"):
        text, action = st.columns([5, 1], vertical_alignment="center")
        text.markdown(
            f"**{plain(row['name'])}** · {KINDS.get(row['kind'], row['kind'])} · {row['ratings']} rating(s) kept"
        )
        if editable:
            with action:
                message = f"Restore “{plain(row['name'])}” with its {row['ratings']} rating(s)?"
                _confirm("Restore…", message, _set_active, plan_id, row, True, key=f"capability_restore_{row['id']}")


def _set_active(plan_id: int, row: dict[str, Any], active: bool) -> None:
    change = capabilities.restore_capability if active else capabilities.retire_capability
    verb = "Restored" if active else "Retired"
    write(lambda s, a: change(s, a, plan_id, int(row["id"]), int(row["version"])), f"{verb} “{plain(row['name'])}”.")
    _reset_editors()


def add_form(plan_id: int, expanded: bool) -> None:
    """An expander with a form that adds one capability; what was typed survives a refused submit."""
    prefix = "capability_new_"
    for name, value in NEW.items():
        st.session_state.setdefault(prefix + name, value)
    with panels.lazy("Add a capability", ADD_OPEN, expanded=expanded, icon=":material/add:") as open_:
        if open_:
            _add_form(plan_id, prefix)


def _add_form(plan_id: int, prefix: str) -> None:
    with st.form("capability_add"):
        left, right = st.columns([3, 1])
        left.text_input("Name", max_chars=120, key=f"{prefix}name", placeholder="e.g. Leading improvement")
        right.radio("Kind", list(KINDS), format_func=KINDS.get, key=f"{prefix}kind", horizontal=True)
        st.text_area(
            "Description",
            max_chars=capabilities.DESCRIPTION_LIMIT,
            key=f"{prefix}description",
            height=90,
            placeholder="What leaders who have this capability do, in a sentence or two",
        )
        st.form_submit_button("Add capability", type="primary", on_click=_add, args=(plan_id, prefix))
        if ADD_ERROR in st.session_state:
            st.error(plain(st.session_state.pop(ADD_ERROR)), icon=":material/error:")


def _add(plan_id: int, prefix: str) -> None:
    values = {name: st.session_state[prefix + name] for name in NEW}
    outcome = attempt(lambda s, a: capabilities.add_capability(s, a, plan_id, **values))
    if not outcome.ok:
        st.session_state[ADD_ERROR] = outcome.error
        return
    flash.success(f"Added “{plain(values['name'])}”. Rate it under **Rate capabilities**.")
    for name, value in NEW.items():
        st.session_state[prefix + name] = value
    _reset_editors()


def gap_charts(gaps: pd.DataFrame, cells: pd.DataFrame) -> None:
    """The gap chart (by priority) above the capability × tier heatmap in the same order."""
    chart_display.show(charts.capability_gap_chart, gaps, capabilities.levels())
    chart_display.show(charts.capability_heatmap, cells, list(gaps["capability"]))
