"""Read-only tables of what a plan holds, one per page, for the pages' first views."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from planner import models as m
from planner.access import Access, Role
from planner.framework import names


def _frame(session: Session, query, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(session.execute(query).all(), columns=columns)


def _elements(session: Session, plan_id: int) -> dict[str, str]:
    query = select(m.CulturalElement.key, m.CulturalElement.name).where(m.CulturalElement.plan_id == plan_id)
    return dict(session.execute(query).all())


def context_items(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Strategic context items with category names and the elements they bear on."""
    access.require(Role.VIEWER, plan_id)
    query = (
        select(
            m.ContextItem.category,
            m.ContextItem.title,
            m.ContextItem.priority,
            m.ContextItem.element_keys,
            m.ContextItem.implication,
        )
        .where(m.ContextItem.plan_id == plan_id)
        .order_by(m.ContextItem.position)
    )
    frame = _frame(session, query, ["Category", "Title", "Priority", "Elements", "Implication for leadership"])
    elements, categories = _elements(session, plan_id), names("context_categories")
    frame["Category"] = frame["Category"].map(lambda key: categories.get(key, key))
    frame["Elements"] = frame["Elements"].map(lambda keys: ", ".join(elements.get(k, k) for k in keys))
    return frame


def survey_rounds(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Survey rounds with their response counts."""
    access.require(Role.VIEWER, plan_id)
    responses = func.count(m.SurveyResponse.id)
    query = (
        select(m.SurveyRound.name, m.SurveyRound.held_on, m.SurveyRound.status, responses)
        .outerjoin(m.SurveyResponse)
        .where(m.SurveyRound.plan_id == plan_id)
        .group_by(m.SurveyRound.id)
        .order_by(m.SurveyRound.held_on)
    )
    return _frame(session, query, ["Round", "Held on", "Status", "Responses"])


def _score_sums(session: Session, plan_id: int) -> pd.DataFrame:
    """Per element and round: the sum of scores and the number of scores, from votes and from imported tallies."""
    element, round_ = m.CulturalElement, m.SurveyRound
    keys = (element.position, element.name, round_.name)
    votes = (
        select(*keys, func.sum(m.SurveyRating.score), func.count())
        .join(m.SurveyRating, m.SurveyRating.element_id == element.id)
        .join(m.SurveyResponse)
        .join(round_)
    )
    tally = m.SurveyTally
    tallies = (
        select(*keys, func.sum(tally.score * tally.count), func.sum(tally.count))
        .join(tally, tally.element_id == element.id)
        .join(round_)
    )
    columns = ["Position", "Element", "Round", "Total", "Count"]
    frames = [_frame(session, q.where(element.plan_id == plan_id).group_by(*keys), columns) for q in (votes, tallies)]
    return pd.concat(frames).groupby(["Position", "Element", "Round"], as_index=False)[["Total", "Count"]].sum()


def element_means(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Mean rating (1–5) of each cultural element in each round, all groups, votes and imported tallies."""
    access.require(Role.VIEWER, plan_id)
    sums = _score_sums(session, plan_id)
    if sums.empty:
        return pd.DataFrame(columns=["Element"])
    sums["Mean"] = sums["Total"].astype(float) / sums["Count"].astype(float)
    wide = sums.pivot_table(index=["Position", "Element"], columns="Round", values="Mean", sort=False)
    return wide.round(2).reset_index().drop(columns="Position").rename_axis(columns=None)


def cultural_elements(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """The plan's cultural elements with their summaries and number of questions."""
    access.require(Role.VIEWER, plan_id)
    questions = func.count(m.ElementQuestion.id)
    query = (
        select(m.CulturalElement.name, m.CulturalElement.summary, questions, m.CulturalElement.enabled)
        .outerjoin(m.ElementQuestion)
        .where(m.CulturalElement.plan_id == plan_id)
        .group_by(m.CulturalElement.id)
        .order_by(m.CulturalElement.position)
    )
    return _frame(session, query, ["Element", "What good looks like", "Questions", "In use"])


def priorities(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Priority capabilities in rank order with their number of objectives."""
    access.require(Role.VIEWER, plan_id)
    objectives = func.count(m.Objective.id)
    query = (
        select(m.Priority.rank, m.Priority.title, m.Capability.name, objectives)
        .outerjoin(m.Capability, m.Capability.id == m.Priority.capability_id)
        .outerjoin(m.Objective, m.Objective.priority_id == m.Priority.id)
        .where(m.Priority.plan_id == plan_id)
        .group_by(m.Priority.id, m.Capability.name)
        .order_by(m.Priority.rank)
    )
    return _frame(session, query, ["Rank", "Priority", "Capability", "Objectives"])


def objectives(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Objectives with metric, baseline, target, due date and owner."""
    access.require(Role.VIEWER, plan_id)
    o = m.Objective
    query = (
        select(o.title, o.metric, o.baseline, o.target, o.due, o.owner, o.status)
        .where(o.plan_id == plan_id)
        .order_by(o.priority_id, o.position)
    )
    return _frame(session, query, ["Objective", "Metric", "Baseline", "Target", "Due", "Owner", "Status"])


def means(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """The means to acquire, develop and sustain capabilities."""
    access.require(Role.VIEWER, plan_id)
    query = (
        select(m.Means.mode, m.Means.approach, m.Capability.name, m.Means.cost, m.Means.lead_time_months, m.Means.reach)
        .outerjoin(m.Capability, m.Capability.id == m.Means.capability_id)
        .where(m.Means.plan_id == plan_id)
        .order_by(m.Means.mode, m.Means.position)
    )
    frame = _frame(
        session, query, ["Mode", "Approach", "Capability", "Cost (£)", "Lead time (months)", "Leaders reached"]
    )
    frame["Mode"] = frame["Mode"].map(lambda key: names("modes").get(key, key))
    return frame


def initiatives(session: Session, access: Access, plan_id: int) -> pd.DataFrame:
    """Initiatives with their dates, owner, status and progress."""
    access.require(Role.VIEWER, plan_id)
    i = m.Initiative
    query = (
        select(i.title, i.kind, i.owner, i.start, i.end, i.status, i.percent_complete)
        .where(i.plan_id == plan_id)
        .order_by(i.start, i.position)
    )
    frame = _frame(session, query, ["Initiative", "Type", "Owner", "Start", "End", "Status", "% complete"])
    frame["Type"] = frame["Type"].str.replace("_", " ").str.capitalize()
    frame["Status"] = frame["Status"].str.replace("_", " ").str.capitalize()
    return frame
