"""The culture diagnostic: survey rounds, anonymous votes, imported tallies and results that protect anonymity.

Participants are known only by sha256(a random key kept in their browser session); a group with
fewer than MIN_GROUP responses is never shown on its own (DESIGN §1, issue 3).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from planner import records, snapshots
from planner.access import Access, PermissionDenied, Role
from planner.db import bump_revision, lock_for, once, read_frame, utcnow, versioned_update
from planner.framework import names
from planner.history import record_event
from planner.models import (
    CulturalElement,
    ElementQuestion,
    Plan,
    SurveyComment,
    SurveyRating,
    SurveyResponse,
    SurveyRound,
    SurveyTally,
)
from planner.plans import PlanNotFound
from planner.records import RecordNotFound
from planner.validation import InvalidInput, limited_text, required_text

MIN_GROUP = 5
SCORES = (1, 2, 3, 4, 5)
STATUSES = ("open", "closed")
MAX_COMMENT = 1000
MAX_COUNT = 1_000_000
OTHER_GROUP = "Another group"
WITHHELD = "withheld"  # the group key exports give to answers of groups too small to show (planner/export.py)
CSV_COLUMNS = ("element", "group", "score", "count")
# Editors and owners may try the vote page themselves; a viewer link is read-only.
VOTERS = (Role.PARTICIPANT, Role.EDITOR, Role.OWNER)

DISTRIBUTION_COLUMNS = ["element_key", "element", "position", "score", "count", "share"]
MEANS_COLUMNS = ["element_key", "element", "position", "mean", "n"]
GROUP_MEANS_COLUMNS = ["element_key", "element", "position", "group_key", "group", "mean", "n"]
GAP_COLUMNS = ["element_key", "element", "mean_a", "mean_b", "gap"]
CHANGE_COLUMNS = ["element_key", "element", "mean_now", "mean_before", "change"]
COUNT_COLUMNS = ["round_id", "element_id", "group_key", "score", "count"]


class RoundClosed(InvalidInput):
    """A vote arrived for a survey round that has closed."""


@dataclass(frozen=True)
class RoundView:
    """A survey round as pages show it."""

    id: int
    name: str
    held_on: date | None
    status: str
    version: int
    responses: int
    previous_round_id: int | None


@dataclass(frozen=True)
class ElementView:
    """A cultural element to rate, with its diagnostic questions."""

    key: str
    name: str
    summary: str
    questions: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class CultureResults:
    """A round's results, with every group of fewer than MIN_GROUP responses withheld."""

    round_id: int
    total_responses: int
    suppressed_total: bool
    responses_by_group: pd.DataFrame
    distribution: pd.DataFrame
    means: pd.DataFrame
    group_means: pd.DataFrame
    hidden_groups: list[str]
    comments: pd.DataFrame


# --- Rounds ---------------------------------------------------------------------------------


def _require_plan(session: Session, plan_id: int) -> None:
    if session.get(Plan, plan_id) is None:
        raise PlanNotFound(f"There is no plan {plan_id}. It may have been deleted.")


def _chronological(survey_round: SurveyRound) -> tuple[bool, date, int]:
    return survey_round.held_on is None, survey_round.held_on or date.min, survey_round.id or 0


def _rounds(session: Session, plan_id: int) -> list[SurveyRound]:
    """The plan's rounds by date held (undated last), then id."""
    return sorted(session.exec(select(SurveyRound).where(SurveyRound.plan_id == plan_id)), key=_chronological)


def _round_views(session: Session, plan_id: int) -> list[RoundView]:
    rounds = _rounds(session, plan_id)
    sizes = _group_sizes(session, [r.id for r in rounds]).groupby("round_id")["responses"].sum()  # type: ignore[misc]
    return [
        RoundView(
            r.id, r.name, r.held_on, r.status, r.version, int(sizes.get(r.id, 0)), rounds[n - 1].id if n else None
        )
        for n, r in enumerate(rounds)  # type: ignore[arg-type]
    ]


