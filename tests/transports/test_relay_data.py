"""DATA read in chunks (relay/data.py) gives exactly what aiosmtpd's line loop gives."""

from __future__ import annotations

import asyncio
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from missend_guard.transports.relay.data import LINE_LIMIT, DataSpool, DataState, receive_data

TRAILER = b"QUIT\r\n"  # a command pipelined after the data: it must stay in the reader


def line_loop(stream: bytes, limit: int | None) -> tuple[DataState, bytes, bytes]:
    """aiosmtpd's SMTP.smtp_DATA, one CRLF line at a time: state, unstuffed data, what follows."""
    state, kept, count, pos = DataState.NOMINAL, [], 0, 0
    while True:
        end = stream.find(b"\r\n", pos)
        assert end >= 0, "the stream has no end-of-data line"
        line, pos = stream[pos:end + 2], end + 2
        if line == b".\r\n":
            return state, (b"".join(kept) if state is DataState.NOMINAL else b""), stream[pos:]
        count += len(line)
        if state is DataState.NOMINAL and len(line) > LINE_LIMIT:
            state = DataState.TOO_LONG
        if state is DataState.NOMINAL and limit and count > limit:
            state = DataState.TOO_MUCH
        kept.append(line[1:] if line.startswith(b".") else line)


async def _spooled(stream: bytes, sizes: list[int], limit: int | None) -> tuple[DataState, bytes, bytes]:
    reader = asyncio.StreamReader(limit=LINE_LIMIT)  # as aiosmtpd builds it
    spool = DataSpool(io.BytesIO(), limit)
    task = asyncio.ensure_future(receive_data(reader, spool))
    pos, turn = 0, 0
    while pos < len(stream):
        size = sizes[turn % len(sizes)] if sizes else len(stream)
        reader.feed_data(stream[pos:pos + size])
        pos, turn = pos + size, turn + 1
        await asyncio.sleep(0)
    reader.feed_eof()
    await task
    assert isinstance(spool.file, io.BytesIO)
    return spool.state, spool.file.getvalue(), await reader.read()


def spooled(stream: bytes, sizes: list[int], limit: int | None = None) -> tuple[DataState, bytes, bytes]:
    """DataSpool through a real StreamReader fed in chunks of `sizes` (cycled)."""
    return asyncio.run(_spooled(stream, sizes, limit))


