"""Header bytes as real clients send them: s-nail's ISO-2022-JP labelled us-ascii or sent raw."""

from __future__ import annotations

from missend_guard.core.message.decoding import decode_header_value
from missend_guard.core.message.model import parse_message

SUBJECT = "資料送付の件"
JIS_SUBJECT = SUBJECT.encode("iso2022_jp")  # b"\x1b$B;qNAAwIU$N7o\x1b(B"


def q_word(data: bytes, charset: str = "us-ascii") -> bytes:
    """An RFC 2047 Q encoded word with every non-alphanumeric byte escaped (phrase-safe)."""
    encoded = b"".join(bytes([c]) if chr(c).isalnum() else b"=%02X" % c for c in data)
    return b"=?" + charset.encode() + b"?Q?" + encoded + b"?="


def mail(*headers: bytes) -> bytes:
    return b"\r\n".join(headers) + b"\r\n\r\nbody\r\n"


def test_the_s_nail_subject_labelled_us_ascii_decodes_as_iso_2022_jp() -> None:
    # What s-nail sent: the JIS bytes in a Q word labelled us-ascii (shown as 「□$B;qNAAwIU$N7o」).
    raw = mail(b"From: ken@example.co.jp", b"Subject: =?us-ascii?Q?=1B$B;qNAAwIU$N7o=1B(B?=")
    assert parse_message(raw).subject == SUBJECT


def test_raw_escape_sequences_in_an_unlabelled_subject_decode() -> None:
    raw = mail(b"From: ken@example.co.jp", b"Subject: Re: " + JIS_SUBJECT + b" (2)")
    assert parse_message(raw).subject == f"Re: {SUBJECT} (2)"


def test_raw_iso_2022_jp_display_names_keep_their_addresses() -> None:
    # "山本" in JIS holds a backslash and ESC ( B holds "(": parsed raw, both would break the address.
    name = "山本 健".encode("iso2022_jp")
    to = "佐藤".encode("iso2022_jp")
    raw = mail(b"From: " + name + b" <ken@example.co.jp>",
               b"To: " + to + b" <sato@abc-trading.co.jp>, " + q_word(to) + b" <b@abc-trading.co.jp>")
    message = parse_message(raw)
    assert message.sender is not None
    assert (message.sender.name, message.sender.address) == ("山本 健", "ken@example.co.jp")
    assert [(r.name, r.address) for r in message.recipients] == [
        ("佐藤", "sato@abc-trading.co.jp"), ("佐藤", "b@abc-trading.co.jp"),
    ]
    assert message.problems == ()


def test_escape_sequences_labelled_utf_8_or_unlabelled_decode_and_others_stay_as_labelled() -> None:
    assert decode_header_value(q_word(JIS_SUBJECT, "utf-8").decode()) == SUBJECT
    assert decode_header_value(JIS_SUBJECT.decode("ascii")) == SUBJECT
    # A plain us-ascii word, and a label that is neither ASCII nor UTF-8, are left as they say.
    assert decode_header_value("=?us-ascii?Q?Meeting_notes?=") == "Meeting notes"
    assert decode_header_value(q_word(b"\x1b$B", "iso-8859-1").decode()) == "\x1b$B"
