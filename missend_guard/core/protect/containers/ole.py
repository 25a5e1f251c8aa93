"""OLE compound files ([MS-CFB]): password-protected OOXML (EncryptedPackage) and legacy .doc/.xls/.ppt."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from missend_guard.core.protect.containers.inspection import (
    LEGACY_OFFICE_KINDS,
    OOXML_KINDS,
    Inspection,
    UnreadableError,
)
from missend_guard.core.protect.containers.source import FileData, as_blob, whole

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENDOFCHAIN = 0xFFFFFFFE
_MAX_REGSECT = 0xFFFFFFFA
_ROOT = 5
_MINI_SECTOR = 64
_FIB_ENCRYPTED = 0x0100  # FibBase flags at offset 0x0A: fEncrypted
_BIFF_FILEPASS, _BIFF_BOUNDSHEET, _BIFF_EOF = 0x002F, 0x0085, 0x000A


def inspect_ole(data: FileData, expected: str) -> Inspection:
    """Encrypted when the root holds EncryptedPackage, or a legacy document says so; never decrypts."""
    encrypted_kind = expected if expected in OOXML_KINDS | LEGACY_OFFICE_KINDS else "ole"
    try:
        compound = CompoundFile(data)
        streams = compound.root_streams()
        if "encryptedpackage" in streams:
            return Inspection(encrypted_kind, encrypted=True)
        if "worddocument" in streams:
            fib = compound.read_head(streams["worddocument"], 12)
            flags = struct.unpack_from("<H", fib, 10)[0] if len(fib) == 12 else 0
            return Inspection("doc", encrypted=bool(flags & _FIB_ENCRYPTED))
        for name in ("workbook", "book"):
            if name in streams:
                head = compound.read_head(streams[name], 8192)
                return Inspection("xls", encrypted=_biff_has_filepass(head))
        if "powerpoint document" in streams:
            return Inspection("ppt", encrypted="encryptedsummary" in streams)
        return Inspection("ole")
    except (UnreadableError, struct.error, IndexError):
        # A damaged directory: the stream name on its own is still strong evidence of encryption.
        if "EncryptedPackage".encode("utf-16-le") in whole(data):
            return Inspection(encrypted_kind, encrypted=True)
        return Inspection(encrypted_kind, problem=f"corrupt-{encrypted_kind}")


def _biff_has_filepass(head: bytes) -> bool:
    """FILEPASS directly follows the workbook's BOF when an .xls is encrypted."""
    pos = 0
    for _ in range(64):
        if pos + 4 > len(head):
            return False
        record, length = struct.unpack_from("<HH", head, pos)
        if record == _BIFF_FILEPASS:
            return True
        if record in (_BIFF_BOUNDSHEET, _BIFF_EOF):  # past the place FILEPASS would be
            return False
        pos += 4 + length
    return False


@dataclass(frozen=True)
class DirEntry:
    """One directory entry of a compound file."""

    name: str
    kind: int
    left: int
    right: int
    child: int
    start: int
    size: int


