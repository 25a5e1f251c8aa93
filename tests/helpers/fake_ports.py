"""In-memory stand-ins for the storage ports, keeping the same promises (states, exact bytes)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import replace

from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import (
    DecisionEvent,
    OutboxItem,
    OutboxState,
    Recovery,
    Spool,
    StorageError,
)
from missend_guard.core.ports.review import Decision, ReviewRequest

H, S, OK, RT, F, RET, UN = (OutboxState.HELD, OutboxState.SENDING, OutboxState.SENT,
                            OutboxState.RETRY, OutboxState.FAILED, OutboxState.RETURNED,
                            OutboxState.UNCERTAIN)


class MemoryAudit:
    """Keeps events in a list."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def record(self, event: AuditEvent) -> None:
        self.events.append(event)

    def kinds(self) -> list[tuple[str, str]]:
        """(kind, decision) pairs in order."""
        return [(e.kind, e.decision) for e in self.events]


class MemoryOutbox:
    """An Outbox in memory; `fail_store` simulates a full disk; decisions go to `audit`."""

    def __init__(self, clock: Callable[[], float] = time.time, *,
                 audit: MemoryAudit | None = None) -> None:
        self.clock = clock
        self.audit = audit or MemoryAudit()
        self.fail_store: str | None = None
        self._items: dict[str, OutboxItem] = {}
        self._raw: dict[str, bytes] = {}
        self._trying: set[str] = set()
        self._delivering: set[str] = set()  # past the point of no return
        self.sent_at: dict[str, float] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.replies: dict[str, str] = {}
        self.spools: list[Spool | None] = []  # what each store() was offered to keep

    def store(
        self, raw: bytes, envelope: Envelope, *, subject: str, message_id: str, account: str,
        hold_seconds: float, decision: DecisionEvent, spool: Spool | None = None,
    ) -> OutboxItem:
        self.spools.append(spool)
        if self.fail_store:
            raise StorageError(self.fail_store)
        with self._lock:
            now = self.clock()
            item = OutboxItem(
                id=f"m{next(self._ids):04d}", state=H, mail_from=envelope.mail_from,
                rcpt_tos=tuple(envelope.rcpt_tos), subject=subject, message_id=message_id,
                account=account, created_at=now, hold_until=now + hold_seconds,
            )
            event = decision(item)  # before anything is kept: a failing event stores nothing
            self._items[item.id] = item
            self._raw[item.id] = bytes(raw)
            self.audit.record(event)
            return item

    def get(self, item_id: str) -> OutboxItem | None:
        return self._items.get(item_id)

    def items(self, states: Sequence[OutboxState] = (), *, limit: int | None = None,
              newest_first: bool = False) -> list[OutboxItem]:
        found = [i for i in self._items.values() if not states or i.state in states]
        found.sort(key=lambda i: (i.created_at, i.id), reverse=newest_first)
        return found if limit is None else found[:limit]

    def read(self, item_id: str) -> bytes:
        return self._raw[item_id]

    def next_due(self) -> float | None:
        times = [
            i.hold_until if i.state is H else (i.next_retry or 0)
            for i in self._items.values() if i.state in (H, RT)
        ] + [i.next_retry for i in self._items.values() if i.state is UN and i.next_retry]
        return min(times, default=None)

    def claim_due(self, now: float | None = None) -> list[OutboxItem]:
        now = self.clock() if now is None else now
        with self._lock:
            due = [
                i for i in self._items.values()
                if (i.state is H and i.hold_until <= now)
                or (i.state is RT and (i.next_retry or 0) <= now)
            ]
            for item in due:
                self._items[item.id] = replace(item, state=S)
            return [self._items[i.id] for i in due]

    def _move(self, item_id: str, allowed: tuple[OutboxState, ...], **changes: object) -> OutboxItem:
        with self._lock:
            item = self._items[item_id]
            if item.state not in allowed:
                raise ValueError(f"Message {item_id} is {item.state.value}; it can no longer be changed.")
            item = replace(item, **changes)  # type: ignore[arg-type]
            self._items[item_id] = item
            return item

    def begin_attempt(self, item_id: str) -> OutboxItem:
        self._trying.add(item_id)
        self._delivering.discard(item_id)
        item = self._items[item_id]
        return self._move(item_id, (S,), attempts=item.attempts + 1, waiting_for="",
                          tried_at=self.clock())

    def mark_delivering(self, item_id: str) -> OutboxItem:
        self._delivering.add(item_id)
        return self._move(item_id, (S,))

    def mark_sent(self, item_id: str, reply: str) -> OutboxItem:
        self.replies[item_id] = reply
        self.sent_at[item_id] = self.clock()
        self._trying.discard(item_id)
        self._delivering.discard(item_id)
        return self._move(item_id, (S, UN), state=OK, last_error="", next_retry=None, tried_at=None)

    def mark_uncertain(self, item_id: str, error: str, look_again: float | None) -> OutboxItem:
        self._trying.discard(item_id)
        self._delivering.discard(item_id)
        return self._move(item_id, (S, UN), state=UN, last_error=error, next_retry=look_again)

    def mark_retry(self, item_id: str, error: str, next_retry: float) -> OutboxItem:
        self._trying.discard(item_id)
        return self._move(item_id, (S,), state=RT, last_error=error, next_retry=next_retry)

    def mark_waiting(self, item_id: str, why: str, reason: str, next_retry: float) -> OutboxItem:
        item = self._items[item_id]
        tried = item_id in self._trying  # a try stopped by a sign-in is no attempt
        self._trying.discard(item_id)
        return self._move(item_id, (S,), state=RT, waiting_for=why, last_error=reason,
                          next_retry=next_retry, attempts=item.attempts - tried)

    def mark_failed(self, item_id: str, error: str) -> OutboxItem:
        self._trying.discard(item_id)
        return self._move(item_id, (S, RT), state=F, last_error=error, next_retry=None)

    def recover(self) -> Recovery:
        resumed, uncertain = [], []
        for item in self.items([S]):
            if item.id in self._delivering:
                uncertain.append(item.id)
                self._move(item.id, (S,), state=UN, next_retry=self.clock(),
                           last_error="stopped while sending")
            else:  # a try cut short before the point of no return is no attempt
                resumed.append(item.id)
                self._move(item.id, (S,), state=RT, next_retry=self.clock(), tried_at=None,
                           attempts=item.attempts - (item.id in self._trying))
            self._trying.discard(item.id)
            self._delivering.discard(item.id)
        return Recovery(resumed=tuple(resumed), uncertain=tuple(uncertain))

    def purge_sent(self, before: float) -> int:
        old = [i.id for i in self.items([OK]) if self.sent_at.get(i.id, i.created_at) < before]
        for item_id in old:
            del self._items[item_id], self._raw[item_id]
        return len(old)

    def release(self, item_id: str) -> OutboxItem:
        item = self._items[item_id]
        return self._move(item_id, (H,), hold_until=min(item.hold_until, self.clock()))

    def retry(self, item_id: str) -> OutboxItem:
        return self._move(item_id, (F, RT), state=RT, next_retry=self.clock())

    def undo(self, item_id: str) -> OutboxItem:
        return self._move(item_id, (H, RT, F), state=RET, next_retry=None)

    def resend(self, item_id: str) -> OutboxItem:
        self.audit.record(AuditEvent(kind="delivery", decision="resend", decided_by="user"))
        return self._move(item_id, (UN,), state=RT, next_retry=self.clock(), tried_at=None)

    def mark_sent_by_user(self, item_id: str) -> OutboxItem:
        self.audit.record(AuditEvent(kind="delivery", decision="sent", decided_by="user",
                                     detail="marked sent by user"))
        self.sent_at[item_id] = self.clock()
        return self._move(item_id, (UN,), state=OK, next_retry=None, tried_at=None)


class RecordingReviewer:
    """Decides with `decision` at once, or (None) never, for the test to answer; keeps what it was asked."""

    def __init__(self, decision: Decision | None = None) -> None:
        self.decision = decision
        self.requests: list[ReviewRequest] = []
        self.futures: list[Future[Decision]] = []

    def review(self, request: ReviewRequest) -> Future[Decision]:
        self.requests.append(request)
        future: Future[Decision] = Future()
        if self.decision is not None:
            future.set_result(self.decision)
        self.futures.append(future)
        return future
