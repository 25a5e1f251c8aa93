"""Builders of real attachment bytes (ZIP, PDF, OOXML, OLE) and of .eml messages carrying them, for tests."""

from __future__ import annotations

import base64
import email.utils
import io
import struct
import urllib.parse
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import openpyxl
import pyzipper
from pypdf import PdfWriter

ZIP_PASSWORD = b"s3cret-Pass"

# --- ZIP --------------------------------------------------------------------------------------------


def plain_zip(files: Mapping[str, bytes]) -> bytes:
    """An unencrypted deflated ZIP (stdlib)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buf.getvalue()


def aes_zip(files: Mapping[str, bytes], password: bytes = ZIP_PASSWORD) -> bytes:
    """A WinZip AES-256 ZIP made by pyzipper."""
    buf = io.BytesIO()
    with pyzipper.AESZipFile(buf, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(password)
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


@dataclass(frozen=True)
class RawEntry:
    """One member for `raw_zip`: payload already compressed/encrypted; sizes as the headers claim them."""

    name: str
    payload: bytes
    crc: int
    file_size: int
    method: int = zipfile.ZIP_STORED
    flags: int = 0
    extra: bytes = b""


def raw_zip(entries: Sequence[RawEntry]) -> bytes:
    """A ZIP written byte by byte, so tests can set flags and sizes that zipfile would not write."""
    out, central = bytearray(), bytearray()
    for e in entries:
        name = e.name.encode("utf-8")
        flags = e.flags | (0 if e.name.isascii() else 0x800)  # bit 11: the name is UTF-8
        offset = len(out)
        sizes = (e.crc, len(e.payload), e.file_size, len(name), len(e.extra))
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, e.method, 0, 0x21, *sizes)
        out += name + e.extra + e.payload
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, flags, e.method, 0, 0x21, *sizes,
            0, 0, 0, 0, offset,
        )
        central += name + e.extra
    count = len(entries)
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
    return bytes(out + central + eocd)


class ZipCryptoKeys:
    """Traditional PKWARE encryption (APPNOTE 6.1), which neither zipfile nor pyzipper can write."""

    def __init__(self, password: bytes) -> None:
        self.keys = [0x12345678, 0x23456789, 0x34567890]
        for byte in password:
            self.update(byte)

    @staticmethod
    def _crc(crc: int, byte: int) -> int:
        # zlib's crc32 pre- and post-inverts; PKWARE's key update uses the bare table step.
        return ~zlib.crc32(bytes([byte]), ~crc & 0xFFFFFFFF) & 0xFFFFFFFF

    def update(self, byte: int) -> None:
        k0, k1, k2 = self.keys
        k0 = self._crc(k0, byte)
        k1 = ((k1 + (k0 & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        k2 = self._crc(k2, k1 >> 24)
        self.keys = [k0, k1, k2]

    def encrypt(self, data: bytes) -> bytes:
        out = bytearray()
        for byte in data:
            temp = (self.keys[2] | 2) & 0xFFFF
            out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
            self.update(byte)
        return bytes(out)


def zipcrypto_zip(files: Mapping[str, bytes], password: bytes = ZIP_PASSWORD) -> bytes:
    """A ZipCrypto (traditional PKWARE) encrypted ZIP with stored members; zipfile can read it back."""
    entries = []
    for name, data in files.items():
        crc = zlib.crc32(data)
        header = bytes(range(11)) + bytes([crc >> 24])  # the last byte lets readers check the password
        payload = ZipCryptoKeys(password).encrypt(header + data)
        entries.append(RawEntry(name, payload, crc, len(data), flags=0x1))
    return raw_zip(entries)


def deflated_entry(name: str, data: bytes, *, claimed_size: int | None = None) -> RawEntry:
    """A raw deflate member; `claimed_size` makes the headers lie about the uncompressed size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = compressor.compress(data) + compressor.flush()
    size = len(data) if claimed_size is None else claimed_size
    return RawEntry(name, payload, zlib.crc32(data), size, method=zipfile.ZIP_DEFLATED)


# --- PDF --------------------------------------------------------------------------------------------


