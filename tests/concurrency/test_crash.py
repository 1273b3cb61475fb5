"""Crash: a writer process killed with SIGKILL in the middle of a write burst, ten times over on one database.

The writer appends each acknowledged write to its log with flush + fsync right after the commit
returns, so every line in the log is a write the user was told had been saved. After each kill,
`python -m planner check` must pass and every one of those writes must be in the database.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.concurrency.workload import (
    Target,
    acked,
    half_written,
    missing_writes,
    prepare,
    processes,
    read_log,
    run_writer,
)

ROOT = Path(__file__).resolve().parents[2]
KILLS = 10
BURST = 100_000  # more writes than a burst can reach before it is killed
BURST_SECONDS = 60.0  # a writer that is somehow never killed still stops by itself


def _wait_for_acks(log: Path, process: Any, minimum: int) -> None:
    deadline = time.monotonic() + 60
    while len(acked(read_log(log))) < minimum:
        assert process.is_alive(), f"the writer exited with {process.exitcode} before it was killed"
        assert time.monotonic() < deadline, "the writer acknowledged nothing within 60 s"
        time.sleep(0.01)


def _kill_mid_burst(target: Target, log: Path, label: str, rng: random.Random) -> bool:
    """Start a durable writer, let it acknowledge a few writes, then SIGKILL it after a random short delay.

    Returns whether a write transaction was open just before the kill (as the writer last flagged it).
    """
    ctx = processes()
    in_write = ctx.Value("i", 0, lock=False)
    args = (target, label, BURST, str(log), True, None, BURST_SECONDS, in_write)
    process = ctx.Process(target=run_writer, args=args)
    process.start()
    _wait_for_acks(log, process, rng.randint(1, 5))
    time.sleep(rng.uniform(0, 0.2))
    assert process.is_alive(), "the burst ended before the kill"
    during_write = bool(in_write.value)
    os.kill(process.pid, signal.SIGKILL)
    process.join(30)
    assert process.exitcode == -signal.SIGKILL
    return during_write


def _check(url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLANNER_DATABASE_URL": url}
    command = [sys.executable, "-m", "planner", "check"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_killed_writer_loses_no_acknowledged_write(
    database_url: str, tmp_path: Path, report: Callable[[str], None]
) -> None:
    target = prepare(database_url)
    rng = random.Random(20260409)
    every: list[dict[str, Any]] = []
    during_write = 0
    for kill in range(KILLS):
        log = tmp_path / f"burst-{kill}.jsonl"
        during_write += _kill_mid_burst(target, log, f"burst{kill}", rng)
        check = _check(database_url)
        assert check.returncode == 0, f"kill {kill + 1}: planner check failed: {check.stderr.strip()}"
        entries = read_log(log)
        assert [e for e in entries if e["outcome"] == "error"] == []
        assert missing_writes(target, entries) == [], f"kill {kill + 1}"
        assert half_written(target) == [], f"kill {kill + 1}"
        every += entries
    assert missing_writes(target, every) == []
    counts = [len(acked(read_log(tmp_path / f"burst-{kill}.jsonl"))) for kill in range(KILLS)]
    report(
        f"{database_url.split(':')[0]}: {KILLS} SIGKILLs, {during_write} with a write transaction open; "
        f"acknowledged writes before each kill {counts}, all present; planner check passed after each"
    )
