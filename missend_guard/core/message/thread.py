"""The thread inside a body: the sender's own text, then the earlier messages it quotes, each with its people.

Understands '>' quoting with the attribution above it ("On … wrote:", 「2026年11月20日(金) 10:02
佐藤 花子 <…>:」, 「… さんは書きました:」), Outlook's 「-----Original Message-----」 and
「差出人: / 送信日時: / 宛先: / CC: / 件名:」 (and From/Sent/To/Cc/Subject) header blocks, forwarded-message
headers, and HTML quotes once `htmltext` has turned them into '>' lines. `Thread.flags` is the one
definition of "quoted" per line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from missend_guard.core.message.addresses import unicode_domain
from missend_guard.core.message.markers import (
    FORWARD_WORDS,
    HEADER_FIELD,
    QUOTE_MARK,
    SEPARATOR,
    attribution_span,
    history_marker,
    is_outlook_header,
    marker_candidates,
    signature_start,
    split_disclaimers,
    unquote,
)

Role = Literal["from", "to", "cc"]
BlockKind = Literal["reply", "forward", "quote"]

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.ASCII)
_ROLES: dict[str, Role] = {
    "from": "from", "差出人": "from", "送信者": "from", "送信元": "from",
    "to": "to", "宛先": "to", "受信者": "to", "cc": "cc", "bcc": "cc",
}
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fw|fwd|転送)\s*[:：]", re.IGNORECASE)
_ATTRIBUTION_TAIL = re.compile(
    r"\s*(?:さんは書きました|さんが書きました|が書きました|は書きました|wrote|schrieb|a écrit"
    r"|からのメール|のメール)?"
    r"\s*[:：]?\s*$",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:GMT|UTC)?[+-]\d{2}:?\d{2})?"
    r"(?:\s*\([A-Za-z]{2,5}\))?"
)
_YEAR = re.compile(r"(?:19|20)\d{2}(?:年)?")
_NAME_TRIM = " \t*,，、:：;\"'“”‘’<>()（）[]［］「」"
_MAX_DEPTH = 12  # '>>>>…' nesting beyond this is read as text, not parsed further
_MAX_HEADER_LINES = 20


@dataclass(frozen=True)
class Participant:
    """A person named in a quoted message's header: role, display name, address ("" when not shown)."""

    role: Role
    name: str
    address: str

    @functools.cached_property  # asked for by every rule, for every header of the thread
    def domain(self) -> str:
        """Unicode lower-case domain of the address ("" when only a name is shown)."""
        return unicode_domain(self.address.rpartition("@")[2]) if "@" in self.address else ""

    @property
    def label(self) -> str:
        """How to name this person to the user: the display name, else the address."""
        return self.name or self.address


@dataclass(frozen=True)
class QuotedBlock:
    """One earlier message quoted in the body, with the people its header or attribution names."""

    kind: BlockKind  # "quote": '>' lines with no attribution above them
    participants: tuple[Participant, ...]
    text: str  # what its author wrote: quote marks stripped; deeper history, signature and footer left out
    footer: str  # its signature and legal footer
    depth: int  # 1 = quoted by this mail, 2 = quoted inside that message, …

    @property
    def sender(self) -> Participant | None:
        """The author (From / the attribution), when the header names one."""
        return next((p for p in self.participants if p.role == "from"), None)

    @property
    def lists_recipients(self) -> bool:
        """True when the header shows who it went to (To/Cc), not only who wrote it."""
        return any(p.role != "from" for p in self.participants)


@dataclass(frozen=True)
class Thread:
    """A body cut into the sender's own text, signature and the quoted messages below or between."""

    flags: tuple[bool, ...]  # one per line: True where the line is earlier mail
    own: str
    signature: str  # own signature and legal footers
    quoted: str  # every quoted line as written (quote marks kept)
    blocks: tuple[QuotedBlock, ...] = field(default=())

    @property
    def participants(self) -> tuple[Participant, ...]:
        """Everyone named in any quoted header or attribution, in order of appearance."""
        return tuple(p for b in self.blocks for p in b.participants)


@dataclass
class _Group:
    kind: BlockKind
    header: list[str]
    body: list[str] = field(default_factory=list)
    fields: bool = False  # the header is From/To/… fields, not an attribution line


