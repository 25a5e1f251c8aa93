"""The outbox boundary: the durable store of confirmed mail and its delivery states."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from missend_guard.core.errors import UserError
from missend_guard.core.message.envelope import Envelope


class StorageError(UserError):
    """The message could not be stored durably (disk full, unwritable dir): 451, nothing kept."""


class OutboxState(Enum):
    """Life of a confirmed message; nothing leaves the outbox but by delivery or the user's undo."""

    HELD = "held"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # permanent failure, or retries exhausted; kept with the server's reply
    RETRY = "retry"  # temporary failure, waiting for next_retry
    RETURNED = "returned"  # undone by the user; the .eml is in returned/


@dataclass(frozen=True)
class OutboxItem:
    """One row of the outbox."""

    id: str
    state: OutboxState
    mail_from: str
    rcpt_tos: tuple[str, ...]
    subject: str
    message_id: str
    account: str
    created_at: float  # epoch seconds
    hold_until: float
    attempts: int = 0
    next_retry: float | None = None
    last_error: str = ""
    path: str = ""  # where the .eml is now (outbox/ or returned/)


class Outbox(Protocol):
    """Durable store of confirmed mail. `store` returns only once bytes and row are on disk."""

    def store(
        self,
        raw: bytes,
        envelope: Envelope,
        *,
        subject: str,
        message_id: str,
        account: str,
        hold_seconds: float,
    ) -> OutboxItem:
        """Write the .eml (temp, fsync, rename), then the row; StorageError when it cannot."""
        ...

    def get(self, item_id: str) -> OutboxItem | None:
        """One item, or None."""
        ...

    def items(self, states: Sequence[OutboxState] = ()) -> list[OutboxItem]:
        """Items in the given states (all when empty), oldest first."""
        ...

    def read(self, item_id: str) -> bytes:
        """The exact stored bytes."""
        ...


class DeliveryOutbox(Outbox, Protocol):
    """The outbox as the delivery worker uses it: claim what is due, record how it went."""

    def claim_due(self, now: float | None = None) -> list[OutboxItem]:
        """Atomically move due HELD/RETRY items to SENDING (attempts + 1) and return them."""
        ...

    def mark_sent(self, item_id: str, reply: str) -> OutboxItem:
        """Delivered; keep the upstream's reply."""
        ...

    def mark_retry(self, item_id: str, error: str, next_retry: float) -> OutboxItem:
        """Temporary failure; try again at `next_retry` (epoch seconds)."""
        ...

    def mark_failed(self, item_id: str, error: str) -> OutboxItem:
        """Permanent failure; kept with the reason, never deleted."""
        ...

    def recover(self) -> int:
        """At start: items left SENDING by a crash become RETRY due now; returns how many."""
        ...

    def next_due(self) -> float | None:
        """When the next HELD/RETRY item becomes due (epoch seconds), or None."""
        ...


@dataclass(frozen=True)
class DeliveryEvent:
    """What the delivery worker tells the tray: an item was sent, will retry, failed or is held."""

    kind: str  # "sent" | "retry" | "failed" | "held"
    item: OutboxItem
    detail: str = ""  # upstream reply or error text
