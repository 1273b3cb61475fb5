"""Shared fixtures: a migrated, seeded database per test, on SQLite and (when configured) PostgreSQL.

SQLite: migrating with Alembic takes about 0.2 s, so the session migrates (and seeds) one
template file with `planner.migration.upgrade` and every test gets a fresh byte copy of it (a
few milliseconds); seed() then runs again per test and finds nothing to add. The copy sits
behind one session-wide engine, because SQLAlchemy caches compiled SQL per engine and
recompiling every statement for every test cost more than the test itself.
PostgreSQL (only when PLANNER_TEST_POSTGRES_URL is set): the session creates one uniquely
named database, migrates it once, and every test starts by deleting all rows but the intervention
library and alembic_version (about 20 ms), then seeds. The database is dropped at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import JSON, Date, Engine, select  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

import planner.models  # noqa: E402, F401  (registers every table)
from planner import plans  # noqa: E402
from planner.access import Access, owner  # noqa: E402
from planner.db import make_engine, write_session  # noqa: E402
from planner.document import SKIPPED, TREE, insert_document  # noqa: E402
from planner.framework import SEED_DIR, framework_document, read_seed  # noqa: E402
from planner.migration import upgrade  # noqa: E402
from planner.seed import DEMO_FILE, seed  # noqa: E402
from tests.pg import postgres_database  # noqa: E402

PG_URL = os.environ.get("PLANNER_TEST_POSTGRES_URL", "").strip()
NO_PG = "PLANNER_TEST_POSTGRES_URL not set"
FIGURE = "figure"  # a test's user property: a line of figures for the terminal summary
_figures: list[str] = []


# --- The run: tests in parallel (pytest-xdist, `-n auto` in pyproject.toml), figures at the end ------------


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Tests go to the workers a file at a time, so that a module's fixtures are built once, and the browser
    tests all to one worker: two Chromiums with their servers at once on two cores made each browser test up
    to twice as slow (the conflict dialog's 17 s to 31 s), where the live tests allow a change 5 s to show."""
    from xdist.scheduler import LoadFileScheduling

    class Scheduler(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "tests/browser" if nodeid.startswith("tests/browser/") else super()._split_scope(nodeid)

    return Scheduler(config, log)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # Figures travel in the test's report, which xdist sends from the worker to the process that prints.
    if report.when == "call":
        _figures.extend(line for name, line in report.user_properties if name == FIGURE)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _figures:
        terminalreporter.section("concurrency figures")
        for line in _figures:
            terminalreporter.write_line(line)


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.skipif(not PG_URL, reason=NO_PG)),
]
DEMO_MISSING = "seed_data/demo_plan.json is not there yet (it is being written separately)"

Rows = dict[str, list[tuple[Any, ...]]]


def all_tables() -> list[Any]:
    """Every planner table, parents before children."""
    return list(SQLModel.metadata.sorted_tables)


def database_rows(engine: Engine) -> Rows:
    """Every row of every planner table, ordered by primary key: a snapshot to compare."""
    with engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]
            for table in all_tables()
        }


# --- SQLite -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated by Alembic (and seeded), copied for every test."""
    path = tmp_path_factory.mktemp("template") / "planner.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    _seeded(engine)
    engine.dispose()
    return path


def _sqlite_copy(template: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, target)


