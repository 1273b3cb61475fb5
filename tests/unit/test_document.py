"""The plan file: export → import → export is identical, and malformed files are refused whole."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from planner.db import read_session, write_session
from planner.document import FORMAT_VERSION, SKIPPED, TREE, DocumentError, insert_document, plan_document
from planner.framework import framework_document

Rows = dict[str, list[tuple[Any, ...]]]
Document = dict[str, Any]
TABLES = [model.__table__.name for model, _ in TREE]  # type: ignore[attr-defined]


def export(engine: Engine, plan_id: int) -> Document:
    with read_session(engine) as session:
        return plan_document(session, plan_id)


def load(engine: Engine, document: Document, **overrides: Any) -> int:
    with write_session(engine) as session:
        return insert_document(session, document, **overrides)


def round_trip(engine: Engine, document: Document) -> tuple[Document, Document]:
    """Import, export, import the export, export again; return both exports."""
    first = export(engine, load(engine, document))
    return first, export(engine, load(engine, json.loads(json.dumps(first))))


# --- round trips ---------------------------------------------------------------------------


def test_framework_plan_round_trips(engine: Engine, plan_id: int) -> None:
    exported = export(engine, plan_id)

    again = export(engine, load(engine, exported))

    assert again == exported
    assert len(exported["records"]["cultural_element"]) == 7


def test_a_plan_with_every_table_round_trips(engine: Engine, full_plan: int) -> None:
    exported = export(engine, full_plan)

    first, second = round_trip(engine, exported)

    assert first == second == exported
    assert all(exported["records"][table] for table in TABLES), "every table has a record"


def test_demo_plan_round_trips(engine: Engine, demo_document: Document) -> None:
    first, second = round_trip(engine, demo_document)

    assert first == second
    assert {t: len(r) for t, r in first["records"].items()} == {
        t: len(demo_document["records"].get(t, [])) for t in TABLES
    }


def test_import_can_override_the_plan_name(engine: Engine, full_plan: int) -> None:
    exported = export(engine, full_plan)

    renamed = export(engine, load(engine, exported, name="Imported copy"))

    assert renamed["plan"].pop("name") == "Imported copy"
    exported["plan"].pop("name")
    assert renamed == exported


def test_export_uses_stable_refs_instead_of_ids(engine: Engine, full_plan: int) -> None:
    exported = export(engine, full_plan)

    assert exported["format_version"] == FORMAT_VERSION
    assert list(exported["records"]) == TABLES
    assert not SKIPPED & set(exported["plan"])
    assert {"revision", "origin"}.isdisjoint(exported["plan"])
    for table, records in exported["records"].items():
        assert [r["ref"] for r in records] == [f"{table}-{n}" for n in range(1, len(records) + 1)]
        assert all(not SKIPPED & set(r) for r in records)
    [rating] = exported["records"]["capability_rating"]
    assert (rating["capability_id"], rating["tier_id"]) == ("capability-1", "leadership_tier-1")
    [objective] = exported["records"]["objective"]
    assert (objective["priority_id"], objective["due"]) == ("priority-1", "2027-03-31")


def test_export_of_a_missing_plan(engine: Engine) -> None:
    with read_session(engine) as session, pytest.raises(LookupError):
        plan_document(session, 424242)


# --- malformed documents -------------------------------------------------------------------


def _set(path: str, value: Any) -> Callable[[Document], Any]:
    """A mutation that sets document[...] along a dotted path (list indexes are numbers)."""

    def mutate(document: Document) -> Any:
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
        return document

    return mutate


def _drop(path: str) -> Callable[[Document], Any]:
    def mutate(document: Document) -> Any:
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]
        return document

    return mutate


MALFORMED: list[tuple[str, Callable[[Document], Any], str]] = [
    ("not an object", lambda d: [d], "Not a plan file"),
    ("no plan section", _drop("plan"), "Not a plan file"),
    ("plan is a list", _set("plan", []), "Not a plan file"),
    ("newer format", _set("format_version", 2), "Unsupported plan file format_version 2"),
    ("no format", _drop("format_version"), "Unsupported plan file format_version None"),
    ("format as text", _set("format_version", "1"), "format_version '1'"),
    ("records is a list", _set("records", []), "'records' section"),
    ("table is not a list", _set("records.capability", {}), "'records' section"),
    ("unknown table", _set("records.plan_secrets", []), "Unknown record type.*plan_secrets"),
    ("record not an object", _set("records.capability.0", "Shared leadership"), "capability record 1: .*'ref'"),
    ("record without ref", _drop("records.leadership_tier.1.ref"), "leadership_tier record 2: .*'ref'"),
    ("missing field", _drop("records.capability.2.name"), "capability record 3: missing field.*name"),
    ("missing owner", _drop("records.element_question.0.element_id"), "element_question record 1: .*element_id"),
    ("null required", _set("records.capability.0.name", None), "capability record 1, field 'name'"),
    ("nonexistent ref", _set("records.element_question.0.element_id", "cultural_element-99"),
     r"element_question record 1, field 'element_id': refers to 'cultural_element-99'"),
    ("ref to a later record", _set("records.band_mapping.0.tier_id", "initiative-1"),
     r"band_mapping record 1, field 'tier_id': .*not earlier in the file"),
    ("bad date", _set("records.initiative.0.start", "2026-13-01"),
     r"initiative record 1, field 'start': '2026-13-01' is not an ISO date"),
    ("date as a number", _set("records.milestone.0.due", 20260501), r"milestone record 1, field 'due'"),
    ("text for an int", _set("records.workforce_aggregate.0.count", "12"),
     r"workforce_aggregate record 1, field 'count': expected a whole number, got '12'"),
    ("float for an int", _set("records.means.0.cost", 1.5), r"means record 1, field 'cost'"),
    ("bool for an int", _set("records.survey_rating.0.score", True), r"survey_rating record 1, field 'score'"),
    ("text for a bool", _set("records.milestone.0.done", "yes"), r"milestone record 1, field 'done'"),
    ("text for a list", _set("records.context_item.0.element_keys", "vision"),
     r"context_item record 1, field 'element_keys': expected a list"),
    ("bad plan date", _set("plan.horizon_end", "soon"), r"plan, field 'horizon_end'"),
]


def _duplicate(table: str, index: int, **changes: Any) -> Callable[[Document], Any]:
    def mutate(document: Document) -> Any:
        rows = document["records"][table]
        rows.append({**copy.deepcopy(rows[index]), **changes})
        return document

    return mutate


# Documents that are well-formed JSON but that a database would store wrongly, differently on SQLite and
# PostgreSQL, or refuse with a raw driver error. (Each was a bug found by this suite and since fixed.)
UNSTORABLE: list[tuple[str, Callable[[Document], Any], str]] = [
    ("ref to the wrong table", _set("records.band_mapping.0.tier_id", "cultural_element-1"),
     r"band_mapping record 1, field 'tier_id': refers to 'cultural_element-1'"),
    ("ref to the plan", _set("records.band_mapping.0.tier_id", "plan"), r"band_mapping record 1, field 'tier_id'"),
    ("duplicate ref", _duplicate("context_item", 0, title="Second"), r"context_item record 2: .*'context_item-1'"),
    ("duplicate tier key", _duplicate("leadership_tier", 0, ref="leadership_tier-99"),
     r"leadership_tier records 1 and"),
    ("int beyond 32 bits", _set("records.workforce_aggregate.0.count", 2**31),
     r"workforce_aggregate record 1, field 'count': expected a whole number"),
    ("lone surrogate", _set("records.context_item.0.title", "bad \ud800 text"),
     r"context_item record 1, field 'title'"),
    ("NUL character", _set("records.context_item.0.title", "nul \x00 byte"), r"context_item record 1, field 'title'"),
    ("NUL in a list", _set("records.context_item.0.element_keys", ["vi\x00sion"]),
     r"context_item record 1, field 'element_keys'"),
    ("number for text", _set("records.capability.0.name", 7), r"capability record 1, field 'name': expected text"),
    ("list for text", _set("records.capability.0.name", ["a", "b"]), r"capability record 1, field 'name'"),
    ("plan name as a number", _set("plan.name", 5), r"plan, field 'name'"),
    ("blank plan name", _set("plan.name", "  "), r"plan, field 'name'"),
    ("no records section", _drop("records"), r"'records' section"),
]


@pytest.mark.parametrize(("mutate", "message"), [pytest.param(m, msg, id=i) for i, m, msg in MALFORMED])
def test_malformed_documents_are_refused_and_leave_nothing(
    engine: Engine, full_document: Callable[..., Document], snapshot: Callable[[], Rows],
    mutate: Callable[[Document], Any], message: str,
) -> None:
    document = mutate(full_document())
    before = snapshot()

    with pytest.raises(DocumentError, match=message), write_session(engine) as session:
        insert_document(session, document)

    assert snapshot() == before


@pytest.mark.parametrize(("mutate", "message"), [pytest.param(m, msg, id=i) for i, m, msg in UNSTORABLE])
def test_documents_the_database_cannot_hold_are_refused_with_document_error(
    engine: Engine, full_document: Callable[..., Document], snapshot: Callable[[], Rows],
    mutate: Callable[[Document], Any], message: str,
) -> None:
    document = mutate(full_document())
    before = snapshot()

    with pytest.raises(DocumentError, match=message), write_session(engine) as session:
        insert_document(session, document)

    assert snapshot() == before


def _ref_posing_as(table: str, ref: str, referrer: str, field: str) -> Callable[[Document], Any]:
    """Give the first record of `table` a ref that looks like another table's, and refer to it from there."""

    def mutate(document: Document) -> Any:
        document["records"][table][0]["ref"] = ref
        document["records"][referrer][0][field] = ref
        return document

    return mutate


