"""Exports: the JSON plan file (workforce list, anonymity, round trip) and the documents (PDF, PPTX, XLSX, Markdown)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader
from sqlalchemy import Engine

from planner import context, culture, export, plans
from planner.access import Access, PermissionDenied, Role, owner
from planner.culture import WITHHELD
from planner.db import read_session, write_session
from planner.document import insert_document

from .test_cli import assert_one_line_error, run
from .test_cli_share import database  # noqa: F401 - the fixture, shared
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


# --- Board pack, slides, workbook and Markdown (issue 7) ----------------------------------------

FORMULA = '=HYPERLINK("http://x")'
RISKY = (FORMULA, "+SUM(A1:A9)", "-2+3", "@cmd")


def _demo(engine: Engine, demo_document: dict) -> int:
    with write_session(engine) as session:
        return insert_document(session, demo_document)


def _built(engine: Engine, plan_id: int, fmt: str, progress: export.Progress | None = None) -> bytes:
    with read_session(engine) as session:
        return export.export_bytes(session, owner(), plan_id, fmt, progress)


def _pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _slides(data: bytes) -> list[tuple[str, int, str]]:
    """Per slide: its title, its number of pictures and all its text (text boxes and table cells)."""
    found = []
    for slide in Presentation(io.BytesIO(data)).slides:
        pictures = sum(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes)
        found.append((slide.shapes.title.text if slide.shapes.title else "", pictures, _slide_text(slide)))
    return found


def _slide_text(slide: Any) -> str:
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if getattr(shape, "has_table", False):
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(texts)


def _cells(data: bytes) -> dict[str, list[list[Any]]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in book}


def test_pdf_board_pack_has_the_plan_name_every_phase_heading_and_page_numbers(
    engine: Engine, demo_document: dict
) -> None:
    plan_id = _demo(engine, demo_document)
    seen: list[float] = []

    data = _built(engine, plan_id, "pdf", lambda fraction, _message: seen.append(fraction))

    pages = _pdf_text(data)
    lines = {line.strip() for page in pages for line in page.splitlines()}
    assert data.startswith(b"%PDF")
    assert demo_document["plan"]["name"] in " ".join(pages[0].split())
    assert set(export.HEADINGS) <= lines
    assert export.HEADINGS == ("Summary", "Discovery", "Design", "Development")
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "plan version 0" in pages[-1]
    assert "Culture index" in pages[1] and "Five largest capability gaps" in pages[1]
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 10


def test_pdf_images_are_the_charts_of_each_phase(engine: Engine, demo_document: dict) -> None:
    plan_id = _demo(engine, demo_document)
    with read_session(engine) as session:
        found = export.contents(session, owner(), plan_id)

    reader = PdfReader(io.BytesIO(export.document_bytes(found, "pdf")))

    figures = {section.heading: len(section.figures) for section in found.sections}
    assert figures["Discovery"] >= 4 and figures["Design"] >= 1 and figures["Development"] >= 1
    assert sum(len(page.images) for page in reader.pages) == len(found.figures)


def test_pptx_has_title_summary_and_phase_slides_with_pictures(engine: Engine, demo_document: dict) -> None:
    plan_id = _demo(engine, demo_document)

    slides = _slides(_built(engine, plan_id, "pptx"))

    titles = [title for title, _pictures, _text in slides]
    assert titles[:2] == [demo_document["plan"]["name"], "Summary"]
    assert "Culture index" in slides[1][2]
    for phase in ("Discovery", "Design", "Development"):
        own = [(title, pictures) for title, pictures, _text in slides if title.startswith(f"{phase}: ")]
        assert any(pictures for _title, pictures in own), phase
    for title in ("Discovery: Ratings by cultural element", "Design: Coverage of priorities by means"):
        assert {t: p for t, p, _ in slides}[title] == 1
    assert "Development: Roadmap" in titles and "Design: Priorities" in titles


def _risky_items(engine: Engine, plan_id: int) -> None:
    with write_session(engine) as session:
        for title in RISKY:
            context.add_item(session, owner(), plan_id, category="strategy", title=title, detail=title)


def test_xlsx_sheets_have_frozen_bold_headers_typed_values_and_no_formulas(engine: Engine, demo_document: dict) -> None:
    plan_id = _demo(engine, demo_document)
    _risky_items(engine, plan_id)

    data = _built(engine, plan_id, "xlsx")

    book = load_workbook(io.BytesIO(data))
    expected = {"Plan", "Summary", "Context", "Culture", "Capability gaps", "Workforce", "WRES", "Priorities"}
    assert expected | {"Objectives", "Means", "Initiatives", "Check-ins", "Traceability", "Budget by year"} <= set(
        book.sheetnames
    )
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title
        assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets)
    titles = [row[1] for row in _cells(data)["Context"][1:]]
    assert "'" + FORMULA in titles and all("'" + text in titles for text in RISKY)
    assert book["Context"].cell(row=titles.index("'" + FORMULA) + 2, column=2).data_type == "s"


@pytest.mark.parametrize(
    ("text", "written"),
    [(FORMULA, "'" + FORMULA), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\r=1", "'\r=1"),
     ("Plain = text", "Plain = text"), ("'quoted", "'quoted"), ("bell\x07", "bell")],
)  # fmt: skip
def test_spreadsheet_text_quotes_what_would_start_a_formula(text: str, written: str) -> None:
    assert export.spreadsheet_text(text) == written


def test_xlsx_values_are_typed(engine: Engine, demo_document: dict) -> None:
    plan_id = _demo(engine, demo_document)

    sheets = _cells(_built(engine, plan_id, "xlsx"))

    gaps = sheets["Capability gaps"]
    assert gaps[0][:3] == ["Rank", "Capability", "Kind"]
    assert all(isinstance(row[0], int) and isinstance(row[4], float) for row in gaps[1:])
    culture_rows = sheets["Culture"][1:]
    assert culture_rows and all(isinstance(row[1], datetime) and isinstance(row[3], float) for row in culture_rows)
    initiatives = sheets["Initiatives"]
    budget, start = initiatives[0].index("Budget"), initiatives[0].index("Start")
    assert all(isinstance(row[budget], int) and isinstance(row[start], datetime) for row in initiatives[1:])
    plan = dict(sheets["Plan"][1:])
    assert plan["Name"] == demo_document["plan"]["name"] and plan["Plan version"] == 0


def test_markdown_has_a_heading_per_phase_tables_and_literal_user_text(engine: Engine, demo_document: dict) -> None:
    plan_id = _demo(engine, demo_document)
    with write_session(engine) as session:
        context.add_item(session, owner(), plan_id, category="strategy", title="A | B *not bold* <b>x</b>")

    text = _built(engine, plan_id, "md").decode("utf-8")

    lines = text.splitlines()
    assert lines[0] == f"# {demo_document['plan']['name']}"
    assert [line for line in lines if line.startswith("## ")] == [f"## {h}" for h in export.HEADINGS]
    assert "### Capability gaps" in lines and "### Initiatives" in lines
    assert any(line.startswith("| Rank | Capability | Kind |") for line in lines)
    assert any(line.startswith("| --- | --- |") for line in lines)
    assert r"A \| B \*not bold\* \<b\>x\</b\>" in text and "<b>" not in text


def _small_group_plan(engine: Engine, plan_id: int) -> None:
    """Managers 7 are shown; partners 2 are too few and front-line 6 is withheld with them."""
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "manager", 7, value=4)
    votes(engine, plan_id, round_id, "front_line", 6, value=3)
    votes(engine, plan_id, round_id, "partner", 2, value=1, comment="Partners feel unheard")


def _all_text(fmt: str, data: bytes) -> str:
    if fmt == "pdf":
        return "\n".join(_pdf_text(data))
    if fmt == "pptx":
        return "\n".join(text for _title, _pictures, text in _slides(data))
    if fmt == "xlsx":
        return "\n".join(str(value) for rows in _cells(data).values() for row in rows for value in row)
    return data.decode("utf-8")


@pytest.mark.parametrize("fmt", ["xlsx", "md", "pdf", "pptx"])
def test_no_document_names_or_shows_a_withheld_group(engine: Engine, plan_id: int, fmt: str) -> None:
    _small_group_plan(engine, plan_id)

    text = _all_text(fmt, _built(engine, plan_id, fmt))

    assert "Partner organisation" not in text and "Front-line staff" not in text
    assert "Partners feel unheard" not in text  # comments are per-response data: never in a document
    assert "Manager" in text and "Another group (withheld)" in text


def test_the_workbook_reports_only_shown_groups_and_the_withheld_total(engine: Engine, plan_id: int) -> None:
    _small_group_plan(engine, plan_id)

    sheets = _cells(_built(engine, plan_id, "xlsx"))

    assert [row[1:] for row in sheets["Culture groups"][1:]] == [["Manager", 7], ["Another group (withheld)", 8]]
    assert {row[2] for row in sheets["Culture by group"][1:]} == {"Manager"}
    assert {row[3] for row in sheets["Culture by group"][1:]} == {4.0}
    assert [row[3] for row in sheets["Culture"][1:]] == [pytest.approx((7 * 4 + 6 * 3 + 2 * 1) / 15)] * 7


def test_a_round_of_fewer_than_five_is_not_reported_in_any_document(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "manager", 4, value=5)

    workbook = _cells(_built(engine, plan_id, "xlsx"))
    markdown = _built(engine, plan_id, "md").decode("utf-8")

    assert workbook["Culture"][1:] == [] and workbook["Culture groups"][1:] == []
    assert "Spring workshop" not in markdown and "5.00" not in markdown
    assert "No survey round has 5 or more responses yet." in markdown


def test_an_empty_plan_exports_in_every_format(engine: Engine, plan_id: int) -> None:
    for fmt in export.FORMATS:
        assert len(_built(engine, plan_id, fmt)) > 500, fmt


def test_another_plans_viewer_cannot_build_a_document(engine: Engine, make_plan) -> None:
    mine, theirs = make_plan(name="Mine"), make_plan(name="Theirs")

    with read_session(engine) as session, pytest.raises(PermissionDenied):
        export.pdf_bytes(session, Access(Role.VIEWER, plan_id=theirs), mine)


def test_a_viewer_can_build_every_document(engine: Engine, plan_id: int) -> None:
    with read_session(engine) as session:
        data = export.markdown_text(session, Access(Role.VIEWER, plan_id=plan_id), plan_id)
    assert data.startswith("# Test plan")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Northshire Health leadership strategy 2026–2029", "northshire-health-leadership-strategy-2026-2029"),
        ("Ça va? / Plan #2", "ca-va-plan-2"),
        ("***", "plan"),
    ],
)
def test_file_names_are_slugs_with_the_date(name: str, expected: str) -> None:
    assert export.file_name(name, "pdf", date(2026, 11, 26)) == f"{expected}-2026-11-26.pdf"


def test_user_text_in_the_pdf_is_text_not_markup(engine: Engine, plan_id: int) -> None:
    with write_session(engine) as session:
        context.add_item(session, owner(), plan_id, category="strategy", title="**bold** <b>tag</b> {nb}")

    text = "\n".join(_pdf_text(_built(engine, plan_id, "pdf")))

    assert "**bold** <b>tag</b> {nb}" in text


def test_without_a_unicode_font_the_pdf_falls_back_to_latin_1(
    engine: Engine, plan_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "FONT_FILES", ())
    with write_session(engine) as session:
        context.add_item(session, owner(), plan_id, category="strategy", title="Café “quoted” – Ωmega → 漢字")

    text = "\n".join(_pdf_text(_built(engine, plan_id, "pdf")))

    assert 'Café "quoted" - ?mega -> ??' in text


# --- Command line ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xlsx", "pdf", "pptx", "md"])
def test_the_command_line_writes_each_format(
    database: Engine,  # noqa: F811 - the shared fixture
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
) -> None:
    with write_session(database) as session:
        plan = plans.create_plan(session, owner(), name="Exported plan")
    folder = tmp_path / "out"  # the database lives in tmp_path
    folder.mkdir()
    target = folder / f"plan.{fmt}"

    status, out, err = run(capsys, "export", str(plan), "--format", fmt, "-o", str(target))

    assert (status, err) == (0, ""), err
    assert out == f"Plan {plan} written to {target} ({fmt}).\n"
    assert target.stat().st_size > 500
    assert [p.name for p in folder.iterdir()] == [target.name]  # no partial file left beside it


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "pptx", "md"])
def test_the_command_line_refuses_a_missing_plan_and_writes_nothing(
    database: Engine,  # noqa: F811 - the shared fixture
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()

    err = assert_one_line_error(*run(capsys, "export", "999", "--format", fmt, "-o", str(folder / f"x.{fmt}")))

    assert "999" in err
    assert list(folder.iterdir()) == []


def test_the_command_line_offers_exactly_the_export_formats() -> None:
    from planner.cli import EXPORT_FORMATS

    assert EXPORT_FORMATS == export.FORMATS