class CompoundFile:
    """Just enough of [MS-CFB] to list the root's streams and read the head of one; raises UnreadableError.

    Reads sector by sector, so a big attachment still encoded in its mail is never decoded whole.
    """

    def __init__(self, data: FileData) -> None:
        blob = as_blob(data)
        header = blob.read_range(0, 512)
        if len(header) < 512 or not header.startswith(OLE_MAGIC):
            raise UnreadableError("not-ole")
        (_minor, major, _order, sector_shift, mini_shift, _ndir, nfat, first_dir, _tx, cutoff,
         first_minifat, _nminifat, first_difat, _ndifat) = struct.unpack_from("<HHHHH6xIIIIIIIII", header, 24)
        if (major, sector_shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
            raise UnreadableError("bad-header")
        self._data = blob
        self._length = blob.size
        self._major = major
        self._cutoff = cutoff
        self._first_minifat = first_minifat
        self._size = 1 << sector_shift
        self._nsectors = max(0, -(-(self._length - self._size) // self._size))
        self._fat = self._read_fat(header, nfat, first_difat)
        self._entries = self._read_directory(first_dir)
        self._minifat: list[int] | None = None

    def _sector(self, sid: int) -> bytes:
        if sid >= self._nsectors:
            raise UnreadableError("sector-out-of-range")
        start = (sid + 1) * self._size
        return self._data.read_range(start, start + self._size).ljust(self._size, b"\0")

    def _words(self, sid: int) -> tuple[int, ...]:
        return struct.unpack(f"<{self._size // 4}I", self._sector(sid))

    def _walk(self, start: int, following: Callable[[int], int]) -> Iterator[int]:
        """Sector ids of a chain; a loop or an out-of-range id is corruption, not an endless walk."""
        seen: set[int] = set()
        sid = start
        while sid <= _MAX_REGSECT:
            if sid in seen or sid >= self._nsectors:
                raise UnreadableError("bad-chain")
            seen.add(sid)
            yield sid
            sid = following(sid)

    def _read_fat(self, header: bytes, nfat: int, first_difat: int) -> list[int]:
        header_difat = struct.unpack_from("<109I", header, 76)[: min(nfat, 109)]
        fat_sectors = [s for s in header_difat if s <= _MAX_REGSECT]
        per_sector = self._size // 4 - 1  # the last word of a DIFAT sector links to the next one
        for difat in self._walk(first_difat, lambda s: self._words(s)[per_sector]):
            fat_sectors += [s for s in self._words(difat)[:per_sector] if s <= _MAX_REGSECT]
        return [entry for sid in fat_sectors[: self._nsectors] for entry in self._words(sid)]

    def _next(self, sid: int) -> int:
        return self._fat[sid] if sid < len(self._fat) else _ENDOFCHAIN

    def _read_chain(self, start: int, limit: int) -> bytes:
        out = bytearray()
        for sid in self._walk(start, self._next):
            out += self._sector(sid)
            if len(out) >= limit:
                break
        return bytes(out[:limit])

    def _read_directory(self, first_dir: int) -> list[DirEntry]:
        raw = self._read_chain(first_dir, self._length)
        entries = []
        for pos in range(0, len(raw) - 127, 128):
            name_len, kind = struct.unpack_from("<HB", raw, pos + 64)
            left, right, child = struct.unpack_from("<III", raw, pos + 68)
            start, size = struct.unpack_from("<IQ", raw, pos + 116)
            if self._major == 3:
                size &= 0xFFFFFFFF  # version 3 files may leave garbage in the high word
            name = raw[pos : pos + max(0, min(name_len, 64) - 2)].decode("utf-16-le", errors="replace")
            entries.append(DirEntry(name, kind, left, right, child, start, size))
        if not entries or entries[0].kind != _ROOT:
            raise UnreadableError("no-root")
        return entries

    def root_streams(self) -> dict[str, DirEntry]:
        """Entries directly under the root storage, keyed by case-folded name (CFB names ignore case)."""
        found: dict[str, DirEntry] = {}
        stack, seen = [self._entries[0].child], set()
        while stack:
            index = stack.pop()
            if index >= len(self._entries) or index in seen:
                continue
            seen.add(index)
            entry = self._entries[index]
            found[entry.name.casefold()] = entry
            stack += [entry.left, entry.right]
        return found

    def read_head(self, entry: DirEntry, limit: int) -> bytes:
        """The first `limit` bytes of a stream (from the mini stream when it is small)."""
        limit = min(limit, entry.size)
        if entry.size >= self._cutoff:
            return self._read_chain(entry.start, limit)
        if self._minifat is None:
            raw = b""
            if self._first_minifat <= _MAX_REGSECT:
                raw = self._read_chain(self._first_minifat, self._length)
            self._minifat = list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))
        root = self._entries[0]
        ministream = self._read_chain(root.start, root.size)
        out = bytearray()
        seen: set[int] = set()
        sid = entry.start
        while sid <= _MAX_REGSECT and len(out) < limit:
            if sid in seen or (sid + 1) * _MINI_SECTOR > len(ministream):
                raise UnreadableError("bad-mini-chain")
            seen.add(sid)
            out += ministream[sid * _MINI_SECTOR : (sid + 1) * _MINI_SECTOR]
            sid = self._minifat[sid] if sid < len(self._minifat) else _ENDOFCHAIN
        return bytes(out[:limit])