def pdf(password: str | None = None) -> bytes:
    """A one-page PDF from pypdf; AES-256 encrypted when a password is given."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if password is not None:
        writer.encrypt(password, algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# --- OOXML ------------------------------------------------------------------------------------------


def xlsx(sheets: Sequence[tuple[str, str]] = (("Sheet1", "visible"),)) -> bytes:
    """An openpyxl workbook; each (title, state) with state "visible" | "hidden" | "veryHidden"."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, state in sheets:
        sheet = book.create_sheet(title)
        sheet["A1"] = "data"
        sheet.sheet_state = state
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx(insertions: int = 0, deletions: int = 0, comments: int = 0, *, body_xml: str | None = None) -> bytes:
    """A minimal Word document with that many `w:ins`/`w:del` revisions and comments."""
    runs = ['<w:r><w:t>本文です。</w:t></w:r>']
    runs += [
        f'<w:ins w:id="{i}" w:author="山田"><w:r><w:t>追加{i}</w:t></w:r></w:ins>' for i in range(insertions)
    ]
    runs += [
        f'<w:del w:id="{100 + i}" w:author="山田"><w:r><w:delText>削除{i}</w:delText></w:r></w:del>'
        for i in range(deletions)
    ]
    body = body_xml if body_xml is not None else f"<w:p>{''.join(runs)}</w:p>"
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W_NS}">'
        f"<w:body>{body}</w:body></w:document>"
    )
    files = {
        "[Content_Types].xml": _DOCX_TYPES.encode(),
        "_rels/.rels": _DOCX_RELS.encode(),
        "word/document.xml": document.encode("utf-8"),
    }
    if comments:
        items = "".join(
            f'<w:comment w:id="{i}" w:author="佐藤"><w:p><w:r><w:t>要確認{i}</w:t></w:r></w:p></w:comment>'
            for i in range(comments)
        )
        files["word/comments.xml"] = f'<w:comments xmlns:w="{_W_NS}">{items}</w:comments>'.encode()
    return plain_zip(files)


# --- OLE compound files -----------------------------------------------------------------------------

_FREE, _END, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_SECTOR, _MINI, _CUTOFF = 512, 64, 4096


