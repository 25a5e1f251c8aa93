"""Contacts: the people and companies the user knows, read from vCard and CSV exports, indexed."""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from missend_guard.core.contacts.csvfile import CsvHeaderError, parse_csv
from missend_guard.core.contacts.names import (
    is_cjk,
    name_tokens,
    normalize_name,
    reading_key,
    tokens_key,
    typo_level,
)
from missend_guard.core.contacts.vcard import parse_vcards
from missend_guard.core.errors import UserError
from missend_guard.core.message.addresses import unicode_domain
from missend_guard.core.message.decoding import decode_bytes

_FOLD = re.compile(rb"(?<!=)\r?\n[ \t]")  # not after '=': a QP soft break is unfolded as text
_KANA_ONLY = frozenset(chr(c) for c in range(0x3041, 0x3097)) | {"ー"}


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


class ContactsError(UserError):
    """A contacts file that cannot be used; the message is meant for the user."""


def _domain_of(address: str) -> str:
    return unicode_domain(address.rpartition("@")[2]) if "@" in address else ""


def _decode_file(data: bytes) -> str:
    """Text of an export: BOM first (UTF-8, UTF-16), then UTF-16 without BOM, UTF-8, CP932."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    head = data[:200]
    if head and head.count(0) * 3 >= len(head):  # mostly NUL bytes: UTF-16 without a BOM
        return data.decode("utf-16-be" if head[0] == 0 else "utf-16-le", errors="replace")
    return decode_bytes(data, None)


def load_contacts(path: str | Path) -> list[Contact]:
    """Contacts from a vCard (.vcf) or CSV export; raises ContactsError with a readable message."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise ContactsError(f"contacts file not found: {file}") from None
    except IsADirectoryError:
        raise ContactsError(f"contacts path is a folder, not a file: {file}") from None
    except OSError as exc:
        raise ContactsError(f"cannot read contacts file {file}: {exc.strerror or exc}") from None
    text = _decode_file(data)
    is_vcard = file.suffix.lower() in (".vcf", ".vcard") or "BEGIN:VCARD" in text[:4096].upper()
    if is_vcard:
        if b"BEGIN:VCARD" in data[:4096].upper():
            # unfold as bytes: a fold may split a multi-byte UTF-8 character (RFC 6350 3.2)
            text = _decode_file(_FOLD.sub(b"", data))
        entries = [Contact(**asdict(e)) for e in parse_vcards(text)]
    else:
        try:
            entries = [Contact(**asdict(e)) for e in parse_csv(text)]
        except CsvHeaderError:
            raise ContactsError(
                f"no e-mail column found in {file} (expected a vCard or a CSV export with a header)"
            ) from None
        except csv.Error as exc:
            raise ContactsError(f"{file} is not a readable CSV file: {exc}") from None
    return entries


@dataclass(frozen=True)
class _NameIndex:
    """Contacts by matching key, by kana reading, and (Latin names) by all-but-one word."""

    by_key: dict[str, list[int]]
    by_reading: dict[str, list[int]]
    by_rest: dict[str, tuple[list[str], list[int]]]


