"""Parsing real-world Japanese and broken mail: decode what can be decoded, never raise."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missend_guard.core.message.addresses import unicode_domain
from missend_guard.core.message.decoding import decode_bytes
from missend_guard.core.message.encoded import Base64Body
from missend_guard.core.message.model import Attachment, parse_message
from tests.helpers.cpython_corpus import cpython_email_corpus
from tests.helpers.mailbuild import encoded_word, jis_mail

TO = [("佐藤 花子", "Hanako.Sato@ABC-Trading.co.jp")]


def test_iso_2022_jp_headers_and_body_decode() -> None:
    raw = jis_mail(subject="打ち合わせの件", body="佐藤様\nいつもお世話になっております。", to=TO)
    msg = parse_message(raw)
    assert msg.subject == "打ち合わせの件"
    assert msg.sender is not None
    assert msg.sender.name == "山本 健"
    assert msg.recipients[0].name == "佐藤 花子"
    assert msg.body.startswith("佐藤様\nいつもお世話になっております。")
    assert msg.problems == ()


def test_address_keeps_local_part_and_lowercases_domain() -> None:
    msg = parse_message(jis_mail(subject="s", body="b", to=TO))
    rcpt = msg.recipients[0]
    assert rcpt.address == "Hanako.Sato@abc-trading.co.jp"
    assert rcpt.domain == "abc-trading.co.jp"
    assert rcpt.field == "to"


def test_shift_jis_with_cp932_only_characters_and_rfc2231_filename() -> None:
    # ① and 髙 are not in JIS X 0208 Shift_JIS but every Windows mailer sends them labelled Shift_JIS.
    raw = jis_mail(
        subject="①見積書送付の件（髙橋）",
        body="髙橋様\n①見積書をお送りします。",
        to=TO,
        attachments=[("見積書①.xlsx", "application/octet-stream", b"PK\x03\x04 not really")],
        charset="shift_jis",
    )
    msg = parse_message(raw)
    assert msg.subject == "①見積書送付の件（髙橋）"
    assert "①見積書をお送りします。" in msg.body
    assert [a.filename for a in msg.attachments] == ["見積書①.xlsx"]
    assert msg.attachments[0].data == b"PK\x03\x04 not really"


def test_rfc2047_encoded_filename_inside_quotes_is_decoded() -> None:
    name = encoded_word("会議資料.pdf")
    raw = (
        "From: a@example.co.jp\r\nTo: b@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n'
        f'--b\r\nContent-Type: application/pdf; name="{name}"\r\nContent-Disposition: attachment;'
        f' filename="{name}"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n'
    ).encode("ascii")
    msg = parse_message(raw)
    assert msg.attachments[0].filename == "会議資料.pdf"
    assert msg.attachments[0].data == b"%PDF-"


def test_raw_utf8_headers_smtputf8() -> None:
    raw = (
        "From: 山本 健 <ken@example.co.jp>\r\nTo: 田中 太郎 <taro@例え.jp>\r\n"
        "Subject: 生の UTF-8 件名\r\n\r\n本文です\r\n"
    ).encode()
    msg = parse_message(raw)
    assert msg.subject == "生の UTF-8 件名"
    assert msg.recipients[0].name == "田中 太郎"
    assert msg.recipients[0].domain == "例え.jp"
    assert msg.body.strip() == "本文です"


def test_punycode_domain_shown_in_unicode_address_kept() -> None:
    msg = parse_message(b"From: a@x.jp\r\nTo: t@XN--R8JZ45G.jp\r\nSubject: s\r\n\r\nb")
    assert msg.recipients[0].address == "t@xn--r8jz45g.jp"
    assert msg.recipients[0].domain == "例え.jp"


def test_envelope_recipients_missing_from_headers_become_bcc() -> None:
    raw = jis_mail(subject="s", body="b", to=TO)
    msg = parse_message(raw, ["hanako.sato@abc-trading.co.jp", "hidden@partner.example"])
    assert [(r.field, r.address) for r in msg.recipients] == [
        ("to", "Hanako.Sato@abc-trading.co.jp"),
        ("bcc", "hidden@partner.example"),
    ]


def test_bcc_header_is_read() -> None:
    msg = parse_message(b"From: a@x.jp\r\nTo: b@x.jp\r\nBcc: c@y.com\r\nSubject: s\r\n\r\nb")
    assert [(r.field, r.address) for r in msg.recipients] == [("to", "b@x.jp"), ("bcc", "c@y.com")]


def test_html_only_body_becomes_text_with_quotes_marked() -> None:
    html = (
        "<html><head><style>p{color:red}</style></head><body><p>鈴木様</p><p>資料を添付します。</p>"
        "<blockquote><p>前回のメール</p></blockquote></body></html>"
    )
    raw = (
        "From: a@x.jp\r\nTo: b@y.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(html.encode()).decode()
    ).encode()
    msg = parse_message(raw)
    assert msg.body_from_html
    assert msg.body.splitlines() == ["鈴木様", "資料を添付します。", "> 前回のメール"]


def test_inline_cid_image_is_marked_inline_and_listed_last() -> None:
    raw = (
        b"From: a@x.jp\r\nTo: b@y.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\n'
        b'Content-Type: multipart/related; boundary="r"\r\n\r\n--r\r\n'
        b'Content-Type: text/html; charset=utf-8\r\n\r\n<img src="cid:logo@x">hi\r\n--r\r\n'
        b"Content-Type: image/png\r\nContent-ID: <logo@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"iVBORw0KGgo=\r\n--r--\r\n--m\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="a.pdf"\r\n\r\n%PDF-1.4\r\n--m--\r\n'
    )
    msg = parse_message(raw)
    assert [(a.filename, a.inline) for a in msg.attachments] == [("a.pdf", False), ("image.png", True)]
    assert [i for i, _ in msg.files] == [0]


def test_attachment_content_stays_in_the_raw_message_until_read() -> None:
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 40
    encoded = base64.b64encode(pdf)
    raw = (
        b"From: a@x.jp\r\nTo: b@y.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nhi\r\n'
        b"--m\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="a.pdf"\r\n\r\n'
        + b"\r\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76)) + b"\r\n--m--\r\n"
    )
    att = parse_message(raw, crlf_only=True).attachments[0]
    assert isinstance(att.content, Base64Body)
    assert att.content.raw is raw  # offsets, not a copy
    assert (att.size, att.to_json()["size"]) == (len(pdf), len(pdf))
    assert att.data == pdf
    assert Attachment("a.bin", "application/octet-stream", b"abc").size == 3


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"", "empty-message"),
        (
            b"From: a@x.jp\r\nTo: b@y.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="zz"\r\n\r\n'
            b"--zz\r\nContent-Type: text/plain\r\n\r\ntrunc",
            "CloseBoundaryNotFoundDefect",
        ),
        (
            b"From: a@x.jp\r\nTo: b@y.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@notbase64!!!\r\n",
            "InvalidBase64",
        ),
        (b"From: a@x.jp\r\nTo: b@y.com\r\nSubject: =?x-bogus?B?44GC?=\r\n\r\nb", "unknown-charset:x-bogus"),
        (b"From: a@x.jp\r\nTo: not an address\r\nSubject: s\r\n\r\nb", "invalid-address:to"),
    ],
)
def test_malformed_input_is_recorded_not_raised(raw: bytes, problem: str) -> None:
    msg = parse_message(raw)
    assert any(p.startswith(problem) for p in msg.problems), msg.problems


def test_garbage_bytes_in_headers_are_decoded_best_effort() -> None:
    raw = b"From: a@x.jp\r\nTo: b@y.com\r\nSubject: \x93\xfa\x96\x7b\xff\xfe\r\n\r\nbody"
    msg = parse_message(raw)
    assert msg.body == "body"
    assert msg.subject  # something readable, no exception


def test_missing_headers_give_empty_values() -> None:
    msg = parse_message(b"just a body line\r\n")
    assert msg.subject == ""
    assert msg.sender is None
    assert msg.recipients == ()


def test_decode_bytes_falls_back_from_declared_charset() -> None:
    assert decode_bytes("①".encode("cp932"), "shift_jis") == "①"
    # Latin-1 labels are read as cp1252, what senders mean by them; a declared charset wins when it decodes.
    assert decode_bytes("日本".encode(), "iso-8859-1") == "日本".encode().decode("cp1252")
    assert decode_bytes("日本".encode("euc_jp"), None) == "日本"


def test_unicode_domain_of_invalid_punycode_is_kept() -> None:
    assert unicode_domain("xn--zz-.Example.COM") == "xn--zz-.example.com"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_random_bytes_never_raise(data: bytes) -> None:
    msg = parse_message(data)
    assert isinstance(msg.subject, str)


_SEED = jis_mail(
    subject="見積書送付の件",
    body="佐藤様\n見積書を添付いたします。",
    to=TO,
    cc=[("鈴木 一郎", "ichiro@example.co.jp")],
    attachments=[("見積書.pdf", "application/pdf", b"%PDF-1.4 fake")],
    charset="shift_jis",
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, len(_SEED) - 1), st.integers(0, 255)), max_size=30),
    st.integers(0, len(_SEED)),
)
def test_mutated_real_message_never_raises(mutations: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(_SEED)
    for pos, value in mutations:
        data[pos] = value
    msg = parse_message(bytes(data[: max(cut, 1)]))
    assert isinstance(msg.body, str)




@pytest.mark.skipif(not cpython_email_corpus(), reason="CPython's test/test_email/data is not installed")
@pytest.mark.parametrize("path", cpython_email_corpus(), ids=lambda p: p.name)
def test_cpython_email_corpus_parses(path: Path) -> None:
    msg = parse_message(path.read_bytes())
    assert isinstance(msg.subject, str)


def test_a_repeated_address_header_gives_the_same_addresses_and_problems_every_time() -> None:
    # Address headers are parsed once and remembered: the second mail must not lose anything.
    raw = (b"From: =?ISO-2022-JP?B?GyRCOzNLXCEhN3IbKEI=?= <ken@Example.CO.JP>\r\n"
           b"To: not an address, =?ISO-2022-JP?B?GyRCRURDZiEhTU0bKEI=?= <tanaka@xn--eckwd4c7c.jp>\r\n"
           b"Subject: s\r\n\r\nb\r\n")
    first, second = parse_message(raw), parse_message(raw)
    assert first.recipients == second.recipients
    assert [a.address for a in second.recipients] == ["not", "tanaka@xn--eckwd4c7c.jp"]
    assert second.recipients[1].domain == "ドメイン.jp"
    assert second.sender == first.sender
    assert second.sender is not None
    assert second.sender.address == "ken@example.co.jp"
    assert "invalid-address:to" in first.problems
    assert first.problems == second.problems


def test_a_mass_mails_long_address_header_is_parsed_but_not_remembered() -> None:
    from missend_guard.core.message import addresses

    def mass_mail(first: int) -> bytes:
        many = ", ".join(f"user{i}@example.co.jp" for i in range(first, first + 400))  # ~9,000 chars
        return f"From: ken@example.co.jp\r\nTo: {many}\r\nSubject: s\r\n\r\nb\r\n".encode()

    assert len(parse_message(mass_mail(0)).recipients) == 400
    remembered = addresses._remembered.cache_info().currsize
    message = parse_message(mass_mail(1000))  # the same From, another long To
    assert [r.address for r in message.recipients][:2] == ["user1000@example.co.jp",
                                                          "user1001@example.co.jp"]
    assert addresses._remembered.cache_info().currsize == remembered  # the long To is not kept