def list_rounds(session: Session, access: Access, plan_id: int) -> list[RoundView]:
    """The plan's survey rounds, oldest first, with response counts (votes and imported tallies)."""
    access.require(Role.VIEWER, plan_id)
    return once(session, ("culture.list_rounds", plan_id), lambda: _round_views(session, plan_id))


def vote_round(session: Session, access: Access, plan_id: int) -> RoundView | None:
    """The round this access votes in: a participant link's own round, else the plan's newest open round."""
    access.require(Role.PARTICIPANT, plan_id)
    views = _round_views(session, plan_id)
    if access.round_id is not None:
        return next((v for v in views if v.id == access.round_id), None)
    return next((v for v in reversed(views) if v.status == "open"), None)


def create_round(session: Session, access: Access, plan_id: int, name: str, held_on: date | None) -> int:
    """Open a new survey round; return its id."""
    access.require(Role.EDITOR, plan_id)
    _require_plan(session, plan_id)
    values = {"name": required_text(name, "Round name", 120), "held_on": held_on, "status": "open"}
    return records.add(session, access, SurveyRound, plan_id, values)


def update_round(
    session: Session, access: Access, plan_id: int, round_id: int, seen_version: int, name: str, held_on: date | None
) -> int:
    """Rename or re-date a round; return its new version."""
    access.require(Role.EDITOR, plan_id)
    values = {"name": required_text(name, "Round name", 120), "held_on": held_on}
    return records.update(session, access, SurveyRound, round_id, seen_version, values, plan_id)


def set_round_status(
    session: Session, access: Access, plan_id: int, round_id: int, seen_version: int, status: str
) -> int:
    """Open or close a round (a closed round rejects votes); return its new version."""
    access.require(Role.EDITOR, plan_id)
    if status not in STATUSES:
        raise InvalidInput(f"A round is either open or closed, not {status!r}.")
    version = records.update(session, access, SurveyRound, round_id, seen_version, {"status": status}, plan_id)
    snapshots.after_round_status(session, access, plan_id, round_id, status)  # a closed round is snapshotted
    return version


def delete_round(session: Session, access: Access, plan_id: int, round_id: int, seen_version: int) -> None:
    """Delete a round with all its responses, comments and imported tallies."""
    records.remove(session, access, SurveyRound, round_id, seen_version, plan_id)


# --- Votes ----------------------------------------------------------------------------------


def new_participant_key() -> str:
    """A random key identifying one participant's browser session (never stored as is)."""
    return secrets.token_urlsafe(24)


def participant_hash(participant_key: str) -> str:
    """The only trace of a participant that is stored: the sha256 of their random key."""
    if not isinstance(participant_key, str) or not participant_key.strip():
        raise InvalidInput("This browser session has no participant key. Please reload the page and vote again.")
    return hashlib.sha256(participant_key.encode("utf-8")).hexdigest()


def _voting_round(session: Session, access: Access, round_id: int, lock: bool = False) -> SurveyRound:
    """Check that this access may vote in the round (role first, then round and plan) and return it."""
    if access.role not in VOTERS:
        raise PermissionDenied("A viewer link cannot vote. Please use the participant link for this round.")
    if access.round_id is not None and access.round_id != round_id:
        raise PermissionDenied("This participant link is for a different survey round.")
    query = select(SurveyRound).where(SurveyRound.id == round_id)
    # FOR SHARE (PostgreSQL): closing the round waits for this vote, and a vote after closing sees "closed".
    survey_round = session.exec(query.with_for_update(read=True) if lock else query).first()
    if survey_round is None:
        raise RecordNotFound("This survey round no longer exists. Please ask your facilitator for a current link.")
    access.require(Role.PARTICIPANT, survey_round.plan_id)
    return survey_round


