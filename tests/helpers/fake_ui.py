"""A small in-memory MailQueue with the outbox's promises (undo only before sending)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from missend_guard.core.ports.outbox import OutboxItem, OutboxState


class FakeQueue:
    """Holds items in memory; undo writes the .eml to `returned` like the real outbox."""

    def __init__(self, returned: Path) -> None:
        self.returned = returned
        self.by_id: dict[str, OutboxItem] = {}
        self.calls: list[tuple[str, str]] = []

    def add(self, item_id: str, state: OutboxState, *, subject: str = "見積書の送付", hold: float = 10.0,
            now: float = 1000.0, attempts: int = 0, error: str = "") -> OutboxItem:
        item = OutboxItem(item_id, state, "ken@example.co.jp", ("a@out.example",), subject, f"<{item_id}@x>",
                          "work", now, now + hold, attempts=attempts, last_error=error)
        self.by_id[item_id] = item
        return item

    def items(self, states: Sequence[OutboxState] = ()) -> list[OutboxItem]:
        return [i for i in self.by_id.values() if not states or i.state in states]

    def recent(self, limit: int) -> list[OutboxItem]:
        sent = [i for i in self.by_id.values() if i.state is OutboxState.SENT]
        return sorted(sent, key=lambda i: i.created_at, reverse=True)[:limit]

    def undo(self, item_id: str) -> Path:
        self.calls.append(("undo", item_id))
        item = self.by_id[item_id]
        if item.state in (OutboxState.SENDING, OutboxState.SENT):
            raise RuntimeError("This mail is already being sent and can no longer be undone.")
        path = self.returned / f"{item_id}.eml"
        path.write_bytes(b"Subject: x\r\n\r\nbody\r\n")
        self.by_id[item_id] = replace(item, state=OutboxState.RETURNED, path=str(path))
        return path

    def retry(self, item_id: str) -> None:
        self.calls.append(("retry", item_id))
        self.by_id[item_id] = replace(self.by_id[item_id], state=OutboxState.RETRY)

    def release(self, item_id: str) -> None:
        self.calls.append(("release", item_id))
        self.by_id[item_id] = replace(self.by_id[item_id], hold_until=0)
