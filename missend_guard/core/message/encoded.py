"""Attachment bodies left where they lie in the raw message, decoded a range at a time on demand.

A 25 MB attachment is about 19 MB decoded; the rules need its size, its first bytes and perhaps a
ZIP's central directory or a PDF's trailer. Both classes here satisfy the containers' `Blob`.
"""

from __future__ import annotations

import binascii
import io
from dataclasses import dataclass, field

_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_LINE_BREAKS = b"\r\n"
_SCAN_CHUNK = 1 << 20  # validation works on copies of this size, never of the whole body
_DECODE_CHUNK = 3 << 18  # decoded bytes per step of `whole()` (a multiple of 3: whole quads)
_MAX_PADDED_TAIL = 64  # '=' may end the body, split over a line break or two, nothing more
_MARKS_AT_ONCE = 1 << 16
_CRS, _LFS = b"\r" * _MARKS_AT_ONCE, b"\n" * _MARKS_AT_ONCE


@dataclass(frozen=True)
class SpanBody:
    """A body sent as is (7bit, 8bit, binary): bytes [start, end) of the raw message."""

    raw: bytes = field(repr=False)
    start: int
    end: int

    @property
    def size(self) -> int:
        """Length in bytes."""
        return self.end - self.start

    def read_range(self, start: int, stop: int) -> bytes:
        """Bytes [start, stop) of the body, clipped to it."""
        return self.raw[self.start + start : self.start + min(stop, self.size)]

    def whole(self) -> bytes:
        """The body's bytes."""
        return self.raw[self.start : self.end]


@dataclass(frozen=True)
class Base64Body:
    """A base64 body laid out in lines of one width, each ended by one kind of line break.

    Any decoded range maps to a range of the raw bytes, so a range costs what it decodes.
    """

    raw: bytes = field(repr=False)
    start: int
    width: int  # base64 characters on each line but the last
    eol: int  # bytes of the line break after each line: 2 (CRLF), 1 (LF) or 0 (one line)
    chars: int  # base64 characters, '=' padding included: a multiple of 4
    size: int  # decoded length

    def _offset(self, char: int) -> int:
        """Where base64 character number `char` lies in the raw message."""
        return self.start + char + (char // self.width) * self.eol

    def read_range(self, start: int, stop: int) -> bytes:
        """Decoded bytes [start, stop), clipped to the body; only the quads around them are decoded."""
        stop = min(stop, self.size)
        if start >= stop:
            return b""
        first, last = start // 3, -(-stop // 3)  # whole quads of 4 characters -> 3 bytes
        encoded = self.raw[self._offset(4 * first) : self._offset(min(4 * last, self.chars) - 1) + 1]
        if self.eol:
            encoded = encoded.translate(None, _LINE_BREAKS)
        return binascii.a2b_base64(encoded)[start - 3 * first : stop - 3 * first]

    def whole(self) -> bytes:
        """All the decoded bytes, built in one buffer (never the pieces and their join at once)."""
        out = io.BytesIO()
        for at in range(0, self.size, _DECODE_CHUNK):
            out.write(self.read_range(at, at + _DECODE_CHUNK))
        return out.getvalue()


def scan_base64(raw: bytes, start: int, end: int) -> Base64Body | None:
    """The body [start, end) as a Base64Body when the stdlib would decode it at its first, strict try.

    That is: only base64 characters and line breaks, '=' only at the end, at most two of them,
    and a length that is a multiple of 4, so there is nothing to report and no defect to record.
    None for anything else (junk, padding inside, a short length) and for lines of unequal
    widths: the caller decodes those bodies whole, as before.
    """
    breaks = pads = 0
    at = start
    while at < end:
        stop = min(at + _SCAN_CHUNK, end)
        rest = raw[at:stop].translate(None, _ALPHABET)  # what is not base64: line breaks, '=', junk
        if rest:
            if rest.translate(None, b"\r\n="):
                return None
            found = rest.count(b"=")
            pads += found
            breaks += len(rest) - found
        at = stop
    chars = end - start - breaks
    if chars % 4 or pads > 2 or (pads and not _padding_last(raw, start, end, pads)):
        return None
    size = chars // 4 * 3 - pads
    data_end = _data_end(raw, start, end)
    if data_end is None:
        return None
    if chars == 0:
        return Base64Body(raw, start, 1, 0, 0, 0)
    layout = _layout(raw, start, data_end, breaks - (end - data_end))
    if layout is None:
        return None
    width, eol = layout
    return Base64Body(raw, start, width, eol, chars, size)


def _padding_last(raw: bytes, start: int, end: int, pads: int) -> bool:
    """True when the body's `pads` '=' characters are its last characters."""
    first = raw.find(b"=", max(start, end - _MAX_PADDED_TAIL), end)
    return first >= 0 and raw[first:end].translate(None, _LINE_BREAKS) == b"=" * pads


def _data_end(raw: bytes, start: int, end: int) -> int | None:
    """End of the body without its trailing line breaks; None when those run on (left to the slow path)."""
    tail_start = max(start, end - 4096)
    kept = len(raw[tail_start:end].rstrip(_LINE_BREAKS))
    if kept == 0 and tail_start > start:
        return None
    return tail_start + kept


def _layout(raw: bytes, start: int, data_end: int, inner_breaks: int) -> tuple[int, int] | None:
    """(width, line break length) when every line but the last has the first line's width."""
    newline = raw.find(b"\n", start, data_end)
    if newline < 0:
        return (data_end - start, 0) if inner_breaks == 0 else None  # a bare CR inside
    eol = 2 if newline > start and raw[newline - 1] == 0x0D else 1
    width = newline + 1 - eol - start
    if width <= 0:
        return None
    step = width + eol
    found = 0
    # Where every line break must begin, a batch of lines at a time (one-character lines must not
    # cost a third of the body at once).
    for first in range(start + width, data_end, step * _MARKS_AT_ONCE):
        stop = min(data_end, first + step * _MARKS_AT_ONCE)
        marks = raw[first:stop:step]
        if eol == 2:
            regular = marks == _CRS[: len(marks)] and raw[first + 1 : stop : step] == _LFS[: len(marks)]
        else:
            regular = marks == _LFS[: len(marks)]
        if not regular:
            return None
        found += len(marks)
    # No other line break anywhere: the count of all of them matches the ones found in place.
    return (width, eol) if found * eol == inner_breaks else None
