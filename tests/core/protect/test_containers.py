"""Container inspection over real file bytes: encryption, kinds, sheets, revisions, hostile input."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missend_guard.core.protect import containers
from missend_guard.core.protect.containers.inspection import MAX_XML_PART_BYTES, MAX_ZIP_MEMBERS
from missend_guard.core.protect.containers.ole import CompoundFile
from tests.helpers import attachment_builders as b

OCTET = "application/octet-stream"
ZIP, PDF, MSWORD = "application/zip", "application/pdf", "application/msword"
AES_EXTRA = struct.pack("<HH", 0x9901, 7) + b"\x02\x00AE\x03\x08\x00"


def _aes_extra_only() -> bytes:
    # Bit 0 cleared: only the WinZip AES extra field tells the member is encrypted.
    return b.raw_zip([b.RawEntry("a.txt", b"\x00" * 30, 0, 2, extra=AES_EXTRA)])


def _half_encrypted_zip() -> bytes:
    plain = b.RawEntry("readme.txt", b"hello", zlib.crc32(b"hello"), 5)
    secret = b.RawEntry("secret.txt", b"\x01" * 20, 0, 8, flags=0x1)
    return b.raw_zip([plain, secret])


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


CASES: list[tuple[str, str, str, Callable[[], bytes], str, bool, str]] = [
    # id, filename, content type, bytes, kind, encrypted, problem
    ("plain-zip", "資料.zip", ZIP, lambda: b.plain_zip({"a.txt": b"x" * 100}), "zip", False, ""),
    ("aes-zip", "資料.zip", ZIP, lambda: b.aes_zip({"a.txt": b"secret"}), "zip", True, ""),
    ("zipcrypto", "資料.zip", OCTET, lambda: b.zipcrypto_zip({"a.txt": b"secret"}), "zip", True, ""),
    ("aes-extra-only", "x.zip", OCTET, _aes_extra_only, "zip", True, ""),
    ("one-member-encrypted", "x.zip", OCTET, _half_encrypted_zip, "zip", True, ""),
    ("zip-named-bin", "data.bin", OCTET, lambda: b.aes_zip({"a": b"1"}), "zip", True, ""),
    ("pdf", "会議資料.pdf", PDF, b.pdf, "pdf", False, ""),
    ("pdf-aes256", "会議資料.pdf", PDF, lambda: b.pdf("pw"), "pdf", True, ""),
    ("pdf-as-octet", "scan0001", OCTET, lambda: b.pdf("pw"), "pdf", True, ""),
    ("xlsx", "見積書.xlsx", OCTET, b.xlsx, "xlsx", False, ""),
    ("xlsx-named-bin", "noname.dat", OCTET, b.xlsx, "xlsx", False, ""),
    ("xlsm-name-kept", "macro.xlsm", OCTET, b.xlsx, "xlsm", False, ""),
    ("docx", "契約書.docx", OCTET, b.docx, "docx", False, ""),
    ("cfb-encrypted-xlsx", "売上.xlsx", OCTET, b.encrypted_ooxml_cfb, "xlsx", True, ""),
    ("cfb-encrypted-unnamed", "file.bin", OCTET, b.encrypted_ooxml_cfb, "ole", True, ""),
    ("doc-encrypted", "古い.doc", MSWORD, lambda: b.legacy_doc(encrypted=True), "doc", True, ""),
    ("doc-plain", "古い.doc", MSWORD, lambda: b.legacy_doc(encrypted=False), "doc", False, ""),
    ("xls-encrypted", "古い.xls", OCTET, lambda: b.legacy_xls(encrypted=True), "xls", True, ""),
    ("xls-plain", "古い.xls", OCTET, lambda: b.legacy_xls(encrypted=False), "xls", False, ""),
    ("text", "memo.txt", "text/plain", lambda: "メモ".encode("cp932"), "other", False, ""),
    ("rtf-named-doc", "letter.doc", MSWORD, lambda: b"{\\rtf1 hello}", "other", False, ""),
    ("xlsx-not-zip", "見積書.xlsx", OCTET, lambda: b"this is not a zip", "xlsx", False, "corrupt-xlsx"),
    ("truncated-zip", "a.zip", ZIP, lambda: _truncated(b.plain_zip({"a": b"x" * 5000})),
     "zip", False, "corrupt-zip"),
    ("truncated-xlsx", "a.xlsx", OCTET, lambda: _truncated(b.xlsx()), "xlsx", False, "corrupt-xlsx"),
    ("garbage-pdf", "a.pdf", PDF, lambda: b"hello world", "pdf", False, "corrupt-pdf"),
    ("empty-pdf", "a.pdf", PDF, lambda: b"", "pdf", False, "corrupt-pdf"),
    ("pdf-header-only", "a.pdf", PDF, lambda: b.pdf()[:60], "pdf", False, "corrupt-pdf"),
    ("ole-garbage", "a.docx", OCTET, lambda: b.encrypted_ooxml_cfb()[:8] + b"\xff" * 600,
     "docx", False, "corrupt-docx"),
]


@pytest.mark.parametrize(
    ("filename", "ctype", "build", "expected"),
    [pytest.param(*case[1:4], case[4:], id=case[0]) for case in CASES],
)
def test_inspect(
    filename: str, ctype: str, build: Callable[[], bytes], expected: tuple[str, bool, str]
) -> None:
    data = build()
    found = containers.inspect(filename, ctype, data, deep=True)
    assert (found.kind, found.encrypted, found.problem) == expected
    assert containers.is_encrypted(filename, ctype, data) is expected[1]


def test_zipcrypto_builder_is_real_pkware_encryption() -> None:
    data = b.zipcrypto_zip({"見積.txt": "金額".encode()})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("見積.txt", pwd=b.ZIP_PASSWORD) == "金額".encode()
        with pytest.raises(RuntimeError, match="password"):
            archive.read("見積.txt", pwd=b"wrong")


def test_real_office_encryption_is_found_in_the_directory() -> None:
    pytest.importorskip("msoffcrypto")
    for plain, name in ((b.docx(1), "契約書.docx"), (b.xlsx(), "売上.xlsx")):
        data = b.office_encrypt(plain)
        assert "encryptedpackage" in CompoundFile(data).root_streams()  # the real parse, not the fallback
        found = containers.inspect(name, OCTET, data, deep=True)
        assert (found.kind, found.encrypted, found.problem) == (name.rsplit(".", 1)[1], True, "")


def test_damaged_directory_still_reveals_encrypted_package() -> None:
    data = bytearray(b.encrypted_ooxml_cfb())
    struct.pack_into("<I", data, 48, 0x7FFF)  # first directory sector far past the end of the file
    found = containers.inspect("a.docx", OCTET, bytes(data))
    assert (found.encrypted, found.problem) == (True, "")


def test_legacy_doc_fib_is_read_from_the_mini_stream() -> None:
    data = b.legacy_doc(encrypted=True)
    compound = CompoundFile(data)
    stream = compound.root_streams()["worddocument"]
    assert stream.size < 4096  # small streams live in the mini stream
    assert compound.read_head(stream, 2) == b"\xec\xa5"


@pytest.mark.parametrize(
    ("sheets", "expected"),
    [
        ([("Sheet1", "visible")], []),
        ([("表紙", "visible"), ("原価", "hidden")], [("原価", "hidden")]),
        ([("表紙", "visible"), ("計算", "veryHidden")], [("計算", "veryHidden")]),
        ([("A", "visible"), ("B", "hidden"), ("C", "veryHidden")], [("B", "hidden"), ("C", "veryHidden")]),
    ],
)
def test_hidden_sheets(sheets: list[tuple[str, str]], expected: list[tuple[str, str]]) -> None:
    assert containers.hidden_sheets(b.xlsx(sheets)) == expected


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b.docx(), (0, 0, 0)),
        (b.docx(insertions=2), (2, 0, 0)),
        (b.docx(deletions=3), (0, 3, 0)),
        (b.docx(comments=2), (0, 0, 2)),
        (b.docx(1, 1, 1), (1, 1, 1)),
        # a moved paragraph is one deletion (moveFrom) and one insertion (moveTo)
        (b.docx(body_xml="<w:p><w:moveFrom w:id='1'/><w:moveTo w:id='2'/></w:p>"), (1, 1, 0)),
        # a tracked paragraph mark sits inside w:rPr: still a revision
        (b.docx(body_xml="<w:p><w:pPr><w:rPr><w:ins w:id='1'/></w:rPr></w:pPr></w:p>"), (1, 0, 0)),
    ],
)
def test_tracked_changes(data: bytes, expected: tuple[int, int, int]) -> None:
    assert containers.tracked_changes(data) == expected


def test_tracked_changes_in_header_count() -> None:
    header = f'<w:hdr xmlns:w="{_W}"><w:p><w:ins w:id="9"/></w:p></w:hdr>'.encode()
    with zipfile.ZipFile(io.BytesIO(b.docx()), "r") as src:
        files = {n: src.read(n) for n in src.namelist()}
    files["word/header1.xml"] = header
    assert containers.tracked_changes(b.plain_zip(files)) == (1, 0, 0)


def _xlsx_with_workbook(workbook: bytes, *, claimed_size: int | None = None) -> bytes:
    entries = [
        b.deflated_entry("[Content_Types].xml", b"<Types/>"),
        b.deflated_entry("xl/workbook.xml", workbook, claimed_size=claimed_size),
    ]
    return b.raw_zip(entries)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'.encode() for p, c in zip("abcdefg", "bcdefgh", strict=True)
    )
    + b']><workbook><sheets><sheet name="&h;" state="hidden"/></sheets></workbook>'
)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        # 25 MB of spaces compress to ~25 KB: the part is refused by its size, never read
        (_xlsx_with_workbook(b" " * (MAX_XML_PART_BYTES + 5 * 1024 * 1024)), "too-large-to-inspect"),
        # a header claiming 4 GB is refused before any byte is inflated
        (_xlsx_with_workbook(b"<workbook/>", claimed_size=0xFFFF_FFF0), "too-large-to-inspect"),
        # a header claiming 11 bytes for 3 MB: reading stops at the claim and the CRC check fails
        (_xlsx_with_workbook(b" " * 3_000_000, claimed_size=11), "corrupt-xlsx"),
        (_xlsx_with_workbook(b"<workbook><sheets><sheet"), "corrupt-xlsx"),
        (_xlsx_with_workbook(BILLION_LAUGHS), "corrupt-xlsx"),
        # named .xlsx, looks like a package, has no workbook: broken
        (b.raw_zip([b.deflated_entry("[Content_Types].xml", b"<Types/>")]), "corrupt-xlsx"),
    ],
    ids=["bomb-by-size", "claims-huge", "claims-tiny", "broken-xml", "entity-expansion", "no-workbook"],
)
def test_hostile_workbooks(data: bytes, problem: str) -> None:
    found = containers.inspect("book.xlsx", OCTET, data, deep=True)
    assert (found.problem, found.hidden_sheets) == (problem, ())


def test_no_member_is_inflated_when_only_encryption_is_asked() -> None:
    broken = b.RawEntry("xl/workbook.xml", b"\xff" * 64, 0, 10_000, method=zipfile.ZIP_DEFLATED)
    data = b.raw_zip([b.deflated_entry("[Content_Types].xml", b"<Types/>"), broken])
    assert containers.inspect("a.xlsx", OCTET, data) == containers.Inspection("xlsx")
    assert containers.inspect("a.xlsx", OCTET, data, deep=True).problem == "corrupt-xlsx"


def test_member_count_is_bounded_before_the_directory_is_read() -> None:
    data = bytearray(b.plain_zip({"a": b"1"}))
    eocd = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, eocd + 8, MAX_ZIP_MEMBERS + 1, MAX_ZIP_MEMBERS + 1)
    assert containers.inspect("a.zip", OCTET, bytes(data)).problem == "too-large-to-inspect"


def test_docx_parts_must_not_add_up_to_a_bomb() -> None:
    big = b"<w:hdr xmlns:w='" + _W.encode() + b"'>" + b" " * (MAX_XML_PART_BYTES // 2) + b"</w:hdr>"
    with zipfile.ZipFile(io.BytesIO(b.docx()), "r") as src:
        files = {n: src.read(n) for n in src.namelist()}
    files |= {f"word/header{i}.xml": big for i in range(3)}
    found = containers.inspect("a.docx", OCTET, b.plain_zip(files), deep=True)
    assert found.problem == "too-large-to-inspect"


SAMPLES = [b.plain_zip({"a": b"x" * 50}), b.aes_zip({"a": b"x"}), b.pdf(), b.xlsx(), b.docx(1, 1, 1),
           b.encrypted_ooxml_cfb(), b.legacy_xls(encrypted=True)]


def damaged(sample: int, cuts: list[tuple[int, bytes]]) -> bytes:
    """SAMPLES[sample] with `cuts` (position, junk) written over it."""
    data = bytearray(SAMPLES[sample])
    for pos, junk in cuts:
        at = pos % max(len(data), 1)
        data[at : at + len(junk)] = junk
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sample=st.sampled_from(range(len(SAMPLES))),
    cuts=st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=8)), max_size=6),
    name=st.sampled_from(["a.zip", "a.pdf", "a.xlsx", "a.docx", "a.doc", "a.bin"]),
)
def test_damaged_files_never_raise(sample: int, cuts: list[tuple[int, bytes]], name: str) -> None:
    found = containers.inspect(name, OCTET, damaged(sample, cuts), deep=True)
    assert isinstance(found.encrypted, bool)
    assert found.problem in ("", "too-large-to-inspect") or found.problem.startswith("corrupt-")
