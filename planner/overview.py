"""Read-only tables for pages not yet built out: the cultural elements list and the initiatives."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from planner import models as m
from planner.access import Access, Role


def _frame(session: Session, query, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(session.execute(query).all(), columns=columns)


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
