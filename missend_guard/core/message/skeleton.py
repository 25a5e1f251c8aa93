"""Skeleton MIME parse: headers by the stdlib, part bodies located by boundary scanning over the raw bytes.

The stdlib feedparser copies every body line through a Python loop (about 50 ms per MB). Here
each part's headers are parsed by the stdlib exactly as before, and its body is kept as offsets
into the raw bytes, decoded only when asked. The result is the same tree of stdlib
`email.message.Message` objects the feedparser builds (compat32), so everything that reads
headers sees the same values. Whenever the structure is one the feedparser treats in a special
way (bare CR line ends, message/* parts, missing start boundary, doubled boundary lines, header
defects), `skeleton_parse` returns None and the caller uses the stdlib parser for that message.
"""

from __future__ import annotations

import binascii
import email.errors
import email.parser
import email.policy
import re
from email.message import Message as EmailMessage

from missend_guard.core.message.encoded import SpanBody, scan_base64
from missend_guard.core.protect.containers.source import FileData, whole

_HEADERS = email.parser.BytesParser(policy=email.policy.compat32)
_BLANK = re.compile(rb"\r?\n")
_BARE_CR = re.compile(rb"\r(?!\n)")  # one pass at memchr speed, where counting CR and CRLF took two
_MAX_HEADER_BLOCK = 1 << 20  # a bigger header block is left to the stdlib
_MAX_DEPTH = 40
_CHUNK = 1 << 20
# Transfer encodings the stdlib decodes with more than base64's one call: left to it.
_STDLIB_DECODED = frozenset({"quoted-printable", "x-uuencode", "uuencode", "uue", "x-uue"})


class _UnusualMimeError(Exception):
    """The message takes a path of the feedparser this scanner does not reproduce."""


class SkeletonPart(EmailMessage):
    """A leaf part whose body is an offset range of the raw message, decoded on demand."""

    def __init__(self, raw: bytes, start: int, end: int) -> None:
        super().__init__(policy=email.policy.compat32)
        self._span = (raw, start, end)

    @property
    def body_size(self) -> int:
        """Encoded body bytes (as the stdlib payload would hold them)."""
        return self._span[2] - self._span[1]

    def decoded(self) -> bytes:
        """The body decoded as `get_payload(decode=True)` decodes it (base64 with binascii directly)."""
        return whole(self.content())

    def content(self) -> FileData:
        """The body, decoded on demand where the stdlib decodes it without a defect, decoded now otherwise."""
        raw, start, end = self._span
        cte = str(self.get("content-transfer-encoding", "")).lower()
        if cte == "base64":
            lazy = scan_base64(raw, start, end)
            if lazy is not None:
                return lazy
            strict = _strict_base64(raw, start, end)  # lines of unequal widths
            if strict is not None:
                return strict
        elif cte not in _STDLIB_DECODED:
            return SpanBody(raw, start, end)
        self.set_payload(raw[start:end].decode("ascii", "surrogateescape"))
        data = self.get_payload(decode=True)
        return data if isinstance(data, bytes) else b""


def _strict_base64(raw: bytes, start: int, end: int) -> bytes | None:
    """What the stdlib's first, strict attempt decodes (lines joined), or None where it would not.

    Decoded a chunk at a time, so a 30 MB attachment never exists twice in its encoded form.
    """
    pieces: list[bytes] = []
    carry = b""
    at = start
    while at < end:
        cut = raw.find(b"\n", min(at + _CHUNK, end) - 1, end)
        stop = end if cut < 0 else cut + 1
        text = carry + raw[at:stop].translate(None, b"\r\n")  # the stdlib joins the lines
        at = stop
        if at < end and b"=" in text:
            return None  # padding before the end: only a whole-body decode tells what happens
        usable = len(text) - len(text) % 4
        carry = text[usable:]
        try:
            pieces.append(binascii.a2b_base64(text[:usable], strict_mode=True))
        except binascii.Error:
            return None  # junk characters: the stdlib's lenient decoding and its defects
    return None if carry else b"".join(pieces)  # a length not a multiple of 4: a padding defect


def skeleton_parse(raw: bytes, *, crlf_only: bool = False) -> EmailMessage | None:
    """The compat32 message tree of `raw` with bodies left in place, or None to use the stdlib parser.

    `crlf_only`: the caller knows every CR in `raw` begins a CRLF (the relay makes it so), which
    spares a scan of the whole message.
    """
    if not crlf_only and _BARE_CR.search(raw):
        return None  # the feedparser also ends lines at a bare CR
    try:
        return _part(raw, 0, len(raw), 0)
    except (_UnusualMimeError, UnicodeError, RecursionError):
        return None


