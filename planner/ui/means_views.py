"""Widgets of the means page: uncovered flags, means by mode, adding, editing, coverage and totals."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from planner import charts, means
from planner.db import read_session
from planner.means import STATUSES, Coverage, Totals
from planner.ui import cards, chart_display, flash, panels
from planner.ui.actions import Outcome, attempt
from planner.ui.editors import edited_rows, record_editor
from planner.ui.frame import context, remembered
from planner.ui.navigation import page_file
from planner.ui.tables import static_table
from planner.ui.text import plain

GENERATION = "means_editor_generation"
LIBRARY_ERROR = "means_library_error"
OWN_ERROR = "means_own_error"
PRIORITY_KEY = "means_priority"
COVERAGE_TABLE_OPEN = "means_coverage_table_open"
EDIT_OPEN = "means_edit_open"
LIB = "means_lib_"
MONEY_COLUMNS = ["Estimated cost", "Leaders reached"]  # formatted text, aligned as numbers
OWN = "means_own_"
NEW = {
    "mode": "develop",
    "status": "planned",
    "approach": "",
    "description": "",
    "cost": 0,
    "lead_time_months": 0,
    "reach": 0,
    "owner": "",
    "tier_keys": [],
}
TABLE_COLUMNS = ("approach", "mode", "status", "cost", "lead_time_months", "reach", "tier_keys", "owner", "description")


def _money(value: float) -> str:
    return f"£{value:,.0f}"


def _leaders(value: float) -> str:
    return f"{value:,.0f}"


def no_priorities() -> None:
    """The empty state: means serve priorities, so set those first."""
    st.info(
        "No priorities set yet. Means are chosen for priority capabilities and weak cultural elements, "
        "so set the plan's priorities first.",
        icon=":material/lightbulb:",
    )
    st.page_link(page_file("priorities"), label="Set priorities", icon=":material/flag:")


def uncovered_flags(flags: pd.DataFrame) -> None:
    """A warning listing every priority and weak element without means; a success note when there are none."""
    if flags.empty:
        st.success("Every priority and weak cultural element has at least one means.", icon=":material/check:")
        return
    lines = "\n".join(f"- **{plain(row.label)}** — uncovered: {plain(row.reason)}" for row in flags.itertuples())
    st.warning(f"{len(flags)} uncovered: no means yet.\n\n{lines}", icon=":material/flag:")


# --- One priority's means -----------------------------------------------------------------------


@dataclass(frozen=True)
class PriorityChoice:
    """The priority picker's labels and each priority's coverage line, prepared once per revision."""

    labels: dict[int, str]
    uncovered: list[int]  # priorities without means, in rank order
    statuses: dict[int, str]  # priority id -> Markdown of its coverage


def _priority_label(rank: int, title: str, capability: str | None) -> str:
    return f"{rank}. {title}" + (f" · {capability}" if capability else "")


def _status_line(status: str, reason: str, count: int) -> str:
    if status == "none":
        return f":red-badge[:material/flag: uncovered] {plain(reason)}"
    return f":blue-badge[{STATUSES[status]}] {count} means cover this priority."


def priority_choice(priorities: pd.DataFrame, rows: pd.DataFrame) -> PriorityChoice:
    """The picker's labels, the uncovered priorities and each priority's coverage line."""
    columns = zip(priorities["id"], priorities["rank"], priorities["title"], priorities["capability"], strict=True)
    labels = {int(id_): _priority_label(rank, title, capability) for id_, rank, title, capability in columns}
    mine = rows[rows["row_key"].str.startswith("priority:")]
    ids = [int(key.split(":")[1]) for key in mine["row_key"]]
    lines = zip(ids, mine["status"], mine["reason"], mine["means"], strict=True)
    statuses = {id_: _status_line(status, reason, count) for id_, status, reason, count in lines}
    uncovered = [id_ for id_, status in zip(ids, mine["status"], strict=True) if status == "none"]
    return PriorityChoice(labels, uncovered, statuses)


def priority_picker(choice: PriorityChoice) -> int:
    """A selectbox of the plan's priorities (first uncovered one chosen at first); the chosen priority's id."""
    labels = choice.labels
    if st.session_state.get(PRIORITY_KEY) not in labels:
        st.session_state[PRIORITY_KEY] = choice.uncovered[0] if choice.uncovered else next(iter(labels))
    return st.selectbox("Priority", list(labels), format_func=labels.get, key=PRIORITY_KEY)


@dataclass(frozen=True)
class PriorityMeans:
    """One priority's means, prepared once per revision: its rows, each mode's cards and the removal choices."""

    rows: pd.DataFrame
    table: pd.DataFrame  # the rows' shown columns, for the table or its editor
    cards: dict[str, list[cards.Card]]  # mode -> its means' cards
    removable: dict[int, tuple[int, str]]  # means id -> (version, approach)


def _card(row: dict[str, Any], tiers: dict[str, str]) -> cards.Card:
    facts = [_money(row["cost"]), f"{row['lead_time_months']} months' lead time", f"{_leaders(row['reach'])} leaders"]
    lines = [" · ".join(facts)]
    if row["tier_keys"]:
        lines.append("Tiers: " + ", ".join(tiers.get(key, key) for key in row["tier_keys"]))
    if row["owner"]:
        lines.append(f"Owner: {row['owner']}")
    badge, tone = ("Current", "current") if row["status"] == "current" else ("Planned", "planned")
    return cards.Card(str(row["approach"]), details=tuple(lines), badge=badge, tone=tone)


def priority_means(all_means: pd.DataFrame, priority_id: int, tiers: dict[str, str]) -> PriorityMeans:
    """The chosen priority's means, their cards by mode and the choices for removing one."""
    rows = all_means[all_means["priority_id"] == priority_id].reset_index(drop=True)
    records = rows.to_dict("records")
    shown = {mode: [_card(row, tiers) for row in records if row["mode"] == mode] for mode in means.modes()}
    removable = {int(row["id"]): (int(row["version"]), row["approach"]) for row in records}
    return PriorityMeans(rows, rows[list(TABLE_COLUMNS)], shown, removable)


