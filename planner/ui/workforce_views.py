"""Widgets of the leadership-workforce page: overview figures and charts, count editor, import, bands, qualities."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from planner import charts, workforce
from planner.ui import chart_display, figures, flash, panels
from planner.ui.actions import attempt, write
from planner.ui.editors import edited_rows, record_editor, shown_rows
from planner.ui.figures import Figure
from planner.ui.frame import read_plan, remembered
from planner.ui.tables import static_table
from planner.ui.text import plain
from planner.workforce import DIMENSION_NAMES, DIMENSIONS, LOCAL, WHOLE, WHOLE_NAME
from planner.workforce_file import MAX_BYTES, WorkforceFileError, read_workforce_file

GENERATION = "workforce_editor_generation"
PREVIEW = "workforce_import_preview"
QUALITY_ADD_OPEN = "workforce_quality_add_open"  # drawn only while open (planner/ui/panels.py)
COUNT_HINT = "Edit a count to save it; a count of 0 removes the category."
LOCAL_HINT = f"{COUNT_HINT} Enter counts, or percentages out of 100: only the local population's shares are compared."
IMPORT_HELP = (
    f"A CSV or Excel (.xlsx) file up to {MAX_BYTES // 2**20} MB: either one row per member of staff (columns such "
    "as band or tier, staff group, gender, ethnicity, disability, age band) or counts "
    "(`tier,dimension,category,count`). Other columns — names, emails, staff numbers — are ignored and never "
    "stored; only counts are kept."
)
EVERY_TIER = "every"  # stands for "no tier" in select boxes (an empty option shows as None)


def _generation() -> int:
    return st.session_state.get(GENERATION, 0)


def _reset_editors() -> None:
    # A keyed fixed-row editor keeps its edits across data changes, so start fresh ones after every save.
    st.session_state[GENERATION] = _generation() + 1


def _percent(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.1%}"


def _table(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> None:
    """A small static table (text the browser can search, unlike a canvas dataframe)."""
    static_table(_cells(frame, formats), right=list(formats or {}))


def _plan_table(key: str, build: Callable[[], pd.DataFrame], formats: dict[str, str]) -> None:
    """`_table` of a frame derived from the plan's reads, built and formatted once per plan revision."""
    static_table(remembered(("workforce_table", key), lambda: _cells(build(), formats)), right=list(formats))


def _cells(frame: pd.DataFrame, formats: dict[str, str] | None) -> pd.DataFrame:
    # Formatted here rather than by a pandas Styler, which cost more than the rest of the page.
    shown = frame.copy()
    for name, spec in (formats or {}).items():
        if name in shown.columns:
            shown[name] = [_formatted(value, spec) for value in shown[name]]
    return shown


def _formatted(value: Any, spec: str) -> str:
    return "–" if value is None or pd.isna(value) else spec.format(value)


# --- Overview ------------------------------------------------------------------------------


def overview(counts: pd.DataFrame) -> None:
    """Headline metrics, leaders and staff mix per tier, the WRES table and the two diversity charts."""
    heads = read_plan(workforce.headcounts)
    wres = read_plan(workforce.representation, "ethnicity", "BME")
    _metrics(heads, wres)
    st.subheader("Leaders by tier and professional mix")
    formats = dict.fromkeys(workforce.STAFF_GROUPS, "{:.0%}") | {"Headcount": "{:,}"}
    mix = read_plan(workforce.staff_mix)
    _plan_table("tiers", partial(_tier_table, heads, mix), formats)
    st.subheader("Ethnicity: representation by tier (WRES)")
    _wres_table(wres)
    st.subheader("Diversity mix")
    _charts(counts)


