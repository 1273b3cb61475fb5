"""Widgets of the priorities page: candidates from Discovery, priority capabilities, objectives, diversity targets."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from planner import priorities
from planner.capabilities import levels
from planner.culture import RoundView
from planner.plans import PlanView
from planner.priorities import LEVELS, NOT_SPECIFIC, NOT_STRETCHING, STATUSES, ObjectiveDraft
from planner.ui import cards, figures, flash, panels
from planner.ui.actions import Outcome, attempt, write
from planner.ui.editors import edited_rows, record_editor
from planner.ui.figures import Figure
from planner.ui.frame import remembered
from planner.ui.navigation import page_file
from planner.ui.tables import static_table
from planner.ui.text import plain

GENERATION = "priorities_editor_generation"
# The edit panels' open state (they are drawn only while open: planner/ui/panels.py).
PRIORITY_EDIT_OPEN, OBJECTIVE_ADD_OPEN = "priority_edit_open", "objective_add_open"
TABLE_EDIT_OPEN = {"objectives": "objective_table_edit_open", "diversity": "diversity_table_edit_open"}
TABLE_EDIT_LABELS = {"objectives": "Edit objectives in a table", "diversity": "Edit diversity targets in a table"}
KINDS = {"individual": "Individual", "collective": "Collective", "element": "Cultural element"}
TARGET_LEVELS = {value: name for value, name in levels().items() if value}
DECK_OBJECTIVES = (
    "The deck asks for “improvement goals at every level”: “specific, agreed objectives”, “stretching, "
    "motivating, challenging”, with “timely and helpful feedback on performance”."
)
OBJECTIVES_EMPTY = (
    "No objectives yet. "
    + DECK_OBJECTIVES
    + " Add at least one per priority for the board, the organisation, each directorate and team: what you will "
    "measure, where it stands now, the target and the date, and who owns it."
)
NO_CANDIDATES = (
    "Nothing to rank yet. Rate capabilities (the level needed and the level now) on **Capabilities**, and run a "
    "culture survey on **Culture**: the largest gaps and the weakest cultural elements then appear here."
)
CAPABILITY_SCORE = "Ranked by priority score: over every tier, the sum of the gap (levels short) × importance."
ELEMENT_SCORE = (
    "Ranked by how far the mean falls below 5, plus the gap between the board's and front-line staff's means "
    "(a positive gap: the board rates it higher). The two lists use different scales, so they are ranked apart."
)
SHORT_LIST = 10  # candidates shown per list before "Show all"
PROMOTE_CHOICE = {"capability": "Capability gap to promote", "element": "Cultural element to promote"}
NO_LINK = 0  # stands for "none" in select boxes of ids (an empty option shows as None)


@dataclass(frozen=True)
class Options:
    """What an objective can serve: priorities, capabilities, elements and tiers, id or key → name."""

    priorities: dict[int, str]
    capabilities: dict[int, str]
    elements: dict[str, str]
    tiers: dict[int, str]


def options(ranked: pd.DataFrame, framework: pd.DataFrame, elements: dict[str, str], tiers: dict[int, str]) -> Options:
    """The choices for what an objective serves, from the priorities and the capability framework."""
    rows = zip(ranked["id"], ranked["rank"], ranked["title"], strict=True)
    return Options(
        priorities={int(i): f"{rank}. {title}" for i, rank, title in rows},
        capabilities=dict(zip(framework["id"].astype(int), framework["name"], strict=True)),
        elements=elements,
        tiers=tiers,
    )


def _generation() -> int:
    return st.session_state.get(GENERATION, 0)


def _reset_editors() -> None:
    # A keyed fixed-row editor keeps its edits across data changes, so start fresh ones after every save.
    st.session_state[GENERATION] = _generation() + 1


def _day(value: Any) -> str:
    return "—" if value is None or value is pd.NaT or pd.isna(value) else f"{value:%d %b %Y}"


def _table(frame: pd.DataFrame) -> None:
    """A small static table (text the browser can search, unlike a canvas dataframe)."""
    static_table(frame)


def _choose(label: str, options: dict[int, str], key: str) -> Any:
    """A select box of ids with a "None" choice first."""
    choices = {NO_LINK: "None", **options}
    return st.selectbox(label, list(choices), format_func=choices.get, key=key)


# --- From Discovery --------------------------------------------------------------------------


def candidates_panel(plan: PlanView, candidates: pd.DataFrame, survey: RoundView | None, editable: bool) -> None:
    """Capability gaps and weak cultural elements side by side, each with a promote action."""
    if candidates.empty:
        st.info(NO_CANDIDATES, icon=":material/lightbulb:")
        st.page_link(page_file("capabilities"), label="Go to Capabilities", icon=":material/trending_up:")
        return
    # `candidates` is always the open plan's ranked candidates (read_plan), so its split is kept with it.
    lists = remembered("priority_candidate_lists", lambda: _by_source(candidates))
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Capability gaps")
        st.caption(CAPABILITY_SCORE)
        _candidate_list(plan, lists["capability"], "capability", editable, "No capability falls short.")
    with right:
        st.subheader("Cultural elements")
        where = f"From **{plain(survey.name)}** ({survey.responses} responses). " if survey else ""
        st.caption(where + ELEMENT_SCORE)
        empty = "No survey round has enough responses yet: run one on **Culture**."
        _candidate_list(plan, lists["element"], "element", editable, empty)


def _by_source(candidates: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    records = candidates.to_dict("records")
    return {source: [row for row in records if row["source"] == source] for source in ("capability", "element")}


def _candidate_list(plan: PlanView, rows: list[dict[str, Any]], source: str, editable: bool, empty: str) -> None:
    if not rows:
        st.caption(empty)
    open_rows = [row for row in rows if pd.isna(row["priority_id"])]
    if editable and open_rows:
        _promote_popover(plan, open_rows, source)
    if len(rows) > SHORT_LIST and not st.toggle(f"Show all {len(rows)}", key=f"candidates_all_{source}"):
        rows = rows[:SHORT_LIST]
    cards.show([_candidate_card(row) for row in rows])


def _candidate_card(row: dict[str, Any]) -> cards.Card:
    kind = "" if row["kind"] == "element" else KINDS.get(row["kind"], row["kind"])
    served = f" · served by priority {', '.join(map(str, row['served_by']))}" if row["served_by"] else ""
    badge = "" if pd.isna(row["priority_id"]) else f"Priority {row['priority_rank']}"
    return cards.Card(str(row["name"]), int(row["rank"]), kind, (f"{row['evidence']}{served}",), badge)


def _candidate_key(row: dict[str, Any]) -> str:
    if row["source"] == "capability":
        return f"promote_capability_{row['capability_id']}"
    return f"promote_element_{row['element_key']}"


def _promote_popover(plan: PlanView, rows: list[dict[str, Any]], source: str) -> None:
    """One popover per list: the candidate to promote (the highest ranked first), then its form."""
    # Only an open popover draws its form and choice: a closed one's widgets would cost as much as an open one's.
    with st.popover("Promote", key=f"promote_{source}_open", on_change="rerun") as popover:
        if popover.open:
            by_key = {_candidate_key(row): row for row in rows}
            names = {key: f"{row['rank']}. {row['name']}" for key, row in by_key.items()}
            chosen = st.selectbox(PROMOTE_CHOICE[source], list(names), format_func=names.get, key=f"promote_{source}")
            _promote_form(plan, by_key[chosen], chosen)


def _promote_form(plan: PlanView, row: dict[str, Any], key: str) -> None:
    defaults = {"title": row["name"], "date": plan.horizon_end, "rationale": f"From Discovery: {row['evidence']}."}
    if row["source"] == "capability":
        defaults["level"] = int(row["suggested_level"])
    for name, value in defaults.items():
        st.session_state.setdefault(f"{key}_{name}", value)
    with st.form(f"{key}_form", border=False):
        st.text_input("Title", max_chars=200, key=f"{key}_title")
        if row["source"] == "capability":
            st.selectbox("Target level", list(TARGET_LEVELS), format_func=_level_name, key=f"{key}_level")
        st.date_input("Target date", key=f"{key}_date", format="DD/MM/YYYY")
        st.text_area("Rationale", max_chars=5000, key=f"{key}_rationale", height=110)
        st.form_submit_button(
            "Promote to priority", type="primary", key=f"{key}_submit", on_click=_promote, args=(plan.id, row, key)
        )
        _form_error(key)


def _level_name(value: int) -> str:
    return f"{value} · {TARGET_LEVELS.get(value, '')}"


def _form_error(key: str) -> None:
    if f"{key}_error" in st.session_state:
        st.error(plain(st.session_state.pop(f"{key}_error")), icon=":material/error:")


def _refused(key: str, outcome: Outcome[Any]) -> bool:
    """Keep a refused write's message for its form (and the page top); True when refused."""
    if outcome.ok:
        return False
    st.session_state[f"{key}_error"] = outcome.error
    flash.error(plain(outcome.error))
    return True


