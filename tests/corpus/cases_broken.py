"""Damaged messages as they arrive from crashed clients, bad gateways and old software."""

# ruff: noqa: E501  (mail text is data: splitting Japanese sentences mid-phrase hurts reading)

from __future__ import annotations

import base64

from tests.corpus import attachments as att
from tests.corpus.cases_clean import SIG
from tests.corpus.mailkit import Mail, Part, encode_words
from tests.corpus.universe import KATO, ME, MORI_IN, SATO, Case

MALFORMED: list[tuple[str, str | None]] = [("malformed-message", None)]


def _base(client: str, to: list[tuple[str, str]], subject: str, parts: list[Part]) -> Mail:
    body = "加藤さん\n\n資料を添付します。\n" + SIG if parts else "加藤さん\n\n明日の件です。\n" + SIG
    return Mail(client, ME, to, subject, body, parts=parts)


def cases() -> list[Case]:
    """Malformed-message cases; every one must still be checked (exit 0..2, JSON)."""
    out: list[Case] = []
    add = out.append
    pdf = att.pdf("資料", pages=3)

    mail = _base("outlook-utf8", [KATO], "会議資料", [Part("会議資料.pdf", "application/pdf", pdf)])
    raw = mail.render()
    cut = raw[: int(len(raw) * 0.7)]  # the client died mid-upload: no closing boundary
    add(Case("mf01_truncated_multipart", "Multipart cut off in the middle of the base64 attachment",
             mail, must=MALFORMED, raw=cut, allowed=[("missing-attachment", None)]))

    mail = _base("thunderbird", [KATO], "報告書", [Part("報告書.pdf", "application/pdf", pdf)])
    raw = mail.render()
    b64 = base64.encodebytes(pdf).replace(b"\n", b"\r\n")
    broken = b64[:200] + b"@@##!!not*base64**\r\n" + b64[200:-7]  # junk line, lost padding
    add(Case("mf02_broken_base64", "Attachment base64 with junk characters and lost padding",
             mail, must=MALFORMED, raw=raw.replace(b64, broken)))

    mail = _base("becky", [KATO], "明日の件", [])
    raw = mail.render()
    head, _, rest = raw.partition(b"Date: ")
    garbage = head + b"\x00\x9f\xff\xfe\x81\x40garbage-without-colon \x1b$B\x00\r\nDate: " + rest
    add(Case("mf03_garbage_header_bytes", "Binary garbage line without a colon inside the header block",
             mail, must=MALFORMED, raw=garbage))

    mail = _base("outlook-jp", [KATO], "予定", [])
    raw = mail.render()
    bad_word = b"=?x-unknown-charset?B?" + base64.b64encode("予定".encode()) + b"?="
    raw = raw.replace(encode_words("予定", "iso-2022-jp").encode(), bad_word)
    raw = raw.replace(b"charset=iso-2022-jp", b"charset=x-mac-nonsense")
    add(Case("mf04_unknown_charset", "Unknown charset in the encoded subject and the text part",
             mail, must=MALFORMED, raw=raw))

    mail = _base("gmail", [KATO], "資料", [Part("資料.pdf", "application/pdf", pdf)])
    raw = mail.render()
    start = raw.index(b'Content-Type: multipart/mixed; boundary="')
    end = raw.index(b'"', start + len(b'Content-Type: multipart/mixed; boundary="')) + 1
    raw = raw[:start] + b"Content-Type: multipart/mixed" + raw[end:]
    add(Case("mf05_multipart_no_boundary", "multipart/mixed without a boundary parameter",
             mail, must=MALFORMED, raw=raw, allowed=[("missing-attachment", None)]))

    mail = Mail("outlook-sjis", ME, [MORI_IN], "見積", "森さん\n\n了解です。\n\n山本\n")
    raw = mail.render()
    raw = raw.replace(b"Subject: " + encode_words("見積", "shift_jis").encode(),
                      b"Subject: " + "見積の件（至急）".encode("cp932"))
    add(Case("mf06_raw_sjis_subject", "Undeclared 8-bit Shift_JIS subject from an old client: still checked",
             mail, raw=raw, allowed=MALFORMED))

    mail = _base("outlook-jp", [SATO], "資料送付", [Part("資料.pdf", "application/pdf", pdf)])
    raw = mail.render()
    b64 = base64.encodebytes(pdf).replace(b"\n", b"\r\n")
    add(Case("mf07_truncated_external", "External mail cut off mid-attachment: still an external unencrypted file",
             mail, must=[*MALFORMED, ("external-recipient", f"recipient:{SATO[1]}")],
             raw=raw.replace(b64, b64[: len(b64) // 2]).rsplit(b"--mix_", 1)[0],
             allowed=[("missing-attachment", None), ("salutation-mismatch", None)]))
    return out