def mode_columns(shown: dict[str, list[cards.Card]]) -> None:
    """The priority's means side by side: acquire, develop, sustain, each with the framework's description."""
    descriptions = means.mode_descriptions()
    for column, (mode, name) in zip(st.columns(3), means.modes().items(), strict=True):
        with column:
            cards.show(shown[mode], name, descriptions[mode], empty=f"No means to {name.lower()} yet.")


# --- Adding ------------------------------------------------------------------------------------


def add_panel(plan_id: int, priority_id: int, elements: dict[str, str], tiers: dict[str, str], open_: bool) -> None:
    """An expander with two ways to add a means: from the intervention library, or written by hand."""
    # Drawn only while open: the library's search, picker and the form cost most of the page's rerun.
    with panels.lazy("Add a means to this priority", f"means_add_{priority_id}", expanded=open_,
                     icon=":material/add:") as is_open:  # fmt: skip
        if not is_open:
            return
        library_tab, own_tab = st.tabs(["From the library", "Write your own"])
        with library_tab:
            library_picker(plan_id, priority_id, elements, tiers)
        with own_tab:
            own_form(plan_id, priority_id, tiers)


def _library(query: str, mode: str | None, element: str | None) -> pd.DataFrame:
    with read_session(context().engine) as session:
        return means.library(session, query, mode, element)


def _library_filters(elements: dict[str, str]) -> tuple[str, str, str | None]:
    modes = means.modes()
    search, mode, element = st.columns([3, 3, 2], vertical_alignment="bottom")
    query = search.text_input("Search the library", key=f"{LIB}query", placeholder="e.g. coaching, succession, QI")
    chosen_mode = mode.radio("Mode", list(modes), index=1, format_func=modes.get, horizontal=True, key=f"{LIB}mode")
    chosen_element = element.selectbox(
        "Cultural element",
        list(elements),
        index=None,
        format_func=elements.get,
        placeholder="Any element",
        key=f"{LIB}element",
    )
    return query, chosen_mode, chosen_element


