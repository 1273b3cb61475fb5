"""`python -m planner share create|list|revoke`: output, and one-line errors that write nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from planner import models as m
from planner import plans, records, sharing
from planner.access import Role, owner
from planner.db import make_engine, read_session, write_session
from planner.sharing import LinkRefused

from .test_cli import assert_one_line_error, run

PUBLIC_URL = "https://planner.example.nhs.uk"


@pytest.fixture
def database(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A migrated SQLite file as PLANNER_DATABASE_URL (local mode), and an engine on it for checks."""
    path = tmp_path / "cli.db"
    shutil.copyfile(sqlite_template, path)
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("PLANNER_PUBLIC_URL", PUBLIC_URL + "/")
    monkeypatch.delenv("PLANNER_MODE", raising=False)
    monkeypatch.delenv("PLANNER_ADMIN_TOKEN", raising=False)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def plan(database: Engine) -> int:
    with write_session(database) as session:
        return plans.create_plan(session, owner(), name="Shared plan")


def _links(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(m.ShareLink)).scalar_one()


def _token(url: str) -> str:
    return url.strip().split("?token=", 1)[1]


def test_create_prints_one_working_link(database: Engine, plan: int, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "share", "create", str(plan), "--role", "viewer", "--label", "Board", "--expires",
                           "14d")

    assert (status, err) == (0, "")
    assert out.count("\n") == 1
    assert out.startswith(f"{PUBLIC_URL}/?token=")
    with write_session(database) as session:
        access = sharing.resolve_token(session, _token(out))
    assert (access.role, access.plan_id, access.actor) == (Role.VIEWER, plan, "Board")


def test_list_shows_each_link_on_one_tab_separated_line(
    database: Engine, plan: int, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "share", "create", str(plan), "--role", "editor", "--label", "Finance director", "--expires", "2w")
    run(capsys, "share", "create", str(plan), "--role", "viewer")

    status, out, _ = run(capsys, "share", "list", str(plan))

    first, second = (line.split("\t") for line in out.splitlines())
    assert status == 0
    assert first[1:4] == ["editor", "Finance director", "active"]
    assert first[4].endswith(" UTC") and first[5] == "never"
    assert second[1:] == ["viewer", "", "active", "never", "never"]
    assert "token" not in out


def test_revoke_then_list_shows_revoked(database: Engine, plan: int, capsys: pytest.CaptureFixture[str]) -> None:
    url = run(capsys, "share", "create", str(plan), "--role", "viewer")[1]
    [line] = run(capsys, "share", "list", str(plan))[1].splitlines()
    link_id = line.split("\t")[0]

    status, out, err = run(capsys, "share", "revoke", link_id)

    assert (status, err) == (0, "")
    assert f"Link {link_id} revoked" in out
    assert run(capsys, "share", "list", str(plan))[1].split("\t")[3] == "revoked"
    with pytest.raises(LinkRefused, match="revoked"), write_session(database) as session:
        sharing.resolve_token(session, _token(url))
    assert run(capsys, "share", "revoke", link_id)[0] == 0  # idempotent


def test_a_participant_link_for_a_round(database: Engine, plan: int, capsys: pytest.CaptureFixture[str]) -> None:
    with write_session(database) as session:
        round_id = records.add(session, owner(), m.SurveyRound, plan, {"name": "March workshop"})

    status, out, _ = run(capsys, "share", "create", str(plan), "--role", "participant", "--round", str(round_id))

    assert status == 0
    with write_session(database) as session:
        assert sharing.resolve_token(session, _token(out)).round_id == round_id


def test_list_of_a_plan_without_links(database: Engine, plan: int, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "share", "list", str(plan))

    assert status == 0
    assert out.startswith(f"No share links for plan {plan}")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["share"], "required: {create,list,revoke}"),
        (["share", "frobnicate"], "invalid choice"),
        (["share", "create", "{plan}", "--role", "owner"], "argument --role: invalid choice: 'owner'"),
        (["share", "create", "{plan}"], "--role"),
        (["share", "create", "{plan}", "--role", "participant"], "a participant link needs --round"),
        (["share", "create", "{plan}", "--role", "viewer", "--expires", "14x"], "argument --expires: An expiry"),
        (["share", "create", "{plan}", "--role", "viewer", "--expires", "0d"], "argument --expires"),
        (["share", "create", "{plan}", "--role", "viewer", "--expires", "9999w"], "at most five years"),
        (["share", "create", "{plan}", "--role", "viewer", "--round", "1"], "Only a participant link"),
        (["share", "create", "{plan}", "--role", "participant", "--round", "999"], "round 999 is not part"),
        (["share", "create", "999", "--role", "viewer"], "There is no plan 999"),
        (["share", "create", "x", "--role", "viewer"], "argument plan: invalid int value"),
        (["share", "list", "999"], "There is no plan 999"),
        (["share", "revoke", "999"], "There is no share link 999"),
        (["share", "revoke"], "required: ID"),
    ],
)
def test_bad_share_commands_are_one_line_and_write_nothing(
    argv: list[str], message: str, database: Engine, plan: int, capsys: pytest.CaptureFixture[str]
) -> None:
    err = assert_one_line_error(*run(capsys, *(arg.format(plan=plan) for arg in argv)))

    assert message in err
    assert _links(database) == 0


def test_share_help_lists_the_actions(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "share", "--help")

    assert status == 0
    assert all(action in out for action in ("create", "list", "revoke"))
