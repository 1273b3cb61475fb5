"""The culture page (rounds, link, live results) and the vote page reached through a participant link."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from planner import culture, sharing
from planner import models as m
from planner.access import owner
from planner.db import make_engine, read_session, write_session
from planner.ui.culture_views import COMMENTS_OPEN
from planner.ui.navigation import page_file

from .conftest import APP, AppDb, FigureShown, figures, open_panel, open_tab, shown_charts


def _open_round(app_db: AppDb, plan_id: int, status: str = "open") -> tuple[int, str]:
    with write_session(make_engine(app_db.url)) as session:
        round_id = culture.create_round(session, owner(), plan_id, "Board workshop", date(2026, 11, 25))
        link = sharing.create_link(
            session,
            owner(),
            plan_id,
            "participant",
            label="Workshop",
            round_id=round_id,
            base_url="http://localhost:8501",
        )
        if status == "closed":
            culture.set_round_status(session, owner(), plan_id, round_id, 1, "closed")
    return round_id, link.token


def _participant(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["token"] = token
    return at.run()


def _vote(at: AppTest, group: str, score: int) -> AppTest:
    at.radio[0].set_value(group)
    for radio in at.radio[1:]:
        radio.set_value(score)
    return at.button[0].click().run()


def _responses(app_db: AppDb, round_id: int) -> list[tuple[str, float]]:
    with read_session(make_engine(app_db.url)) as session:
        query = (
            select(m.SurveyResponse.group_key, func.avg(m.SurveyRating.score))
            .join(m.SurveyRating)
            .where(m.SurveyResponse.round_id == round_id)
            .group_by(m.SurveyResponse.id)
        )
        return [(group, float(mean)) for group, mean in session.execute(query)]


def test_demo_culture_page_shows_live_results(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("culture", demo_id)

    assert not at.exception
    assert figures(at)[0] == FigureShown("Responses", "55")
    assert [chart.title for chart in shown_charts(at)][:1] == ["Ratings by cultural element"], "no element profile"


def test_comments_show_only_on_request(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("culture", demo_id)

    [heading] = [header.value for header in at.subheader if header.value.startswith("Comments (")]
    count = int(heading.removeprefix("Comments (").removesuffix(")"))
    assert count > 0 and "Show the comments" in [panel.label for panel in at.expander]
    assert not at.dataframe, "closed, the comments are neither built nor sent"

    at = open_panel(at, COMMENTS_OPEN)
    assert not at.exception
    [comments] = [frame.value for frame in at.dataframe]
    assert list(comments.columns) == ["Comment", "Group", "Element"] and len(comments) == count
    assert comments["Comment"].str.len().gt(0).all()


def test_opening_a_round_shows_its_participant_link_and_qr_code(app_db: AppDb) -> None:
    at = app_db.app("culture", app_db.blank_id)
    assert any("No ratings yet" in i.value for i in at.info)

    at.text_input[0].set_value("March workshop")
    at.button[0].click().run()
    assert not at.exception

    at = open_tab(at, "culture", "Rounds and participant link")
    assert not at.exception
    assert any("?token=" in c.value for c in at.code)
    assert at.get("image"), "the QR code image is missing"


def test_participant_link_opens_only_the_vote_page(app_db: AppDb) -> None:
    _round_id, token = _open_round(app_db, app_db.blank_id)

    at = _participant(token)

    assert not at.exception
    assert at.title[0].value == "Have your say"
    assert "Board workshop" in [s.value for s in at.subheader]
    with pytest.raises(ValueError, match="registered"):
        at.switch_page(page_file("context"))


def test_a_participant_votes_and_revises(app_db: AppDb) -> None:
    round_id, token = _open_round(app_db, app_db.blank_id)
    at = _participant(token)

    _vote(at, "front_line", 2)
    assert any("answers are recorded" in s.value for s in at.success)
    _vote(at, "front_line", 4)

    assert _responses(app_db, round_id) == [("front_line", 4.0)]


def test_a_second_browser_is_a_second_participant(app_db: AppDb) -> None:
    round_id, token = _open_round(app_db, app_db.blank_id)

    _vote(_participant(token), "board", 5)
    _vote(_participant(token), "manager", 1)

    assert sorted(_responses(app_db, round_id)) == [("board", 5.0), ("manager", 1.0)]


def test_a_closed_round_refuses_votes(app_db: AppDb) -> None:
    _round_id, token = _open_round(app_db, app_db.blank_id, status="closed")

    at = _participant(token)

    assert any("round has closed" in w.value for w in at.warning)
    assert not at.radio


def test_a_revoked_link_is_refused(app_db: AppDb) -> None:
    _round_id, token = _open_round(app_db, app_db.blank_id)
    with write_session(make_engine(app_db.url)) as session:
        link_id = session.execute(select(m.ShareLink.id)).scalars().first()
        sharing.revoke_link(session, owner(), app_db.blank_id, link_id)

    at = _participant(token)

    assert any("revoked" in e.value for e in at.error)
    assert not at.radio


def _import_form(app_db: AppDb, name: str, csv: bytes | None) -> AppTest:
    _open_round(app_db, app_db.blank_id)  # the import tab shows once the plan has a round
    at = open_tab(app_db.app("culture", app_db.blank_id), "culture", "Import results")
    at.text_input(key="import_round_name").set_value(name)
    if csv is not None:
        at.file_uploader[0].upload("survey.csv", csv, "text/csv")
    return next(b for b in at.button if b.label == "Import as a round").click().run()


def _rounds(app_db: AppDb) -> dict[str, int]:
    with read_session(make_engine(app_db.url)) as session:
        query = (
            select(m.SurveyRound.name, func.count(m.SurveyTally.id))
            .outerjoin(m.SurveyTally)
            .where(m.SurveyRound.plan_id == app_db.blank_id)
            .group_by(m.SurveyRound.id)
        )
        return dict(session.execute(query).all())


def test_the_import_form_brings_survey_results_in_as_a_round(app_db: AppDb) -> None:
    csv = "element,group,score,count\r\nvision,front_line,2,30\r\nVision,Board,4,6\r\n".encode("utf-8-sig")

    at = _import_form(app_db, "Staff survey 2025", csv)

    assert not at.exception
    assert any("Imported “Staff survey 2025”" in s.value for s in at.success)
    assert _rounds(app_db) == {"Board workshop": 0, "Staff survey 2025": 2}


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        (None, "Choose a CSV file"),
        (b"", "empty"),
        (b"element,group,score,count\nvision,front_line,7,3\n", "Row 2, column 'score'"),
    ],
)
def test_the_import_form_refuses_bad_files_and_records_nothing(app_db: AppDb, csv: bytes | None, message: str) -> None:
    at = _import_form(app_db, "Broken survey", csv)

    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert _rounds(app_db) == {"Board workshop": 0}
