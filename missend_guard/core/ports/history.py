"""The sent history as the gate, the review and the settings see it: who is trusted, who is suspect."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True)
class HistoryEntry:
    """One remembered address or domain (`history list`, the settings page)."""

    name: str  # an address (lower-case) or a domain (Unicode)
    kind: Literal["address", "domain"]
    count: int  # messages sent to it (0: vouched for but never sent)
    last_sent: float | None
    suspect: bool  # confirmed past a look-alike warning
    vouched: bool  # marked "This address is correct"
    sent_days: int  # different days mail went to it since it became suspect


class RecipientTrust(Protocol):
    """Records what the user confirmed or vouched for; forgetting makes a name first-time again."""

    def mark_suspect(self, names: Iterable[str]) -> None:
        """Addresses or domains confirmed while a look-alike warning was shown for them."""
        ...

    def vouch(self, address: str) -> None:
        """The user said the address is correct: it and its domain are trusted at once."""
        ...

    def is_vouched(self, address: str) -> bool:
        """True once the user marked the address correct (a dialog built later shows it answered)."""
        ...

    def forget(self, name: str) -> list[str]:
        """Remove an address (its domain too when no other address is left) or a domain; what went."""
        ...

    def entries(self) -> list[HistoryEntry]:
        """Every remembered address and domain."""
        ...