_SECOND_LEVEL = frozenset({"co", "ne", "or", "ac", "go", "lg", "ed", "gr", "com", "net", "org", "gov", "edu"})


def organisation(domain: str) -> str:
    """The registrable part of a domain: tokyo.abc-trading.co.jp and abc-trading.co.jp are one company."""
    labels = domain.lower().rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def body_lines(body: str) -> list[str]:
    """`body` cut into lines whatever its line endings (CRLF, CR or LF): the unit the flags count."""
    return body.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# A few bodies only: a big text mail must not stay in memory after its check (issue 15).
@functools.lru_cache(maxsize=4)  # a str caches its hash: cheaper to look up than the tuple of its lines
def parse_thread(body: str) -> Thread:
    """The thread model of a plain-text body (HTML bodies arrive as text with '>' quotes)."""
    return thread_of_lines(tuple(body_lines(body)))


@functools.lru_cache(maxsize=4)  # every content and thread rule asks for the same body
def thread_of_lines(lines: tuple[str, ...]) -> Thread:
    """The thread model of a body already cut into lines."""
    blocks: list[QuotedBlock] = []
    flags = _scan(lines, 1, blocks)
    own = [ln for ln, q in zip(lines, flags, strict=True) if not q]
    quoted = [ln for ln, q in zip(lines, flags, strict=True) if q]
    text, footer = _cut_footer(own)
    return Thread(tuple(flags), text, footer, "\n".join(quoted).strip("\n"), tuple(blocks))


def _cut_footer(own: Sequence[str]) -> tuple[str, str]:
    """(text, signature + legal footers) of one message's own lines."""
    at = signature_start(own)
    kept, disclaimers = split_disclaimers(own[:at])
    return "\n".join(kept).strip("\n"), "\n".join([*own[at:], *disclaimers]).strip("\n")


def _scan(lines: Sequence[str], depth: int, out: list[QuotedBlock]) -> list[bool]:
    """Flags for `lines`; the messages they quote are appended to `out` in reading order."""
    flags = [False] * len(lines)
    groups: list[_Group] = []
    current: _Group | None = None
    maybe = marker_candidates(lines)  # history_marker is asked only where it can find something
    i = 0
    while i < len(lines):
        line = lines[i]
        if QUOTE_MARK.match(line):
            if current is None:
                current = _Group("quote", [])
                groups.append(current)
            elif i and not lines[i - 1].strip() and current.body:
                current.body.append("")  # a blank line between '>' runs keeps the paragraphs apart
            current.body.append(unquote(line))
            flags[i] = True
            i += 1
            continue
        what, span = history_marker(lines, i) if i in maybe else ("", 0)
        if what == "attribution":
            # Bottom or inline posting: the attribution and '>' lines are history, text after them is own.
            flags[i : i + span] = [True] * span
            current = _Group("reply", list(lines[i : i + span]))
            groups.append(current)
            i += span
            continue
        if what == "history":
            flags[i:] = [True] * (len(lines) - i)
            for group in groups:
                _emit(group, depth, out)
            groups = []
            _history(lines[i:], depth, out)
            break
        i += 1
    for group in groups:
        _emit(group, depth, out)
    return flags


def _history(lines: Sequence[str], depth: int, out: list[QuotedBlock]) -> None:
    """Split history (everything below a separator or header block) into its messages."""
    maybe = marker_candidates(lines)
    i = 0
    while i < len(lines):
        kind, header, i, fields = _read_header(lines, i)
        j = i
        while j < len(lines) and (j not in maybe or history_marker(lines, j)[0] != "history"):
            j += 1
        _emit(_Group(kind, header, list(lines[i:j]), fields), depth, out)
        i = j