def _promote(plan_id: int, row: dict[str, Any], key: str) -> None:
    state = st.session_state
    fields = {name: state[f"{key}_{part}"] for name, part in (("title", "title"), ("target_date", "date"))}
    fields["rationale"] = state[f"{key}_rationale"]
    if row["source"] == "capability":
        fields |= {"capability_id": int(row["capability_id"]), "target_level": state[f"{key}_level"]}
    else:
        fields["element_key"] = row["element_key"]
    outcome = attempt(lambda s, a: priorities.promote(s, a, plan_id, **fields))
    if not _refused(key, outcome):
        flash.success(f"Promoted “{plain(fields['title'].strip() or row['name'])}” to a priority.")
        _reset_editors()


# --- Priority capabilities -------------------------------------------------------------------


def _builds(row: dict[str, Any], elements: dict[str, str]) -> str:
    names = ", ".join(elements.get(key, key) for key in row["element_keys"] or [])
    return row["capability"] if row["kind"] != "element" else names


def _target(row: dict[str, Any]) -> str:
    if pd.isna(row["target_level"]):
        return "—"
    return _level_name(int(row["target_level"]))


def priority_table(ranked: pd.DataFrame, elements: dict[str, str]) -> None:
    """The priorities as a static table, in rank order."""
    rows = ranked.to_dict("records")
    _table(
        pd.DataFrame(
            {
                "Rank": [row["rank"] for row in rows],
                "Priority": [row["title"] for row in rows],
                "Builds": [_builds(row, elements) for row in rows],
                "Kind": [KINDS.get(row["kind"], row["kind"]) for row in rows],
                "Target level": [_target(row) for row in rows],
                "Target date": [_day(row["target_date"]) for row in rows],
                "Objectives": [row["objectives"] for row in rows],
                "Rationale": [row["rationale"] for row in rows],
            }
        )
    )


