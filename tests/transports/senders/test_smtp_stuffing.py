"""Dot-stuffing in pieces (a 45 MB mail is never copied whole) equals stuffing the whole message."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from missend_guard.transports.senders.smtp import stuffed_chunks

_WHOLE = re.compile(rb"(?m)^\.")
_MESSAGE_BYTES = st.lists(st.sampled_from([b".", b"\r", b"\n", b"\r\n", b"..", b"a", b"\xe3\x81\x82"]),
                          max_size=200).map(b"".join)


@given(_MESSAGE_BYTES, st.integers(min_value=1, max_value=64))
def test_pieces_join_to_the_whole_message_stuffed(raw: bytes, size: int) -> None:
    pieces = list(stuffed_chunks(raw, size))
    assert b"".join(pieces) == _WHOLE.sub(b"..", raw)
    assert all(piece.endswith(b"\n") for piece in pieces[:-1])  # each piece starts a line


def test_a_big_message_goes_in_bounded_pieces() -> None:
    raw = b".leading dot\r\n" + b"x" * 76 + b"\r\n" * 1 + (b"y" * 76 + b"\r\n") * 50_000
    pieces = list(stuffed_chunks(raw, 1 << 16))
    assert len(pieces) > 50
    assert max(map(len, pieces)) < (1 << 16) + 100
    assert pieces[0].startswith(b"..leading dot")
