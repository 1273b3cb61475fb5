"""Widgets of the initiatives page: filters, the portfolio, add and edit forms, roadmap, check-ins and milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from planner import charts, context, initiatives, means
from planner.db import read_session
from planner.initiatives import KIND_HINTS, KINDS, OD_FOCUSES, RAGS, STATUS_LABELS
from planner.plans import PlanView
from planner.ui import chart_display, figures, flash, frame, panels
from planner.ui.actions import Outcome, attempt, forget
from planner.ui.editors import edited_rows, record_editor
from planner.ui.figures import Figure
from planner.ui.tables import static_table
from planner.ui.text import plain

NEW_PREFIX = "initiative_new_"
ADD_ERROR = "initiative_add_error"
EDIT_ERROR = "initiative_edit_error"
EDIT_PICK = "initiative_edit_pick"
ADD_OPEN, EDIT_OPEN = "initiative_add_open", "initiative_edit_open"  # the two expanders' open state
# About ten rows, as Streamlit's own grids: the grid draws every cell in view on each load, and 17 rows cost
# the large plan's page 8% of its time to content in Chromium. Its toolbar opens it full screen.
PORTFOLIO_HEIGHT = 400
ATTENTION_OPEN = "initiative_attention_open"
CHECK_IN_PICK = "initiative_check_in_pick"
CHECK_IN_ERROR = "initiative_check_in_error"
MILESTONE_PICK = "initiative_milestone_pick"
MILESTONE_ERROR = "initiative_milestone_error"
GENERATION = "initiative_editor_generation"
LINK_LABELS = {
    "priority_ids": ("priority", "Priorities it serves"),
    "means_ids": ("means", "Means it delivers"),
    "objective_ids": ("objective", "Objectives it serves"),
    "capability_ids": ("capability", "Capabilities it builds"),
}
NEW = {
    "title": "",
    "kind": "leadership_development",
    "od_focus": None,
    "owner": "",
    "sponsor": "",
    "start": None,
    "end": None,
    "budget": 0,
    "participants": 0,
    "audience": "",
    "tier_keys": [],
    "element_keys": [],
    "description": "",
    **{name: [] for name in LINK_LABELS},
}
RAG_BADGES = {"Green": ":green-badge[Green]", "Amber": ":orange-badge[Amber]", "Red": ":red-badge[Red]"}
# Read-only multiselect columns draw coloured labels in the grid itself; a pandas Styler of the same
# colours cost a third of the page's rerun on a 300-initiative plan.
STATUS_COLOURS = {"Not started": "#425563", "On track": "#00622A", "At risk": "#B86200", "Off track": "#9E1B12",
                  "Done": "#004A93"}  # fmt: skip


@dataclass(frozen=True)
class Options:
    """What the forms offer: the plan's tiers and elements, what initiatives can link to, and the library."""

    tiers: dict[str, str]
    elements: dict[str, str]
    links: dict[str, dict[int, str]]
    library: pd.DataFrame


def _library() -> pd.DataFrame:
    with read_session(frame.context().engine) as session:
        return means.library(session)


def options() -> Options:
    """The choices the page's filters and forms need, kept while the plan is unchanged."""
    read = frame.read_plan
    # The library is seeded reference data, never written while the app runs.
    library = frame.remembered("intervention_library", _library)
    return Options(read(initiatives.tiers), read(context.elements), read(initiatives.link_options), library)


def _money(value: float) -> str:
    return f"£{value:,.0f}"


def _money_short(value: float) -> str:
    """£813k, £15.3m: a metric in a fifth of the page shows about seven characters before it cuts a figure off."""
    for size, suffix in ((1_000_000, "m"), (1_000, "k")):
        if abs(value) >= size * 0.99995:  # 999,990 is £1m, not £1000k
            return f"£{value / size:.1f}".removesuffix(".0") + suffix
    return _money(value)