def _priority_columns(plan: PlanView, count: int) -> dict[str, Any]:
    cc = st.column_config
    return {
        "rank": cc.NumberColumn("Rank", min_value=1, max_value=max(count, 1), step=1, required=True, width=70),
        "title": cc.TextColumn("Priority", required=True, max_chars=200, width=280),
        "builds": cc.TextColumn("Builds", disabled=True, width=220),
        "target_level": cc.SelectboxColumn(
            "Target level", options=list(TARGET_LEVELS), format_func=_level_name, width=130
        ),
        "target_date": cc.DateColumn(
            "Target date", min_value=plan.horizon_start, max_value=plan.horizon_end, format="DD/MM/YYYY", width=120
        ),
        "rationale": cc.TextColumn("Rationale", max_chars=5000, width=420),
    }


def priority_edit_panel(plan: PlanView, ranked: pd.DataFrame, elements: dict[str, str]) -> None:
    """The priorities' editor and the picker that removes one, in a panel drawn only while open."""
    with panels.lazy("Edit, reorder or remove priorities", PRIORITY_EDIT_OPEN, icon=":material/edit:") as open_:
        if open_:
            st.caption("Edit a cell to save it. Change a rank to move a priority; the others make room.")
            priority_editor(plan, ranked, elements)
            remove_picker(plan.id, ranked)


