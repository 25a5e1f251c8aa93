from __future__ import annotations

import errno
import os
import sqlite3
import threading
from collections import Counter
from dataclasses import fields
from email.header import Header
from email.mime.text import MIMEText

import pytest

from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import WAIT_SIGN_IN, OutboxItem, OutboxState, StorageError
from missend_guard.storage.audit import SqliteAuditLog
from missend_guard.storage.outbox.schema import MIGRATIONS
from missend_guard.storage.outbox.store import SqliteOutbox
from missend_guard.storage.outbox.transitions import OutboxError
from missend_guard.storage.sqlite import Database

ENV = Envelope("ken.yamamoto@example.co.jp", ("hanako.sato@abc-trading.co.jp", "bcc@example.com"))


def japanese_eml(n: int = 0) -> bytes:
    """A real ISO-2022-JP message, as Japanese mail clients still send it."""
    msg = MIMEText(f"佐藤様\r\n\r\nお世話になっております。資料{n}をお送りします。\r\n", "plain",
                   "iso-2022-jp")
    msg["Subject"] = Header(f"お見積りの件 {n}", "iso-2022-jp").encode()
    msg["From"] = "ken.yamamoto@example.co.jp"
    msg["To"] = "hanako.sato@abc-trading.co.jp"
    msg["Message-ID"] = f"<{n}@example.co.jp>"
    return msg.as_bytes().replace(b"\n", b"\r\n")


def decided(item):
    return AuditEvent(kind="decision", message_id=item.message_id, subject=item.subject,
                      recipients=item.rcpt_tos, decision="send", decided_by="user",
                      detail=f"queued as {item.id}")


def store(outbox, n=0, hold=10.0, decision=decided):
    return outbox.store(japanese_eml(n), ENV, subject=f"お見積りの件 {n}", message_id=f"<{n}@x>",
                        account="会社", hold_seconds=hold, decision=decision)


@pytest.fixture
def outbox(paths, clock):
    box = SqliteOutbox(paths, clock=clock)
    yield box
    box.close()


def test_store_writes_exact_bytes_then_row(outbox, paths, clock):
    raw = japanese_eml(1)
    assert b"\x1b$B" in raw  # really ISO-2022-JP
    item = store(outbox, 1)
    assert item.state is OutboxState.HELD
    assert item.hold_until == clock.now + 10
    assert item.rcpt_tos == ENV.rcpt_tos
    assert item.subject == "お見積りの件 1"
    assert outbox.message_file(item.id) == paths.outbox_dir / f"{item.id}.eml"
    assert outbox.read(item.id) == raw
    assert sorted(p.name for p in paths.outbox_dir.iterdir()) == [f"{item.id}.eml"]
    # A second connection (another process after a crash) sees the committed row.
    reopened = SqliteOutbox(paths, clock=clock)
    assert reopened.get(item.id) == item
    reopened.close()


def test_ids_are_unique_and_sort_by_time(outbox, clock):
    ids = []
    for n in range(50):
        clock.now += 0.0004  # several stores inside one millisecond
        ids.append(store(outbox, n).id)
    assert len(set(ids)) == 50
    assert [i[:19] for i in ids] == sorted(i[:19] for i in ids)
    assert [i.id for i in outbox.items()] == ids


def test_claim_due_respects_hold_and_retry_time(outbox, clock):
    a = store(outbox, 1, hold=10)
    b = store(outbox, 2, hold=0)
    assert outbox.next_due() == clock.now
    assert [i.id for i in outbox.claim_due()] == [b.id]
    assert outbox.claim_due() == []
    clock.now += 10
    (claimed,) = outbox.claim_due()
    assert claimed.id == a.id
    assert claimed.state is OutboxState.SENDING
    assert claimed.attempts == 0  # a claim is no attempt
    assert outbox.begin_attempt(a.id).attempts == 1
    outbox.mark_retry(a.id, "421 4.7.0 try later", clock.now + 60)
    assert outbox.next_due() == clock.now + 60
    assert outbox.claim_due() == []
    assert outbox.claim_due(now=clock.now + 60)[0].attempts == 1


