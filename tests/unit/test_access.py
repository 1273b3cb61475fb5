"""Roles and the Access check every planner function performs before touching the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from planner import plans
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import read_session, write_session
from planner.document import FORMAT_VERSION, insert_document
from planner.history import audit_events
from planner.seed import load_demo

PLAN, OTHER = 1, 2
MINIMUMS = [Role.PARTICIPANT, Role.VIEWER, Role.EDITOR, Role.OWNER]

# (role, plan scope) → the minimum roles it satisfies on PLAN
ALLOWED: list[tuple[Role, set[Role]]] = [
    (Role.OWNER, {Role.PARTICIPANT, Role.VIEWER, Role.EDITOR, Role.OWNER}),
    (Role.EDITOR, {Role.PARTICIPANT, Role.VIEWER, Role.EDITOR}),
    (Role.VIEWER, {Role.PARTICIPANT, Role.VIEWER}),
    (Role.PARTICIPANT, {Role.PARTICIPANT}),
]


@pytest.mark.parametrize(("role", "allowed"), ALLOWED)
@pytest.mark.parametrize("minimum", MINIMUMS)
def test_allows_by_rank_on_its_own_plan(role: Role, allowed: set[Role], minimum: Role) -> None:
    assert Access(role, plan_id=PLAN).allows(minimum, PLAN) is (minimum in allowed)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("minimum", MINIMUMS)
def test_a_scoped_access_allows_nothing_on_another_plan(role: Role, minimum: Role) -> None:
    assert not Access(role, plan_id=PLAN).allows(minimum, OTHER)


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, Role.PARTICIPANT])
def test_a_scoped_access_cannot_act_on_all_plans(role: Role) -> None:
    assert not Access(role, plan_id=PLAN).allows(Role.PARTICIPANT, None)


@pytest.mark.parametrize("minimum", MINIMUMS)
@pytest.mark.parametrize("plan", [None, PLAN, OTHER, 999])
def test_owner_is_allowed_everything_everywhere(minimum: Role, plan: int | None) -> None:
    assert owner().allows(minimum, plan)


def test_owner_defaults() -> None:
    access = owner()

    assert (access.role, access.plan_id, access.actor) == (Role.OWNER, None, "local user")
    assert owner("admin token").actor == "admin token"


@pytest.mark.parametrize(("role", "can_edit"), [(Role.OWNER, True), (Role.EDITOR, True), (Role.VIEWER, False),
                                                (Role.PARTICIPANT, False)])
def test_can_edit(role: Role, can_edit: bool) -> None:
    assert Access(role, plan_id=PLAN).can_edit is can_edit


def test_require_raises_permission_denied_naming_role_and_plan() -> None:
    with pytest.raises(PermissionDenied, match="A viewer link cannot do this on plan 1"):
        Access(Role.VIEWER, plan_id=PLAN).require(Role.EDITOR, PLAN)


def test_require_passes_silently_when_allowed() -> None:
    assert Access(Role.EDITOR, plan_id=PLAN).require(Role.VIEWER, PLAN) is None


def test_role_values_are_the_link_roles() -> None:
    assert [str(role) for role in Role] == ["owner", "editor", "viewer", "participant"]


# --- Every write checks the role first and leaves nothing behind ---------------------------

Operation = Callable[[Session, Access, int], Any]
OPERATIONS: dict[str, Operation] = {
    "create_plan": lambda s, a, pid: plans.create_plan(s, a, name="Sneaky plan"),
    "update_plan": lambda s, a, pid: plans.update_plan(s, a, pid, 1, name="Renamed"),
    "set_archived": lambda s, a, pid: plans.set_archived(s, a, pid, 1, True),
    "delete_plan": lambda s, a, pid: plans.delete_plan(s, a, pid, "Target plan"),
    "clone_plan": lambda s, a, pid: plans.clone_plan(s, a, pid, "Stolen copy"),
    "load_demo": lambda s, a, pid: load_demo(s, a),
}
OWNER_ONLY = ["create_plan", "set_archived", "delete_plan", "clone_plan", "load_demo"]
DENIED = (
    [(Role.VIEWER, "this", op) for op in OPERATIONS]
    + [(Role.PARTICIPANT, "this", op) for op in OPERATIONS]
    + [(Role.EDITOR, "other", op) for op in OPERATIONS]
    + [(Role.EDITOR, "this", op) for op in OWNER_ONLY]
    + [(Role.OWNER, "other", op) for op in OPERATIONS]
)


@pytest.fixture
def two_plans(engine: Engine, make_plan: Callable[..., int]) -> tuple[int, int]:
    with write_session(engine) as session:
        bare = {"format_version": FORMAT_VERSION, "plan": {"name": "Other plan"}, "records": {}}
        other = insert_document(session, bare)
    return make_plan("Target plan"), other


@pytest.mark.parametrize(("role", "scope", "operation"), DENIED)
def test_a_write_without_the_role_changes_nothing(
    engine: Engine, two_plans: tuple[int, int], snapshot: Callable[[], Any], role: Role, scope: str, operation: str
) -> None:
    target, other = two_plans
    access = Access(role, plan_id=target if scope == "this" else other, actor="intruder")
    before = snapshot()

    with pytest.raises(PermissionDenied), write_session(engine) as session:
        OPERATIONS[operation](session, access, target)

    assert snapshot() == before


def test_an_editor_of_the_plan_may_update_it(engine: Engine, two_plans: tuple[int, int]) -> None:
    target, _ = two_plans

    with write_session(engine) as session:
        version = plans.update_plan(session, Access(Role.EDITOR, plan_id=target), target, 1, name="Renamed")

    with read_session(engine) as session:
        assert plans.get_plan(session, owner(), target).name == "Renamed"
    assert version == 2


# --- Reads ---------------------------------------------------------------------------------

READERS = [
    (Role.OWNER, "this", True),
    (Role.EDITOR, "this", True),
    (Role.VIEWER, "this", True),
    (Role.PARTICIPANT, "this", True),  # the vote page shows the plan it belongs to
    (Role.EDITOR, "other", False),
    (Role.VIEWER, "other", False),
    (Role.PARTICIPANT, "other", False),
]


@pytest.mark.parametrize(("role", "scope", "allowed"), READERS)
def test_get_plan_is_limited_to_the_linked_plan(
    engine: Engine, two_plans: tuple[int, int], role: Role, scope: str, allowed: bool
) -> None:
    target, other = two_plans
    access = Access(role, plan_id=target if scope == "this" else other)

    with read_session(engine) as session:
        if allowed:
            assert plans.get_plan(session, access, target).id == target
        else:
            with pytest.raises(PermissionDenied):
                plans.get_plan(session, access, target)


@pytest.mark.parametrize(("role", "visible"), [(Role.OWNER, True), (Role.EDITOR, True), (Role.VIEWER, True),
                                               (Role.PARTICIPANT, False)])
def test_list_plans_shows_only_the_linked_plan_and_nothing_to_participants(
    engine: Engine, two_plans: tuple[int, int], role: Role, visible: bool
) -> None:
    target, _ = two_plans

    with read_session(engine) as session:
        ids = [view.id for view in plans.list_plans(session, Access(role, plan_id=target))]

    assert ids == ([target] if visible else [])


@pytest.mark.parametrize(("role", "allowed"), [(Role.VIEWER, True), (Role.EDITOR, True), (Role.PARTICIPANT, False)])
def test_the_history_is_for_viewers_and_up(engine: Engine, plan_id: int, role: Role, allowed: bool) -> None:
    access = Access(role, plan_id=plan_id)

    with read_session(engine) as session:
        if allowed:
            assert list(audit_events(session, access, plan_id)["Action"]) == ["plan.create"]
        else:
            with pytest.raises(PermissionDenied):
                audit_events(session, access, plan_id)


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, Role.PARTICIPANT])
def test_only_an_owner_may_span_every_plan(role: Role) -> None:
    with pytest.raises(ValueError, match="Only an owner"):
        Access(role)
