"""Delivery worker with an in-memory outbox and a real upstream: sent, retry with backoff, failed."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import (
    WAIT_ACCOUNT,
    WAIT_SIGN_IN,
    DeliveryEvent,
    OutboxItem,
    OutboxState,
)
from missend_guard.core.ports.sending import DeliveryError
from missend_guard.storage.outbox.store import SqliteOutbox
from missend_guard.storage.paths import DataPaths
from missend_guard.transports.delivery import (
    NO_ACCOUNT,
    DeliveryWorker,
    NoAccountError,
    RetryPolicy,
)
from missend_guard.transports.senders.smtp import SmtpAccount, SmtpSender
from tests.conftest import find_free_port
from tests.helpers.clock import ManualClock
from tests.helpers.fake_ports import MemoryAudit, MemoryOutbox
from tests.helpers.mails import jis_mail
from tests.helpers.sink import Sink

RAW = jis_mail(to=[("佐藤 花子", "hanako@abc-trading.co.jp")])
ENV = Envelope("ken@example.co.jp", ("hanako@abc-trading.co.jp", "boss@example.co.jp"))


def decided(item: OutboxItem) -> AuditEvent:
    return AuditEvent(kind="decision", message_id=item.message_id, decision="send")




class Rig:
    def __init__(self, port: int, *, policy: RetryPolicy | None = None) -> None:
        self.clock = ManualClock(1_000_000.0)
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
                                 hold_seconds=hold, decision=decided)

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
    assert sent.attempts == 1
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
    crashed = outbox.store(RAW, ENV, subject="", message_id="", account="", hold_seconds=0,
                           decision=decided)
    outbox.claim_due()  # as if the previous run died while sending it
    assert worker.start() == 1
    try:
        fresh = outbox.store(RAW, ENV, subject="", message_id="", account="", hold_seconds=0,
                             decision=decided)
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

    worker = DeliveryWorker(rig.outbox, lambda item: rig.sender, rig.audit, on_event=explode,
                            clock=rig.clock)
    item = rig.store(hold=0)
    worker.run_once()
    assert rig.state(item).state.value == kind


# -- waiting for the user: no account, sign in to Microsoft 365 again --------------------------


class SignInRequiredError(DeliveryError):
    """What GraphSender raises when the refresh token is revoked (the attribute is the contract)."""

    sign_in_required = True

    def __init__(self) -> None:
        super().__init__("Sign in to Microsoft 365 again: AADSTS50173 revoked", temporary=True)


class Scripted:
    """A Sender that raises the scripted errors in turn, then delivers."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.sent: list[bytes] = []

    def send(self, raw: bytes, mail_from: str, rcpt_tos: object, *,
             on_committing: Callable[[], None] | None = None) -> str:
        if self.errors:
            raise self.errors.pop(0)
        if on_committing is not None:
            on_committing()
        self.sent.append(raw)
        return "202 Accepted"


def waiting_rig(sender_for, *, max_attempts: int = 3):
    clock = ManualClock(1_000_000.0)
    outbox = MemoryOutbox(clock)
    events: list[DeliveryEvent] = []
    worker = DeliveryWorker(
        outbox, sender_for, MemoryAudit(), on_event=events.append, clock=clock,
        retry_policy=lambda: RetryPolicy(base_seconds=30, cap_seconds=100, max_attempts=max_attempts),
    )
    item = outbox.store(RAW, ENV, subject="s", message_id="<m@x>", account="m365", hold_seconds=0,
                        decision=decided)
    return clock, outbox, events, worker, item


def test_sign_in_required_holds_the_mail_without_using_attempts_or_failing():
    sender = Scripted(*[SignInRequiredError() for _ in range(10)])
    clock, outbox, events, worker, item = waiting_rig(lambda i: sender, max_attempts=3)
    for _ in range(10):  # far more than max_attempts
        assert worker.run_once() == 1
        clock.now += 100
    waiting = outbox.get(item.id)
    assert waiting.state is OutboxState.RETRY
    assert waiting.last_error == "Sign in to Microsoft 365 again: AADSTS50173 revoked"
    assert [e.kind for e in events] == ["held"] * 10
    assert events[0].detail.startswith("Sign in to Microsoft 365 again")
    assert waiting.attempts == 0
    assert waiting.waiting_for == WAIT_SIGN_IN
    worker.run_once()  # the scripted errors are used up: delivered once
    assert sender.sent == [RAW]
    sent = outbox.get(item.id)
    assert (sent.state, sent.attempts, sent.waiting_for) == (OutboxState.SENT, 1, "")


