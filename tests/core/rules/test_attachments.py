"""Attachment rules over real .eml messages: protection, sheets, revisions, size, broken files, names."""

from __future__ import annotations

from typing import Any

import pytest

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.policy import Policy
from missend_guard.core.contacts.book import Contact, ContactBook
from missend_guard.core.message.model import parse_message
from missend_guard.core.rules import attachments
from missend_guard.core.rules.registry import ALL_RULES
from tests.helpers import attachment_builders as b
from tests.helpers.attachment_builders import Part

OCTET = "application/octet-stream"
POLICY = Policy(internal_domains={"example.co.jp"})
CONTACTS = ContactBook(
    [
        Contact("佐藤 花子", ("hanako.sato@abc-trading.co.jp",), company="ABC商事", family="佐藤",
                given="花子"),
        Contact("田村 次郎", ("jiro.tamura@abc-trading.co.jp",), company="ABC商事"),
        Contact("鈴木 一郎", ("ichiro.suzuki@xyz-bank.co.jp",), company="株式会社XYZ銀行", family="鈴木",
                given="一郎"),
        Contact("John Smith", ("john@acme.example",), company="Acme Corporation", family="Smith",
                given="John"),
        Contact("山本 健", ("ken.yamamoto@example.co.jp",), company="自社システム", family="山本",
                given="健"),
        Contact("No Mail Company", (), company="メール無し商会"),
    ]
)
HANAKO = "佐藤 花子 <hanako.sato@abc-trading.co.jp>"
COLLEAGUE = "高橋 <takahashi@example.co.jp>"


