"""Placing the people of a quoted thread: the domain an address, or failing that a name, puts them in.

Quoted headers often show a name only (Exchange colleagues, 「佐藤 花子 さんは書きました:」). Such a name is
matched, order-free and honorifics dropped, with the mail's own sender and recipients, the thread's
addressed people and the contact book (`contact_directory`, built once per check context).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping

from missend_guard.core.contacts.book import Contact, ContactBook
from missend_guard.core.contacts.names import is_cjk, name_key, name_tokens
from missend_guard.core.message.addresses import Address
from missend_guard.core.message.model import Message
from missend_guard.core.message.thread import Participant, Thread


@functools.lru_cache(maxsize=1024)  # a thread repeats the same few names in every header
def name_keys(name: str) -> frozenset[str]:
    """Order-free keys of a person's full name; none for a lone word (too vague to place anyone)."""
    tokens = name_tokens(name)
    if len(tokens) < 2 and not (tokens and is_cjk(tokens[0]) and len(tokens[0]) >= 4):
        return frozenset()
    return frozenset({name_key(name)})


def address_keys(address: Address, contacts: ContactBook) -> frozenset[str]:
    """Name keys of a mailbox: its display name and its contact card's name."""
    contact = contacts.by_address(address.address)
    return name_keys(address.name) | (name_keys(contact.name) if contact else frozenset())


def contact_directory(contacts: Iterable[Contact]) -> dict[str, str]:
    """Name key → domain of each contact's first address."""
    found: dict[str, str] = {}
    for contact in contacts:
        domain = next((e.rpartition("@")[2].lower() for e in contact.emails if "@" in e), "")
        names = [contact.name, f"{contact.family} {contact.given}"] if contact.family else [contact.name]
        for key in (k for n in names for k in name_keys(n)):
            found.setdefault(key, domain)
    return found


def place_people(
    thread: Thread, message: Message, contacts: ContactBook, directory: Callable[[], Mapping[str, str]]
) -> dict[int, str]:
    """id(participant) → domain for every participant of the thread ("" when nothing places it).

    `directory` gives the contacts' name directory; it is asked for only when a name needs it.
    """
    people: tuple[Participant, ...] = thread.participants
    by_name: dict[str, str] = {}
    for address in [*([message.sender] if message.sender else []), *message.recipients]:
        for key in address_keys(address, contacts):
            by_name.setdefault(key, address.domain)
    for person in people:
        for key in name_keys(person.name) if person.domain else ():
            by_name.setdefault(key, person.domain)
    placed: dict[int, str] = {}
    for person in people:
        domain = person.domain
        for key in name_keys(person.name) if not domain else ():
            domain = by_name.get(key) or directory().get(key, "")
            if domain:
                break
        placed[id(person)] = domain
    return placed
