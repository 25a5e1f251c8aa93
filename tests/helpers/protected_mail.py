"""A Japanese mail with a PDF and a workbook going outside: the protection tests' subject."""

from __future__ import annotations

import email
import email.policy
import io
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr

import openpyxl
from pypdf import PdfWriter

SENDER = "ken.yamamoto@example.co.jp"


PARTNER = "hanako.sato@abc-trading.co.jp"


PDF_NAME = "御見積書_2024年度.pdf"


XLSX_NAME = "価格表（社外秘ではない）.xlsx"


def pdf_bytes() -> bytes:
    """A real one-page PDF with metadata."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "御見積書"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    """A real workbook with Japanese cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["品名", "単価"])
    sheet.append(["ノートPC", 128000])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def protected_mail(body: str = "佐藤様\r\n\r\nお見積書と価格表をお送りします。\r\n\r\n山本\r\n",
                   to: str = PARTNER, message_id: str = "<quote-2024@example.co.jp>",
                   xlsx_name: str = XLSX_NAME, xlsx_data: bytes | None = None) -> bytes:
    """ISO-2022-JP mail to an external address with a PDF and an xlsx, RFC 2231 Japanese names."""
    msg = MIMEMultipart(boundary="==protect-7f3a==")
    msg["From"] = formataddr((str(Header("山本 健", "iso-2022-jp")), SENDER))
    msg["To"] = formataddr((str(Header("佐藤 花子", "iso-2022-jp")), to))
    msg["Subject"] = str(Header("お見積りの件", "iso-2022-jp"))
    msg["Message-ID"] = message_id
    msg.attach(MIMEText(body, "plain", "iso-2022-jp"))
    for name, data, subtype in ((PDF_NAME, pdf_bytes(), "pdf"), (
            xlsx_name, xlsx_data or xlsx_bytes(), "vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        part = MIMEApplication(data, subtype)
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        msg.attach(part)
    return msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def xlsx_bytes_of(raw: bytes) -> bytes:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return next(p.get_payload(decode=True) for p in msg.iter_attachments() if p.get_filename() == XLSX_NAME)
