"""vl-convert in a worker process of its own (`python planner/renderer.py`, fed through its stdin and stdout).

vl-convert holds Python's GIL while it draws (tens to hundreds of milliseconds a chart), so drawing in the
server's process would stall every other session meanwhile. One worker draws one chart at a time; it starts
on first use, again if it dies, and leaves when the server's end of its stdin closes, however the server ended.
A plain subprocess rather than multiprocessing, whose "spawn" start re-runs the parent's __main__ script. It
runs this file as a script, not `-m planner.renderer`, so that the worker never imports the planner package,
whose __init__ imports pandas (90 MB more per worker, and a slower start).
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

SCRIPT = Path(__file__).resolve()
HEADER = struct.Struct(">cI")  # kind (b"s" SVG, b"p" PNG, b"e" error) and the length that follows
# Every session's charts queue for the one worker, so a chart it never finishes would stall them all. The
# slowest chart seen, the large plan's 300-cell heatmap, takes under a second.
TIMEOUT_S = 30.0
_worker: subprocess.Popen[bytes] | None = None
_lock = threading.Lock()


class RenderError(ValueError):
    """vl-convert could not draw the spec."""


def svg(spec: str) -> str:
    """A Vega-Lite spec (JSON text) drawn as an SVG document."""
    return _ask(b"s", {"spec": spec}).decode()


def png(spec: str, scale: float) -> bytes:
    """A Vega-Lite spec (JSON text) drawn as a PNG at `scale` times its size in pixels."""
    return _ask(b"p", {"spec": spec, "scale": scale})


def _ask(kind: bytes, request: dict[str, Any]) -> bytes:
    with _lock:
        try:
            return _timed(kind, request)
        except (BrokenPipeError, EOFError):  # the worker was killed (out of memory, say): start another, once
            _stop()
            return _timed(kind, request)


def _timed(kind: bytes, request: dict[str, Any]) -> bytes:
    """One exchange with the worker, which is killed, and the chart refused, past TIMEOUT_S."""
    worker = _started()
    timer = threading.Timer(TIMEOUT_S, worker.kill)
    timer.start()
    try:
        return _exchange(worker, kind, request)
    except (BrokenPipeError, EOFError):
        if not timer.finished.is_set():  # it died of something else
            raise
        _stop()
        raise RenderError(f"the chart took longer than {TIMEOUT_S:g} s to draw") from None
    finally:
        timer.cancel()


def _exchange(worker: subprocess.Popen[bytes], kind: bytes, request: dict[str, Any]) -> bytes:
    _write(worker.stdin, kind, json.dumps(request).encode())  # type: ignore[arg-type]
    answer, body = _read(worker.stdout)  # type: ignore[arg-type]
    if answer == b"e":
        raise RenderError(body.decode())
    return body


def _started() -> subprocess.Popen[bytes]:
    global _worker
    if _worker is None or _worker.poll() is not None:
        _worker = subprocess.Popen([sys.executable, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    return _worker


def _stop() -> None:
    global _worker
    if _worker is not None:
        _worker.kill()
        _worker.wait()
    _worker = None


def _write(stream: IO[bytes], kind: bytes, body: bytes) -> None:
    stream.write(HEADER.pack(kind, len(body)) + body)
    stream.flush()


def _read(stream: IO[bytes]) -> tuple[bytes, bytes]:
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        raise EOFError("the chart worker has gone")
    kind, length = HEADER.unpack(header)
    body = stream.read(length)
    if len(body) < length:
        raise EOFError("the chart worker has gone")
    return kind, body


def _serve() -> None:
    """The worker: answer requests until stdin closes."""
    import vl_convert

    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything else printed goes to stderr, not into the answers
    draw = {b"s": lambda r: vl_convert.vegalite_to_svg(r["spec"]).encode(),
            b"p": lambda r: vl_convert.vegalite_to_png(r["spec"], scale=r["scale"])}  # fmt: skip
    while True:
        try:
            kind, body = _read(sys.stdin.buffer)
        except EOFError:
            return
        try:
            _write(answers, kind, draw[kind](json.loads(body)))
        except Exception as error:  # every failure goes back to the caller
            _write(answers, b"e", str(error).encode())


if __name__ == "__main__":
    _serve()
