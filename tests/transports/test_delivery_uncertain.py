"""The worker never sends twice on its own: lost replies and crashes after the point of no return
make mail UNCERTAIN; a 250 the disk cannot record is kept and written later; old sent mail goes."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence

import pytest

from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import DeliveryEvent, OutboxItem, OutboxState, StorageError
from missend_guard.core.ports.sending import DeliveryError
from missend_guard.storage.outbox.store import SqliteOutbox
from missend_guard.storage.paths import DataPaths
from missend_guard.transports.delivery import (
    LOOK_FIRST_SECONDS,
    LOOK_WINDOW_SECONDS,
    DeliveryWorker,
    RetryPolicy,
)
from missend_guard.transports.senders.smtp import SmtpAccount, SmtpSender
from tests.helpers.clock import ManualClock
from tests.helpers.fake_ports import MemoryAudit, MemoryOutbox
from tests.helpers.mails import jis_mail

RAW = jis_mail(to=[("佐藤 花子", "hanako@abc-trading.co.jp")])
ENV = Envelope("ken@example.co.jp", ("hanako@abc-trading.co.jp", "boss@example.co.jp"))
UN, OK, RT, S = (OutboxState.UNCERTAIN, OutboxState.SENT, OutboxState.RETRY,
                 OutboxState.SENDING)


def decided(item: OutboxItem) -> AuditEvent:
    return AuditEvent(kind="decision", message_id=item.message_id, decision="send")




class Rig:
    def __init__(self, sender: object, outbox: MemoryOutbox | None = None, *,
                 retention: Callable[[], int] | None = None) -> None:
        self.clock = ManualClock(1_000_000.0)
        self.outbox = outbox or MemoryOutbox(self.clock)
        self.outbox.clock = self.clock
        self.audit = MemoryAudit()
        self.events: list[DeliveryEvent] = []
        self.worker = DeliveryWorker(
            self.outbox, lambda item: sender, self.audit, on_event=self.events.append,
            clock=self.clock, sent_retention_days=retention,
            retry_policy=lambda: RetryPolicy(base_seconds=30, cap_seconds=100, max_attempts=4),
        )

    def store(self) -> OutboxItem:
        return self.outbox.store(RAW, ENV, subject="s", message_id="<m@x>", account="up",
                                 hold_seconds=0, decision=decided)

    def state(self, item: OutboxItem) -> OutboxItem:
        fresh = self.outbox.get(item.id)
        assert fresh is not None
        return fresh

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]


def smtp(sink, timeout: float = 5) -> SmtpSender:
    return SmtpSender(SmtpAccount("up", "127.0.0.1", sink.port, "none"), lambda: None,
                      timeout=timeout)


def test_a_connection_dropped_after_the_final_dot_leaves_one_copy_and_asks(smtp_sink):
    smtp_sink.handler.drop_reply = True
    rig = Rig(smtp(smtp_sink))
    item = rig.store()
    rig.worker.run_once()
    doubtful = rig.state(item)
    assert doubtful.state is UN
    assert "may have been delivered" in doubtful.last_error
    assert doubtful.next_retry is None  # SMTP cannot look: only the user decides
    assert rig.kinds() == ["uncertain"]
    assert rig.audit.kinds() == [("delivery", "uncertain")]
    for _ in range(5):  # however long the app keeps running
        rig.clock.now += 3600
        assert rig.worker.run_once() == 0
    assert [m.data for m in smtp_sink.messages] == [RAW]
    assert rig.state(item).state is UN

    rig.outbox.resend(item.id)  # the user: "Send again"
    rig.worker.run_once()
    sent = rig.state(item)
    assert (sent.state, sent.attempts) == (OK, 2)
    assert len(smtp_sink.messages) == 2  # the user chose a possible second copy


def test_a_reply_that_comes_too_late_is_uncertain_not_retried(smtp_sink):
    smtp_sink.handler.delay = 3
    rig = Rig(smtp(smtp_sink, timeout=1))
    item = rig.store()
    rig.worker.run_once()
    assert rig.state(item).state is UN
    assert rig.state(item).attempts == 1
    assert len(smtp_sink.messages) == 1


class Committing:
    """A sender that passes its point of no return, then fails as scripted (or delivers)."""

    def __init__(self, *errors: BaseException, found: Sequence[str | None] = ()) -> None:
        self.errors = list(errors)
        self.found = list(found)
        self.sent: list[bytes] = []
        self.looks = 0

    def send(self, raw: bytes, mail_from: str, rcpt_tos: object, *,
             on_committing: Callable[[], None] | None = None) -> str:
        assert on_committing is not None
        on_committing()
        self.sent.append(raw)
        if self.errors:
            raise self.errors.pop(0)
        return "250 ok"


class Looking(Committing):
    """Committing, and able to look upstream like Graph's Sent Items search."""

    def find_delivered(self, raw: bytes, mail_from: str, rcpt_tos: Sequence[str]) -> str | None:
        self.looks += 1
        answer = self.found.pop(0) if self.found else None
        if answer == "error":
            raise DeliveryError("Microsoft Graph unreachable (look for an earlier send)",
                                temporary=True)
        return answer


