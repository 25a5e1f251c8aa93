"""A file's bytes as the readers get them: whole bytes, or a blob read a range at a time.

An attachment in a 25 MB mail is still base64 inside the raw message; the readers here need only
its first bytes, a ZIP's central directory or a PDF's trailer, so they ask for ranges.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, BinaryIO, Protocol

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_BUFFER = 64 * 1024  # pypdf reads a byte at a time in places; a buffer keeps that off the blob


class Blob(Protocol):
    """A file whose bytes are produced on demand (decoded from where they lie)."""

    @property
    def size(self) -> int:
        """Length in bytes."""
        ...

    def read_range(self, start: int, stop: int) -> bytes:
        """Bytes [start, stop), clipped to the file (0 <= start <= stop)."""
        ...

    def whole(self) -> bytes:
        """All the bytes."""
        ...


FileData = bytes | Blob


class BytesBlob:
    """A Blob over bytes already in memory (slices of a memoryview: no copy of the whole)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._view = memoryview(data)

    @property
    def size(self) -> int:
        """Length in bytes."""
        return len(self._data)

    def read_range(self, start: int, stop: int) -> bytes:
        """Bytes [start, stop)."""
        return bytes(self._view[start:stop])

    def whole(self) -> bytes:
        """The bytes themselves."""
        return self._data


def as_blob(data: FileData) -> Blob:
    """`data` as a Blob."""
    return BytesBlob(data) if isinstance(data, bytes) else data


def whole(data: FileData) -> bytes:
    """All the bytes of `data`."""
    return data if isinstance(data, bytes) else data.whole()


class _BlobReader(io.RawIOBase):
    """A seekable raw stream over a Blob (what zipfile and pypdf read from)."""

    def __init__(self, blob: Blob) -> None:
        super().__init__()
        self._blob = blob
        self._size = blob.size
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise OSError("negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        stop = min(self._pos + len(view), self._size)
        if stop <= self._pos:
            return 0
        chunk = self._blob.read_range(self._pos, stop)
        view[: len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)


def open_stream(data: FileData) -> BinaryIO:
    """A buffered, seekable binary stream over `data` (no BytesIO: pypdf's getbuffer() would copy it)."""
    return io.BufferedReader(_BlobReader(as_blob(data)), buffer_size=_BUFFER)