@pytest.fixture(scope="session")
def sqlite_shared(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One engine for the session (so compiled SQL is cached); its file is replaced per test."""
    path = tmp_path_factory.mktemp("shared") / "planner.db"
    _sqlite_copy(sqlite_template, path)
    shared = make_engine(f"sqlite:///{path}")
    yield shared
    shared.dispose()


def _fresh_sqlite(shared: Engine, template: Path) -> Engine:
    shared.dispose()  # closes every pooled connection, which checkpoints and removes the WAL
    _sqlite_copy(template, Path(shared.url.database or ""))
    return shared


# --- PostgreSQL ---------------------------------------------------------------------------


def pg_database() -> AbstractContextManager[str]:
    """A fresh, uniquely named PostgreSQL database on PLANNER_TEST_POSTGRES_URL's server (dropped afterwards)."""
    return postgres_database(PG_URL)


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    """A migrated PostgreSQL database shared by the session (rows are deleted per test)."""
    if not PG_URL:
        pytest.skip(NO_PG)
    with pg_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()


def _delete_plan_rows(engine: Engine) -> None:
    # The library (intervention) stays: no test edits it, and seed() puts back any row a test deleted.
    with engine.begin() as connection:
        for table in reversed(all_tables()):
            if table.name != "intervention":
                connection.execute(table.delete())


# --- Engines for tests --------------------------------------------------------------------


def _seeded(engine: Engine) -> Engine:
    with write_session(engine) as session:
        seed(session)
    return engine


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated, seeded, otherwise empty database on each configured backend."""
    if request.param == "sqlite":
        shared = _fresh_sqlite(request.getfixturevalue("sqlite_shared"), request.getfixturevalue("sqlite_template"))
        yield _seeded(shared)
    else:
        shared = request.getfixturevalue("pg_engine")
        _delete_plan_rows(shared)
        yield _seeded(shared)


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, seeded SQLite database with its own engine (for SQLite-specific behaviour)."""
    path = tmp_path / "planner.db"
    _sqlite_copy(sqlite_template, path)
    sqlite = _seeded(make_engine(f"sqlite:///{path}"))
    yield sqlite
    sqlite.dispose()


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A brand-new database that has never been migrated, on each configured backend."""
    if request.param == "sqlite":
        fresh = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield fresh
        fresh.dispose()
        return
    with pg_database() as url:
        fresh = make_engine(url)
        yield fresh
        fresh.dispose()


# --- Plans and snapshots ------------------------------------------------------------------


@pytest.fixture
def owner_access() -> Access:
    """The local-mode user: full access to every plan."""
    return owner()


@pytest.fixture
def make_plan(engine: Engine, owner_access: Access) -> Callable[..., int]:
    """Create a plan (framework template by default) in its own transaction; return its id."""

    def make(name: str = "Test plan", template: str = "framework", **values: Any) -> int:
        with write_session(engine) as session:
            return plans.create_plan(session, owner_access, template=template, name=name, **values)

    return make


@pytest.fixture
def plan_id(make_plan: Callable[..., int]) -> int:
    """A fresh framework plan."""
    return make_plan()


@pytest.fixture
def demo_document() -> dict[str, Any]:
    """The demo plan document; skips while seed_data/demo_plan.json does not exist yet."""
    if not (SEED_DIR / DEMO_FILE).exists():
        pytest.skip(DEMO_MISSING)
    return read_seed(DEMO_FILE)


@pytest.fixture
def snapshot(engine: Engine) -> Callable[[], Rows]:
    """Call to capture every row of the test database, to prove that nothing changed."""
    return lambda: database_rows(engine)


def build_full_document(name: str = "Full plan") -> dict[str, Any]:
    """The framework document plus at least one record in every table a plan file holds."""
    document = framework_document(name)
    document["plan"].update(
        organisation="Test Trust", sector="Acute", horizon_start="2026-04-01", horizon_end="2029-03-31",
        description="Every table has a row.", narrative="Quality first.",
    )
    records = document["records"]
    extra: dict[str, dict[str, Any]] = {
        "context_item": {"category": "strategy", "title": "Elective backlog", "priority": "high",
                         "element_keys": ["vision"], "position": 1},
        "survey_round": {"name": "Spring pulse", "held_on": "2026-03-01", "status": "closed"},
        "survey_response": {"round_id": "survey_round-1", "participant_hash": "p1", "group_key": "nursing"},
        "survey_rating": {"response_id": "survey_response-1", "element_id": "cultural_element-1", "score": 4},
        "survey_tally": {"round_id": "survey_round-1", "element_id": "cultural_element-3", "group_key": "medical",
                         "score": 5, "count": 17},
        "survey_comment": {"round_id": "survey_round-1", "response_id": "survey_response-1",
                           "element_id": "cultural_element-2", "group_key": "nursing", "text": "More time for QI"},
        "capability_rating": {"capability_id": "capability-1", "tier_id": "leadership_tier-1", "required": 3,
                              "current": 2, "importance": 5, "evidence": "360 feedback"},
        "workforce_aggregate": {"tier_id": "leadership_tier-1", "dimension": "gender", "category": "female",
                                "count": 12},
        "workforce_benchmark": {"dimension": "gender", "category": "female", "count": 5000},
        "leadership_quality": {"name": "Compassion", "strength": 3, "position": 1},
        "priority": {"capability_id": "capability-10", "title": "Shared leadership", "rank": 1,
                     "element_keys": ["teams"]},
        "objective": {"priority_id": "priority-1", "capability_id": "capability-10", "title": "Teams set goals",
                      "due": "2027-03-31", "status": "on_track", "element_keys": ["objectives"]},
        "means": {"priority_id": "priority-1", "capability_id": "capability-10", "mode": "develop",
                  "approach": "Action learning sets", "cost": 15000, "reach": 40},
        "initiative": {"title": "Team coaching", "start": "2026-04-01", "end": "2027-03-31", "budget": 20000,
                       "percent_complete": 25, "status": "in_progress"},
        "initiative_link": {"initiative_id": "initiative-1", "means_id": "means-1", "priority_id": "priority-1",
                            "objective_id": "objective-1", "capability_id": "capability-10"},
        "milestone": {"initiative_id": "initiative-1", "title": "Cohort 1 starts", "due": "2026-05-01",
                      "done": True, "done_on": "2026-05-02"},
        "check_in": {"initiative_id": "initiative-1", "checked_on": "2026-06-30", "rag": "amber",
                     "percent_complete": 25, "note": "Slow start"},
    }
    for table, record in extra.items():
        rows = records.setdefault(table, [])
        rows.append({"ref": f"{table}-{len(rows) + 1}", **record})
    for model, _owner in TREE:  # tables added to the schema later get one generated record
        table = model.__table__  # type: ignore[attr-defined]
        if not records.get(table.name):
            records[table.name] = [{"ref": f"{table.name}-1", **_generated_record(table, records)}]
    return document


def _generated_record(table: Any, records: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Values for every column of `table` that a plan file carries: refs to first records, simple values."""
    samples = {int: 1, str: "x", bool: False, list: [], dict: {}}
    record: dict[str, Any] = {}
    for column in table.columns:
        if column.name in SKIPPED:
            continue
        targets = [fk.column.table.name for fk in column.foreign_keys]
        if targets:
            record[column.name] = records[targets[0]][0]["ref"]
        elif isinstance(column.type, Date):
            record[column.name] = "2026-01-01"
        elif isinstance(column.type, JSON):
            record[column.name] = []
        else:
            record[column.name] = samples.get(column.type.python_type, "x")
    return record


@pytest.fixture
def full_document() -> Callable[..., dict[str, Any]]:
    """Call (optionally with a plan name) for a document with rows in every plan table."""
    return build_full_document


@pytest.fixture
def full_plan(engine: Engine) -> int:
    """A plan with rows in every plan table."""
    with write_session(engine) as session:
        return insert_document(session, build_full_document())
