"""A file still base64 in its mail is inspected as its bytes are, reading only the ranges it needs."""

from __future__ import annotations

import base64
import io
import os
import struct
import zipfile
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from missend_guard.core.message.encoded import Base64Body, scan_base64
from missend_guard.core.protect import containers
from missend_guard.core.protect.containers.inspection import MAX_ZIP_MEMBERS
from missend_guard.core.protect.containers.source import Blob, open_stream
from tests.core.protect.test_containers import CASES, OCTET, SAMPLES, damaged
from tests.helpers import attachment_builders as b

_HEAD = b"Content-Transfer-Encoding: base64\r\n\r\n"


def _in_mail(data: bytes, width: int = 76) -> Base64Body:
    """`data` as it lies in a mail: base64 lines, decoded only where read."""
    encoded = base64.b64encode(data)
    body = b"\r\n".join(encoded[i : i + width] for i in range(0, len(encoded), width))
    raw = _HEAD + body + b"\r\n--b--\r\n"
    blob = scan_base64(raw, len(_HEAD), len(_HEAD) + len(body))
    assert blob is not None
    return blob


class _Counting:
    """A Blob that counts the bytes read from it."""

    def __init__(self, inner: Blob) -> None:
        self.inner = inner
        self.read = 0

    @property
    def size(self) -> int:
        return self.inner.size

    def read_range(self, start: int, stop: int) -> bytes:
        self.read += max(0, min(stop, self.size) - start)
        return self.inner.read_range(start, stop)

    def whole(self) -> bytes:
        self.read += self.size
        return self.inner.whole()


@pytest.mark.parametrize(
    ("filename", "ctype", "build"), [pytest.param(*case[1:4], id=case[0]) for case in CASES]
)
def test_a_blob_is_inspected_as_its_bytes(filename: str, ctype: str, build: Callable[[], bytes]) -> None:
    data = build()
    for deep in (False, True):
        assert containers.inspect(filename, ctype, _in_mail(data), deep=deep) == containers.inspect(
            filename, ctype, data, deep=deep
        )


def test_sheets_and_revisions_through_a_blob() -> None:
    book = b.xlsx([("A", "visible"), ("B", "hidden")])
    assert containers.hidden_sheets(_in_mail(book)) == [("B", "hidden")]
    assert containers.tracked_changes(_in_mail(b.docx(2, 1, 1), width=77)) == (2, 1, 1)


def test_member_count_is_bounded_through_a_blob() -> None:
    data = bytearray(b.plain_zip({"a": b"1"}))
    eocd = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, eocd + 8, MAX_ZIP_MEMBERS + 1, MAX_ZIP_MEMBERS + 1)
    assert containers.inspect("a.zip", OCTET, _in_mail(bytes(data))).problem == "too-large-to-inspect"


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("big.zip", lambda filler: b.plain_zip({"filler.bin": filler, "a.txt": b"x"})),
        ("big.xlsx", lambda filler: _with_member(b.xlsx([("A", "visible"), ("B", "hidden")]), filler)),
        ("big.pdf", lambda filler: _pdf_with_file(filler, None)),
        ("big.pdf", lambda filler: _pdf_with_file(filler, "pw")),
        ("big.doc", lambda filler: b.cfb({"EncryptedPackage": filler, "EncryptionInfo": b"\x04\x00"})),
    ],
)
def test_only_the_needed_ranges_are_decoded(name: str, build: Callable[[bytes], bytes]) -> None:
    data = build(os.urandom(3_000_000))
    blob = _Counting(_in_mail(data))
    expected = containers.inspect(name, OCTET, data, deep=True)
    assert containers.inspect(name, OCTET, blob, deep=True) == expected
    assert blob.read < len(data) // 10, (blob.read, len(data))


def _pdf_with_file(data: bytes, password: str | None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("big.bin", data)
    if password is not None:
        writer.encrypt(password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _with_member(archive: bytes, data: bytes) -> bytes:
    """`archive` with a big picture added (rules read the workbook part, never the picture)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/media/big.bin", data)
    return out.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sample=st.sampled_from(range(len(SAMPLES))),
    cuts=st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=8)), max_size=6),
    name=st.sampled_from(["a.zip", "a.pdf", "a.xlsx", "a.docx", "a.doc", "a.bin"]),
)
def test_damaged_files_through_a_blob(sample: int, cuts: list[tuple[int, bytes]], name: str) -> None:
    data = damaged(sample, cuts)
    found = containers.inspect(name, OCTET, data, deep=True)
    assert containers.inspect(name, OCTET, _in_mail(data, width=64), deep=True) == found


@settings(max_examples=200, deadline=None)
@given(
    data=st.binary(max_size=3000),
    ops=st.lists(
        st.tuples(st.sampled_from(["read", "seek0", "seek1", "seek2", "tell"]), st.integers(-50, 3100)),
        max_size=12,
    ),
)
def test_the_stream_behaves_like_bytesio(data: bytes, ops: list[tuple[str, int]]) -> None:
    ours, theirs = open_stream(_in_mail(data, width=60) if data else data), io.BytesIO(data)
    for op, n in ops:
        if op == "read":
            assert ours.read(n if n >= 0 else -1) == theirs.read(n if n >= 0 else -1)
        elif op == "tell":
            assert ours.tell() == theirs.tell()
        else:
            whence = int(op[-1])
            offset = abs(n) if whence == 0 else n
            if (theirs.tell() if whence == 1 else len(data)) + offset < 0 and whence != 0:
                continue  # before the start: BytesIO clamps to 0, a file raises
            assert ours.seek(offset, whence) == theirs.seek(offset, whence)
