"""Mail programs talking to the relay right now: background sends wait for a pause (issue 15).

A mail program waits for the relay's reply to every command; the upstream send of a mail it
submitted a moment ago does not have to happen in the same millisecond. Sent alongside, it
competes with the next submission for the interpreter and the database (a burst of 10 KB mails
took 2 ms longer each). So delivery waits until no client has spoken for `settle` seconds and no
DATA is being received or decided, but never longer than a bounded time past a mail's due time
(`DeliveryWorker`): a review the user takes a minute over delays another mail's send that long.
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

    def touch(self) -> None:
        """A client connected or sent a command (called on the relay's loop, per command)."""
        self._last = self._clock()

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