def _findings(raw: bytes, context: CheckContext | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    report = check(parse_message(raw), context or CheckContext(POLICY, CONTACTS), rules=attachments.RULES)
    return [(f.code, f.target, dict(f.params)) for f in report.findings]


def _unprotected(i: int, filename: str, kind: str) -> tuple[str, str, dict[str, Any]]:
    return ("unprotected-attachment", f"attachment:{i}", {"filename": filename, "kind": kind})


PROTECTION_CASES = [
    ("plain-pdf", [HANAKO], [Part("会議資料.pdf", "application/pdf", b.pdf())],
     [_unprotected(0, "会議資料.pdf", "pdf")]),
    ("encrypted-pdf", [HANAKO], [Part("会議資料.pdf", "application/pdf", b.pdf("pw"))], []),
    ("aes-zip", [HANAKO], [Part("資料.zip", "application/zip", b.aes_zip({"a.txt": b"1"}))], []),
    ("zipcrypto", [HANAKO], [Part("資料.zip", OCTET, b.zipcrypto_zip({"a.txt": b"1"}))], []),
    ("plain-zip", [HANAKO], [Part("資料.zip", OCTET, b.plain_zip({"a.txt": b"1"}))],
     [_unprotected(0, "資料.zip", "zip")]),
    ("cfb-encrypted-xlsx", [HANAKO],
     [Part("見積書.xlsx", OCTET, b.encrypted_ooxml_cfb(), "sjis-2231")], []),
    ("encrypted-xls", [HANAKO],
     [Part("旧.xls", "application/vnd.ms-excel", b.legacy_xls(encrypted=True))], []),
    ("internal-only", [COLLEAGUE], [Part("会議資料.pdf", "application/pdf", b.pdf())], []),
    ("one-external-among-internal", [COLLEAGUE, HANAKO],
     [Part("議事録.txt", "text/plain", "議事録".encode("cp932"), "rfc2047")],
     [_unprotected(0, "議事録.txt", "other")]),
    ("one-finding-per-file", [HANAKO],
     [Part("a.pdf", "application/pdf", b.pdf()), Part("b.zip", OCTET, b.aes_zip({"x": b"1"})),
      Part("c.pdf", "application/pdf", b.pdf())],
     [_unprotected(0, "a.pdf", "pdf"), _unprotected(2, "c.pdf", "pdf")]),
]


@pytest.mark.parametrize(
    ("to", "parts", "expected"), [pytest.param(*c[1:], id=c[0]) for c in PROTECTION_CASES]
)
def test_unprotected_attachment(to: list[str], parts: list[Part], expected: list[object]) -> None:
    assert _findings(b.eml(to=to, parts=parts)) == expected


def test_encrypted_flag_and_shift_jis_rfc2231_name_reach_the_message() -> None:
    parts = [
        Part("見積書.xlsx", OCTET, b.encrypted_ooxml_cfb(), "sjis-2231"),
        Part("資料.zip", OCTET, b.aes_zip({"a": b"1"}), "rfc2047"),
        Part("会議資料.pdf", "application/pdf", b.pdf()),
    ]
    raw = b.eml(to=[HANAKO], parts=parts, subject="【至急】お見積りの件")
    assert b"filename*=shift_jis''%8C%A9%90%CF%8F%91.xlsx" in raw
    message = parse_message(raw)
    assert message.subject == "【至急】お見積りの件"
    assert [(a.filename, a.encrypted) for a in message.attachments] == [
        ("見積書.xlsx", True), ("資料.zip", True), ("会議資料.pdf", False),
    ]


def test_inline_cid_image_is_not_an_unprotected_attachment() -> None:
    logo = Part("logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_id="logo@example.co.jp")
    html = '<p>お世話になっております。</p><img src="cid:logo@example.co.jp">'
    raw = b.eml(to=[HANAKO], parts=[logo], html=html)
    message = parse_message(raw)
    assert [a.inline for a in message.attachments] == [True]
    assert _findings(raw) == []
    # the same HTML mail with a real file attached: only the file fires
    raw = b.eml(to=[HANAKO], parts=[logo, Part("資料.pdf", "application/pdf", b.pdf())], html=html)
    message = parse_message(raw)
    assert [(a.filename, a.inline) for a in message.attachments] == [("資料.pdf", False), ("logo.png", True)]
    assert _findings(raw) == [_unprotected(0, "資料.pdf", "pdf")]


CONTENT_CASES = [
    ("hidden-sheet",
     Part("見積書.xlsx", OCTET, b.xlsx([("見積", "visible"), ("原価", "hidden")]), "sjis-2231"),
     [("hidden-sheet", "attachment:0",
       {"filename": "見積書.xlsx", "sheets": ["原価"], "states": ["hidden"]})]),
    ("very-hidden",
     Part("book.xlsm", OCTET, b.xlsx([("A", "visible"), ("B", "hidden"), ("C", "veryHidden")])),
     [("hidden-sheet", "attachment:0",
       {"filename": "book.xlsm", "sheets": ["B", "C"], "states": ["hidden", "veryHidden"]})]),
    ("no-hidden-sheet", Part("見積書.xlsx", OCTET, b.xlsx()), []),
    ("tracked-changes", Part("契約書.docx", OCTET, b.docx(2, 1, 3)),
     [("tracked-changes", "attachment:0",
       {"filename": "契約書.docx", "insertions": 2, "deletions": 1, "comments": 3})]),
    ("clean-docx", Part("契約書.docx", OCTET, b.docx()), []),
    ("corrupt-xlsx", Part("見積書.xlsx", OCTET, b"PK\x03\x04 but nothing else"),
     [("malformed-message", "attachment:0", {"filename": "見積書.xlsx", "problem": "corrupt-xlsx"})]),
    ("xlsx-not-a-zip", Part("見積書.xlsx", OCTET, "見積".encode("cp932")),
     [("malformed-message", "attachment:0", {"filename": "見積書.xlsx", "problem": "corrupt-xlsx"})]),
    ("truncated-pdf", Part("資料.pdf", "application/pdf", b.pdf()[:80]),
     [("malformed-message", "attachment:0", {"filename": "資料.pdf", "problem": "corrupt-pdf"})]),
    ("broken-zip", Part("資料.zip", "application/zip", b.plain_zip({"a": b"1" * 999})[:-30]),
     [("malformed-message", "attachment:0", {"filename": "資料.zip", "problem": "corrupt-zip"})]),
    ("bomb", Part("爆弾.xlsx", OCTET, b.raw_zip([
        b.deflated_entry("[Content_Types].xml", b"<Types/>"),
        b.deflated_entry("xl/workbook.xml", b" " * 30_000_000)])),
     [("malformed-message", "attachment:0", {"filename": "爆弾.xlsx", "problem": "too-large-to-inspect"})]),
    ("encrypted-docx-not-opened", Part("契約書.docx", OCTET, b.encrypted_ooxml_cfb()), []),
]


@pytest.mark.parametrize(("part", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CONTENT_CASES])
def test_contents_to_a_colleague(part: Part, expected: list[object]) -> None:
    # Internal recipient: no unprotected-attachment, so only what is inside the file shows.
    assert _findings(b.eml(to=[COLLEAGUE], parts=[part])) == expected


def test_large_attachment_counts_every_attachment() -> None:
    context = CheckContext(POLICY.updated(large_attachment_bytes=10_000), CONTACTS)
    parts = [Part("a.txt", "text/plain", b"a" * 6_000), Part("b.txt", "text/plain", b"b" * 6_000)]
    assert _findings(b.eml(to=[COLLEAGUE], parts=parts), context) == [
        ("large-attachment", "message", {"total_bytes": 12_000, "limit_bytes": 10_000}),
    ]
    assert _findings(b.eml(to=[COLLEAGUE], parts=parts[:1]), context) == []


def _mismatch(filename: str, names: list[str], companies: list[str]) -> tuple[str, str, dict[str, Any]]:
    params = {"filename": filename, "names": names, "recipients_companies": companies}
    return ("attachment-name-mismatch", "attachment:0", params)


NAME_CASES = [
    ("other-company", [HANAKO], "御見積書_XYZ銀行様.pdf",
     [_mismatch("御見積書_XYZ銀行様.pdf", ["株式会社XYZ銀行"], ["ABC商事"])]),
    ("right-company", [HANAKO], "御見積書_ABC商事様.pdf", []),
    ("legal-form-and-full-width", [HANAKO], "御見積書（株式会社ＸＹＺ銀行御中）.pdf",
     [_mismatch("御見積書（株式会社ＸＹＺ銀行御中）.pdf", ["株式会社XYZ銀行"], ["ABC商事"])]),
    ("no-separator", [HANAKO], "御見積書XYZ銀行御中.pdf",
     [_mismatch("御見積書XYZ銀行御中.pdf", ["株式会社XYZ銀行"], ["ABC商事"])]),
    ("person", [HANAKO], "鈴木一郎様_ご請求書.pdf",
     [_mismatch("鈴木一郎様_ご請求書.pdf", ["鈴木 一郎"], ["ABC商事"])]),
    ("recipient-person", [HANAKO], "佐藤花子様_ご請求書.pdf", []),
    ("colleague-of-recipient", ["jiro.tamura@abc-trading.co.jp"], "ABC商事様_見積.pdf", []),
    ("unknown-address-same-domain", ["new.person@abc-trading.co.jp"], "ABC商事様_見積.pdf", []),
    ("subdomain-of-owner", ["someone@tokyo.xyz-bank.co.jp"], "XYZ銀行様_見積.pdf", []),
    ("latin-words", [HANAKO], "Quote_Acme_Corp_2024.pdf",
     [_mismatch("Quote_Acme_Corp_2024.pdf", ["Acme Corporation"], ["ABC商事"])]),
    ("latin-person", [HANAKO], "contract-John-Smith.pdf",
     [_mismatch("contract-John-Smith.pdf", ["John Smith"], ["ABC商事"])]),
    ("latin-word-not-cut", [HANAKO], "Acmeville_map.pdf", []),
    ("names-both", [HANAKO], "ABC商事様_XYZ銀行比較.pdf", []),
    ("internal-name", [HANAKO], "自社システム_概要.pdf", []),
    ("name-without-address", [HANAKO], "メール無し商会_資料.pdf", []),
    ("internal-only-mail", [COLLEAGUE], "御見積書_XYZ銀行様.pdf", []),
    ("no-name", [HANAKO], "御見積書.pdf", []),
    ("unknown-recipient", ["info@unknown.example"], "XYZ銀行様_御見積書.pdf",
     [_mismatch("XYZ銀行様_御見積書.pdf", ["株式会社XYZ銀行"], [])]),
]


@pytest.mark.parametrize(("to", "filename", "expected"), [pytest.param(*c[1:], id=c[0]) for c in NAME_CASES])
def test_attachment_name_mismatch(to: list[str], filename: str, expected: list[object]) -> None:
    raw = b.eml(to=to, parts=[Part(filename, "application/pdf", b.pdf("pw"), "sjis-2231")])
    found = [f for f in _findings(raw) if f[0] == "attachment-name-mismatch"]
    assert found == expected


def test_name_index_is_built_once_per_context() -> None:
    calls = []

    def counting(context: CheckContext) -> attachments.AttachmentNameIndex:
        calls.append(1)
        return attachments.build_name_index(context)

    context = CheckContext(POLICY, CONTACTS)
    context.derived("attachment-names", counting)
    raw = b.eml(to=[HANAKO], parts=[Part("御見積書_XYZ銀行様.pdf", "application/pdf", b.pdf("pw"))])
    for _ in range(3):
        assert [f[0] for f in _findings(raw, context)] == ["attachment-name-mismatch"]
    assert calls == [1]


def test_fifty_thousand_contacts() -> None:
    people = [
        Contact(f"担当{i}", (f"user{i}@company{i % 5000}.example",), company=f"取引先{i % 5000}商事")
        for i in range(50_000)
    ]
    context = CheckContext(POLICY, ContactBook([*people, *CONTACTS.contacts]))
    raw = b.eml(to=["tanto7@company7.example"], parts=[
        Part("取引先7商事様_見積.pdf", "application/pdf", b.pdf("pw")),
        Part("取引先8商事様_見積.pdf", "application/pdf", b.pdf("pw")),
    ])
    found = [(f[0], f[1], f[2]["names"]) for f in _findings(raw, context)]
    assert found == [("attachment-name-mismatch", "attachment:1", ["取引先8商事"])]


def test_full_check_keeps_attachment_findings_and_never_raises_on_junk() -> None:
    parts = [Part("見積書.xlsx", OCTET, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 300),
             Part("x.pdf", "application/pdf", b"%PDF-1.7 garbage")]
    report = check(parse_message(b.eml(to=[HANAKO], parts=parts)), CheckContext(POLICY, CONTACTS), ALL_RULES)
    mine = [(f.code, f.target, dict(f.params)) for f in report.findings
            if f.target.startswith("attachment:")]
    assert mine == [
        _unprotected(0, "見積書.xlsx", "xlsx"),
        _unprotected(1, "x.pdf", "pdf"),
        ("malformed-message", "attachment:0", {"filename": "見積書.xlsx", "problem": "corrupt-xlsx"}),
        ("malformed-message", "attachment:1", {"filename": "x.pdf", "problem": "corrupt-pdf"}),
    ]
