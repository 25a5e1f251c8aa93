"""Recipient trust for the running app: the sent history's port, republishing the check context."""

from __future__ import annotations

from collections.abc import Iterable

from missend_guard.core.ports.history import HistoryEntry
from missend_guard.runtime.live import LiveSettings
from missend_guard.storage.history import SentHistory


class LiveTrust:
    """RecipientTrust over the sent history; after each change the next mail is checked with it."""

    def __init__(self, history: SentHistory, live: LiveSettings) -> None:
        self._history = history
        self._live = live

    def mark_suspect(self, names: Iterable[str]) -> None:
        """Recipients confirmed past a look-alike warning (the gate, before storing the mail)."""
        self._history.mark_suspect(names)
        self._live.refresh_history()

    def vouch(self, address: str) -> None:
        """"This address is correct" in the review: trusted from the next mail on."""
        self._history.vouch(address)
        self._live.refresh_history()

    def is_vouched(self, address: str) -> bool:
        """True once the user marked the address correct."""
        return self._history.is_vouched(address)

    def forget(self, name: str) -> list[str]:
        """Settings' *Forget*: the address or domain is a first-time recipient again."""
        gone = self._history.forget(name)
        self._live.refresh_history()
        return gone

    def entries(self) -> list[HistoryEntry]:
        """Every remembered address and domain."""
        return self._history.entries()
