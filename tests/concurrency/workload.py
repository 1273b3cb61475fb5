"""A concurrent write workload on one plan, shared by the stress and crash tests and benchmarks/concurrent_writes.py.

Each writer is its own process (forked from a clean forkserver that never opened the database, so
SQLite's file locks and PostgreSQL's row locks are real) and runs a mix of real planner writes on
the same plan: new context items, versioned edits of a few context items that every writer shares,
initiative check-ins and survey votes through a participant link. Right after each commit returns,
the writer appends one JSON line to its own log ("ack"; with fsync when `durable`); a write refused
with planner.db.Conflict is logged as "conflict" and anything else as "error". The checks below then
compare the logs with the database.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from planner import context, culture, initiatives, plans
from planner.access import Access, Role, owner
from planner.db import Conflict, make_engine, read_session, write_session
from planner.framework import names
from planner.migration import upgrade
from planner.models import AuditEvent, CheckIn, ContextItem, CulturalElement, Plan, SurveyRating, SurveyResponse
from planner.seed import seed

KINDS = ("create", "edit", "check_in", "vote")
WEIGHTS = (1, 2, 1, 1)  # edits of shared rows are the contended case, so they come twice as often
SHARED_ITEMS = 4
VOTE_KEYS = 3  # each writer votes as 3 participants, so most votes revise an earlier one
JOIN_SECONDS = 300
OWNER = owner("concurrency setup")


@dataclass(frozen=True)
class Target:
    """The plan every writer writes to, the records they share, and its revision before any writer ran."""

    url: str
    plan_id: int
    item_ids: tuple[int, ...]
    initiative_id: int
    round_id: int
    revision: int
    events: int  # the plan's audit events at that point


# --- Databases -----------------------------------------------------------------------------


def migrate(url: str) -> None:
    """Bring a new database to the newest schema and seed the library."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        with write_session(engine) as session:
            seed(session)
    finally:
        engine.dispose()


def prepare(url: str) -> Target:
    """Create the plan the writers share: a few context items, an initiative and an open survey round."""
    engine = make_engine(url)
    try:
        with write_session(engine) as session:
            plan_id = plans.create_plan(session, OWNER, name="Concurrency plan")
            category = next(iter(context.categories()))
            items = [
                context.add_item(session, OWNER, plan_id, category=category, title=f"Shared {n}")
                for n in range(SHARED_ITEMS)
            ]
            initiative_id = initiatives.add_initiative(session, OWNER, plan_id, title="Shared initiative")
            round_id = culture.create_round(session, OWNER, plan_id, "Shared round", date.today())
        with read_session(engine) as session:
            revision, events = _counters(session, plan_id)
    finally:
        engine.dispose()
    return Target(url, plan_id, tuple(items), initiative_id, round_id, revision, events)


def _counters(session: Session, plan_id: int) -> tuple[int, int]:
    """The plan's revision and its number of audit events."""
    revision = session.execute(select(Plan.revision).where(Plan.id == plan_id)).scalar_one()
    events = session.execute(select(func.count(AuditEvent.id)).where(AuditEvent.plan_id == plan_id)).scalar_one()
    return revision, events


# --- One writer ----------------------------------------------------------------------------


@dataclass
class Writer:
    """One writer process: its engine, identities, random choices and log."""

    target: Target
    label: str
    engine: Engine
    log: TextIO
    durable: bool
    rng: random.Random
    elements: list[str] = field(default_factory=list)
    in_write: Any = None  # a shared multiprocessing Value: 1 while a write transaction is open

    @property
    def editor(self) -> Access:
        return Access(role=Role.EDITOR, plan_id=self.target.plan_id, actor=self.label)

    @property
    def participant(self) -> Access:
        return Access(
            role=Role.PARTICIPANT, plan_id=self.target.plan_id, actor="participant", round_id=self.target.round_id
        )

    def record(self, entry: dict[str, Any]) -> None:
        """Append one outcome to the log; durable: on disk before the next write starts."""
        self.log.write(json.dumps(entry) + "\n")
        self.log.flush()
        if self.durable:
            os.fsync(self.log.fileno())


