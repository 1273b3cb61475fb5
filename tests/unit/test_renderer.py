"""vl-convert draws in a worker process of its own, which comes back if it dies."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner import renderer
from planner.settings import PROJECT_ROOT

ENCODING = {"x": {"field": "b", "type": "quantitative"}, "y": {"field": "a", "type": "nominal"}}
SPEC = json.dumps({"data": {"values": [{"a": "x", "b": 2}]}, "mark": "bar", "encoding": ENCODING})


def _worker() -> int:
    assert renderer._worker is not None
    return renderer._worker.pid


def test_charts_are_drawn_in_another_process() -> None:
    assert renderer.svg(SPEC).startswith("<svg")
    assert renderer.png(SPEC, 2).startswith(b"\x89PNG")
    assert _running(_worker()) and _worker() != os.getpid()  # vl-convert holds the GIL while it draws


def test_the_worker_does_not_load_pandas() -> None:
    renderer.svg(SPEC)  # the planner package's __init__ imports pandas: 90 MB more in every worker
    maps = Path(f"/proc/{_worker()}/maps").read_text()

    assert "vl_convert" in maps and "pandas" not in maps


def test_a_bad_spec_raises_here() -> None:
    with pytest.raises(renderer.RenderError):
        renderer.svg("{not json")
    assert renderer.svg(SPEC).startswith("<svg"), "the worker goes on"


def test_a_killed_worker_is_replaced() -> None:
    renderer.svg(SPEC)
    worker = _worker()
    os.kill(worker, signal.SIGKILL)

    assert renderer.svg(SPEC).startswith("<svg")
    assert _worker() != worker


def test_a_worker_that_does_not_answer_is_replaced_and_the_chart_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    renderer.svg(SPEC)
    worker = _worker()
    monkeypatch.setattr(renderer, "TIMEOUT_S", 1.0)
    os.kill(worker, signal.SIGSTOP)  # as a chart vl-convert never finishes would leave it
    started = time.monotonic()

    with pytest.raises(renderer.RenderError, match="longer than 1 s"):
        renderer.svg(SPEC)
    assert time.monotonic() - started < 10 and not _running(worker)
    monkeypatch.undo()  # a new worker's start counts against the limit: 1 s is too short for it on a busy machine
    assert renderer.svg(SPEC).startswith("<svg") and _worker() != worker, "the next chart gets a new worker"


def test_the_worker_leaves_with_the_server_process() -> None:
    script = f"from planner import renderer\nrenderer.svg({SPEC!r})\nprint(renderer._worker.pid, flush=True)\ninput()"
    server = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    worker = int(server.stdout.readline())  # type: ignore[union-attr]
    assert _running(worker)

    server.kill()  # as a stopped Streamlit would leave it, without shutting its pool down
    server.wait()
    deadline = time.monotonic() + 10
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(worker)


def _running(pid: int) -> bool:
    """Whether the process is alive (a zombie, which PID 1 in a container may never reap, is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
