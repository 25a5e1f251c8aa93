"""Ports the gate needs from the outside world, as Protocols; adapters live in storage/, transports/, ui/."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from missend_guard.core.findings import Report
from missend_guard.core.message import Message


@dataclass(frozen=True)
class Envelope:
    """SMTP envelope as the client gave it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]


class Verdict(Enum):
    """What the user (or a policy standing in for them) decided."""

    SEND = "send"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Decision:
    """A review's outcome. `replacement` carries rebuilt bytes (Bcc conversion, protected files)."""

    verdict: Verdict
    decided_by: str  # "user", "quiet", "headless-policy", "approve-all", "paused"
    reason: str = ""
    replacement: bytes | None = field(default=None, repr=False)
    acknowledged: tuple[str, ...] = ()  # finding codes the user explicitly acknowledged
    notes: Mapping[str, str] = field(default_factory=dict)  # e.g. {"sent-as-is": "a.xlsx"} for the audit

    @property
    def send(self) -> bool:
        """True when the mail should go."""
        return self.verdict is Verdict.SEND


@dataclass(frozen=True)
class ReviewRequest:
    """What a reviewer is asked about."""

    message: Message
    report: Report
    envelope: Envelope
    account: str = ""


class Reviewer(Protocol):
    """Asks someone (a dialog, a headless policy) to decide; answers through a Future."""

    def review(self, request: ReviewRequest) -> Future[Decision]:
        """Start a review; cancelling the future withdraws it (client disconnected)."""
        ...


class DeliveryError(Exception):
    """Upstream refused or could not be reached. `temporary` decides retry vs failed."""

    def __init__(self, reply: str, *, temporary: bool, retry_after: float | None = None) -> None:
        super().__init__(reply)
        self.reply = reply
        self.temporary = temporary
        self.retry_after = retry_after


class Sender(Protocol):
    """Delivers exact bytes to the envelope recipients; returns the upstream's reply text."""

    def send(self, raw: bytes, mail_from: str, rcpt_tos: Sequence[str]) -> str:
        """Deliver or raise DeliveryError."""
        ...


class StorageError(Exception):
    """The message could not be stored durably (disk full, unwritable data dir): reply 451, keep nothing half-done."""


class OutboxState(Enum):
    """Life of a confirmed message. Nothing leaves the outbox except by delivery or the user's undo."""

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
        self, raw: bytes, envelope: Envelope, *, subject: str, message_id: str, account: str,
        hold_seconds: float,
    ) -> OutboxItem:
        """Write the .eml (temp, fsync, rename) then commit the row; raise StorageError when it cannot."""
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


@dataclass(frozen=True)
class AuditEvent:
    """One decision or delivery, as the audit log keeps it."""

    kind: str  # "decision", "delivery", "pause", "undo", "send-as-is", ...
    message_id: str = ""
    subject: str = ""
    recipients: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    decision: str = ""
    decided_by: str = ""
    detail: str = ""  # upstream reply, reason


class AuditLog(Protocol):
    """Append-only record of decisions and deliveries."""

    def record(self, event: AuditEvent) -> None:
        """Append one event."""
        ...
