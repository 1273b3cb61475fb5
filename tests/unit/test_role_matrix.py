"""The role matrix (issue 8): every planner function that takes an Access checks the role first.

Every public function in planner/ whose signature has `session` and `access` is listed below, as a
write (with who may call it) or as a read; a new one without an entry fails the completeness test.
Each write is called by every role, scoped to its own plan A or to another plan B (and by an owner of
every plan). Where the access lacks the right, the call raises PermissionDenied before it has run any
SQL and the database is row for row as it was; where it has the right, the call succeeds and the audit
trail names the caller's label. Reads of plan B through an access for plan A are refused the same way.

Speed: one database per backend for the whole module (plan A loaded with load_demo, plan B a copy of
the demo). Allowed writes are rolled back; denied ones are committed after the refusal (as a page that
catches the error would) and the database is compared with the snapshot taken when it was built.
"""

from __future__ import annotations

import inspect
import json
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from importlib import import_module
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, event, func, select, update
from sqlmodel import Session, col

import planner
from planner import (
    capabilities,
    context,
    culture,
    export,
    history,
    initiatives,
    means,
    members,
    plan_import,
    plans,
    priorities,
    records,
    seed,
    sharing,
    snapshots,
    summary,
    traceability,
    workforce,
)
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import make_engine, read_session, write_session
from planner.framework import framework_document, names
from planner.models import (
    AuditEvent,
    Capability,
    CapabilityRating,
    ContextItem,
    CulturalElement,
    Initiative,
    InitiativeLink,
    LeadershipQuality,
    LeadershipTier,
    Means,
    Milestone,
    Objective,
    Plan,
    PlanMember,
    Priority,
    ShareLink,
    Snapshot,
    SurveyRound,
)
from planner.validation import InvalidInput
from tests.conftest import BACKENDS, Rows, _delete_plan_rows, _seeded, _sqlite_copy, database_rows

ACTOR = "Matrix actor 7f3c"  # the label every access below acts under: the audit trail must show it
SETUP = owner("matrix setup")
BASE_URL = "https://planner.example"
PARTICIPANT_KEY = "matrix-participant-key"
TODAY = date.today()
SKIPPED_MODULES = {"ui", "cli", "__main__"}


# --- The two plans ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The plan a call acts on, with one record of each kind (id, version) for calls that need one."""

    id: int
    name: str
    rows: dict[str, tuple[int, int]] = field(repr=False)

    def row(self, kind: str) -> int:
        """The id of the plan's record of this kind."""
        return self.rows[kind][0]

    def ver(self, kind: str) -> int:
        """The version of the plan's record of this kind."""
        return self.rows[kind][1]

    def with_rows_of(self, other: Target) -> Target:
        """This plan's id with another plan's records: a token for this plan reaching into the other."""
        return replace(self, rows=other.rows | {"plan": self.rows["plan"]})


def _by_plan(model: Any, plan_id: int) -> Any:
    return select(model.id, model.version).where(model.plan_id == plan_id)


def _row_queries(plan_id: int) -> dict[str, Any]:
    """Per kind, a query whose first row (by id) is the record the calls use."""
    queries = {
        kind: _by_plan(model, plan_id)
        for kind, model in {
            "context_item": ContextItem,
            "capability": Capability,
            "tier": LeadershipTier,
            "quality": LeadershipQuality,
            "priority": Priority,
            "objective": Objective,
            "means": Means,
            "initiative": Initiative,
            "snapshot": Snapshot,
            "share_link": ShareLink,
            "member": PlanMember,
        }.items()
    }
    promoted = select(Priority.capability_id).where(
        Priority.plan_id == plan_id, col(Priority.capability_id).is_not(None)
    )
    linked = select(InitiativeLink.capability_id).where(col(InitiativeLink.capability_id).is_not(None))
    return queries | {
        "plan": select(Plan.id, Plan.version).where(Plan.id == plan_id),
        "open_round": _by_plan(SurveyRound, plan_id).where(SurveyRound.status == "open"),
        "closed_round": _by_plan(SurveyRound, plan_id).where(SurveyRound.status == "closed"),
        "rating": select(CapabilityRating.id, CapabilityRating.version)
        .join(Capability)
        .where(Capability.plan_id == plan_id),
        "milestone": select(Milestone.id, Milestone.version).join(Initiative).where(Initiative.plan_id == plan_id),
        "free_capability": _by_plan(Capability, plan_id).where(col(Capability.id).not_in(promoted)),
        "unlinked_capability": _by_plan(Capability, plan_id).where(col(Capability.id).not_in(linked)),
    }


RECORD_KINDS = set(_row_queries(0)) - {"plan"}  # the kinds a call may take from another plan


def _target(session: Session, plan_id: int) -> Target:
    rows = {
        kind: tuple(session.execute(query.order_by(query.selected_columns[0]).limit(1)).one())
        for kind, query in _row_queries(plan_id).items()
    }
    name = session.execute(select(Plan.name).where(Plan.id == plan_id)).scalar_one()
    return Target(plan_id, name, rows)  # type: ignore[arg-type]


