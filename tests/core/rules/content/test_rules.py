"""Content rules over real parsed messages (ISO-2022-JP, Shift_JIS, HTML-only), positives and negatives."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Severity
from missend_guard.core.check.policy import PiiPattern, Policy
from missend_guard.core.contacts.book import Contact, ContactBook
from missend_guard.core.message.model import parse_message
from missend_guard.core.rules.content import rules as content
from tests.helpers.mailbuild import jis_mail

POLICY = Policy(internal_domains={"example.co.jp"}, pii_patterns=(PiiPattern("employee-id", r"EMP-\d{6}"),))
CONTACTS = ContactBook([
    Contact("佐藤 花子", ("hanako.sato@abc-trading.co.jp",), company="ABC商事株式会社", family="佐藤",
            given="花子", family_reading="サトウ", given_reading="ハナコ"),
    Contact("鈴木 一郎", ("suzuki@xyz-bank.co.jp",), company="XYZ銀行", family="鈴木", given="一郎",
            family_reading="すずき"),
    Contact("田中 太郎", ("taro.tanaka@example.co.jp",), company="自社", family="田中", given="太郎"),
    Contact("Maria Garcia", ("maria@globex.example",), company="Globex Inc.", family="Garcia", given="Maria"),
])
CTX = CheckContext(POLICY, CONTACTS)

HANAKO = ("佐藤 花子", "hanako.sato@abc-trading.co.jp")
SUZUKI = ("鈴木 一郎", "suzuki@xyz-bank.co.jp")
TANAKA = ("田中 太郎", "taro.tanaka@example.co.jp")
GARCIA = ("Maria Garcia", "maria@globex.example")
PDF = ("資料.pdf", "application/pdf", b"%PDF-1.4 test")

CONTENT_CODES = {"missing-attachment", "salutation-mismatch", "placeholder-left", "confidential-keyword",
                 "pii-in-body", "empty-subject"}


def _content(raw: bytes, ctx: CheckContext = CTX) -> list[tuple[str, str, dict[str, Any]]]:
    """Findings of the content rules, through the real checker."""
    report = check(parse_message(raw), ctx)
    return [(f.code, f.target, dict(f.params)) for f in report.findings if f.code in CONTENT_CODES]


def _mail(body: str, *, subject: str = "打ち合わせの件", to: tuple[str, str] = HANAKO,
          files: bool = False, charset: str = "iso-2022-jp") -> bytes:
    return jis_mail(subject=subject, body=body, to=[to], attachments=[PDF] if files else [], charset=charset)


def _html_mail(html: str, subject: str = "Notes", to: str = "hanako.sato@abc-trading.co.jp") -> bytes:
    payload = base64.encodebytes(html.encode("utf-8")).decode("ascii")
    lines = ["From: ken.yamamoto@example.co.jp", f"To: {to}", f"Subject: {subject}", "MIME-Version: 1.0",
             "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64", "", payload]
    return "\r\n".join(lines).encode("ascii")


# --- missing-attachment ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("subject", "body", "files", "expected"),
    [
        ("打ち合わせの件", "佐藤様\n\n資料を添付いたします。\nご確認ください。", False, [("body", "添付")]),
        ("打ち合わせの件", "佐藤様\n\n資料を添付いたします。", True, []),
        ("【添付あり】会議資料", "佐藤様\n\nよろしくお願いいたします。", False, [("subject", "添付")]),
        ("見積書送付の件", "佐藤様\n\nよろしくお願いいたします。", False, [("subject", "見積書送付の件")]),
        ("打ち合わせの件", "佐藤様\n\n見積書をお送りします。", False, [("body", "見積書をお送りします")]),
        ("打ち合わせの件", "佐藤様\n\n請求書をご査収のほどよろしくお願いいたします。", False,
         [("body", "請求書をご査収")]),
        ("打ち合わせの件", "佐藤様\n\n添付ファイルはありません。", False, []),
        ("打ち合わせの件", "佐藤様\n\n資料は後ほどお送りします。", False, []),
        ("打ち合わせの件", "佐藤様\n\n今回は添付不要です。", False, []),
        ("打ち合わせの件", "佐藤様\n\n資料をご送付いただきありがとうございます。", False, []),
        ("打ち合わせの件", "佐藤様\n\n先日お送りした資料について、ご質問はございますか。", False, []),
        ("打ち合わせの件", "佐藤様\n\n請求書は郵送にて送付いたします。", False, []),
        ("打ち合わせの件", "佐藤様\n\n資料はこちらのリンクからダウンロードしてください。\nhttps://f.example/x",
         False, []),
        ("打ち合わせの件", "佐藤様\n\n添付ファイルが文字化けして開けませんでした。", False, []),
        ("請求書送付のお願い", "佐藤様\n\n請求書の送付をお願いいたします。", False, []),
        ("RE: 添付ファイルについて", "佐藤様\n\n承知しました。", False, []),
        ("Report", "Hi Maria,\n\nPlease find attached the report.", False, [("body", "attached")]),
        ("Report", "Hi Maria,\n\nSee attached.", False, [("body", "See attached")]),
        ("Report", "Hi Maria,\n\nI will send the file tomorrow.", False, []),
        ("Report", "Hi Maria,\n\nThere is no attachment this time.", False, []),
        ("Report", "Hi Maria,\n\nThanks for the attached file.", False, []),
        ("Report", "Hi Maria,\n\nPlease find time to meet next week.", False, []),
        ("Report", "Hi Maria,\n\nThe attachment limit is 10 MB.", False, []),
        # a time word naming what the file is about is not a promise to send later
        ("会議資料", "佐藤様\n\n明日の会議資料を添付いたします。", False, [("body", "添付")]),
        ("打ち合わせの件", "佐藤様\n\n資料は明日お送りします。", False, []),
        ("Report", "Hi Maria,\n\nAttached is the report for your review.", False, [("body", "Attached is")]),
        ("Report", "Hi Maria,\n\nPlease find attached the slides for tomorrow's meeting.", False,
         [("body", "attached")]),
        ("Report", "Hi Maria,\n\nCan you send the attachment again?", False, []),
    ],
)
def test_missing_attachment(subject: str, body: str, files: bool, expected: list[tuple[str, str]]) -> None:
    to = GARCIA if body.startswith("Hi") else HANAKO
    found = [(t, p["phrase"]) for c, t, p in _content(_mail(body, subject=subject, to=to, files=files))
             if c == "missing-attachment"]
    assert found == expected


@pytest.mark.parametrize(
    "body",
    [
        # Outlook (ja) top-posted reply: the word is only in the history.
        "佐藤様\n\n承知しました。\n\n-----Original Message-----\n差出人: 佐藤 花子\n件名: 資料\n\n"
        "資料を添付します。",
        # Gmail (ja) attribution with '>' quotes.
        "佐藤様\n\n拝見しました。\n\n2026年11月20日(金) 10:00 佐藤 花子 <hanako.sato@abc-trading.co.jp>:\n"
        "> 資料を添付します。",
        # Thunderbird (ja).
        "佐藤様\n\n承知しました。\n\n佐藤 花子 さんは書きました:\n> 見積書を添付いたします。",
        # Signature line only.
        "佐藤様\n\n承知しました。\n\n--\n山本 健\n※添付ファイルのウイルスチェック済み\nTEL 03-1234-5678",
    ],
)
def test_missing_attachment_ignores_quotes_and_signature(body: str) -> None:
    assert [c for c, _, _ in _content(_mail(body))] == []


def test_missing_attachment_shift_jis_body() -> None:
    raw = _mail("佐藤様\n\n①資料を添付します。", charset="shift_jis")
    assert _content(raw) == [("missing-attachment", "body", {"phrase": "添付"})]


def test_missing_attachment_html_only_gmail_reply() -> None:
    html = ("<div>Hi Maria,</div><div>Thanks, noted.</div><div class='gmail_quote'>"
            "<div>On Fri, Nov 20, 2026 at 10:00 AM Maria Garcia &lt;maria@globex.example&gt; wrote:</div>"
            "<blockquote>Please find attached the report.</blockquote></div>")
    assert _content(_html_mail(html, to="maria@globex.example")) == []
    html_own = "<p>Hi Maria,</p><p>I have attached the slides.</p>"
    assert _content(_html_mail(html_own, to="maria@globex.example")) == [
        ("missing-attachment", "body", {"phrase": "I have attached"})
    ]


# --- salutation-mismatch ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "to", "expected"),
    [
        ("佐藤様\n\nお世話になっております。", HANAKO, None),
        ("佐藤 様\nお世話になっております。", HANAKO, None),
        ("花子さん\nお疲れ様です。", HANAKO, None),
        ("サトウ様\nお世話になっております。", HANAKO, None),  # reading from the contact card
        ("ABC商事株式会社\n営業部 佐藤 花子 様\n\nお世話になっております。", HANAKO, None),
        ("鈴木様\n\nお世話になっております。", HANAKO, ("鈴木", "person")),
        ("鈴木 一郎 様\nお世話になっております。", HANAKO, ("鈴木 一郎", "person")),
        # same family name, another person
        ("佐藤 一郎 様\nお世話になっております。", HANAKO, ("佐藤 一郎", "person")),
        ("ABC商事株式会社\n営業部 鈴木 様\n\nお世話になっております。", HANAKO, ("鈴木", "person")),
        ("ABC商事株式会社 御中\n\nお世話になっております。", HANAKO, None),
        ("ABC商事（株） 御中\n\nお世話になっております。", HANAKO, None),
        ("XYZ銀行 御中\n\nお世話になっております。", HANAKO, ("XYZ銀行", "company")),
        ("株式会社ABC商事 営業部 各位\n\nお世話になっております。", HANAKO, None),
        ("XYZ銀行 各位\n\nお世話になっております。", HANAKO, ("XYZ銀行", "all")),
        ("関係者各位\n\nお世話になっております。", HANAKO, None),
        ("各位\n\nお疲れ様です。", HANAKO, None),
        ("皆様\n\nお疲れ様です。", HANAKO, None),
        ("お世話になっております。\nABC商事の山本です。", HANAKO, None),  # no salutation
        ("鈴木様\nお世話になっております。", SUZUKI, None),
        ("Dear Ms. Garcia,\n\nThank you.", GARCIA, None),
        ("Hi Maria,\n\nThanks.", GARCIA, None),
        ("Dear Mr. Smith,\n\nThank you.", GARCIA, ("Smith", "person")),
        ("Hello Team,\n\nUpdate below.", GARCIA, None),
        ("Dear Mr. Tanaka,\n\nThank you.", ("田中 太郎", "taro.tanaka@partner.example"), None),  # local part
        ("Good morning Mr. Tanaka,\n\nThank you.", ("鈴木 一郎", "ichiro.suzuki@partner.example"),
         ("Tanaka", "person")),
        ("Dear Suzuki-san,\n\nThank you.", SUZUKI, None),  # romaji vs contact reading すずき
        ("Hi John\n\nquick update.", ("John Smith", "jsmith@partner.example"), None),
        ("田中様\n\nお世話になっております。", ("", "t.yamada@partner.example"), None),  # cannot judge
        ("〇〇様\n\nお世話になっております。", HANAKO, None),  # placeholder, not a name
    ],
)
def test_salutation(body: str, to: tuple[str, str], expected: tuple[str, str] | None) -> None:
    found = [(p["salutation"], p["kind"], p["recipients"]) for c, _, p in _content(_mail(body, to=to))
             if c == "salutation-mismatch"]
    recipients = [to[0] or to[1]]
    assert found == ([] if expected is None else [(expected[0], expected[1], recipients)])


def test_salutation_uses_to_not_cc() -> None:
    raw = jis_mail(subject="件", body="鈴木様\n\nお世話になっております。", to=[HANAKO], cc=[SUZUKI])
    assert _content(raw) == [
        ("salutation-mismatch", "body", {"salutation": "鈴木", "kind": "person", "recipients": ["佐藤 花子"]})
    ]


def test_salutation_display_name_without_contact_width_insensitive() -> None:
    raw = _mail("ﾔﾏﾀﾞ様\n\nお世話になっております。", to=("ヤマダ タロウ", "yamada@unknown.example"),
                charset="shift_jis")
    assert _content(raw) == []


# --- placeholder-left ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("subject", "body", "expected"),
    [
        ("ご案内", "佐藤様\n\n〇〇の件でご連絡いたしました。", [("body", "〇〇")]),
        ("【会社名】御中 ご案内", "佐藤様\n\nよろしくお願いします。", [("subject", "【会社名】")]),
        ("ご案内", "佐藤様\n\n日時：【日付】 14:00〜", [("body", "【日付】")]),
        ("ご案内", "{{company}} 佐藤様\n\nよろしく", [("body", "{{company}}")]),
        ("ご案内", "Hi [NAME],\n\nregards", [("body", "[NAME]")]),
        ("ご案内", "Dear <<FirstName>>,\n\nregards", [("body", "<<FirstName>>")]),
        ("ご案内", "佐藤様\n\nXX様にもよろしくお伝えください。", [("body", "XX様")]),
        ("【重要】ご案内", "佐藤様\n\n【日時】11月20日 14:00\n【場所】本社 会議室A\n○ 議題", []),
        ("ご案内", "佐藤様\n\nよろしくお願いします。\n\n> if (x) { return {name}; }", []),
    ],
)
def test_placeholder(subject: str, body: str, expected: list[tuple[str, str]]) -> None:
    found = [(t, p["text"]) for c, t, p in _content(_mail(body, subject=subject)) if c == "placeholder-left"]
    assert found == expected


def test_placeholder_in_attachment_name() -> None:
    raw = jis_mail(subject="お見積り", body="佐藤様\n\n御見積書を添付いたします。", to=[HANAKO],
                   attachments=[("御見積書_〇〇様.pdf", "application/pdf", b"%PDF-1.4")])
    assert _content(raw) == [("placeholder-left", "attachment:0", {"text": "〇〇"})]


# --- confidential-keyword --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("subject", "body", "to", "files", "expected"),
    [
        ("【社外秘】売上速報", "佐藤様\n\nご確認ください。", HANAKO, False, [("subject", "社外秘")]),
        ("【社外秘】売上速報", "田中さん\n\nご確認ください。", TANAKA, False, []),  # internal only
        ("売上", "佐藤様\n\n本資料は極秘です。", HANAKO, False, [("body", "極秘")]),
        ("NDA", "佐藤様\n\n機密保持契約書を添付いたします。", HANAKO, True, []),
        ("NDA", "Hi Maria,\n\nAttached is the confidentiality agreement.", GARCIA, True, []),
        ("Plan", "Hi Maria,\n\nThis is CONFIDENTIAL.", GARCIA, False, [("body", "confidential")]),
        ("Plan", "Hi Maria,\n\nSee you.\n\nThis email and any attachments are confidential and intended "
         "solely for the addressee.", GARCIA, False, []),
        # quoted mail of unknown origin leaves with the reply: its marker counts (test_confidential.py)
        ("Plan", "佐藤様\n\n承知しました。\n\n-----Original Message-----\n差出人: a\n件名: b\n\n社外秘",
         HANAKO,
         False, [("body", "社外秘")]),
    ],
)
def test_confidential_keyword(subject: str, body: str, to: tuple[str, str], files: bool,
                              expected: list[tuple[str, str]]) -> None:
    found = [(t, p["keyword"]) for c, t, p in _content(_mail(body, subject=subject, to=to, files=files))
             if c == "confidential-keyword"]
    assert found == expected


def test_confidential_keyword_in_attachment_name() -> None:
    raw = jis_mail(subject="資料", body="佐藤様\n\n資料を添付します。", to=[HANAKO],
                   attachments=[("Internal_Only_plan.pdf", "application/pdf", b"%PDF-1.4")])
    assert _content(raw) == [("confidential-keyword", "attachment:0", {"keyword": "internal only"})]


# --- pii-in-body -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("佐藤様\n\nカード番号は4111 1111 1111 1111です。", [("card-number", 1)]),
        ("佐藤様\n\nカード：４１１１ー１１１１ー１１１１ー１１１１", [("card-number", 1)]),  # full width
        ("佐藤様\n\nカード：4111 1111 1111 1112", []),  # Luhn fails
        ("佐藤様\n\n注文番号 4111111111111111 の件", []),  # an order number that happens to pass
        ("佐藤様\n\nTEL 03-1234-5678 / 090-1234-5678", []),
        ("佐藤様\n\nマイナンバー：1234 5678 9018", [("my-number", 1)]),
        ("佐藤様\n\n個人番号は123456789018です。", [("my-number", 1)]),
        ("佐藤様\n\n個人番号は123456789012です。", []),  # bad check digit
        ("佐藤様\n\nお問い合わせ番号 123456789018", []),  # bare 12 digits without a mention
        ("佐藤様\n\n社員番号 EMP-123456 と EMP-654321", [("employee-id", 2)]),
    ],
)
def test_pii(body: str, expected: list[tuple[str, int]]) -> None:
    found = [(p["kind"], p["count"]) for c, _, p in _content(_mail(body)) if c == "pii-in-body"]
    assert found == expected


def test_pii_params_never_carry_the_value() -> None:
    (finding,) = content.pii_in_body(parse_message(_mail("佐藤様\n\n4111-1111-1111-1111")), CTX)
    assert finding.target == "body"
    assert dict(finding.params) == {"kind": "card-number", "count": 1}
    assert "1111" not in repr(finding)


# --- empty-subject ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("subject", "fires"), [("", True), ("   ", True), ("\u3000\u3000", True), ("件", False)]
)
def test_empty_subject(subject: str, fires: bool) -> None:
    found = [c for c, _, _ in _content(_mail("佐藤様\n\nよろしくお願いします。", subject=subject))]
    assert found == (["empty-subject"] if fires else [])


def test_missing_subject_header() -> None:
    raw = b"From: a@example.co.jp\r\nTo: b@example.co.jp\r\n\r\nbody\r\n"
    assert _content(raw) == [("empty-subject", "subject", {})]


# --- clean mail: nothing above info ----------------------------------------------------------------

CLEAN_INTERNAL = """田中さん

