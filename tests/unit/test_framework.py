"""The framework content and the blank plan document built from it."""

from __future__ import annotations

import pytest

from planner.document import FORMAT_VERSION
from planner.framework import framework, framework_document, level_names, names, page_guide

PAGES = ["home", "context", "culture", "capabilities", "workforce", "priorities", "means", "initiatives", "summary",
         "share", "history", "vote"]
DECK_LEARNING_QUESTIONS = [
    "Are staff focused on continually improving patient care?",
    "Are all staff focused on achieving zero harm?",
    "Do all staff intervene to ensure high quality of care?",
    "Are staff enabled at all levels to learn about best practice?",
    "Are there effective schemes to promote responsible, safe innovation – lean, QI?",
    "Is there recognition and reward for QI and innovation?",
]


def test_the_blank_document_holds_the_framework() -> None:
    document = framework_document()
    records = document["records"]

    assert document["format_version"] == FORMAT_VERSION
    assert document["plan"] == {"name": "New leadership strategy"}
    assert [e["key"] for e in records["cultural_element"]] == [
        "vision", "objectives", "people", "voice", "learning", "teams", "equity"]
    assert all(e["enabled"] for e in records["cultural_element"])
    assert [e["key"] for e in records["cultural_element"] if e["optional"]] == ["equity"]
    assert len(records["leadership_tier"]) == 5
    assert len(records["capability"]) == 19


def test_the_learning_element_has_the_decks_six_questions() -> None:
    records = framework_document()["records"]
    learning = next(e["ref"] for e in records["cultural_element"] if e["key"] == "learning")

    questions = [q for q in records["element_question"] if q["element_id"] == learning]

    assert [q["text"] for q in questions] == DECK_LEARNING_QUESTIONS
    assert {q["source"] for q in questions} == {"deck"}
    assert [q["position"] for q in questions] == [1, 2, 3, 4, 5, 6]


def test_every_element_has_questions_and_every_ref_resolves() -> None:
    records = framework_document("Named")["records"]
    refs = {r["ref"] for rows in records.values() for r in rows}

    assert {q["element_id"] for q in records["element_question"]} == {e["ref"] for e in records["cultural_element"]}
    assert {b["tier_id"] for b in records["band_mapping"]} <= refs
    assert len(refs) == sum(len(rows) for rows in records.values()), "refs are unique"


def test_the_document_is_a_fresh_copy_each_time() -> None:
    first = framework_document("First")
    first["records"]["capability"].clear()

    assert framework_document("Second")["plan"]["name"] == "Second"
    assert len(framework_document()["records"]["capability"]) == 19


def test_level_names_use_the_four_level_scale() -> None:
    assert level_names() == {1: "Essential", 2: "Proficient", 3: "Strong", 4: "Exemplary"}


def test_modes_are_acquire_develop_sustain() -> None:
    assert list(names("modes")) == ["acquire", "develop", "sustain"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_guidance(page: str) -> None:
    guide = page_guide(page)

    assert guide.title.strip() and guide.guidance.strip() and guide.empty.strip()


def test_the_phases_named_by_pages_are_the_three_phases() -> None:
    phases = {page["phase"] for page in framework()["pages"].values()} - {""}

    assert {"Discovery", "Design", "Development"} <= phases
