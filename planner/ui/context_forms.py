"""Widgets of the strategic-context page: filters, the editable item table, item dialogs, add form, narrative."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from planner import context
from planner.context import PRIORITIES, NarrativeView
from planner.ui import flash, live, panels
from planner.ui.actions import Outcome, attempt, write
from planner.ui.editors import edited_rows, record_editor
from planner.ui.frame import remembered
from planner.ui.text import plain, plain_block

GENERATION = "context_editor_generation"
ADD_ERROR = "context_add_error"
HIGH_REST_OPEN = "context_high_priority_rest_open"
ADD_OPEN = "context_add_open"
# The first items beside the narrative, the rest on request: a large plan's hundred took a tenth of the
# page's time to content in the browser, for a list that scrolls out of sight.
HIGH_SHOWN = 20
NEW = {"category": "strategy", "title": "", "priority": "medium", "detail": "", "implication": "", "source": ""}
NARRATIVE_PROMPT = (
    "The deck asks for “a compelling strategic narrative and plan for delivering it”, and names "
    "“vision and compelling strategic narrative” among what boards must provide. Tell, in words staff at every "
    "level could repeat, where the organisation is going, why, and what that asks of its leaders. Draw on the "
    "high-priority context beside it."
)


def _category_help() -> str:
    prompts = context.category_prompts()
    return "\n".join(f"- **{name}**: {prompts[key]}" for key, name in context.categories().items())


def filtered(items: pd.DataFrame, elements: dict[str, str], editable: bool) -> pd.DataFrame:
    """Category and element pills in a Filter popover (panels.filter_row), beside a caption; the items that match."""
    categories = context.categories()
    row, popover = panels.filter_row()
    with popover:
        category = st.pills("Category", list(categories), format_func=categories.get, key="context_filter_category")
        element = st.pills(
            "Cultural element", list(elements), format_func=lambda key: plain(elements[key]),
            key="context_filter_element",
        )  # fmt: skip
    shown = context.filtered(items, category, element)
    used = [name for name, value in (("category", category), ("element", element)) if value]
    hint = " Edit a cell to save it; change an item's cultural elements with “Edit item…”." if editable else ""
    row.caption(panels.showing(len(shown), len(items), "context items", used) + hint)
    return shown


def _editor_key(plan_id: int) -> str:
    return f"context_items_{plan_id}_{st.session_state.get(GENERATION, 0)}"


def _reset_editor() -> None:
    # A keyed fixed-row editor keeps its edits across data changes, so start a fresh one after every save.
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def _columns() -> dict[str, Any]:
    cc, categories = st.column_config, context.categories()
    return {
        "title": cc.TextColumn("Title", required=True, max_chars=200, width=260),
        "category": cc.SelectboxColumn(
            "Category", options=list(categories), format_func=categories.get, required=True, width=140
        ),
        "priority": cc.SelectboxColumn(
            "Priority", options=list(PRIORITIES), format_func=PRIORITIES.get, required=True, width=90
        ),
        "detail": cc.TextColumn("Detail", max_chars=5000, width=360),
        "implication": cc.TextColumn("Implication for leadership", max_chars=5000, width=360),
        "source": cc.TextColumn("Source", max_chars=500, width=180),
        "elements": cc.ListColumn(
            "Cultural elements", disabled=True, width=300, help="Change these with “Edit item…” below the table."
        ),
    }


def item_table(plan_id: int, items: pd.DataFrame, elements: dict[str, str], editable: bool) -> None:
    """The items in a fixed-row editor; each edited row is saved by id with the version shown."""
    shown = items.assign(elements=items["element_keys"].map(lambda keys: [elements.get(k, k) for k in keys or []]))
    key = _editor_key(plan_id)
    record_editor(
        key,
        shown[["id", "version", "title"]],
        shown,
        column_order=list(_columns()),
        column_config=_columns(),
        disabled=["elements"] if editable else True,
        on_change=_save_edits,
        args=(plan_id, key),
    )


def _save_row(plan_id: int, row: pd.Series, changes: dict[str, Any]) -> Outcome[int]:
    values = {name: "" if value is None else value for name, value in changes.items()}
    return attempt(lambda s, a: context.update_item(s, a, plan_id, int(row["id"]), int(row["version"]), **values))


def _save_edits(plan_id: int, key: str) -> None:
    """Callback: save each edited row through update_item, mapping editor positions to item ids."""
    saved = []
    for row, changes in edited_rows(key):
        outcome = _save_row(plan_id, row, changes)
        if outcome.ok:
            saved.append(f"“{plain(changes.get('title') or row['title'])}”")
        else:
            flash.error(f"“{plain(row['title'])}” was not saved. {plain(outcome.error)}")
    if saved:
        flash.success(f"Saved {', '.join(saved)}.")
    _reset_editor()


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row with Python ints for id and version (database drivers refuse numpy integers)."""
    return row | {"id": int(row["id"]), "version": int(row["version"]), "element_keys": list(row["element_keys"] or [])}