def _metrics(heads: workforce.Headcounts, wres: pd.DataFrame) -> None:
    board = wres.iloc[0] if not wres.empty else None
    shown = [
        Figure("Leaders", f"{heads.leaders:,}", help="Leaders in every leadership tier (Board to First-line)."),
        Figure("Whole workforce", f"{heads.workforce:,}" if heads.workforce else "–"),
    ]
    if board is not None:
        gap = board["difference_pp"]
        shown += [
            Figure(
                f"BME on the {board['tier'].lower()}",
                _percent(board["share"]),
                delta=None if math.isnan(gap) else f"{gap:+.1f} pp vs workforce",
                help="WRES indicator 9: the board's BME share minus the whole workforce's, in percentage points.",
            ),
            Figure("BME in the whole workforce", _percent(board["workforce_share"])),
        ]
    figures.row(shown)


def _tier_table(heads: workforce.Headcounts, mix: pd.DataFrame) -> pd.DataFrame:
    table = heads.by_tier.rename(columns={"leaders": "Headcount"})
    if heads.workforce:
        whole = pd.DataFrame([{"tier_key": WHOLE, "tier": WHOLE_NAME, "Headcount": heads.workforce}])
        table = pd.concat([table, whole], ignore_index=True)
    groups = [g for g in workforce.STAFF_GROUPS if g in mix.columns]
    table = table.merge(mix[["tier_key", *groups]], on="tier_key", how="left")
    return table[["tier", "Headcount", *groups]].rename(columns={"tier": "Tier"})


def _wres_table(wres: pd.DataFrame) -> None:
    columns = dict(workforce.WRES_COLUMNS)
    if not wres["local_share"].isna().all():
        columns["local_share"] = "Local population"
    percent = {"BME share", "Whole workforce", "Local population"}
    formats = dict.fromkeys(percent, "{:.1%}") | {"BME": "{:,}", "Ethnicity known": "{:,}"}
    formats |= {"Difference (pp)": "{:+.1f}", "Relative representation": "{:.2f}"}
    _plan_table("wres", lambda: wres[list(columns)].rename(columns=columns), formats)
    st.caption(
        "Shares are among leaders whose ethnicity is known. Difference: the tier's share minus the whole "
        "workforce's, in percentage points (the Board row is WRES indicator 9). Relative representation: the "
        "tier's share ÷ the workforce's (1.00 = parity; below 1, under-represented)."
    )


def _dimensions(counts: pd.DataFrame) -> list[str]:
    found = set(counts["dimension"])
    return [dimension for dimension in DIMENSIONS if dimension in found]


def _categories(counts: pd.DataFrame, dimension: str) -> list[str]:
    return workforce.category_order(dimension, counts.loc[counts["dimension"] == dimension, "category"])


def _charts(counts: pd.DataFrame) -> None:
    left, right = st.columns(2)
    present = remembered("workforce_dimensions", lambda: _dimensions(counts))
    dimension = left.selectbox(
        "Dimension", present, index=present.index("ethnicity") if "ethnicity" in present else 0,
        format_func=DIMENSION_NAMES.get, key="workforce_dimension",
    )  # fmt: skip
    categories = remembered(("workforce_categories", dimension), lambda: _categories(counts, dimension))
    default = workforce.default_category(dimension, categories)
    category = right.selectbox(
        "Category to compare", categories, index=categories.index(default) if default in categories else 0,
        key=f"workforce_category_{dimension}",
    )  # fmt: skip
    chart_display.show(charts.diversity_mix, counts, dimension, category)
    chart_display.show(charts.pipeline, read_plan(workforce.representation, dimension, category))


# --- Editing counts ------------------------------------------------------------------------


def count_editor(plan_id: int, counts: pd.DataFrame) -> None:
    """Pick a tier (or benchmark) and a dimension, then edit its categories' counts in place."""
    sources = read_plan(workforce.sources)
    left, right = st.columns(2)
    tier_key = left.selectbox("Counts for", list(sources), format_func=sources.get, key="workforce_edit_tier")
    dimension = right.selectbox("Dimension", DIMENSIONS, format_func=DIMENSION_NAMES.get, key="workforce_edit_dim")
    stored = read_plan(workforce.dimension_counts, tier_key, dimension)
    shown = _editable_counts(stored, counts, dimension)
    key = f"workforce_counts_{plan_id}_{tier_key}_{dimension}_{_generation()}"
    record_editor(
        key,
        shown,
        shown[["category", "count"]],
        column_config={
            "category": st.column_config.TextColumn("Category", disabled=True),
            "count": st.column_config.NumberColumn("Headcount", min_value=0, max_value=workforce.MAX_COUNT, step=1),
        },
        on_change=_save_counts,
        args=(plan_id, tier_key, dimension, key, sources[tier_key]),
    )
    st.caption(f"Total {int(shown['count'].sum()):,}. {LOCAL_HINT if tier_key == LOCAL else COUNT_HINT}")
    _add_category_form(plan_id, tier_key, dimension, shown, sources[tier_key])


