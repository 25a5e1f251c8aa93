"""Contacts: the people and companies the user knows, read from vCard and CSV exports, indexed for matching."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Contact:
    """One person (or a shared mailbox) with every address they use."""

    name: str
    emails: tuple[str, ...]
    company: str = ""
    family: str = ""
    given: str = ""
    family_reading: str = ""  # kana reading when the export has one (X-PHONETIC-*, SORT-STRING, フリガナ)
    given_reading: str = ""
    department: str = ""


class ContactBook:
    """All contacts with lookup indexes built once. (Filled in by the contacts work: see tests/core/test_contacts.py.)"""

    def __init__(self, contacts: Iterable[Contact] = ()) -> None:
        self.contacts: tuple[Contact, ...] = tuple(contacts)
        self._by_address: dict[str, Contact] = {}
        for contact in self.contacts:
            for addr in contact.emails:
                self._by_address.setdefault(addr.lower(), contact)

    def __len__(self) -> int:
        return len(self.contacts)

    def by_address(self, address: str) -> Contact | None:
        """The contact owning `address` (case-insensitive), if any."""
        return self._by_address.get(address.lower())
