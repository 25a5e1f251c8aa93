"""Due mail waits for a pause in the relay's clients (bounded), stays HELD meanwhile; the relay
tells when its clients speak."""

from __future__ import annotations

import smtplib
import threading
import time
from collections.abc import Iterator

import pytest

from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import OutboxItem, OutboxState
from missend_guard.transports.activity import Activity
from missend_guard.transports.delivery import PAUSE_AT_MOST_SECONDS, DeliveryWorker
from missend_guard.transports.relay import RELAY_USER, Relay
from missend_guard.transports.senders.smtp import SmtpAccount, SmtpSender
from tests.conftest import find_free_port
from tests.helpers.clock import ManualClock
from tests.helpers.fake_ports import MemoryAudit, MemoryOutbox
from tests.helpers.mails import jis_mail

RAW = jis_mail(to=[("佐藤 花子", "hanako@abc-trading.co.jp")])
ENV = Envelope("ken@example.co.jp", ("hanako@abc-trading.co.jp",))


class Rig:
    def __init__(self, port: int) -> None:
        self.clock = ManualClock(1_000_000.0)
        self.outbox = MemoryOutbox(self.clock)
        self.clients = Activity(settle=0.05)
        sender = SmtpSender(SmtpAccount("up", "127.0.0.1", port, "none"), lambda: None, timeout=5)
        self.worker = DeliveryWorker(self.outbox, lambda item: sender, MemoryAudit(),
                                     clock=self.clock, foreground=self.clients)

    def store(self) -> OutboxItem:
        return self.outbox.store(RAW, ENV, subject="s", message_id="<m@x>", account="up",
                                 hold_seconds=0, decision=lambda item: AuditEvent(
                                     kind="decision", message_id=item.message_id, decision="send"))

    def state(self, item: OutboxItem) -> OutboxState:
        fresh = self.outbox.get(item.id)
        assert fresh is not None
        return fresh.state

    def run_once(self) -> tuple[threading.Thread, list[int]]:
        claimed: list[int] = []
        thread = threading.Thread(target=lambda: claimed.append(self.worker.run_once()), daemon=True)
        thread.start()
        return thread, claimed


@pytest.fixture
def rig(smtp_sink) -> Rig:
    return Rig(smtp_sink.port)


def test_due_mail_waits_held_while_a_client_submits_and_goes_once_after(rig, smtp_sink):
    item = rig.store()
    with rig.clients.busy():  # a mail program's DATA is being received
        thread, claimed = rig.run_once()
        thread.join(0.4)
        assert thread.is_alive()
        assert smtp_sink.messages == []
        assert rig.state(item) is OutboxState.HELD  # not claimed: Undo still works
    thread.join(5)
    assert claimed == [1]
    assert [m.data for m in smtp_sink.messages] == [RAW]
    assert rig.state(item) is OutboxState.SENT


def test_undo_during_the_wait_returns_the_mail_and_nothing_is_sent(rig, smtp_sink):
    item = rig.store()
    with rig.clients.busy():
        thread, claimed = rig.run_once()
        thread.join(0.3)
        assert thread.is_alive()
        rig.outbox.undo(item.id)  # the user, in the tray, while another mail is being submitted
    thread.join(5)
    assert claimed == [0]
    assert rig.state(item) is OutboxState.RETURNED
    assert smtp_sink.messages == []
    rig.store()  # the sink would have taken a mail: this one goes, the undone one never
    assert rig.worker.run_once() == 1
    assert [m.data for m in smtp_sink.messages] == [RAW]


def test_a_client_that_keeps_talking_delays_due_mail_at_most_the_bound(rig, smtp_sink):
    item = rig.store()
    stop = threading.Event()

    def chatty() -> None:  # commands every 10 ms: never a 50 ms pause
        while not stop.is_set():
            rig.clients.touch()
            time.sleep(0.01)

    talker = threading.Thread(target=chatty, daemon=True)
    talker.start()
    try:
        thread, claimed = rig.run_once()
        thread.join(0.4)
        assert thread.is_alive()
        assert smtp_sink.messages == []
        rig.clock.now += PAUSE_AT_MOST_SECONDS  # the mail has waited as long as it may
        thread.join(5)
        assert claimed == [1]
        assert [m.data for m in smtp_sink.messages] == [RAW]
        assert rig.state(item) is OutboxState.SENT
    finally:
        stop.set()
        talker.join()


def test_nothing_due_means_no_wait_and_mail_due_long_ago_goes_at_once(rig, smtp_sink):
    assert rig.worker.run_once() == 0  # quick even while busy: nothing to wait for
    item = rig.store()
    rig.clock.now += PAUSE_AT_MOST_SECONDS + 1
    with rig.clients.busy():
        assert rig.worker.run_once() == 1
    assert rig.state(item) is OutboxState.SENT
    assert len(smtp_sink.messages) == 1