def _day(value: Any) -> str:
    return "" if value is None or (not isinstance(value, date) and pd.isna(value)) else f"{value:%d %b %Y}"


def _reset_editor() -> None:
    # A keyed fixed-row editor keeps its edits across data changes, so start a fresh one after every save.
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


# --- Filters and the portfolio -----------------------------------------------------------------


def filters(portfolio: pd.DataFrame, opts: Options) -> pd.DataFrame:
    """Owner, type, tier and status filters (empty: all) in a Filter popover (panels.filter_row); the rows shown."""
    owners = sorted({owner for owner in portfolio["owner"] if owner})
    row, popover = panels.filter_row()
    with popover:
        chosen = {
            "owners": st.multiselect("Owners", owners, key="initiative_filter_owner", placeholder="Any owner"),
            "kinds": st.multiselect(
                "Types", list(KINDS), format_func=KINDS.get, key="initiative_filter_kind", placeholder="Any type"
            ),
            "tiers": st.multiselect(
                "Tiers",
                list(opts.tiers),
                format_func=opts.tiers.get,
                key="initiative_filter_tier",
                placeholder="Any tier",
            ),
            "statuses": st.multiselect(
                "Statuses",
                list(STATUS_LABELS),
                format_func=STATUS_LABELS.get,
                key="initiative_filter_status",
                placeholder="Any status",
            ),
        }
    shown = initiatives.filtered(portfolio, **chosen)
    names = {"owners": "owner", "kinds": "type", "tiers": "tier", "statuses": "status"}
    used = [name for field, name in names.items() if chosen[field]]
    row.caption(panels.showing(len(shown), len(portfolio), "initiatives", used))
    return shown


def summary(shown: pd.DataFrame) -> None:
    """Headline figures of the initiatives shown."""
    counts = shown["status_label"].value_counts()
    shown_figures = {
        "Initiatives": f"{len(shown)}",
        "On track": f"{counts.get('On track', 0)}",
        "At risk or off track": f"{counts.get('At risk', 0) + counts.get('Off track', 0)}",
        "Done": f"{counts.get('Done', 0)}",
        "Budget": _money_short(budget := shown["budget"].sum()),
    }
    helps = {"Budget": f"{_money(budget)} in all, across the initiatives shown"}
    figures.row([Figure(label, value, help=helps.get(label)) for label, value in shown_figures.items()], border=True)


def _attention(row: pd.Series) -> str:
    reasons = []
    if row["overdue_milestones"]:
        reasons.append(f"{row['overdue_milestones']} overdue milestone{'s' if row['overdue_milestones'] > 1 else ''}")
    if row["stale"]:
        last = _day(row["last_check_in"])
        reasons.append(f"no check-in since {last}" if last else "no check-in since it started")
    return " · ".join(reasons)


def _attention_column(shown: pd.DataFrame) -> pd.Series:
    """`_attention` of every row, working only on the few rows that need attention."""
    reasons = pd.Series("", index=shown.index, dtype=object)
    flagged = shown[(shown["overdue_milestones"] > 0) | shown["stale"]]
    reasons[flagged.index] = [_attention(row) for _, row in flagged.iterrows()]
    return reasons


def _flagged(shown: pd.DataFrame) -> pd.DataFrame:
    flagged = shown.assign(why=_attention_column(shown))
    return flagged[flagged["why"] != ""]


