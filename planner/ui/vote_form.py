"""The participant's vote form: group, a 1–5 rating per cultural element, an optional comment."""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner import culture
from planner.db import read_session
from planner.framework import names
from planner.ui.actions import attempt
from planner.ui.frame import Context
from planner.ui.text import plain, plain_block

KEY = "participant_key"
SCALE = {1: "1 · Strongly disagree", 2: "2 · Disagree", 3: "3 · Neutral", 4: "4 · Agree", 5: "5 · Strongly agree"}


def participant_key() -> str:
    """A random key for this browser session: it identifies one participant's answers, and nothing else."""
    return st.session_state.setdefault(KEY, culture.new_participant_key())


def previous_answers(ctx: Context, round_id: int) -> dict[str, Any]:
    """This participant's earlier answers in the round, to revise them."""
    with read_session(ctx.engine) as session:
        return culture.my_vote(session, ctx.access, round_id, participant_key()) or {}


def _element(element: Any, before: dict[str, Any]) -> int | None:
    st.markdown(f"**{plain(element.name)}**")
    st.caption(plain_block(element.summary))
    for question in element.questions:
        st.markdown(f"- {plain(question)}")
    score = before.get("scores", {}).get(element.key)
    options = list(SCALE)
    return st.radio(
        plain(element.name),
        options,
        index=options.index(score) if score else None,
        format_func=SCALE.get,
        key=f"score_{element.key}",
        label_visibility="collapsed",
    )


def form(ctx: Context, round_id: int, elements: list[Any]) -> None:
    """Render the form and save the vote on submit (a resubmission revises it)."""
    before = previous_answers(ctx, round_id)
    groups = names("survey_groups")
    if before:
        st.info(
            "You have already answered this round. Change anything you like and submit again.", icon=":material/edit:"
        )
    with st.form("vote"):
        group = st.radio(
            "I am taking part as",
            list(groups),
            format_func=groups.get,
            index=list(groups).index(before["group_key"]) if before.get("group_key") else None,
            key="vote_group",
        )
        st.divider()
        scores = {element.key: _element(element, before) for element in elements}
        comment = st.text_area(
            "Anything you would like to add? (optional, anonymous)", before.get("comment", ""), max_chars=1000
        )
        submitted = st.form_submit_button("Submit my answers", type="primary")
    if submitted:
        _save(round_id, group, scores, comment)


def _save(round_id: int, group: str | None, scores: dict[str, int | None], comment: str) -> None:
    missing = [key for key, score in scores.items() if score is None]
    if group is None or missing:
        st.error("Please choose your group and rate every element before submitting.", icon=":material/error:")
        return
    outcome = attempt(lambda s, a: culture.submit_vote(s, a, round_id, participant_key(), group, scores, comment))
    if outcome.ok:
        st.success(
            "Thank you: your answers are recorded. You can change them until the round closes.",
            icon=":material/check_circle:",
        )
    else:
        st.error(plain(outcome.error), icon=":material/error:")
