"""Delivery worker with an in-memory outbox and a real upstream: sent, retry with backoff, failed."""

from __future__ import annotations

import threading

import pytest

from missend_guard.core.ports import DeliveryEvent, Envelope, OutboxItem, OutboxState
from missend_guard.transports.delivery import (
    NO_ACCOUNT,
    DeliveryWorker,
    NoAccountError,
    RetryPolicy,
)
from missend_guard.transports.smtp_sender import SmtpAccount, SmtpSender
from tests.conftest import find_free_port
from tests.transports.fakes import MemoryAudit, MemoryOutbox
from tests.transports.mails import jis_mail
from tests.transports.sink import Sink

RAW = jis_mail(to=[("佐藤 花子", "hanako@abc-trading.co.jp")])
ENV = Envelope("ken@example.co.jp", ("hanako@abc-trading.co.jp", "boss@example.co.jp"))


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class Rig:
    def __init__(self, port: int, *, policy: RetryPolicy | None = None) -> None:
        self.clock = Clock()
        self.outbox = MemoryOutbox(self.clock)
        self.audit = MemoryAudit()
        self.history: list[str] = []
        self.events: list[DeliveryEvent] = []
        self.sender = SmtpSender(SmtpAccount("up", "127.0.0.1", port, "none"), lambda: None, timeout=5)
        self.worker = DeliveryWorker(
            self.outbox, lambda item: self.sender, self.audit,
            retry_policy=lambda: policy or RetryPolicy(base_seconds=30, cap_seconds=100, max_attempts=4),
            record_history=self.history.extend, on_event=self.events.append, clock=self.clock,
        )

    def store(self, hold: float = 10) -> OutboxItem:
        return self.outbox.store(RAW, ENV, subject="s", message_id="<m@x>", account="up",
                                 hold_seconds=hold)

    def state(self, item: OutboxItem) -> OutboxItem:
        fresh = self.outbox.get(item.id)
        assert fresh is not None
        return fresh


def test_held_item_waits_for_its_hold_then_goes_out_exactly(smtp_sink):
    rig = Rig(smtp_sink.port)
    item = rig.store(hold=10)
    assert rig.worker.run_once() == 0
    assert smtp_sink.messages == []
    rig.clock.now += 10
    assert rig.worker.run_once() == 1
    [got] = smtp_sink.messages
    assert got.data == RAW
    assert got.rcpt_tos == ENV.rcpt_tos
    sent = rig.state(item)
    assert sent.state is OutboxState.SENT
    assert rig.outbox.replies[item.id] == "250 2.0.0 Ok: queued as SINK1"
    assert rig.history == list(ENV.rcpt_tos)
    assert [(e.kind, e.item.state) for e in rig.events] == [("sent", OutboxState.SENT)]
    assert rig.audit.kinds() == [("delivery", "sent")]
    assert rig.worker.run_once() == 0  # nothing is sent twice


def test_upstream_down_retries_with_backoff_then_delivers_once():
    port = find_free_port()
    rig = Rig(port)
    item = rig.store(hold=0)
    rig.worker.run_once()
    first = rig.state(item)
    assert first.state is OutboxState.RETRY
    assert first.next_retry == rig.clock.now + 30
    assert "cannot reach 127.0.0.1" in first.last_error
    rig.clock.now += 30
    rig.worker.run_once()
    assert rig.state(item).next_retry == rig.clock.now + 60  # doubled
    sink = Sink(port).start()
    try:
        rig.clock.now += 59
        assert rig.worker.run_once() == 0  # not due yet
        rig.clock.now += 1
        assert rig.worker.run_once() == 1
        assert [m.data for m in sink.messages] == [RAW]
        assert rig.state(item).state is OutboxState.SENT
        assert [e.kind for e in rig.events] == ["retry", "retry", "sent"]
    finally:
        sink.stop()


def test_backoff_is_capped():
    policy = RetryPolicy(base_seconds=30, cap_seconds=100, max_attempts=9)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 5)] == [30, 60, 100, 100, 100]


def test_permanent_refusal_fails_with_the_servers_reply_and_keeps_the_mail(smtp_sink):
    smtp_sink.handler.reply = "554 5.7.1 relay access denied"
    rig = Rig(smtp_sink.port)
    item = rig.store(hold=0)
    rig.worker.run_once()
    failed = rig.state(item)
    assert failed.state is OutboxState.FAILED
    assert "554 5.7.1 relay access denied" in failed.last_error
    assert rig.outbox.read(item.id) == RAW  # never deleted
    assert rig.history == []
    assert rig.events[-1].kind == "failed"


def test_temporary_failures_give_up_after_max_attempts():
    rig = Rig(find_free_port(), policy=RetryPolicy(base_seconds=1, cap_seconds=1, max_attempts=3))
    item = rig.store(hold=0)
    for _ in range(3):
        rig.worker.run_once()
        rig.clock.now += 1
    failed = rig.state(item)
    assert failed.state is OutboxState.FAILED
    assert failed.last_error.startswith("gave up after 3 attempts: cannot reach")


def test_no_account_keeps_the_mail_waiting_with_a_clear_reason():
    rig = Rig(find_free_port())

    def no_account(item: OutboxItem) -> SmtpSender:
        raise NoAccountError(NO_ACCOUNT)

    worker = DeliveryWorker(rig.outbox, no_account, rig.audit, on_event=rig.events.append,
                            clock=rig.clock)
    item = rig.store(hold=0)
    for _ in range(20):
        worker.run_once()
        rig.clock.now += 3600
    waiting = rig.state(item)
    assert waiting.state is OutboxState.RETRY  # never FAILED for want of an account
    assert waiting.last_error == "no upstream account configured — run missend-guard account add"
    assert rig.events[0].kind == "held"


def test_worker_thread_sends_when_woken_and_resumes_crashed_sends(smtp_sink):
    outbox, audit = MemoryOutbox(), MemoryAudit()
    sender = SmtpSender(SmtpAccount("up", "127.0.0.1", smtp_sink.port, "none"), lambda: None)
    both_sent = threading.Event()
    sent: list[str] = []

    def on_event(event: DeliveryEvent) -> None:
        sent.append(event.kind)
        if sent.count("sent") == 2:
            both_sent.set()

    worker = DeliveryWorker(outbox, lambda item: sender, audit, on_event=on_event)
    crashed = outbox.store(RAW, ENV, subject="", message_id="", account="", hold_seconds=0)
    outbox.claim_due()  # as if the previous run died while sending it
    assert worker.start() == 1
    try:
        fresh = outbox.store(RAW, ENV, subject="", message_id="", account="", hold_seconds=0)
        worker.wake()
        assert both_sent.wait(20)
    finally:
        worker.stop()
    assert len(smtp_sink.messages) == 2
    assert {outbox.get(i.id).state for i in (crashed, fresh)} == {OutboxState.SENT}  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", ["sent", "failed"])
def test_a_broken_event_handler_does_not_stop_delivery(smtp_sink, kind):
    if kind == "failed":
        smtp_sink.handler.reply = "550 no"
    rig = Rig(smtp_sink.port)

    def explode(event: DeliveryEvent) -> None:
        raise RuntimeError("tray went away")

    rig.worker._on_event = explode
    item = rig.store(hold=0)
    rig.worker.run_once()
    assert rig.state(item).state.value == kind