def attention(shown: pd.DataFrame) -> None:
    """Initiatives with overdue milestones or no recent check-in, most urgent first, as a table a reader cannot miss.

    A long list shows its ATTENTION_SHOWN most urgent; the rest are drawn only while their expander is open.
    """
    ids = tuple(shown["id"])  # with the plan's revision, what the tables below are derived from
    flagged = frame.remembered(("initiatives_flagged", ids), lambda: _flagged(shown))
    if flagged.empty:
        st.success(
            "No overdue milestones, and every initiative under way has a recent check-in.", icon=":material/check:"
        )
        return
    st.markdown(f":red-badge[:material/warning: Needs attention] {len(flagged)} initiatives")
    urgent = frame.remembered(("initiatives_urgent", ids), lambda: _attention_table(initiatives.most_urgent(flagged)))
    static_table(urgent)
    st.caption(_attention_note(len(urgent), len(flagged)))
    if len(urgent) < len(flagged):
        with panels.lazy("Every initiative needing attention", ATTENTION_OPEN) as open_:
            if open_:
                everyone = initiatives.most_urgent(flagged, limit=len(flagged))
                static_table(_attention_table(everyone))


def _attention_note(shown: int, flagged: int) -> str:
    days = initiatives.STALE_DAYS
    stale = f"No recent check-in: under way and more than {days} days since its start or last check-in."
    if shown == flagged:
        return stale
    order = "most overdue milestones first, then off track, at risk, and the longest without a check-in"
    return f"The {shown} most urgent of {flagged}: {order}. {stale}"


def _attention_table(rows: pd.DataFrame) -> pd.DataFrame:
    table = rows[["title", "owner", "status_label", "why"]]
    return table.set_axis(["Initiative", "Owner", "Status", "Why"], axis=1)


def _table(shown: pd.DataFrame, opts: Options) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Initiative": shown["title"],
            "Status": shown["status_label"].map(lambda label: [label]),
            "% complete": shown["percent_complete"],
            "Needs attention": _attention_column(shown).map(lambda why: why.split(" · ") if why else []),
            "Last check-in": shown["last_check_in"].map(_day),
            "Start": shown["start"].map(_day),
            "End": shown["end"].map(_day),
            "Owner": shown["owner"],
            "Type": shown["kind"].map(KINDS),
            "Budget (£)": shown["budget"],
            "Participants": shown["participants"],
            "Tiers": shown["tier_keys"].map(lambda keys: ", ".join(opts.tiers.get(k, k) for k in keys)),
            "Links": shown["links"],
        }
    )


def portfolio_table(shown: pd.DataFrame, opts: Options) -> None:
    """The portfolio with its status coloured and anything needing attention in red."""
    table, cc = frame.remembered(("portfolio_table", tuple(shown["id"])), lambda: _table(shown, opts)), st.column_config
    config = {
        "% complete": cc.ProgressColumn("% complete", min_value=0, max_value=100, format="%d%%", width=110),
        "Budget (£)": cc.NumberColumn("Budget (£)", format="localized"),
        "Initiative": cc.TextColumn("Initiative", width=280),
        "Status": cc.MultiselectColumn(
            "Status", options=list(STATUS_COLOURS), color=list(STATUS_COLOURS.values()), width=100
        ),
        "Needs attention": cc.MultiselectColumn(
            "Needs attention",
            options=sorted({why for whys in table["Needs attention"] for why in whys}),
            color="#9E1B12",
            width=220,
        ),
        "Links": cc.NumberColumn("Links", help="Priorities, means, objectives and capabilities it is linked to"),
    }
    st.dataframe(table, hide_index=True, column_config=config, height=min(36 * (len(shown) + 1) + 3, PORTFOLIO_HEIGHT))


# --- The add and edit forms ----------------------------------------------------------------------


