"""The skeleton parser sees exactly what the stdlib feedparser path sees (issue 15, lever 3)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.message.encoded import Base64Body
from missend_guard.core.message.model import Message, parse_message, parse_message_stdlib
from missend_guard.core.message.skeleton import skeleton_parse
from tests.helpers.cpython_corpus import cpython_email_corpus

_CONTEXT = CheckContext()
_CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "mails"


def _seen(msg: Message) -> dict[str, Any]:
    """Everything a rule, the UI or the CLI JSON reads from a message."""
    return {
        "subject": msg.subject,
        "sender": msg.sender,
        "recipients": msg.recipients,
        "body": msg.body,
        "body_from_html": msg.body_from_html,
        "message_id": msg.message_id,
        "references": msg.references,
        "problems": msg.problems,
        "attachments": [
            (a.filename, a.content_type, a.size, a.encrypted, a.inline, a.data) for a in msg.attachments
        ],
        "findings": [f.to_json() for f in check(msg, _CONTEXT).findings],
    }


def _assert_same(raw: bytes) -> None:
    reference = _seen(parse_message_stdlib(raw, ("extra@example.org",)))
    assert _seen(parse_message(raw, ("extra@example.org",))) == reference
    if b"\r" not in raw.replace(b"\r\n", b""):  # what the relay hands over, saying so
        assert _seen(parse_message(raw, ("extra@example.org",), crlf_only=True)) == reference




@pytest.mark.skipif(not cpython_email_corpus(), reason="CPython's test/test_email/data is not installed")
@pytest.mark.parametrize("path", cpython_email_corpus(), ids=lambda p: p.name)
def test_cpython_email_corpus(path: Path) -> None:
    raw = path.read_bytes()
    _assert_same(raw)
    _assert_same(raw.replace(b"\n", b"\r\n"))


@pytest.mark.parametrize("path", sorted(_CORPUS.glob("*.eml")), ids=lambda p: p.name)
def test_project_corpus(path: Path) -> None:
    _assert_same(path.read_bytes())


def test_the_skeleton_path_is_taken_for_ordinary_mail() -> None:
    """Guards against a differential test that only ever compares the stdlib with itself."""
    taken = [p.name for p in sorted(_CORPUS.glob("*.eml")) if skeleton_parse(p.read_bytes()) is not None]
    assert len(taken) >= 0.8 * len(list(_CORPUS.glob("*.eml")))


_BOUNDARIES = st.sampled_from(["b", "==_Part_1", "----=_NextPart_000_0001", "a'()+_,-./:=?", "x y", "b--c"])
_EOL = st.sampled_from([b"\r\n", b"\n"])
_PADDING = st.sampled_from([b"", b" ", b"\t ", b"  "])
_CTE = st.sampled_from(["base64", "quoted-printable", "7bit", "8bit", "", "x-uuencode", "BASE64"])
_TYPES = st.sampled_from([
    "text/plain; charset=utf-8", "text/plain; charset=iso-2022-jp", "text/html; charset=utf-8",
    "application/pdf", "application/zip", "image/png", "application/octet-stream",
])


@st.composite
def _leaf(draw: st.DrawFn, eol: bytes) -> bytes:
    ctype = draw(_TYPES)
    cte = draw(_CTE)
    content = draw(st.binary(max_size=300))
    headers = [f"Content-Type: {ctype}".encode()]
    if cte:
        headers.append(f"Content-Transfer-Encoding: {cte}".encode())
    if draw(st.booleans()):
        headers.append(b'Content-Disposition: attachment; filename="f\xc3\xa4.pdf"')
    if draw(st.booleans()):
        headers.append(b"Content-ID: <img1@x>")
    if cte.lower() == "base64":
        encoded = base64.b64encode(content)
        layout = draw(st.sampled_from(["as-sent", "unpadded", "spaces", "blank-lines", "ragged"]))
        if layout == "unpadded":
            encoded = encoded.rstrip(b"=")
        width = draw(st.sampled_from([76, 60, 4, 1000, 77, 3, 1]))
        lines = [encoded[i:i + width] for i in range(0, len(encoded), width)] or [b""]
        if layout == "spaces":
            lines = [line + b" " for line in lines]
        elif layout == "blank-lines":
            lines += [b"", b""]
        elif layout == "ragged" and len(lines) > 1:  # one character moved to the next line
            lines[0], lines[1] = lines[0][:-1], lines[0][-1:] + lines[1]
        if draw(st.booleans()):  # junk, a missing pad, a stray '=', whitespace
            junk = draw(st.sampled_from([b"!!", b"A", b"=", b" x", b"%%%="]))
            lines.insert(draw(st.integers(0, len(lines))), junk)
        body = eol.join(lines)
    else:
        body = content.replace(b"\r", b"").replace(b"\n", eol)
    return eol.join(headers) + eol + eol + body


@st.composite
def _multipart(draw: st.DrawFn, eol: bytes, depth: int) -> bytes:
    boundary = draw(_BOUNDARIES) + str(depth)
    sep = b"--" + boundary.encode()
    subtype = draw(st.sampled_from(["mixed", "alternative", "related"]))
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        nested = depth < 2 and draw(st.integers(0, 3)) == 0
        parts.append(draw(_multipart(eol, depth + 1)) if nested else draw(_leaf(eol)))
    out = f'Content-Type: multipart/{subtype}; boundary="{boundary}"'.encode() + eol + eol
    if draw(st.booleans()):
        out += b"This is a multi-part message in MIME format." + eol
    for part in parts:
        out += sep + draw(_PADDING) + eol + part + eol
    ending = draw(st.sampled_from(["close", "close-padded", "missing", "close-no-eol"]))
    if ending == "close":
        out += sep + b"--" + eol
    elif ending == "close-padded":
        out += sep + b"--  " + eol + b"epilogue" + eol
    elif ending == "close-no-eol":
        out += sep + b"--"
    if draw(st.booleans()):
        out += b"trailing epilogue" + eol
    return out


@st.composite
def _message(draw: st.DrawFn) -> bytes:
    eol = draw(_EOL)
    head = eol.join([
        b"From: =?UTF-8?B?5bGx55Sw?= <yamada@example.co.jp>",
        b"To: a@example.com, B <b@outside.example>",
        b"Subject: =?ISO-2022-JP?B?GyRCOCsbKEI=?= test",
        b"MIME-Version: 1.0",
    ]) + eol
    body = draw(_multipart(eol, 0)) if draw(st.integers(0, 4)) else draw(_leaf(eol))
    raw = head + body
    if draw(st.booleans()):  # a cut anywhere: a missing close, a part without its blank line
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_message())
def test_fuzzed_multipart_messages(raw: bytes) -> None:
    _assert_same(raw)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_message(), st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(b"\r\n-= \tAb")), max_size=8))
def test_fuzzed_mutations(raw: bytes, mutations: list[tuple[int, int]]) -> None:
    data = bytearray(raw)
    for pos, value in mutations:
        if data:
            data[pos % len(data)] = value
    _assert_same(bytes(data))


def _big_attachment(encoded: bytes, eol: bytes = b"\r\n") -> bytes:
    head = eol.join([
        b"From: a@example.co.jp", b"To: b@example.com", b"Subject: big", b"MIME-Version: 1.0",
        b'Content-Type: multipart/mixed; boundary="B"', b"", b"--B", b"Content-Type: text/plain", b"",
        b"see attached", b"--B", b"Content-Type: application/pdf", b"Content-Transfer-Encoding: base64",
        b'Content-Disposition: attachment; filename="big.pdf"', b"",
    ])
    return head + eol + encoded + eol + b"--B--" + eol


@pytest.mark.parametrize("width", [76, 77, 3])
@pytest.mark.parametrize("damage", ["none", "pad-inside", "junk-late", "short"])
def test_big_base64_attachment_decoded_in_chunks(width: int, damage: str) -> None:
    encoded = base64.b64encode(bytes(range(256)) * 12_000 + b"x")  # ~3 MB: several chunks, '=' at the end
    if damage == "pad-inside":
        encoded = encoded[:1_500_000] + b"==" + encoded[1_500_000:]
    elif damage == "junk-late":
        encoded = encoded[:2_500_000] + b"!" + encoded[2_500_000:]
    elif damage == "short":
        encoded = encoded[:-3]
    lines = b"\r\n".join(encoded[i:i + width] for i in range(0, len(encoded), width))
    raw = _big_attachment(lines)
    assert skeleton_parse(raw) is not None
    _assert_same(raw)
    assert _seen(parse_message(raw))["attachments"][0][2] > 2_000_000
    # Up to a million lines, checked in batches: a sound layout stays in place, damage is decoded now.
    assert isinstance(parse_message(raw).attachments[0].content, Base64Body) is (damage == "none")


_CONTENT = bytes(range(256)) * 3 + b"xy"  # 770 bytes: the encoding ends in '=='
_ENCODED = base64.b64encode(_CONTENT)


def _wrapped(width: int, eol: bytes = b"\r\n", encoded: bytes = _ENCODED) -> bytes:
    return eol.join(encoded[i:i + width] for i in range(0, len(encoded), width))


@pytest.mark.parametrize(
    ("body", "eol", "lazy"),
    [
        pytest.param(_wrapped(76), b"\r\n", True, id="76-wide"),
        pytest.param(_wrapped(77), b"\r\n", True, id="lines-not-a-multiple-of-4"),
        pytest.param(_wrapped(1), b"\r\n", True, id="one-character-lines"),
        pytest.param(_ENCODED, b"\r\n", True, id="one-line"),
        pytest.param(_wrapped(76, b"\n"), b"\n", True, id="lf-mail"),
        pytest.param(_wrapped(76) + b"\r\n\r\n", b"\r\n", True, id="blank-lines-after"),
        pytest.param(_wrapped(len(_ENCODED) - 1), b"\r\n", True, id="padding-alone-on-the-last-line"),
        pytest.param(_wrapped(76).replace(b"\r\n", b" \r\n"), b"\r\n", False, id="spaces-at-line-ends"),
        pytest.param(_wrapped(76, encoded=_ENCODED.rstrip(b"=")), b"\r\n", False, id="padding-missing"),
        pytest.param(_wrapped(76, encoded=_ENCODED[:-3]), b"\r\n", False, id="length-not-a-multiple-of-4"),
        pytest.param(_wrapped(76, encoded=_ENCODED[:400] + b"!" + _ENCODED[400:]), b"\r\n", False, id="junk"),
        pytest.param(_wrapped(76, encoded=_ENCODED[:400] + b"=" + _ENCODED[400:]), b"\r\n", False,
                     id="padding-inside"),
        pytest.param(_wrapped(76).replace(b"\r\n", b"\r\n\r\n", 1), b"\r\n", False, id="ragged"),
    ],
)
def test_base64_layouts(body: bytes, eol: bytes, lazy: bool) -> None:
    raw = _big_attachment(body, eol)
    _assert_same(raw)
    attachment = parse_message(raw).attachments[0]
    assert isinstance(attachment.content, Base64Body) is lazy  # the lazy path is taken where it can be
    if lazy:
        assert (attachment.size, attachment.data) == (len(_CONTENT), _CONTENT)


def test_corpus_attachments_are_read_lazily() -> None:
    """Guards against lazy content that the corpus never exercises."""
    lazy = [
        p.name for p in sorted(_CORPUS.glob("*.eml"))
        for a in parse_message(p.read_bytes()).attachments if isinstance(a.content, Base64Body)
    ]
    assert len(lazy) >= 5
