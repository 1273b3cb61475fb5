"""Repeated bad tokens from one client are slowed down; others are not."""

from __future__ import annotations

import pytest

from planner.throttle import FORGET_AFTER, MAX_CLIENTS, MAX_DELAY, Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _fail(throttle: Throttle, client: str, times: int) -> list[float]:
    delays = []
    for _ in range(times):
        delays.append(throttle.delay(client))
        throttle.failed(client)
    return delays


def test_the_first_tries_are_free_then_the_delay_doubles_up_to_a_cap(clock: Clock) -> None:
    throttle = Throttle(clock)

    assert _fail(throttle, "10.0.0.1", 9) == [0, 0, 0, 1, 2, 4, 8, MAX_DELAY, MAX_DELAY]


def test_one_clients_failures_do_not_slow_another(clock: Clock) -> None:
    throttle = Throttle(clock)
    _fail(throttle, "attacker", 6)

    assert throttle.delay("attacker") > 0
    assert throttle.delay("workshop laptop") == 0


def test_a_valid_token_clears_the_clients_record(clock: Clock) -> None:
    throttle = Throttle(clock)
    _fail(throttle, "client", 5)

    throttle.succeeded("client")

    assert throttle.delay("client") == 0


def test_failures_are_forgotten_after_a_quiet_spell(clock: Clock) -> None:
    throttle = Throttle(clock)
    _fail(throttle, "client", 5)

    clock.now += FORGET_AFTER + 1

    assert throttle.delay("client") == 0
    assert _fail(throttle, "client", 4) == [0, 0, 0, 1]


def test_memory_is_bounded_by_dropping_the_oldest_clients(clock: Clock) -> None:
    throttle = Throttle(clock)
    _fail(throttle, "first", 5)
    for number in range(MAX_CLIENTS):
        throttle.failed(f"client {number}")

    assert throttle.delay("first") == 0
    assert len(throttle._failures) == MAX_CLIENTS
