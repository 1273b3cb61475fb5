"""Memory of plan reads (per browser session) and chart pictures (per input), so reruns do not redo them.

Reads are kept under the open plan's revision, which every write to the plan moves (planner.db.bump_revision),
and under the day, the caller's access and the arguments: a rerun after any change reads afresh. They live in
the session's own state and are never shared between users (DESIGN §3). Chart pictures are kept under a
digest of their inputs (see `chart`).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st

from planner.db import fresh_copy

T = TypeVar("T")
READS_KEY = "memo_reads"
CHART_LIMIT = 256  # a page draws at most a handful: this keeps every page of a few dozen plans
_charts: OrderedDict[bytes, Any] = OrderedDict()
_charts_lock = threading.Lock()  # sessions run in threads


def read(stamp: Hashable, key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or its result from earlier in this session under the same stamp (plan, revision, day, access)."""
    try:
        hash(key)
    except TypeError:  # unhashable arguments: nothing to key on
        return compute()
    held = st.session_state.get(READS_KEY)
    if held is None or held[0] != stamp:
        held = st.session_state[READS_KEY] = (stamp, {})
    if key not in held[1]:
        held[1][key] = compute()
    return fresh_copy(held[1][key])


def digest(*parts: Any) -> bytes | None:
    """A digest of picklable inputs, or None when they cannot be pickled."""
    try:
        return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).digest()
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


def chart(key: bytes | None, build: Callable[[], T]) -> T:
    """build(), or the value built earlier in this process for the same key (the CHART_LIMIT most recent kept).

    Keys are digests of a chart's builder and its input data, so an entry never goes stale (changed data is a
    new key) and a session can only reach an entry for data it has just read itself: unlike plan reads, chart
    pictures can be shared between sessions, which spares each new viewer of an unchanged plan the drawing.
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
