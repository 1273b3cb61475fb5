"""JSON export: the workforce list, survey anonymity in the file, and export → import → export stability."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from planner import culture, export
from planner.access import Access, PermissionDenied, Role, owner
from planner.culture import WITHHELD
from planner.db import read_session, write_session
from planner.document import insert_document

from .test_culture import import_csv, new_round, results, votes


def _export(engine: Engine, plan_id: int) -> dict:
    with read_session(engine) as session:
        return export.json_document(session, owner(), plan_id)


def _workshop(engine: Engine, plan_id: int) -> int:
    """Board 2 (too few), managers 7, front-line 6 (withheld too, or the board's answers could be derived)."""
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "board", 2, value=5, comment="Board view")
    votes(engine, plan_id, round_id, "manager", 7, value=3, comment="Manager view")
    votes(engine, plan_id, round_id, "front_line", 6, value=2)
    return round_id


def _groups(document: dict, table: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for record in document["records"][table]:
        found[record["group_key"]] = found.get(record["group_key"], 0) + 1
    return found


def test_small_and_complementary_groups_are_withheld_in_the_file(engine: Engine, plan_id: int) -> None:
    _workshop(engine, plan_id)

    document = _export(engine, plan_id)

    assert _groups(document, "survey_response") == {WITHHELD: 8, "manager": 7}
    comments = {c["text"]: c["group_key"] for c in document["records"]["survey_comment"]}
    assert comments == {"Board view": WITHHELD, "Manager view": "manager"}
    assert "board" not in json.dumps(document["records"]["survey_response"])


def test_no_participant_key_or_its_hash_leaves_the_database(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "manager", 5)

    text = export.json_text(_export(engine, plan_id))

    for n in range(5):
        key = f"manager-{n}-3"
        assert key not in text and culture.participant_hash(key) not in text
    hashes = [r["participant_hash"] for r in json.loads(text)["records"]["survey_response"]]
    assert hashes == [f"survey_response-{n}" for n in range(1, 6)]


def test_imported_tallies_of_small_groups_are_merged_under_withheld(engine: Engine, plan_id: int) -> None:
    tallies = (
        "element,group,score,count\n"
        "vision,board,4,2\nvision,partner,4,1\nvision,partner,2,2\n"
        "vision,front_line,2,30\nvision,manager,4,9\n"
    )
    import_csv(engine, plan_id, tallies)

    records = _export(engine, plan_id)["records"]["survey_tally"]

    rows = {(t["group_key"], t["score"]): t["count"] for t in records}
    # Board 2 + partners 3 = 5 withheld together; the other groups stay as they were.
    assert rows == {(WITHHELD, 4): 3, (WITHHELD, 2): 2, ("front_line", 2): 30, ("manager", 4): 9}
    assert [t["ref"] for t in records] == [f"survey_tally-{n}" for n in range(1, 5)]


def test_export_import_export_gives_the_same_document_and_keeps_anonymity(engine: Engine, plan_id: int) -> None:
    _workshop(engine, plan_id)
    first = _export(engine, plan_id)

    with write_session(engine) as session:
        copy = insert_document(session, json.loads(export.json_text(first)))
    again = _export(engine, copy)
    copied_round = next(r.id for r in _rounds(engine, copy))

    assert again == first
    shown = results(engine, copy, copied_round)
    assert set(shown.group_means["group_key"]) == {"manager", WITHHELD}
    assert "Another group" in set(shown.group_means["group"])


def _rounds(engine: Engine, plan_id: int) -> list[culture.RoundView]:
    with read_session(engine) as session:
        return culture.list_rounds(session, owner(), plan_id)


def test_another_plans_viewer_cannot_export(engine: Engine, make_plan) -> None:
    mine, theirs = make_plan(name="Mine"), make_plan(name="Theirs")

    with read_session(engine) as session, pytest.raises(PermissionDenied):
        export.json_document(session, Access(Role.VIEWER, plan_id=theirs), mine)
