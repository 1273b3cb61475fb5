"""The facilitator's culture diagnostic: rounds, participant link with QR code, live results, imports."""

from __future__ import annotations

import io
from datetime import date
from functools import partial
from typing import Any

import pandas as pd
import segno
import streamlit as st

from planner import charts, culture, sharing
from planner.framework import names
from planner.ui import chart_display, figures, panels
from planner.ui.actions import attempt, write
from planner.ui.figures import Figure
from planner.ui.frame import context, read_plan, remembered
from planner.ui.tables import static_table
from planner.ui.text import plain

COMMENTS_OPEN = "culture_comments_open"
LINKS_KEY = "participant_links"  # round id → link URL, kept only for this browser session


def qr_png(url: str) -> bytes:
    """A QR code of the URL as PNG bytes."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=2, dark="#1F2A33")
    return buffer.getvalue()


def _new_link(round_id: int, round_name: str) -> None:
    ctx = context()
    created = write(
        lambda s, a: sharing.create_link(
            s,
            a,
            ctx.plan.id,
            "participant",
            label=round_name,  # type: ignore[union-attr]
            round_id=round_id,
            base_url=ctx.settings.public_url,
        )
    )
    if created is not None:
        st.session_state.setdefault(LINKS_KEY, {})[round_id] = created.url


def show_link(round_id: int, round_name: str, is_open: bool) -> None:
    """The round's participant link, large, with its QR code to scan in the room."""
    url = st.session_state.get(LINKS_KEY, {}).get(round_id)
    if not is_open:
        st.info("This round is closed: participant links no longer accept answers.", icon=":material/lock:")
        return
    if url is None:
        st.caption("Links are shown once, when created. Create one to show it here.")
        st.button("Create a participant link", on_click=_new_link, args=(round_id, round_name), icon=":material/link:")
        return
    left, right = st.columns([1, 2], vertical_alignment="center")
    left.image(qr_png(url), caption="Scan to take part", width=260)
    right.markdown(f"### Take part: scan the code or open\n`{url}`")
    right.code(url, language=None)


def create_round_form() -> None:
    """Start a new survey round; its participant link appears straight away."""
    with st.form("new_round", clear_on_submit=True):
        name = st.text_input("Round name", placeholder="e.g. Board and senior leaders workshop, March")
        held_on = st.date_input("Date", date.today(), format="DD/MM/YYYY")
        submitted = st.form_submit_button("Open a new round", type="primary", icon=":material/play_arrow:")
    if submitted:
        ctx = context()
        outcome = attempt(lambda s, a: culture.create_round(s, a, ctx.plan.id, name, held_on))  # type: ignore[union-attr]
        if not outcome.ok:
            st.error(plain(outcome.error), icon=":material/error:")
            return
        _new_link(outcome.value, name)  # type: ignore[arg-type]
        st.rerun()


def set_status(round_id: int, version: int, status: str) -> None:
    """Callback: close or reopen a round."""
    ctx = context()
    verb = "Closed" if status == "closed" else "Reopened"
    write(
        lambda s, a: culture.set_round_status(s, a, ctx.plan.id, round_id, version, status),  # type: ignore[union-attr]
        f"{verb} the round.",
    )


def _results(round_id: int) -> tuple[Any, pd.DataFrame]:
    """Results for the round, read afresh only when the plan's revision has moved."""
    return read_plan(culture.results, round_id), read_plan(culture.change_since_previous, round_id)


def live_results(round_id: int, pair: tuple[str, str]) -> None:
    """Responses, the element profile, group gaps, change and comments (the page reruns as votes arrive: ui/live.py)."""
    result, change = _results(round_id)
    _group_counts(result)
    if result.suppressed_total:
        st.info(
            f"The full profile appears once at least {culture.MIN_GROUP} people have answered; until then, "
            "the means of everyone together.",
            icon=":material/group:",
        )
        names_ = {"element": "Element", "mean": "Mean (1–5)", "n": "Ratings"}
        table = result.means[list(names_)].rename(columns=names_)
        static_table(table.assign(**{"Mean (1–5)": table["Mean (1–5)"].map("{:.2f}".format)}), right=["Mean (1–5)"])
        return
    chart_display.show(charts.element_profile, result.distribution, result.means)
    if result.hidden_groups:
        st.caption(
            f"Groups with fewer than {culture.MIN_GROUP} responses are never shown on their own, nor is the "
            f"next-smallest group when the totals would give them away: {', '.join(result.hidden_groups)}. "
            "Their answers count in the totals."
        )
    _gaps(result, pair)
    if not change.empty:
        chart_display.show(charts.round_change, change)
    _comments(result.comments)


def _group_counts(result: Any) -> None:
    counts = result.responses_by_group
    total = int(counts["responses"].sum()) if not counts.empty else 0
    groups = [Figure(r.group, r.responses if r.shown else _withheld(r.responses)) for r in counts.itertuples()]
    figures.row([Figure("Responses", total), *groups])


def _withheld(responses: int) -> str:
    return f"< {culture.MIN_GROUP}" if responses < culture.MIN_GROUP else "withheld"


def _gaps(result: Any, pair: tuple[str, str]) -> None:
    groups = names("survey_groups")
    if not result.group_means.empty:
        chart_display.show(charts.group_comparison, result.group_means)
    for a, b in {("board", "front_line"), pair}:
        gap = remembered(("perception_gap", result.round_id, a, b), partial(culture.perception_gap, result, a, b))
        if gap.empty:
            st.caption(
                f"No perception gap for {groups[a]} vs {groups[b]}: each group needs at least "
                f"{culture.MIN_GROUP} responses."
            )
        else:
            chart_display.show(charts.perception_gap, gap, groups[a], groups[b])


def _comments(comments: pd.DataFrame) -> None:
    st.subheader(f"Comments ({len(comments)})")
    if comments.empty:
        st.caption("No comments yet.")
        return
    # Shown on request: free text can name people, and this page is often on a shared screen.
    with panels.lazy("Show the comments", COMMENTS_OPEN, icon=":material/forum:") as open_:
        if open_:
            shown = comments[["text", "group", "element"]].rename(
                columns={"text": "Comment", "group": "Group", "element": "Element"}
            )
            st.dataframe(shown, hide_index=True, column_config={"Comment": st.column_config.TextColumn(width="large")})


def import_form() -> None:
    """Bring existing survey results in as a closed round (CSV: element, group, score, count)."""
    st.caption(
        "Columns: `element,group,score,count` — one row per element, group and score (1–5), e.g. from the "
        "NHS Staff Survey. Groups: " + ", ".join(names("survey_groups").values()) + "."
    )
    with st.form("import_round", clear_on_submit=True):
        name = st.text_input("Round name", placeholder="e.g. NHS Staff Survey 2025", key="import_round_name")
        held_on = st.date_input("Date of the survey", date.today(), format="DD/MM/YYYY")
        upload = st.file_uploader("CSV file", type=["csv"])
        submitted = st.form_submit_button("Import as a round", icon=":material/upload:")
    if submitted:
        if upload is None:
            st.error("Choose a CSV file to import.", icon=":material/error:")
            return
        _import(name, held_on, upload.getvalue())


def _import(name: str, held_on: date, data: bytes) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    ctx = context()
    outcome = attempt(lambda s, a: culture.import_tallies(s, a, ctx.plan.id, name, held_on, text))  # type: ignore[union-attr]
    if outcome.ok:
        st.success(f"Imported “{plain(name)}” as a closed round.", icon=":material/check_circle:")
    else:
        st.error(plain(outcome.error), icon=":material/error:")
