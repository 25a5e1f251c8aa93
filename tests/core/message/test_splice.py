"""The splice guard: a scanned part is the attachment the parser listed, checked without decoding twice."""

from __future__ import annotations

import base64

from missend_guard.core.message.encoded import Base64Body
from missend_guard.core.message.model import parse_message
from missend_guard.core.message.splice import attachment_parts, same_file, scan


def _mail(*files: bytes) -> bytes:
    parts = b"".join(
        b"--m\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="f%d.bin"\r\n\r\n' % i + base64.encodebytes(data)
        .replace(b"\n", b"\r\n")
        for i, data in enumerate(files)
    )
    return (b"From: a@x.jp\r\nTo: b@y.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="m"\r\n\r\n' + parts + b"--m--\r\n")


def test_a_body_left_in_place_is_its_own_part_and_no_other() -> None:
    raw = _mail(b"first file" * 100, b"second file" * 100)
    attachments = parse_message(raw).attachments
    parts = attachment_parts(scan(raw))
    assert all(isinstance(a.content, Base64Body) for a in attachments)
    assert [same_file(raw, p, a) for p, a in zip(parts, attachments, strict=True)] == [True, True]
    assert not same_file(raw, parts[0], attachments[1])
    assert not same_file(raw, parts[1], attachments[0])


def test_bodies_in_another_copy_of_the_message_are_compared_decoded() -> None:
    raw = _mail(b"first file" * 100, b"second file" * 100)
    attachments = parse_message(bytes(bytearray(raw))).attachments  # equal bytes, another object
    parts = attachment_parts(scan(raw))
    assert same_file(raw, parts[0], attachments[0])
    assert not same_file(raw, parts[0], attachments[1])
