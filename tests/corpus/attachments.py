"""Real attachment bytes: PDF, XLSX (hidden sheets), DOCX (tracked changes), ZIP (plain/ZipCrypto/AES)."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

import openpyxl  # type: ignore[import-untyped]
import pyzipper
from pypdf import PdfWriter

from tests.helpers.attachment_builders import ZipCryptoKeys  # one PKWARE cipher for all tests


def pdf(title: str = "見積書", *, password: str | None = None, pages: int = 1) -> bytes:
    """A small valid PDF; encrypted (AES-128) when a password is given."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title, "/Producer": "Microsoft Word for Microsoft 365"})
    if password is not None:
        writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def xlsx(sheets: list[tuple[str, str]], rows: list[list[object]] | None = None) -> bytes:
    """Workbook whose sheets are (title, state) with state visible/hidden/veryHidden."""
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    for index, (title, state) in enumerate(sheets):
        ws = first if index == 0 else wb.create_sheet()
        ws.title = title
        for row in rows or [["品名", "数量", "単価"], ["サーバー保守", 12, 45000], ["ライセンス", 30, 8800]]:
            ws.append(row)
        ws.sheet_state = state
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/\
vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
{extra}</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""


def _run(text: str) -> str:
    return f"<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>"


def docx(paragraphs: list[str], *, insert: str = "", delete: str = "", comment: str = "") -> bytes:
    """A Word document built by hand; optional tracked insertion, deletion and comment."""
    body = [f"<w:p>{_run(p)}</w:p>" for p in paragraphs]
    if insert:
        body.append('<w:p><w:ins w:id="1" w:author="山本 健" w:date="2024-05-13T09:00:00Z">'
                    f"{_run(insert)}</w:ins></w:p>")
    if delete:
        body.append('<w:p><w:del w:id="2" w:author="山本 健" w:date="2024-05-13T09:05:00Z">'
                    f'<w:r><w:delText xml:space="preserve">{delete}</w:delText></w:r></w:del></w:p>')
    extra_ct, doc_rels = "", ""
    if comment:
        body.append('<w:p><w:commentRangeStart w:id="0"/>' + _run("対象箇所") +
                    '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>')
        extra_ct = ('<Override PartName="/word/comments.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>\n')
        doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                    '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" '
                    'Target="comments.xml"/></Relationships>')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_W}><w:body>'
                + "".join(body) + "</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT.format(extra=extra_ct))
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", document)
        if comment:
            zf.writestr("word/_rels/document.xml.rels", doc_rels)
            zf.writestr("word/comments.xml",
                        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments {_W}>'
                        f'<w:comment w:id="0" w:author="佐藤" w:date="2024-05-13T10:00:00Z" w:initials="HS">'
                        f"<w:p>{_run(comment)}</w:p></w:comment></w:comments>")
    return buf.getvalue()


def zip_plain(files: dict[str, bytes]) -> bytes:
    """An ordinary ZIP; Japanese names stored in CP932 without the UTF-8 flag, as Windows Explorer does."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def zip_aes(files: dict[str, bytes], password: str) -> bytes:
    """A WinZip-AES encrypted ZIP."""
    buf = io.BytesIO()
    with pyzipper.AESZipFile(buf, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(password.encode())
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def zip_crypto(files: dict[str, bytes], password: str) -> bytes:
    """A stored ZipCrypto archive built byte by byte (CP932 names, no UTF-8 flag)."""
    rng = random.Random(7)
    out, central = bytearray(), bytearray()
    for name, data in files.items():
        raw_name = name.encode("cp932")
        crc = zlib.crc32(data) & 0xFFFFFFFF
        header = bytes(rng.randrange(256) for _ in range(11)) + bytes([crc >> 24])
        body = ZipCryptoKeys(password.encode()).encrypt(header + data)
        offset = len(out)
        fields = (20, 0x0001, 0, 0x5000, 0x58AD, crc, len(body), len(data), len(raw_name), 0)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + raw_name + body
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset) + raw_name
    cd_offset = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(files), len(files), len(central),
                                 cd_offset, 0)
    return bytes(out)


def png(width: int = 4, height: int = 2) -> bytes:
    """A tiny real PNG (for cid: inline signature logos)."""
    raw = b"".join(b"\x00" + b"\x30\x60\xc0" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(raw))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + idat + chunk(b"IEND", b"")


def csv_cp932(text: str) -> bytes:
    """A CSV as Excel (Japanese) saves it."""
    return text.replace("\n", "\r\n").encode("cp932")


def noise(size: int, seed: int = 11) -> bytes:
    """Incompressible bytes (a video or scan that does not shrink)."""
    return random.Random(seed).randbytes(size)
