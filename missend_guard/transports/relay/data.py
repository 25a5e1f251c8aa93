"""SMTP DATA read in large chunks and spooled to a private file, as aiosmtpd's line loop would read it.

aiosmtpd reads DATA one line at a time and keeps every line in memory: about 100 ms and several
copies per MB. Here the stream is read up to each ".\\r\\n" (or whatever is buffered), the dots
are unstuffed over whole chunks and the bytes go to an anonymous temporary file. The result is
the same as aiosmtpd's: lines end at CRLF only (a bare CR or LF stays inside a line), a line
that is just "." ends the data, a leading dot is removed, a line over `LINE_LIMIT` bytes
(its CRLF included) answers 500 and more than the size limit 552, both after the end of data.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import tempfile
from collections.abc import Callable
from typing import IO

from aiosmtpd.smtp import Envelope

from missend_guard.core.ports.outbox import Spool

LINE_LIMIT = 1001  # aiosmtpd's SMTP.line_length_limit: a line's bytes with its CRLF
_END = b".\r\n"
_CRLF = b"\r\n"


class DataState(enum.Enum):
    """Whether the data so far is kept, or why it is refused once the end is read."""

    NOMINAL = "nominal"
    TOO_LONG = "500 Line too long (see RFC5321 4.5.3.1.6)"
    TOO_MUCH = "552 Error: Too much mail data"
    UNSTORED = "451 4.3.0 Missend Guard could not store the message"  # disk full, no access


class DataSpool:
    """Unstuffed DATA bytes written to `file` as chunks arrive; the state says if they are kept."""

    def __init__(self, file: IO[bytes] | None, size_limit: int | None,
                 problem: OSError | None = None) -> None:
        self.file = file
        self._limit = size_limit
        self.state = DataState.NOMINAL if file is not None else DataState.UNSTORED
        self.problem = problem  # why the data could not be spooled (UNSTORED)
        self.received = 0  # bytes of data as sent (stuffed), without the end marker
        self._tail = _CRLF  # the last two bytes seen: the data starts at the start of a line
        self._line = 0  # bytes of the line not yet ended by CRLF
        self._ends = [0, 0, 0]  # CR, LF and CRLF seen: equal when every line ends in CRLF

    @property
    def crlf_only(self) -> bool:
        """Whether every CR and LF in the data so far belongs to a CRLF (no bare line end)."""
        return self._ends[0] == self._ends[1] == self._ends[2]

    def feed(self, chunk: bytes) -> bool:
        """Take the next bytes of the stream; True when they end with the end-of-data line.

        `chunk` must stop at the first end-of-data line, if any (`StreamReader.readuntil` does).
        """
        before_end = chunk[max(0, len(chunk) - 5):-3]  # the end line starts after a CRLF
        if chunk.endswith(_END) and (self._tail + before_end).endswith(_CRLF):
            self._take(chunk[:-3])
            return True
        self._take(chunk)
        return False

    def _take(self, data: bytes) -> None:
        if not data:
            return
        self.received += len(data)
        if self.state is DataState.NOMINAL:
            # Within one chunk a long line wins over the size (aiosmtpd's order depends on how
            # the network happened to split the stream anyway).
            self._check_lines(data)
        if self.state is DataState.NOMINAL and self._limit and self.received > self._limit:
            self._refuse(DataState.TOO_MUCH)
        if self.state is DataState.NOMINAL:
            # A dot that starts a line is removed (RFC 5321 4.5.2); two tail bytes of context
            # catch a line start right after the previous chunk, also when CR|LF was split.
            unstuffed = (self._tail + data).replace(b"\r\n.", _CRLF)
            self._write(memoryview(unstuffed)[2:])
        self._tail = (self._tail + data[-2:])[-2:]

    def _check_lines(self, data: bytes) -> None:
        segments = (self._tail[-1:] + data).split(_CRLF)
        # A CRLF split between two chunks is counted here, its CR in the chunk before: the
        # totals still match exactly when there is no bare CR or LF.
        self._ends[0] += data.count(b"\r")
        self._ends[1] += data.count(b"\n")
        self._ends[2] += len(segments) - 1
        if len(segments) == 1:
            self._line += len(data)
        else:
            # The first segment holds one byte of context that `_line` already counts.
            first = self._line - 1 + len(segments[0]) + 2
            longest = max(map(len, segments[1:-1])) + 2 if len(segments) > 2 else 0
            self._line = len(segments[-1])
            if max(first, longest) > LINE_LIMIT:
                self._refuse(DataState.TOO_LONG)
                return
        if self._line > LINE_LIMIT:  # this line can only end too long
            self._refuse(DataState.TOO_LONG)

    def _write(self, data: memoryview) -> None:
        assert self.file is not None  # NOMINAL
        try:
            self.file.write(data)
        except OSError as exc:  # the client still sends the rest: read it, then answer 451
            self.problem = exc
            self._refuse(DataState.UNSTORED)

    def _refuse(self, state: DataState) -> None:
        self.state = state
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.file.seek(0)
                self.file.truncate()  # nothing refused is kept, on disk or in memory

    def reply(self) -> str:
        """The reply for a refused DATA (state not NOMINAL)."""
        if self.state is DataState.UNSTORED:
            why = self.problem.strerror if self.problem and self.problem.strerror else "I/O error"
            return f"{self.state.value} ({why}); your mail program keeps it"
        return str(self.state.value)


class TemporarySpool:
    """A spool no outbox can keep: a private temporary file, without a name where the OS allows."""

    def __init__(self) -> None:
        # Closed by discard(), which the session always calls: not a `with` block's lifetime.
        self._file = tempfile.TemporaryFile(prefix="spool-", suffix=".part")  # noqa: SIM115

    @property
    def file(self) -> IO[bytes]:
        """The open file."""
        return self._file

    def sync(self) -> None:
        """Nothing to make durable: this file is never kept."""

    def discard(self) -> None:
        """Close it (the OS deletes it)."""
        with contextlib.suppress(OSError):
            self._file.close()


# Makes the spool for one DATA: the outbox's own (`SqliteOutbox.open_spool`), or a temporary one.
OpenSpool = Callable[[], Spool]


async def receive_data(reader: asyncio.StreamReader, spool: DataSpool) -> None:
    """Read DATA up to and including its end-of-data line into `spool`; not a byte further.

    Every read stops at the next ".\\r\\n" (a possible end), or takes what is buffered short of
    its first bytes, so the commands a client pipelines after the data stay in the reader.
    """
    while True:
        try:
            chunk = await reader.readuntil(_END)
        except asyncio.LimitOverrunError as exc:
            chunk = await reader.readexactly(exc.consumed)
        if spool.feed(chunk):
            return


class SpooledEnvelope(Envelope):
    """aiosmtpd's envelope with the DATA spool file in place of the bytes in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.spool: Spool | None = None
        self.crlf_only = False  # the spooled data has no bare CR or LF (counted as it came in)


def read_spool(file: IO[bytes]) -> bytes:
    """The spooled message (in a worker thread: it blocks on the disk)."""
    file.seek(0)
    return file.read()
