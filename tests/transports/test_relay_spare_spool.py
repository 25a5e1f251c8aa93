"""The next DATA's spool is made ahead on a worker thread; a disk that refuses still gets a 451."""

from __future__ import annotations

import errno
import smtplib
from concurrent.futures import ThreadPoolExecutor

import pytest

from missend_guard.core.check.context import CheckContext
from missend_guard.core.gate import ApproveAllReviewer, Gate, GateSettings
from missend_guard.transports.relay import RELAY_USER, Relay
from missend_guard.transports.relay.data import TemporarySpool
from missend_guard.transports.relay.spare import SpareSpool
from tests.conftest import find_free_port
from tests.helpers.fake_ports import MemoryAudit, MemoryOutbox
from tests.helpers.mails import jis_mail

PASSWORD = "relay-Secret-123"
MAIL = jis_mail(to=[("鈴木 一郎", "ichiro@example.co.jp")])


class Disk:
    """Opens spools until told the disk is full; counts what it made and what was discarded."""

    def __init__(self) -> None:
        self.full = False
        self.made: list[TemporarySpool] = []

    def open(self) -> TemporarySpool:
        if self.full:
            raise OSError(errno.ENOSPC, "No space left on device")
        spool = TemporarySpool()
        self.made.append(spool)
        return spool


def _settle(executor: ThreadPoolExecutor) -> None:
    executor.submit(lambda: None).result(5)  # one worker: everything submitted before is done


def test_a_spool_is_made_ahead_and_handed_out_once():
    disk, executor = Disk(), ThreadPoolExecutor(1)
    spare = SpareSpool(disk.open, executor)
    spare.prepare()
    _settle(executor)
    [ready] = disk.made
    first = spare()
    assert first is ready
    _settle(executor)
    second = spare()
    assert second is disk.made[1]
    assert second is not first
    _settle(executor)
    spare.close()
    executor.shutdown()
    assert disk.made[2].file.closed  # the unused spare is deleted at close
    assert not first.file.closed  # the ones handed out belong to their DATA


def test_when_the_disk_refuses_the_spare_the_data_opens_its_own_and_reports_the_failure():
    disk, executor = Disk(), ThreadPoolExecutor(1)
    spare = SpareSpool(disk.open, executor)
    disk.full = True
    spare.prepare()
    _settle(executor)
    with pytest.raises(OSError, match="No space") as refused:
        spare()
    assert refused.value.errno == errno.ENOSPC
    disk.full = False
    assert spare() is disk.made[0]  # opened on the spot once space is back
    spare.close()
    executor.shutdown()


def test_the_relay_answers_451_while_the_disk_is_full_and_250_once_it_is_not():
    disk = Disk()
    outbox = MemoryOutbox()
    gate = Gate(CheckContext, ApproveAllReviewer(), outbox, MemoryAudit(),
                lambda: GateSettings(hold_seconds=60))
    relay = Relay(gate.process, password=lambda: PASSWORD, port=find_free_port(),
                  open_spool=disk.open)
    relay.start()
    try:
        with smtplib.SMTP("127.0.0.1", relay.port, timeout=30) as smtp:
            smtp.login(RELAY_USER, PASSWORD)
            disk.full = True
            relay._spare_spool._spare = None  # the one made at start is gone (used elsewhere)
            with pytest.raises(smtplib.SMTPDataError) as refused:
                smtp.sendmail("ken@example.co.jp", ["ichiro@example.co.jp"], MAIL)
            assert refused.value.smtp_code == 451
            assert outbox.items() == []
            disk.full = False
            assert smtp.sendmail("ken@example.co.jp", ["ichiro@example.co.jp"], MAIL) == {}
        assert [outbox.read(item.id) for item in outbox.items()] == [MAIL]
    finally:
        relay.stop()
