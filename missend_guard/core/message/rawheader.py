"""The raw header block of a message as bytes: where it ends, its fields, their names.

For rewriting a few header fields while every other byte stays as it was (the Bcc move, the
8-bit header downgrade); parsing values is the `email` package's job.
"""

from __future__ import annotations

import re

_FIELD = re.compile(rb"^([!-9;-~]+)[ \t]*:")


def split_head(raw: bytes) -> tuple[bytes, bytes, bytes]:
    """(header block, line ending, body including the blank separator line)."""
    crlf = raw.find(b"\r\n\r\n")
    lf = raw.find(b"\n\n")
    if crlf != -1 and (lf == -1 or crlf <= lf + 1):
        return raw[: crlf + 2], b"\r\n", raw[crlf + 2 :]
    if lf != -1:
        return raw[: lf + 1], b"\n", raw[lf + 1 :]
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    return raw if raw.endswith(newline) else raw + newline, newline, b""


def header_fields(head: bytes, newline: bytes) -> list[list[bytes]]:
    """Header fields as lists of physical lines (continuation lines joined to their field)."""
    fields: list[list[bytes]] = []
    for line in head.split(newline):
        if not line:
            continue
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1].append(line)
        else:
            fields.append([line])
    return fields


def field_name(line: bytes) -> bytes:
    """The field name of a header field's first line (b"" when the line is not a field)."""
    match = _FIELD.match(line)
    return match.group(1) if match else b""