def _person_tokens(contact: Contact, tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Name words of a person; () for shared mailboxes named after a company or an address."""
    if "@" in contact.name or (contact.company and contact.name == contact.company):
        return ()
    joined = "".join(tokens)
    if is_cjk(joined):
        # a lone family name (田中) is not a person: need family+given or a full-length name
        return tokens if len(tokens) >= 2 or len(joined) >= 4 else ()
    return tokens if len(tokens) >= 2 else ()


def _reading(contact: Contact, tokens: tuple[str, ...]) -> str:
    reading = reading_key(contact.family_reading, contact.given_reading)
    if reading:
        return reading
    joined = normalize_name("".join(tokens))
    # a name written in kana is its own reading
    return joined if len(tokens) >= 2 and joined and set(joined) <= _KANA_ONLY else ""


def _rest_keys(tokens: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(all words but one, that one) for each word of a Latin name."""
    for j, token in enumerate(tokens):
        yield " ".join(sorted(tokens[:j] + tokens[j + 1 :])), token


class ContactBook:
    """All contacts with lookup indexes built once."""

    def __init__(self, contacts: Iterable[Contact] = ()) -> None:
        self.contacts: tuple[Contact, ...] = tuple(contacts)
        self._by_address: dict[str, Contact] = {}
        by_domain: dict[str, list[str]] = defaultdict(list)
        companies: dict[str, Counter[str]] = defaultdict(Counter)
        for contact in self.contacts:
            for addr in contact.emails:
                lowered = addr.lower()
                if lowered in self._by_address:
                    continue
                self._by_address[lowered] = contact
                domain = _domain_of(lowered)
                if domain:
                    by_domain[domain].append(lowered)
                    if contact.company:
                        companies[domain][contact.company] += 1
        self._by_domain = {d: tuple(a) for d, a in by_domain.items()}
        self._company = {d: c.most_common(1)[0][0] for d, c in companies.items()}

    def __len__(self) -> int:
        return len(self.contacts)

    def by_address(self, address: str) -> Contact | None:
        """The contact owning `address` (case-insensitive), if any."""
        return self._by_address.get(address.lower())

    def addresses_in_domain(self, domain: str) -> tuple[str, ...]:
        """Lower-case contact addresses whose domain is exactly `domain` (Unicode or punycode)."""
        return self._by_domain.get(unicode_domain(domain), ())

    def company_for_domain(self, domain: str) -> str:
        """The company most contacts of `domain` work for ("" when none says)."""
        return self._company.get(unicode_domain(domain), "")

    def domains(self) -> frozenset[str]:
        """Every contact domain, lower-case Unicode."""
        return self._domain_set

    @cached_property
    def _domain_set(self) -> frozenset[str]:
        return frozenset(self._by_domain)

    @cached_property
    def _names(self) -> _NameIndex:
        by_key: dict[str, list[int]] = defaultdict(list)
        by_reading: dict[str, list[int]] = defaultdict(list)
        by_rest: dict[str, tuple[list[str], list[int]]] = {}
        for i, contact in enumerate(self.contacts):
            all_tokens = name_tokens(contact.name)
            tokens = _person_tokens(contact, all_tokens)
            if tokens:
                key = tokens_key(tokens)
                by_key[key].append(i)
                if not is_cjk(key):
                    for rest, token in _rest_keys(tokens):
                        words, ids = by_rest.setdefault(rest, ([], []))
                        words.append(token)
                        ids.append(i)
            reading = _reading(contact, all_tokens)
            if reading:
                by_reading[reading].append(i)
        return _NameIndex(dict(by_key), dict(by_reading), by_rest)

    def _candidates(self, contact: Contact) -> Iterator[int]:
        """Indexes of contacts with the same key, a typo-level Latin name, or the same reading."""
        index = self._names
        all_tokens = name_tokens(contact.name)
        tokens = _person_tokens(contact, all_tokens)
        key = tokens_key(tokens) if tokens else ""
        if key:
            yield from index.by_key.get(key, ())
            if not is_cjk(key):
                for rest, token in _rest_keys(tokens):
                    words, ids = index.by_rest.get(rest, ([], []))
                    for _word, _dist, k in process.extract_iter(
                        token, words, scorer=DamerauLevenshtein.distance, score_cutoff=1
                    ):
                        if words[k] != token and typo_level(token, words[k]):
                            yield ids[k]
        reading = _reading(contact, all_tokens)
        if reading:
            yield from index.by_reading.get(reading, ())

    def similar_contacts(self, contact: Contact, limit: int | None = None) -> list[Contact]:
        """Other contacts a reader could take for `contact`: same reading, same name, or a typo away.

        `limit` stops the search early: a rule needs only the first few of a very common name.
        """
        own = {a.lower() for a in contact.emails}
        own_domains = {_domain_of(a) for a in own}
        own_name = normalize_name(contact.name)
        result: list[Contact] = []
        seen: set[int] = set()
        for i in self._candidates(contact):
            if i in seen:
                continue
            seen.add(i)
            other = self.contacts[i]
            other_addrs = {a.lower() for a in other.emails}
            if other is contact or own & other_addrs:
                continue
            if own_name == normalize_name(other.name) and own_domains & {
                _domain_of(a) for a in other_addrs
            }:
                continue  # the same person listed twice (two exports, two rows)
            result.append(other)
            if limit is not None and len(result) >= limit:
                break
        return result
