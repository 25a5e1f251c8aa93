"""What the tray needs from the outbox, as a small protocol (the UI layer never imports storage.outbox)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from missend_guard.core.ports.outbox import OutboxItem, OutboxState

PENDING_STATES = (OutboxState.HELD, OutboxState.SENDING, OutboxState.RETRY)


class MailQueue(Protocol):
    """The user's side of the outbox: list, recently sent, undo, retry, send now."""

    def items(self, states: Sequence[OutboxState] = ()) -> list[OutboxItem]:
        """Items in the given states (all when empty), oldest first."""
        ...

    def recent(self, limit: int) -> list[OutboxItem]:
        """The last `limit` mails sent upstream, newest first."""
        ...

    def undo(self, item_id: str) -> Path:
        """Move a held/failed mail to Returned; the path of its .eml. Raises with a readable message."""
        ...

    def retry(self, item_id: str) -> None:
        """Try a failed mail again now."""
        ...

    def release(self, item_id: str) -> None:
        """Send a held mail now, skipping the rest of the hold."""
        ...
