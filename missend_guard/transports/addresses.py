"""Envelope addresses that are safe to write into an SMTP command or a mail header, as they are."""

from __future__ import annotations

import re

# C0 controls and DEL, plus C1 controls and the Unicode line/paragraph separators: some mail
# software ends a line (or a header) at any of them, which would let one address smuggle a
# command (`RCPT TO:<"x\rBcc: spy@…"@example.co.jp>`) or a header past the check.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Bytes that were not UTF-8 arrive as lone surrogates (aiosmtpd decodes with surrogateescape).
_UNDECODABLE = re.compile("[\ud800-\udfff]")


def address_problem(address: str) -> str | None:
    """Why `address` must not be sent as written (a short English reason), or None when it is safe."""
    if _CONTROL.search(address):
        return "control characters are not allowed in an address"
    if _UNDECODABLE.search(address):
        return "the address is not valid UTF-8"
    return None