def priority_editor(plan: PlanView, ranked: pd.DataFrame, elements: dict[str, str]) -> None:
    """A fixed-row editor of the priorities; edits save by id and version, a new rank moves the others."""
    key = f"priorities_{plan.id}_{_generation()}"
    shown = ranked.assign(builds=[_builds(row, elements) for row in ranked.to_dict("records")])
    columns = _priority_columns(plan, len(ranked))
    record_editor(
        key,
        shown,
        column_order=list(columns),
        column_config=columns,
        disabled=["builds"],
        on_change=_save_priorities,
        args=(plan.id, key),
    )


def _save_priority(plan_id: int, row: pd.Series, changes: dict[str, Any]) -> Outcome[int]:
    rank = changes.pop("rank", None)
    version = int(row["version"])

    def _action(session: Any, access: Any) -> int:
        seen = priorities.update_priority(session, access, plan_id, int(row["id"]), version, **changes)
        if rank is None or rank == row["rank"]:
            return seen
        return priorities.set_rank(session, access, plan_id, int(row["id"]), seen, rank)

    return attempt(_action)


def _save_priorities(plan_id: int, key: str) -> None:
    """Callback: save each edited priority by id with the version shown."""
    for row, changes in edited_rows(key):
        outcome = _save_priority(plan_id, row, dict(changes))
        if outcome.ok:
            flash.success(f"Saved “{plain(changes.get('title') or row['title'])}”.")
        else:
            flash.error(f"“{plain(row['title'])}” was not saved. {plain(outcome.error)}")
    _reset_editors()


def remove_picker(plan_id: int, ranked: pd.DataFrame) -> None:
    """Choose a priority and remove it, after a confirmation that says what happens to its objectives."""
    rows = {int(row["id"]): row for row in ranked.to_dict("records")}
    picker, button = st.columns([4, 1], vertical_alignment="bottom")
    chosen = picker.selectbox(
        "Priority to remove",
        list(rows),
        index=None,
        format_func=lambda priority_id: f"{rows[priority_id]['rank']}. {rows[priority_id]['title']}",
        placeholder="Choose a priority the strategy no longer needs",
        key=f"priority_remove_{plan_id}",
    )
    if chosen is None:
        return
    row = rows[chosen]
    with button.popover("Remove…", icon=":material/delete:", width="stretch"):
        st.markdown(
            f"Remove “{plain(row['title'])}” from the priorities? Its {row['objectives']} objective(s) and any means "
            "stay, no longer linked to it, and the priorities below it move up."
        )
        st.button("Remove priority", type="primary", on_click=_remove_priority, args=(plan_id, row))


def _remove_priority(plan_id: int, row: dict[str, Any]) -> None:
    write(
        lambda s, a: priorities.remove_priority(s, a, plan_id, int(row["id"]), int(row["version"])),
        f"Removed “{plain(row['title'])}” from the priorities.",
    )
    _reset_editors()


# --- Objectives: reading ---------------------------------------------------------------------


def _serves(row: dict[str, Any], options: Options) -> str:
    parts = [row["priority"] or row["capability"]]
    parts += [options.elements.get(key, key) for key in row["element_keys"] or []]
    return " · ".join(part for part in parts if part) or "—"


def _agreed(row: dict[str, Any]) -> str:
    if not row["agreed_by"]:
        return "Not yet"
    return f"{row['agreed_by']}, {_day(row['agreed_on'])}" if row["agreed_on"] else row["agreed_by"]


def _flags(issues: list[str]) -> str:
    return "; ".join(issues) if issues else "✓ Specific and stretching"