def test_stop_while_waiting_for_a_pause_leaves_the_mail_held_and_unsent(rig, smtp_sink):
    item = rig.store()
    with rig.clients.busy():
        rig.worker.start()
        time.sleep(0.3)
        started = time.monotonic()
        rig.worker.stop(timeout=5)
        assert time.monotonic() - started < 1.0
    assert smtp_sink.messages == []
    assert rig.state(item) is OutboxState.HELD


def test_activity_settles_after_the_last_command_and_stays_busy_during_data():
    clock = ManualClock(50.0)
    clients = Activity(settle=0.1, clock=clock)
    assert clients.quiet_in() == 0
    clients.touch()
    assert clients.quiet_in() == pytest.approx(0.1)
    clock.now += 0.04
    assert clients.quiet_in() == pytest.approx(0.06)
    clock.now += 0.06
    assert clients.quiet_in() == 0
    with clients.busy():
        clock.now += 60  # a long transfer, or a review the user takes a minute over
        assert clients.quiet_in() == pytest.approx(0.1)
    assert clients.quiet_in() == pytest.approx(0.1)  # the reply is a moment of activity too
    clock.now += 0.1
    assert clients.quiet_in() == 0


class _Held:
    """A gate that holds DATA until told (a review under way)."""

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.release = threading.Event()

    def __call__(self, raw: bytes, envelope: Envelope, cancelled: object = None, **_: object):
        from missend_guard.core.gate import Outcome

        self.inside.set()
        self.release.wait(10)
        return Outcome(550, "5.7.1 cancelled in review")


@pytest.fixture
def relay() -> Iterator[tuple[Relay, _Held, Activity]]:
    gate = _Held()
    clients = Activity(settle=0.2)
    relay = Relay(gate, password=lambda: "pw", port=find_free_port(), activity=clients)
    relay.start()
    try:
        yield relay, gate, clients
    finally:
        gate.release.set()
        relay.stop()


def test_the_relay_reports_each_command_and_a_message_being_decided(relay):
    relay_, gate, clients = relay
    time.sleep(0.25)
    assert clients.quiet_in() == 0  # listening, nobody talking
    with smtplib.SMTP("127.0.0.1", relay_.port, timeout=10) as smtp:
        smtp.ehlo()
        assert clients.quiet_in() > 0.1
        smtp.login(RELAY_USER, "pw")
        smtp.mail("ken@example.co.jp")
        smtp.rcpt("hanako@abc-trading.co.jp")
        replies: list[int] = []
        sending = threading.Thread(target=lambda: replies.append(smtp.data(RAW)[0]))
        sending.start()
        assert gate.inside.wait(10)
        time.sleep(0.3)  # longer than the settle time: silent, but its DATA is being decided
        assert clients.quiet_in() == pytest.approx(0.2)
        gate.release.set()
        sending.join(10)
        assert replies == [550]
    # A lone session: its end is a pause at once, well before the 0.2 s settle time.
    deadline = time.monotonic() + 0.15
    while clients.quiet_in() > 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert clients.quiet_in() == 0


def test_sessions_in_a_burst_keep_the_settle_time_after_the_last_one(relay):
    relay_, _gate, clients = relay
    for _ in range(2):  # the second connects right after the first closed
        with smtplib.SMTP("127.0.0.1", relay_.port, timeout=10) as smtp:
            smtp.ehlo()
    time.sleep(0.05)  # its connection is gone by now
    assert 0 < clients.quiet_in() <= 0.2
    time.sleep(0.2)
    assert clients.quiet_in() == 0


def test_a_lone_session_ends_quiet_at_once_a_burst_keeps_the_settle_time():
    clock = ManualClock(10.0)
    clients = Activity(settle=0.1, clock=clock)
    clients.connected()
    clock.now += 0.05
    clients.touch()  # QUIT
    assert clients.quiet_in() == pytest.approx(0.1)
    clients.disconnected()
    assert clients.quiet_in() == 0  # nobody else is on the way: the send may start now
    clock.now += 0.02
    clients.connected()  # 20 ms after that close: a burst (a mail program sending its queue)
    clock.now += 0.05
    clients.disconnected()
    assert clients.quiet_in() == pytest.approx(0.1)  # the next one is probably coming
    clock.now += 0.5
    clients.connected()  # after a pause: a lone session again
    clients.connected()  # ...while another client connects
    clients.disconnected()
    assert clients.quiet_in() == pytest.approx(0.1)  # one is still talking
    clients.disconnected()
    assert clients.quiet_in() == 0
