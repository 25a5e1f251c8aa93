"""Mailboxes in From/To/Cc/Bcc: parsed with the stdlib, domains lower-cased and in Unicode."""

from __future__ import annotations

import email.utils
import functools
from dataclasses import dataclass
from email.message import Message as EmailMessage
from typing import Literal

import idna

from missend_guard.core.message.decoding import (
    decode_bytes,
    decode_header_value,
    raw_header_bytes,
    raw_headers,
    seven_bit_jis,
)

AddressField = Literal["from", "to", "cc", "bcc"]


@dataclass(frozen=True)
class Address:
    """One mailbox. `address` keeps the local part as given with the domain lower-cased."""

    field: AddressField
    name: str
    address: str
    domain: str  # Unicode, lower-case; "" when the address has no domain

    @property
    def local(self) -> str:
        """The part before the last '@'."""
        return self.address.rpartition("@")[0] if "@" in self.address else self.address

    def to_json(self) -> dict[str, str]:
        """Contract shape for `from` (recipients add internal/known in the report)."""
        return {"name": self.name, "address": self.address}


def unicode_domain(domain: str) -> str:
    """Lower-case Unicode form of a domain; punycode labels decoded when valid."""
    domain = domain.strip().rstrip(".").lower()
    if "xn--" not in domain:
        return domain
    return ".".join(_unicode_label(label) for label in domain.split("."))


def _unicode_label(label: str) -> str:
    if not label.startswith("xn--"):
        return label
    try:
        return idna.decode(label)
    except (idna.IDNAError, UnicodeError):
        pass
    try:  # the stdlib's IDNA 2003 accepts some labels IDNA 2008 refuses (symbols)
        return label.encode("ascii").decode("idna")
    except UnicodeError:
        return label


def make_address(field_name: AddressField, name: str, addr: str) -> Address:
    """Build an Address: domain part lower-cased, Unicode domain derived."""
    addr = addr.strip()
    local, at, domain = addr.rpartition("@")
    if not at:
        return Address(field_name, name, addr, "")
    return Address(field_name, name, f"{local}@{domain.lower()}", unicode_domain(domain))


def header_addresses(
    msg: EmailMessage, header: str, field_name: AddressField, problems: list[str]
) -> list[Address]:
    """The mailboxes of every `header` field of `msg`; what could not be read goes to `problems`."""
    raws = tuple(raw_headers(msg, header))
    small = sum(map(len, raws)) <= CACHED_HEADER_CHARS
    parse = _remembered if small else _parsed
    found, found_problems = parse(raws, header, field_name)
    problems.extend(found_problems)
    return list(found)


# The same From, and often the same To and Cc, come with every mail of a correspondence; the
# stdlib's address parser walks encoded names one character at a time (a third of a small mail's
# parse). The result depends on nothing but the raw header text. Only headers of everyday size
# are remembered: a mass mail's thousand-address To would otherwise stay in memory 256 times over.
CACHED_HEADER_CHARS = 4096


def _parsed(raws: tuple[str, ...], header: str, field_name: AddressField,
            ) -> tuple[tuple[Address, ...], tuple[str, ...]]:
    problems: list[str] = []
    found: list[Address] = []
    raw_values = []
    for raw in raws:
        # 8-bit (SMTPUTF8) and raw ISO-2022-JP headers: decode before parsing, so names and IDN
        # domains survive and the "(" of ESC ( B is not read as the start of a comment.
        jis = seven_bit_jis(raw_header_bytes(raw), None)
        if jis is not None:
            raw_values.append(jis)
        else:
            raw_values.append(raw if raw.isascii() else decode_bytes(raw_header_bytes(raw), None, problems))
    try:
        pairs = email.utils.getaddresses(raw_values)
    except (ValueError, IndexError):
        problems.append(f"unparsable-address-header:{header.lower()}")
        return (), tuple(problems)
    for name, addr in pairs:
        if not addr and not name:
            continue
        if not addr or "@" not in addr:
            problems.append(f"invalid-address:{header.lower()}")
            if not addr:
                continue
        found.append(make_address(field_name, decode_header_value(name, problems), addr))
    return tuple(found), tuple(problems)


_remembered = functools.lru_cache(maxsize=256)(_parsed)