def _intervention_facts(item: pd.Series, elements: dict[str, str]) -> None:
    st.markdown(item["description"])
    months = item["typical_duration_months"]
    st.caption(f"For: {item['audience']} · typically {_money(item['typical_cost_gbp'])} over {months} months")
    st.caption("Cultural elements: " + ", ".join(plain(elements.get(k, k)) for k in item["element_keys"]))


def library_picker(plan_id: int, priority_id: int, elements: dict[str, str], tiers: dict[str, str]) -> None:
    """Search and filter the library, pick an intervention, and add it (cost and lead time prefilled)."""
    query, mode, element = _library_filters(elements)
    found = _library(query, mode, element)
    if found.empty:
        st.caption("No intervention matches. Clear the search or change the filters, or write your own.")
        return
    items = {row["key"]: row for _, row in found.iterrows()}
    pick = st.selectbox("Intervention", list(items), format_func=lambda key: items[key]["name"], key=f"{LIB}pick")
    st.caption(f"{len(found)} of the library's interventions match.")
    _intervention_facts(items[pick], elements)
    status, reach, tier = st.columns([2, 2, 4], vertical_alignment="bottom")
    status.radio("Status", list(STATUSES), index=1, format_func=STATUSES.get, horizontal=True, key=f"{LIB}status")
    reach.number_input("Leaders reached", value=0, step=1, key=f"{LIB}reach")
    tier.multiselect("Tiers", list(tiers), format_func=tiers.get, key=f"{LIB}tiers", placeholder="Choose tiers")
    st.button(
        "Add from library",
        key=f"{LIB}add",
        type="primary",
        icon=":material/library_add:",
        on_click=_add_from_library,
        args=(plan_id, priority_id, pick, mode, items[pick]["name"]),
    )
    if LIBRARY_ERROR in st.session_state:
        st.error(plain(st.session_state.pop(LIBRARY_ERROR)), icon=":material/error:")


def _add_from_library(plan_id: int, priority_id: int, key: str, mode: str, name: str) -> None:
    state = st.session_state
    extra = {"status": state[f"{LIB}status"], "reach": state[f"{LIB}reach"], "tier_keys": state[f"{LIB}tiers"]}
    outcome = attempt(lambda s, a: means.add_from_library(s, a, plan_id, priority_id, key, mode, **extra))
    if not outcome.ok:
        state[LIBRARY_ERROR] = outcome.error
        return
    flash.success(f"Added “{name}” as a means.")
    state[f"{LIB}reach"], state[f"{LIB}tiers"] = 0, []
    _reset_editor()


def own_form(plan_id: int, priority_id: int, tiers: dict[str, str]) -> None:
    """A form for a means written by hand; what was typed survives a refused submit."""
    for name, value in NEW.items():
        st.session_state.setdefault(OWN + name, value)
    modes = means.modes()
    examples = "; ".join(f"**{modes[m]}**: {', '.join(found)}" for m, found in means.APPROACHES.items())
    with st.form("means_own"):
        mode, status = st.columns(2)
        mode.selectbox("Mode", list(modes), format_func=modes.get, key=f"{OWN}mode")
        status.selectbox("Status", list(STATUSES), format_func=STATUSES.get, key=f"{OWN}status")
        st.text_input(
            "Approach",
            max_chars=200,
            key=f"{OWN}approach",
            help=examples,
            placeholder="e.g. Second two matrons to the improvement team",
        )
        st.text_area("Description", max_chars=5000, key=f"{OWN}description", height=80)
        cost, lead, reach = st.columns(3)
        cost.number_input("Cost (£)", step=1000, key=f"{OWN}cost")
        lead.number_input("Lead time (months)", step=1, key=f"{OWN}lead_time_months")
        reach.number_input("Leaders reached", step=1, key=f"{OWN}reach")
        owner, tier = st.columns(2)
        owner.text_input("Owner", max_chars=200, key=f"{OWN}owner")
        tier.multiselect("Tiers", list(tiers), format_func=tiers.get, key=f"{OWN}tier_keys", placeholder="Choose tiers")
        st.form_submit_button("Add means", type="primary", on_click=_add_own, args=(plan_id, priority_id))
        if OWN_ERROR in st.session_state:
            st.error(plain(st.session_state.pop(OWN_ERROR)), icon=":material/error:")


