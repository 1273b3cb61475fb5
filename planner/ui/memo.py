"""Per-browser-session memory of plan reads and chart specs, so a rerun over an unchanged plan does not redo them.

Reads are kept under the open plan's revision, which every write to the plan moves (planner.db.bump_revision),
and under the day, the caller's access and the arguments: a rerun after any change reads afresh. Charts are kept
under a digest of their inputs. Both live in the session's own state, never shared between users (DESIGN §3).
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import pickle
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

T = TypeVar("T")
READS_KEY = "memo_reads"
CHARTS_KEY = "memo_charts"
CHART_LIMIT = 24  # a page draws at most a handful; a few pages' worth is kept while someone moves between them


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
    return _fresh(held[1][key])


def _fresh(value: T) -> T:
    """A copy the caller may change without changing what is kept (pandas copies on write, so this is cheap)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)  # type: ignore[return-value]
    if isinstance(value, int | float | str | bytes | bool | type(None)):
        return value
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_fresh(part) for part in value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [_fresh(part) for part in value]  # type: ignore[return-value]
    if isinstance(value, dict):
        return {name: _fresh(part) for name, part in value.items()}  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _fresh(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **fields)  # type: ignore[return-value]
    return copy.deepcopy(value)


def digest(*parts: Any) -> bytes | None:
    """A digest of picklable inputs, or None when they cannot be pickled."""
    try:
        return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).digest()
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


def chart(key: bytes | None, build: Callable[[], T]) -> T:
    """build(), or the value built earlier in this session for the same key (the most recent CHART_LIMIT kept)."""
    if key is None:
        return build()
    held: dict[bytes, Any] = st.session_state.setdefault(CHARTS_KEY, {})
    if key in held:
        held[key] = held.pop(key)  # most recently used last
    else:
        held[key] = build()
        while len(held) > CHART_LIMIT:
            held.pop(next(iter(held)))
    return held[key]