CASES = {
    "plain": b"Subject: x\r\n\r\nhello\r\n.\r\n",
    "empty": b".\r\n",
    "empty line only": b"\r\n.\r\n",
    "dot stuffed": b"a\r\n..\r\n...x\r\n.y\r\n.\r\n",
    "dot first line": b"..\r\n.\r\n",
    "no final newline in data": b"abc.\r\nx.\r\n.\r\n",
    "bare LF dot": b"a\n.\nb\r\n.\r\n",
    "bare CR dot": b"a\r.\rb\r\n.\r\n",
    "LF CR": b"a\n\r.\r\n\r\n.\r\n",
    "8-bit": "日本語のメール\r\n.テスト\r\n".encode() + bytes(range(128, 256)) + b"\r\n.\r\n",
    "long line": b"x" * 2000 + b"\r\nok\r\n.\r\n",
    "line at limit": b"y" * (LINE_LIMIT - 2) + b"\r\n.\r\n",
    "line over limit": b"y" * (LINE_LIMIT - 1) + b"\r\n.\r\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("sizes", [[], [1], [2], [3], [5, 7], [1000], [1001, 3], [4096]])
def test_chunked_data_equals_the_line_loop(name: str, sizes: list[int]) -> None:
    stream = CASES[name] + TRAILER
    assert spooled(stream, sizes) == line_loop(stream, None)


def test_size_limit_refuses_552_after_the_end_and_keeps_nothing() -> None:
    stream = b"".join(b"line %d\r\n" % i for i in range(1000)) + b".\r\n" + TRAILER
    for sizes in ([1], [77], [65536]):
        state, kept, rest = spooled(stream, sizes, limit=500)
        assert (state, kept, rest) == (DataState.TOO_MUCH, b"", TRAILER)
        assert state.value.startswith("552")
    assert spooled(stream, [77], limit=len(stream))[0] is DataState.NOMINAL


def test_limit_counts_the_stuffed_bytes_without_the_end_line() -> None:
    stream = b"..ab\r\n.\r\n"
    assert spooled(stream, [2], limit=6)[0] is DataState.NOMINAL
    assert spooled(stream, [2], limit=5)[0] is DataState.TOO_MUCH


def test_disconnect_mid_data_raises_and_reads_nothing_more() -> None:
    async def cut() -> None:
        reader = asyncio.StreamReader(limit=LINE_LIMIT)
        reader.feed_data(b"Subject: x\r\n\r\nhalf a mess")
        reader.feed_eof()
        await receive_data(reader, DataSpool(io.BytesIO(), None))

    with pytest.raises(asyncio.IncompleteReadError):
        asyncio.run(cut())


lines = st.lists(
    st.one_of(
        st.sampled_from([b"", b".", b"..", b".x", b"\r", b"\n", b"a.", b"\r.", b"\n.\n", b"x\r\ny"]),
        st.binary(max_size=40),
        st.binary(min_size=990, max_size=1010).map(lambda b: b.replace(b"\n", b"-")),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(lines=lines, sizes=st.lists(st.integers(1, 1200), max_size=4),
       limit=st.one_of(st.none(), st.integers(1, 3000)))
def test_fuzzed_streams_equal_the_line_loop(lines: list[bytes], sizes: list[int],
                                            limit: int | None) -> None:
    stream = b"".join(line + b"\r\n" for line in lines) + b".\r\n" + TRAILER
    expected = line_loop(stream, limit)
    got = spooled(stream, sizes, limit)
    if {expected[0], got[0]} == {DataState.TOO_LONG, DataState.TOO_MUCH}:
        return  # both errors in one chunk: either reply is right (aiosmtpd's depends on timing)
    assert got == expected


@pytest.mark.parametrize("tail", [b"\r\n", b"\n\r\n"])
def test_a_crlf_split_between_two_reads_is_one_line_end(tail: bytes) -> None:
    # The reader's limit cuts the first read two bytes short of its end: between CR and LF.
    # Over the reader's limit with no end line in it: read up to 2 bytes short, i.e. up to the CR.
    first = b"a" * 500 + b"\r\n" + b"b" * (LINE_LIMIT - 500) + b"\r\nX"
    spool = DataSpool(io.BytesIO(), None)

    async def run() -> None:
        reader = asyncio.StreamReader(limit=LINE_LIMIT)
        task = asyncio.ensure_future(receive_data(reader, spool))
        await asyncio.sleep(0)  # waiting for data
        reader.feed_data(first)
        for _ in range(3):  # read and spooled
            await asyncio.sleep(0)
        assert spool.received == len(first) - 2, "the first read ends between CR and LF"
        reader.feed_data(tail + b".\r\n")
        await task

    asyncio.run(run())
    assert spool.state is DataState.NOMINAL
    assert spool.crlf_only is (tail == b"\r\n")


@settings(max_examples=300, deadline=None)
@given(lines=lines, sizes=st.lists(st.integers(1, 1200), max_size=4))
def test_bare_line_ends_are_counted_whatever_the_chunks(lines: list[bytes], sizes: list[int]) -> None:
    data = b"".join(line + b"\r\n" for line in lines)
    _, kept, _ = line_loop(data + b".\r\n", None)  # up to the first end line, unstuffed
    crlf_only = kept.count(b"\r") == kept.count(b"\n") == kept.count(b"\r\n")

    async def run() -> DataSpool:
        reader = asyncio.StreamReader(limit=LINE_LIMIT)
        spool = DataSpool(io.BytesIO(), None)
        task = asyncio.ensure_future(receive_data(reader, spool))
        stream, pos, turn = data + b".\r\n", 0, 0
        while pos < len(stream):
            size = sizes[turn % len(sizes)] if sizes else len(stream)
            reader.feed_data(stream[pos:pos + size])
            pos, turn = pos + size, turn + 1
            await asyncio.sleep(0)
        await task
        return spool

    spool = asyncio.run(run())
    if spool.state is DataState.NOMINAL:  # a refused DATA is never checked
        assert spool.crlf_only is crlf_only


class _FullDisk(io.BytesIO):
    def write(self, data: object) -> int:  # type: ignore[override]
        raise OSError(28, "No space left on device")


def test_disk_full_while_spooling_drains_then_answers_451() -> None:
    async def full() -> tuple[DataSpool, bytes]:
        reader = asyncio.StreamReader(limit=LINE_LIMIT)
        spool = DataSpool(_FullDisk(), None)
        reader.feed_data(b"a\r\nb\r\n.\r\n" + TRAILER)
        reader.feed_eof()
        await receive_data(reader, spool)
        return spool, await reader.read()

    spool, rest = asyncio.run(full())
    assert (spool.state, rest) == (DataState.UNSTORED, TRAILER)
    assert spool.reply().startswith("451 4.3.0 ")
    assert "No space left on device" in spool.reply()
