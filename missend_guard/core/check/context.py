"""What the rules know besides the message: policy, contacts, sent history; derived indexes built once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from missend_guard.core.check.findings import Finding
from missend_guard.core.check.policy import Policy
from missend_guard.core.contacts.book import ContactBook
from missend_guard.core.message.addresses import unicode_domain
from missend_guard.core.protect.ledger import ProtectionLedger

T = TypeVar("T")


@dataclass(frozen=True)
class HistorySnapshot:
    """Addresses and domains the user has sent to (lower-case; domains in Unicode).

    `suspects` maps each address or domain that was confirmed past a look-alike warning (and not
    vouched for) to the number of different days mail went to it since: until policy's
    `trust_after_days`, a sent-to suspect does not count as known.
    """

    addresses: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    suspects: Mapping[str, int] = field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, addresses: Iterable[str]) -> HistorySnapshot:
        """Snapshot from addresses; domains derived."""
        addrs = frozenset(a.lower() for a in addresses)
        return cls(addrs, frozenset(a.rpartition("@")[2] for a in addrs if "@" in a))


@dataclass(frozen=True)
class CheckContext:
    """Immutable inputs of a check. Build once, reuse for many messages (indexes are cached)."""

    policy: Policy = field(default_factory=Policy)
    contacts: ContactBook = field(default_factory=ContactBook)
    history: HistorySnapshot = field(default_factory=HistorySnapshot)
    # Recent protected-file sends (salted password hashes), for `password-in-mail`; None = not tracked.
    protected_sends: ProtectionLedger | None = None

    @cached_property
    def _untrusted(self) -> frozenset[str]:
        needed = self.policy.trust_after_days
        return frozenset(name for name, days in self.history.suspects.items() if days < needed)

    @cached_property
    def history_addresses(self) -> frozenset[str]:
        """Sent-history addresses that count as known (suspects not yet trusted left out)."""
        return self.history.addresses - self._untrusted

    @cached_property
    def history_domains(self) -> frozenset[str]:
        """Sent-history domains that count as known (suspects not yet trusted left out)."""
        return self.history.domains - self._untrusted

    def sent_untrusted(self, name: str) -> int | None:
        """Days a sent-to address or domain still under suspicion got mail; None when not such."""
        key = name.lower() if "@" in name else unicode_domain(name)
        sent = key in self.history.addresses or key in self.history.domains
        if not sent or key not in self._untrusted:
            return None
        return self.history.suspects[key]

    def is_known_address(self, address: str) -> bool:
        """Known = in contacts, or in sent history (and not a suspect that is not trusted yet)."""
        lowered = address.lower()
        return lowered in self.history_addresses or self.contacts.by_address(lowered) is not None

    @cached_property
    def known_domains(self) -> frozenset[str]:
        """Internal, contact and history domains: the set look-alikes are measured against."""
        return frozenset(self.policy.internal_domains | self.history_domains | self.contacts.domains())

    def finding(self, code: str, target: str, **params: Any) -> Finding:
        """A finding with the severity policy gives `code`."""
        return Finding(code, self.policy.severity(code), target, params)

    def derived(self, key: str, build: Callable[[CheckContext], T]) -> T:
        """An index derived from this context, built on first use and cached (rules own their indexes)."""
        cache: dict[str, Any] = self.__dict__.setdefault("_derived", {})
        if key not in cache:
            cache[key] = build(self)
        return cache[key]  # type: ignore[no-any-return]
