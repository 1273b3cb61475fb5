"""Stress: 20 writer processes x 50 writes on one plan, after the same 50 writes by a single writer.

Every acknowledged write must be in the database afterwards, every refused one must have been
refused with planner.db.Conflict (only versioned edits of shared rows may be), and nothing else may
go wrong: no "database is locked" on SQLite, no deadlock or serialisation error on PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.concurrency.workload import (
    acked,
    half_written,
    lost_updates,
    missing_writes,
    overlap,
    percentiles,
    prepare,
    rejected_but_present,
    run_writers,
)

WRITERS = 20
WRITES = 50


def test_concurrent_writers_lose_nothing_and_fail_only_with_conflicts(
    database_url: str, tmp_path: Path, report: Callable[[str], None]
) -> None:
    target = prepare(database_url)
    single = run_writers(target, 1, WRITES, tmp_path, "single")
    many = run_writers(target, WRITERS, WRITES, tmp_path, "many")
    entries = single + many

    assert len(many) == WRITERS * WRITES and len(single) == WRITES  # every write reported exactly once
    assert overlap(many) > 0  # the writers really ran at the same time
    assert [e for e in entries if e["outcome"] == "error"] == []
    assert {e["kind"] for e in entries if e["outcome"] == "conflict"} <= {"edit"}
    assert missing_writes(target, entries) == []
    assert lost_updates(target, entries) == []
    assert rejected_but_present(target, entries) == []
    assert half_written(target) == []
    _report(database_url, single, many, report)


def _report(url: str, single: list[dict], many: list[dict], report: Callable[[str], None]) -> None:
    (p50_one, p95_one), (p50, p95) = percentiles(single), percentiles(many)
    wall = max(e["ended"] for e in many) - min(e["at"] for e in many)
    outcomes = Counter(e["outcome"] for e in many)
    report(
        f"{url.split(':')[0]}: {WRITERS} writers x {WRITES} writes: {outcomes['ack']} acknowledged, "
        f"{outcomes['conflict']} conflicts in {wall:.1f} s (all writers running together for {overlap(many):.1f} s); "
        f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms; "
        f"single writer p50 {p50_one * 1000:.1f} ms, p95 {p95_one * 1000:.1f} ms; "
        f"ratio p50 {p50 / p50_one:.1f}x, p95 {p95 / p95_one:.1f}x; kinds acknowledged "
        f"{dict(Counter(e['kind'] for e in acked(many)))}"
    )
