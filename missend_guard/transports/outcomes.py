"""Delivery outcomes the disk refused (full): kept in memory, written again later, never redone."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from missend_guard.core.ports.outbox import OutboxItem, StorageError

log = logging.getLogger(__name__)

# Written again after 0.5 s, 1 s, 2 s ... then every minute until the disk takes it.
FIRST_SECONDS = 0.5
CAP_SECONDS = 60.0


@dataclass
class _Outcome:
    record: Callable[[], OutboxItem]  # one outbox transition
    then: Callable[[OutboxItem], None]  # audit, history, event: once it is on disk
    due: float  # time.monotonic()
    delay: float


class PendingOutcomes:
    """What the upstream answered (a 250, a 451) but the outbox could not record yet.

    The mail stays SENDING on disk meanwhile: the worker never claims it again, and should the
    app stop first, the next start makes it UNCERTAIN if it had reached its point of no return.
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._outcomes: dict[str, _Outcome] = {}

    @property
    def ids(self) -> tuple[str, ...]:
        """Items whose outcome is known but not yet on disk."""
        with self._lock:
            return tuple(self._outcomes)

    def settle(self, item_id: str, record: Callable[[], OutboxItem],
               then: Callable[[OutboxItem], None]) -> None:
        """Record now and run `then`; when the disk refuses, keep both for `write_due`."""
        try:
            fresh = record()
        except StorageError as exc:
            log.error("could not record the outcome of %s (%s); it is kept in memory and written "
                      "as soon as the disk allows", item_id, exc)
            with self._lock:
                self._outcomes[item_id] = _Outcome(record, then, self._monotonic() + FIRST_SECONDS,
                                                   FIRST_SECONDS)
            return
        then(fresh)

    def write_due(self, *, force: bool = False) -> None:
        """Try again those whose time has come (all with `force`), backing off while refused."""
        with self._lock:
            waiting = list(self._outcomes.items())
        now = self._monotonic()
        for item_id, outcome in waiting:
            if outcome.due > now and not force:
                continue
            try:
                fresh = outcome.record()
            except StorageError:
                outcome.delay = min(CAP_SECONDS, outcome.delay * 2)
                outcome.due = now + outcome.delay
                continue
            with self._lock:
                del self._outcomes[item_id]
            log.info("the outcome of %s is recorded now", item_id)
            outcome.then(fresh)

    def seconds_until_due(self) -> float | None:
        """How long until the next try, or None when nothing waits."""
        with self._lock:
            dues = [outcome.due for outcome in self._outcomes.values()]
        return max(0.0, min(dues) - self._monotonic()) if dues else None