def _fields(prefix: str, opts: Options) -> None:
    """Every initiative field and link, keyed under `prefix` (values are read from session state)."""
    st.text_input("Title", max_chars=200, key=f"{prefix}title", placeholder="e.g. Team coaching for ward leaders")
    kind, focus = st.columns(2)
    hints = "\n".join(f"- {hint}" for hint in KIND_HINTS.values())
    kind.selectbox("Type", list(KINDS), format_func=KINDS.get, key=f"{prefix}kind", help=hints)
    focus.selectbox(
        "OD focus", list(OD_FOCUSES), format_func=OD_FOCUSES.get, key=f"{prefix}od_focus", placeholder="None"
    )
    owner, sponsor, start, end = st.columns(4)
    owner.text_input("Owner", max_chars=200, key=f"{prefix}owner")
    sponsor.text_input("Sponsor", max_chars=200, key=f"{prefix}sponsor")
    start.date_input("Start", key=f"{prefix}start", format="DD/MM/YYYY")
    end.date_input("End", key=f"{prefix}end", format="DD/MM/YYYY")
    budget, participants, audience = st.columns([1, 1, 2])
    budget.number_input("Budget (£)", step=1000, key=f"{prefix}budget")
    participants.number_input("Participants", step=1, key=f"{prefix}participants")
    audience.text_input("Audience", max_chars=500, key=f"{prefix}audience", placeholder="e.g. Band 7 ward leaders")
    tiers, elements = st.columns(2)
    tiers.multiselect("Audience tiers", list(opts.tiers), format_func=opts.tiers.get, key=f"{prefix}tier_keys")
    elements.multiselect("Cultural elements", list(opts.elements), format_func=opts.elements.get,
                         key=f"{prefix}element_keys")  # fmt: skip
    st.text_area("Description", max_chars=5000, key=f"{prefix}description", height=80)
    _link_fields(prefix, opts)


def _link_fields(prefix: str, opts: Options) -> None:
    left, right = st.columns(2)
    for column, (name, (kind, label)) in zip([left, right, left, right], LINK_LABELS.items(), strict=True):
        found = opts.links[kind]
        column.multiselect(label, list(found), format_func=found.get, key=f"{prefix}{name}", placeholder="None yet")


def _values(prefix: str) -> dict[str, Any]:
    values = {name: st.session_state[prefix + name] for name in NEW}
    return values | {"od_focus": values["od_focus"] or ""}


def add_panel(plan_id: int, opts: Options, expanded: bool) -> None:
    """An expander with one form for a new initiative, which a library intervention can prefill."""
    for name, value in (NEW | {"intervention_key": ""}).items():
        st.session_state.setdefault(NEW_PREFIX + name, value)
    # Drawn only while open: closed, the form's two dozen fields still cost a fifth of the page's rerun.
    with panels.lazy("Add an initiative", ADD_OPEN, expanded=expanded, icon=":material/add:") as open_:
        if not open_:
            return
        _library_picker(opts)
        with st.form("initiative_add"):
            _fields(NEW_PREFIX, opts)
            st.form_submit_button("Add initiative", type="primary", on_click=_add, args=(plan_id,))
            if ADD_ERROR in st.session_state:
                st.error(plain(st.session_state.pop(ADD_ERROR)), icon=":material/error:")


def _library_picker(opts: Options) -> None:
    items = {row["key"]: row for row in opts.library.to_dict("records")}
    key = st.selectbox(
        "Start from the intervention library",
        list(items),
        index=None,
        format_func=lambda k: f"{items[k]['name']} · {KINDS.get(items[k]['kind'], '')}",
        placeholder="Choose an intervention to prefill the form, or write your own below",
        key=f"{NEW_PREFIX}library",
        on_change=_prefill,
        args=(items, list(opts.elements)),
    )
    if key:
        item = items[key]
        cost, months = _money(item["typical_cost_gbp"]), item["typical_duration_months"]
        st.caption(f"{item['description']} Typically {cost} over {months} months, for {item['audience']}.")


def _prefill(items: dict[str, dict[str, Any]], elements: list[str]) -> None:
    state = st.session_state
    key = state[f"{NEW_PREFIX}library"]
    if key is None:
        state[f"{NEW_PREFIX}intervention_key"] = ""
        return
    values = initiatives.prefill(items[key], elements, state[f"{NEW_PREFIX}start"])
    for name, value in values.items():
        if name != "start" and (name != "end" or value is not None):
            state[NEW_PREFIX + name] = (value or None) if name == "od_focus" else value


