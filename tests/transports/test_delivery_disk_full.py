"""A 250 that arrives when the disk is full (a real small tmpfs): never sent again, recorded as
SENT as soon as space is freed."""

from __future__ import annotations

import threading
import time

import pytest

from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import DeliveryEvent, OutboxState
from missend_guard.storage.outbox.store import SqliteOutbox
from missend_guard.storage.paths import DataPaths
from missend_guard.transports.delivery import DeliveryWorker
from missend_guard.transports.senders.smtp import SmtpAccount, SmtpSender
from tests.helpers.fake_ports import MemoryAudit
from tests.helpers.mails import jis_mail
from tests.helpers.small_disk import fill, small_disk

pytestmark = pytest.mark.slow

RAW = jis_mail(to=[("佐藤 花子", "hanako@abc-trading.co.jp")])
ENV = Envelope("ken@example.co.jp", ("hanako@abc-trading.co.jp",))


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_250_that_meets_a_full_disk_is_recorded_once_space_returns(tmp_path, smtp_sink):
    with small_disk(tmp_path / "disk", 4096) as disk:
        paths = DataPaths.resolve(disk / "data", policy_file=tmp_path / "none.json")
        outbox = SqliteOutbox(paths)
        sender = SmtpSender(SmtpAccount("up", "127.0.0.1", smtp_sink.port, "none"), lambda: None)
        events: list[DeliveryEvent] = []
        worker = DeliveryWorker(outbox, lambda item: sender, MemoryAudit(),
                                on_event=events.append)
        smtp_sink.handler.release = threading.Event()
        worker.start()
        try:
            item = outbox.store(RAW, ENV, subject="s", message_id="<m@x>", account="up",
                                hold_seconds=0,
                                decision=lambda i: AuditEvent(kind="decision", decision="send"))
            worker.wake()
            assert smtp_sink.handler.data_started.wait(30)  # the upstream has it, 250 pending
            filler = fill(disk)
            smtp_sink.handler.release.set()  # now the 250: recording it meets the full disk
            wait_until(lambda: worker.unrecorded == (item.id,))
            time.sleep(2)  # a few tries of recording, all refused; no resend meanwhile
            assert outbox.get(item.id).state is OutboxState.SENDING
            assert len(smtp_sink.messages) == 1
            filler.unlink()
            wait_until(lambda: outbox.get(item.id).state is OutboxState.SENT)
            assert worker.unrecorded == ()
            time.sleep(1)
        finally:
            worker.stop()
            outbox.close()
    assert [m.data for m in smtp_sink.messages] == [RAW]  # exactly one copy
    assert [e.kind for e in events] == ["sent"]
