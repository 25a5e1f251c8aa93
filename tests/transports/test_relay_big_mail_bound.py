"""Big mail is parsed and checked one at a time (bounded memory); small mail is never held back."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

from missend_guard.core.gate import Outcome
from missend_guard.transports.relay.handler import RelayHandler

BIG = 1000


class RecordingGate:
    """Blocks each big message until released; records how many were inside at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inside = 0
        self.most_inside = 0
        self.release = threading.Event()
        self.small_done = threading.Event()

    def __call__(self, raw: bytes, envelope: object, cancelled: threading.Event | None = None,
                 *, spool: object = None, crlf_only: bool = False) -> Outcome:
        if len(raw) < BIG:
            self.small_done.set()
            return Outcome(250, "2.0.0 small")
        with self.lock:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
        self.release.wait(10)
        with self.lock:
            self.inside -= 1
        return Outcome(250, "2.0.0 big")


def _envelope(size: int) -> SimpleNamespace:
    return SimpleNamespace(mail_from="ken@example.co.jp", rcpt_tos=["a@example.co.jp"],
                           original_content=b"x" * size)


def test_two_big_mails_take_turns_while_a_small_one_goes_at_once():
    gate = RecordingGate()
    handler = RelayHandler(gate, ThreadPoolExecutor(max_workers=8), big_bytes=BIG, big_at_once=1)
    session = SimpleNamespace(peer=("127.0.0.1", 1))

    async def scenario() -> list[str]:
        big = [asyncio.ensure_future(handler.handle_DATA(None, session, _envelope(BIG * 2)))
               for _ in range(2)]
        await asyncio.sleep(0.2)
        small = await handler.handle_DATA(None, session, _envelope(10))
        assert small == "250 2.0.0 small"  # not queued behind the big ones
        assert gate.inside == 1
        gate.release.set()
        return list(await asyncio.gather(*big))

    replies = asyncio.run(scenario())
    assert replies == ["250 2.0.0 big", "250 2.0.0 big"]
    assert gate.most_inside == 1


def test_without_the_bound_both_would_be_inside_at_once():
    """The probe itself can see concurrency: with room for two, two are inside together."""
    gate = RecordingGate()
    handler = RelayHandler(gate, ThreadPoolExecutor(max_workers=8), big_bytes=BIG, big_at_once=2)
    session = SimpleNamespace(peer=("127.0.0.1", 1))

    async def scenario() -> None:
        big = [asyncio.ensure_future(handler.handle_DATA(None, session, _envelope(BIG * 2)))
               for _ in range(2)]
        await asyncio.sleep(0.3)
        gate.release.set()
        await asyncio.gather(*big)

    asyncio.run(scenario())
    assert gate.most_inside == 2