def _read_header(lines: Sequence[str], i: int) -> tuple[BlockKind, list[str], int, bool]:
    """(kind, header lines, index after them, whether they are fields) of the message marked at i."""
    kind: BlockKind = "reply"
    header: list[str] = []
    if SEPARATOR.match(lines[i]):
        kind = "forward" if FORWARD_WORDS.search(lines[i]) else "reply"
        header.append(lines[i])
        i += 1
        for _ in range(2):  # Apple Mail leaves a blank line under "Begin forwarded message:"
            if i < len(lines) and not lines[i].strip():
                i += 1
    elif not is_outlook_header(lines, i):
        span = max(1, attribution_span(lines, i))
        return kind, list(lines[i : i + span]), i + span, False
    last_key = ""
    start = i
    while i < len(lines) and i - start < _MAX_HEADER_LINES and lines[i].strip():
        m = HEADER_FIELD.match(lines[i])
        if m:
            last_key = m.group("key").lower()
            if last_key in ("subject", "件名") and _FORWARD_SUBJECT.match(m.group("value")):
                kind = "forward"
        elif not (_ROLES.get(last_key) in ("to", "cc") and ("@" in lines[i] or ";" in lines[i])):
            break  # a wrapped To/Cc list continues; anything else is the message itself
        header.append(lines[i])
        i += 1
    return kind, header, i, True


def _emit(group: _Group, depth: int, out: list[QuotedBlock]) -> None:
    """Append the block for `group`, then the blocks it quotes itself."""
    nested: list[QuotedBlock] = []
    deeper = depth < _MAX_DEPTH
    inner = _scan(group.body, depth + 1, nested) if deeper else [False] * len(group.body)
    own = [ln for ln, q in zip(group.body, inner, strict=True) if not q]
    text, footer = _cut_footer(own)
    people = _participants(group)
    if people or text or footer or not nested:
        # Apple Mail puts the attribution inside the quote: the empty '>' wrapper is not a message.
        out.append(QuotedBlock(group.kind, people, text, footer, depth))
    out.extend(nested)


def _participants(group: _Group) -> tuple[Participant, ...]:
    if not group.fields:
        joined = " ".join(ln.strip() for ln in group.header)
        return tuple(Participant("from", n, a) for n, a in _attribution_people(joined))
    people: list[Participant] = []
    role: Role | None = None
    for line in group.header:
        m = HEADER_FIELD.match(line)
        if m:
            role = _ROLES.get(m.group("key").lower())
            value = m.group("value")
        else:
            value = line  # a wrapped To/Cc line
        if role is not None:
            people += [Participant(role, n, a) for n, a in mailboxes(value)]
    return tuple(people)


def _attribution_people(text: str) -> list[tuple[str, str]]:
    """The author named in an attribution line (name and address, either may be "")."""
    addresses = [m.group().lower() for m in _EMAIL.finditer(text)]
    rest = _EMAIL.sub(" ", re.sub(r"mailto:", " ", text, flags=re.IGNORECASE))
    rest = re.sub(r"[<\[(（]\s*[>\])）]", " ", rest)
    rest = _ATTRIBUTION_TAIL.sub("", rest)
    times = list(_TIME.finditer(rest)) or list(_YEAR.finditer(rest))
    if times:
        rest = rest[times[-1].end() :]
    elif re.match(r"\s*(?:on|am|le)\s", rest, re.IGNORECASE) and "," in rest:
        rest = rest.rpartition(",")[2]
    name = _clean_name(rest)
    if not addresses:
        return [(name, "")] if name else []
    return [(name, addresses[0])]


def mailboxes(value: str) -> list[tuple[str, str]]:
    """(name, address) pairs of a quoted header value as clients write it (either may be "")."""
    value = re.sub(r"\[\s*mailto:", "<", value, flags=re.IGNORECASE).replace("]", ">")
    found: list[tuple[str, str]] = []
    for piece in re.split(r"[;；]", value):
        matches = list(_EMAIL.finditer(piece))
        if not matches:
            last_first = re.fullmatch(r"\s*[A-Za-z'-]+,\s*[A-Za-z'-]+\s*", piece)  # "Sato, Hanako"
            names = [piece] if last_first else re.split(r"[,、，]", piece)
            found += [(n, "") for n in (_clean_name(x) for x in names) if n]
            continue
        previous = 0
        for m in matches:
            name = _clean_name(piece[previous : m.start()].replace("mailto:", ""))
            found.append((name, m.group().lower()))
            previous = m.end()
    return found


def _clean_name(text: str) -> str:
    text = " ".join(text.split()).strip(_NAME_TRIM)
    return "" if "@" in text or len(text) > 80 else text