def _objective_rows(frame: pd.DataFrame, options: Options) -> pd.DataFrame:
    rows = frame.to_dict("records")
    return pd.DataFrame(
        {
            "Objective": [row["title"] for row in rows],
            "Metric": [row["metric"] or "—" for row in rows],
            "Baseline → target": [f"{row['baseline'] or '—'} → {row['target'] or '—'}" for row in rows],
            "Due": [_day(row["due"]) for row in rows],
            "Owner": [row["owner"] or "—" for row in rows],
            "Serves": [_serves(row, options) for row in rows],
            "Agreed": [_agreed(row) for row in rows],
            "Flags": [_flags(row["issues"]) for row in rows],
        }
    )


def _flag_cell(value: str) -> str:
    flagged = value.startswith((NOT_SPECIFIC, NOT_STRETCHING))
    return f":red[**{plain(value)}**]" if flagged else f":green[{plain(value)}]"


def objective_table(frame: pd.DataFrame, options: Options) -> None:
    """Objectives as a static table, flags in red."""
    rows = _objective_rows(frame, options)
    static_table(rows.assign(Flags=rows["Flags"].map(_flag_cell)), markdown=["Flags"])


def issue_summary(frame: pd.DataFrame, noun: str = "Objectives") -> None:
    """How many objectives there are, how many are flagged, and how many are agreed."""
    counts = priorities.issue_counts(frame)
    figures.row(
        [
            Figure(noun, len(frame)),
            Figure(NOT_SPECIFIC, counts[NOT_SPECIFIC], help="Missing a metric, baseline, target or due date."),
            Figure(NOT_STRETCHING, counts[NOT_STRETCHING], help="The target is the same as the baseline."),
            Figure("Agreed", f"{counts['Agreed']} of {len(frame)}"),
        ]
    )
    flagged = int(frame["issues"].map(bool).sum()) if not frame.empty else 0
    if flagged:
        st.warning(
            f"{flagged} of {len(frame)} need work before they are specific and stretching: see the flags in red.",
            icon=":material/flag:",
        )


def objectives_by_level(frame: pd.DataFrame, options: Options) -> None:
    """One table per level, Board first, each titled with its level and count."""
    for level, name in LEVELS.items():
        rows = frame[frame["level"] == level]
        if not rows.empty:
            st.markdown(f"**{name}** · {len(rows)} objective(s)")
            objective_table(rows, options)


# --- Objectives: editing ---------------------------------------------------------------------


def _objective_columns(plan: PlanView) -> dict[str, Any]:
    cc = st.column_config
    return {
        "title": cc.TextColumn("Objective", required=True, max_chars=200, width=260),
        "level": cc.SelectboxColumn("Level", options=list(LEVELS), format_func=LEVELS.get, required=True, width=150),
        "metric": cc.TextColumn("Metric", max_chars=300, width=240),
        "baseline": cc.TextColumn("Baseline", max_chars=200, width=170),
        "target": cc.TextColumn("Target", max_chars=200, width=170),
        "due": cc.DateColumn(
            "Due", min_value=plan.horizon_start, max_value=plan.horizon_end, format="DD/MM/YYYY", width=110
        ),
        "owner": cc.TextColumn("Owner", max_chars=120, width=160),
        "status": cc.SelectboxColumn(
            "Status", options=list(STATUSES), format_func=STATUSES.get, required=True, width=110
        ),
        "flags": cc.TextColumn("Flags", disabled=True, width=260),
    }


def objective_edit_panel(plan: PlanView, frame: pd.DataFrame, section: str) -> None:
    """The objective editor of `section` ("objectives" or "diversity") in a panel drawn only while open."""
    with panels.lazy(TABLE_EDIT_LABELS[section], TABLE_EDIT_OPEN[section], icon=":material/edit:") as open_:
        if open_:
            objective_editor(plan, frame, section)