def _furnish(session: Session, plan_id: int) -> None:
    """An open round to vote in, a snapshot, a share link and a member: records the calls act on."""
    culture.create_round(session, SETUP, plan_id, "Matrix round", None)
    snapshots.take_snapshot(session, SETUP, plan_id, "Matrix snapshot")
    sharing.create_link(session, SETUP, plan_id, "viewer", "Matrix link", base_url=BASE_URL)  # moves the revision
    members.add_member(session, SETUP, plan_id, "member@example.org", "viewer")


def _build(engine: Engine) -> tuple[Target, Target]:
    with write_session(engine) as session:
        plan_a = seed.load_demo(session, SETUP)
        plan_b = plans.create_plan(session, SETUP, template="demo", name="Plan B")
        for plan_id in (plan_a, plan_b):
            _furnish(session, plan_id)
    with read_session(engine) as session:
        return _target(session, plan_a), _target(session, plan_b)


# --- Who acts ---------------------------------------------------------------------------------

ROLES = [Role.OWNER, Role.EDITOR, Role.VIEWER, Role.PARTICIPANT]
ACCESSES = [f"{role}@{scope}" for scope in ("A", "B") for role in ROLES] + ["owner@all"]
NEEDS: dict[str, set[str]] = {  # who may call, by the accesses above
    "editor": {"owner@A", "editor@A", "owner@all"},
    "owner": {"owner@A", "owner@all"},
    "admin": {"owner@all"},  # owners of every plan (local user, admin token): new plans, the command line
    "voter": {"owner@A", "editor@A", "participant@A", "owner@all"},  # culture.VOTERS
    "viewer": {"owner@A", "editor@A", "viewer@A", "owner@all"},
    "participant": {"owner@A", "editor@A", "viewer@A", "participant@A", "owner@all"},
}


def _access(name: str, a: Target, b: Target) -> Access:
    role, scope = name.split("@")
    if scope == "all":
        return owner(ACTOR)
    plan = a if scope == "A" else b
    round_id = plan.row("open_round") if role == Role.PARTICIPANT else None
    return Access(Role(role), plan_id=plan.id, actor=ACTOR, round_id=round_id)


# --- The module's database --------------------------------------------------------------------


