"""`python -m planner import-workforce` and `export`: the workforce list in the plan file; errors write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from planner import plans
from planner.access import owner
from planner.db import write_session

from .test_cli import assert_one_line_error, run
from .test_cli_share import database  # noqa: F401 - the fixture, shared

PEOPLE = """\ufeffEmployee Number,Full Name,Pay Band,Tier,Staff Group,Gender,Ethnic Origin,Disability,Age Band
1001,Ada Quimby-Lark,Band 8 - Range C,,Medical and Dental,Female,H Asian or Asian British - Indian,No,45-54
1002,Bo Zephyrine,VSM,,Administrative and Clerical,Male,A White - British,No,55-64
1003,Cy Wrenfold,,Board,Administrative and Clerical,Female,N Black or Black British - African,Yes,55-64
1004,Di Ottoline,Band 7,,Nursing and Midwifery Registered,Female,Z Not Stated,No,35-44
1005,Ed Marchbank,Band 5,,Nursing and Midwifery Registered,Male,A White - British,No,25-34
"""


@pytest.fixture
def plan(database: Engine) -> int:  # noqa: F811 - uses the shared fixture
    with write_session(database) as session:
        return plans.create_plan(session, owner(), name="Workforce plan")


def _export(capsys: pytest.CaptureFixture[str], plan: int, path: Path) -> dict:
    status, _out, err = run(capsys, "export", str(plan), "--format", "json", "-o", str(path))
    assert (status, err) == (0, ""), err
    return json.loads(path.read_text(encoding="utf-8"))


def _workforce(document: dict) -> dict[tuple[str, str, str], int]:
    return {(row["tier"], row["dimension"], row["category"]): row["count"] for row in document["workforce"]}


def test_import_then_export_carries_the_workforce_list(
    database: Engine, plan: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    source = tmp_path / "esr.csv"
    source.write_text(PEOPLE, encoding="utf-8")

    status, out, err = run(capsys, "import-workforce", str(plan), str(source))
    counts = _workforce(_export(capsys, plan, tmp_path / "plan.json"))

    assert (status, err) == (0, "")
    assert "5 rows read" in out
    assert counts[("Board", "ethnicity", "BME")] == 1
    assert counts[("Senior", "ethnicity", "BME")] == 1
    assert counts[("Executive", "ethnicity", "White")] == 1
    assert counts[("First-line", "ethnicity", "Not stated")] == 1
    assert counts[("Whole workforce", "ethnicity", "BME")] == 2
    assert sum(n for (tier, dim, _), n in counts.items() if tier == "Whole workforce" and dim == "gender") == 5
    assert counts[("Senior", "staff_group", "Medical and dental")] == 1
    assert {dim for _, dim, _ in counts} >= {"gender", "ethnicity", "disability", "age_band", "staff_group"}
    stored = Path(database.url.database)
    files = [tmp_path / "plan.json", *stored.parent.glob(stored.name + "*")]  # the database, its WAL and journal
    text = "".join(path.read_bytes().decode("latin-1") for path in files)
    assert "Quimby" not in text and "Zephyrine" not in text and "Ada " not in text


def test_export_round_trips_through_the_plan_document(
    database: Engine, plan: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    first = _export(capsys, plan, tmp_path / "a.json")
    again = _export(capsys, plan, tmp_path / "b.json")

    assert first == again
    assert first["format_version"] == 1 and isinstance(first["workforce"], list)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("Name,Gender\nAda,Female\n", "band"),
        ("tier,dimension,category,count\nBoard,gender,Female,many\n", "Row 2"),
    ],
)
def test_a_bad_file_changes_nothing(
    database: Engine, plan: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str  # noqa: F811
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(PEOPLE, encoding="utf-8")
    run(capsys, "import-workforce", str(plan), str(good))
    before = _export(capsys, plan, tmp_path / "before.json")["workforce"]
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")

    err = assert_one_line_error(*run(capsys, "import-workforce", str(plan), str(bad)))

    assert message.lower() in err.lower()
    assert _export(capsys, plan, tmp_path / "after.json")["workforce"] == before


def test_export_of_a_missing_plan_is_a_one_line_error_and_every_format_is_available(
    database: Engine, plan: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    missing = assert_one_line_error(*run(capsys, "export", "999", "--format", "json", "-o", str(tmp_path / "x.json")))
    status, _out, err = run(capsys, "export", str(plan), "--format", "pdf", "-o", str(tmp_path / "x.pdf"))
    unknown = run(capsys, "export", str(plan), "--format", "docx", "-o", str(tmp_path / "x.docx"))

    assert "999" in missing
    assert not (tmp_path / "x.json").exists()
    assert (status, err) == (0, "") and (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")
    assert unknown[0] == 2 and "invalid choice" in unknown[2] and not (tmp_path / "x.docx").exists()