def _part(raw: bytes, start: int, end: int, depth: int) -> EmailMessage:
    if depth > _MAX_DEPTH:
        raise _UnusualMimeError
    body = _body_start(raw, start, end)
    headers = _HEADERS.parsebytes(raw[start:body], headersonly=True)
    if headers.defects or headers.get_content_maintype() == "message":
        raise _UnusualMimeError
    if headers.get_content_maintype() != "multipart":
        part = SkeletonPart(raw, body, _strip_eol(raw, body, end) if depth else end)
        _adopt(part, headers)
        return part
    boundary = headers.get_boundary()
    if boundary is None or headers.get_content_subtype() == "digest":
        raise _UnusualMimeError  # no boundary: a text payload with a defect; digest: message/rfc822 defaults
    if str(headers.get("content-transfer-encoding", "8bit")).lower() not in ("7bit", "8bit", "binary"):
        headers.defects.append(email.errors.InvalidMultipartContentTransferEncodingDefect())
    separator = b"--" + boundary.encode("ascii", "surrogateescape")
    children, closed = _children(raw, body, end, separator, depth)
    if not closed:
        headers.defects.append(email.errors.CloseBoundaryNotFoundDefect())
    headers.set_payload(children)  # type: ignore[arg-type]  # compat32 holds sub-parts as a list
    return headers


def _adopt(part: SkeletonPart, headers: EmailMessage) -> None:
    """Give `part` the parsed headers (and unix From line) of `headers`."""
    for name, value in headers.raw_items():
        part.set_raw(name, value)
    unixfrom = headers.get_unixfrom()
    if unixfrom is not None:
        part.set_unixfrom(unixfrom)
    part.set_default_type(headers.get_default_type())


def _body_start(raw: bytes, start: int, end: int) -> int:
    """Offset just after the blank line that ends the header block beginning at `start`."""
    blank = _BLANK.match(raw, start, end)
    if blank:
        return blank.end()
    limit = min(end, start + _MAX_HEADER_BLOCK)
    found = [i for i in (raw.find(b"\n\r\n", start, limit), raw.find(b"\n\n", start, limit)) if i >= 0]
    if not found:
        raise _UnusualMimeError  # headers up to a boundary or the end: the feedparser has its own rules
    at = min(found)
    return at + (3 if raw[at + 1] == 0x0D else 2)


def _children(
    raw: bytes, start: int, end: int, separator: bytes, depth: int
) -> tuple[list[EmailMessage], bool]:
    """Sub-parts of a multipart body in [start, end), and whether its close delimiter was seen."""
    lines = _boundary_lines(raw, start, end, separator)
    if not lines or lines[0][2]:
        raise _UnusualMimeError  # no start boundary (or the close one first): the body becomes text
    children: list[EmailMessage] = []
    for (_at, line_end, _close), nxt in zip(lines, [*lines[1:], None], strict=True):
        if nxt is not None and nxt[0] == line_end:
            raise _UnusualMimeError  # doubled boundary lines are collapsed by the feedparser
        part_end = nxt[0] if nxt is not None else end
        children.append(_part(raw, line_end, part_end, depth + 1))
        if nxt is not None and nxt[2]:
            return children, True
    return children, False


def _strip_eol(raw: bytes, start: int, end: int) -> int:
    """The newline before a boundary belongs to the boundary (RFC 2046), so a part ends before it."""
    if end > start and raw[end - 1] == 0x0A:
        return end - 2 if end - 1 > start and raw[end - 2] == 0x0D else end - 1
    return end


def _boundary_lines(raw: bytes, start: int, end: int, separator: bytes) -> list[tuple[int, int, bool]]:
    """(line start, line end, is close delimiter) of each boundary line in [start, end), up to the close."""
    pattern = re.compile(re.escape(separator) + rb"(--)?[ \t]*(\r?\n)?")
    found: list[tuple[int, int, bool]] = []
    at = start if raw.startswith(separator, start, end) else _next(raw, start, end, separator)
    while at >= 0:
        newline = raw.find(b"\n", at, end)
        line_end = end if newline < 0 else newline + 1
        match = pattern.fullmatch(raw, at, line_end)
        if match:
            close = match.group(1) is not None
            found.append((at, line_end, close))
            if close:
                break
        at = _next(raw, line_end if newline >= 0 else end, end, separator)
    return found


def _next(raw: bytes, start: int, end: int, separator: bytes) -> int:
    """Start of the next line at or after `start` that begins with `separator`, or -1."""
    hit = raw.find(b"\n" + separator, max(start - 1, 0), end)
    return hit + 1 if hit >= 0 else -1