def _add_own(plan_id: int, priority_id: int) -> None:
    values = {name: st.session_state[OWN + name] for name in NEW}
    outcome = attempt(lambda s, a: means.add_means(s, a, plan_id, priority_id=priority_id, **values))
    if not outcome.ok:
        st.session_state[OWN_ERROR] = outcome.error
        return
    flash.success(f"Added “{plain(values['approach'])}” as a means.")
    for name, value in (NEW | {"mode": values["mode"], "status": values["status"]}).items():
        st.session_state[OWN + name] = value
    _reset_editor()


# --- Editing and removing ------------------------------------------------------------------------


def _reset_editor() -> None:
    # A keyed fixed-row editor keeps its edits across data changes, so start a fresh one after every save.
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def _columns(tiers: dict[str, str]) -> dict[str, Any]:
    cc, modes = st.column_config, means.modes()
    return {
        "approach": cc.TextColumn("Approach", required=True, max_chars=200, width=260),
        "mode": cc.SelectboxColumn("Mode", options=list(modes), format_func=modes.get, required=True, width=90),
        "status": cc.SelectboxColumn(
            "Status", options=list(STATUSES), format_func=STATUSES.get, required=True, width=90
        ),
        "cost": cc.NumberColumn(
            "Cost (£)", min_value=0, max_value=means.MAX_COST, step=1, format="localized", width=100
        ),
        "lead_time_months": cc.NumberColumn("Lead time (months)", min_value=0, max_value=means.MAX_LEAD_TIME, step=1),
        "reach": cc.NumberColumn("Leaders reached", min_value=0, max_value=means.MAX_REACH, step=1),
        "tier_keys": cc.MultiselectColumn("Tiers", options=list(tiers), format_func=tiers.get, width=220),
        "owner": cc.TextColumn("Owner", max_chars=200, width=180),
        "description": cc.TextColumn("Description", max_chars=5000, width=320),
    }


def edit_panel(plan_id: int, chosen: PriorityMeans, tiers: dict[str, str]) -> None:
    """The priority's means in an editor, and their removal, drawn only while the panel is open.

    The cards above already show every means; the table is for changing them (a data editor also cost the
    page a seventh of its load in Chromium, 9 loads on the large plan).
    """
    with panels.lazy("Edit or remove these means", EDIT_OPEN, icon=":material/edit:") as open_:
        if open_:
            st.caption("Edit a cell to save it.")
            means_table(plan_id, chosen, tiers, editable=True)
            remove_control(plan_id, chosen.removable)


def means_table(plan_id: int, chosen: PriorityMeans, tiers: dict[str, str], editable: bool) -> None:
    """The priority's means: for editors a fixed-row editor saving each edited row by id and version shown."""
    config = _columns(tiers)
    if not editable:
        st.dataframe(chosen.table, hide_index=True, column_config=config)
        return
    key = f"means_editor_{plan_id}_{st.session_state.get(GENERATION, 0)}"
    shown = chosen.rows[["id", "version", "approach"]]
    record_editor(key, shown, chosen.table, on_change=_save_edits, args=(plan_id, key), column_config=config)


def _save_row(plan_id: int, row: pd.Series, changes: dict[str, Any]) -> Outcome[int]:
    values = {
        name: ("" if value is None and name in ("approach", "owner", "description") else value)
        for name, value in changes.items()
    }
    return attempt(lambda s, a: means.update_means(s, a, plan_id, int(row["id"]), int(row["version"]), **values))


def _save_edits(plan_id: int, key: str) -> None:
    """Callback: save each edited row through update_means, mapping editor positions to means ids."""
    saved = []
    for row, changes in edited_rows(key):
        outcome = _save_row(plan_id, row, changes)
        if outcome.ok:
            saved.append(f"“{plain(changes.get('approach') or row['approach'])}”")
        else:
            flash.error(f"“{plain(row['approach'])}” was not saved. {plain(outcome.error)}")
    if saved:
        flash.success(f"Saved {', '.join(saved)}.")
    _reset_editor()


