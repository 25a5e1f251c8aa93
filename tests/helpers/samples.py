"""Real Japanese messages and reports for the UI tests (rules may not exist yet: findings built by hand)."""

from __future__ import annotations

from email.header import Header
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr

from missend_guard.core.check.findings import Finding, Report, Severity
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import Message, parse_message
from missend_guard.core.ports.review import ReviewRequest

BODY = (
    "鈴木様\r\n\r\nいつもお世話になっております。\r\n資料を添付いたしますのでご確認ください。\r\n\r\n"
    "山本\r\n\r\n-----Original Message-----\r\n> 先日の件、よろしくお願いします。\r\n"
)

SENDER = ("山本 健", "ken.yamamoto@example.co.jp")
TO = [("佐藤 花子", "hanako.sato@abc-tradlng.co.jp"), ("田中 一郎", "ichiro@xyz-bank.co.jp")]
CC = [("高橋 美咲", "misaki@partner.example.com"), ("中村 翔", "sho.nakamura@example.co.jp")]
BCC_ENVELOPE_ONLY = "auditor@example.co.jp"


def _addr(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(formataddr((str(Header(n, "iso-2022-jp")), a)) for n, a in pairs)


def raw_mail(with_attachments: bool = True) -> bytes:
    """An ISO-2022-JP multipart mail with a CP932-named xlsx and a PDF."""
    msg = MIMEMultipart(boundary="==sample-boundary-7f3a==")
    msg["From"] = _addr([SENDER])
    msg["To"] = _addr(TO)
    msg["Cc"] = _addr(CC)
    msg["Subject"] = str(Header("お見積りの件（ご確認ください）", "iso-2022-jp"))
    msg["Message-ID"] = "<test-1@example.co.jp>"
    msg.attach(MIMEText(BODY, "plain", "iso-2022-jp"))
    if with_attachments:
        xlsx_type = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        xlsx = MIMEApplication(b"PK\x03\x04" + b"0" * 2000, xlsx_type)
        xlsx.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "見積書_2024.xlsx"))
        msg.attach(xlsx)
        pdf = MIMEApplication(b"%PDF-1.4\n" + b"x" * 50000, "pdf")
        pdf.add_header("Content-Disposition", "attachment", filename="order.pdf")
        msg.attach(pdf)
    return msg.as_bytes().replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")


def message(with_attachments: bool = True) -> Message:
    """The parsed sample."""
    return parse_message(raw_mail(with_attachments))


def _w(code: str, target: str, severity: Severity = Severity.WARNING, **params: object) -> Finding:
    return Finding(code, severity, target, params)


def report() -> Report:
    """Findings as the checker would give them for the sample (recipients 0, 1, 2 external)."""
    return Report.of(
        [
            _w("external-recipient", "recipient:0", Severity.INFO, domain="abc-tradlng.co.jp"),
            _w("external-recipient", "recipient:1", Severity.INFO, domain="xyz-bank.co.jp"),
            _w("external-recipient", "recipient:2", Severity.INFO, domain="partner.example.com"),
            _w("many-external-visible", "message", external_addresses=3, external_domains=3,
               domains=["abc-tradlng.co.jp", "partner.example.com", "xyz-bank.co.jp"]),
            _w("lookalike-domain", "recipient:0", domain="abc-tradlng.co.jp", similar_to="abc-trading.co.jp"),
            _w("first-time-recipient", "recipient:2", address="misaki@partner.example.com"),
            _w("salutation-mismatch", "body", salutation="鈴木"),
            _w("hidden-sheet", "attachment:0", sheets=["原価"]),
            _w("unprotected-attachment", "attachment:0"),
            _w("unprotected-attachment", "attachment:1"),
        ]
    )


def request(with_attachments: bool = True) -> ReviewRequest:
    """A review request for the sample, with an envelope-only Bcc address."""
    msg = message(with_attachments)
    rcpts = (*(a for _, a in TO + CC), BCC_ENVELOPE_ONLY)
    return ReviewRequest(msg, report(), Envelope(SENDER[1], rcpts), account="ken.yamamoto@example.co.jp")


def simple_request(subject: str = "社内連絡") -> ReviewRequest:
    """A plain internal mail without findings."""
    msg = EmailMessage()
    msg["From"] = "ken.yamamoto@example.co.jp"
    msg["To"] = "sho.nakamura@example.co.jp"
    msg["Subject"] = subject
    msg.set_content("中村さん\n\n明日の会議は10時からです。\n", charset="iso-2022-jp")
    parsed = parse_message(msg.as_bytes())
    envelope = Envelope("ken.yamamoto@example.co.jp", ("sho.nakamura@example.co.jp",))
    return ReviewRequest(parsed, Report(), envelope)