def _add(plan_id: int) -> None:
    state = st.session_state
    values = _values(NEW_PREFIX) | {"intervention_key": state[f"{NEW_PREFIX}intervention_key"]}
    outcome = attempt(lambda s, a: initiatives.add_initiative(s, a, plan_id, **values))
    if not outcome.ok:
        state[ADD_ERROR] = outcome.error
        return
    flash.success(f"Added “{plain(values['title'])}”.")
    for name, value in (NEW | {"intervention_key": "", "library": None}).items():
        state[NEW_PREFIX + name] = value
    state[CHECK_IN_PICK] = state[MILESTONE_PICK] = outcome.value


def _current(row: pd.Series, links: pd.DataFrame) -> dict[str, Any]:
    """The edit form's starting values for one portfolio row."""
    mine = links[links["initiative_id"] == row["id"]]
    found = {
        name: [int(t) for t in mine.loc[mine["kind"] == kind, "target_id"]] for name, (kind, _) in LINK_LABELS.items()
    }
    values = {name: row[name] for name in NEW if name not in LINK_LABELS}
    return values | {"od_focus": row["od_focus"] or None, "tier_keys": list(row["tier_keys"]),
                     "element_keys": list(row["element_keys"]), "budget": int(row["budget"]),
                     "participants": int(row["participants"])} | found  # fmt: skip


def edit_panel(plan_id: int, portfolio: pd.DataFrame, opts: Options) -> None:
    """Choose an initiative, then edit every field and link in a form, or delete it after confirming."""
    titles = _titles(portfolio)
    with panels.lazy("Edit or delete an initiative", EDIT_OPEN, icon=":material/edit:") as open_:
        if not open_:
            return
        chosen = st.selectbox("Initiative to edit", list(titles), index=None, format_func=titles.get,
                              placeholder="Choose an initiative", key=EDIT_PICK,
                              on_change=forget, args=("initiative_form_",))  # fmt: skip
        if chosen is None:
            return
        row, prefix = portfolio.set_index("id", drop=False).loc[chosen], f"initiative_form_{chosen}_"
        # The form keeps the values and version it opened with while other people's changes arrive, so
        # nothing typed is lost; a save over a newer version opens the conflict dialog instead.
        if prefix + "seen" not in st.session_state:
            _open_form(prefix, int(row["version"]), _current(row, frame.read_plan(initiatives.links)))
        st.caption("Status and % complete come from check-ins: record one in the Check-ins tab to change them.")
        with st.form(f"{prefix}form"):
            _fields(prefix, opts)
            st.form_submit_button("Save changes", type="primary", on_click=_save, args=(plan_id, row, prefix))
            if EDIT_ERROR in st.session_state:
                st.error(plain(st.session_state.pop(EDIT_ERROR)), icon=":material/error:")
        _delete_control(plan_id, row)


def _differs(old: Any, new: Any) -> bool:
    return set(old) != set(new) if isinstance(old, list) else old != new


def _open_form(prefix: str, version: int, current: dict[str, Any]) -> None:
    for name, value in current.items():
        st.session_state[prefix + name] = value
    st.session_state[prefix + "base"], st.session_state[prefix + "seen"] = current, version


def _save(plan_id: int, row: pd.Series, prefix: str) -> None:
    values = _values(prefix) | {"od_focus": st.session_state[prefix + "od_focus"]}
    base = st.session_state[prefix + "base"]
    changes = {name: value for name, value in values.items() if _differs(base[name], value)}
    if "od_focus" in changes:
        changes["od_focus"] = changes["od_focus"] or ""
    if not changes:
        flash.success("Nothing to save: no field was changed.")
        return
    iid, version = int(row["id"]), st.session_state[prefix + "seen"]
    outcome = attempt(lambda s, a: initiatives.update_initiative(s, a, plan_id, iid, version, **changes), form=prefix)
    if not outcome.ok:
        st.session_state[EDIT_ERROR] = outcome.error
        return
    forget(prefix)  # the form reopens on the saved version
    flash.success(f"Saved “{plain(values['title'].strip() or row['title'])}”.")