def test_after_waiting_the_full_attempt_budget_is_still_there():
    down = DeliveryError("Microsoft Graph unreachable (sendMail): refused", temporary=True)
    sender = Scripted(SignInRequiredError(), SignInRequiredError(), SignInRequiredError(), down, down, down)
    clock, outbox, events, worker, item = waiting_rig(lambda i: sender, max_attempts=3)
    for _ in range(5):
        worker.run_once()
        clock.now += 100
    assert outbox.get(item.id).state is OutboxState.RETRY  # 3 waits + 2 real attempts
    worker.run_once()
    failed = outbox.get(item.id)
    assert failed.state is OutboxState.FAILED
    assert failed.last_error.startswith("gave up after 3 attempts: Microsoft Graph unreachable")
    assert [e.kind for e in events] == ["held"] * 3 + ["retry", "retry", "failed"]


def test_a_permanent_error_is_never_taken_for_a_sign_in_wait():
    refused = DeliveryError("Microsoft Graph 403 ErrorAccessDenied: no Mail.Send", temporary=False)
    refused.sign_in_required = True  # type: ignore[attr-defined]
    _clock, outbox, _events, worker, item = waiting_rig(lambda i: Scripted(refused))
    worker.run_once()
    assert outbox.get(item.id).state is OutboxState.FAILED


def test_waiting_for_an_account_uses_no_attempts_either():
    senders: list[Scripted] = []

    def resolve(item: OutboxItem) -> Scripted:
        if not senders:
            raise NoAccountError(NO_ACCOUNT)
        return senders[0]

    down = DeliveryError("451 try later", temporary=True)
    clock, outbox, _events, worker, item = waiting_rig(resolve, max_attempts=2)
    for _ in range(6):
        worker.run_once()
        clock.now += 100
    assert outbox.get(item.id).attempts == 0
    assert outbox.get(item.id).waiting_for == WAIT_ACCOUNT
    senders.append(Scripted(down))
    worker.run_once()  # first real attempt: 451, one attempt left
    assert outbox.get(item.id).state is OutboxState.RETRY
    clock.now += 100
    worker.run_once()
    assert senders[0].sent == [RAW]


def test_signing_in_sends_the_waiting_mail_now_and_only_for_that_account():
    sender = Scripted(SignInRequiredError(), SignInRequiredError())
    _clock, outbox, _events, worker, item = waiting_rig(lambda i: sender)
    other = outbox.store(RAW, ENV, subject="", message_id="", account="other", hold_seconds=0,
                         decision=decided)
    worker.run_once()
    assert {outbox.get(i.id).state for i in (item, other)} == {OutboxState.RETRY}
    assert worker.run_once() == 0  # next try is a minute away
    assert worker.retry_waiting(WAIT_ACCOUNT) == 0  # they wait for a sign-in, not an account
    assert worker.retry_waiting(WAIT_SIGN_IN, lambda i: i.account == "m365") == 1
    assert worker.run_once() == 1  # no clock change: due now
    assert outbox.get(item.id).state is OutboxState.SENT
    assert outbox.get(other.id).state is OutboxState.RETRY
    assert sender.sent == [RAW]


def test_waits_across_claims_and_restarts_use_no_attempt_then_a_451_uses_one(tmp_path):
    paths = DataPaths.resolve(tmp_path / "data", policy_file=tmp_path / "none.json")
    clock = ManualClock(1_000_000.0)
    senders: list[Scripted] = []

    def resolve(item: OutboxItem) -> Scripted:
        if not senders:
            raise NoAccountError(NO_ACCOUNT)
        return senders[0]

    def restart() -> tuple[SqliteOutbox, DeliveryWorker]:
        outbox = SqliteOutbox(paths, clock=clock)  # a new process on the same data dir
        outbox.recover()
        worker = DeliveryWorker(outbox, resolve, MemoryAudit(), clock=clock, retry_policy=lambda:
                                RetryPolicy(base_seconds=30, cap_seconds=100, max_attempts=2))
        return outbox, worker

    outbox, worker = restart()
    item = outbox.store(RAW, ENV, subject="s", message_id="<m@x>", account="m365", hold_seconds=0,
                        decision=decided)
    for _ in range(3):
        for _ in range(2):  # two claims that wait for an account
            assert worker.run_once() == 1
            clock.now += 100
        assert outbox.get(item.id).waiting_for == WAIT_ACCOUNT
        outbox.claim_due()  # then the app dies with the mail claimed
        outbox.close()
        outbox, worker = restart()
    assert outbox.get(item.id).attempts == 0
    senders.append(Scripted(SignInRequiredError(), SignInRequiredError()))
    for _ in range(2):  # the sender's own try stops at the sign-in: still no attempt
        worker.run_once()
        clock.now += 100
    outbox.close()
    outbox, worker = restart()
    waiting = outbox.get(item.id)
    assert (waiting.attempts, waiting.waiting_for) == (0, WAIT_SIGN_IN)
    senders[0] = Scripted(DeliveryError("451 4.7.1 greylisted", temporary=True))
    worker.run_once()
    greylisted = outbox.get(item.id)
    assert (greylisted.state, greylisted.attempts, greylisted.waiting_for) == (
        OutboxState.RETRY, 1, "")
    outbox.close()