def cfb(streams: Mapping[str, bytes]) -> bytes:
    """A version 3 compound file whose root holds `streams` (small ones go to the mini stream)."""
    big = {n: d for n, d in streams.items() if len(d) >= _CUTOFF}
    mini_starts, ministream, minifat = {}, bytearray(), []
    for name, data in streams.items():
        if name in big:
            continue
        count = max(1, -(-len(data) // _MINI))
        mini_starts[name] = len(minifat) if data else _END
        minifat += [len(minifat) + k + 1 for k in range(count - 1)] + [_END]
        ministream += data.ljust(count * _MINI, b"\0")
    names = list(streams)
    plan: list[tuple[str, bytes]] = [("dir", b"\0" * (128 * (len(names) + 1)))]
    if minifat:
        plan.append(("minifat", struct.pack(f"<{len(minifat)}I", *minifat)))
        plan.append(("ministream", bytes(ministream)))
    plan += [(f"stream:{n}", big[n]) for n in big]
    counts = [max(1, -(-len(d) // _SECTOR)) for _, d in plan]
    nfat = 1
    while nfat * (_SECTOR // 4) < nfat + sum(counts):
        nfat += 1
    fat = [_FATSECT] * nfat
    starts: dict[str, int] = {}
    for (key, _), count in zip(plan, counts, strict=True):
        starts[key] = len(fat)
        fat += [len(fat) + k + 1 for k in range(count - 1)] + [_END]
    fat += [_FREE] * (nfat * (_SECTOR // 4) - len(fat))

    def entry(name: str, kind: int, links: tuple[int, int], start: int, size: int) -> bytes:
        child, right = links
        encoded = name.encode("utf-16-le") + b"\0\0"
        return struct.pack(
            "<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, _FREE, right, child, b"", 0, 0, 0,
            start, size,
        )

    directory = entry("Root Entry", 5, (1 if names else _FREE, _FREE),
                      starts.get("ministream", _END), len(ministream))
    for i, name in enumerate(names, start=1):
        right = i + 1 if i < len(names) else _FREE  # a right-leaning chain is a valid (if lopsided) tree
        start = starts[f"stream:{name}"] if name in big else mini_starts[name]
        directory += entry(name, 2, (_FREE, right), start, len(streams[name]))
    plan[0] = ("dir", directory.ljust(counts[0] * _SECTOR, b"\0"))

    difat = list(range(nfat)) + [_FREE] * (109 - nfat)
    header = struct.pack(
        "<8s16sHHHHH6xIIIIIIIII109I", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", 0x3E, 3, 0xFFFE, 9, 6,
        0, nfat, starts["dir"], 0, _CUTOFF, starts.get("minifat", _END), 1 if minifat else 0, _END, 0, *difat,
    )
    body = struct.pack(f"<{len(fat)}I", *fat)
    for (_, data), count in zip(plan, counts, strict=True):
        body += data.ljust(count * _SECTOR, b"\0")
    return header + body


def encrypted_ooxml_cfb() -> bytes:
    """What Office writes for a password-protected .docx/.xlsx: EncryptionInfo + EncryptedPackage streams."""
    return cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 200, "EncryptedPackage": b"\x99" * 5000})


def legacy_doc(*, encrypted: bool) -> bytes:
    """A .doc skeleton: WordDocument stream whose FIB says (or not) fEncrypted."""
    fib = struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0411, 0, 0x0100 if encrypted else 0)
    return cfb({"WordDocument": fib.ljust(1500, b"\0"), "1Table": b"\0" * 100})


def legacy_xls(*, encrypted: bool) -> bytes:
    """An .xls skeleton: Workbook stream with BOF, then FILEPASS (encrypted) or BOUNDSHEET."""
    bof = struct.pack("<HH", 0x0809, 16) + b"\0" * 16
    filepass = struct.pack("<HH", 0x002F, 6) + b"\0" * 6
    boundsheet = struct.pack("<HH", 0x0085, 8) + b"\0" * 8
    nxt = filepass if encrypted else boundsheet
    return cfb({"Workbook": (bof + nxt).ljust(5000, b"\0")})


def office_encrypt(plain: bytes, password: str = "s3cret") -> bytes:
    """A real password-protected OOXML file made by msoffcrypto-tool (Agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile  # test-only dependency

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt(password, out)
    return out.getvalue()


# --- .eml -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """An attachment for `eml`; name_style is "sjis-2231", "utf8-2231" or "rfc2047"."""

    filename: str
    content_type: str
    data: bytes
    name_style: str = "utf8-2231"
    content_id: str = ""  # set for an inline image referenced from the HTML body


def _name_param(part: Part) -> str:
    if part.name_style == "sjis-2231":
        return "filename*=shift_jis''" + urllib.parse.quote(part.filename.encode("cp932"), safe="")
    if part.name_style == "rfc2047":
        word = base64.b64encode(part.filename.encode("utf-8")).decode()
        return f'filename="=?UTF-8?B?{word}?="'
    return "filename*=utf-8''" + urllib.parse.quote(part.filename.encode("utf-8"), safe="")


def _b64_lines(data: bytes) -> str:
    text = base64.b64encode(data).decode()
    return "\r\n".join(text[i : i + 76] for i in range(0, len(text), 76))


def _iso2022jp_word(text: str) -> str:
    return "=?ISO-2022-JP?B?" + base64.b64encode(text.encode("iso2022_jp")).decode() + "?="


def _mailbox(text: str) -> str:
    name, address = email.utils.parseaddr(text)
    if not name or name.isascii():
        return text
    return f"{_iso2022jp_word(name)} <{address}>"


def _attachment(part: Part) -> str:
    disposition = "inline" if part.content_id else "attachment"
    headers = [f"Content-Type: {part.content_type}", "Content-Transfer-Encoding: base64",
               f"Content-Disposition: {disposition}; {_name_param(part)}"]
    if part.content_id:
        headers.append(f"Content-ID: <{part.content_id}>")
    return "\r\n".join(headers) + "\r\n\r\n" + _b64_lines(part.data) + "\r\n"


def eml(
    *,
    to: Sequence[str],
    parts: Sequence[Part] = (),
    subject: str = "資料送付の件",
    body: str = "お世話になっております。資料をお送りします。",
    html: str | None = None,
    sender: str = "山本 健 <ken.yamamoto@example.co.jp>",
) -> bytes:
    """A multipart message: ISO-2022-JP subject and text (or HTML with inline images), then files."""
    outer, related = "==outer-boundary==", "==related-boundary=="
    lines = [
        f"From: {_mailbox(sender)}",
        f"To: {', '.join(_mailbox(t) for t in to)}",
        f"Subject: {_iso2022jp_word(subject)}",
        "Message-ID: <test@example.co.jp>", "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{outer}"', "", f"--{outer}",
    ]
    inline = [p for p in parts if p.content_id]
    if html is not None:
        lines += [f'Content-Type: multipart/related; boundary="{related}"', "", f"--{related}",
                  "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64", "",
                  _b64_lines(html.encode("utf-8"))]
        for part in inline:
            lines += [f"--{related}", _attachment(part)]
        lines += [f"--{related}--", ""]
    else:
        lines += ["Content-Type: text/plain; charset=ISO-2022-JP", "Content-Transfer-Encoding: 7bit", "",
                  body.encode("iso2022_jp").decode("ascii")]
    for part in parts:
        if not part.content_id:
            lines += [f"--{outer}", _attachment(part)]
    lines += [f"--{outer}--", ""]
    return "\r\n".join(lines).encode("ascii")