def _delete_control(plan_id: int, row: pd.Series) -> None:
    with st.popover("Delete…", icon=":material/delete:"):
        st.markdown(f"Delete “{plain(row['title'])}” with its milestones, check-ins and links? This cannot be undone.")
        st.button("Delete initiative", type="primary", key="initiative_delete_go", on_click=_delete,
                  args=(plan_id, int(row["id"]), int(row["version"]), row["title"]))  # fmt: skip


def _delete(plan_id: int, initiative_id: int, version: int, title: str) -> None:
    outcome = attempt(lambda s, a: initiatives.delete_initiative(s, a, plan_id, initiative_id, version))
    if outcome.ok:
        flash.success(f"Deleted “{plain(title)}”.")
        st.session_state[EDIT_PICK] = None
    else:
        flash.error(plain(outcome.error))


# --- Roadmap -------------------------------------------------------------------------------------


def roadmap(plan: PlanView, shown: pd.DataFrame) -> None:
    """The Gantt of the shown initiatives over the plan's horizon, and a note of those without dates."""
    chart_display.show(charts.roadmap, shown, plan.horizon_start, plan.horizon_end, date.today(), KINDS)
    undated = int((shown["start"].isna() | shown["end"].isna()).sum())
    if undated:
        st.caption(f"{undated} initiatives without a start and end date are not on the roadmap: give them dates.")


# --- Check-ins -----------------------------------------------------------------------------------


def _titles(portfolio: pd.DataFrame) -> dict[int, str]:
    return dict(zip(portfolio["id"].astype(int).tolist(), portfolio["title"].tolist(), strict=True))


def _picker(label: str, portfolio: pd.DataFrame, key: str) -> int:
    rows = _titles(portfolio)
    if st.session_state.get(key) not in rows:
        st.session_state[key] = next(iter(rows))
    return st.selectbox(label, list(rows), format_func=rows.get, key=key)


def check_in_section(plan_id: int, portfolio: pd.DataFrame, editable: bool) -> None:
    """Choose an initiative: its status, trend and check-in history, and (for editors) a form to record one."""
    chosen = _picker("Initiative", portfolio, CHECK_IN_PICK)
    row = portfolio.set_index("id").loc[chosen]
    history = frame.read_plan(initiatives.check_ins, chosen)
    _status_line(row)
    if editable:
        _check_in_form(plan_id, chosen, row)
    chart_display.show(charts.check_in_trend, history)
    if history.empty:
        st.caption("No check-ins yet: this initiative shows as Not started until its first one.")
    else:
        _history_table(history)


def _status_line(row: pd.Series) -> None:
    last = _day(row["last_check_in"])
    facts = [f"{row['percent_complete']}% complete", f"last check-in {last}" if last else "no check-in yet"]
    st.markdown(f"**Status: {row['status_label']}** · " + " · ".join(facts))
    reason = _attention(row)
    if reason:
        st.markdown(f":red-badge[:material/warning: Needs attention] {reason}")


def _history_table(history: pd.DataFrame) -> None:
    table = pd.DataFrame(
        {
            "Date": history["checked_on"].map(_day),
            "RAG": history["rag"].map(RAGS),
            "% complete": history["percent_complete"],
            "Note": history["note"],
            "By": history["author"],
        }
    ).iloc[::-1]
    st.markdown("**History** (newest first; check-ins are kept, never overwritten)")
    static_table(table.assign(RAG=table["RAG"].map(lambda rag: RAG_BADGES.get(rag, plain(rag)))), markdown=["RAG"])