def _enabled_elements(session: Session, plan_id: int) -> dict[str, tuple[int, str]]:
    """Enabled element key → (id, name), in position order."""
    element = CulturalElement
    query = (
        select(element.key, element.id, element.name)
        .where(element.plan_id == plan_id, col(element.enabled).is_(True))
        .order_by(col(element.position), col(element.id))
    )
    return {key: (element_id, name) for key, element_id, name in session.exec(query)}  # type: ignore[misc]


def _checked_scores(session: Session, plan_id: int, scores: dict[str, int]) -> dict[int, int]:
    """Element id → score, once every enabled element has a whole-number score from 1 to 5 and nothing else."""
    enabled = _enabled_elements(session, plan_id)
    if not isinstance(scores, dict) or not enabled:
        raise InvalidInput("There is nothing to rate in this survey.")
    unknown = sorted(str(key) for key in scores if key not in enabled)
    if unknown:
        raise InvalidInput(f"These are not elements of this survey: {', '.join(unknown)}.")
    missing = [name for key, (_, name) in enabled.items() if key not in scores]
    if missing:
        raise InvalidInput(f"Please rate every element. Still to rate: {', '.join(missing)}.")
    for key, score in scores.items():
        if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
            raise InvalidInput(f"The rating for {enabled[key][1]} must be a whole number from 1 to 5.")
    return {enabled[key][0]: score for key, score in scores.items()}


def _checked_group(group_key: str) -> str:
    groups = names("survey_groups")
    if group_key not in groups:
        raise InvalidInput(f"Please choose your group: {', '.join(groups.values())}.")
    return group_key


def submit_vote(
    session: Session,
    access: Access,
    round_id: int,
    participant_key: str,
    group_key: str,
    scores: dict[str, int],
    comment: str = "",
) -> int:
    """Record one participant's ratings and comment, or revise them while the round is open; return the response id."""
    survey_round = _voting_round(session, access, round_id, lock=True)
    if survey_round.status != "open":
        raise RoundClosed("This round has closed, so it no longer accepts votes. Thank you for taking part.")
    hashed = participant_hash(participant_key)
    group, ratings = _checked_group(group_key), _checked_scores(session, survey_round.plan_id, scores)
    text = limited_text(comment, "Your comment", MAX_COMMENT)
    lock_for(session, f"survey-vote:{round_id}:{hashed}")  # a double tap must not insert twice
    response = _response(session, round_id, hashed)
    if response is None:
        response_id, action = _new_response(session, round_id, hashed, group, ratings), "survey_response.create"
    else:
        response_id, action = _revise_response(session, response, group, ratings), "survey_response.update"
    _replace_comment(session, round_id, response_id, group, text)
    bump_revision(session, survey_round.plan_id)
    # Neither the key, its hash, the group nor the scores go into the audit trail: it must not unpick anonymity.
    record_event(
        session,
        access,
        action,
        plan_id=survey_round.plan_id,
        entity="survey_response",
        entity_id=response_id,
        after={"round_id": round_id},
    )
    return response_id


def _response(session: Session, round_id: int, hashed: str) -> SurveyResponse | None:
    query = select(SurveyResponse).where(SurveyResponse.round_id == round_id, SurveyResponse.participant_hash == hashed)
    return session.exec(query).first()


def _new_response(session: Session, round_id: int, hashed: str, group: str, ratings: dict[int, int]) -> int:
    response = SurveyResponse(round_id=round_id, participant_hash=hashed, group_key=group)
    session.add(response)
    session.flush()
    session.add_all(SurveyRating(response_id=response.id, element_id=e, score=s) for e, s in ratings.items())  # type: ignore[arg-type]
    return response.id  # type: ignore[return-value]


