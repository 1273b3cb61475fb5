"""Fixtures for the concurrency tests: a migrated database of its own per test, and a summary of the figures.

Writers run in separate processes, so these tests cannot use the shared per-test engine of
tests/conftest.py: each gets its own SQLite file (WAL) or its own PostgreSQL database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.concurrency.workload import migrate
from tests.conftest import FIGURE
from tests.pg import postgres_database

PG_URL = os.environ.get("PLANNER_TEST_POSTGRES_URL", "").strip()
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(not PG_URL, reason="PLANNER_TEST_POSTGRES_URL not set"),
    ),
]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, migrated and seeded database on each configured backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'planner.db'}"
        migrate(url)
        yield url
        return
    with postgres_database(PG_URL, "planner_concurrency") as url:
        migrate(url)
        yield url


@pytest.fixture
def report(request: pytest.FixtureRequest) -> Iterator[Callable[[str], None]]:
    """Call with a line of figures: printed now (-s, -rP) and again in the terminal summary (tests/conftest.py)."""

    def add(line: str) -> None:
        print(line)
        request.node.user_properties.append((FIGURE, line))

    yield add
