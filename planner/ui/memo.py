"""Memory of plan reads and chart pictures, kept in the server process so that reruns and new viewers skip them.

Reads are kept per plan (its database and id) under the plan's state: its revision, which every write to the
plan moves in the write's own transaction (planner.db.bump_revision), its `updated_at` (a plan id that SQLite
reuses after a deletion comes with a new one) and the day; each plan keeps only its latest state's reads. A
read's key holds the reader's access and the read's arguments. So a viewer is given a read only when a session
with the same access has just read the same plan in the same state, which it would have read itself: another
user's change is a new state and is read afresh (DESIGN §3). Restore a database only with the app stopped: a
restored plan can come back in a state the process remembers with other content. Chart pictures are kept
under a digest of their inputs (see `chart`).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from planner.db import fresh_copy

T = TypeVar("T")
READ_PLANS = 64  # plans whose latest reads are kept; the large plan's, every page read, pickle to about 0.8 MB
CHART_LIMIT = 256  # a page draws at most a handful: this keeps every page of a few dozen plans
_charts: OrderedDict[bytes, Any] = OrderedDict()
_charts_lock = threading.Lock()  # sessions run in threads
_reads: OrderedDict[Hashable, tuple[Hashable, dict[Hashable, Any]]] = OrderedDict()
_reads_lock = threading.Lock()


def read(plan: Hashable, state: Hashable, key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or its result kept in this process for the same plan, in the same state, under the same key."""
    try:
        hash(key)
    except TypeError:  # unhashable arguments: nothing to key on
        return compute()
    with _reads_lock:
        held = _reads.get(plan)
        if held is not None and held[0] == state and key in held[1]:
            _reads.move_to_end(plan)
            return fresh_copy(held[1][key])
    value = compute()  # outside the lock: two sessions may both read, neither waits for the other
    _keep(plan, state, key, value)
    return fresh_copy(value)


def _keep(plan: Hashable, state: Hashable, key: Hashable, value: Any) -> None:
    with _reads_lock:
        held = _reads.get(plan)
        if held is None or held[0] != state:
            held = _reads[plan] = (state, {})
        held[1][key] = value
        _reads.move_to_end(plan)
        while len(_reads) > READ_PLANS:
            _reads.popitem(last=False)


def forget_reads() -> None:
    """Forget every kept read, as a change to each plan would (benchmarks time a first reader with it)."""
    with _reads_lock:
        _reads.clear()


def digest(*parts: Any) -> bytes | None:
    """A digest of picklable inputs, or None when they cannot be pickled."""
    try:
        return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).digest()
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


def chart(key: bytes | None, build: Callable[[], T]) -> T:
    """build(), or the value built earlier in this process for the same key (the CHART_LIMIT most recent kept).

    Keys are digests of a chart's builder and its input data, so an entry never goes stale (changed data is a
    new key) and a session can only reach an entry for data it has just read itself. Sessions share them, which
    spares each new viewer of an unchanged plan the drawing.
    """
    if key is None:
        return build()
    with _charts_lock:
        if key in _charts:
            _charts.move_to_end(key)
            return _charts[key]
    built = build()
    with _charts_lock:
        _charts[key] = built
        while len(_charts) > CHART_LIMIT:
            _charts.popitem(last=False)
    return built
