"""Culture diagnostic: rounds, anonymous votes with revision, anonymity threshold, results, import, access."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func
from sqlmodel import select

from planner import culture, records
from planner import models as m
from planner.access import Access, PermissionDenied, Role, owner
from planner.culture import MIN_GROUP, RoundClosed
from planner.db import Conflict, read_session, write_session
from planner.validation import InvalidInput

KEYS = ["vision", "objectives", "people", "voice", "learning", "teams", "equity"]
GOOD_CSV = "element,group,score,count\nvision,board,4,3\n"


def new_round(engine: Engine, plan_id: int, name: str = "Spring workshop", held_on: date | None = None) -> int:
    with write_session(engine) as session:
        return culture.create_round(session, owner(), plan_id, name, held_on or date(2026, 3, 1))


def participant(plan_id: int, round_id: int | None) -> Access:
    return Access(Role.PARTICIPANT, plan_id=plan_id, actor="participant link", round_id=round_id)


def scores(value: int = 3, **overrides: Any) -> dict[str, Any]:
    return dict.fromkeys(KEYS, value) | overrides


def vote(
    engine: Engine,
    plan_id: int,
    round_id: int,
    key: str,
    group: str = "front_line",
    ratings: dict[str, Any] | None = None,
    comment: str = "",
) -> int:
    with write_session(engine) as session:
        access = participant(plan_id, round_id)
        return culture.submit_vote(session, access, round_id, key, group, ratings or scores(), comment)


def votes(
    engine: Engine, plan_id: int, round_id: int, group: str, many: int, value: int = 3, comment: str = ""
) -> None:
    for n in range(many):
        vote(engine, plan_id, round_id, f"{group}-{n}-{value}", group, scores(value), comment)


def results(engine: Engine, plan_id: int, round_id: int) -> culture.CultureResults:
    with read_session(engine) as session:
        return culture.results(session, owner(), plan_id, round_id)


def count(engine: Engine, model: type) -> int:
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def import_csv(engine: Engine, plan_id: int, text: str, name: str = "Staff survey 2025") -> int:
    with write_session(engine) as session:
        return culture.import_tallies(session, owner(), plan_id, name, date(2025, 11, 1), text)


def set_status(engine: Engine, plan_id: int, round_id: int, status: str) -> None:
    with write_session(engine) as session:
        version = session.get(m.SurveyRound, round_id).version
        culture.set_round_status(session, owner(), plan_id, round_id, version, status)


def mean_of(frame: Any, element: str, **where: str) -> float:
    rows = frame[frame["element_key"] == element]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1
    return float(rows["mean"].iloc[0])


# --- Rounds ---------------------------------------------------------------------------------


def test_rounds_list_oldest_first_with_previous_and_responses(engine: Engine, plan_id: int) -> None:
    june = new_round(engine, plan_id, "June", date(2026, 6, 1))
    january = new_round(engine, plan_id, "January", date(2026, 1, 1))
    vote(engine, plan_id, june, "k1")

    with read_session(engine) as session:
        rounds = culture.list_rounds(session, owner(), plan_id)

    assert [(r.name, r.status, r.responses, r.previous_round_id) for r in rounds] == [
        ("January", "open", 0, None),
        ("June", "open", 1, january),
    ]


def test_closing_a_round_is_versioned(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    with write_session(engine) as session:
        version = culture.set_round_status(session, owner(), plan_id, round_id, 1, "closed")

    with pytest.raises(Conflict), write_session(engine) as session:
        culture.set_round_status(session, owner(), plan_id, round_id, 1, "open")

    with read_session(engine) as session:
        assert (session.get(m.SurveyRound, round_id).status, version) == ("closed", 2)


def test_a_round_can_be_renamed_and_deleted_with_its_votes(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    vote(engine, plan_id, round_id, "key-a", comment="Gone with the round")
    with write_session(engine) as session:
        version = culture.update_round(session, owner(), plan_id, round_id, 1, "  Board away day ", date(2026, 5, 5))
        assert session.get(m.SurveyRound, round_id).name == "Board away day"

    with write_session(engine) as session:
        culture.delete_round(session, owner(), plan_id, round_id, version)

    counts = [count(engine, model) for model in (m.SurveyRound, m.SurveyResponse, m.SurveyRating, m.SurveyComment)]
    assert counts == [0, 0, 0, 0]


def test_unknown_status_is_refused(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)

    with pytest.raises(InvalidInput, match="open or closed"), write_session(engine) as session:
        culture.set_round_status(session, owner(), plan_id, round_id, 1, "paused")


def test_a_participant_link_votes_in_its_own_round(engine: Engine, plan_id: int) -> None:
    first, second = new_round(engine, plan_id, "First"), new_round(engine, plan_id, "Second")

    with read_session(engine) as session:
        own = culture.vote_round(session, participant(plan_id, first), plan_id)
        newest_open = culture.vote_round(session, participant(plan_id, None), plan_id)
        elements = culture.vote_elements(session, participant(plan_id, first), plan_id)

    assert (own.id, newest_open.id) == (first, second)
    assert [e.key for e in elements] == KEYS
    assert "Are all staff focused on achieving zero harm?" in elements[4].questions


# --- Votes ----------------------------------------------------------------------------------


def test_a_second_submission_with_the_same_key_revises_the_first(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    first = vote(engine, plan_id, round_id, "key-a", "board", scores(2), comment="First thought")

    second = vote(engine, plan_id, round_id, "key-a", "manager", scores(4, vision=5), comment="Second thought")

    assert second == first
    assert count(engine, m.SurveyResponse) == 1
    with read_session(engine) as session:
        mine = culture.my_vote(session, participant(plan_id, round_id), round_id, "key-a")
        comments = session.exec(select(m.SurveyComment.text, m.SurveyComment.group_key)).all()
    assert mine == {"group_key": "manager", "scores": scores(4, vision=5), "comment": "Second thought"}
    assert [tuple(c) for c in comments] == [("Second thought", "manager")]


def test_revising_with_an_empty_comment_removes_the_comment(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    vote(engine, plan_id, round_id, "key-a", comment="  Too busy to improve  ")

    vote(engine, plan_id, round_id, "key-a", comment="   ")

    assert count(engine, m.SurveyComment) == 0


def set_enabled(engine: Engine, plan_id: int, key: str, enabled: bool) -> None:
    with write_session(engine) as session:
        query = select(m.CulturalElement).where(m.CulturalElement.plan_id == plan_id, m.CulturalElement.key == key)
        element = session.exec(query).one()
        records.update(session, owner(), m.CulturalElement, element.id, element.version, {"enabled": enabled}, plan_id)


def test_a_revision_follows_the_elements_enabled_since_the_first_vote(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    set_enabled(engine, plan_id, "equity", False)
    vote(engine, plan_id, round_id, "key-a", ratings={k: 2 for k in KEYS if k != "equity"})
    set_enabled(engine, plan_id, "equity", True)
    vote(engine, plan_id, round_id, "key-a", ratings=scores(4))
    with read_session(engine) as session:
        after_enabling = culture.my_vote(session, participant(plan_id, round_id), round_id, "key-a")["scores"]

    set_enabled(engine, plan_id, "vision", False)
    vote(engine, plan_id, round_id, "key-a", ratings={k: 5 for k in KEYS if k != "vision"})

    with read_session(engine) as session:
        after_disabling = culture.my_vote(session, participant(plan_id, round_id), round_id, "key-a")["scores"]
    assert after_enabling == scores(4)
    assert after_disabling == {k: 5 for k in KEYS if k != "vision"}


def test_a_different_key_is_a_second_participant(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)

    vote(engine, plan_id, round_id, "key-a")
    vote(engine, plan_id, round_id, "key-b")

    assert count(engine, m.SurveyResponse) == 2
    assert count(engine, m.SurveyRating) == 2 * len(KEYS)
    with read_session(engine) as session:
        assert culture.my_vote(session, participant(plan_id, round_id), round_id, "key-c") is None


def test_simultaneous_submissions_with_one_key_make_one_response(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    start = threading.Barrier(6)

    def tap(value: int) -> None:
        start.wait()
        vote(engine, plan_id, round_id, "double-tapper", ratings=scores(value))

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(tap, [1, 2, 3, 4, 5, 5]))  # re-raises any thread's error

    assert (count(engine, m.SurveyResponse), count(engine, m.SurveyRating)) == (1, len(KEYS))


def test_a_vote_bumps_the_revision_and_is_audited_without_the_key(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    with read_session(engine) as session:
        revision = session.get(m.Plan, plan_id).revision

    response_id = vote(engine, plan_id, round_id, "secret-key")

    with read_session(engine) as session:
        event = session.exec(select(m.AuditEvent).where(m.AuditEvent.action == "survey_response.create")).one()
        assert session.get(m.Plan, plan_id).revision == revision + 1
    assert (event.actor, event.entity_id, event.after) == ("participant link", response_id, {"round_id": round_id})


def test_a_closed_round_rejects_votes_and_records_nothing(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any]
) -> None:
    round_id = new_round(engine, plan_id)
    set_status(engine, plan_id, round_id, "closed")
    before = snapshot()

    with pytest.raises(RoundClosed, match="This round has closed"):
        vote(engine, plan_id, round_id, "key-a")

    assert snapshot() == before


def test_a_revision_after_closing_is_rejected(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    vote(engine, plan_id, round_id, "key-a", ratings=scores(2))
    set_status(engine, plan_id, round_id, "closed")

    with pytest.raises(RoundClosed):
        vote(engine, plan_id, round_id, "key-a", ratings=scores(5))

    with read_session(engine) as session:
        assert set(session.exec(select(m.SurveyRating.score)).all()) == {2}


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        (scores(vision=0), "whole number from 1 to 5"),
        (scores(vision=6), "whole number from 1 to 5"),
        (scores(vision=-3), "whole number from 1 to 5"),
        (scores(vision=True), "whole number from 1 to 5"),
        (scores(vision=3.0), "whole number from 1 to 5"),
        (scores(vision="3"), "whole number from 1 to 5"),
        (scores(vision=None), "whole number from 1 to 5"),
        ({k: 3 for k in KEYS if k != "teams"}, "Still to rate: Effective team"),
        (scores(tea_breaks=4), "not elements of this survey: tea_breaks"),
        ({}, "Still to rate"),
    ],
    ids=["zero", "six", "negative", "bool", "float", "text", "none", "missing", "extra", "empty"],
)
def test_bad_scores_are_rejected_and_nothing_is_recorded(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], ratings: dict[str, Any], message: str
) -> None:
    round_id = new_round(engine, plan_id)
    before = snapshot()

    with pytest.raises(InvalidInput, match=message), write_session(engine) as session:
        culture.submit_vote(session, participant(plan_id, round_id), round_id, "key-a", "board", ratings)

    assert snapshot() == before


@pytest.mark.parametrize(
    ("group", "comment", "key", "message"),
    [
        ("janitors", "", "key-a", "choose your group"),
        ("", "", "key-a", "choose your group"),
        ("board", "x" * 1001, "key-a", "too long"),
        ("board", "", "   ", "no participant key"),
    ],
    ids=["unknown group", "no group", "long comment", "no key"],
)
def test_bad_group_comment_or_key_is_rejected(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], group: str, comment: str, key: str, message: str
) -> None:
    round_id = new_round(engine, plan_id)
    before = snapshot()

    with pytest.raises(InvalidInput, match=message):
        vote(engine, plan_id, round_id, key, group, scores(), comment)

    assert snapshot() == before


def test_only_the_hash_of_the_key_is_stored(engine: Engine, plan_id: int, snapshot: Callable[[], Any]) -> None:
    key = "Zq8-raw-participant-key-123"
    round_id = new_round(engine, plan_id)

    vote(engine, plan_id, round_id, key, comment="A comment")

    with read_session(engine) as session:
        stored = session.exec(select(m.SurveyResponse.participant_hash)).one()
    everything = repr(snapshot())  # every column of every row, JSON audit images included
    assert stored == hashlib.sha256(key.encode()).hexdigest() != key
    assert key not in everything
    assert everything.count(stored) == 1  # in survey_response only, not in the audit trail


# --- Results and anonymity ------------------------------------------------------------------


def test_a_group_of_four_is_withheld_and_its_comments_are_unattributed(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "board", 4, value=5, comment="Board view")
    votes(engine, plan_id, round_id, "senior", 5, value=4)  # withheld too, so the board's 4 cannot be derived
    votes(engine, plan_id, round_id, "front_line", 6, value=2, comment="Ward view")

    found = results(engine, plan_id, round_id)

    assert set(found.group_means["group_key"]) == {"front_line"}
    assert found.hidden_groups == ["Board", "Senior leader"]
    assert set(zip(found.comments["text"], found.comments["group"], strict=True)) == {
        ("Board view", "Another group"),
        ("Ward view", "Front-line staff"),
    }
    by_group = found.responses_by_group.set_index("group_key")
    assert (by_group.loc["board", "responses"], bool(by_group.loc["board", "shown"])) == (4, False)


def test_one_small_group_cannot_be_derived_from_the_total_minus_the_others(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "board", 2, value=5)
    votes(engine, plan_id, round_id, "manager", 7, value=3)
    votes(engine, plan_id, round_id, "front_line", 6, value=2)

    found = results(engine, plan_id, round_id)

    # Showing both large groups would give the board's mean as (15 × overall − 7 × 3 − 6 × 2) / 2.
    assert set(found.group_means["group_key"]) == {"manager"}
    assert found.hidden_groups == ["Board", "Front-line staff"]


def test_two_small_groups_are_not_withheld_as_a_pool_of_fewer_than_five(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "board", 2, value=5)
    votes(engine, plan_id, round_id, "patient", 2, value=1)
    votes(engine, plan_id, round_id, "front_line", 8, value=2)

    found = results(engine, plan_id, round_id)

    assert found.group_means.empty  # the only large group would expose the four others' pooled mean
    assert found.total_responses == 12 and not found.suppressed_total


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=6, max_size=6))
def test_withheld_answers_are_none_or_at_least_five(sizes: list[int]) -> None:
    shown = culture.shown_groups(pd.Series(sizes))
    withheld = sum(size for size, visible in zip(sizes, shown, strict=True) if not visible)
    assert withheld == 0 or withheld >= MIN_GROUP or not shown.any()
    assert all(size >= MIN_GROUP for size, visible in zip(sizes, shown, strict=True) if visible)


def test_a_group_of_five_is_shown(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "board", MIN_GROUP, value=5, comment="Board view")

    found = results(engine, plan_id, round_id)

    assert set(found.group_means["group_key"]) == {"board"}
    assert mean_of(found.group_means, "vision", group_key="board") == 5.0
    assert found.hidden_groups == []
    assert set(found.comments["group"]) == {"Board"}


def test_totals_of_fewer_than_five_are_suppressed(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "board", 2)
    votes(engine, plan_id, round_id, "front_line", 2)

    found = results(engine, plan_id, round_id)

    assert (found.total_responses, found.suppressed_total, found.distribution.empty) == (4, True, True)
    assert found.group_means.empty


def test_five_responses_show_the_distribution(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "board", 2, value=1)
    votes(engine, plan_id, round_id, "front_line", 3, value=4)

    found = results(engine, plan_id, round_id)

    vision = found.distribution[found.distribution["element_key"] == "vision"]
    assert found.suppressed_total is False
    assert list(vision["score"]) == [1, 2, 3, 4, 5]
    assert list(vision["count"]) == [2, 0, 0, 3, 0]
    assert list(vision["share"]) == pytest.approx([0.4, 0, 0, 0.6, 0])
    assert mean_of(found.means, "vision") == pytest.approx((2 * 1 + 3 * 4) / 5)


def test_means_combine_votes_and_imported_tallies(engine: Engine, plan_id: int) -> None:
    # 3 front-line staff gave vision 2 and 2 gave it 4 (imported); then the round reopens for votes.
    tallies = "element,group,score,count\nvision,front_line,2,3\nvision,Front-line staff,4,2"
    round_id = import_csv(engine, plan_id, tallies)
    set_status(engine, plan_id, round_id, "open")
    vote(engine, plan_id, round_id, "f1", "front_line", scores(1))
    vote(engine, plan_id, round_id, "b1", "board", scores(5))
    vote(engine, plan_id, round_id, "b2", "board", scores(5, objectives=3))
    votes(engine, plan_id, round_id, "partner", 3, value=3)  # so the two board answers are not derivable

    found = results(engine, plan_id, round_id)

    assert found.total_responses == 5 + 1 + 2 + 3
    assert mean_of(found.means, "vision") == pytest.approx((3 * 2 + 2 * 4 + 1 + 5 + 5 + 3 * 3) / 11)
    assert mean_of(found.means, "objectives") == pytest.approx((1 + 5 + 3 + 3 * 3) / 6)
    assert found.means.set_index("element_key").loc["vision", "n"] == 11
    assert mean_of(found.group_means, "vision", group_key="front_line") == pytest.approx((3 * 2 + 2 * 4 + 1) / 6)
    assert found.hidden_groups == ["Board", "Partner organisation"]


def test_perception_gap_is_group_a_minus_group_b(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "board", 5, value=4)
    votes(engine, plan_id, round_id, "front_line", 5, value=2)
    votes(engine, plan_id, round_id, "manager", 2, value=3)
    votes(engine, plan_id, round_id, "patient", 3, value=3)
    found = results(engine, plan_id, round_id)

    gap = culture.perception_gap(found, "board", "front_line")
    reverse = culture.perception_gap(found, "Front-line staff", "Board")

    assert list(gap["element_key"]) == KEYS
    assert set(gap["gap"]) == {2.0}
    assert set(reverse["gap"]) == {-2.0}
    assert culture.perception_gap(found, "board", "manager").empty


def test_change_since_the_previous_round_by_date(engine: Engine, plan_id: int) -> None:
    later = new_round(engine, plan_id, "Autumn", date(2026, 10, 1))
    earlier = new_round(engine, plan_id, "Spring", date(2026, 4, 1))
    votes(engine, plan_id, earlier, "board", 2, value=2)
    votes(engine, plan_id, later, "board", 1, value=3)
    votes(engine, plan_id, later, "manager", 1, value=5)

    with read_session(engine) as session:
        change = culture.change_since_previous(session, owner(), plan_id, later)
        first = culture.change_since_previous(session, owner(), plan_id, earlier)

    assert list(change["element_key"]) == KEYS
    assert set(zip(change["mean_now"], change["mean_before"], change["change"], strict=True)) == {(4.0, 2.0, 2.0)}
    assert first.empty


# --- Import ---------------------------------------------------------------------------------


def test_import_creates_a_closed_round_matching_names_and_summing_duplicates(engine: Engine, plan_id: int) -> None:
    text = (
        "\ufeff Element , GROUP,Score ,count\n"
        "Vision and strategy,Board,4,3\n"
        "vision,board,4,2\n"
        'LEARNING,front line staff,1,"1,200"\n'
        "\n"
        "equity,Patient or public representative,5,0\n"
    )

    round_id = import_csv(engine, plan_id, text)

    with read_session(engine) as session:
        survey_round = session.get(m.SurveyRound, round_id)
        tallies = session.exec(
            select(m.CulturalElement.key, m.SurveyTally.group_key, m.SurveyTally.score, m.SurveyTally.count)
            .join(m.CulturalElement)
            .order_by(m.SurveyTally.count)
        ).all()
        listed = culture.list_rounds(session, owner(), plan_id)
    assert (survey_round.status, survey_round.name) == ("closed", "Staff survey 2025")
    assert [tuple(t) for t in tallies] == [("vision", "board", 4, 5), ("learning", "front_line", 1, 1200)]
    assert listed[0].responses == 5 + 1200


def test_an_imported_groups_responses_are_its_largest_count_over_the_elements(engine: Engine, plan_id: int) -> None:
    text = (
        "element,group,score,count\nvision,board,4,3\nobjectives,board,2,3\nobjectives,board,5,1\nvision,senior,3,2\n"
    )

    round_id = import_csv(engine, plan_id, text)

    found = results(engine, plan_id, round_id)
    sizes = found.responses_by_group.set_index("group_key")["responses"].to_dict()
    assert (sizes["board"], sizes["senior"], found.total_responses) == (4, 2, 6)
    assert mean_of(found.means, "objectives") == pytest.approx((2 * 3 + 5) / 4)


BAD_FILES = [
    ("", "The file is empty"),
    ("  \n\n", "The file is empty"),
    ("element,group,score,count\n", "no rows of results"),
    ("element,group,score\nvision,board,4\n", "no column 'count'"),
    ("element,team,score,count\nvision,board,4,1\n", "no column 'group'"),
    (
        "element,group,score,count\nvision,board,4,1\nvision,board,4,1\nvision,board,seven,1\n",
        "Row 4, column 'score': 'seven' is not a whole number from 1 to 5.",
    ),
    ("element,group,score,count\nvision,board,6,1\n", "Row 2, column 'score': '6'"),
    ("element,group,score,count\nvision,board,2.5,1\n", "Row 2, column 'score': '2.5'"),
    ("element,group,score,count\nvision,board,,1\n", "Row 2, column 'score' is empty"),
    ("element,group,score,count\nvision,board,4,-2\n", "Row 2, column 'count': '-2' is not a whole number"),
    ("element,group,score,count\nvision,board,4,many\n", "Row 2, column 'count': 'many'"),
    ("element,group,score,count\nvision,board,4,2000000\n", "from 0 to 1,000,000"),
    ("element,group,score,count\nvison,board,4,1\n", "Row 2, column 'element': 'vison' is not one of this plan"),
    ("element,group,score,count\nvision,nurses,4,1\n", "Row 2, column 'group': 'nurses' is not a survey group"),
    ("element,group,score,count\nvision,board,4,0\n", "Every count in the file is 0"),
    ('element,group,score,count\nvision,board,4,1\n"unclosed,board,4,1\n', "not a readable CSV file"),
    ("element,group,score,count\n" + "vision,board,4,600000\n" * 2, "add up to more than 1,000,000"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES, ids=[f"bad-{n}" for n in range(len(BAD_FILES))])
def test_a_bad_import_names_the_problem_and_changes_nothing(
    engine: Engine, plan_id: int, snapshot: Callable[[], Any], text: str, message: str
) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput) as raised:
        import_csv(engine, plan_id, text)

    assert message in str(raised.value)
    assert snapshot() == before


def test_an_import_needs_a_round_name(engine: Engine, plan_id: int) -> None:
    with pytest.raises(InvalidInput, match="Round name is required"):
        import_csv(engine, plan_id, GOOD_CSV, name="  ")


# --- Access ---------------------------------------------------------------------------------


def test_a_viewer_cannot_create_rounds_or_vote(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    viewer = Access(Role.VIEWER, plan_id=plan_id)

    with pytest.raises(PermissionDenied), write_session(engine) as session:
        culture.create_round(session, viewer, plan_id, "Mine", None)
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        culture.submit_vote(session, viewer, round_id, "key-a", "board", scores())
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        culture.import_tallies(session, viewer, plan_id, "Survey", None, GOOD_CSV)

    assert (count(engine, m.SurveyRound), count(engine, m.SurveyResponse)) == (1, 0)


def test_a_participant_of_round_a_cannot_vote_in_round_b(engine: Engine, plan_id: int) -> None:
    round_a, round_b = new_round(engine, plan_id, "A"), new_round(engine, plan_id, "B")

    with pytest.raises(PermissionDenied, match="different survey round"), write_session(engine) as session:
        culture.submit_vote(session, participant(plan_id, round_a), round_b, "key-a", "board", scores())
    with pytest.raises(PermissionDenied), read_session(engine) as session:
        culture.my_vote(session, participant(plan_id, round_a), round_b, "key-a")

    assert count(engine, m.SurveyResponse) == 0


def test_a_participant_cannot_read_results_or_manage_rounds(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    access = participant(plan_id, round_id)

    with pytest.raises(PermissionDenied), read_session(engine) as session:
        culture.results(session, access, plan_id, round_id)
    with pytest.raises(PermissionDenied), write_session(engine) as session:
        culture.set_round_status(session, access, plan_id, round_id, 1, "closed")


def test_an_editor_of_plan_a_cannot_touch_plan_b(engine: Engine, make_plan: Callable[..., int]) -> None:
    plan_a, plan_b = make_plan(name="A"), make_plan(name="B")
    round_b = new_round(engine, plan_b)
    editor = Access(Role.EDITOR, plan_id=plan_a)
    attempts: list[Callable[[Any], Any]] = [
        lambda s: culture.create_round(s, editor, plan_b, "Sneaky", None),
        lambda s: culture.set_round_status(s, editor, plan_b, round_b, 1, "closed"),
        lambda s: culture.import_tallies(s, editor, plan_b, "Sneaky", None, GOOD_CSV),
        lambda s: culture.submit_vote(s, editor, round_b, "key-a", "board", scores()),
        lambda s: culture.results(s, editor, plan_b, round_b),
        lambda s: culture.list_rounds(s, editor, plan_b),
    ]

    for attempt in attempts:
        with pytest.raises(PermissionDenied), write_session(engine) as session:
            attempt(session)

    assert (count(engine, m.SurveyRound), count(engine, m.SurveyResponse)) == (1, 0)


def test_a_round_of_another_plan_is_not_found_through_this_plan(engine: Engine, make_plan: Callable[..., int]) -> None:
    plan_a, plan_b = make_plan(name="A"), make_plan(name="B")
    round_b = new_round(engine, plan_b)

    with pytest.raises(LookupError), read_session(engine) as session:
        culture.results(session, owner(), plan_a, round_b)
    with pytest.raises(LookupError), write_session(engine) as session:
        culture.set_round_status(session, owner(), plan_a, round_b, 1, "closed")


# --- Property -------------------------------------------------------------------------------

VOTE_SETS = st.lists(
    st.tuples(
        st.sampled_from(["board", "senior", "manager", "front_line", "patient", "partner"]),
        st.lists(st.integers(1, 5), min_size=len(KEYS), max_size=len(KEYS)),
    ),
    min_size=MIN_GROUP,
    max_size=12,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(vote_set=VOTE_SETS)
def test_distribution_counts_every_response_and_means_stay_in_range(
    engine: Engine, plan_id: int, vote_set: list[tuple[str, list[int]]]
) -> None:
    round_id = new_round(engine, plan_id)
    for n, (group, values) in enumerate(vote_set):
        vote(engine, plan_id, round_id, f"p{n}", group, dict(zip(KEYS, values, strict=True)))

    found = results(engine, plan_id, round_id)

    assert found.distribution.groupby("element_key")["count"].sum().to_dict() == dict.fromkeys(KEYS, len(vote_set))
    assert found.means["mean"].between(1, 5).all()
    assert found.group_means["mean"].between(1, 5).all()
    expected = {key: sum(v[i] for _, v in vote_set) / len(vote_set) for i, key in enumerate(KEYS)}
    assert dict(zip(found.means["element_key"], found.means["mean"], strict=True)) == pytest.approx(expected)


def test_the_elements_table_lists_every_element_in_order(engine: Engine, plan_id: int) -> None:
    with read_session(engine) as session:
        elements = culture.elements_table(session, owner(), plan_id)

    assert list(elements["Element"])[:2] == ["Vision and strategy", "Objectives"]
    assert (elements["Questions"] > 0).all()


def test_another_plans_viewer_cannot_read_the_elements_table(engine: Engine, make_plan: Callable[..., int]) -> None:
    mine, theirs = make_plan(name="Mine"), make_plan(name="Theirs")

    with read_session(engine) as session, pytest.raises(PermissionDenied):
        culture.elements_table(session, Access(Role.VIEWER, plan_id=theirs), mine)


def test_element_means_are_the_results_means_without_the_rest(engine: Engine, plan_id: int) -> None:
    round_id = new_round(engine, plan_id)
    votes(engine, plan_id, round_id, "board", 6, value=4)
    votes(engine, plan_id, round_id, "front_line", 3, value=2)
    with read_session(engine) as session:
        found = culture.element_means(session, owner(), plan_id, round_id)

    expected = results(engine, plan_id, round_id).means
    pd.testing.assert_frame_equal(found.reset_index(drop=True), expected.reset_index(drop=True))
    assert found["mean"].round(2).iloc[0] == round((6 * 4 + 3 * 2) / 9, 2)