def remove_control(plan_id: int, rows: dict[int, tuple[int, str]]) -> None:
    """Choose a means, then confirm its removal in a popover; `rows` maps means ids to (version, approach)."""
    picker, confirm = st.columns([4, 1], vertical_alignment="bottom")
    picked = picker.selectbox(
        "Means to remove",
        list(rows),
        index=None,
        format_func=lambda i: rows[i][1],
        placeholder="Choose a means to remove",
        key=f"means_remove_{plan_id}",
    )
    with confirm.popover("Remove…", icon=":material/delete:", disabled=picked is None, width="stretch"):
        if picked is not None:
            st.markdown(f"Remove “{plain(rows[picked][1])}” from this priority? This cannot be undone.")
            st.button(
                "Remove", key="means_remove_go", type="primary", on_click=_remove, args=(plan_id, picked, *rows[picked])
            )


def _remove(plan_id: int, means_id: int, version: int, approach: str) -> None:
    outcome = attempt(lambda s, a: means.delete_means(s, a, plan_id, means_id, version))
    if outcome.ok:
        flash.success(f"Removed “{plain(approach)}”.")
    else:
        flash.error(plain(outcome.error))
    _reset_editor()


def unlinked(all_means: pd.DataFrame) -> None:
    """Means whose priority was deleted, so that they are not lost from view."""
    orphans = all_means[all_means["priority_id"].isna()]
    if not orphans.empty:
        st.caption(f"{len(orphans)} means are not linked to any priority (their priority was deleted).")
        st.dataframe(orphans[["approach", "mode", "status", "cost", "reach"]], hide_index=True)


# --- Coverage and totals -------------------------------------------------------------------------


def coverage_chart(found: Coverage) -> None:
    """The coverage heatmap, with the same matrix as a table for reading cell by cell."""
    chart_display.show(charts.coverage_heatmap, found.matrix)
    # Built only while open: the pivot and its grid are a good part of the page's rerun on a large plan.
    with panels.lazy("Coverage as a table", COVERAGE_TABLE_OPEN, icon=":material/table:") as open_:
        if open_:
            st.dataframe(found.table())


def _mode_table(totals: Totals) -> pd.DataFrame:
    frame = totals.by_mode
    table = pd.DataFrame(
        {
            "Mode": frame["name"],
            "Means": frame["means"],
            "Current": frame["current"],
            "Planned": frame["planned"],
            "Estimated cost": frame["cost"].map(_money),
            "Leaders reached": frame["reach"].map(_leaders),
        }
    )
    total = [
        "Total",
        totals.means,
        int(frame["current"].sum()),
        int(frame["planned"].sum()),
        _money(totals.cost),
        _leaders(totals.reach),
    ]
    return pd.concat([table, pd.DataFrame([total], columns=table.columns)], ignore_index=True)


def _tier_table(totals: Totals) -> pd.DataFrame:
    frame = totals.by_tier
    return pd.DataFrame(
        {
            "Tier": frame["tier"],
            "Means": frame["means"],
            "Estimated cost": frame["cost"].map(_money),
            "Leaders reached": frame["reach"].map(_leaders),
        }
    )


def totals_tables(totals: Totals) -> None:
    """Estimated cost and reach by mode and by tier, side by side."""
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**By mode**")
        static_table(remembered("means_by_mode", partial(_mode_table, totals)), right=MONEY_COLUMNS)
    with right:
        st.markdown("**By tier**")
        static_table(remembered("means_by_tier", partial(_tier_table, totals)), right=MONEY_COLUMNS)
        st.caption("A means for several tiers has its cost and reach split evenly among them, so the tiers add up.")


def uncovered_summary(flags: pd.DataFrame, has_priorities: bool) -> None:
    """The summary page's list of uncovered priorities and weak elements."""
    if not flags.empty:
        shown = flags[["label", "reason"]].rename(columns={"label": "Uncovered", "reason": "Why"})
        static_table(shown)
    elif has_priorities:
        st.success("Every priority has means, and so does every weak cultural element.", icon=":material/check:")
    else:
        st.caption("No priorities set yet.")
