"""How far each plan has come through Discovery, Design and Development."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from planner.db import read_session, write_session
from planner.document import insert_document
from planner.progress import PHASES, fraction, phase_progress

BASE = ("cultural_element", "element_question", "leadership_tier", "band_mapping", "capability")
PARTS = {
    "Discovery": ["strategic context", "culture diagnostic", "capability assessment", "leadership workforce"],
    "Design": ["priority capabilities", "objectives", "means to acquire, develop and sustain"],
    "Development": ["initiatives", "progress check-ins"],
}


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([], 0.0),
        ([("a", False)], 0.0),
        ([("a", True)], 1.0),
        ([("a", True), ("b", False)], 0.5),
        ([("a", True), ("b", False), ("c", False)], 1 / 3),
        ([("a", True), ("b", True), ("c", True), ("d", False)], 0.75),
    ],
)
def test_fraction(parts: list[tuple[str, bool]], expected: float) -> None:
    assert fraction(parts) == pytest.approx(expected)


def plan_with(engine: Engine, full_document: Callable[..., dict[str, Any]], *tables: str) -> int:
    document = full_document()
    document["records"] = {t: rows for t, rows in document["records"].items() if t in BASE + tables}
    with write_session(engine) as session:
        return insert_document(session, document)


def done(engine: Engine, plan_id: int) -> set[str]:
    with read_session(engine) as session:
        progress = phase_progress(session, [plan_id])[plan_id]
    return {label for parts in progress.values() for label, filled in parts if filled}


@pytest.mark.parametrize(
    ("tables", "expected"),
    [
        ((), set()),
        (("context_item",), {"strategic context"}),
        (("survey_round",), set()),
        (("survey_round", "survey_response"), {"culture diagnostic"}),
        (("survey_round", "survey_tally"), {"culture diagnostic"}),
        (("capability_rating",), {"capability assessment"}),
        (("workforce_aggregate",), {"leadership workforce"}),
        (("workforce_benchmark",), set()),
        (("priority",), {"priority capabilities"}),
        (("priority", "objective"), {"priority capabilities", "objectives"}),
        (("priority", "means"), {"priority capabilities", "means to acquire, develop and sustain"}),
        (("priority", "means", "initiative"),
         {"priority capabilities", "means to acquire, develop and sustain", "initiatives"}),
        (("priority", "means", "initiative", "milestone"),
         {"priority capabilities", "means to acquire, develop and sustain", "initiatives"}),
        (("priority", "means", "initiative", "check_in"),
         {"priority capabilities", "means to acquire, develop and sustain", "initiatives", "progress check-ins"}),
    ],
)
def test_each_part_counts_its_own_content(
    engine: Engine, full_document: Callable[..., dict[str, Any]], tables: tuple[str, ...], expected: set[str]
) -> None:
    plan_id = plan_with(engine, full_document, *tables)

    assert done(engine, plan_id) == expected


def test_progress_lists_every_phase_and_part_in_order(engine: Engine, plan_id: int) -> None:
    with read_session(engine) as session:
        progress = phase_progress(session, [plan_id])[plan_id]

    assert tuple(progress) == PHASES
    assert {phase: [label for label, _ in parts] for phase, parts in progress.items()} == PARTS
    assert not any(filled for parts in progress.values() for _, filled in parts)


def test_progress_of_one_plan_does_not_leak_into_another(
    engine: Engine, full_document: Callable[..., dict[str, Any]], plan_id: int, full_plan: int
) -> None:
    with read_session(engine) as session:
        progress = phase_progress(session, [plan_id, full_plan])

    assert [fraction(progress[full_plan][phase]) for phase in PHASES] == [1.0, 1.0, 1.0]
    assert [fraction(progress[plan_id][phase]) for phase in PHASES] == [0.0, 0.0, 0.0]


def test_progress_of_no_plans(engine: Engine) -> None:
    with read_session(engine) as session:
        assert phase_progress(session, []) == {}
