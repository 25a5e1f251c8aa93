"""The outbox boundary: the durable store of confirmed mail and its delivery states (one protocol)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import IO, Protocol

from missend_guard.core.errors import UserError
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent


class StorageError(UserError):
    """The message could not be stored durably (disk full, unwritable dir): 451, nothing kept."""


class OutboxState(Enum):
    """Life of a confirmed message; nothing leaves the outbox but by delivery or the user's undo."""

    HELD = "held"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # permanent failure, or retries exhausted; kept with the server's reply
    RETRY = "retry"  # temporary failure or waiting for the user, due again at next_retry
    RETURNED = "returned"  # undone by the user; the .eml is in returned/
    # The server may have the mail (a crash or lost reply after the final dot): never sent again
    # but by the user ("Send again"), or SENT by the user or by a look upstream (Graph).
    UNCERTAIN = "uncertain"


# What a RETRY item waits for besides time; the user's act (an account, a sign-in) sends it.
WAIT_ACCOUNT = "account"  # until an upstream account exists
WAIT_SIGN_IN = "sign-in"  # until the user signs in to Microsoft 365 again


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
    attempts: int = 0  # real delivery tries (begin_attempt), never waits for the user
    next_retry: float | None = None
    last_error: str = ""
    waiting_for: str = ""  # "", WAIT_ACCOUNT or WAIT_SIGN_IN
    tried_at: float | None = None  # when the last delivery try began (UNCERTAIN: the doubtful one)


@dataclass(frozen=True)
class Recovery:
    """What `recover()` found at start (item ids and file names)."""

    resumed: tuple[str, ...] = ()  # SENDING, nothing could have reached the server → due again
    uncertain: tuple[str, ...] = ()  # SENDING past the point of no return → UNCERTAIN
    missing: tuple[str, ...] = ()  # rows whose .eml is gone → FAILED
    removed_files: tuple[str, ...] = ()  # unfinished .tmp writes and DATA spools (never got 250)
    orphans: tuple[str, ...] = ()  # .eml files without a row, moved to returned/


# Builds the decision's audit event once the item (and so its id) exists.
DecisionEvent = Callable[[OutboxItem], AuditEvent]


class Spool(Protocol):
    """A private file the relay writes DATA into as it arrives.

    The outbox that made it can keep it as the stored message (`Outbox.store(spool=...)`) instead
    of writing the same bytes again: 25 MB are then written once, not twice.
    """

    @property
    def file(self) -> IO[bytes]:
        """Where the data goes (read back from the start for the check)."""
        ...

    def sync(self) -> None:
        """Flush and fsync what was written (may run while the message is checked)."""
        ...

    def discard(self) -> None:
        """Close it and delete its bytes, unless the outbox kept it; safe to call again."""
        ...


class Outbox(Protocol):
    """Durable store of confirmed mail; every state change is one transaction from known states."""

    def store(
        self,
        raw: bytes,
        envelope: Envelope,
        *,
        subject: str,
        message_id: str,
        account: str,
        hold_seconds: float,
        decision: DecisionEvent,
        spool: Spool | None = None,
    ) -> OutboxItem:
        """Write the .eml (temp, fsync, rename), then the row and `decision(item)` in one commit.

        `spool`, when it holds exactly `raw`, may be kept as the .eml instead of a new write.
        Returns only once both are on disk; StorageError (and nothing kept) when it cannot.
        """
        ...

    def get(self, item_id: str) -> OutboxItem | None:
        """One item, or None."""
        ...

    def items(
        self, states: Sequence[OutboxState] = (), *, limit: int | None = None,
        newest_first: bool = False,
    ) -> list[OutboxItem]:
        """Items in the given states (all when empty), oldest first (or newest), at most `limit`."""
        ...

    def read(self, item_id: str) -> bytes:
        """The exact stored bytes."""
        ...

    def next_due(self) -> float | None:
        """When the next HELD/RETRY item is due, or an UNCERTAIN one is looked for (epoch), or None."""
        ...

    # -- the delivery worker -----------------------------------------------------------------

    def claim_due(self, now: float | None = None) -> list[OutboxItem]:
        """Atomically move due HELD/RETRY items to SENDING and return them (no attempt yet)."""
        ...

    def begin_attempt(self, item_id: str) -> OutboxItem:
        """SENDING: a real delivery try starts now (attempts + 1, no longer waiting)."""
        ...

    def mark_delivering(self, item_id: str) -> OutboxItem:
        """SENDING: the point of no return (durable); from now on a crash makes it UNCERTAIN."""
        ...

    def mark_sent(self, item_id: str, reply: str) -> OutboxItem:
        """SENDING (or UNCERTAIN, when found upstream) → SENT; keep the upstream's reply."""
        ...

    def mark_uncertain(self, item_id: str, error: str, look_again: float | None) -> OutboxItem:
        """SENDING or UNCERTAIN → UNCERTAIN; `look_again`: when to look upstream (None: never)."""
        ...

    def mark_retry(self, item_id: str, error: str, next_retry: float) -> OutboxItem:
        """SENDING → RETRY at `next_retry` (epoch seconds) after a temporary failure."""
        ...

    def mark_waiting(self, item_id: str, why: str, reason: str, next_retry: float) -> OutboxItem:
        """SENDING → RETRY waiting for the user (`why`: WAIT_ACCOUNT, WAIT_SIGN_IN); no attempt."""
        ...

    def mark_failed(self, item_id: str, error: str) -> OutboxItem:
        """SENDING or RETRY → FAILED; kept with the reason, never deleted."""
        ...

    def recover(self) -> Recovery:
        """At start: SENDING items are due again, or UNCERTAIN past the point of no return."""
        ...

    def purge_sent(self, before: float) -> int:
        """Delete SENT items (row and .eml) sent before `before` (epoch); returns how many."""
        ...

    # -- the user (tray, CLI) ----------------------------------------------------------------

    def release(self, item_id: str) -> OutboxItem:
        """"Send now": a HELD item becomes due immediately."""
        ...

    def retry(self, item_id: str) -> OutboxItem:
        """FAILED or RETRY → RETRY due now."""
        ...

    def undo(self, item_id: str) -> OutboxItem:
        """HELD, RETRY or FAILED → RETURNED: never sent; the bytes are kept for the user."""
        ...

    def resend(self, item_id: str) -> OutboxItem:
        """"Send again": UNCERTAIN → RETRY due now (the user accepts a possible second copy)."""
        ...

    def mark_sent_by_user(self, item_id: str) -> OutboxItem:
        """"Mark as sent": UNCERTAIN → SENT, with an audit row saying the user decided."""
        ...


@dataclass(frozen=True)
class DeliveryEvent:
    """What the delivery worker tells the tray: an item was sent, will retry, failed, is held..."""

    kind: str  # "sent" | "retry" | "failed" | "held" | "uncertain"
    item: OutboxItem
    detail: str = ""  # upstream reply or error text