def test_full_life_sent_keeps_file(outbox, clock):
    item = store(outbox, hold=0)
    outbox.claim_due()
    sent = outbox.mark_sent(item.id, "250 2.0.0 OK queued")
    assert sent.state is OutboxState.SENT
    assert outbox.read(item.id) == japanese_eml()
    assert outbox.items([OutboxState.SENT]) == [sent]
    assert outbox.items([OutboxState.HELD]) == []
    assert outbox.next_due() is None


def test_failed_then_user_retry(outbox, clock):
    item = store(outbox, hold=0)
    outbox.claim_due()
    failed = outbox.mark_failed(item.id, "550 5.1.1 user unknown")
    assert failed.state is OutboxState.FAILED
    assert failed.last_error == "550 5.1.1 user unknown"
    retried = outbox.retry(item.id)
    assert retried.state is OutboxState.RETRY
    assert retried.next_retry == clock.now
    assert outbox.claim_due()[0].id == item.id


def test_release_sends_now(outbox, clock):
    item = store(outbox, hold=600)
    assert outbox.claim_due() == []
    outbox.release(item.id)
    assert [i.id for i in outbox.claim_due()] == [item.id]


def test_undo_moves_file_to_returned(outbox, paths):
    item = store(outbox, 7)
    returned = outbox.undo(item.id)
    assert returned.state is OutboxState.RETURNED
    assert outbox.get(item.id) == returned
    path = outbox.message_file(item.id)
    assert path == paths.returned_dir / f"{item.id}.eml"
    # The user gets back what they sent, the envelope-only recipient written into Bcc.
    expected = japanese_eml(7).replace(b"\r\nMessage-ID", b"\r\nBcc: bcc@example.com\r\nMessage-ID")
    assert path.read_bytes() == expected
    assert not (paths.outbox_dir / f"{item.id}.eml").exists()
    assert outbox.read(item.id) == expected
    assert outbox.claim_due(now=1e12) == []


@pytest.mark.parametrize(
    ("setup", "action", "words"),
    [
        ("held", "mark_sent", "is still held"),
        ("held", "mark_retry", "is still held"),
        ("held", "mark_failed", "is still held"),
        ("held", "retry", "is still held"),
        ("held", "begin_attempt", "is still held"),
        ("held", "mark_waiting", "is still held"),
        ("retry", "begin_attempt", "waiting to be retried"),
        ("sending", "undo", "being sent right now"),
        ("sending", "release", "being sent right now"),
        ("sending", "retry", "being sent right now"),
        ("sent", "undo", "already been sent"),
        ("sent", "retry", "already been sent"),
        ("sent", "mark_failed", "already been sent"),
        ("sent", "mark_sent", "already been sent"),
        ("returned", "release", "returned to you"),
        ("returned", "undo", "returned to you"),
        ("returned", "retry", "returned to you"),
        ("failed", "release", "has failed"),
        ("failed", "mark_sent", "has failed"),
        ("retry", "mark_sent", "waiting to be retried"),
    ],
)
def test_illegal_transitions_are_refused(outbox, setup, action, words):
    item = store(outbox, hold=0)
    if setup != "held":
        outbox.claim_due()
    if setup == "sent":
        outbox.mark_sent(item.id, "250 ok")
    elif setup in ("failed", "retry", "returned"):
        outbox.mark_retry(item.id, "451", 1e12)
        if setup == "failed":
            outbox.mark_failed(item.id, "550")
        elif setup == "returned":
            outbox.undo(item.id)
    before = outbox.get(item.id)
    args = {"mark_sent": ("250",), "mark_retry": ("451", 0.0), "mark_failed": ("550",),
            "mark_waiting": (WAIT_SIGN_IN, "sign in", 0.0)}
    with pytest.raises(OutboxError, match=words):
        getattr(outbox, action)(item.id, *args.get(action, ()))
    assert outbox.get(item.id) == before


def test_unknown_id_is_a_clear_error(outbox):
    with pytest.raises(OutboxError, match="no message 'nope'"):
        outbox.undo("nope")
    with pytest.raises(OutboxError, match="no message"):
        outbox.read("nope")
    assert outbox.get("nope") is None