def objective_editor(plan: PlanView, frame: pd.DataFrame, section: str) -> None:
    """A fixed-row editor of the objectives' text, level, due date and status, saved by id and version."""
    key = f"{section}_editor_{plan.id}_{_generation()}"
    shown = frame.assign(flags=[_flags(issues) for issues in frame["issues"]])
    columns = _objective_columns(plan)
    record_editor(
        key,
        shown,
        column_order=list(columns),
        column_config=columns,
        disabled=["flags"],
        on_change=_save_objectives,
        args=(plan.id, key),
    )


def _save_objectives(plan_id: int, key: str) -> None:
    """Callback: save each edited objective through update_objective, mapping positions to ids."""
    for row, changes in edited_rows(key):
        values = {name: "" if value is None and name != "due" else value for name, value in changes.items()}
        outcome = attempt(
            lambda s, a, row=row, values=values: priorities.update_objective(
                s, a, plan_id, int(row["id"]), int(row["version"]), **values
            )
        )
        if outcome.ok:
            flash.success(f"Saved “{plain(values.get('title') or row['title'])}”.")
        else:
            flash.error(f"“{plain(row['title'])}” was not saved. {plain(outcome.error)}")
    _reset_editors()


def objective_actions(plan: PlanView, frame: pd.DataFrame, options: Options, section: str) -> None:
    """Choose one objective, then agree (or withdraw agreement), change what it serves, or delete it."""
    rows = {int(row["id"]): row for row in frame.to_dict("records")}
    chosen = st.selectbox(
        "Objective to agree, link or delete",
        list(rows),
        index=None,
        format_func=lambda objective_id: rows[objective_id]["title"],
        placeholder="Choose an objective",
        key=f"{section}_chosen_{plan.id}",
    )
    if chosen is None:
        return
    row = rows[chosen]
    st.caption(f"Agreed by {plain(_agreed(row))}." if row["agreed_by"] else "Not agreed yet.")
    agree, link, remove = st.columns(3)
    with agree:
        _agreement(plan.id, row, section)
    with link:
        _links_popover(plan.id, row, options, section)
    with remove.popover("Delete…", icon=":material/delete:", width="stretch"):
        st.markdown(f"Delete “{plain(row['title'])}”? This cannot be undone.")
        st.button("Delete objective", type="primary", key=f"{section}_delete_{chosen}",
                  on_click=_delete_objective, args=(plan.id, row))  # fmt: skip


def _agreement(plan_id: int, row: dict[str, Any], section: str) -> None:
    key = f"{section}_agree_{row['id']}_{row['version']}"
    if row["agreed_by"]:
        st.button(
            "Withdraw agreement",
            icon=":material/undo:",
            key=f"{key}_withdraw",
            width="stretch",
            on_click=_withdraw,
            args=(plan_id, row),
        )
        return
    st.session_state.setdefault(f"{key}_on", date.today())
    with st.popover("Mark agreed…", icon=":material/handshake:", width="stretch"), st.form(key, border=False):
        st.text_input("Agreed by", max_chars=200, key=f"{key}_by", placeholder="e.g. Board, 25 June meeting")
        st.date_input("Agreed on", key=f"{key}_on", max_value=date.today(), format="DD/MM/YYYY")
        st.form_submit_button(
            "Mark agreed", type="primary", key=f"{key}_submit", on_click=_agree, args=(plan_id, row, key)
        )
        _form_error(key)


def _agree(plan_id: int, row: dict[str, Any], key: str) -> None:
    by, on = st.session_state[f"{key}_by"], st.session_state[f"{key}_on"]
    outcome = attempt(lambda s, a: priorities.agree(s, a, plan_id, int(row["id"]), int(row["version"]), by, on))
    if not _refused(key, outcome):
        flash.success(f"Marked “{plain(row['title'])}” as agreed by {plain(by)}.")
        _reset_editors()


def _withdraw(plan_id: int, row: dict[str, Any]) -> None:
    write(
        lambda s, a: priorities.withdraw_agreement(s, a, plan_id, int(row["id"]), int(row["version"])),
        f"“{plain(row['title'])}” is no longer marked as agreed.",
    )
    _reset_editors()