お疲れ様です。山本です。

来週の定例会議の件、以下の通りご連絡いたします。

【日時】11月27日(金) 10:00〜11:00
【場所】本社 5階 会議室A
【議題】
・第3四半期の進捗
・来期予算について

資料は当日お配りします。
ご都合が悪い場合はお知らせください。

よろしくお願いいたします。

━━━━━━━━━━━━━━━━━━━━
株式会社サンプル 営業部
山本 健（Ken Yamamoto）
TEL: 03-1234-5678 / FAX: 03-1234-5679
〒100-0001 東京都千代田区千代田1-1
━━━━━━━━━━━━━━━━━━━━
"""

CLEAN_EXTERNAL_REPLY = """佐藤様

いつもお世話になっております。
サンプルの山本です。

お見積りのご送付ありがとうございます。
内容を確認のうえ、社内で検討いたします。
来週中にはご連絡できるかと存じます。

引き続きよろしくお願いいたします。

--
山本 健
株式会社サンプル 営業部
TEL: 03-1234-5678
本メールは機密情報を含む場合があります。誤って受信された場合は破棄してください。

-----Original Message-----
From: 佐藤 花子 <hanako.sato@abc-trading.co.jp>
Sent: Friday, November 20, 2026 10:00 AM
To: 山本 健 <ken.yamamoto@example.co.jp>
Subject: お見積りの件

山本様

お見積書を添付いたします。ご査収ください。
社外秘のため取扱注意でお願いします。 {{署名}} 〇〇
"""


@pytest.mark.parametrize("charset", ["iso-2022-jp", "shift_jis"])
def test_clean_internal_mail(charset: str) -> None:
    raw = jis_mail(subject="定例会議のご案内", body=CLEAN_INTERNAL, to=[TANAKA], charset=charset)
    report = check(parse_message(raw), CTX)
    assert report.at_least(Severity.WARNING) == ()


def test_clean_external_reply_with_history() -> None:
    raw = jis_mail(subject="RE: お見積りの件", body=CLEAN_EXTERNAL_REPLY, to=[HANAKO])
    assert _content(raw) == []


def test_quoted_card_number_still_reported() -> None:
    body = CLEAN_EXTERNAL_REPLY + "カード 4111 1111 1111 1111\n"
    raw = jis_mail(subject="RE: お見積りの件", body=body, to=[HANAKO])
    # The history leaves with the mail, so a number in it is reported; nothing else there is.
    assert _content(raw) == [("pii-in-body", "body", {"kind": "card-number", "count": 1})]
