"""vCard 2.1/3.0/4.0: folding, QUOTED-PRINTABLE with CHARSET (Japanese phones, Outlook), kana readings."""

from __future__ import annotations

import quopri
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from missend_guard.core.contacts.names import is_cjk
from missend_guard.core.message.decoding import decode_bytes

_EMAIL_LIKE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


@dataclass
class _Card:
    props: dict[str, list[str]] = field(default_factory=dict)

    def first(self, name: str) -> str:
        values = self.props.get(name)
        return values[0] if values else ""


@dataclass(frozen=True)
class VCardEntry:
    """The fields of one card a contact needs (strings already decoded and unescaped)."""

    name: str
    emails: tuple[str, ...]
    company: str
    department: str
    family: str
    given: str
    family_reading: str
    given_reading: str


def _unfold(text: str) -> list[str]:
    """Physical lines → logical lines: RFC 6350 folding and QUOTED-PRINTABLE soft breaks."""
    logical: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if logical and logical[-1].endswith("=") and _is_quoted_printable(logical[-1]):
            logical[-1] = logical[-1][:-1] + raw.lstrip(" \t")  # '=' at the end: QP soft line break
        elif raw[:1] in (" ", "\t") and logical:
            logical[-1] += raw[1:]
        else:
            logical.append(raw)
    return [line for line in logical if line.strip()]


def _is_quoted_printable(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


def _split_unescaped(value: str, sep: str) -> list[str]:
    parts, current, escaped = [], [], False
    for c in value:
        if escaped:
            current.append({"n": "\n", "N": "\n"}.get(c, c))
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
    parts.append("".join(current))
    return parts


def _split_property(line: str) -> tuple[str, dict[str, str], str] | None:
    in_quotes = False
    for i, c in enumerate(line):
        if c == '"':
            in_quotes = not in_quotes
        elif c == ":" and not in_quotes:
            head, value = line[:i], line[i + 1 :]
            break
    else:
        return None
    name, *raw_params = head.split(";")
    name = name.rpartition(".")[2].strip().upper()  # drop the item1. group prefix (Apple)
    params: dict[str, str] = {}
    for param in raw_params:
        key, eq, val = param.partition("=")
        if eq:
            params[key.strip().upper()] = val.strip().strip('"')
        else:  # vCard 2.1 bare parameters: "WORK", "QUOTED-PRINTABLE"
            bare = key.strip().upper()
            params["ENCODING" if bare in ("QUOTED-PRINTABLE", "BASE64", "8BIT") else bare] = bare
    return name, params, value


def _decode_value(params: dict[str, str], value: str) -> str:
    if params.get("ENCODING", "").upper() in ("QUOTED-PRINTABLE", "Q"):
        raw = quopri.decodestring(value.encode("ascii", errors="replace"))
        return decode_bytes(raw, params.get("CHARSET") or "utf-8")
    return value


def _cards(text: str) -> Iterator[_Card]:
    card: _Card | None = None
    depth = 0
    for line in _unfold(text):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            depth += 1
            if depth == 1:
                card = _Card()
            continue
        if upper == "END:VCARD":
            depth = max(0, depth - 1)
            if depth == 0 and card is not None:
                yield card
                card = None
            continue
        if card is None or depth != 1:
            continue
        parsed = _split_property(line)
        if parsed is None:
            continue
        name, params, value = parsed
        if params.get("ENCODING", "").upper() in ("B", "BASE64"):
            continue  # photos and keys: nothing for us
        if name == "SOUND" and "X-IRMC-N" not in params:
            continue
        key = "X-IRMC-N" if name == "SOUND" else name
        card.props.setdefault(key, []).append(_decode_value(params, value))


def _components(value: str) -> list[str]:
    return [p.strip() for p in _split_unescaped(value, ";")]


def _clean(value: str) -> str:
    return " ".join(value.split())


def _text(value: str) -> str:
    return _clean("".join(_split_unescaped(value, "\x00")))


def _is_kana(text: str) -> bool:
    return any("\u3041" <= c <= "\u30ff" or "\uff66" <= c <= "\uff9f" for c in text)


def _entry(card: _Card) -> VCardEntry | None:
    emails = []
    for value in card.props.get("EMAIL", []):
        addr = _text(value).removeprefix("mailto:").strip()
        if _EMAIL_LIKE.match(addr):
            local, _, domain = addr.rpartition("@")
            emails.append(f"{local}@{domain.lower()}")
    if not emails:
        return None
    n = [*_components(card.first("N")), "", ""]
    family, given = _clean(n[0]), _clean(n[1])
    org = [*_components(card.first("ORG")), ""]
    company, department = _clean(org[0]), _clean(org[1])
    reading = [*_components(card.first("X-IRMC-N")), "", ""]
    family_reading = _text(card.first("X-PHONETIC-LAST-NAME")) or _clean(reading[0])
    given_reading = _text(card.first("X-PHONETIC-FIRST-NAME")) or _clean(reading[1])
    sort_string = _text(card.first("SORT-STRING"))
    if sort_string and not (family_reading or given_reading):
        fam, _, giv = sort_string.partition(" ")
        family_reading, given_reading = fam, giv.strip()
    if not _is_kana(family_reading + given_reading):
        family_reading = given_reading = ""  # SORT-STRING of a Latin name is no reading
    name = _text(card.first("FN"))
    if not name and (family or given):
        parts = (family, given) if is_cjk(family + given) else (given, family)
        name = " ".join(p for p in parts if p)
    return VCardEntry(
        name=name or company or emails[0],
        emails=tuple(dict.fromkeys(emails)),
        company=company,
        department=department,
        family=family,
        given=given,
        family_reading=unicodedata.normalize("NFKC", family_reading),
        given_reading=unicodedata.normalize("NFKC", given_reading),
    )


def parse_vcards(text: str) -> list[VCardEntry]:
    """Every card with at least one e-mail address, in file order."""
    return [entry for entry in map(_entry, _cards(text)) if entry is not None]