def _delete_objective(plan_id: int, row: dict[str, Any]) -> None:
    write(
        lambda s, a: priorities.remove_objective(s, a, plan_id, int(row["id"]), int(row["version"])),
        f"Deleted “{plain(row['title'])}”.",
    )
    _reset_editors()


def _id_or_none(value: Any) -> int:
    return NO_LINK if value is None or pd.isna(value) else int(value)


def _links_popover(plan_id: int, row: dict[str, Any], options: Options, section: str) -> None:
    key = f"{section}_links_{row['id']}_{row['version']}"
    current = {"priority_id": row["priority_id"], "capability_id": row["capability_id"], "tier_id": row["tier_id"]}
    for name, value in current.items():
        st.session_state.setdefault(f"{key}_{name}", _id_or_none(value))
    st.session_state.setdefault(f"{key}_element_keys", list(row["element_keys"] or []))
    with st.popover("What it serves…", icon=":material/link:", width="stretch"), st.form(key, border=False):
        _link_fields(key, options, with_tier=section == "diversity")
        st.form_submit_button(
            "Save links", type="primary", key=f"{key}_submit", on_click=_save_links, args=(plan_id, row, key)
        )
        _form_error(key)


def _link_fields(prefix: str, options: Options, with_tier: bool) -> None:
    _choose("Priority it serves", options.priorities, f"{prefix}_priority_id")
    _choose("Capability it builds", options.capabilities, f"{prefix}_capability_id")
    if with_tier:
        _choose("Leadership tier (diversity target)", options.tiers, f"{prefix}_tier_id")
    st.multiselect(
        "Cultural elements it serves",
        list(options.elements),
        format_func=options.elements.get,
        key=f"{prefix}_element_keys",
        placeholder="Choose elements",
    )


def _link_values(prefix: str, with_tier: bool) -> dict[str, Any]:
    names = ["priority_id", "capability_id", *(["tier_id"] if with_tier else [])]
    values: dict[str, Any] = {name: st.session_state[f"{prefix}_{name}"] or None for name in names}
    return values | {"element_keys": list(st.session_state[f"{prefix}_element_keys"])}


def _save_links(plan_id: int, row: dict[str, Any], key: str) -> None:
    values = _link_values(key, with_tier=f"{key}_tier_id" in st.session_state)
    outcome = attempt(
        lambda s, a: priorities.update_objective(s, a, plan_id, int(row["id"]), int(row["version"]), **values)
    )
    if not _refused(key, outcome):
        flash.success(f"Saved what “{plain(row['title'])}” serves.")
        _reset_editors()


# --- Objectives: adding ----------------------------------------------------------------------

NEW_OBJECTIVE = {
    "title": "",
    "level": "organisation",
    "owner": "",
    "metric": "",
    "baseline": "",
    "target": "",
    "due": None,
    "status": "not_started",
}


def _objective_fields(plan: PlanView, prefix: str) -> None:
    st.text_input("Objective", max_chars=200, key=f"{prefix}_title", placeholder="What will be achieved")
    left, middle, right = st.columns(3)
    left.selectbox("Level", list(LEVELS), format_func=LEVELS.get, key=f"{prefix}_level")
    middle.text_input("Owner", max_chars=120, key=f"{prefix}_owner", placeholder="A named role")
    right.selectbox("Status", list(STATUSES), format_func=STATUSES.get, key=f"{prefix}_status")
    st.text_input("Metric", max_chars=300, key=f"{prefix}_metric", placeholder="How progress is measured")
    left, middle, right = st.columns(3)
    left.text_input("Baseline", max_chars=200, key=f"{prefix}_baseline", placeholder="Where it stands now")
    middle.text_input("Target", max_chars=200, key=f"{prefix}_target", placeholder="Where it must get to")
    right.date_input(
        "Due date",
        key=f"{prefix}_due",
        min_value=plan.horizon_start,
        max_value=plan.horizon_end,
        format="DD/MM/YYYY",
    )