def _duplicate_by_default(table: str, field: str, default: Any) -> Callable[[Document], Any]:
    """Two records equal on a unique constraint: one leaves `field` to its default, one spells it out."""

    def mutate(document: Document) -> Any:
        rows = document["records"][table]
        rows[0].pop(field, None)
        rows.append({**copy.deepcopy(rows[0]), "ref": f"{table}-{len(rows) + 1}", field: default})
        return document

    return mutate


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(_ref_posing_as("context_item", "capability-20", "priority", "capability_id"),
                     id="ref posing as a capability"),
        pytest.param(_duplicate_by_default("capability_rating", "assessor", "Leadership team"),
                     id="duplicate rating by default"),
        pytest.param(_duplicate_by_default("workforce_benchmark", "label", "Whole workforce"),
                     id="duplicate benchmark by default"),
    ],
)
def test_refs_and_defaulted_unique_keys_are_checked(
    engine: Engine, full_document: Callable[..., Document], snapshot: Callable[[], Rows],
    mutate: Callable[[Document], Any],
) -> None:
    document = mutate(full_document())
    before = snapshot()

    with pytest.raises(DocumentError), write_session(engine) as session:
        insert_document(session, document)

    assert snapshot() == before


def test_an_empty_records_section_means_an_empty_plan(engine: Engine) -> None:
    plan_id = load(engine, {"format_version": FORMAT_VERSION, "plan": {"name": "Bare"}, "records": {}})

    exported = export(engine, plan_id)

    assert exported["plan"]["name"] == "Bare"
    assert all(records == [] for records in exported["records"].values())