def _timed(writer: Writer, action: Callable[[Session], Any]) -> tuple[Any, float]:
    """Run one write transaction; return its result and the seconds until its commit returned."""
    start = time.perf_counter()
    _mark(writer, 1)
    try:
        with write_session(writer.engine) as session:
            result = action(session)
    finally:
        _mark(writer, 0)
    return result, time.perf_counter() - start


def _mark(writer: Writer, value: int) -> None:
    if writer.in_write is not None:
        writer.in_write.value = value


def _create(w: Writer, tag: str) -> dict[str, Any]:
    category = next(iter(context.categories()))
    row_id, seconds = _timed(w, lambda s: context.add_item(s, w.editor, w.target.plan_id, category=category, title=tag))
    return {"id": row_id, "seconds": seconds}


def _edit(w: Writer, tag: str) -> dict[str, Any]:
    item = w.rng.choice(w.target.item_ids)
    with read_session(w.engine) as session:  # as a page would: read the version, then save against it
        seen = session.execute(select(ContextItem.version).where(ContextItem.id == item)).scalar_one()
    version, seconds = _timed(w, lambda s: context.update_item(s, w.editor, w.target.plan_id, item, seen, detail=tag))
    return {"item": item, "seen": seen, "version": version, "seconds": seconds}


def _check_in(w: Writer, tag: str) -> dict[str, Any]:
    rag, percent = w.rng.choice(list(initiatives.RAGS)), w.rng.randrange(100)
    row_id, seconds = _timed(
        w,
        lambda s: initiatives.add_check_in(
            s, w.editor, w.target.plan_id, w.target.initiative_id, date.today(), rag, percent, note=tag
        ),
    )
    return {"id": row_id, "seconds": seconds}


def _vote(w: Writer, tag: str) -> dict[str, Any]:
    key = f"{w.label}-k{w.rng.randrange(VOTE_KEYS)}"
    group = w.rng.choice(list(names("survey_groups")))
    scores = {element: w.rng.randint(1, 5) for element in w.elements}
    row_id, seconds = _timed(
        w, lambda s: culture.submit_vote(s, w.participant, w.target.round_id, key, group, scores, comment=tag)
    )
    return {"id": row_id, "key": key, "scores": scores, "seconds": seconds}


OPERATIONS: dict[str, Callable[[Writer, str], dict[str, Any]]] = {
    "create": _create,
    "edit": _edit,
    "check_in": _check_in,
    "vote": _vote,
}


def _attempt(writer: Writer, n: int) -> dict[str, Any]:
    """One write of a random kind, reported as ack, conflict or error."""
    kind = writer.rng.choices(KINDS, WEIGHTS)[0]
    entry: dict[str, Any] = {"writer": writer.label, "kind": kind, "tag": f"{writer.label}-{n}", "at": time.time()}
    try:
        entry |= {"outcome": "ack"} | OPERATIONS[kind](writer, entry["tag"])
    except Conflict as error:
        entry |= {"outcome": "conflict", "message": str(error)}
    except Exception as error:  # the stress test asserts that nothing else ever happens
        entry |= {"outcome": "error", "message": f"{type(error).__name__}: {error}"}
    return entry | {"ended": time.time()}


def run_writer(
    target: Target,
    label: str,
    writes: int,
    log_path: str,
    durable: bool = False,
    barrier: Any = None,
    seconds: float = 120.0,
    in_write: Any = None,
) -> None:
    """Process body: `writes` writes (or until `seconds` have passed), each logged right after it ends."""
    engine = make_engine(target.url)
    with open(log_path, "a", encoding="utf-8") as log:
        writer = Writer(target, label, engine, log, durable, random.Random(label), in_write=in_write)
        with read_session(engine) as session:  # connect and read before the start line, not in the first write
            writer.elements = [e.key for e in culture.vote_elements(session, writer.participant, target.plan_id)]
        if barrier is not None:
            barrier.wait(JOIN_SECONDS)
        deadline = time.monotonic() + seconds
        for n in range(writes):
            if time.monotonic() > deadline:
                break
            writer.record(_attempt(writer, n))
    engine.dispose()