def test_claim_due_from_8_threads_claims_each_item_once(paths, clock):
    first = SqliteOutbox(paths, clock=clock)
    second = SqliteOutbox(paths, clock=clock)  # a second connection: atomic in SQLite, not just a lock
    ids = {store(first, n, hold=0).id for n in range(200)}
    claimed: list[str] = []
    claimed_lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker(box):
        barrier.wait()
        while True:
            got = box.claim_due()
            if not got:
                return
            with claimed_lock:
                claimed.extend(i.id for i in got)
            for i in got:
                box.begin_attempt(i.id)
                box.mark_sent(i.id, "250")
            # new items keep arriving while others claim
            if len(claimed) < 40:
                with claimed_lock:
                    ids.add(store(box, 1000 + len(ids), hold=0).id)

    threads = [threading.Thread(target=worker, args=(first if n % 2 else second,))
               for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    counts = Counter(claimed)
    assert set(counts) == ids
    assert set(counts.values()) == {1}
    assert all(i.attempts == 1 for i in first.items([OutboxState.SENT]))
    assert len(first.items([OutboxState.SENT])) == len(ids)
    first.close()
    second.close()


def test_recover_after_crash(paths, clock):
    box = SqliteOutbox(paths, clock=clock)
    sending = store(box, 1, hold=0)
    box.claim_due()
    box.begin_attempt(sending.id)  # connecting: nothing can have reached the server yet
    held = store(box, 2, hold=100)
    lost = store(box, 3, hold=100)
    os.unlink(box.message_file(lost.id))
    (paths.outbox_dir / "20240101T000000000Z-deadbeef.tmp").write_bytes(b"half a mess")
    (paths.outbox_dir / "20240101T000000000Z-cafebabe.eml").write_bytes(b"never acknowledged")
    box.close()  # "crash"

    clock.now += 5
    box = SqliteOutbox(paths, clock=clock)
    assert len(box.recover().resumed) == 1
    resumed = box.get(sending.id)
    assert resumed.state is OutboxState.RETRY
    assert resumed.next_retry == clock.now
    assert resumed.attempts == 0  # cut short by the stop, not by the server: no attempt used
    assert "before the mail could reach it" in resumed.last_error
    assert box.get(held.id).state is OutboxState.HELD
    failed = box.get(lost.id)
    assert failed.state is OutboxState.FAILED
    assert "missing" in failed.last_error
    assert sorted(p.name for p in paths.outbox_dir.iterdir()) == sorted(
        [f"{sending.id}.eml", f"{held.id}.eml"])
    assert box.last_recovery.resumed == (sending.id,)
    assert box.last_recovery.missing == (lost.id,)
    assert box.last_recovery.removed_files == ("20240101T000000000Z-deadbeef.tmp",)
    assert box.last_recovery.orphans == ("20240101T000000000Z-cafebabe.eml",)
    kept = paths.returned_dir / "unsent-20240101T000000000Z-cafebabe.eml"
    assert kept.read_bytes() == b"never acknowledged"  # never deleted, never sent
    assert [i.id for i in box.claim_due()] == [sending.id]
    assert box.recover().resumed == (sending.id,)  # claimed again, then "crashed" again
    box.close()


def test_enospc_gives_storage_error_and_nothing_half_stored(outbox, paths, monkeypatch):
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageError, match=r"disk holding .* is full"):
        store(outbox)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert list(paths.outbox_dir.iterdir()) == []
    assert outbox.items() == []


def test_write_error_mid_file(outbox, paths, monkeypatch):
    calls = []
    real_write = os.write

    def flaky(fd, data):
        calls.append(len(data))
        if len(calls) > 1:
            raise OSError(errno.EIO, "Input/output error")
        return real_write(fd, bytes(data)[:100])  # a short write forces the loop to continue

    monkeypatch.setattr(os, "write", flaky)
    with pytest.raises(StorageError, match="Input/output error"):
        store(outbox)
    monkeypatch.undo()
    assert list(paths.outbox_dir.iterdir()) == []
    assert outbox.items() == []