def _revise_response(session: Session, response: SurveyResponse, group: str, ratings: dict[int, int]) -> int:
    """Update the earlier response in place: its group, each rating, and drop ratings of elements since disabled."""
    response_id: int = response.id  # type: ignore[assignment]
    versioned_update(session, SurveyResponse, response_id, response.version, {"group_key": group})
    rating = SurveyRating
    for element_id, score in ratings.items():
        changed = session.execute(
            update(rating)
            .where(col(rating.response_id) == response_id, col(rating.element_id) == element_id)
            .values(score=score, version=rating.version + 1, updated_at=utcnow())
        )
        if changed.rowcount == 0:  # type: ignore[attr-defined]
            session.add(SurveyRating(response_id=response_id, element_id=element_id, score=score))
    stale = col(rating.response_id) == response_id, col(rating.element_id).not_in(list(ratings))
    session.execute(delete(rating).where(*stale))
    return response_id


def _replace_comment(session: Session, round_id: int, response_id: int, group: str, text: str) -> None:
    session.execute(delete(SurveyComment).where(col(SurveyComment.response_id) == response_id))
    if text:
        session.add(SurveyComment(round_id=round_id, response_id=response_id, group_key=group, text=text))


def my_vote(session: Session, access: Access, round_id: int, participant_key: str) -> dict[str, Any] | None:
    """This participant's current group, scores and comment in the round (to prefill a revision), or None."""
    _voting_round(session, access, round_id)
    response = _response(session, round_id, participant_hash(participant_key))
    if response is None:
        return None
    query = (
        select(CulturalElement.key, SurveyRating.score)
        .join(SurveyRating, col(SurveyRating.element_id) == CulturalElement.id)
        .where(SurveyRating.response_id == response.id)
    )
    comment = session.exec(select(SurveyComment.text).where(SurveyComment.response_id == response.id)).first()
    return {"group_key": response.group_key, "scores": dict(session.exec(query).all()), "comment": comment or ""}


def vote_elements(session: Session, access: Access, plan_id: int) -> list[ElementView]:
    """The plan's enabled elements with their diagnostic questions, as the vote page asks them."""
    access.require(Role.PARTICIPANT, plan_id)
    query = (
        select(CulturalElement)
        .where(CulturalElement.plan_id == plan_id, col(CulturalElement.enabled).is_(True))
        .order_by(col(CulturalElement.position), col(CulturalElement.id))
    )
    elements = list(session.exec(query))
    questions: dict[int, list[str]] = defaultdict(list)
    question_query = select(ElementQuestion.element_id, ElementQuestion.text).where(
        col(ElementQuestion.element_id).in_([e.id for e in elements])
    )
    for element_id, text in session.exec(
        question_query.order_by(col(ElementQuestion.position), col(ElementQuestion.id))
    ):
        questions[element_id].append(text)
    return [ElementView(e.key, e.name, e.summary, tuple(questions[e.id])) for e in elements]  # type: ignore[index]


# --- Results --------------------------------------------------------------------------------


def _group_sizes(session: Session, round_ids: list[int]) -> pd.DataFrame:
    """Responses per round and group: votes, plus for imported tallies the largest count over the elements."""
    r, t = SurveyResponse, SurveyTally
    votes = select(r.round_id, r.group_key, func.count()).where(col(r.round_id).in_(round_ids))
    tallies = select(t.round_id, t.group_key, t.element_id, func.sum(t.count)).where(col(t.round_id).in_(round_ids))
    keys = ["round_id", "group_key"]
    vote_sizes = read_frame(session, votes.group_by(r.round_id, r.group_key), [*keys, "responses"])
    tally_sums = read_frame(session, tallies.group_by(t.round_id, t.group_key, t.element_id), [*keys, "e", "responses"])
    tally_sizes = tally_sums.groupby(keys, as_index=False)["responses"].max()
    sizes = pd.concat([frame for frame in (vote_sizes, tally_sizes) if not frame.empty] or [vote_sizes])
    return sizes.groupby(keys, as_index=False)["responses"].sum().astype({"responses": int})


