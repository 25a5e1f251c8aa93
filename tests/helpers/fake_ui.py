"""An in-memory outbox for the tray: items put in any state, the user's actions recorded."""

from __future__ import annotations

from pathlib import Path

from missend_guard.core.ports.outbox import OutboxItem, OutboxState
from tests.helpers.fake_ports import MemoryOutbox


class FakeQueue(MemoryOutbox):
    """MemoryOutbox with `add` and `calls`; `locate` writes the .eml under `files` like the real one."""

    def __init__(self, files: Path) -> None:
        super().__init__()
        self.files = files
        self.calls: list[tuple[str, str]] = []

    def add(self, item_id: str, state: OutboxState, *, subject: str = "見積書の送付", hold: float = 10.0,
            now: float = 1000.0, attempts: int = 0, error: str = "") -> OutboxItem:
        item = OutboxItem(item_id, state, "ken@example.co.jp", ("a@out.example",), subject, f"<{item_id}@x>",
                          "work", now, now + hold, attempts=attempts, last_error=error)
        self._items[item_id] = item
        self._raw[item_id] = b"Subject: x\r\n\r\nbody\r\n"
        return item

    def locate(self, item_id: str) -> Path:
        path = self.files / f"{item_id}.eml"
        path.write_bytes(self.read(item_id))
        return path

    def undo(self, item_id: str) -> OutboxItem:
        self.calls.append(("undo", item_id))
        return super().undo(item_id)

    def retry(self, item_id: str) -> OutboxItem:
        self.calls.append(("retry", item_id))
        return super().retry(item_id)

    def release(self, item_id: str) -> OutboxItem:
        self.calls.append(("release", item_id))
        return super().release(item_id)

    def resend(self, item_id: str) -> OutboxItem:
        self.calls.append(("resend", item_id))
        return super().resend(item_id)

    def mark_sent_by_user(self, item_id: str) -> OutboxItem:
        self.calls.append(("mark-sent", item_id))
        return super().mark_sent_by_user(item_id)


class RecordingOpener:
    """Stands in for the system's file launcher: records, opens nothing."""

    def __init__(self, opened: list[str], works: bool = True) -> None:
        self.opened, self.works = opened, works
        self.revealed: list[str] = []

    def open(self, path: Path) -> bool:
        self.opened.append(str(path))
        return self.works

    def reveal(self, path: Path) -> bool:
        self.revealed.append(str(path))
        return False