def test_unwritable_outbox_dir_even_as_root(outbox, paths):
    # root ignores permission bits, so make the outbox path a file: os.open fails with ENOTDIR.
    paths.outbox_dir.rmdir()
    paths.outbox_dir.write_bytes(b"")
    with pytest.raises(StorageError, match="Could not write"):
        store(outbox)
    assert outbox.items() == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores chmod")
def test_read_only_outbox_dir(outbox, paths):
    paths.outbox_dir.chmod(0o500)
    try:
        with pytest.raises(StorageError, match="permission denied"):
            store(outbox)
    finally:
        paths.outbox_dir.chmod(0o700)
    assert outbox.items() == []


def test_database_error_removes_the_written_file(outbox, paths):
    other = sqlite3.connect(paths.database)
    other.execute("DROP TABLE outbox")
    other.commit()
    other.close()
    with pytest.raises(StorageError, match="outbox database"):
        store(outbox)
    assert list(paths.outbox_dir.iterdir()) == []


def test_unopenable_database_is_a_storage_error(tmp_path):
    from missend_guard.storage.paths import DataPaths

    paths = DataPaths.resolve(tmp_path / "d", policy_file=tmp_path / "p.json")
    paths.database.mkdir()  # a directory where the database file should be
    with pytest.raises(StorageError):
        SqliteOutbox(paths)


def test_recover_after_database_loss_keeps_every_message(paths, clock):
    box = SqliteOutbox(paths, clock=clock)
    items = [store(box, n) for n in range(3)]
    box.close()
    for suffix in ("", "-wal", "-shm"):
        paths.database.with_name(paths.database.name + suffix).unlink(missing_ok=True)
    box = SqliteOutbox(paths, clock=clock)
    assert box.recover().resumed == ()
    assert box.items() == []
    assert box.claim_due(now=1e12) == []
    for n, item in enumerate(items):
        assert (paths.returned_dir / f"unsent-{item.id}.eml").read_bytes() == japanese_eml(n)
    box.close()


def test_recover_recreates_a_deleted_outbox_dir(outbox, paths):
    paths.outbox_dir.rmdir()
    assert outbox.recover().resumed == ()
    assert paths.outbox_dir.is_dir()


# -- the decision's audit row in the outbox row's commit ----------------------------------------

@pytest.fixture
def shared(paths, clock):
    """An outbox and an audit log on one database, wired as the app wires them."""
    db = Database(paths.database)
    audit = SqliteAuditLog(paths, subject_mode="plain", clock=clock, database=db)
    box = SqliteOutbox(paths, clock=clock, database=db, audit=audit.insert)
    yield db, box, audit
    db.close()


def test_store_writes_row_and_decision_in_one_commit(shared):
    db, box, audit = shared
    before = db.commits
    item = store(box, 1)
    assert db.commits == before + 1
    assert box.get(item.id) == item  # the item built in store equals the committed row
    [row] = audit.query()
    assert (row.decision, row.detail, row.subject) == ("send", f"queued as {item.id}",
                                                       "お見積りの件 1")


def test_a_failing_audit_insert_keeps_neither_row_nor_file(shared, paths):
    db, box, _audit = shared
    with db.transaction() as conn:
        conn.execute("CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN "
                     "SELECT RAISE(ABORT, 'audit is broken'); END")
    with pytest.raises(StorageError, match="audit is broken"):
        store(box, 2)
    assert box.items() == []  # the row was rolled back with the audit row: the client gets 451
    assert list(paths.outbox_dir.iterdir()) == []


def test_a_failing_decision_event_keeps_neither_row_nor_file(shared, paths):
    _db, box, audit = shared

    def broken(item):
        raise RuntimeError("bug while describing the decision")

    with pytest.raises(RuntimeError, match="bug while describing"):
        store(box, 3, decision=broken)
    assert box.items() == []
    assert audit.query() == []
    assert list(paths.outbox_dir.iterdir()) == []


def test_a_failing_row_leaves_neither_file_nor_audit(shared, paths):
    db, box, audit = shared
    with db.transaction() as conn:
        conn.execute("CREATE TRIGGER no_row BEFORE INSERT ON outbox BEGIN "
                     "SELECT RAISE(ABORT, 'database is full'); END")
    with pytest.raises(StorageError, match="database is full"):
        store(box, 4)
    assert audit.query() == []
    assert list(paths.outbox_dir.iterdir()) == []


