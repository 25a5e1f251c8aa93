"""The sending boundary: a Sender delivers exact bytes upstream (SMTP, Microsoft Graph)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


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