def item_actions(plan_id: int, items: pd.DataFrame, elements: dict[str, str]) -> None:
    """Choose one item, then edit all its fields (elements too) or delete it, each in a dialog."""
    titles = dict(zip(items["id"].astype(int), items["title"], strict=True))
    picker, edit, remove = st.columns([4, 1, 1], vertical_alignment="bottom")
    chosen = picker.selectbox(
        "Item to edit or delete",
        list(titles),
        index=None,
        format_func=titles.get,
        placeholder="Choose an item to change its cultural elements, or to delete it",
        key=f"context_chosen_{plan_id}",
    )
    if edit.button("Edit item…", icon=":material/edit:", disabled=chosen is None, width="stretch"):
        edit_item(plan_id, _row(items, chosen), elements)
    if remove.button("Delete…", icon=":material/delete:", disabled=chosen is None, width="stretch"):
        delete_item(plan_id, _row(items, chosen))


def _row(items: pd.DataFrame, item_id: int | None) -> dict[str, Any]:
    """The chosen item as a dict (only it: converting every row on every rerun grew with the plan)."""
    [row] = items[items["id"] == item_id].to_dict("records")
    return _plain(row)


def _item_fields(elements: dict[str, str], prefix: str) -> dict[str, Any]:
    categories = context.categories()
    left, middle, right = st.columns([2, 1, 2])
    return {
        "category": left.selectbox(
            "Category", list(categories), format_func=categories.get, help=_category_help(), key=f"{prefix}category"
        ),
        "priority": middle.selectbox("Priority", list(PRIORITIES), format_func=PRIORITIES.get, key=f"{prefix}priority"),
        "source": right.text_input("Source", max_chars=500, key=f"{prefix}source", placeholder="e.g. Board strategy"),
        "title": st.text_input("Title", max_chars=200, key=f"{prefix}title"),
        "detail": st.text_area("Detail", max_chars=5000, key=f"{prefix}detail", height=100),
        "implication": st.text_area(
            "Implication for leadership", max_chars=5000, key=f"{prefix}implication", height=100
        ),
        "element_keys": st.multiselect(
            "Cultural elements it bears on",
            list(elements),
            format_func=elements.get,
            key=f"{prefix}element_keys",
            placeholder="Choose the elements this context bears on",
        ),
    }


@live.dialog("Edit context item", width="large")
def edit_item(plan_id: int, row: dict[str, Any], elements: dict[str, str]) -> None:
    """Edit every field of one item, including the cultural elements it bears on."""
    prefix = f"context_edit_{row['id']}_{row['version']}_"
    for name in (*NEW, "element_keys"):
        st.session_state.setdefault(prefix + name, list(row[name] or []) if name == "element_keys" else row[name])
    with st.form(f"{prefix}form"):
        values = _item_fields(elements, prefix)
        submitted = st.form_submit_button("Save changes", type="primary")
    if submitted:
        changes = {name: value for name, value in values.items() if value != row[name]}
        _finish(
            attempt(lambda s, a: context.update_item(s, a, plan_id, row["id"], row["version"], **changes)),
            f"Saved “{plain(values['title'])}”.",
        )


@live.dialog("Delete context item")
def delete_item(plan_id: int, row: dict[str, Any]) -> None:
    """Confirm, then delete one item."""
    st.markdown(f"Delete “{plain(row['title'])}”? This cannot be undone.")
    if st.button("Delete", type="primary", icon=":material/delete:"):
        _finish(
            attempt(lambda s, a: context.delete_item(s, a, plan_id, row["id"], row["version"])),
            f"Deleted “{plain(row['title'])}”.",
        )


def _finish(outcome: Outcome[Any], message: str) -> None:
    if outcome.ok:
        flash.success(message)
        _reset_editor()
        st.rerun()
    st.error(plain(outcome.error), icon=":material/error:")


def add_form(plan_id: int, elements: dict[str, str], expanded: bool) -> None:
    """An expander with a form that adds one item; what was typed survives a refused submit."""
    prefix = "context_new_"
    for name, value in (NEW | {"element_keys": []}).items():
        st.session_state.setdefault(prefix + name, value)
    with panels.lazy("Add a context item", ADD_OPEN, expanded=expanded, icon=":material/add:") as open_:
        if open_:
            _add_form(plan_id, elements, prefix)