def test_by_default_the_decision_goes_to_the_audit_table_of_the_same_database(outbox, paths):
    item = store(outbox, 5)
    [row] = SqliteAuditLog(paths).query()
    assert row.detail == f"queued as {item.id}"
    assert row.subject.startswith("sha256:")  # the default subject mode


# -- attempts, waits, paths ---------------------------------------------------------------------

def test_items_carry_no_file_path():
    assert "path" not in {f.name for f in fields(OutboxItem)}


def test_a_wait_after_a_begun_try_uses_no_attempt(outbox, clock):
    item = store(outbox, hold=0)
    outbox.claim_due()
    assert outbox.begin_attempt(item.id).attempts == 1
    waiting = outbox.mark_waiting(item.id, WAIT_SIGN_IN, "Sign in again", clock.now + 60)
    assert (waiting.state, waiting.attempts, waiting.waiting_for) == (
        OutboxState.RETRY, 0, WAIT_SIGN_IN)
    assert outbox.retry(item.id).waiting_for == WAIT_SIGN_IN  # until a real try says otherwise
    outbox.claim_due()
    tried = outbox.begin_attempt(item.id)
    assert (tried.attempts, tried.waiting_for) == (1, "")
    assert outbox.mark_retry(item.id, "451", clock.now + 30).attempts == 1


def test_recover_gives_back_a_claim_that_never_reached_a_sender(paths, clock):
    box = SqliteOutbox(paths, clock=clock)
    item = store(box, hold=0)
    box.claim_due()
    box.close()  # "crash" between the claim and the try
    box = SqliteOutbox(paths, clock=clock)
    assert box.recover().resumed == (item.id,)
    resumed = box.get(item.id)
    assert (resumed.state, resumed.attempts, resumed.last_error) == (OutboxState.RETRY, 0, "")
    box.close()


def test_a_version_1_database_gains_the_new_columns(paths, clock):
    db = Database(paths.database)
    db.migrate("outbox", MIGRATIONS[:1])
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO outbox (id, state, mail_from, rcpt_tos, subject, message_id, account,"
            " created_at, hold_until, attempts, path, size, updated_at) VALUES ('old', 'retry',"
            " 'a@x.jp', '[\"b@y.jp\"]', 's', '', '', 1, 1, 3, 'outbox/old.eml', 1, 1)")
    db.close()
    box = SqliteOutbox(paths, clock=clock)
    old = box.get("old")
    assert (old.state, old.attempts, old.waiting_for) == (OutboxState.RETRY, 3, "")
    box.close()


def test_claim_and_try_are_not_fsynced_but_the_point_of_no_return_and_the_outcome_are(paths,
                                                                                     clock):
    db = Database(paths.database)
    box = SqliteOutbox(paths, clock=clock, database=db)
    item = store(box, 5, hold=0)
    modes = []
    real = db.transaction

    def spying(*, durable=True):
        modes.append(durable)
        return real(durable=durable)

    db.transaction = spying
    [claimed] = box.claim_due()
    box.begin_attempt(claimed.id)
    box.mark_delivering(claimed.id)
    box.mark_sent(claimed.id, "250 ok")
    assert modes == [False, False, True, True]
    assert box.get(item.id).state is OutboxState.SENT
    db.close()


def test_items_newest_first_with_a_limit(tmp_path):
    from missend_guard.core.message.envelope import Envelope
    from missend_guard.storage.outbox.store import SqliteOutbox
    from missend_guard.storage.paths import DataPaths

    clock = iter(float(t) for t in range(1000, 2000))
    outbox = SqliteOutbox(DataPaths.resolve(tmp_path, policy_file=tmp_path / "none.json"),
                          clock=lambda: next(clock))
    ids = [outbox.store(b"Subject: %d\r\n\r\nx" % i, Envelope("a@x.jp", ("b@y.jp",)), subject=str(i),
                        message_id="", account="", hold_seconds=0, decision=decided).id
           for i in range(5)]
    assert [i.id for i in outbox.items(limit=2, newest_first=True)] == ids[::-1][:2]
    assert [i.id for i in outbox.items()] == ids
