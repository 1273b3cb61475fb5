"""`python -m planner`: exit codes, output, and one-line errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from planner.cli import main
from planner.db import make_engine
from planner.migration import head_revision
from planner.settings import PROJECT_ROOT

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/x"
COMMANDS = ["migrate", "demo", "plans", "check"]


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite file as PLANNER_DATABASE_URL, in local mode."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    monkeypatch.delenv("PLANNER_MODE", raising=False)
    monkeypatch.delenv("PLANNER_ADMIN_TOKEN", raising=False)
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status: int, out: str, err: str) -> str:
    assert status == 2
    assert out == ""
    assert err.startswith("error: ")
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "Traceback" not in err
    return err


def test_migrate_then_check(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    migrated = run(capsys, "migrate")
    checked = run(capsys, "check")

    assert migrated[0] == 0
    assert f"schema {head_revision()}" in migrated[1]
    assert checked[0] == 0
    assert checked[1].startswith("ok")
    assert "0 plan(s)" in checked[1]
    assert checked[2] == ""


def test_migrate_twice_adds_the_library_once(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = run(capsys, "migrate"), run(capsys, "migrate")

    assert (first[0], second[0]) == (0, 0)
    assert "; 0 library interventions added" not in first[1]
    assert "; 0 library interventions added" in second[1]


def test_check_before_migrate_fails_and_creates_no_file(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    err = assert_one_line_error(*run(capsys, "check"))

    assert "no database at" in err
    assert "python -m planner migrate" in err
    assert not Path(database_url.removeprefix("sqlite:///")).exists()


def test_check_of_an_empty_database_says_schema_is_empty(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sqlite3.connect(database_url.removeprefix("sqlite:///")).close()

    err = assert_one_line_error(*run(capsys, "check"))

    assert "schema is empty" in err


def test_demo_twice_prints_the_same_id_and_plans_lists_it(
    database_url: str, capsys: pytest.CaptureFixture[str], demo_document: dict[str, Any]
) -> None:
    first, second = run(capsys, "demo"), run(capsys, "demo")
    status, out, _ = run(capsys, "plans")

    assert (first[0], second[0], status) == (0, 0, 0)
    assert first[1].strip().isdigit()
    assert first[1] == second[1]
    [line] = out.splitlines()
    assert line.split("\t")[:2] == [first[1].strip(), demo_document["plan"]["name"]]
    assert line.endswith("revision 0")


def test_plans_of_an_empty_database(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "plans")  # migrates the embedded SQLite database by itself

    assert status == 0
    assert out.startswith("No plans yet")
    assert run(capsys, "check")[0] == 0


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unreachable_database_is_one_line(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLANNER_DATABASE_URL", UNREACHABLE)
    monkeypatch.delenv("PLANNER_MODE", raising=False)

    err = assert_one_line_error(*run(capsys, command))

    assert err.startswith("error: Cannot reach the database")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_newer_schema_is_one_line_and_untouched(
    command: str, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "migrate")[0] == 0
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))

    err = assert_one_line_error(*run(capsys, command))

    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "9999_future"
        assert connection.execute(text("SELECT count(*) FROM plan")).scalar_one() == 0
    engine.dispose()
    assert "9999_future" in err


def test_bad_settings_are_one_line(database_url: str, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANNER_MODE", "public")

    err = assert_one_line_error(*run(capsys, "check"))

    assert "PLANNER_MODE" in err


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "postgres://postgres@127.0.0.1:5432/test",  # Heroku-style scheme SQLAlchemy does not know
        "mysql://user@127.0.0.1/planner",  # a driver that is not installed (was a traceback: a bug, now fixed)
    ],
)
def test_an_unusable_database_url_is_one_line(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    monkeypatch.delenv("PLANNER_MODE", raising=False)

    assert_one_line_error(*run(capsys, "check"))


def test_a_database_folder_that_cannot_be_made_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'a-file' / 'planner.db'}")

    assert_one_line_error(*run(capsys, "migrate"))


def test_a_file_that_is_not_a_database_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not an SQLite database, just text " * 100)
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{garbage}")

    assert_one_line_error(*run(capsys, "check"))
    assert garbage.read_bytes().startswith(b"this is not an SQLite database")


def test_an_unknown_command_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    err = assert_one_line_error(main(["frobnicate"]), *capsys.readouterr())

    assert "invalid choice" in err


# --- the real entry point --------------------------------------------------------------------


def python_m_planner(*argv: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER_")} | {"PLANNER_DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "planner", *argv], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_python_m_planner_check(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "migrate")[0] == 0

    result = python_m_planner("check", database_url=database_url)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("ok")