def _add_form(plan_id: int, elements: dict[str, str], prefix: str) -> None:
    with st.form("context_add"):
        _item_fields(elements, prefix)
        st.form_submit_button("Add item", type="primary", on_click=_add, args=(plan_id, prefix))
        if ADD_ERROR in st.session_state:
            st.error(plain(st.session_state.pop(ADD_ERROR)), icon=":material/error:")


def _add(plan_id: int, prefix: str) -> None:
    values = {name: st.session_state[prefix + name] for name in (*NEW, "element_keys")}
    outcome = attempt(lambda s, a: context.add_item(s, a, plan_id, **values))
    if not outcome.ok:
        st.session_state[ADD_ERROR] = outcome.error
        return
    flash.success(f"Added “{plain(values['title'])}”.")
    for name, value in (NEW | {"element_keys": [], "category": values["category"]}).items():
        st.session_state[prefix + name] = value
    _reset_editor()


def narrative_panel(plan_id: int, view: NarrativeView, high: pd.DataFrame, editable: bool) -> None:
    """The narrative (editable, with a word count) beside the high-priority items it draws on."""
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("Strategic narrative")
        st.caption(NARRATIVE_PROMPT)
        if editable:
            _narrative_editor(plan_id, view)
        else:
            st.markdown(plain_block(view.text) if view.text else "*No narrative yet.*")
            st.caption(f"{view.words} words")
    with right:
        st.subheader("What it draws on")
        st.caption(f"{len(high)} high-priority context items")
        with st.container(height=420, border=True):
            _high_priority(high)


def _high_priority(high: pd.DataFrame) -> None:
    if high.empty:
        st.caption("No high-priority items yet. Mark the context that matters most as High priority.")
        return
    # One Markdown element for the list (one per item made the page's rerun grow with the plan), and kept
    # across reruns: `high` is always the open plan's high-priority items, read through frame.read_plan.
    st.markdown(remembered("context_high_priority", lambda: _high_priority_text(high.head(HIGH_SHOWN))))
    if len(high) > HIGH_SHOWN:
        label = f"The other {len(high) - HIGH_SHOWN} high-priority items"
        with panels.lazy(label, HIGH_REST_OPEN) as open_:
            if open_:
                st.markdown(remembered("context_high_rest", lambda: _high_priority_text(high.iloc[HIGH_SHOWN:])))


def _high_priority_text(high: pd.DataFrame) -> str:
    categories = context.categories()
    entries = [
        f"**{plain(title)}** · {categories.get(category, category)}"
        + (f"  \n:small[:gray[{plain(implication)}]]" if implication else "")
        for title, category, implication in zip(high["title"], high["category"], high["implication"], strict=True)
    ]
    return "\n\n".join(entries)


def _others_changed_it(key: str, view: NarrativeView) -> bool:
    """Bring an untouched draft up to date; True when someone else saved over a draft being edited."""
    base, seen = f"{key}_base", f"{key}_seen"
    if key not in st.session_state or st.session_state[key] == st.session_state[base]:
        _load_narrative(key, view)
    elif view.text == st.session_state[base]:
        st.session_state[seen] = view.version  # the plan changed elsewhere, but not its narrative
    return st.session_state[seen] != view.version


def _narrative_editor(plan_id: int, view: NarrativeView) -> None:
    stale = _others_changed_it(key := f"context_narrative_{plan_id}", view)
    st.text_area(
        "Strategic narrative",
        key=key,
        height=420,
        max_chars=context.NARRATIVE_LIMIT,
        label_visibility="collapsed",
        placeholder="Where are we going, why, and what does it ask of leaders?",
    )
    draft = st.session_state[key]
    unsaved = " · unsaved changes" if draft.strip() != st.session_state[f"{key}_base"] else ""
    st.caption(f"{context.word_count(draft)} words{unsaved}")
    if stale:
        st.warning(
            "Someone else changed the narrative while you were editing it. Copy your text if you need it, "
            "then load theirs.",
            icon=":material/sync_problem:",
        )
        st.button("Load the latest version", on_click=_load_narrative, args=(key, view))
    st.button("Save narrative", type="primary", icon=":material/save:", on_click=_save_narrative, args=(plan_id, key))


def _load_narrative(key: str, view: NarrativeView) -> None:
    st.session_state[key] = st.session_state[f"{key}_base"] = view.text
    st.session_state[f"{key}_seen"] = view.version


def _save_narrative(plan_id: int, key: str) -> None:
    text = st.session_state[key]
    version = write(
        lambda s, a: context.save_narrative(s, a, plan_id, st.session_state[f"{key}_seen"], text),
        "Saved the strategic narrative.",
    )
    if version is not None:
        _load_narrative(key, NarrativeView(text.strip(), version, context.word_count(text)))
