"""The audit boundary: an append-only record of decisions and deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


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
