"""The relay spools DATA into the outbox's own file; a stored mail keeps it, every other end deletes it."""

from __future__ import annotations

import smtplib
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.policy import Policy
from missend_guard.core.gate import Gate, GateSettings, HeadlessReviewer
from missend_guard.storage.outbox.spool import FileSpool
from missend_guard.storage.outbox.store import SqliteOutbox
from missend_guard.storage.paths import DataPaths
from missend_guard.transports.relay import RELAY_USER, Relay
from tests.conftest import find_free_port
from tests.helpers.fake_ports import MemoryAudit
from tests.helpers.mails import jis_mail

PASSWORD = "relay-Secret-123"
POLICY = Policy(internal_domains=frozenset({"example.co.jp"}),
                blocked_domains=frozenset({"rival.example"}))
FROM = "ken@example.co.jp"


class Rig:
    """A real relay, gate and SQLite outbox; remembers every spool the relay opened."""

    def __init__(self, root: Path) -> None:
        self.paths = DataPaths.resolve(root / "data", policy_file=root / "policy.json")
        self.outbox = SqliteOutbox(self.paths)
        self.spools: list[FileSpool] = []
        context = CheckContext(policy=POLICY)
        gate = Gate(lambda: context, HeadlessReviewer(), self.outbox, MemoryAudit(),
                    lambda: GateSettings(hold_seconds=60))
        self.relay = Relay(gate.process, password=lambda: PASSWORD, port=find_free_port(),
                           data_size_limit=200_000, open_spool=self._open_spool)

    def _open_spool(self) -> FileSpool:
        spool = self.outbox.open_spool()
        self.spools.append(spool)
        return spool

    def client(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP("127.0.0.1", self.relay.port, timeout=30)
        smtp.login(RELAY_USER, PASSWORD)
        return smtp

    def files(self) -> list[str]:
        """Suffixes in outbox/, the empty spool made ready for the next DATA left out."""
        spare = self.settled_spare()
        return sorted(p.suffix for p in self.paths.outbox_dir.iterdir()
                      if spare is None or p != spare.path)

    def settled_spare(self) -> FileSpool | None:
        """The spool made ready for the next DATA, once its worker thread is done making it."""
        spare_spool = self.relay._spare_spool
        deadline = time.monotonic() + 5
        while spare_spool._making and time.monotonic() < deadline:
            time.sleep(0.01)
        spare = spare_spool._spare
        assert spare is None or isinstance(spare, FileSpool)
        return spare


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    rig = Rig(tmp_path)
    rig.relay.start()
    try:
        yield rig
    finally:
        rig.relay.stop()
        rig.outbox.close()


def test_a_stored_mail_is_the_spool_itself(rig):
    raw = jis_mail(to=[("鈴木 一郎", "ichiro@example.co.jp")], padding=50_000)
    with rig.client() as smtp:
        assert smtp.sendmail(FROM, ["ichiro@example.co.jp"], raw) == {}
    [item] = rig.outbox.items()
    spool = rig.spools[0]  # made ready at start, before the client connected
    assert spool.path == rig.outbox.message_file(item.id)  # renamed into place, not written again
    assert rig.outbox.read(item.id) == raw
    assert rig.files() == [".eml"]


def test_each_data_gets_a_spool_made_before_it_and_stop_deletes_the_unused_one(rig):
    raw = jis_mail(to=[("鈴木 一郎", "ichiro@example.co.jp")], padding=20_000)
    for _ in range(3):
        spare = rig.settled_spare()
        assert spare is not None
        assert spare.path.exists()
        with rig.client() as smtp:
            assert smtp.sendmail(FROM, ["ichiro@example.co.jp"], raw) == {}
        stored = rig.outbox.items(newest_first=True)[0]
        assert rig.outbox.message_file(stored.id) == spare.path  # the DATA went into it
    assert len({id(spool) for spool in rig.spools}) == len(rig.spools) == 4
    rig.relay.stop()
    assert sorted(p.suffix for p in rig.paths.outbox_dir.iterdir()) == [".eml"] * 3


def test_bare_line_ends_are_stored_as_checked_and_the_spool_is_deleted(rig):
    raw = jis_mail(to=[("鈴木 一郎", "ichiro@example.co.jp")]).replace(b"\r\n", b"\n")
    with rig.client() as smtp:
        smtp.docmd("MAIL", f"FROM:<{FROM}>")
        smtp.docmd("RCPT", "TO:<ichiro@example.co.jp>")
        assert smtp.docmd("DATA")[0] == 354
        smtp.send(raw + b"\r\n.\r\n")
        assert smtp.getreply()[0] == 250
    [item] = rig.outbox.items()
    assert rig.outbox.read(item.id) == (raw + b"\r\n").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    assert rig.spools[0].path != rig.outbox.message_file(item.id)
    assert rig.files() == [".eml"]


def test_a_refused_mail_leaves_no_file(rig):
    raw = jis_mail(to=[("営業部", "sales@rival.example")])
    with rig.client() as smtp, pytest.raises(smtplib.SMTPDataError) as refused:
        smtp.sendmail(FROM, ["sales@rival.example"], raw)
    assert refused.value.smtp_code == 550
    assert rig.outbox.items() == []
    assert rig.spools  # it was spooled, then deleted
    assert rig.files() == []


def test_too_much_data_leaves_no_file(rig):
    raw = jis_mail(to=[("鈴木 一郎", "ichiro@example.co.jp")], padding=300_000)
    with rig.client() as smtp:  # no SIZE= in MAIL: the limit is met in the middle of DATA
        smtp.docmd("MAIL", f"FROM:<{FROM}>")
        smtp.docmd("RCPT", "TO:<ichiro@example.co.jp>")
        assert smtp.docmd("DATA")[0] == 354
        smtp.send(raw + b"\r\n.\r\n")
        assert smtp.getreply()[0] == 552
    assert rig.spools
    assert rig.files() == []


def test_a_client_gone_in_the_middle_of_data_leaves_no_file(rig):
    with rig.client() as smtp:
        smtp.docmd("MAIL", f"FROM:<{FROM}>")
        smtp.docmd("RCPT", "TO:<ichiro@example.co.jp>")
        assert smtp.docmd("DATA")[0] == 354
        smtp.send(b"Subject: half\r\n\r\n" + b"x" * 60_000)
        assert smtp.sock is not None
        smtp.sock.shutdown(socket.SHUT_RDWR)
        smtp.close()
    deadline = time.monotonic() + 5  # the relay notices the lost connection on its own loop
    while (not rig.spools or rig.files()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert rig.spools
    assert rig.files() == []