def test_our_own_error_after_the_point_of_no_return_is_uncertain_too():
    sender = Committing(RuntimeError("bug after the dot"))
    rig = Rig(sender)
    item = rig.store()
    rig.worker.run_once()
    assert rig.state(item).state is UN
    assert "internal error after handing over" in rig.state(item).last_error


def test_a_plain_failure_after_the_point_of_no_return_is_retried():
    sender = Committing(DeliveryError("451 4.7.1 greylisted", temporary=True))
    rig = Rig(sender)
    item = rig.store()
    rig.worker.run_once()
    assert (rig.state(item).state, rig.state(item).attempts) == (RT, 1)


def test_a_sender_that_can_look_finds_the_lost_mail_and_it_becomes_sent():
    lost = DeliveryError("Microsoft Graph unreachable (sendMail): disconnected", temporary=True,
                         uncertain=True)
    sender = Looking(lost, found=[None, "error", "Microsoft Graph: already sent (AAMk-1)"])
    rig = Rig(sender)
    item = rig.store()
    rig.worker.run_once()
    assert rig.state(item).next_retry == rig.clock.now + LOOK_FIRST_SECONDS
    rig.clock.now += LOOK_FIRST_SECONDS - 1
    rig.worker.run_once()
    assert sender.looks == 0  # not yet
    for _ in range(2):  # not found yet, then Graph unreachable: looked for again later
        rig.clock.now = rig.state(item).next_retry
        rig.worker.run_once()
        assert rig.state(item).state is UN
    assert sender.looks == 2
    rig.clock.now = rig.state(item).next_retry
    rig.worker.run_once()
    sent = rig.state(item)
    assert sent.state is OK
    assert rig.outbox.replies[item.id] == "Microsoft Graph: already sent (AAMk-1)"
    assert sender.sent == [RAW]  # never a resend
    assert rig.kinds() == ["uncertain", "sent"]
    assert rig.audit.kinds() == [("delivery", "uncertain"), ("delivery", "sent")]


def test_a_copy_not_found_within_the_window_is_left_to_the_user():
    lost = DeliveryError("no reply", temporary=True, uncertain=True)
    sender = Looking(lost)
    rig = Rig(sender)
    item = rig.store()
    started = rig.clock.now
    rig.worker.run_once()
    looks_at: list[float] = []
    while rig.state(item).next_retry is not None:
        rig.clock.now = rig.state(item).next_retry
        looks_at.append(rig.clock.now - started)
        rig.worker.run_once()
        assert len(looks_at) < 20
    assert looks_at[0] == LOOK_FIRST_SECONDS
    assert looks_at[-1] == LOOK_WINDOW_SECONDS
    assert all(b > a for a, b in itertools.pairwise(looks_at))
    assert rig.state(item).state is UN
    assert sender.sent == [RAW]


