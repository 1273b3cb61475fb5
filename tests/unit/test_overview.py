"""Read-only page tables: culture means from votes and imported tallies, headcounts, gaps, access."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from planner import models as m
from planner import overview
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import read_session, write_session


def _add_votes_and_tallies(engine: Engine, plan_id: int) -> None:
    with write_session(engine) as session:
        elements = list(session.exec(select(m.CulturalElement).where(m.CulturalElement.plan_id == plan_id)
                                     .order_by(m.CulturalElement.position)))
        round_ = m.SurveyRound(plan_id=plan_id, name="Staff survey 2025")
        session.add(round_)
        session.flush()
        session.add_all([
            m.SurveyTally(round_id=round_.id, element_id=elements[0].id, group_key="front_line", score=4, count=3),
            m.SurveyTally(round_id=round_.id, element_id=elements[0].id, group_key="front_line", score=1, count=1),
        ])
        response = m.SurveyResponse(round_id=round_.id, participant_hash="p1", group_key="board")
        session.add(response)
        session.flush()
        session.add_all([m.SurveyRating(response_id=response.id, element_id=elements[0].id, score=3),
                         m.SurveyRating(response_id=response.id, element_id=elements[1].id, score=5)])


def test_element_means_weigh_votes_and_tallies_together(engine: Engine, plan_id: int) -> None:
    _add_votes_and_tallies(engine, plan_id)

    with read_session(engine) as session:
        means = overview.element_means(session, owner(), plan_id)

    by_element = dict(zip(means["Element"], means["Staff survey 2025"], strict=True))
    assert by_element["Vision and strategy"] == pytest.approx((4 * 3 + 1 + 3) / 5)
    assert by_element["Objectives"] == 5


def test_element_means_of_a_plan_without_rounds_is_empty(engine: Engine, plan_id: int) -> None:
    with read_session(engine) as session:
        assert overview.element_means(session, owner(), plan_id).empty


@pytest.mark.parametrize("table", ["context_items", "survey_rounds", "priorities", "initiatives"])
def test_another_plans_viewer_is_refused(engine: Engine, make_plan, table: str) -> None:
    mine, theirs = make_plan(name="Mine"), make_plan(name="Theirs")

    with read_session(engine) as session, pytest.raises(PermissionDenied):
        getattr(overview, table)(session, Access(Role.VIEWER, plan_id=theirs), mine)
