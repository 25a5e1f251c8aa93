"""The relay's DATA spool kept as the stored message: written once, never left behind."""

from __future__ import annotations

import os
import stat

import pytest

from missend_guard.core.ports.outbox import OutboxState
from missend_guard.storage.outbox.store import SqliteOutbox
from tests.storage.outbox.test_store import ENV, decided, japanese_eml


@pytest.fixture
def outbox(paths, clock):
    box = SqliteOutbox(paths, clock=clock)
    yield box
    box.close()


def _spooled(outbox: SqliteOutbox, raw: bytes):
    spool = outbox.open_spool()
    spool.file.write(raw)
    return spool


def _store(outbox: SqliteOutbox, raw: bytes, spool):
    return outbox.store(raw, ENV, subject="s", message_id="<m@x>", account="会社",
                        hold_seconds=10, decision=decided, spool=spool)


def _parts(paths) -> list[str]:
    return sorted(p.name for p in paths.outbox_dir.iterdir() if p.suffix == ".part")


def test_a_spool_holding_the_message_becomes_the_eml_without_a_second_write(outbox, paths):
    raw = japanese_eml(1)
    spool = _spooled(outbox, raw)
    assert stat.S_IMODE(os.stat(spool.path).st_mode) == 0o600
    inode = os.stat(spool.path).st_ino
    item = _store(outbox, raw, spool)
    spool.discard()  # the relay always discards when the DATA is done: the kept file stays
    final = outbox.message_file(item.id)
    assert os.stat(final).st_ino == inode  # renamed, not copied
    assert outbox.read(item.id) == raw
    assert outbox.get(item.id).state is OutboxState.HELD
    assert _parts(paths) == []


def test_a_spool_holding_other_bytes_is_not_kept(outbox, paths):
    raw = japanese_eml(2)
    spool = _spooled(outbox, raw + b"more than was checked\r\n")
    item = _store(outbox, raw, spool)
    assert os.stat(outbox.message_file(item.id)).st_ino != os.stat(spool.path).st_ino
    assert outbox.read(item.id) == raw
    spool.discard()
    assert _parts(paths) == []


def test_a_discarded_spool_leaves_nothing(outbox, paths):
    spool = _spooled(outbox, japanese_eml(3))
    spool.discard()
    spool.discard()
    assert _parts(paths) == []


def test_a_spool_left_by_a_crash_is_deleted_at_start_but_an_open_one_is_not(outbox, paths, clock):
    (paths.outbox_dir / "spool-abc123.part").write_bytes(b"DATA of a client that never got 250")
    live = _spooled(outbox, japanese_eml(4))
    recovery = outbox.recover()
    assert recovery.removed_files == ("spool-abc123.part",)
    assert _parts(paths) == [live.path.name]
    item = _store(outbox, japanese_eml(4), live)
    assert outbox.read(item.id) == japanese_eml(4)


def test_a_failed_commit_keeps_neither_the_eml_nor_the_spool(outbox, paths):
    raw = japanese_eml(5)
    spool = _spooled(outbox, raw)

    def broken(item):
        raise RuntimeError("audit event could not be built")

    with pytest.raises(RuntimeError):
        outbox.store(raw, ENV, subject="s", message_id="<m@x>", account="a", hold_seconds=0,
                     decision=broken, spool=spool)
    spool.discard()
    assert sorted(p.name for p in paths.outbox_dir.iterdir()) == []
    assert outbox.items() == []
