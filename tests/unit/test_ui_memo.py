"""The process-wide memory of plan reads: kept per plan under its state, the latest state only, a few dozen plans."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from planner.ui import memo

PLAN = ("sqlite:///a.db", 1)


@pytest.fixture(autouse=True)
def empty_memory() -> None:
    memo._reads.clear()


def counter(value: object = 1) -> tuple[list[int], Callable[[], object]]:
    """A list that gains an item at every call of the returned function, which returns `value`."""
    calls: list[int] = []

    def compute() -> object:
        calls.append(1)
        return value

    return calls, compute


def test_a_read_in_the_same_state_is_computed_once_and_given_as_a_copy() -> None:
    calls, compute = counter(pd.DataFrame({"title": ["A"]}))
    first = memo.read(PLAN, (3, "t0"), "key", compute)
    first.loc[0, "title"] = "changed by its receiver"
    second = memo.read(PLAN, (3, "t0"), "key", compute)

    assert len(calls) == 1
    assert second.loc[0, "title"] == "A"


def test_a_new_state_reads_afresh_and_forgets_the_old_one() -> None:
    calls, compute = counter()
    for state in ((3, "t0"), (4, "t0"), (3, "t0"), (3, "t1")):
        memo.read(PLAN, state, "key", compute)

    assert len(calls) == 4
    assert len(memo._reads) == 1, "a plan keeps only its latest state"


def test_plans_keys_and_states_do_not_mix() -> None:
    calls, compute = counter()
    for plan, key in ((PLAN, "a"), (PLAN, "b"), (("sqlite:///b.db", 1), "a"), (("sqlite:///a.db", 2), "a")):
        memo.read(plan, (3, "t0"), key, compute)
        memo.read(plan, (3, "t0"), key, compute)

    assert len(calls) == 4


def test_the_least_recently_read_plan_is_forgotten_beyond_the_limit() -> None:
    calls, compute = counter()
    memo.read(("db", 0), 1, "key", compute)
    for plan_id in range(1, memo.READ_PLANS + 1):
        memo.read(("db", plan_id), 1, "key", compute)
    memo.read(("db", memo.READ_PLANS), 1, "key", compute)
    memo.read(("db", 0), 1, "key", compute)

    assert len(calls) == memo.READ_PLANS + 2
    assert len(memo._reads) == memo.READ_PLANS


def test_an_unhashable_key_is_never_kept() -> None:
    calls, compute = counter()
    memo.read(PLAN, 1, ("key", ["a list"]), compute)
    memo.read(PLAN, 1, ("key", ["a list"]), compute)

    assert len(calls) == 2


def test_forgetting_reads_makes_the_next_reader_compute() -> None:
    calls, compute = counter()
    memo.read(PLAN, 1, "key", compute)
    memo.forget_reads()
    memo.read(PLAN, 1, "key", compute)

    assert len(calls) == 2