def _editable_counts(stored: pd.DataFrame, counts: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """The stored categories plus the dimension's usual ones (and any used elsewhere in the plan) at 0."""
    usual = [*workforce.CATEGORIES[dimension], *counts.loc[counts["dimension"] == dimension, "category"]]
    extra = [c for c in dict.fromkeys(usual) if c.casefold() not in {s.casefold() for s in stored["category"]}]
    frame = pd.concat(
        [stored, pd.DataFrame({"id": None, "version": None, "category": extra, "count": 0})], ignore_index=True
    )
    order = workforce.category_order(dimension, frame["category"])
    return frame.set_index("category").loc[order].reset_index()[["id", "version", "category", "count"]]


def _seen(shown: pd.DataFrame) -> dict[str, int]:
    stored = shown.dropna(subset=["version"])
    return {str(c): int(v) for c, v in zip(stored["category"], stored["version"], strict=True)}


def _values(shown: pd.DataFrame) -> dict[str, Any]:
    return {str(c): (0 if pd.isna(n) else n) for c, n in zip(shown["category"], shown["count"], strict=True)}


def _save_counts(plan_id: int, tier_key: str, dimension: str, key: str, source: str) -> None:
    """Callback: apply the edited cells to the shown counts and save the whole set, checking versions."""
    shown = shown_rows(key)
    values = _values(shown)
    for row, changes in edited_rows(key):
        if "count" in changes:
            values[str(row["category"])] = changes["count"]
    label = f"{plain(source)} · {DIMENSION_NAMES[dimension]}"
    write(
        lambda s, a: workforce.set_counts(s, a, plan_id, tier_key, dimension, values, _seen(shown)),
        f"Saved the counts for {label}.",
    )
    _reset_editors()


def _add_category_form(plan_id: int, tier_key: str, dimension: str, shown: pd.DataFrame, source: str) -> None:
    with st.form(f"workforce_add_category_{tier_key}_{dimension}", clear_on_submit=True):
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        category = left.text_input("Add a category", max_chars=workforce.MAX_CATEGORY, placeholder="e.g. 65 and over")
        count = right.number_input("Headcount", min_value=0, max_value=workforce.MAX_COUNT, step=1)
        submitted = st.form_submit_button("Add category", icon=":material/add:")
    if not submitted:
        return
    if category.strip().casefold() in {str(c).casefold() for c in shown["category"]}:
        st.error(f"“{plain(category)}” is already listed: edit its count in the table.", icon=":material/error:")
        return
    values = _values(shown) | {category: count}
    outcome = attempt(lambda s, a: workforce.set_counts(s, a, plan_id, tier_key, dimension, values, _seen(shown)))
    if not outcome.ok:
        st.error(plain(outcome.error), icon=":material/error:")
        return
    flash.success(f"Added “{plain(category)}” to {plain(source)}.")
    _reset_editors()
    st.rerun()


# --- Import --------------------------------------------------------------------------------


def import_panel(plan_id: int) -> None:
    """Upload a file, read it with progress, preview what it holds, then replace the workforce data on request."""
    st.caption(IMPORT_HELP)
    upload = st.file_uploader(
        "Workforce file", type=["csv", "xlsx"], key=f"workforce_upload_{plan_id}", max_upload_size=MAX_BYTES // 2**20
    )
    if upload is None:
        st.session_state.pop(PREVIEW, None)
        return
    preview = _preview(plan_id, upload)
    if preview.get("error"):
        st.error(
            f"**{plain(preview['name'])}** cannot be imported. {plain(preview['error'])} Nothing was changed.",
            icon=":material/error:",
        )
    elif preview.get("done"):
        st.success(
            f"**{plain(preview['name'])}** has been imported. Choose another file to import again.",
            icon=":material/check_circle:",
        )
    else:
        _show_preview(plan_id, preview)


def _preview(plan_id: int, upload: Any) -> dict[str, Any]:
    """The parsed file for this upload, read once and kept across reruns (so confirming does not reparse it)."""
    ident = (plan_id, upload.file_id)
    kept = st.session_state.get(PREVIEW)
    if kept is not None and kept["ident"] == ident:
        return kept
    tiers = read_plan(workforce.tiers)
    names = dict(zip(tiers["key"], tiers["name"], strict=True))
    bar = st.progress(0.0, text=f"Reading {plain(upload.name)}…")
    preview: dict[str, Any] = {"ident": ident, "name": upload.name, "names": names}
    try:
        found = read_workforce_file(
            upload.getvalue(), upload.name, read_plan(workforce.band_tiers), names,
            progress=lambda fraction: bar.progress(min(max(fraction, 0.0), 1.0), text=f"Reading {plain(upload.name)}…"),
        )  # fmt: skip
        preview["found"] = found
    except WorkforceFileError as error:
        preview["error"] = str(error)
    bar.empty()
    st.session_state[PREVIEW] = preview
    return preview


def _show_preview(plan_id: int, preview: dict[str, Any]) -> None:
    found, names = preview["found"], preview["names"] | {WHOLE: WHOLE_NAME}
    kind = "one row per person" if found.kind == "person" else "counts by tier"
    st.markdown(f"**{plain(preview['name'])}** — {kind}, {found.rows_read:,} rows read.")
    rows = pd.DataFrame(
        [{"Tier": names.get(k, k), "Rows": n} for k, n in found.rows_per_tier.items()], columns=["Tier", "Rows"]
    )
    _table(rows, {"Rows": "{:,}"})
    if found.recoded:
        st.markdown("**Values not recognised, and what they became**")
        recoded = pd.DataFrame(
            [(r.column, r.value, r.became, r.rows) for r in found.recoded],
            columns=["Column", "Value in the file", "Counted as", "Rows"],
        )
        _table(recoded, {"Rows": "{:,}"})
    if found.ignored_columns:
        ignored = ", ".join(plain(column) for column in found.ignored_columns)
        st.caption(f"Ignored columns (their values are not read or stored): {ignored}.")
    _confirm(plan_id, preview)


def _confirm(plan_id: int, preview: dict[str, Any]) -> None:
    heads = read_plan(workforce.headcounts)
    new = workforce.tier_totals(preview["found"].counts)
    leaders = sum(n for k, n in new.items() if k != WHOLE)
    st.warning(
        f"Replacing **removes the plan's current workforce data** ({heads.leaders:,} leaders; whole workforce "
        f"{heads.workforce:,}) and stores this file's counts instead ({leaders:,} leaders; whole workforce "
        f"{new.get(WHOLE, 0):,}). The local population benchmark, band mapping and qualities are kept.",
        icon=":material/warning:",
    )
    st.button(
        "Replace the workforce data", type="primary", icon=":material/upload:", on_click=_replace, args=(plan_id,)
    )


def _replace(plan_id: int) -> None:
    """Callback: store the previewed counts in one transaction."""
    preview = st.session_state.get(PREVIEW)
    if preview is None or "found" not in preview:
        flash.error("The file is no longer loaded. Please choose it again.")
        return
    found, name = preview["found"], preview["name"]
    stored = write(
        lambda s, a: workforce.replace_workforce(s, a, plan_id, found.counts, source=name),
        f"Replaced the workforce data with the counts from {plain(name)} ({found.rows_read:,} rows read).",
    )
    if stored is not None:
        preview["done"] = True
        _reset_editors()


# --- Band mapping --------------------------------------------------------------------------


def band_editor(plan_id: int) -> None:
    """The band → tier mapping: change a band's tier in place; add or remove bands below."""
    st.subheader("Bands and leadership tiers")
    st.caption(
        "A person-level file's band (or grade) decides the leadership tier. Bands not listed count only in the "
        "Whole workforce. Spellings such as “Band 8 - Range A”, “Band 8A” and “8a” are the same band."
    )
    bands, tiers = read_plan(workforce.band_mapping), read_plan(workforce.tiers)
    names = dict(zip(tiers["key"], tiers["name"], strict=True))
    key = f"workforce_bands_{plan_id}_{_generation()}"
    record_editor(
        key,
        bands,
        bands[["band", "tier_key"]],
        max_height=420,
        column_config=_band_columns(names),
        on_change=_save_bands,
        args=(plan_id, key),
    )
    _band_forms(plan_id, bands, names)


def _band_columns(names: dict[str, str]) -> dict[str, Any]:
    return {
        "band": st.column_config.TextColumn("Band or grade", disabled=True),
        "tier_key": st.column_config.SelectboxColumn(
            "Leadership tier", options=list(names), format_func=names.get, required=True
        ),
    }


def _save_bands(plan_id: int, key: str) -> None:
    rows, seen = [], {}
    for row, changes in edited_rows(key):
        if changes.get("tier_key"):
            rows.append((str(row["band"]), str(changes["tier_key"])))
            seen[str(row["band"])] = int(row["version"])
    write(lambda s, a: workforce.set_band_mapping(s, a, plan_id, rows, seen), "Saved the band mapping.")
    _reset_editors()


def _band_forms(plan_id: int, bands: pd.DataFrame, names: dict[str, str]) -> None:
    add, remove = st.columns(2)
    with add.form("workforce_add_band", clear_on_submit=True):
        band = st.text_input("Band or grade to add", max_chars=100, placeholder="e.g. Specialty Doctor")
        tier = st.selectbox("Leadership tier", list(names), format_func=names.get)
        submitted = st.form_submit_button("Add band", icon=":material/add:")
    if submitted:
        _write_now(
            lambda s, a: workforce.set_band_mapping(s, a, plan_id, [(band, tier)], {}),
            f"Mapped “{plain(band)}” to {plain(names[tier])}.",
        )
    versions = dict(zip(bands["band"], bands["version"], strict=True))
    with remove.form("workforce_remove_band"):
        chosen = st.selectbox("Band to remove", list(versions), index=None, placeholder="Choose a band")
        removed = st.form_submit_button("Remove band", icon=":material/delete:")
    if removed and chosen is not None:
        seen = {chosen: int(versions[chosen])}
        _write_now(
            lambda s, a: workforce.set_band_mapping(s, a, plan_id, [(chosen, None)], seen),
            f"Removed “{plain(chosen)}”.",
        )


def _write_now(action: Any, message: str) -> None:
    """Run a write from a form submit: on success flash and rerun, otherwise show the error here."""
    outcome = attempt(action)
    if not outcome.ok:
        st.error(plain(outcome.error), icon=":material/error:")
        return
    flash.success(message)
    _reset_editors()
    st.rerun()


# --- Leadership qualities ------------------------------------------------------------------


def qualities_panel(plan_id: int, editable: bool) -> None:
    """The leadership qualities sought per tier: a table (editable by editors), with add and remove forms."""
    frame, tiers = read_plan(workforce.qualities), read_plan(workforce.tiers)
    names = {EVERY_TIER: "Every tier"} | dict(zip(tiers["key"], tiers["name"], strict=True))
    st.caption(
        "A short list of the behaviours the organisation looks for in its leaders, by tier, and how present each "
        "is today (strength 1 = rarely seen, 5 = consistently seen)."
    )
    shown = frame.assign(tier_key=frame["tier_key"].fillna(EVERY_TIER))
    if frame.empty:
        st.caption("No qualities yet.")
    elif not editable:
        st.dataframe(
            shown, hide_index=True, column_order=list(_quality_columns(names)), column_config=_quality_columns(names)
        )
    else:
        _quality_table(plan_id, shown, names)
    if editable:
        _add_quality_form(plan_id, shown, names)
    if editable and not shown.empty:
        _remove_quality_form(plan_id, shown)


def _quality_columns(names: dict[str, str]) -> dict[str, Any]:
    cc = st.column_config
    return {
        "tier_key": cc.SelectboxColumn("Tier", options=list(names), format_func=names.get, width=120),
        "name": cc.TextColumn("Quality", required=True, max_chars=120, width=200),
        "description": cc.TextColumn("What it looks like", max_chars=2000, width=360),
        "strength": cc.NumberColumn("Strength (1–5)", min_value=1, max_value=5, step=1, width=110),
        "evidence": cc.TextColumn("Evidence", max_chars=2000, width=300),
    }


def _quality_table(plan_id: int, shown: pd.DataFrame, names: dict[str, str]) -> None:
    key = f"workforce_qualities_{plan_id}_{_generation()}"
    record_editor(
        key,
        shown,
        column_order=list(_quality_columns(names)),
        column_config=_quality_columns(names),
        on_change=_save_qualities,
        args=(plan_id, key),
    )


def _save_qualities(plan_id: int, key: str) -> None:
    for row, changes in edited_rows(key):
        values = {k: (None if k == "tier_key" and v == EVERY_TIER else v) for k, v in changes.items()}
        values = {k: ("" if v is None and k in ("name", "description", "evidence") else v) for k, v in values.items()}
        write(
            lambda s, a, row=row, values=values: workforce.update_quality(
                s, a, plan_id, int(row["id"]), int(row["version"]), **values
            ),
            f"Saved “{plain(values.get('name') or row['name'])}”.",
        )
    _reset_editors()


def _add_quality_form(plan_id: int, shown: pd.DataFrame, names: dict[str, str]) -> None:
    with panels.lazy("Add a quality", QUALITY_ADD_OPEN, icon=":material/add:", expanded=shown.empty) as open_:
        if open_:
            _quality_form(plan_id, names)


def _quality_form(plan_id: int, names: dict[str, str]) -> None:
    with st.form("workforce_add_quality", clear_on_submit=True):
        left, middle, right = st.columns([1, 2, 1])
        tier = left.selectbox("Tier", list(names), format_func=names.get)
        name = middle.text_input("Quality", max_chars=120, placeholder="e.g. Compassionate")
        strength = right.selectbox(
            "Strength today", [None, 1, 2, 3, 4, 5], format_func=lambda v: "Not rated" if v is None else str(v)
        )
        description = st.text_area("What it looks like", max_chars=2000, height=80)
        evidence = st.text_input("Evidence", max_chars=2000)
        submitted = st.form_submit_button("Add quality", type="primary")
    if submitted:
        fields = {
            "tier_key": None if tier == EVERY_TIER else tier,
            "name": name,
            "strength": strength,
            "description": description,
            "evidence": evidence,
        }
        _write_now(lambda s, a: workforce.add_quality(s, a, plan_id, **fields), f"Added “{plain(name)}”.")


def _remove_quality_form(plan_id: int, shown: pd.DataFrame) -> None:
    rows = {int(r["id"]): r for r in shown.to_dict("records")}
    with st.form("workforce_remove_quality"):
        chosen = st.selectbox(
            "Quality to remove",
            list(rows),
            index=None,
            format_func=lambda i: rows[i]["name"],
            placeholder="Choose a quality",
        )
        removed = st.form_submit_button("Remove quality", icon=":material/delete:")
    if removed and chosen is not None:
        version = int(rows[chosen]["version"])
        _write_now(
            lambda s, a: workforce.delete_quality(s, a, plan_id, chosen, version),
            f"Removed “{plain(rows[chosen]['name'])}”.",
        )