def add_objective_form(plan: PlanView, options: Options, expanded: bool) -> None:
    """An expander with a form that adds one objective; what was typed survives a refused submit."""
    prefix = "objective_new"
    for name, value in (NEW_OBJECTIVE | {"priority_id": NO_LINK, "capability_id": NO_LINK}).items():
        st.session_state.setdefault(f"{prefix}_{name}", value)
    st.session_state.setdefault(f"{prefix}_element_keys", [])
    with panels.lazy("Add an objective", OBJECTIVE_ADD_OPEN, expanded=expanded, icon=":material/add:") as open_:
        if open_:
            _add_objective_form(plan, options, prefix)


def _add_objective_form(plan: PlanView, options: Options, prefix: str) -> None:
    with st.form(prefix):
        _objective_fields(plan, prefix)
        _link_fields(prefix, options, with_tier=False)
        st.caption("Left empty, the capability and elements follow the priority the objective serves.")
        st.form_submit_button(
            "Add objective", type="primary", key=f"{prefix}_submit", on_click=_add_objective, args=(plan.id, prefix)
        )
        _form_error(prefix)


def _add_objective(plan_id: int, prefix: str, extra: dict[str, Any] | None = None) -> None:
    values = {name: st.session_state[f"{prefix}_{name}"] for name in NEW_OBJECTIVE}
    # Links left empty are left out, so that an objective serving a priority inherits its capability and elements.
    values |= {name: value for name, value in _link_values(prefix, with_tier=False).items() if value}
    values |= extra or {}
    outcome = attempt(lambda s, a: priorities.add_objective(s, a, plan_id, **values))
    if _refused(prefix, outcome):
        return
    flash.success(f"Added “{plain(values['title'])}”.")
    for name in [*NEW_OBJECTIVE, "priority_id", "capability_id", "element_keys"]:
        st.session_state.pop(f"{prefix}_{name}", None)
    _reset_editors()


# --- Diversity targets -----------------------------------------------------------------------


def representation_table(wres: pd.DataFrame) -> None:
    """BME share per tier against the whole workforce, as the draft targets use them."""
    rows = wres.to_dict("records")
    _table(
        pd.DataFrame(
            {
                "Tier": [row["tier"] for row in rows],
                "BME share": [_share(row["share"]) for row in rows],
                "Ethnicity known": [f"{row['known']:,}" for row in rows],
                "Whole workforce": [_share(row["workforce_share"]) for row in rows],
                "Difference (pp)": [_points(row["difference_pp"]) for row in rows],
            }
        )
    )


def _share(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.1%}"


def _points(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:+.1f}"


def tier_picker(plan: PlanView, tiers: dict[str, str]) -> str | None:
    """The tier to draft a diversity target for."""
    return st.selectbox("Tier", list(tiers), format_func=tiers.get, key=f"diversity_tier_{plan.id}")


def diversity_form(plan: PlanView, draft: ObjectiveDraft, options: Options) -> None:
    """An add form prefilled from the tier's workforce figures, ready to adjust and add."""
    prefix = f"diversity_new_{draft.tier_key}"
    prefill = {"title": draft.title, "level": draft.level, "owner": "", "metric": draft.metric}
    prefill |= {"baseline": draft.baseline, "target": draft.target, "due": draft.due, "status": "not_started"}
    prefill |= {"priority_id": NO_LINK, "capability_id": NO_LINK, "element_keys": list(draft.element_keys)}
    for name, value in prefill.items():
        st.session_state.setdefault(f"{prefix}_{name}", value)
    st.caption(plain(draft.note))
    with st.form(prefix):
        _objective_fields(plan, prefix)
        _link_fields(prefix, options, with_tier=False)
        st.form_submit_button(
            "Add diversity target",
            type="primary",
            key=f"{prefix}_submit",
            on_click=_add_objective,
            args=(plan.id, prefix, {"tier_id": draft.tier_id}),
        )
        _form_error(prefix)
