"""Move external To/Cc recipients out of sight: rewrite only the To and Cc header lines of the raw bytes.

The SMTP envelope is not touched, so the removed addresses still receive the mail, exactly as Bcc does.
Every other header line and the body are kept byte for byte (signatures and encodings stay intact).
A returned mail gets its hidden recipients back as a Bcc: header (`restore_hidden_recipients`), and
loses it again before it is submitted once more (`without_bcc`).
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable, Iterable, Sequence

from missend_guard.core.message.decoding import decode_header_value, seven_bit_jis
from missend_guard.core.message.rawheader import field_name, header_fields, split_head

_REWRITTEN = (b"to", b"cc")
_SHOWN = (b"to", b"cc", b"bcc")


def _format(pairs: Iterable[tuple[str, str]]) -> list[str]:
    return [email.utils.formataddr((name, addr), charset="utf-8") for name, addr in pairs]


def _header(name: bytes, items: list[str], newline: bytes) -> bytes:
    # One address per line keeps every line far below the 998-octet limit whatever the count.
    sep = ("," + newline.decode() + " ").encode("ascii")
    return name + b": " + sep.join(i.encode("utf-8", errors="surrogateescape") for i in items) + newline


def move_external_to_bcc(raw: bytes, is_external: Callable[[str], bool]) -> bytes:
    """The same message with external addresses removed from To and Cc; everything else unchanged."""
    head, newline, body = split_head(raw)
    out: list[bytes] = []
    to_written = False
    for lines in header_fields(head, newline):
        name = field_name(lines[0])
        if name.lower() not in _REWRITTEN:
            out.append(newline.join(lines) + newline)
            continue
        raw_value = newline.join(lines)[len(name) + 1 :]
        # Raw ISO-2022-JP names are decoded first: the "(" of ESC ( B would open a comment.
        jis = seven_bit_jis(raw_value, None)
        value = jis if jis is not None else raw_value.decode("ascii", errors="surrogateescape")
        pairs = email.utils.getaddresses([value])
        kept = [
            (decode_header_value(n), a) for n, a in pairs if a and not is_external(a)
        ]
        if name.lower() == b"to":
            # A message needs a visible destination: an empty group says "recipients not shown".
            items = _format(kept) if kept else ["undisclosed-recipients:;"]
            if not to_written:
                out.append(_header(name, items, newline))
                to_written = True
            elif kept:
                out.append(_header(name, items, newline))
        elif kept:
            out.append(_header(name, _format(kept), newline))
    return b"".join(out) + body



def _addresses(lines: list[bytes], newline: bytes) -> list[str]:
    value = newline.join(lines)[len(field_name(lines[0])) + 1 :]
    # Raw ISO-2022-JP names are decoded first: the "(" of ESC ( B would open a comment.
    text = seven_bit_jis(value, None)
    if text is None:
        text = value.decode("utf-8", errors="replace")
    return [addr for _, addr in email.utils.getaddresses([text]) if addr]


def restore_hidden_recipients(raw: bytes, rcpt_tos: Sequence[str]) -> bytes:
    """The message with the envelope recipients not in To/Cc/Bcc written into a Bcc: header.

    A returned mail then reads as the user last left it (a Bcc move included) when it is opened
    in the mail app; with nobody hidden the bytes are returned unchanged.
    """
    head, newline, body = split_head(raw)
    fields = header_fields(head, newline)
    shown: set[str] = set()
    after = len(fields)
    for index, lines in enumerate(fields):
        if field_name(lines[0]).lower() in _SHOWN:
            shown.update(a.casefold() for a in _addresses(lines, newline))
            after = index + 1
    hidden: dict[str, str] = {}
    for address in rcpt_tos:
        if address and address.casefold() not in shown:
            hidden.setdefault(address.casefold(), address)
    if not hidden:
        return raw
    out = [newline.join(lines) + newline for lines in fields]
    out.insert(after, _header(b"Bcc", list(hidden.values()), newline))
    return b"".join(out) + body


def without_bcc(raw: bytes) -> bytes:
    """The message without Bcc: header lines (the envelope alone carries those recipients)."""
    head, newline, body = split_head(raw)
    fields = header_fields(head, newline)
    kept = [lines for lines in fields if field_name(lines[0]).lower() != b"bcc"]
    if len(kept) == len(fields):
        return raw
    return b"".join(newline.join(lines) + newline for lines in kept) + body
