"""Slowing down clients that keep presenting bad share-link tokens."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

FREE_TRIES = 3  # a mistyped or stale link or two costs nothing
FIRST_DELAY = 1.0
MAX_DELAY = 10.0
FORGET_AFTER = 15 * 60.0  # seconds without a failure after which a client starts afresh
MAX_CLIENTS = 10_000  # bounded memory even if someone cycles through addresses


@dataclass
class Throttle:
    """Failure counts per client; the delay doubles with each bad token past the free tries."""

    clock: Callable[[], float] = time.monotonic
    _failures: OrderedDict[str, tuple[int, float]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def delay(self, client: str) -> float:
        """Seconds to wait before checking this client's next token."""
        with self._lock:
            count = self._count(client)
        if count < FREE_TRIES:
            return 0.0
        return min(FIRST_DELAY * 2 ** (count - FREE_TRIES), MAX_DELAY)

    def failed(self, client: str) -> None:
        """Count one bad token from this client."""
        with self._lock:
            self._failures[client] = (self._count(client) + 1, self.clock())
            self._failures.move_to_end(client)
            while len(self._failures) > MAX_CLIENTS:
                self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        """Forget a client's failures once it presents a valid token."""
        with self._lock:
            self._failures.pop(client, None)

    def _count(self, client: str) -> int:
        count, last = self._failures.get(client, (0, 0.0))
        if count and self.clock() - last > FORGET_AFTER:
            del self._failures[client]
            return 0
        return count
