"""Looks inside attachments (ZIP, PDF, OOXML, OLE) without decrypting or unpacking whole archives."""

from __future__ import annotations

import posixpath

from pypdf import PdfReader

from missend_guard.core.protect.containers.inspection import (
    LEGACY_OFFICE_KINDS,
    OOXML_KINDS,
    ZIP_FAMILY,
    Inspection,
    TrackedChanges,
)
from missend_guard.core.protect.containers.ole import OLE_MAGIC, inspect_ole
from missend_guard.core.protect.containers.source import Blob, FileData, as_blob, open_stream
from missend_guard.core.protect.containers.zips import inspect_zip

__all__ = [
    "Blob",
    "FileData",
    "Inspection",
    "TrackedChanges",
    "expected_kind",
    "hidden_sheets",
    "inspect",
    "is_encrypted",
    "tracked_changes",
]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_PDF_MAGIC = b"%PDF-"

_CONTENT_TYPE_KINDS = {
    "application/pdf": "pdf",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "application/x-zip": "zip",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.ms-excel.sheet.macroenabled.12": "xlsm",
    "application/vnd.ms-word.document.macroenabled.12": "docm",
}
_KNOWN_KINDS = frozenset({"pdf"}) | ZIP_FAMILY | LEGACY_OFFICE_KINDS


def expected_kind(filename: str, content_type: str) -> str:
    """The kind the name (first) or the declared type (second) promises; "other" when neither knows."""
    ext = posixpath.splitext(filename.strip().lower())[1].lstrip(".")
    if ext in _KNOWN_KINDS:
        return ext
    return _CONTENT_TYPE_KINDS.get(content_type.strip().lower(), "other")


def inspect(filename: str, content_type: str, data: FileData, *, deep: bool = False) -> Inspection:
    """Classify by magic bytes first, name/type second; `deep` also reads hidden sheets and tracked changes.

    Reads only the ranges it needs (a blob is never decoded whole for a ZIP or PDF).
    Never raises for bad input and never tries a password.
    """
    expected = expected_kind(filename, content_type)
    blob = as_blob(data)
    head = blob.read_range(0, 1024)
    if head.startswith(OLE_MAGIC):
        return inspect_ole(blob, expected)
    if head.find(_PDF_MAGIC) >= 0:
        return _inspect_pdf(blob, deep=deep)
    if head.startswith(_ZIP_MAGIC) or expected in ZIP_FAMILY:
        # zipfile also finds archives behind a prefix (self-extractors), so try it for zip-like names too.
        return inspect_zip(blob, expected, deep=deep)
    if expected == "pdf":
        return Inspection("pdf", problem="corrupt-pdf")
    if expected in OOXML_KINDS:
        return Inspection(expected, problem=f"corrupt-{expected}")
    # A .doc/.xls that is not a compound file is usually RTF or HTML saved under that name: not broken.
    return Inspection("other")


def is_encrypted(filename: str, content_type: str, data: FileData) -> bool:
    """True when the file is an encrypted ZIP, an encrypted PDF or a password-protected Office file."""
    return inspect(filename, content_type, data).encrypted


def hidden_sheets(data: FileData) -> list[tuple[str, str]]:
    """(name, state) of every hidden or very hidden sheet of an .xlsx/.xlsm; [] when none or unreadable."""
    return list(inspect("book.xlsx", "", data, deep=True).hidden_sheets)


def tracked_changes(data: FileData) -> tuple[int, int, int]:
    """(insertions, deletions, comments) of a .docx; zeros when none or unreadable."""
    found = inspect("document.docx", "", data, deep=True).tracked_changes
    return found.insertions, found.deletions, found.comments


def _inspect_pdf(data: Blob, *, deep: bool) -> Inspection:
    try:
        reader = PdfReader(open_stream(data))
        if reader.is_encrypted:  # the trailer has /Encrypt; nothing is decrypted
            return Inspection("pdf", encrypted=True)
        if deep:
            _ = len(reader.pages)  # walks the page tree: a truncated file fails here
    except Exception:  # noqa: BLE001 - pypdf raises many types on broken input; broken is not encrypted
        return Inspection("pdf", problem="corrupt-pdf")
    return Inspection("pdf")