def _check_in_form(plan_id: int, initiative_id: int, row: pd.Series) -> None:
    prefix = f"check_in_{initiative_id}_{row['check_ins']}_"
    defaults = {
        "checked_on": date.today(),
        "rag": row["rag"] or "green",
        "percent_complete": int(row["percent_complete"]),
    }
    for name, value in (defaults | {"note": "", "author": ""}).items():
        st.session_state.setdefault(prefix + name, value)
    with st.form(f"{prefix}form"):
        st.markdown("**Record a check-in**")
        day, rag, percent = st.columns([1, 2, 1])
        day.date_input("Date", key=f"{prefix}checked_on", max_value=date.today(), format="DD/MM/YYYY")
        rag.radio("RAG status", list(RAGS), format_func=RAGS.get, horizontal=True, key=f"{prefix}rag")
        percent.number_input("% complete", step=5, key=f"{prefix}percent_complete")
        st.text_area("Note", max_chars=2000, key=f"{prefix}note", height=70, placeholder="What changed, and why")
        st.text_input("By", max_chars=200, key=f"{prefix}author")
        st.form_submit_button(
            "Record check-in", type="primary", on_click=_record, args=(plan_id, initiative_id, prefix)
        )
        if CHECK_IN_ERROR in st.session_state:
            st.error(plain(st.session_state.pop(CHECK_IN_ERROR)), icon=":material/error:")


def _record(plan_id: int, initiative_id: int, prefix: str) -> None:
    values = {name: st.session_state[prefix + name] for name in ("checked_on", "rag", "percent_complete", "note")}
    author = st.session_state[prefix + "author"]
    outcome = attempt(lambda s, a: initiatives.add_check_in(s, a, plan_id, initiative_id, author=author, **values))
    if outcome.ok:
        flash.success("Check-in recorded.")
    else:
        st.session_state[CHECK_IN_ERROR] = outcome.error


# --- Milestones ----------------------------------------------------------------------------------


def overdue_milestones(all_milestones: pd.DataFrame) -> None:
    """Every overdue milestone of the plan, highlighted."""
    overdue = all_milestones[all_milestones["overdue"]]
    if overdue.empty:
        st.success("No milestone is overdue.", icon=":material/check:")
        return
    st.markdown(f":red-badge[:material/warning: Overdue] {len(overdue)} milestones are past due and not done")
    table = pd.DataFrame({"Initiative": overdue["initiative"], "Milestone": overdue["title"],
                          "Due": overdue["due"].map(_day)})  # fmt: skip
    static_table(table.assign(Due=table["Due"].map(lambda day: f":red[**{plain(day)}**]")), markdown=["Due"])


def milestone_section(plan_id: int, portfolio: pd.DataFrame, all_milestones: pd.DataFrame, editable: bool) -> None:
    """One initiative's milestones: editable for editors, with add and delete; read-only otherwise."""
    chosen = _picker("Show the milestones of", portfolio, MILESTONE_PICK)
    mine = all_milestones[all_milestones["initiative_id"] == chosen].reset_index(drop=True)
    if mine.empty:
        st.caption("No milestones for this initiative yet.")
    else:
        _milestone_table(plan_id, mine, editable)
    if editable:
        _milestone_form(plan_id, chosen)
        if not mine.empty:
            _milestone_remove(plan_id, mine)


def _milestone_columns() -> dict[str, Any]:
    cc = st.column_config
    return {
        "title": cc.TextColumn("Milestone", required=True, max_chars=200, width=360),
        "due": cc.DateColumn("Due", format="DD MMM YYYY"),
        "done": cc.CheckboxColumn("Done"),
        "done_on": cc.DateColumn("Done on", format="DD MMM YYYY"),
        "flag": cc.TextColumn("", disabled=True, width=90),
    }


