"""Big Japanese mails with attachments, for the Graph upload-session path."""

from __future__ import annotations

import email
import email.policy
import os
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from tests.helpers.sender_contract import FROM, TO

MiB = 1024 * 1024


def big_mail(sizes=(10 * MiB, int(2.5 * MiB)), names=("見積書_2026年度.pdf", "明細.xlsx")):
    """A multipart mail with an ISO-2022-JP body and files with RFC 2231 Japanese names."""
    outer = MIMEMultipart()
    outer["From"] = FROM
    outer["To"] = TO
    outer["Subject"] = "=?ISO-2022-JP?B?GyRCOEYbKEI=?="
    outer["Message-ID"] = "<big-1@example.co.jp>"
    outer.attach(MIMEText("資料を添付いたします。\n", "plain", "iso-2022-jp"))
    files = []
    for size, name in zip(sizes, names, strict=True):
        data = os.urandom(size)
        part = MIMEApplication(data, "octet-stream")
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        outer.attach(part)
        files.append(data)
    return outer.as_bytes(policy=email.policy.SMTP), files
