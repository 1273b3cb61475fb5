"""How far each plan has come through Discovery, Design and Development."""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select
from sqlmodel import Session

from planner import models as m

PHASES = ("Discovery", "Design", "Development")


def _parts() -> dict[str, list[tuple[str, Select]]]:
    answered = exists().where(m.SurveyResponse.round_id == m.SurveyRound.id)
    imported = exists().where(m.SurveyTally.round_id == m.SurveyRound.id)
    survey = select(m.SurveyRound.plan_id).where(or_(answered, imported))
    ratings = select(m.Capability.plan_id).join(m.CapabilityRating)
    check_ins = select(m.Initiative.plan_id).join(m.CheckIn)
    return {
        "Discovery": [
            ("strategic context", select(m.ContextItem.plan_id)),
            ("culture diagnostic", survey),
            ("capability assessment", ratings),
            ("leadership workforce", select(m.WorkforceAggregate.plan_id)),
        ],
        "Design": [
            ("priority capabilities", select(m.Priority.plan_id)),
            ("objectives", select(m.Objective.plan_id)),
            ("means to acquire, develop and sustain", select(m.Means.plan_id)),
        ],
        "Development": [
            ("initiatives", select(m.Initiative.plan_id)),
            ("progress check-ins", check_ins),
        ],
    }


def phase_progress(session: Session, plan_ids: list[int]) -> dict[int, dict[str, list[tuple[str, bool]]]]:
    """For each plan, per phase, which of the phase's parts have content."""
    result: dict[int, dict[str, list[tuple[str, bool]]]] = {pid: {} for pid in plan_ids}
    for phase, parts in _parts().items():
        for label, query in parts:
            column = query.selected_columns[0]
            filled = set(session.execute(query.where(column.in_(plan_ids)).distinct()).scalars())
            for pid in plan_ids:
                result[pid].setdefault(phase, []).append((label, pid in filled))
    return result


def fraction(parts: list[tuple[str, bool]]) -> float:
    """Share of a phase's parts that have content, 0.0 to 1.0."""
    return sum(done for _, done in parts) / len(parts) if parts else 0.0
