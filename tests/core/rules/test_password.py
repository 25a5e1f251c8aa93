"""`password-in-mail`: password lines beside encrypted files, and the actual password in a follow-up."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from email.header import Header

import pytest

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Severity
from missend_guard.core.check.policy import Policy
from missend_guard.core.message.model import parse_message
from missend_guard.core.protect.encrypt import encrypt_zip, generate_password
from missend_guard.core.protect.ledger import LedgerEntry, MemoryLedger
from missend_guard.core.rules.password import (
    RULES,
    candidate_tokens,
    has_password_line,
    make_password_rule,
    password_followup,
    password_line_rule,
    with_own_password,
)
from tests.helpers.clock import ManualClock

HANAKO = "hanako.sato@abc-trading.co.jp"
JIRO = "jiro@other-corp.co.jp"
T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
CONTEXT = CheckContext(policy=Policy(internal_domains=frozenset({"example.co.jp"})))


def _jis(text: str) -> str:
    return Header(text, "iso-2022-jp").encode()


def mail(body: str, *, to: str = HANAKO, subject: str = "打ち合わせの件", zipped: bool = False,
         charset: str = "iso-2022-jp") -> bytes:
    """A Japanese mail (ISO-2022-JP, or Shift_JIS base64), optionally with an AES-256 ZIP."""
    if charset == "iso-2022-jp":
        text = ["Content-Type: text/plain; charset=ISO-2022-JP", "Content-Transfer-Encoding: 7bit", "",
                body.encode("iso-2022-jp").decode("ascii")]
    else:
        text = ["Content-Type: text/plain; charset=Shift_JIS", "Content-Transfer-Encoding: base64", "",
                base64.b64encode(body.encode("cp932")).decode("ascii")]
    head = [
        f"From: {_jis('山本 健')} <ken.yamamoto@example.co.jp>",
        f"To: {_jis('佐藤 花子')} <{to}>",
        f"Subject: {_jis(subject)}",
        "Message-ID: <follow-1@example.co.jp>",
        "MIME-Version: 1.0",
    ]
    if not zipped:
        return "\r\n".join([*head, *text, ""]).encode("ascii")
    data = encrypt_zip([("見積書.xlsx", b"x" * 100)], "Qz7pK3mW9xR2tV5c")
    lines = [*head, 'Content-Type: multipart/mixed; boundary="b1"', "", "--b1", *text, "--b1",
             "Content-Type: application/zip; name*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8.zip",
             "Content-Disposition: attachment; filename*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8.zip",
             "Content-Transfer-Encoding: base64", "", base64.b64encode(data).decode("ascii"),
             "--b1--", ""]
    return "\r\n".join(lines).encode("ascii")


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("パスワード：xxxx", True),
        ("ＰＷ：Ab3dEf9k", True),
        ("解凍パスワード：7Hq2mZ", True),
        ("解凍パスワードは別メールでお送りします。", True),
        ("password: Tokyo2026!", True),
        ("pass: Zz99", True),
        ("ﾊﾟｽﾜｰﾄﾞは「K8s-Mn2q」です", True),
        ("The password will follow in a separate email.", True),
        ("パスワードは電話でお伝えします。", False),
        ("パスワードは別途お送りいたします。", False),  # no channel named: the careful sender phones
        ("パスワードは次のメールでお送りします。", True),
        ("パスワードは追ってメールにてご連絡いたします。", True),
        ("The password will follow by phone.", False),
        ("Password: will be sent by phone", False),
        ("Compass: north1", False),
        ("パスワードの再設定はこちら: https://example.com/reset", False),
        ("よろしくお願いいたします。", False),
        # sentence forms
        ("The password to open the file is K8s-Mn2q.", True),
        ("The password to open the attached zip is Xyz12345", True),
        ("PW for the zip: Tokyo2026", True),
        ("The password for the PDF is below:\n\nK8sMn2qX", True),
        ("パスワードは下記の通りです。\n\nK8sMn2qX", True),
        ("下記のパスワードで解凍してください。\nK8sMn2qX", True),
        ("解凍用PWは別メールにてお送りします。", True),
        ("解凍用PW：Qz7pK3mW", True),
        ("パスワードは、追って\nメールにてお送りします。", True),  # hard-wrapped after 、
        ("The password will be sent separately.", False),
        ("The password is the same as last time.", False),
        ("I will call you with the password.", False),
        ("Please reset your password via the link below.", False),
        ("The password policy requires 12 characters.", False),
        ("パスワードの再設定方法は下記の通りです。", False),
        ("パスワードは以下の方法でお伝えします。", False),
        # another channel named in the same sentence
        ("解凍パスワードはお電話でお伝えいたします。", False),
        ("解凍用のパスワードは、\n別途SMSにてお送りします。", False),
    ],
)
def test_password_line_patterns(text: str, expected: bool) -> None:
    assert has_password_line(text) is expected


def test_warns_on_a_password_line_beside_an_encrypted_file() -> None:
    message = parse_message(mail("佐藤様\r\n見積書を送ります。\r\nパスワード：K8sMn2qX\r\n", zipped=True))
    assert message.attachments[0].encrypted
    findings = list(password_line_rule(message, CONTEXT))
    assert [(f.code, f.severity, f.target) for f in findings] == [
        ("password-in-mail", Severity.WARNING, "body")]
    assert dict(findings[0].params) == {"kind": "password-line", "recipients": [HANAKO]}
    assert "K8sMn2qX" not in repr(findings)
    assert password_line_rule in RULES


def test_no_warning_without_encrypted_file_or_without_password_line() -> None:
    plain = parse_message(mail("パスワード：K8sMn2qX\r\n"))
    assert list(password_line_rule(plain, CONTEXT)) == []
    polite = parse_message(mail("パスワードは電話でお伝えします。\r\n", zipped=True))
    assert list(password_line_rule(polite, CONTEXT)) == []


def test_a_password_line_quoted_from_earlier_mail_is_not_news() -> None:
    body = ("佐藤様\r\n修正版をお送りします。\r\n\r\n"
            "2026年11月20日(金) 10:02 佐藤 花子 <hanako.sato@abc-trading.co.jp>:\r\n"
            "> 山本様\r\n> 解凍パスワードは別メールでお送りします。\r\n")
    assert list(password_line_rule(parse_message(mail(body, zipped=True)), CONTEXT)) == []
    with_line = parse_message(mail(body + "PW: K8sMn2qX\r\n", zipped=True))
    assert len(list(password_line_rule(with_line, CONTEXT))) == 1


def test_warning_in_subject_too() -> None:
    message = parse_message(mail("本文", subject="【PW】 PW: K8sMn2qX", zipped=True))
    assert [f.target for f in password_line_rule(message, CONTEXT)] == ["subject"]


# ---- follow-up mails --------------------------------------------------------------------------




@pytest.fixture
def sent() -> tuple[MemoryLedger, str, ManualClock]:
    """A ledger where Hanako received a protected file at T0."""
    ledger = MemoryLedger()
    password = generate_password()
    ledger.record("<prot-1@example.co.jp>", [HANAKO.upper(), "taro@abc-trading.co.jp"], password, T0)
    return ledger, password, ManualClock(T0 + timedelta(hours=1))


@pytest.mark.parametrize(
    "body",
    [
        "佐藤様\r\n先ほどのファイルのパスワードです。\r\n\r\n{pw}\r\n",
        "パスワード：「{pw}」",
        "パスワードは{pw}です。",
        "PW:{pw}",
        "{fw}",  # typed in full-width
    ],
)
def test_follow_up_with_the_actual_password_is_blocked(
    sent: tuple[MemoryLedger, str, ManualClock], body: str
) -> None:
    ledger, password, clock = sent
    text = body.format(pw=password, fw=fullwidth(password))
    message = parse_message(mail(text, charset="shift_jis"))
    report = check(message, CONTEXT, rules=(make_password_rule(ledger, clock),))
    assert report.max_severity is Severity.BLOCK
    finding = report.findings[0]
    assert (finding.code, finding.target) == ("password-in-mail", "body")
    assert dict(finding.params) == {"kind": "actual-password", "recipients": [HANAKO]}
    assert password not in repr(report)


def test_password_in_the_subject_is_blocked(sent: tuple[MemoryLedger, str, ManualClock]) -> None:
    ledger, password, clock = sent
    message = parse_message(mail("本文です。", subject=f"PW {password}"))
    findings = list(make_password_rule(ledger, clock)(message, CONTEXT))
    assert [(f.target, f.severity) for f in findings] == [("subject", Severity.BLOCK)]


@pytest.mark.parametrize(
    ("to", "later", "body"),
    [
        (HANAKO, timedelta(hours=1), "佐藤様\r\n明日は10時からでお願いします。K8sMn2qXw9Lp4Rt7\r\n"),
        (JIRO, timedelta(hours=1), "パスワードは{pw}です。"),
        (HANAKO, timedelta(hours=25), "パスワードは{pw}です。"),
    ],
    ids=["unrelated-mail", "different-recipient", "after-24h"],
)
def test_no_block_for_unrelated_other_recipient_or_late_mail(
    sent: tuple[MemoryLedger, str, ManualClock], to: str, later: timedelta, body: str
) -> None:
    ledger, password, clock = sent
    clock.now = T0 + later
    message = parse_message(mail(body.format(pw=password), to=to))
    assert list(make_password_rule(ledger, clock)(message, CONTEXT)) == []


def test_password_line_to_a_recent_recipient_warns(sent: tuple[MemoryLedger, str, ManualClock]) -> None:
    ledger, _, clock = sent
    message = parse_message(mail("先ほどの解凍パスワード：Zq8Lm3Np\r\n"))
    findings = list(make_password_rule(ledger, clock)(message, CONTEXT))
    assert [(f.severity, f.target, dict(f.params)) for f in findings] == [
        (Severity.WARNING, "body", {"kind": "password-line", "recipients": [HANAKO]})]


def test_hashing_is_bounded_by_candidate_length(sent: tuple[MemoryLedger, str, ManualClock]) -> None:
    ledger, _, clock = sent
    calls: list[str] = []

    class Counting(MemoryLedger):
        def matches(self, entry: LedgerEntry, candidate: str) -> bool:
            calls.append(candidate)
            return super().matches(entry, candidate)

    counting = Counting()
    counting.entries = ledger.entries
    words = " ".join(f"word{i:03d}" for i in range(500))  # 500 tokens, none 16 characters long
    body = f"佐藤様、資料の件です。{words} ABCDEFGHJKMNPQRS"
    list(make_password_rule(counting, clock)(parse_message(mail(body)), CONTEXT))
    assert calls == ["ABCDEFGHJKMNPQRS"]


def test_candidate_tokens_split_japanese_text_and_quotes() -> None:
    tokens = candidate_tokens("パスワードは「Ab3dEf9k」です。ＰＷ：Xy7Zq2Lm、よろしく")
    assert {"Ab3dEf9k", "Xy7Zq2Lm"} <= tokens
    assert candidate_tokens("PW:Ab3dEf9k", {8}) == {"Ab3dEf9k"}


def test_the_reviews_own_password_blocks_like_a_recorded_one() -> None:
    password = generate_password()
    message = parse_message(mail(f"パスワードは{fullwidth(password)}です", subject="資料", zipped=True))
    report = check(message, CONTEXT, rules=with_own_password(RULES, password))
    blocks = report.at_least(Severity.BLOCK)
    assert [(f.target, dict(f.params)) for f in blocks] == [
        ("body", {"kind": "actual-password", "recipients": [HANAKO]})]
    assert password not in repr(report)
    assert check(message, CONTEXT, rules=with_own_password(RULES, generate_password())).at_least(
        Severity.BLOCK) == ()
    assert with_own_password(RULES, "") == RULES


def test_own_password_and_a_recorded_one_give_one_block_per_target() -> None:
    ledger = MemoryLedger()
    password = generate_password()
    ledger.record("<earlier@example.co.jp>", [HANAKO], password)  # the same password, sent an hour ago
    message = parse_message(mail(f"パスワードは{password}です。"))
    context = CheckContext(policy=CONTEXT.policy, protected_sends=ledger)
    assert len(list(password_followup(message, context))) == 1
    [rule] = with_own_password((password_followup,), password)
    findings = list(rule(message, context))
    assert [(f.target, f.severity) for f in findings] == [("body", Severity.BLOCK)]
    assert len(with_own_password((), password)) == 1  # the own password is checked even without the rule
