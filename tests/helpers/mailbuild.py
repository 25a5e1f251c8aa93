"""Builders for raw test messages with real Japanese encodings (what Japanese clients actually send)."""

from __future__ import annotations

import base64
from email.header import Header


def encoded_word(text: str, charset: str = "iso-2022-jp") -> str:
    """RFC 2047 encoded word as a Japanese mailer writes it (Shift_JIS label, CP932 bytes)."""
    if charset.lower() == "iso-2022-jp":
        return Header(text, charset).encode()
    data = base64.b64encode(text.encode("cp932")).decode("ascii")
    return f"=?{charset}?B?{data}?="


def mailbox(name: str, address: str, charset: str = "iso-2022-jp") -> str:
    """`=?...?= <addr>` with an encoded display name."""
    return f"{encoded_word(name, charset)} <{address}>" if name else address


def jis_mail(
    *,
    subject: str,
    body: str,
    to: list[tuple[str, str]],
    cc: list[tuple[str, str]] = (),  # type: ignore[assignment]
    sender: tuple[str, str] = ("山本 健", "ken.yamamoto@example.co.jp"),
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
    charset: str = "iso-2022-jp",
) -> bytes:
    """A message as Outlook/Thunderbird in Japan send it: ISO-2022-JP headers and body, RFC 2231 names."""
    headers = [
        f"From: {mailbox(*sender, charset=charset)}",
        "To: " + ", ".join(mailbox(n, a, charset) for n, a in to),
    ]
    if cc:
        headers.append("Cc: " + ", ".join(mailbox(n, a, charset) for n, a in cc))
    headers += [
        f"Subject: {encoded_word(subject, charset)}",
        "Date: Fri, 20 Nov 2026 10:00:00 +0900",
        "Message-ID: <test-1@example.co.jp>",
        "MIME-Version: 1.0",
    ]
    codec = "cp932" if charset.lower() in ("shift_jis", "cp932") else charset
    text_part = [
        f"Content-Type: text/plain; charset={charset}",
        "Content-Transfer-Encoding: " + ("7bit" if charset == "iso-2022-jp" else "base64"),
        "",
        body.encode(codec).decode("ascii")
        if charset == "iso-2022-jp"
        else base64.encodebytes(body.encode(codec)).decode("ascii"),
    ]
    if not attachments:
        return _crlf(headers + text_part)
    boundary = "----=_Part_0_12345"
    lines = [
        *headers,
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "",
        f"--{boundary}",
        *text_part,
    ]
    for filename, ctype, data in attachments:
        quoted = "".join(f"%{b:02X}" for b in filename.encode(codec if codec != "iso-2022-jp" else "utf-8"))
        cs = charset if charset != "iso-2022-jp" else "utf-8"
        lines += [
            f"--{boundary}",
            f"Content-Type: {ctype}",
            "Content-Transfer-Encoding: base64",
            f"Content-Disposition: attachment; filename*={cs}''{quoted}",
            "",
            base64.encodebytes(data).decode("ascii"),
        ]
    lines.append(f"--{boundary}--")
    return _crlf(lines)


def _crlf(lines: list[str]) -> bytes:
    return "\n".join(lines).replace("\r\n", "\n").replace("\n", "\r\n").encode("ascii")
