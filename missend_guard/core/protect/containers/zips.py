"""ZIP archives and the OOXML documents inside them: encryption flags, hidden sheets, tracked changes."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any
from xml.parsers import expat

from missend_guard.core.protect.containers.inspection import (
    EXCEL_KINDS,
    MAX_COMPRESSION_RATIO,
    MAX_XML_PART_BYTES,
    MAX_ZIP_MEMBERS,
    OOXML_KINDS,
    POWERPOINT_KINDS,
    RATIO_FLOOR_BYTES,
    TOO_LARGE,
    WORD_KINDS,
    ZIP_FAMILY,
    Inspection,
    TrackedChanges,
    UnreadableError,
)
from missend_guard.core.protect.containers.source import Blob, open_stream

_AES_EXTRA_ID = 0x9901  # WinZip AES
_AES_METHOD = 99
_ZIP_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
    NotImplementedError, RuntimeError, ValueError, struct.error,
)


def inspect_zip(data: Blob, expected: str, *, deep: bool) -> Inspection:
    """Read the central directory (never every member); `deep` reads only the XML parts it needs."""
    kind = expected if expected in ZIP_FAMILY else "zip"
    count = _member_count(data)
    if count is not None and count > MAX_ZIP_MEMBERS:
        return Inspection(kind, problem=TOO_LARGE)
    try:
        with zipfile.ZipFile(open_stream(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return Inspection(kind, problem=TOO_LARGE)
            encrypted = any(_entry_encrypted(info) for info in infos)
            kind = _ooxml_kind({info.filename for info in infos}, expected) or "zip"
            if not deep or encrypted:
                return Inspection(kind, encrypted=encrypted)
            if kind in EXCEL_KINDS:
                return Inspection(kind, hidden_sheets=_hidden_sheets(archive))
            if kind in WORD_KINDS:
                return Inspection(kind, tracked_changes=_tracked_changes(archive))
            return Inspection(kind)
    except UnreadableError as exc:
        return Inspection(kind, problem=TOO_LARGE if exc.reason == TOO_LARGE else f"corrupt-{kind}")
    except _ZIP_ERRORS:
        return Inspection(kind, problem=f"corrupt-{kind}")


def _member_count(data: Blob) -> int | None:
    """Entry count from the end-of-central-directory record, read before zipfile builds every entry."""
    size = data.size
    tail_start = max(0, size - 65_557)
    tail = data.read_range(tail_start, size)
    found = tail.rfind(b"PK\x05\x06")
    eocd = tail_start + found
    if found < 0 or eocd + 22 > size:
        return None
    count: int = struct.unpack_from("<H", tail, found + 10)[0]
    locator = eocd - 20
    if count == 0xFFFF and locator >= 0:
        record = data.read_range(locator, locator + 16)
        if record[:4] == b"PK\x06\x07" and len(record) == 16:
            offset: int = struct.unpack_from("<Q", record, 8)[0]
            zip64 = data.read_range(offset, offset + 40) if offset < size else b""
            if zip64[:4] == b"PK\x06\x06" and offset + 40 <= size:
                count = struct.unpack_from("<Q", zip64, 32)[0]
    return count


def _extra_ids(extra: bytes) -> Iterator[int]:
    pos = 0
    while pos + 4 <= len(extra):
        header_id, size = struct.unpack_from("<HH", extra, pos)
        yield header_id
        pos += 4 + size


def _entry_encrypted(info: zipfile.ZipInfo) -> bool:
    """General-purpose bit 0 (ZipCrypto and AES both set it) or the WinZip AES method/extra field."""
    if info.flag_bits & 0x1 or info.compress_type == _AES_METHOD:
        return True
    return _AES_EXTRA_ID in _extra_ids(info.extra)


def _ooxml_kind(names: set[str], expected: str) -> str | None:
    if "[Content_Types].xml" not in names:
        return None
    for family, part, default in (
        (WORD_KINDS, "word/document.xml", "docx"),
        (EXCEL_KINDS, "xl/workbook.xml", "xlsx"),
        (POWERPOINT_KINDS, "ppt/presentation.xml", "pptx"),
    ):
        if part in names:
            return expected if expected in family else default
    return expected if expected in OOXML_KINDS else None


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """A member's bytes, refusing parts that claim or turn out to be too large; None when absent."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_XML_PART_BYTES:
        raise UnreadableError(TOO_LARGE)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO:
        raise UnreadableError(TOO_LARGE)
    with archive.open(info) as member:
        # The header may lie about the size: never read more than the limit whatever it claims.
        content = member.read(MAX_XML_PART_BYTES + 1)
    if len(content) > MAX_XML_PART_BYTES:
        raise UnreadableError(TOO_LARGE)
    return content


def _forbid(*_args: Any) -> Any:
    raise UnreadableError("forbidden-xml")


def _scan_xml(content: bytes, on_start: Callable[[str, dict[str, str]], None]) -> None:
    """Stream `content` through expat, calling on_start(local_name, attributes); DTDs and entities refused."""
    parser = expat.ParserCreate(namespace_separator="}")
    # Office XML never has a DTD: refusing one blocks entity expansion (billion laughs) and external fetches.
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(name: str, attrs: dict[str, str]) -> None:
        on_start(name.rpartition("}")[2], {k.rpartition("}")[2]: v for k, v in attrs.items()})

    parser.StartElementHandler = start
    try:
        parser.Parse(content, True)
    except expat.ExpatError as exc:
        raise UnreadableError("bad-xml") from exc


def _hidden_sheets(archive: zipfile.ZipFile) -> tuple[tuple[str, str], ...]:
    content = _read_part(archive, "xl/workbook.xml")
    if content is None:
        raise UnreadableError("missing-workbook")
    found: list[tuple[str, str]] = []

    def on_start(name: str, attrs: dict[str, str]) -> None:
        if name == "sheet" and attrs.get("state") in ("hidden", "veryHidden"):
            found.append((attrs.get("name", ""), attrs["state"]))

    _scan_xml(content, on_start)
    return tuple(found)


def _word_story_parts(names: list[str]) -> list[str]:
    headers_footers = sorted(
        n for n in names
        if n.startswith(("word/header", "word/footer")) and n.endswith(".xml") and n.count("/") == 1
    )
    return ["word/document.xml", "word/footnotes.xml", "word/endnotes.xml", *headers_footers]


def _tracked_changes(archive: zipfile.ZipFile) -> TrackedChanges:
    counts = {"ins": 0, "del": 0, "comment": 0}
    # Moves are tracked changes too: the moved-to text counts as inserted, the moved-from as deleted.
    aliases = {"ins": "ins", "moveTo": "ins", "del": "del", "moveFrom": "del"}

    def on_story(name: str, _attrs: dict[str, str]) -> None:
        if name in aliases:
            counts[aliases[name]] += 1

    def on_comments(name: str, _attrs: dict[str, str]) -> None:
        if name == "comment":
            counts["comment"] += 1

    budget = MAX_XML_PART_BYTES
    parts = [(part, on_story) for part in _word_story_parts(archive.namelist())]
    parts.append(("word/comments.xml", on_comments))
    for part, handler in parts:
        content = _read_part(archive, part)
        if content is None:
            if part == "word/document.xml":
                raise UnreadableError("missing-document")
            continue
        budget -= len(content)
        if budget < 0:  # many parts each under the limit must still not add up to a bomb
            raise UnreadableError(TOO_LARGE)
        _scan_xml(content, handler)
    return TrackedChanges(counts["ins"], counts["del"], counts["comment"])
