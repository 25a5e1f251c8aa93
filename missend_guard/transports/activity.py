"""Mail programs talking to the relay right now: background sends wait for a pause (issue 15).

A mail program waits for the relay's reply to every command; the upstream send of a mail it
submitted a moment ago does not have to happen in the same millisecond. Sent alongside, it
competes with the next submission for the interpreter and the database (a burst of 10 KB mails
took 2 ms longer each). So delivery waits until no client has spoken for `settle` seconds and no
DATA is being received or decided, never longer than a bound past a mail's due time
(`DeliveryWorker`, 2 s): a review open for a minute delays another mail's send by that bound at
most. A lone session's end is quiet at once; only a burst of sessions keeps `settle`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# A mail program's next command (or the next mail of a burst) comes within this; a pause longer
# than this is one the send can use. Short: a longer idle gap costs the next client more (caches
# and CPU clocks go cold) than the overlap would.
SETTLE_SECONDS = 0.002


class Activity:
    """When a client last spoke to the relay, and how many are sending DATA; any thread."""

    def __init__(self, settle: float = SETTLE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._settle = settle
        self._clock = clock
        self._last = float("-inf")
        self._busy = 0
        self._lock = threading.Lock()
        self._open = 0  # connections (counted on the relay's loop)
        self._closed_at = float("-inf")
        self._burst = False  # the newest connection came within `settle` of a close

    def touch(self) -> None:
        """A client connected or sent a command (called on the relay's loop, per command)."""
        self._last = self._clock()

    def connected(self) -> None:
        """A client connected (on the relay's loop)."""
        now = self._clock()
        self._open += 1
        self._burst = now - self._closed_at < self._settle
        self._last = now

    def disconnected(self) -> None:
        """A client closed its connection (on the relay's loop).

        The last one of a lone session: quiet at once (idle, the next client would find caches
        and CPU clocks cold: waiting costs more than it spares). Within a burst (this one came
        right after a close), the next one is probably on its way: `settle` applies.
        """
        now = self._clock()
        self._open = max(0, self._open - 1)
        self._closed_at = now
        self._last = float("-inf") if self._open == 0 and not self._burst else now

    @contextmanager
    def busy(self) -> Iterator[None]:
        """A message's DATA is on its way in or being decided: busy however long it takes."""
        with self._lock:
            self._busy += 1
        try:
            yield
        finally:
            with self._lock:
                self._busy -= 1
            self.touch()

    def quiet_in(self) -> float:
        """Seconds until the relay has been quiet for `settle` (0: quiet now)."""
        if self._busy:
            return self._settle
        return max(0.0, self._last + self._settle - self._clock())