def test_a_restart_after_the_point_of_no_return_asks_and_never_resends(tmp_path):
    paths = DataPaths.resolve(tmp_path / "data", policy_file=tmp_path / "none.json")
    clock = ManualClock(1_000_000.0)
    first = SqliteOutbox(paths, clock=clock)
    item = first.store(RAW, ENV, subject="s", message_id="<m@x>", account="up", hold_seconds=0,
                       decision=decided)
    first.claim_due()
    first.begin_attempt(item.id)
    first.mark_delivering(item.id)
    first.close()  # killed while waiting for the reply to the final dot

    sender = Committing()
    outbox = SqliteOutbox(paths, clock=clock)
    events: list[DeliveryEvent] = []
    worker = DeliveryWorker(outbox, lambda i: sender, MemoryAudit(), on_event=events.append,
                            clock=clock)
    assert worker.start() == 0
    worker.stop()
    for _ in range(3):
        clock.now += 3600
        worker.run_once()
    assert sender.sent == []
    assert outbox.get(item.id).state is UN
    assert [e.kind for e in events] == ["uncertain"]
    outbox.close()


# -- a 250 the disk cannot record ---------------------------------------------------------------


class FullDisk(MemoryOutbox):
    """mark_sent fails as SQLite does on a full disk until `space` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.space = False
        self.refused = 0

    def mark_sent(self, item_id: str, reply: str) -> OutboxItem:
        if not self.space:
            self.refused += 1
            raise StorageError("The outbox database could not be updated: database or disk is full")
        return super().mark_sent(item_id, reply)


def test_a_250_the_disk_refuses_is_kept_and_recorded_later_never_resent(smtp_sink):
    outbox = FullDisk()
    rig = Rig(smtp(smtp_sink), outbox)
    item = rig.store()
    rig.worker.run_once()
    assert rig.worker.unrecorded == (item.id,)
    assert rig.state(item).state is S  # on disk: past the point of no return
    assert rig.events == []
    for _ in range(3):
        rig.clock.now += 3600
        rig.worker.run_once()  # a pass before the backoff: no write, and never a resend
    time.sleep(0.6)
    rig.worker.run_once()
    assert outbox.refused == 2  # tried again after the backoff, still full
    outbox.space = True
    time.sleep(1.1)
    rig.worker.run_once()
    assert rig.worker.unrecorded == ()
    assert rig.state(item).state is OK
    assert rig.kinds() == ["sent"]
    assert rig.audit.kinds() == [("delivery", "sent")]
    assert [m.data for m in smtp_sink.messages] == [RAW]


def test_stop_writes_what_it_can_and_says_what_it_could_not(smtp_sink, caplog):
    outbox = FullDisk()
    rig = Rig(smtp(smtp_sink), outbox)
    item = rig.store()
    rig.worker.run_once()
    rig.worker.stop()
    assert "shown as uncertain at the next start" in caplog.text
    outbox.space = True
    rig.worker.stop()
    assert rig.state(item).state is OK


# -- retention ----------------------------------------------------------------------------------


def sent_item(rig: Rig) -> OutboxItem:
    item = rig.store()
    rig.outbox.claim_due()
    rig.outbox.begin_attempt(item.id)
    return rig.outbox.mark_sent(item.id, "250 ok")


@pytest.mark.parametrize("days", [30, 0])
def test_sent_mail_older_than_the_setting_is_deleted_at_start_and_daily(days):
    rig = Rig(Committing(), retention=lambda: days)
    old = sent_item(rig)
    rig.clock.now += 31 * 86400
    recent = sent_item(rig)
    rig.worker.start()  # at start
    rig.worker.stop()
    assert {i.id for i in rig.outbox.items()} == ({recent.id} if days else {old.id, recent.id})
    rig.clock.now += 12 * 3600
    rig.worker.run_once()  # not yet a day since the last purge
    rig.clock.now += 30 * 86400
    rig.worker.run_once()  # the daily pass: recent is 30.5 days old now
    assert len(rig.outbox.items()) == (0 if days else 2)


def test_at_start_uncertain_mail_is_looked_for_at_once():
    lost = DeliveryError("no reply", temporary=True, uncertain=True)
    sender = Looking(lost, found=["Microsoft Graph: already sent (AAMk-2)"])
    rig = Rig(sender)
    item = rig.store()
    rig.worker.run_once()
    assert rig.state(item).next_retry == rig.clock.now + LOOK_FIRST_SECONDS
    rig.worker.start()  # a restart long before that: the look is not put off
    deadline = time.monotonic() + 10
    while rig.state(item).state is not OK and time.monotonic() < deadline:
        time.sleep(0.05)
    rig.worker.stop()
    assert (rig.state(item).state, sender.looks, sender.sent) == (OK, 1, [RAW])