def _score_counts(session: Session, round_ids: list[int]) -> pd.DataFrame:
    """How many times each score was given per round, element and group, from votes and tallies together."""
    r, rating, t = SurveyResponse, SurveyRating, SurveyTally
    grouping = (r.round_id, rating.element_id, r.group_key, rating.score)
    votes = select(*grouping, func.count()).join(r, col(rating.response_id) == r.id)
    votes = votes.where(col(r.round_id).in_(round_ids)).group_by(*grouping)
    tallies = select(t.round_id, t.element_id, t.group_key, t.score, t.count).where(col(t.round_id).in_(round_ids))
    frames = [read_frame(session, q, COUNT_COLUMNS) for q in (votes, tallies)]
    counts = pd.concat([f for f in frames if not f.empty] or frames[:1])
    counts = counts.groupby(COUNT_COLUMNS[:-1], as_index=False)["count"].sum()
    return counts.astype({"round_id": int, "element_id": int, "score": int, "count": int})


def _elements(session: Session, plan_id: int, counts: pd.DataFrame) -> pd.DataFrame:
    """The elements to report: every enabled element, and any other that has ratings in these counts."""
    e = CulturalElement
    query = select(e.id, e.key, e.name, e.position, e.enabled).where(e.plan_id == plan_id)
    frame = read_frame(session, query, ["element_id", "element_key", "element", "position", "enabled"])
    frame = frame[frame["enabled"].astype(bool) | frame["element_id"].isin(counts["element_id"])]
    return frame.sort_values(["position", "element_id"]).drop(columns="enabled").reset_index(drop=True)


