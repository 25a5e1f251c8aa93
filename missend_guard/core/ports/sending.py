"""The sending boundary: a Sender delivers exact bytes upstream (SMTP, Microsoft Graph)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

# How an SMTP account reaches its server: the settings accept these, the SMTP sender speaks them.
SECURITY_MODES = ("starttls", "ssl", "none")


class DeliveryError(Exception):
    """Upstream refused or could not be reached. `temporary` decides retry vs failed.

    `uncertain`: the message may have reached the server (the reply to the final dot, or to
    Graph's send request, was lost): it is never sent again without the user.
    """

    def __init__(self, reply: str, *, temporary: bool, retry_after: float | None = None,
                 uncertain: bool = False) -> None:
        super().__init__(reply)
        self.reply = reply
        self.temporary = temporary
        self.retry_after = retry_after
        self.uncertain = uncertain


# The point of no return: a Sender calls it once, right before the message may reach the server
# (SMTP: before the final dot; Graph: before the send request). The caller records that durably;
# when it raises, the Sender sends nothing more and lets the exception through.
Committing = Callable[[], None]


class Sender(Protocol):
    """Delivers exact bytes to the envelope recipients; returns the upstream's reply text."""

    def send(self, raw: bytes, mail_from: str, rcpt_tos: Sequence[str], *,
             on_committing: Committing | None = None) -> str:
        """Deliver or raise DeliveryError; `on_committing()` right before the point of no return."""
        ...


@runtime_checkable
class DeliveryLookup(Protocol):
    """A Sender that can look upstream for a mail whose delivery is uncertain (Graph: Sent Items)."""

    def find_delivered(self, raw: bytes, mail_from: str, rcpt_tos: Sequence[str]) -> str | None:
        """A sentence naming the delivered copy, or None when none is seen (yet)."""
        ...
