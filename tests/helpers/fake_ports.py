"""In-memory stand-ins for the storage ports, keeping the same promises (states, exact bytes)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import OutboxItem, OutboxState, StorageError


class MemoryOutbox:
    """A DeliveryOutbox in memory; `fail_store` simulates a full disk."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.fail_store: str | None = None
        self._items: dict[str, OutboxItem] = {}
        self._raw: dict[str, bytes] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.replies: dict[str, str] = {}

    def store(
        self, raw: bytes, envelope: Envelope, *, subject: str, message_id: str, account: str,
        hold_seconds: float,
    ) -> OutboxItem:
        if self.fail_store:
            raise StorageError(self.fail_store)
        with self._lock:
            now = self.clock()
            item = OutboxItem(
                id=f"m{next(self._ids):04d}", state=OutboxState.HELD, mail_from=envelope.mail_from,
                rcpt_tos=tuple(envelope.rcpt_tos), subject=subject, message_id=message_id,
                account=account, created_at=now, hold_until=now + hold_seconds,
            )
            self._items[item.id] = item
            self._raw[item.id] = bytes(raw)
            return item

    def get(self, item_id: str) -> OutboxItem | None:
        return self._items.get(item_id)

    def items(self, states: Sequence[OutboxState] = ()) -> list[OutboxItem]:
        return [i for i in self._items.values() if not states or i.state in states]

    def read(self, item_id: str) -> bytes:
        return self._raw[item_id]

    def claim_due(self, now: float | None = None) -> list[OutboxItem]:
        now = self.clock() if now is None else now
        with self._lock:
            due = [
                i for i in self._items.values()
                if (i.state is OutboxState.HELD and i.hold_until <= now)
                or (i.state is OutboxState.RETRY and (i.next_retry or 0) <= now)
            ]
            for item in due:
                self._items[item.id] = replace(
                    item, state=OutboxState.SENDING, attempts=item.attempts + 1
                )
            return [self._items[i.id] for i in due]

    def _set(self, item_id: str, **changes: object) -> OutboxItem:
        with self._lock:
            item = replace(self._items[item_id], **changes)  # type: ignore[arg-type]
            self._items[item_id] = item
            return item

    def mark_sent(self, item_id: str, reply: str) -> OutboxItem:
        self.replies[item_id] = reply
        return self._set(item_id, state=OutboxState.SENT, last_error="")

    def mark_retry(self, item_id: str, error: str, next_retry: float) -> OutboxItem:
        return self._set(
            item_id, state=OutboxState.RETRY, last_error=error, next_retry=next_retry
        )

    def mark_failed(self, item_id: str, error: str) -> OutboxItem:
        return self._set(item_id, state=OutboxState.FAILED, last_error=error)

    def recover(self) -> int:
        sending = self.items([OutboxState.SENDING])
        for item in sending:
            self._set(item.id, state=OutboxState.RETRY, next_retry=self.clock())
        return len(sending)

    def next_due(self) -> float | None:
        times = [
            i.hold_until if i.state is OutboxState.HELD else (i.next_retry or 0)
            for i in self._items.values() if i.state in (OutboxState.HELD, OutboxState.RETRY)
        ]
        return min(times, default=None)


class MemoryAudit:
    """Keeps events in a list."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def record(self, event: AuditEvent) -> None:
        self.events.append(event)

    def kinds(self) -> list[tuple[str, str]]:
        """(kind, decision) pairs in order."""
        return [(e.kind, e.decision) for e in self.events]