def _means(counts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    weighted = counts.assign(total=counts["score"] * counts["count"])
    sums = weighted.groupby(by, as_index=False)[["total", "count"]].sum()
    sums = sums[sums["count"] > 0]
    return sums.assign(mean=sums["total"] / sums["count"]).rename(columns={"count": "n"}).drop(columns="total")


def _element_means(counts: pd.DataFrame, elements: pd.DataFrame) -> pd.DataFrame:
    means = elements.merge(_means(counts, ["element_id"]), on="element_id", how="left")
    return means.assign(n=means["n"].fillna(0).astype(int), mean=means["mean"].astype(float))[MEANS_COLUMNS]


def _distribution(counts: pd.DataFrame, elements: pd.DataFrame) -> pd.DataFrame:
    totals = counts.groupby(["element_id", "score"])["count"].sum()
    index = pd.MultiIndex.from_product([elements["element_id"], SCORES], names=["element_id", "score"])
    frame = elements.merge(totals.reindex(index, fill_value=0).reset_index(), on="element_id")
    per_element = frame.groupby("element_id")["count"].transform("sum")
    frame["count"] = frame["count"].astype(int)
    frame["share"] = (frame["count"] / per_element.where(per_element > 0)).fillna(0.0).astype(float)
    return frame[DISTRIBUTION_COLUMNS]


def _group_name(key: str) -> str:
    return OTHER_GROUP if key == WITHHELD else names("survey_groups").get(key, key)


def _responses_by_group(sizes: pd.DataFrame) -> pd.DataFrame:
    """Every framework group (and any other group that answered), in the framework's order."""
    counts = dict(zip(sizes["group_key"], sizes["responses"], strict=True))
    keys = _group_keys(counts)
    frame = pd.DataFrame({"group_key": keys, "group": [_group_name(k) for k in keys]})
    frame["responses"] = [int(counts.get(k, 0)) for k in keys]
    return frame.assign(shown=shown_groups(frame["responses"]))


def _group_keys(present: Iterable[str]) -> list[str]:
    """Every framework group in the framework's order, then any other group present, by key."""
    framework = list(names("survey_groups"))
    return framework + sorted(set(present) - set(framework))


def withheld_groups(sizes: dict[str, int]) -> set[str]:
    """The groups with answers whose results are withheld, given how many people each group has."""
    keys = _group_keys(sizes)
    shown = shown_groups(pd.Series([sizes.get(key, 0) for key in keys], index=keys))
    return {key for key in keys if sizes.get(key, 0) > 0 and not shown[key]}


def shown_groups(responses: pd.Series) -> pd.Series:
    """Groups of MIN_GROUP or more, less enough of the smallest that the withheld answers number MIN_GROUP too.

    Otherwise everyone's mean minus the shown groups' means would reveal the withheld few
    (complementary suppression, as statistical offices do for small cells).
    """
    shown = responses >= MIN_GROUP
    withheld = int(responses[~shown].sum())
    for index in responses[shown].sort_values(kind="stable").index:
        if withheld == 0 or withheld >= MIN_GROUP:
            break
        shown[index] = False
        withheld += int(responses[index])
    return shown


def _group_means(counts: pd.DataFrame, elements: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    shown = groups[groups["shown"]].reset_index(drop=True)
    means = _means(counts[counts["group_key"].isin(shown["group_key"])], ["element_id", "group_key"])
    frame = elements.merge(means, on="element_id").merge(shown[["group_key", "group"]].reset_index(), on="group_key")
    frame = frame.sort_values(["position", "element_id", "index"]).reset_index(drop=True)
    return frame.assign(n=frame["n"].astype(int), mean=frame["mean"].astype(float))[GROUP_MEANS_COLUMNS]


def _comments(session: Session, round_id: int, groups: pd.DataFrame) -> pd.DataFrame:
    """Comments, newest first, naming the group only when it is large enough to be shown."""
    c, e = SurveyComment, CulturalElement
    query = (
        select(c.text, c.group_key, e.name, c.created_at)
        .outerjoin(e, col(c.element_id) == e.id)
        .where(c.round_id == round_id)
        .order_by(col(c.created_at).desc(), col(c.id).desc())
    )
    frame = read_frame(session, query, ["text", "group", "element", "created_at"])
    shown = dict(zip(groups.loc[groups["shown"], "group_key"], groups.loc[groups["shown"], "group"], strict=True))
    frame["group"] = [shown.get(key, OTHER_GROUP) for key in frame["group"]]
    frame["element"] = frame["element"].fillna("").astype(str)
    return frame


def _round_in_plan(session: Session, plan_id: int, round_id: int) -> SurveyRound:
    survey_round = session.get(SurveyRound, round_id)
    if survey_round is None or survey_round.plan_id != plan_id:
        raise RecordNotFound("This survey round no longer exists in this plan.")
    return survey_round


def results(session: Session, access: Access, plan_id: int, round_id: int) -> CultureResults:
    """A round's responses by group, distributions, means, group means and comments, withholding small groups."""
    access.require(Role.VIEWER, plan_id)
    key = ("culture.results", access, plan_id, round_id)
    return once(session, key, lambda: _results(session, access, plan_id, round_id))


def _results(session: Session, access: Access, plan_id: int, round_id: int) -> CultureResults:
    access.require(Role.VIEWER, plan_id)
    _round_in_plan(session, plan_id, round_id)
    groups = _responses_by_group(_group_sizes(session, [round_id]))
    total = int(groups["responses"].sum())
    counts = _score_counts(session, [round_id])
    elements = _elements(session, plan_id, counts)
    distribution = _distribution(counts, elements)
    hidden = groups[(groups["responses"] > 0) & ~groups["shown"]]
    return CultureResults(
        round_id=round_id,
        total_responses=total,
        suppressed_total=total < MIN_GROUP,
        responses_by_group=groups,
        distribution=distribution.iloc[0:0] if total < MIN_GROUP else distribution,
        means=_element_means(counts, elements),
        group_means=_group_means(counts, elements, groups),
        hidden_groups=list(hidden["group"]),
        comments=_comments(session, round_id, groups),
    )


def element_means(session: Session, access: Access, plan_id: int, round_id: int) -> pd.DataFrame:
    """Each reported element's mean score in a round (the `means` of `results`, without the rest of its work)."""
    access.require(Role.VIEWER, plan_id)
    _round_in_plan(session, plan_id, round_id)
    counts = _score_counts(session, [round_id])
    return _element_means(counts, _elements(session, plan_id, counts))


def perception_gap(results: CultureResults, group_a: str, group_b: str) -> pd.DataFrame:
    """Per element, group A's mean minus group B's (groups by key or name); empty if either group is withheld."""
    means = results.group_means

    def of(group: str) -> pd.DataFrame:
        return means[(means["group_key"] == group) | (means["group"] == group)]

    a, b = of(group_a), of(group_b)
    if a.empty or b.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    keys = ["element_key", "element", "position"]
    frame = a[[*keys, "mean"]].merge(b[[*keys, "mean"]], on=keys, suffixes=("_a", "_b")).sort_values("position")
    return frame.assign(gap=frame["mean_a"] - frame["mean_b"])[GAP_COLUMNS].reset_index(drop=True)


def change_since_previous(session: Session, access: Access, plan_id: int, round_id: int) -> pd.DataFrame:
    """Per element, the mean now, the mean in the previous round (by date, then id) and the change."""
    access.require(Role.VIEWER, plan_id)
    _round_in_plan(session, plan_id, round_id)
    ids = [r.id for r in _rounds(session, plan_id)]
    at = ids.index(round_id)
    if at == 0:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    counts = _score_counts(session, [round_id, ids[at - 1]])  # type: ignore[list-item]
    means = _means(counts, ["round_id", "element_id"])
    now, before = (means[means["round_id"] == r][["element_id", "mean"]] for r in (round_id, ids[at - 1]))
    frame = _elements(session, plan_id, counts).merge(now.merge(before, on="element_id", suffixes=("_now", "_before")))
    return frame.assign(change=frame["mean_now"] - frame["mean_before"])[CHANGE_COLUMNS]


# --- Import ---------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"[\s_-]+", " ", text).strip().lower()


def _cell(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "…"


def _element_lookup(session: Session, plan_id: int) -> dict[str, int]:
    """Normalised element key and name → element id."""
    query = select(CulturalElement.id, CulturalElement.key, CulturalElement.name).where(
        CulturalElement.plan_id == plan_id
    )
    rows = list(session.exec(query))
    return {_norm(label): element_id for element_id, key, name in rows for label in (key, name)}  # type: ignore[misc]


def _group_lookup() -> dict[str, str]:
    return {_norm(label): key for key, name in names("survey_groups").items() for label in (key, name)}


def _header(row: list[str]) -> dict[str, int]:
    """Column name → position, for the four columns an import needs."""
    positions: dict[str, int] = {}
    for n, title in enumerate(row):
        positions.setdefault(re.sub(r"\s+", "", title).lower(), n)
    missing = [name for name in CSV_COLUMNS if name not in positions]
    if missing:
        raise InvalidInput(
            f"Row 1: the file has no column '{missing[0]}'. "
            "The header row must name the columns element, group, score and count."
        )
    return {name: positions[name] for name in CSV_COLUMNS}


def _whole(text: str, low: int, high: int) -> int | None:
    digits = text.replace(",", "")
    if not re.fullmatch(r"\d+(\.0*)?", digits):
        return None
    value = int(float(digits)) if "." in digits else int(digits)
    return value if low <= value <= high else None


def _tally_key(line: int, cells: dict[str, str], elements: dict[str, int], groups: dict[str, str]) -> tuple:
    for column in ("element", "group", "score"):
        if not cells[column]:
            raise InvalidInput(f"Row {line}, column '{column}' is empty.")
    element = elements.get(_norm(cells["element"]))
    if element is None:
        raise InvalidInput(
            f"Row {line}, column 'element': '{_cell(cells['element'])}' is not one of this plan's cultural elements."
        )
    group = groups.get(_norm(cells["group"]))
    if group is None:
        choices = ", ".join(names("survey_groups"))
        raise InvalidInput(f"Row {line}, column 'group': '{_cell(cells['group'])}' is not a survey group ({choices}).")
    score = _whole(cells["score"], 1, 5)
    if score is None:
        raise InvalidInput(f"Row {line}, column 'score': '{_cell(cells['score'])}' is not a whole number from 1 to 5.")
    return element, group, score


def _tally_count(line: int, text: str) -> int:
    count = _whole(text, 0, MAX_COUNT)
    if count is None:
        raise InvalidInput(
            f"Row {line}, column 'count': '{_cell(text)}' is not a whole number from 0 to {MAX_COUNT:,}."
        )
    return count


def parse_tallies(csv_text: str, elements: dict[str, int], groups: dict[str, str]) -> dict[tuple[int, str, int], int]:
    """(element id, group key, score) → count from CSV text, summing duplicates; InvalidInput names row and column."""
    text = (csv_text or "").lstrip("\ufeff")
    if not text.strip():
        raise InvalidInput(
            "The file is empty. It needs a header row (element, group, score, count) and rows of results."
        )
    reader = csv.reader(io.StringIO(text), strict=True)
    totals: dict[tuple[int, str, int], int] = defaultdict(int)
    try:
        columns = _header(next(reader))
        for row in reader:
            if any(cell.strip() for cell in row):
                cells = {name: row[n].strip() if n < len(row) else "" for name, n in columns.items()}
                totals[_tally_key(reader.line_num, cells, elements, groups)] += _tally_count(
                    reader.line_num, cells["count"]
                )
    except csv.Error as error:
        raise InvalidInput(f"Row {reader.line_num}: this is not a readable CSV file ({error}).") from error
    return _checked_totals(totals)


def _checked_totals(totals: dict[tuple[int, str, int], int]) -> dict[tuple[int, str, int], int]:
    if not totals:
        raise InvalidInput("The file has a header but no rows of results.")
    if not any(totals.values()):
        raise InvalidInput("Every count in the file is 0, so there are no results to import.")
    if max(totals.values()) > MAX_COUNT:
        raise InvalidInput(f"Repeated rows for the same element, group and score add up to more than {MAX_COUNT:,}.")
    return {key: count for key, count in totals.items() if count}


def import_tallies(
    session: Session, access: Access, plan_id: int, name: str, held_on: date | None, csv_text: str
) -> int:
    """Create a closed round from aggregate results (CSV: element, group, score, count); return its id."""
    access.require(Role.EDITOR, plan_id)
    _require_plan(session, plan_id)
    values = {"name": required_text(name, "Round name", 120), "held_on": held_on, "status": "closed"}
    tallies = parse_tallies(csv_text, _element_lookup(session, plan_id), _group_lookup())
    round_id = records.add(session, access, SurveyRound, plan_id, values)
    session.add_all(
        SurveyTally(round_id=round_id, element_id=element, group_key=group, score=score, count=count)
        for (element, group, score), count in tallies.items()
    )
    record_event(
        session,
        access,
        "survey_tally.import",
        plan_id=plan_id,
        entity="survey_round",
        entity_id=round_id,
        after={"rows": len(tallies), "ratings": sum(tallies.values())},
    )
    return round_id


def elements_table(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """The plan's cultural elements with their summaries and number of questions."""
    access.require(Role.VIEWER, plan_id)
    questions = func.count(ElementQuestion.id)
    query = (
        select(CulturalElement.name, CulturalElement.summary, questions, CulturalElement.enabled)
        .outerjoin(ElementQuestion)
        .where(CulturalElement.plan_id == plan_id)
        .group_by(CulturalElement.id)
        .order_by(CulturalElement.position)
    )
    columns = ["Element", "What good looks like", "Questions", "In use"]
    return read_frame(session, query, columns)
