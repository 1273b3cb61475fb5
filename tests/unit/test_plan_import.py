"""Importing a plan file: export → import → export is identical; bad files are refused whole; the CLI command."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from planner import export, plan_import
from planner import models as m
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import read_session, write_session
from planner.document import FORMAT_VERSION, DocumentError, insert_document
from planner.plan_import import PlanFileError, import_plan, read_plan_file

from .test_cli import assert_one_line_error, run
from .test_cli_share import database  # noqa: F401 - the fixture, shared
from .test_culture import new_round, votes
from .test_document import NAME, documents

Document = dict[str, Any]


def exported(engine: Engine, plan_id: int) -> Document:
    with read_session(engine) as session:
        return export.json_document(session, owner(), plan_id)


def file_bytes(document: Document) -> bytes:
    return export.json_text(document).encode("utf-8")


def imported(engine: Engine, data: bytes, access: Access | None = None) -> int:
    with write_session(engine) as session:
        return import_plan(session, access or owner(), data)


# --- A valid file --------------------------------------------------------------------------


def test_export_import_export_is_identical(engine: Engine, full_plan: int) -> None:
    first = exported(engine, full_plan)

    copy = imported(engine, file_bytes(first))

    assert copy != full_plan
    assert exported(engine, copy) == first
    with read_session(engine) as session:
        plan = session.get(m.Plan, copy)
        event = session.scalars(select(m.AuditEvent).where(m.AuditEvent.action == "plan.import")).one()
    assert (plan.name, plan.origin) == ("Full plan", "import")
    assert event.after["name"] == "Full plan" and event.after["records"] > 50


def test_a_survey_plan_round_trips_with_its_anonymity(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "board", 2, value=5, comment="Board view")
    votes(engine, plan_id, round_id, "manager", 7, value=3)
    votes(engine, plan_id, round_id, "front_line", 6, value=2)
    first = exported(engine, plan_id)

    again = exported(engine, imported(engine, file_bytes(first)))

    assert again == first
    assert {r["group_key"] for r in again["records"]["survey_response"]} == {"manager", "withheld"}


def test_the_demo_plan_round_trips(engine: Engine, demo_document: Document) -> None:
    with write_session(engine) as session:
        demo = insert_document(session, demo_document)
    first = exported(engine, demo)

    assert exported(engine, imported(engine, file_bytes(first))) == first


def test_a_byte_order_mark_and_a_new_name_are_accepted(engine: Engine, full_plan: int) -> None:
    document = read_plan_file(b"\xef\xbb\xbf" + file_bytes(exported(engine, full_plan)))

    with write_session(engine) as session:
        copy = plan_import.import_document(session, owner(), document, name="  Moved from host A ")

    assert exported(engine, copy)["plan"]["name"] == "Moved from host A"


def test_preview_names_the_plan_and_counts_its_records(full_document: Callable[..., Document]) -> None:
    document = full_document()

    found = plan_import.preview(document)

    counts = dict(zip(found.counts["Section"], found.counts["Records"], strict=True))
    assert (found.name, found.organisation, found.format_version) == ("Full plan", "Test Trust", FORMAT_VERSION)
    assert counts["Cultural elements"] == 7 and counts["Context items"] == 1 and counts["Survey responses"] == 1
    assert found.total == sum(len(rows) for rows in document["records"].values())


# --- Files that are refused, with nothing written ---------------------------------------------


def _file(mutate: Callable[[Document], Any]) -> Callable[[Document], bytes]:
    def build(document: Document) -> bytes:
        mutate(document)
        return file_bytes(document)

    return build


def _raw(data: bytes) -> Callable[[Document], bytes]:
    return lambda _document: data


BAD_FILES = {
    "newer format": (_file(lambda d: d.update(format_version=FORMAT_VERSION + 1)),
                     f"format version {FORMAT_VERSION + 1}, newer than this planner reads \\({FORMAT_VERSION}\\)"),
    "older format": (_file(lambda d: d.update(format_version=0)), "Unsupported plan file format version 0"),
    "no format": (_file(lambda d: d.pop("format_version")), "no format_version"),
    "text format": (_file(lambda d: d.update(format_version="1")), "must be a whole number"),
    "broken ref": (_file(lambda d: d["records"]["milestone"][0].update(initiative_id="initiative-42")),
                   "milestone record 1, field 'initiative_id': refers to 'initiative-42'"),
    "forward ref": (_file(lambda d: d["records"]["priority"][0].update(capability_id="priority-1")),
                    "not earlier in the file as a capability record"),
    "no plan name": (_file(lambda d: d["plan"].update(name=" ")), "a plan needs a name"),
    "invalid JSON": (_raw(b'{"format_version": 1, "plan": {'), "not valid JSON: .* line 1, column"),
    "not UTF-8": (_raw('{"plan": "café"}'.encode("latin-1")), "not UTF-8 text"),
    "NaN": (_raw(b'{"format_version": 1, "plan": {"name": NaN}, "records": {}}'), "NaN is not a number"),
    "a list": (_raw(b"[1, 2]"), "Not a plan file"),
    "empty": (_raw(b""), "not valid JSON"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_refused_and_nothing_is_written(
    engine: Engine, full_document: Callable[..., Document], snapshot: Callable[[], Any], case: str
) -> None:
    build, message = BAD_FILES[case]
    data = build(full_document())
    before = snapshot()

    with pytest.raises(DocumentError, match=message):
        imported(engine, data)

    assert snapshot() == before


def test_a_file_over_the_size_limit_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_import, "MAX_BYTES", 10)

    with pytest.raises(PlanFileError, match="the limit is 0 MB"):
        read_plan_file(b'{"format_version": 1}')


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, Role.PARTICIPANT])
def test_only_owners_import(
    engine: Engine, full_document: Callable[..., Document], plan_id: int, snapshot: Callable[[], Any], role: Role
) -> None:
    data = file_bytes(full_document())
    before = snapshot()

    with pytest.raises(PermissionDenied):
        imported(engine, data, Access(role, plan_id=plan_id))

    assert snapshot() == before


# --- Property: random plans round-trip through the exported JSON exactly ---------------------


@st.composite
def surveyed_documents(draw: st.DrawFn) -> Document:
    """test_document's random plans, plus two elements and a survey round with random groups and scores."""
    document = draw(documents())
    records = document["records"]
    records["cultural_element"] = [
        {"ref": "cultural_element-1", "key": "vision", "name": draw(NAME)},
        {"ref": "cultural_element-2", "key": "voice", "name": draw(NAME)},
    ]
    records["survey_round"] = [{"ref": "survey_round-1", "name": draw(NAME), "status": "closed"}]
    groups = draw(st.lists(st.sampled_from(["board", "manager", "front_line", "medical"]), max_size=12))
    records["survey_response"] = [
        {"ref": f"survey_response-{n}", "round_id": "survey_round-1", "participant_hash": f"h{n}", "group_key": group}
        for n, group in enumerate(groups, start=1)
    ]
    records["survey_rating"] = [
        {"ref": f"survey_rating-{n}", "response_id": response["ref"], "element_id": "cultural_element-1",
         "score": draw(st.integers(1, 5))}
        for n, response in enumerate(records["survey_response"], start=1)
    ]  # fmt: skip
    return document


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=surveyed_documents())
def test_random_plans_round_trip_through_the_exported_json(engine: Engine, document: Document) -> None:
    with write_session(engine) as session:
        source = insert_document(session, document)
    first = exported(engine, source)

    again = exported(engine, imported(engine, file_bytes(first)))

    assert again == first
    assert json.loads(export.json_text(again)) == first


# --- Command line -----------------------------------------------------------------------------


def test_cli_import_prints_only_the_new_plan_id(
    database: Engine,  # noqa: F811 - the shared fixture
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with write_session(database) as session:
        source = insert_document(session, {"format_version": FORMAT_VERSION, "plan": {"name": "Moved"}, "records": {}})
    path = tmp_path / "plan.json"
    path.write_bytes(file_bytes(exported(database, source)))

    status, out, err = run(capsys, "import", str(path))

    assert (status, err) == (0, "")
    new_id = int(out.strip())
    assert out == f"{new_id}\n" and new_id != source
    assert exported(database, new_id) == exported(database, source)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format_version": 99, "plan": {"name": "x"}, "records": {}}', "format version 99, newer than"),
        (b"not json", "not valid JSON"),
        (None, "No such file"),
    ],
)
def test_cli_import_errors_are_one_line_and_write_nothing(
    database: Engine,  # noqa: F811 - the shared fixture
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes | None,
    message: str,
) -> None:
    path = tmp_path / "plan.json"
    if content is not None:
        path.write_bytes(content)

    err = assert_one_line_error(*run(capsys, "import", str(path)))

    assert message in err
    with read_session(database) as session:
        assert session.scalars(select(m.Plan)).all() == []