def _milestone_table(plan_id: int, mine: pd.DataFrame, editable: bool) -> None:
    data = mine.assign(flag=mine["overdue"].map({True: "Overdue", False: ""}))
    config = _milestone_columns()
    if not editable:
        st.dataframe(data, hide_index=True, column_order=list(config), column_config=config)
        return
    key = f"milestones_{plan_id}_{st.session_state.get(GENERATION, 0)}"
    record_editor(key, mine[["id", "version", "title"]], data, column_order=list(config), column_config=config,
                  disabled=["flag"], on_change=_save_milestones, args=(plan_id, key))  # fmt: skip
    st.caption("Edit a cell to save it. Ticking Done dates it today unless you give a date.")


def _save_milestone(plan_id: int, row: pd.Series, changes: dict[str, Any]) -> Outcome[int]:
    mid, version = int(row["id"]), int(row["version"])
    return attempt(lambda s, a: initiatives.update_milestone(s, a, plan_id, mid, version, **changes))


def _save_milestones(plan_id: int, key: str) -> None:
    for row, changes in edited_rows(key):
        outcome = _save_milestone(plan_id, row, changes)
        if outcome.ok:
            flash.success(f"Saved “{plain(changes.get('title') or row['title'])}”.")
        else:
            flash.error(f"“{plain(row['title'])}” was not saved. {plain(outcome.error)}")
    _reset_editor()


def _milestone_form(plan_id: int, initiative_id: int) -> None:
    prefix = "milestone_new_"
    st.session_state.setdefault(f"{prefix}title", "")
    st.session_state.setdefault(f"{prefix}due", None)
    with st.form("milestone_add"):
        title, due = st.columns([3, 1], vertical_alignment="bottom")
        title.text_input("Milestone", max_chars=200, key=f"{prefix}title", placeholder="e.g. Cohort 2 starts")
        due.date_input("Due", key=f"{prefix}due", format="DD/MM/YYYY")
        st.form_submit_button("Add milestone", on_click=_add_milestone, args=(plan_id, initiative_id, prefix))
        if MILESTONE_ERROR in st.session_state:
            st.error(plain(st.session_state.pop(MILESTONE_ERROR)), icon=":material/error:")


def _add_milestone(plan_id: int, initiative_id: int, prefix: str) -> None:
    title, due = st.session_state[f"{prefix}title"], st.session_state[f"{prefix}due"]
    outcome = attempt(lambda s, a: initiatives.add_milestone(s, a, plan_id, initiative_id, title, due))
    if not outcome.ok:
        st.session_state[MILESTONE_ERROR] = outcome.error
        return
    flash.success(f"Added the milestone “{plain(title)}”.")
    st.session_state[f"{prefix}title"], st.session_state[f"{prefix}due"] = "", None
    _reset_editor()


def _milestone_remove(plan_id: int, mine: pd.DataFrame) -> None:
    rows = {int(row["id"]): (int(row["version"]), row["title"]) for _, row in mine.iterrows()}
    picker, confirm = st.columns([4, 1], vertical_alignment="bottom")
    picked = picker.selectbox("Milestone to delete", list(rows), index=None, format_func=lambda i: rows[i][1],
                              placeholder="Choose a milestone to delete", key="milestone_remove_pick")  # fmt: skip
    with confirm.popover("Delete…", icon=":material/delete:", disabled=picked is None, width="stretch"):
        if picked is not None:
            st.markdown(f"Delete the milestone “{plain(rows[picked][1])}”?")
            st.button("Delete milestone", type="primary", key="milestone_remove_go", on_click=_remove_milestone,
                      args=(plan_id, picked, *rows[picked]))  # fmt: skip


def _remove_milestone(plan_id: int, milestone_id: int, version: int, title: str) -> None:
    outcome = attempt(lambda s, a: initiatives.delete_milestone(s, a, plan_id, milestone_id, version))
    if outcome.ok:
        flash.success(f"Deleted the milestone “{plain(title)}”.")
        st.session_state["milestone_remove_pick"] = None
    else:
        flash.error(plain(outcome.error))
    _reset_editor()
