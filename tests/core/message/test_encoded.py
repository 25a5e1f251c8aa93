"""Bodies left in the raw bytes: the scan accepts only what the stdlib decodes without a defect."""

from __future__ import annotations

import base64
import email.errors
from email._encoded_words import decode_b  # type: ignore[import-not-found]  # the stdlib's own decoder

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missend_guard.core.message.encoded import Base64Body, SpanBody, scan_base64

_PREFIX = b"Content-Transfer-Encoding: base64\r\nX: a==b\r\n\r\n"  # '=' before the body must not count


def _stdlib(body: bytes) -> tuple[bytes, list[email.errors.MessageDefect]]:
    """What `get_payload(decode=True)` yields for this base64 body, and the defects it records."""
    value, defects = decode_b(b"".join(body.splitlines()))
    return value, defects


def _lines(encoded: bytes, width: int, eol: bytes) -> bytes:
    return eol.join(encoded[i : i + width] for i in range(0, len(encoded), width))


def _scan(body: bytes) -> Base64Body | None:
    raw = _PREFIX + body + b"\r\n--boundary--\r\n"
    return scan_base64(raw, len(_PREFIX), len(_PREFIX) + len(body))


def _assert_matches(body: bytes, ranges: list[tuple[int, int]]) -> Base64Body | None:
    lazy = _scan(body)
    if lazy is not None:
        value, defects = _stdlib(body)
        assert defects == []
        assert lazy.size == len(value)
        assert lazy.whole() == value
        for a, b in ranges:
            start, stop = sorted((a % (len(value) + 2), b % (len(value) + 2)))  # one past the end too
            assert lazy.read_range(start, stop) == value[start:stop]
    return lazy


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=2000), st.integers(1, 100), st.sampled_from([b"\r\n", b"\n"]),
    st.sampled_from([b"", b"\r\n", b"\r\n\r\n", b"\n"]),
    st.lists(st.tuples(st.integers(0, 2100), st.integers(0, 2100)), max_size=5),
)
def test_well_formed_bodies_are_left_in_place_and_read_exactly(
    content: bytes, width: int, eol: bytes, trailer: bytes, ranges: list[tuple[int, int]]
) -> None:
    body = _lines(base64.b64encode(content), width, eol) + trailer
    lazy = _assert_matches(body, ranges)
    assert lazy is not None  # the lazy path is really taken for what mailers send
    assert lazy.size == len(content)


_DAMAGE = st.sampled_from([
    b"!", b" ", b"\t", b"=", b"==", b"A", b"AB", b"\r\n", b"\n", b"\r", b"\x00", b"\xff", b"-", b"_", b".",
])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.tuples(st.binary(max_size=600), st.integers(1, 80), st.sampled_from([b"\r\n", b"\n"])),
    st.lists(st.tuples(st.integers(0, 1000), _DAMAGE), min_size=1, max_size=3),
    st.integers(0, 3), st.lists(st.tuples(st.integers(0, 700), st.integers(0, 700)), max_size=3),
)
def test_damaged_bodies_are_never_accepted_wrongly(
    layout: tuple[bytes, int, bytes], damage: list[tuple[int, bytes]], cut: int,
    ranges: list[tuple[int, int]],
) -> None:
    content, width, eol = layout
    body = bytearray(_lines(base64.b64encode(content), width, eol))
    del body[len(body) - cut :]  # a missing pad or a short last quad
    for pos, junk in damage:
        at = pos % (len(body) + 1)
        body[at:at] = junk
    _assert_matches(bytes(body), ranges)


@pytest.mark.parametrize(
    "body",
    [
        b"QUJD\r\nREVG\r\n!",  # junk
        b"QUJD\r\nREVG\r\nRw",  # missing padding: the stdlib records a defect
        b"QUJD\r\nRw==\r\nREVG",  # padding inside
        b"QUJD\r\nREVG\r\nR===",  # too much padding
        b"QUJD \r\nREVG\r\n",  # whitespace at a line end
    ],
)
def test_bodies_the_stdlib_reports_on_are_refused(body: bytes) -> None:
    assert _stdlib(body)[1] != []
    assert _scan(body) is None


@pytest.mark.parametrize(
    "body",
    [
        b"QUJD\r\nREVGR0hJ\r\nSktM",  # lines of unequal widths
        b"QUJD\r\nREVG\r\nR0hJSktM",  # a last line longer than the others
        b"\r\nQUJD\r\nREVG",  # a blank first line
        b"QUJD\nREVG\r\nR0hJ",  # line breaks of two kinds
    ],
)
def test_irregular_layouts_are_left_to_a_whole_decode(body: bytes) -> None:
    assert _stdlib(body)[1] == []  # nothing wrong with them: the caller decodes them whole instead
    assert _scan(body) is None


def test_padding_split_over_a_line_break_and_an_empty_body() -> None:
    body = b"QUJD\r\nRA=\r\n="
    lazy = _assert_matches(body, [(0, 10)])
    assert lazy is None or lazy.whole() == b"ABCD"
    empty = _scan(b"")
    assert empty is not None
    assert (empty.size, empty.whole(), empty.read_range(0, 9)) == (0, b"", b"")
    blank = _scan(b"\r\n\r\n")
    assert blank is not None
    assert blank.size == 0


def test_a_span_body_reads_its_bytes_clipped_to_itself() -> None:
    raw = b"headers\r\n\r\nbody bytes\r\n--b--"
    span = SpanBody(raw, 11, 21)
    assert (span.size, span.whole(), span.read_range(5, 100), span.read_range(3, 2)) == (
        10, b"body bytes", b"bytes", b"",
    )