# --- Processes -----------------------------------------------------------------------------


def processes() -> Any:
    """A multiprocessing context whose children are forked from a server that has imported the planner once."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])  # 20 fresh interpreters would spend ~25 s of CPU importing
    return ctx


def run_writers(target: Target, writers: int, writes: int, folder: Path, label: str) -> list[dict[str, Any]]:
    """Start `writers` processes together, wait for them, and return every entry of their logs."""
    ctx = processes()
    barrier = ctx.Barrier(writers)
    paths = [folder / f"{label}-{n}.jsonl" for n in range(writers)]
    children = [
        ctx.Process(target=run_writer, args=(target, f"{label}{n}", writes, str(path), False, barrier))
        for n, path in enumerate(paths)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(JOIN_SECONDS)
    failed = [child.exitcode for child in children if child.exitcode != 0]
    if failed:
        for child in children:
            child.kill()
        raise RuntimeError(f"{len(failed)} writer process(es) did not finish cleanly: exit codes {failed}")
    return [entry for path in paths for entry in read_log(path)]


def read_log(path: Path) -> list[dict[str, Any]]:
    """A writer's log; a last line cut short by a kill is ignored (that write was never acknowledged)."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    entries = []
    for number, line in enumerate(lines, 1):
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            if number != len(lines):
                raise
    return entries


# --- Checks --------------------------------------------------------------------------------


def acked(entries: Iterable[dict[str, Any]], kind: str | None = None) -> list[dict[str, Any]]:
    """The acknowledged entries (of one kind)."""
    return [e for e in entries if e["outcome"] == "ack" and kind in (None, e["kind"])]


@dataclass(frozen=True)
class Found:
    """What the database holds for the target plan, read once."""

    revision: int
    items: dict[int, tuple[int, str, str, int]]  # id → plan id, title, detail, version
    check_ins: dict[int, tuple[int, str]]  # id → initiative id, note
    responses: dict[int, tuple[int, str]]  # id → round id, participant hash
    ratings: dict[int, dict[int, int]]  # response id → element id → score
    edits: set[tuple[int, str]]  # (context item id, detail) of every audited edit


def found(target: Target) -> Found:
    """Read what the checks compare with the logs, through a fresh engine."""
    engine = make_engine(target.url)
    try:
        with read_session(engine) as s:
            return _found(s, target)
    finally:
        engine.dispose()


def _found(s: Session, target: Target) -> Found:
    c, k, r, a = ContextItem, CheckIn, SurveyResponse, AuditEvent
    ratings: dict[int, dict[int, int]] = {}
    for response_id, element_id, score in s.execute(
        select(SurveyRating.response_id, SurveyRating.element_id, SurveyRating.score)
    ):
        ratings.setdefault(response_id, {})[element_id] = score
    events = s.execute(
        select(a.entity_id, a.after).where(a.plan_id == target.plan_id, a.action == "context_item.update")
    )
    return Found(
        revision=s.execute(select(Plan.revision).where(Plan.id == target.plan_id)).scalar_one(),
        items={row[0]: tuple(row[1:]) for row in s.execute(select(c.id, c.plan_id, c.title, c.detail, c.version))},
        check_ins={row[0]: tuple(row[1:]) for row in s.execute(select(k.id, k.initiative_id, k.note))},
        responses={row[0]: tuple(row[1:]) for row in s.execute(select(r.id, r.round_id, r.participant_hash))},
        ratings=ratings,
        edits={(entity_id, (after or {}).get("detail")) for entity_id, after in events},
    )


def half_written(target: Target) -> list[str]:
    """Each workload write bumps the revision once and records one audit event, in one transaction: counts agree."""
    engine = make_engine(target.url)
    try:
        with read_session(engine) as session:
            revision, events = _counters(session, target.plan_id)
    finally:
        engine.dispose()
    bumps, recorded = revision - target.revision, events - target.events
    return [] if bumps == recorded else [f"{bumps} revision bumps but {recorded} audit events since setup"]