def test_unknown_fields_in_a_record_are_ignored(engine: Engine, full_document: Callable[..., Document]) -> None:
    document = full_document()
    document["records"]["context_item"][0]["colour"] = "red"

    exported = export(engine, load(engine, document))

    assert "colour" not in exported["records"]["context_item"][0]


# --- property: random documents built from valid pieces round-trip -------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
NAME = TEXT.filter(lambda s: s.strip() != "")
ELEMENT_KEYS = [e["key"] for e in framework_document()["records"]["cultural_element"]]
SMALL_INT = st.integers(min_value=-(2**31), max_value=2**31 - 1)

context_items = st.lists(
    st.fixed_dictionaries({
        "category": NAME, "title": NAME, "detail": TEXT, "priority": st.sampled_from(["high", "medium", "low"]),
        "element_keys": st.lists(st.sampled_from(ELEMENT_KEYS), unique=True, max_size=3), "position": SMALL_INT,
    }),
    max_size=5,
)
tiers = st.lists(
    st.fixed_dictionaries({"name": NAME, "description": TEXT, "position": SMALL_INT}), min_size=1, max_size=4
)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    records: dict[str, list[dict[str, Any]]] = {}
    for table, rows in (("context_item", draw(context_items)), ("leadership_tier", draw(tiers))):
        records[table] = [{"ref": f"{table}-{n}", **row} for n, row in enumerate(rows, start=1)]
    for n, tier in enumerate(records["leadership_tier"], start=1):
        tier["key"] = f"tier_{n}"
    records["workforce_aggregate"] = [
        {"ref": f"workforce_aggregate-{n}", "tier_id": tier["ref"], "dimension": "gender",
         "category": draw(NAME), "count": draw(st.integers(0, 100_000))}
        for n, tier in enumerate(records["leadership_tier"], start=1)
    ]
    plan = {"name": draw(NAME), "description": draw(TEXT), "archived": draw(st.booleans()),
            "horizon_start": draw(st.none() | st.dates().map(str))}
    return {"format_version": FORMAT_VERSION, "plan": plan, "records": records}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=documents())
def test_random_documents_round_trip(engine: Engine, document: Document) -> None:
    first, second = round_trip(engine, document)

    assert first == second
    assert first["plan"]["name"] == document["plan"]["name"]
    titles = [(r["title"], r["priority"], r["element_keys"]) for r in first["records"]["context_item"]]
    assert titles == [(r["title"], r["priority"], r["element_keys"]) for r in document["records"]["context_item"]]
    assert [r["name"] for r in first["records"]["leadership_tier"]] == [
        r["name"] for r in document["records"]["leadership_tier"]]
    assert [r["count"] for r in first["records"]["workforce_aggregate"]] == [
        r["count"] for r in document["records"]["workforce_aggregate"]]


# --- fuzz: any single field set to any JSON value is either refused cleanly or round-trips ------

JSON_VALUES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12) | st.lists(
    st.text(max_size=5), max_size=2) | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_changed_field_is_refused_cleanly_or_round_trips(
    engine: Engine, full_document: Callable[..., Document], snapshot: Callable[[], Rows], data: st.DataObject
) -> None:
    document = full_document()
    table = data.draw(st.sampled_from(["plan", *TABLES]), label="table")
    target = document["plan"] if table == "plan" else data.draw(st.sampled_from(document["records"][table]))
    field = data.draw(st.sampled_from(sorted(set(target) - {"ref"})), label="field")
    target[field] = data.draw(JSON_VALUES, label="value")
    before = snapshot()

    try:
        plan_id = load(engine, document)
    except DocumentError:
        assert snapshot() == before
        return

    first = export(engine, plan_id)
    assert export(engine, load(engine, first)) == first