@dataclass
class World:
    """One backend's database with plans A and B, its rows as built, and the SQL each call runs."""

    engine: Engine
    a: Target
    b: Target
    baseline: Rows
    statements: list[str] = field(default_factory=list)

    def access(self, name: str) -> Access:
        return _access(name, self.a, self.b)


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A database per backend with plans A (load_demo) and B (a copy of the demo), built once for the module."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("matrix") / "planner.db"
        _sqlite_copy(request.getfixturevalue("sqlite_template"), path)
        engine = _seeded(make_engine(f"sqlite:///{path}"))
    else:
        engine = request.getfixturevalue("pg_engine")
        _delete_plan_rows(engine)
        _seeded(engine)
    a, b = _build(engine)
    found = World(engine, a, b, database_rows(engine))

    def remember(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        found.statements.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    yield found
    event.remove(engine, "before_cursor_execute", remember)
    if request.param == "sqlite":
        engine.dispose()


def _sql(statements: list[str]) -> list[str]:
    """The statements that touched data (not the transaction control SQLite's BEGIN adds)."""
    return [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


def _assert_unchanged(world: World) -> None:
    now = database_rows(world.engine)
    if now != world.baseline:
        changed = [table for table in now if now[table] != world.baseline[table]]
        world.baseline = now  # so that only this test fails, not every one after it
        pytest.fail(f"A refused call changed the database: {', '.join(changed)}")


# --- Writes -----------------------------------------------------------------------------------

Call = Callable[[Session, Access, Target], Any]


@dataclass(frozen=True)
class Write:
    """A write function, who may call it, and a call with valid arguments on a plan."""

    need: str
    call: Call
    checks_first: bool = True  # False: it must look the round up to know its plan (votes)
    quiet: bool = False  # refuses by doing nothing and returning None (the page-load daily snapshot)
    prepare: Callable[[Session, Target], None] | None = None  # run first, in the rolled-back transaction

    @property
    def uses_records(self) -> bool:
        """True when the call passes record ids of the target plan (not only its id)."""
        return bool(RECORD_KINDS & set(self.call.__code__.co_consts))


def _scores(session: Session, target: Target) -> dict[str, int]:
    query = select(CulturalElement.key).where(CulturalElement.plan_id == target.id, col(CulturalElement.enabled))
    return dict.fromkeys(session.execute(query).scalars(), 3)


def _vote(s: Session, a: Access, p: Target) -> int:
    group = next(iter(names("survey_groups")))
    return culture.submit_vote(s, a, p.row("open_round"), PARTICIPANT_KEY, group, _scores(s, p), "Matrix comment")


def _not_the_demo(session: Session, target: Target) -> None:
    """load_demo does nothing while a demo plan exists: make plan A an ordinary plan for the call."""
    session.execute(update(Plan).where(col(Plan.origin) == "demo").values(origin="clone"))


def _plan_file() -> bytes:
    return json.dumps(framework_document("Imported plan")).encode()


def _workforce_frame() -> pd.DataFrame:
    rows = [("board", "gender", "Female", 8), ("board", "gender", "Male", 9), ("whole", "gender", "Female", 700)]
    return pd.DataFrame(rows, columns=["tier_key", "dimension", "category", "count"])


TALLIES = "element,group,score,count\nvision,board,4,3\nvision,senior,2,5\n"

WRITES: dict[str, Write] = {
    # plans, the demo, plan files
    "plans.create_plan": Write("admin", lambda s, a, p: plans.create_plan(s, a, name="Matrix plan")),
    "plans.update_plan": Write("editor", lambda s, a, p: plans.update_plan(s, a, p.id, p.ver("plan"), name="Renamed")),
    "plans.set_archived": Write("owner", lambda s, a, p: plans.set_archived(s, a, p.id, p.ver("plan"), True)),
    "plans.delete_plan": Write("owner", lambda s, a, p: plans.delete_plan(s, a, p.id, p.name)),
    "plans.clone_plan": Write("admin", lambda s, a, p: plans.clone_plan(s, a, p.id, "Matrix copy")),
    "seed.load_demo": Write("admin", lambda s, a, p: seed.load_demo(s, a), prepare=_not_the_demo),
    "plan_import.import_document": Write(
        "admin", lambda s, a, p: plan_import.import_document(s, a, framework_document("Imported"), "Imported")
    ),
    "plan_import.import_plan": Write("admin", lambda s, a, p: plan_import.import_plan(s, a, _plan_file())),
    # generic record writes
    "records.add": Write(
        "editor", lambda s, a, p: records.add(s, a, ContextItem, p.id, {"category": "strategy", "title": "Added"})
    ),
    "records.update": Write(
        "editor",
        lambda s, a, p: records.update(
            s, a, ContextItem, p.row("context_item"), p.ver("context_item"), {"title": "Changed"}, p.id
        ),
    ),
    "records.remove": Write(
        "editor", lambda s, a, p: records.remove(s, a, ContextItem, p.row("context_item"), p.ver("context_item"), p.id)
    ),
    # context
    "context.add_item": Write(
        "editor", lambda s, a, p: context.add_item(s, a, p.id, category="strategy", title="Matrix item")
    ),
    "context.update_item": Write(
        "editor",
        lambda s, a, p: context.update_item(s, a, p.id, p.row("context_item"), p.ver("context_item"), title="New"),
    ),
    "context.delete_item": Write(
        "editor", lambda s, a, p: context.delete_item(s, a, p.id, p.row("context_item"), p.ver("context_item"))
    ),
    "context.save_narrative": Write(
        "editor", lambda s, a, p: context.save_narrative(s, a, p.id, p.ver("plan"), "Quality first, together.")
    ),
    # culture
    "culture.create_round": Write("editor", lambda s, a, p: culture.create_round(s, a, p.id, "New round", None)),
    "culture.update_round": Write(
        "editor",
        lambda s, a, p: culture.update_round(s, a, p.id, p.row("open_round"), p.ver("open_round"), "Renamed", None),
    ),
    "culture.set_round_status": Write(
        "editor",
        lambda s, a, p: culture.set_round_status(s, a, p.id, p.row("open_round"), p.ver("open_round"), "closed"),
    ),
    "culture.delete_round": Write(
        "editor", lambda s, a, p: culture.delete_round(s, a, p.id, p.row("open_round"), p.ver("open_round"))
    ),
    "culture.import_tallies": Write(
        "editor", lambda s, a, p: culture.import_tallies(s, a, p.id, "Imported round", None, TALLIES)
    ),
    "culture.submit_vote": Write("voter", _vote, checks_first=False),
    # capabilities
    "capabilities.add_capability": Write(
        "editor", lambda s, a, p: capabilities.add_capability(s, a, p.id, "Matrix capability")
    ),
    "capabilities.update_capability": Write(
        "editor",
        lambda s, a, p: capabilities.update_capability(
            s, a, p.id, p.row("capability"), p.ver("capability"), description="Changed"
        ),
    ),
    "capabilities.retire_capability": Write(
        "editor",
        lambda s, a, p: capabilities.retire_capability(s, a, p.id, p.row("capability"), p.ver("capability")),
    ),
    "capabilities.restore_capability": Write(
        "editor",
        lambda s, a, p: capabilities.restore_capability(s, a, p.id, p.row("capability"), p.ver("capability")),
    ),
    "capabilities.set_rating": Write(
        "editor",
        lambda s, a, p: capabilities.set_rating(
            s, a, p.id, p.row("capability"), p.row("tier"), "Matrix assessor", None, required=3, current=2
        ),
    ),
    "capabilities.delete_rating": Write(
        "editor", lambda s, a, p: capabilities.delete_rating(s, a, p.id, p.row("rating"), p.ver("rating"))
    ),
    # workforce
    "workforce.set_counts": Write(
        "editor", lambda s, a, p: workforce.set_counts(s, a, p.id, "board", "gender", {"Female": 11, "Male": 5})
    ),
    "workforce.replace_workforce": Write(
        "editor", lambda s, a, p: workforce.replace_workforce(s, a, p.id, _workforce_frame(), "matrix.csv")
    ),
    "workforce.set_band_mapping": Write(
        "editor", lambda s, a, p: workforce.set_band_mapping(s, a, p.id, [("Band 99", "board")])
    ),
    "workforce.add_quality": Write("editor", lambda s, a, p: workforce.add_quality(s, a, p.id, name="Curious")),
    "workforce.update_quality": Write(
        "editor",
        lambda s, a, p: workforce.update_quality(s, a, p.id, p.row("quality"), p.ver("quality"), name="Kind"),
    ),
    "workforce.delete_quality": Write(
        "editor", lambda s, a, p: workforce.delete_quality(s, a, p.id, p.row("quality"), p.ver("quality"))
    ),
    # priorities and objectives
    "priorities.promote": Write(
        "editor", lambda s, a, p: priorities.promote(s, a, p.id, capability_id=p.row("free_capability"))
    ),
    "priorities.update_priority": Write(
        "editor",
        lambda s, a, p: priorities.update_priority(s, a, p.id, p.row("priority"), p.ver("priority"), title="New"),
    ),
    "priorities.set_rank": Write(
        "editor", lambda s, a, p: priorities.set_rank(s, a, p.id, p.row("priority"), p.ver("priority"), 2)
    ),
    "priorities.remove_priority": Write(
        "editor", lambda s, a, p: priorities.remove_priority(s, a, p.id, p.row("priority"), p.ver("priority"))
    ),
    "priorities.add_objective": Write("editor", lambda s, a, p: priorities.add_objective(s, a, p.id, title="Goal")),
    "priorities.update_objective": Write(
        "editor",
        lambda s, a, p: priorities.update_objective(s, a, p.id, p.row("objective"), p.ver("objective"), title="New"),
    ),
    "priorities.remove_objective": Write(
        "editor", lambda s, a, p: priorities.remove_objective(s, a, p.id, p.row("objective"), p.ver("objective"))
    ),
    "priorities.agree": Write(
        "editor", lambda s, a, p: priorities.agree(s, a, p.id, p.row("objective"), p.ver("objective"), "The board")
    ),
    "priorities.withdraw_agreement": Write(
        "editor",
        lambda s, a, p: priorities.withdraw_agreement(s, a, p.id, p.row("objective"), p.ver("objective")),
    ),
    # means
    "means.add_means": Write(
        "editor",
        lambda s, a, p: means.add_means(s, a, p.id, priority_id=p.row("priority"), mode="develop", approach="Matrix"),
    ),
    "means.add_from_library": Write(
        "editor", lambda s, a, p: means.add_from_library(s, a, p.id, p.row("priority"), "mentoring_scheme", "sustain")
    ),
    "means.update_means": Write(
        "editor",
        lambda s, a, p: means.update_means(s, a, p.id, p.row("means"), p.ver("means"), description="Changed"),
    ),
    "means.delete_means": Write(
        "editor", lambda s, a, p: means.delete_means(s, a, p.id, p.row("means"), p.ver("means"))
    ),
    # initiatives
    "initiatives.add_initiative": Write(
        "editor", lambda s, a, p: initiatives.add_initiative(s, a, p.id, title="Matrix initiative")
    ),
    "initiatives.add_from_library": Write(
        "editor", lambda s, a, p: initiatives.add_from_library(s, a, p.id, "mentoring_scheme")
    ),
    "initiatives.update_initiative": Write(
        "editor",
        lambda s, a, p: initiatives.update_initiative(
            s, a, p.id, p.row("initiative"), p.ver("initiative"), description="Changed"
        ),
    ),
    "initiatives.delete_initiative": Write(
        "editor",
        lambda s, a, p: initiatives.delete_initiative(s, a, p.id, p.row("initiative"), p.ver("initiative")),
    ),
    "initiatives.set_links": Write(
        "editor",
        lambda s, a, p: initiatives.set_links(
            s, a, p.id, p.row("initiative"), "capability", [p.row("unlinked_capability")]
        ),
    ),
    "initiatives.add_check_in": Write(
        "editor", lambda s, a, p: initiatives.add_check_in(s, a, p.id, p.row("initiative"), TODAY, "green", 50)
    ),
    "initiatives.add_milestone": Write(
        "editor", lambda s, a, p: initiatives.add_milestone(s, a, p.id, p.row("initiative"), "Matrix milestone")
    ),
    "initiatives.update_milestone": Write(
        "editor",
        lambda s, a, p: initiatives.update_milestone(s, a, p.id, p.row("milestone"), p.ver("milestone"), title="New"),
    ),
    "initiatives.delete_milestone": Write(
        "editor",
        lambda s, a, p: initiatives.delete_milestone(s, a, p.id, p.row("milestone"), p.ver("milestone")),
    ),
    # snapshots
    "snapshots.take_snapshot": Write("editor", lambda s, a, p: snapshots.take_snapshot(s, a, p.id, "By hand")),
    "snapshots.after_round_status": Write(
        "editor", lambda s, a, p: snapshots.after_round_status(s, a, p.id, p.row("open_round"), "closed")
    ),
    "snapshots.daily_snapshot_if_due": Write(
        "editor", lambda s, a, p: snapshots.daily_snapshot_if_due(s, a, p.id, TODAY + timedelta(days=1)), quiet=True
    ),
    "snapshots.restore_over_plan": Write(
        "editor", lambda s, a, p: snapshots.restore_over_plan(s, a, p.id, p.row("snapshot"))
    ),
    "snapshots.restore_as_new_plan": Write(
        "admin", lambda s, a, p: snapshots.restore_as_new_plan(s, a, p.id, p.row("snapshot"), "Restored")
    ),
    # sharing and members
    "sharing.create_link": Write(
        "owner", lambda s, a, p: sharing.create_link(s, a, p.id, "editor", "New link", base_url=BASE_URL)
    ),
    "sharing.revoke_link": Write("owner", lambda s, a, p: sharing.revoke_link(s, a, p.id, p.row("share_link"))),
    "members.add_member": Write(
        "owner", lambda s, a, p: members.add_member(s, a, p.id, "someone@example.org", "editor")
    ),
    "members.remove_member": Write(
        "owner", lambda s, a, p: members.remove_member(s, a, p.id, p.row("member"), p.ver("member"))
    ),
}

# Building blocks with an Access that check nothing themselves, by design: each runs inside a checked write.
HELPERS = {
    "history.record_event": "appends the audit event of the write that calls it, after that write's check",
}


def _cases(need_filter: Callable[[str, str], bool]) -> list[Any]:
    return [
        pytest.param(name, who, id=f"{name}-{who}")
        for name, write in WRITES.items()
        for who in ACCESSES
        if need_filter(write.need, who)
    ]


DENIED = _cases(lambda need, who: who not in NEEDS[need])
ALLOWED = _cases(lambda need, who: who in NEEDS[need])


@pytest.mark.parametrize(("name", "who"), DENIED)
def test_a_write_without_the_right_is_refused_before_any_sql_and_changes_nothing(
    world: World, name: str, who: str
) -> None:
    write = WRITES[name]
    with write_session(world.engine) as session:
        world.statements.clear()
        if write.quiet:
            assert write.call(session, world.access(who), world.a) is None
        else:
            with pytest.raises(PermissionDenied):
                write.call(session, world.access(who), world.a)
        ran = _sql(world.statements)
    # committed after the refusal, as a page that catches it would: nothing may have been written
    _assert_unchanged(world)
    if write.checks_first:
        assert ran == []
    else:
        assert all(s.lstrip().upper().startswith("SELECT") for s in ran), ran


def _audit_since(session: Session, last: int) -> list[tuple[str, str]]:
    query = select(AuditEvent.actor, AuditEvent.role).where(AuditEvent.id > last)
    return [tuple(row) for row in session.execute(query).all()]  # type: ignore[misc]


@pytest.mark.parametrize(("name", "who"), ALLOWED)
def test_a_write_with_the_right_succeeds_and_is_audited_under_the_callers_label(
    world: World, name: str, who: str
) -> None:
    write, access = WRITES[name], world.access(who)
    with Session(world.engine, expire_on_commit=False) as session:
        last = session.execute(select(func.coalesce(func.max(AuditEvent.id), 0))).scalar_one()
        if write.prepare:
            write.prepare(session, world.a)
        write.call(session, access, world.a)
        session.flush()
        events = _audit_since(session, last)
        session.rollback()

    assert events, f"{name} recorded no audit event"
    assert set(events) == {(ACTOR, str(access.role))}


# planner.ui.frame remembers reads of these modules per session under the plan's revision (planner.ui.memo):
# a write to one of them that left the revision alone would leave every open page showing the old data.
REMEMBERED = ("capabilities", "context", "culture", "initiatives", "means", "priorities", "traceability", "workforce")
# The board summary (also remembered) reads all of those and the plan's own details and shared records.
SUMMARY_ALSO_READS = ("plans.update_plan", "plans.set_archived", "records.add", "records.update", "records.remove",
                      "snapshots.restore_over_plan")  # fmt: skip
MOVES_REVISION = [
    pytest.param(name, next(who for who in ACCESSES if who in NEEDS[write.need]), id=name)
    for name, write in WRITES.items()
    if name.split(".")[0] in REMEMBERED or name in SUMMARY_ALSO_READS
]


def _revision(session: Session, plan_id: int) -> int:
    return session.execute(select(Plan.revision).where(Plan.id == plan_id)).scalar_one()


@pytest.mark.parametrize(("name", "who"), MOVES_REVISION)
def test_every_write_to_remembered_content_moves_the_plans_revision(world: World, name: str, who: str) -> None:
    write = WRITES[name]
    with Session(world.engine, expire_on_commit=False) as session:
        if write.prepare:
            write.prepare(session, world.a)
        before = _revision(session, world.a.id)
        write.call(session, world.access(who), world.a)
        session.flush()
        after = _revision(session, world.a.id)
        session.rollback()

    assert after > before, f"{name} changed the plan but not its revision"


FOREIGN = [pytest.param(name, id=name) for name, write in WRITES.items() if write.uses_records]


@pytest.mark.parametrize("name", FOREIGN)
def test_an_access_for_plan_a_cannot_reach_plan_bs_records(world: World, name: str) -> None:
    write = WRITES[name]
    who = next(who for who in ("editor@A", "owner@A", "participant@A", "owner@all") if who in NEEDS[write.need])
    with write_session(world.engine) as session, pytest.raises((PermissionDenied, LookupError, InvalidInput)):
        write.call(session, world.access(who), world.a.with_rows_of(world.b))
    _assert_unchanged(world)


# --- Reads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """A read function, who may call it, and a call with valid arguments on a plan."""

    need: str
    call: Call
    checks_first: bool = True  # False: it must look the round up to know its plan (votes)
    empty: Callable[[Any], bool] | None = None  # refuses by returning nothing rather than raising


def _vote_of(s: Session, a: Access, p: Target) -> Any:
    return culture.my_vote(s, a, p.row("open_round"), PARTICIPANT_KEY)


READS: dict[str, Read] = {
    "plans.get_plan": Read("participant", lambda s, a, p: plans.get_plan(s, a, p.id)),
    "plans.revision": Read("participant", lambda s, a, p: plans.revision(s, a, p.id)),
    "capabilities.tiers": Read("viewer", lambda s, a, p: capabilities.tiers(s, a, p.id)),
    "capabilities.list_capabilities": Read("viewer", lambda s, a, p: capabilities.list_capabilities(s, a, p.id)),
    "capabilities.assessors": Read("viewer", lambda s, a, p: capabilities.assessors(s, a, p.id)),
    "capabilities.rating_table": Read("viewer", lambda s, a, p: capabilities.rating_table(s, a, p.id)),
    "capabilities.rating_sheet": Read(
        "viewer", lambda s, a, p: capabilities.rating_sheet(s, a, p.id, p.row("tier"), "Leadership team")
    ),
    "capabilities.capability_gaps": Read("viewer", lambda s, a, p: capabilities.capability_gaps(s, a, p.id)),
    "capabilities.gap_view": Read("viewer", lambda s, a, p: capabilities.gap_view(s, a, p.id)),
    "context.elements": Read("viewer", lambda s, a, p: context.elements(s, a, p.id)),
    "context.list_items": Read("viewer", lambda s, a, p: context.list_items(s, a, p.id)),
    "context.narrative": Read("viewer", lambda s, a, p: context.narrative(s, a, p.id)),
    "culture.list_rounds": Read("viewer", lambda s, a, p: culture.list_rounds(s, a, p.id)),
    "culture.results": Read("viewer", lambda s, a, p: culture.results(s, a, p.id, p.row("closed_round"))),
    "culture.element_means": Read("viewer", lambda s, a, p: culture.element_means(s, a, p.id, p.row("closed_round"))),
    "culture.change_since_previous": Read(
        "viewer", lambda s, a, p: culture.change_since_previous(s, a, p.id, p.row("closed_round"))
    ),
    "culture.elements_table": Read("viewer", lambda s, a, p: culture.elements_table(s, a, p.id)),
    "culture.vote_round": Read("participant", lambda s, a, p: culture.vote_round(s, a, p.id)),
    "culture.vote_elements": Read("participant", lambda s, a, p: culture.vote_elements(s, a, p.id)),
    "culture.my_vote": Read("voter", _vote_of, checks_first=False),
    "export.json_document": Read("viewer", lambda s, a, p: export.json_document(s, a, p.id)),
    "export.export_bytes": Read("viewer", lambda s, a, p: export.export_bytes(s, a, p.id, "md")),
    "export.markdown_text": Read("viewer", lambda s, a, p: export.markdown_text(s, a, p.id)),
    "export.pdf_bytes": Read("viewer", lambda s, a, p: export.pdf_bytes(s, a, p.id)),
    "export.pptx_bytes": Read("viewer", lambda s, a, p: export.pptx_bytes(s, a, p.id)),
    "export.xlsx_bytes": Read("viewer", lambda s, a, p: export.xlsx_bytes(s, a, p.id)),
    "export.contents": Read("viewer", lambda s, a, p: export.contents(s, a, p.id)),
    "export.read_plan": Read("viewer", lambda s, a, p: export.read_plan(s, a, p.id, TODAY, lambda *_: None)),
    "history.audit_events": Read("viewer", lambda s, a, p: history.audit_events(s, a, p.id)),
    "history.audit_log": Read("viewer", lambda s, a, p: history.audit_log(s, a, p.id)),
    "history.audit_choices": Read("viewer", lambda s, a, p: history.audit_choices(s, a, p.id)),
    "initiatives.portfolio": Read("viewer", lambda s, a, p: initiatives.portfolio(s, a, p.id)),
    "initiatives.links": Read("viewer", lambda s, a, p: initiatives.links(s, a, p.id)),
    "initiatives.link_options": Read("viewer", lambda s, a, p: initiatives.link_options(s, a, p.id)),
    "initiatives.milestones": Read("viewer", lambda s, a, p: initiatives.milestones(s, a, p.id)),
    "initiatives.check_ins": Read("viewer", lambda s, a, p: initiatives.check_ins(s, a, p.id, p.row("initiative"))),
    "initiatives.tiers": Read("viewer", lambda s, a, p: initiatives.tiers(s, a, p.id)),
    "means.list_means": Read("viewer", lambda s, a, p: means.list_means(s, a, p.id)),
    "means.priorities": Read("viewer", lambda s, a, p: means.priorities(s, a, p.id)),
    "means.tiers": Read("viewer", lambda s, a, p: means.tiers(s, a, p.id)),
    "means.totals": Read("viewer", lambda s, a, p: means.totals(s, a, p.id)),
    "means.coverage": Read("viewer", lambda s, a, p: means.coverage(s, a, p.id)),
    "means.uncovered": Read("viewer", lambda s, a, p: means.uncovered(s, a, p.id)),
    "means.latest_element_means": Read("viewer", lambda s, a, p: means.latest_element_means(s, a, p.id)),
    "priorities.ranked_candidates": Read("viewer", lambda s, a, p: priorities.ranked_candidates(s, a, p.id)),
    "priorities.latest_round": Read("viewer", lambda s, a, p: priorities.latest_round(s, a, p.id)),
    "priorities.list_priorities": Read("viewer", lambda s, a, p: priorities.list_priorities(s, a, p.id)),
    "priorities.list_objectives": Read("viewer", lambda s, a, p: priorities.list_objectives(s, a, p.id)),
    "priorities.tier_keys": Read("viewer", lambda s, a, p: priorities.tier_keys(s, a, p.id)),
    "priorities.diversity_target_draft": Read(
        "viewer", lambda s, a, p: priorities.diversity_target_draft(s, a, p.id, "board")
    ),
    "snapshots.list_snapshots": Read("viewer", lambda s, a, p: snapshots.list_snapshots(s, a, p.id)),
    "snapshots.snapshot_document": Read(
        "viewer", lambda s, a, p: snapshots.snapshot_document(s, a, p.id, p.row("snapshot"))
    ),
    "snapshots.compare": Read(
        "viewer", lambda s, a, p: snapshots.compare(s, a, p.id, p.row("snapshot"), snapshots.CURRENT)
    ),
    "snapshots.daily_due": Read(
        "editor", lambda s, a, p: snapshots.daily_due(s, a, p.id, TODAY + timedelta(days=1)), empty=lambda r: r is False
    ),
    "summary.headline": Read("viewer", lambda s, a, p: summary.headline(s, a, p.id)),
    "summary.assurance": Read("viewer", lambda s, a, p: summary.assurance(s, a, p.id)),
    "summary.board": Read("viewer", lambda s, a, p: summary.board(s, a, p.id)),
    "traceability.chains": Read("viewer", lambda s, a, p: traceability.chains(s, a, p.id)),
    "traceability.orphan_initiatives": Read("viewer", lambda s, a, p: traceability.orphan_initiatives(s, a, p.id)),
    "traceability.budget": Read("viewer", lambda s, a, p: traceability.budget(s, a, p.id)),
    "workforce.tiers": Read("viewer", lambda s, a, p: workforce.tiers(s, a, p.id)),
    "workforce.sources": Read("viewer", lambda s, a, p: workforce.sources(s, a, p.id)),
    "workforce.counts": Read("viewer", lambda s, a, p: workforce.counts(s, a, p.id)),
    "workforce.headcounts": Read("viewer", lambda s, a, p: workforce.headcounts(s, a, p.id)),
    "workforce.staff_mix": Read("viewer", lambda s, a, p: workforce.staff_mix(s, a, p.id)),
    "workforce.representation": Read("viewer", lambda s, a, p: workforce.representation(s, a, p.id)),
    "workforce.dimension_counts": Read(
        "viewer", lambda s, a, p: workforce.dimension_counts(s, a, p.id, "board", "gender")
    ),
    "workforce.band_mapping": Read("viewer", lambda s, a, p: workforce.band_mapping(s, a, p.id)),
    "workforce.band_tiers": Read("viewer", lambda s, a, p: workforce.band_tiers(s, a, p.id)),
    "workforce.qualities": Read("viewer", lambda s, a, p: workforce.qualities(s, a, p.id)),
    "sharing.list_links": Read("owner", lambda s, a, p: sharing.list_links(s, a, p.id)),
    "sharing.link_plan": Read("admin", lambda s, a, p: sharing.link_plan(s, a, p.row("share_link"))),
    "members.list_members": Read("owner", lambda s, a, p: members.list_members(s, a, p.id)),
    # no plan id: it lists what the access may see (tested on its own below)
    "plans.list_plans": Read("viewer", lambda s, a, p: plans.list_plans(s, a), empty=lambda r: r == []),
}

# Refusals only: each takes seconds when allowed (export.contents reads the same plan for all of them).
SLOW_READS = {
    "export.pdf_bytes",
    "export.pptx_bytes",
    "export.xlsx_bytes",
    "export.export_bytes",
    "export.markdown_text",
}


def _run_refused_read(world: World, read: Read, access: Access, target: Target) -> None:
    with read_session(world.engine) as session:
        world.statements.clear()
        if read.empty is not None:
            assert read.empty(read.call(session, access, target))
        else:
            with pytest.raises(PermissionDenied):
                read.call(session, access, target)
        ran = _sql(world.statements)
    if read.checks_first and read.empty is None:
        assert ran == []
    assert all(s.lstrip().upper().startswith("SELECT") for s in ran), ran


CROSS = [
    pytest.param(name, role, id=f"{name}-{role}") for name in READS if name != "plans.list_plans" for role in ROLES
]


@pytest.mark.parametrize(("name", "role"), CROSS)
def test_an_access_for_plan_a_reads_nothing_of_plan_b(world: World, name: str, role: str) -> None:
    access = Access(Role(role), plan_id=world.a.id, actor=ACTOR, round_id=world.a.row("open_round"))
    _run_refused_read(world, READS[name], access, world.b)


BELOW = [
    pytest.param(name, who, id=f"{name}-{who}")
    for name, read in READS.items()
    if name != "plans.list_plans"
    for who in ACCESSES
    if who.endswith("@A") and who not in NEEDS[read.need]
]


@pytest.mark.parametrize(("name", "who"), BELOW)
def test_a_read_without_the_role_is_refused_on_the_own_plan(world: World, name: str, who: str) -> None:
    _run_refused_read(world, READS[name], world.access(who), world.a)


LOWEST = [
    pytest.param(name, who, id=f"{name}-{who}")
    for name, read in READS.items()
    if name not in SLOW_READS
    for who in [next(w for w in [*reversed(ACCESSES[:4]), "owner@all"] if w in NEEDS[read.need])]
]


@pytest.mark.parametrize(("name", "who"), LOWEST)
def test_the_least_role_that_may_read_can(world: World, name: str, who: str) -> None:
    read = READS[name]
    with read_session(world.engine) as session:
        found = read.call(session, world.access(who), world.a)
    if read.empty is not None:
        assert not read.empty(found)


@pytest.mark.parametrize("role", ROLES)
def test_list_plans_never_shows_another_plan(world: World, role: str) -> None:
    with read_session(world.engine) as session:
        shown = [view.id for view in plans.list_plans(session, Access(Role(role), plan_id=world.a.id))]

    assert shown == ([] if role == Role.PARTICIPANT else [world.a.id])


# --- Completeness -----------------------------------------------------------------------------


def _functions_with_access() -> set[str]:
    """Every public function of planner/ (but its UI and command line) taking `session` and `access`."""
    found = set()
    for module_info in pkgutil.iter_modules(planner.__path__):
        if module_info.name in SKIPPED_MODULES:
            continue
        module = import_module(f"planner.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            public = not name.startswith("_") and function.__module__ == module.__name__
            if public and {"session", "access"} <= set(inspect.signature(function).parameters):
                found.add(f"{module_info.name}.{name}")
    return found


def test_every_function_taking_an_access_is_in_the_matrix() -> None:
    listed = set(WRITES) | set(READS) | set(HELPERS)

    assert sorted(_functions_with_access() - listed) == [], "add each new function to WRITES or READS"
    assert sorted(listed - _functions_with_access()) == [], "remove entries of functions that are gone"
    assert not set(WRITES) & set(READS)


def test_the_matrix_denies_and_allows_both() -> None:
    for write in WRITES.values():
        assert NEEDS[write.need] and set(ACCESSES) - NEEDS[write.need]
    assert len(DENIED) + len(ALLOWED) == len(WRITES) * len(ACCESSES)
