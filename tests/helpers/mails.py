"""Raw test messages as Japanese mailers write them (ISO-2022-JP, CRLF line ends)."""

from __future__ import annotations

from collections.abc import Sequence
from email.header import Header


def _mailbox(name: str, address: str) -> str:
    return f"{Header(name, 'iso-2022-jp').encode()} <{address}>" if name else address


def jis_mail(
    *,
    to: Sequence[tuple[str, str]],
    cc: Sequence[tuple[str, str]] = (),
    subject: str = "打ち合わせの件",
    body: str = "お世話になっております。\n明日の打ち合わせの件、よろしくお願いいたします。\n",
    sender: tuple[str, str] = ("山本 健", "ken.yamamoto@example.co.jp"),
    message_id: str = "<t-1@example.co.jp>",
    padding: int = 0,
) -> bytes:
    """An ISO-2022-JP text mail; `padding` appends that many bytes of ASCII body lines."""
    headers = [
        f"From: {_mailbox(*sender)}",
        "To: " + ", ".join(_mailbox(n, a) for n, a in to),
        *(["Cc: " + ", ".join(_mailbox(n, a) for n, a in cc)] if cc else []),
        f"Subject: {Header(subject, 'iso-2022-jp').encode()}" if subject else "Subject: ",
        "Date: Fri, 20 Nov 2026 10:00:00 +0900",
        f"Message-ID: {message_id}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=iso-2022-jp",
        "Content-Transfer-Encoding: 7bit",
    ]
    text = body.encode("iso-2022-jp").decode("ascii")
    if padding:
        line = "." + "x" * 75  # a leading dot exercises SMTP dot-stuffing both ways
        text += "\n" + "\n".join(line for _ in range(padding // 78 + 1))
    return ("\r\n".join(headers) + "\r\n\r\n" + text.replace("\n", "\r\n") + "\r\n").encode("ascii")


def utf8_mail(
    *, to: Sequence[str], subject: str = "会議の件", sender: str = "ken@example.co.jp"
) -> bytes:
    """An 8-bit UTF-8 mail with raw (unencoded) UTF-8 headers, as SMTPUTF8 clients send."""
    return (
        f"From: 山本 <{sender}>\r\nTo: {', '.join(to)}\r\nSubject: {subject}\r\n"
        "Message-ID: <u-1@example.co.jp>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        "本日の会議は15時からです。\r\n"
    ).encode()
