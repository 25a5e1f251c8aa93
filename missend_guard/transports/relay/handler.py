"""The relay's aiosmtpd handler: DATA goes to the gate in a worker thread, its outcome is the reply."""

from __future__ import annotations

import asyncio
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from aiosmtpd.smtp import SMTP

from missend_guard.core.gate import Outcome
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.outbox import Spool
from missend_guard.transports.relay.data import SpooledEnvelope, read_spool
from missend_guard.transports.relay.quiet_log import RELAY_LOG

log = RELAY_LOG


class GateCall(Protocol):
    """The gate's `process`: the message, its envelope, the disconnect flag, the spool it is in."""

    def __call__(self, raw: bytes, envelope: Envelope, cancelled: threading.Event | None = None,
                 *, spool: Spool | None = None, crlf_only: bool = False) -> Outcome:
        """The outcome that becomes the reply."""
        ...


_LINE_END = re.compile(rb"\r\n|\r|\n")


def normalise_line_ends(raw: bytes) -> bytes:
    """`raw` with every bare CR and bare LF made CRLF (SMTP allows no other line end).

    aiosmtpd splits DATA at CRLF only, so `\\r.\\r` or `\\n.\\n` reach the gate inside a line;
    an upstream that ends lines at a bare CR or LF would see an end of data there and take what
    follows as a second, unchecked message. Made CRLF here, the gate checks what goes upstream,
    and the sender dot-stuffs any such line.
    """
    crlf = raw.count(b"\r\n")
    if raw.count(b"\r") == crlf and raw.count(b"\n") == crlf:
        return raw  # the usual case, without copying 50 MB
    return _LINE_END.sub(b"\r\n", raw)


# A message this big is parsed and checked one at a time: parsing costs several times its size
# in memory, and the review shows one dialog at a time anyway. Smaller mail is never held back.
BIG_MESSAGE_BYTES = 8 * 1024 * 1024
BIG_MESSAGES_AT_ONCE = 1


def _spooled_size(envelope: Any) -> int:
    if isinstance(envelope, SpooledEnvelope) and envelope.spool is not None:
        return os.fstat(envelope.spool.file.fileno()).st_size
    return len(envelope.original_content or b"")


class RelayHandler:
    """aiosmtpd handler: DATA → gate in a worker thread → one reply line."""

    def __init__(self, gate: GateCall, executor: ThreadPoolExecutor, *,
                 big_bytes: int = BIG_MESSAGE_BYTES, big_at_once: int = BIG_MESSAGES_AT_ONCE) -> None:
        self._gate = gate
        self._executor = executor
        self._active: set[threading.Event] = set()
        self._big_bytes = big_bytes
        self._big_at_once = big_at_once
        self._big: asyncio.Semaphore | None = None  # made on the relay's loop, at first use

    def cancel_all(self) -> None:
        """Withdraw every review still waiting (the relay is stopping)."""
        for cancelled in list(self._active):
            cancelled.set()

    def _received(self, envelope: Any, peer: object) -> tuple[bytes, Spool | None]:
        """The message as the gate gets it, CRLF only; and the spool when it holds exactly that."""
        spool: Spool | None = None
        if isinstance(envelope, SpooledEnvelope) and envelope.spool is not None:
            spool = envelope.spool
            received = read_spool(spool.file)
            # The fsync the outbox needs if it keeps the spool, on another thread while the
            # message is checked (a failure here is met again, and reported, by the store).
            self._executor.submit(spool.sync)
            if envelope.crlf_only:  # the spool counted the line ends as the data came in
                return received, spool
        else:
            received = bytes(envelope.original_content or b"")
        raw = normalise_line_ends(received)
        if raw is not received:
            log.info("bare CR or LF in a message from %s made CRLF", peer)
            spool = None  # what is checked and stored is no longer what the spool holds
        return raw, spool

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Any) -> str:  # noqa: N802
        """Run the gate; a client that disconnects meanwhile withdraws its review."""
        env = Envelope(str(envelope.mail_from or ""), tuple(str(r) for r in envelope.rcpt_tos))
        cancelled = threading.Event()
        self._active.add(cancelled)
        loop = asyncio.get_running_loop()
        try:
            if _spooled_size(envelope) >= self._big_bytes:
                if self._big is None:
                    self._big = asyncio.Semaphore(self._big_at_once)
                async with self._big:  # waiting here is cancelled like the rest on disconnect
                    outcome = await self._check(loop, envelope, session.peer, env, cancelled)
            else:
                outcome = await self._check(loop, envelope, session.peer, env, cancelled)
        except asyncio.CancelledError:
            # aiosmtpd cancels this coroutine when the client goes away (EOF, reset) or on stop.
            cancelled.set()
            log.info("client %s disconnected while its message was being reviewed", session.peer)
            raise
        finally:
            self._active.discard(cancelled)
        log.info("DATA from %s to %d recipient(s): %s", env.mail_from, len(env.rcpt_tos), outcome.reply)
        return outcome.reply

    async def _check(self, loop: asyncio.AbstractEventLoop, envelope: Any, peer: object,
                     env: Envelope, cancelled: threading.Event) -> Outcome:
        def read_and_check() -> Outcome:  # one hop to a worker thread, not two
            raw, spool = self._received(envelope, peer)
            return self._gate(raw, env, cancelled, spool=spool, crlf_only=True)

        return await loop.run_in_executor(self._executor, read_and_check)
