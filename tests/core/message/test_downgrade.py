"""8-bit headers (swaks, SMTPUTF8 clients) rewritten in 7-bit for an upstream without SMTPUTF8."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missend_guard.core.message.downgrade import HeaderDowngradeError, downgrade_headers
from missend_guard.core.message.model import Message, parse_message

# As swaks sends it with --header "Subject: ..." and --to/--from given in UTF-8: raw bytes.
SWAKS = (
    "Date: Fri, 20 Nov 2026 10:00:00 +0900\r\n"
    "To: 佐藤 花子 <hanako.sato@abc-trading.co.jp>, \"鈴木, 一郎\" <ichiro@例え.jp>\r\n"
    "Cc: 関係者各位: ken@example.co.jp, 山本 <yamamoto@example.co.jp>;\r\n"
    "From: 山本 健 <ken.yamamoto@example.co.jp>\r\n"
    "Subject: 【至急】お見積りの件（再送）\r\n"
    "  続き\r\n"
    "Message-Id: <20261120100000.012345@example.co.jp>\r\n"
    "X-Mailer: swaks v20240103.0 jetmore.org/john/code/swaks/\r\n"
    "Thread-Topic: 見積\r\n"
    "\r\n"
    "本文はそのまま 8 ビットで送ります。\r\n"
).encode()


def view(message: Message) -> tuple[object, ...]:
    """What a reader sees: subject, and each mailbox's field, name, local part and domain."""
    people = ([message.sender] if message.sender else []) + list(message.recipients)
    return message.subject, [(p.field, p.name, p.local, p.domain) for p in people]


def test_swaks_headers_become_7_bit_and_read_back_the_same() -> None:
    downgraded = downgrade_headers(SWAKS)
    head, _, body = downgraded.partition(b"\r\n\r\n")
    assert head.isascii()
    assert body == "本文はそのまま 8 ビットで送ります。\r\n".encode()  # the body is 8BITMIME's business
    assert all(len(line) <= 998 for line in head.split(b"\r\n"))
    assert b"=?utf-8?" in head
    assert b"ichiro@xn--r8jz45g.jp" in head
    assert b"Message-Id: <20261120100000.012345@example.co.jp>" in head  # ASCII fields as they were
    assert view(parse_message(downgraded)) == view(parse_message(SWAKS))
    assert parse_message(downgraded).subject == "【至急】お見積りの件（再送） 続き"
    assert parse_message(downgraded).problems == ()


def test_seven_bit_messages_are_returned_unchanged() -> None:
    raw = b"From: ken@example.co.jp\r\nSubject: =?utf-8?B?6KaL56mN?=\r\n\r\n\xe6\x9c\xac\xe6\x96\x87\r\n"
    assert downgrade_headers(raw) is raw


def test_a_non_ascii_local_part_is_a_clear_permanent_error() -> None:
    raw = "From: ken@example.co.jp\r\nTo: 山田 <山田@example.co.jp>\r\nSubject: x\r\n\r\nb\r\n".encode()
    with pytest.raises(HeaderDowngradeError, match=r"before the @.*SMTPUTF8"):
        downgrade_headers(raw)


def test_a_non_ascii_identifier_is_refused_not_mangled() -> None:
    raw = "From: ken@example.co.jp\r\nMessage-ID: <見積@example.co.jp>\r\n\r\nb\r\n".encode()
    with pytest.raises(HeaderDowngradeError, match="Message-ID"):
        downgrade_headers(raw)


def test_a_single_part_attachment_name_goes_rfc_2231() -> None:
    raw = (
        "From: ken@example.co.jp\r\nTo: b@abc-trading.co.jp\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        "Content-Type: application/pdf; name=\"見積書.pdf\"\r\n"
        "Content-Disposition: attachment; filename=\"見積書.pdf\"\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n"
    ).encode()
    downgraded = downgrade_headers(raw)
    assert downgraded.partition(b"\r\n\r\n")[0].isascii()
    assert b"filename*=utf-8''%E8%A6%8B" in downgraded
    assert [a.filename for a in parse_message(downgraded).attachments] == ["見積書.pdf"]


def test_lf_only_messages_keep_lf() -> None:
    raw = "From: ken@example.co.jp\nSubject: 見積\n\nb\n".encode()
    downgraded = downgrade_headers(raw)
    assert b"\r" not in downgraded
    assert parse_message(downgraded).subject == "見積"


_TEXT = st.text(st.sampled_from("見積書の件お願いします（）【】「」、。ー ABCabc-_.,:;!?'\"=?@<>()ｱｲｳ①髙"),
                min_size=1, max_size=120)


@settings(max_examples=150, deadline=None)
@given(subject=_TEXT, name=_TEXT)
def test_any_subject_and_display_name_read_back_the_same(subject: str, name: str) -> None:
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raw = (f"From: {quoted} <ken@example.co.jp>\r\nTo: {quoted} <b@例え.jp>\r\n"
           f"Subject: {subject}\r\n\r\nb\r\n").encode()
    downgraded = downgrade_headers(raw)
    assert downgraded.partition(b"\r\n\r\n")[0].isascii()
    assert view(parse_message(downgraded)) == view(parse_message(raw))
