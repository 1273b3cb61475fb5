"""Signed-in members: owners map emails to roles on their plan; sign-in grants exactly that."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from planner import members
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import Conflict, read_session, write_session
from planner.history import audit_events
from planner.validation import InvalidInput


def _add(engine: Engine, plan_id: int, email: str, role: str, access: Access | None = None) -> int:
    with write_session(engine) as session:
        return members.add_member(session, access or owner("Lead"), plan_id, email, role)


def _listed(engine: Engine, plan_id: int) -> list[tuple[str, str]]:
    with read_session(engine) as session:
        frame = members.list_members(session, owner(), plan_id)
    return list(zip(frame["Email"], frame["Role"], strict=True))


def test_an_owner_adds_members_by_email_cleaned_and_audited(engine: Engine, plan_id: int) -> None:
    _add(engine, plan_id, "  Finance.Director@Trust.NHS.uk ", "editor")
    _add(engine, plan_id, "chair@trust.nhs.uk", "viewer")

    assert _listed(engine, plan_id) == [("chair@trust.nhs.uk", "viewer"), ("finance.director@trust.nhs.uk", "editor")]
    with read_session(engine) as session:
        events = audit_events(session, owner(), plan_id)
    assert "plan_member.create" in set(events["Action"])
    assert set(events.loc[events["Action"] == "plan_member.create", "Who"]) == {"Lead"}


@pytest.mark.parametrize("email", ["", "not an email", "a@b", "two@@x.org", "x" * 250 + "@x.org"])
def test_a_malformed_email_is_refused(engine: Engine, plan_id: int, email: str, snapshot: Callable[[], Any]) -> None:
    before = snapshot()

    with pytest.raises(InvalidInput, match="is not an email address"):
        _add(engine, plan_id, email, "editor")

    assert snapshot() == before


def test_a_member_cannot_be_added_twice_or_with_a_participant_role(engine: Engine, plan_id: int) -> None:
    _add(engine, plan_id, "a@trust.nhs.uk", "editor")

    with pytest.raises(InvalidInput, match="already a member"):
        _add(engine, plan_id, "A@trust.nhs.uk", "viewer")
    with pytest.raises(InvalidInput, match="not 'participant'"):
        _add(engine, plan_id, "b@trust.nhs.uk", "participant")


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, Role.PARTICIPANT])
def test_only_the_plans_owner_manages_members(
    engine: Engine, plan_id: int, role: Role, snapshot: Callable[[], Any]
) -> None:
    before = snapshot()
    access = Access(role, plan_id=plan_id)

    with pytest.raises(PermissionDenied):
        _add(engine, plan_id, "x@trust.nhs.uk", "owner", access)
    with pytest.raises(PermissionDenied), read_session(engine) as session:
        members.list_members(session, access, plan_id)
    assert snapshot() == before


def test_the_owner_of_another_plan_cannot_manage_this_ones_members(
    engine: Engine, make_plan: Callable[..., int], snapshot: Callable[[], Any]
) -> None:
    mine, theirs = make_plan("Mine"), make_plan("Theirs")
    before = snapshot()

    with pytest.raises(PermissionDenied):
        _add(engine, theirs, "x@trust.nhs.uk", "owner", Access(Role.OWNER, plan_id=mine))
    assert snapshot() == before


def test_sign_in_grants_the_members_role_on_the_requested_plan_or_their_first(
    engine: Engine, make_plan: Callable[..., int]
) -> None:
    first, second, other = make_plan("First"), make_plan("Second"), make_plan("Not theirs")
    _add(engine, first, "lead@trust.nhs.uk", "owner")
    _add(engine, second, "lead@trust.nhs.uk", "viewer")

    with read_session(engine) as session:
        asked = members.member_access(session, "Lead@Trust.nhs.uk", second)
        fallback = members.member_access(session, "lead@trust.nhs.uk", other)
        stranger = members.member_access(session, "someone@else.org", first)
        plans = members.member_plans(session, "lead@trust.nhs.uk")

    assert (asked.role, asked.plan_id, asked.actor) == (Role.VIEWER, second, "lead@trust.nhs.uk")
    assert (fallback.role, fallback.plan_id) == (Role.OWNER, first)
    assert stranger is None
    assert plans == [first, second]


def test_removing_a_member_ends_their_access_and_is_versioned(engine: Engine, plan_id: int) -> None:
    member_id = _add(engine, plan_id, "gone@trust.nhs.uk", "editor")

    with pytest.raises(Conflict), write_session(engine) as session:
        members.remove_member(session, owner(), plan_id, member_id, seen_version=99)
    with write_session(engine) as session:
        members.remove_member(session, owner(), plan_id, member_id, seen_version=1)

    with read_session(engine) as session:
        assert members.member_access(session, "gone@trust.nhs.uk", plan_id) is None
    with pytest.raises(members.MemberNotFound), write_session(engine) as session:
        members.remove_member(session, owner(), plan_id, member_id, seen_version=1)