def missing_writes(target: Target, entries: list[dict[str, Any]]) -> list[str]:
    """Every acknowledged write that the database does not hold, as one line each."""
    db = found(target)
    problems = []
    for e in acked(entries):
        if e["kind"] == "create" and db.items.get(e["id"], (0, ""))[:2] != (target.plan_id, e["tag"]):
            problems.append(f"context item {e['id']} ({e['tag']}) is missing")
        if e["kind"] == "edit" and (e["item"], e["tag"]) not in db.edits:
            problems.append(f"edit {e['tag']} of context item {e['item']} (version {e['version']}) is missing")
        if e["kind"] == "check_in" and db.check_ins.get(e["id"]) != (target.initiative_id, e["tag"]):
            problems.append(f"check-in {e['id']} ({e['tag']}) is missing")
        if e["kind"] == "vote" and db.responses.get(e["id"]) != (target.round_id, culture.participant_hash(e["key"])):
            problems.append(f"vote {e['tag']} (response {e['id']}) is missing")
    return problems


def lost_updates(target: Target, entries: list[dict[str, Any]]) -> list[str]:
    """With every writer finished: no acknowledged edit overwritten unseen, no revision lost, last votes kept."""
    db = found(target)
    problems = (
        []
        if db.revision - target.revision == len(acked(entries))
        else [
            f"plan revision rose by {db.revision - target.revision}, but {len(acked(entries))} writes were acknowledged"
        ]
    )
    for item in target.item_ids:
        edits = sorted((e["version"], e["tag"]) for e in acked(entries, "edit") if e["item"] == item)
        _plan, _title, detail, version = db.items[item]
        if [v for v, _ in edits] != list(range(2, version + 1)):
            problems.append(
                f"context item {item} is at version {version}; acknowledged versions {[v for v, _ in edits]}"
            )
        if edits and detail != edits[-1][1]:
            problems.append(f"context item {item} holds {detail!r}, not the last acknowledged edit {edits[-1][1]!r}")
    return problems + _lost_votes(target, db, entries)


def _lost_votes(target: Target, db: Found, entries: list[dict[str, Any]]) -> list[str]:
    engine = make_engine(target.url)
    with read_session(engine) as session:
        query = select(CulturalElement.key, CulturalElement.id).where(CulturalElement.plan_id == target.plan_id)
        ids = dict(session.execute(query).all())
    engine.dispose()
    last = {e["key"]: e for e in acked(entries, "vote")}  # each key is one writer's, whose log is in order
    return [
        f"vote {e['tag']}: participant {key} has scores {db.ratings.get(e['id'])}, not {e['scores']}"
        for key, e in last.items()
        if db.ratings.get(e["id"]) != {ids[element]: score for element, score in e["scores"].items()}
    ]


def rejected_but_present(target: Target, entries: list[dict[str, Any]]) -> list[str]:
    """Edits reported as conflicts that the database applied anyway."""
    edits = found(target).edits
    return [
        f"edit {e['tag']} was refused but applied"
        for e in entries
        if e["outcome"] == "conflict" and e["kind"] == "edit" and any(tag == e["tag"] for _, tag in edits)
    ]


def overlap(entries: list[dict[str, Any]]) -> float:
    """Seconds during which every writer had started and none had finished (0: they never all ran together)."""
    spans: dict[str, list[float]] = {}
    for e in entries:
        first, last = spans.get(e["writer"], [e["at"], e["ended"]])
        spans[e["writer"]] = [min(first, e["at"]), max(last, e["ended"])]
    return max(0.0, min(end for _, end in spans.values()) - max(start for start, _ in spans.values()))


def percentiles(entries: list[dict[str, Any]]) -> tuple[float, float]:
    """p50 and p95 of the acknowledged writes' latency, in seconds."""
    seconds = sorted(e["seconds"] for e in acked(entries))
    if len(seconds) < 2:
        return (seconds[0], seconds[0]) if seconds else (0.0, 0.0)
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49], cuts[94]
