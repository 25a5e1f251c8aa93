"""SQLite protection ledger: salted hashes only, 24 h window, purge, shared database file."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Severity
from missend_guard.core.message.model import parse_message
from missend_guard.core.ports.outbox import StorageError
from missend_guard.core.protect.encrypt import generate_password
from missend_guard.core.protect.ledger import hash_password
from missend_guard.core.rules.password import make_password_rule
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.protection_ledger import SqliteProtectionLedger
from tests.helpers.clock import ManualClock

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
HANAKO = "hanako.sato@abc-trading.co.jp"




@pytest.fixture
def data_dir(tmp_path: Path) -> DataPaths:
    return DataPaths.resolve(tmp_path / "data", policy_file=tmp_path / "policy.json")


def test_recent_for_finds_shared_recipients_within_the_window(data_dir: DataPaths) -> None:
    clock = ManualClock(T0)
    ledger = SqliteProtectionLedger(data_dir.database, clock=clock)
    password = generate_password()
    ledger.record("<m1@x>", [HANAKO.upper(), "taro@abc-trading.co.jp"], password)
    ledger.record("<m2@x>", ["jiro@other.co.jp"], generate_password(), T0 + timedelta(minutes=5))

    later = T0 + timedelta(hours=2)
    found = ledger.recent_for(["Hanako.Sato@abc-trading.co.jp", "x@y.jp"], later)
    assert [e.message_id for e in found] == ["<m1@x>"]
    entry = found[0]
    assert entry.recipients == (HANAKO, "taro@abc-trading.co.jp")
    assert entry.when == T0
    assert ledger.matches(entry, password)
    assert not ledger.matches(entry, generate_password())
    last = "Z" if password[-1] != "Z" else "Y"  # a different last character, whatever it was
    assert not ledger.matches(entry, password[:-1] + last)
    both = ledger.recent_for([HANAKO, "jiro@other.co.jp"], later)
    assert [e.message_id for e in both] == ["<m2@x>", "<m1@x>"]  # newest first
    assert ledger.recent_for([HANAKO], T0 + timedelta(hours=24, seconds=1)) == []
    assert ledger.recent_for([HANAKO], T0 - timedelta(seconds=1)) == []  # not from the future
    assert ledger.recent_for([], later) == []


def test_survives_reopen_and_purges_and_forgets(data_dir: DataPaths) -> None:
    clock = ManualClock(T0)
    ledger = SqliteProtectionLedger(data_dir.database, clock=clock)
    ledger.record("<old@x>", [HANAKO], generate_password(), T0 - timedelta(hours=20))
    ledger.record("<m1@x>", [HANAKO], generate_password(), T0)
    reopened = SqliteProtectionLedger(data_dir.database, clock=clock)
    assert [e.message_id for e in reopened.recent_for([HANAKO], T0)] == ["<m1@x>", "<old@x>"]
    assert reopened.purge(T0 - timedelta(hours=10)) == 1
    assert [e.message_id for e in reopened.recent_for([HANAKO], T0)] == ["<m1@x>"]
    assert reopened.forget("<m1@x>") == 1
    assert reopened.recent_for([HANAKO], T0) == []


def test_kept_connection_sees_later_records_from_itself_and_other_connections(data_dir: DataPaths) -> None:
    ledger = SqliteProtectionLedger(data_dir.database, clock=ManualClock(T0))
    assert ledger.recent_for([HANAKO], T0) == []  # asked first: the connection is open now
    ledger.record("<m1@x>", [HANAKO], generate_password())
    assert [e.message_id for e in ledger.recent_for([HANAKO], T0)] == ["<m1@x>"]
    other = SqliteProtectionLedger(data_dir.database, clock=ManualClock(T0))
    other.record("<m2@x>", [HANAKO], generate_password(), T0 + timedelta(seconds=1))
    assert [e.message_id for e in ledger.recent_for([HANAKO], T0 + timedelta(seconds=1))] == [
        "<m2@x>", "<m1@x>"]
    assert other.forget("<m1@x>") == 1
    assert [e.message_id for e in ledger.recent_for([HANAKO], T0 + timedelta(seconds=1))] == ["<m2@x>"]
    ledger.close()
    assert len(ledger.recent_for([HANAKO], T0 + timedelta(seconds=1))) == 1  # reopens after close()
    other.close()


@pytest.mark.skipif(os.name == "nt", reason="an open database file cannot be deleted on Windows")
def test_a_replaced_database_file_is_reopened(data_dir: DataPaths) -> None:
    ledger = SqliteProtectionLedger(data_dir.database, clock=ManualClock(T0))
    ledger.record("<old@x>", [HANAKO], generate_password())
    assert len(ledger.recent_for([HANAKO], T0)) == 1
    for suffix in ("", "-wal", "-shm"):
        data_dir.database.with_name(data_dir.database.name + suffix).unlink(missing_ok=True)
    fresh = SqliteProtectionLedger(data_dir.database, clock=ManualClock(T0))
    fresh.record("<new@x>", [HANAKO], generate_password())
    assert [e.message_id for e in ledger.recent_for([HANAKO], T0)] == ["<new@x>"]
    fresh.close()
    ledger.close()


def test_record_drops_rows_past_retention(data_dir: DataPaths) -> None:
    clock = ManualClock(T0)
    ledger = SqliteProtectionLedger(data_dir.database, clock=clock)
    ledger.record("<m1@x>", [HANAKO], generate_password())
    clock.now = T0 + timedelta(hours=25)
    ledger.record("<m2@x>", [HANAKO], generate_password())
    with sqlite3.connect(data_dir.database) as conn:
        ids = [r[0] for r in conn.execute("SELECT message_id FROM protected_sends")]
    assert ids == ["<m2@x>"]


def test_no_password_anywhere_in_the_data_dir(data_dir: DataPaths) -> None:
    password = generate_password()
    ledger = SqliteProtectionLedger(data_dir.database, clock=ManualClock(T0))
    for i in range(3):
        ledger.record(f"<m{i}@x>", [HANAKO], password)
    ledger.forget("<m0@x>")
    found = ledger.recent_for([HANAKO], T0)
    assert len(found) == 2
    assert ledger.matches(found[0], password)
    files = [p for p in data_dir.root.rglob("*") if p.is_file()]
    assert data_dir.database in files
    for path in files:
        content = path.read_bytes()
        for form in (password.encode(), password.encode("utf-16-le"), password.lower().encode()):
            assert form not in content, path
    # Rows hold a salted digest: the same password twice gives different salts and digests.
    with sqlite3.connect(data_dir.database) as conn:
        rows = conn.execute("SELECT salt, digest, kdf FROM protected_sends").fetchall()
    assert len({r[0] for r in rows}) == len({r[1] for r in rows}) == 2
    assert rows[0][1] == hash_password(password, rows[0][0], rows[0][2])


def test_schema_version_row_and_shared_file_with_other_tables(data_dir: DataPaths) -> None:
    with sqlite3.connect(data_dir.database) as conn:
        conn.execute("CREATE TABLE someone_elses (x INTEGER)")
        conn.execute("INSERT INTO someone_elses VALUES (42)")
    SqliteProtectionLedger(data_dir.database)
    with sqlite3.connect(data_dir.database) as conn:
        assert conn.execute("SELECT x FROM someone_elses").fetchall() == [(42,)]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        version = conn.execute(
            "SELECT value FROM protected_sends_meta WHERE key = 'schema_version'").fetchone()
        assert version == ("1",)
        conn.execute("UPDATE protected_sends_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StorageError, match="newer"):
        SqliteProtectionLedger(data_dir.database)


def test_unwritable_database_gives_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="protection ledger"):
        SqliteProtectionLedger(tmp_path / "missing-dir" / "missend_guard.sqlite3")


def test_naive_times_are_refused(data_dir: DataPaths) -> None:
    ledger = SqliteProtectionLedger(data_dir.database)
    with pytest.raises(ValueError, match="timezone"):
        ledger.record("<m@x>", [HANAKO], "pw-12345678", datetime(2026, 1, 1))


def test_concurrent_records_from_threads(data_dir: DataPaths) -> None:
    ledger = SqliteProtectionLedger(data_dir.database, clock=ManualClock(T0))
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(5):
                ledger.record(f"<t{n}-{i}@x>", [HANAKO], generate_password())
        except Exception as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(ledger.recent_for([HANAKO], T0)) == 20


def test_follow_up_mail_blocked_through_the_sqlite_ledger(data_dir: DataPaths) -> None:
    clock = ManualClock(T0)
    ledger = SqliteProtectionLedger(data_dir.database, clock=clock)
    password = generate_password()
    ledger.record("<prot@x>", [HANAKO], password)
    clock.now = T0 + timedelta(hours=3)
    raw = (
        "From: ken@example.co.jp\r\nTo: hanako.sato@abc-trading.co.jp\r\nSubject: PW\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
        f"先ほどのファイルのパスワードは {password} です。\r\n"
    ).encode()
    rule = make_password_rule(ledger, clock)
    findings = list(rule(parse_message(raw), CheckContext()))
    assert [(f.severity, f.params["kind"]) for f in findings] == [(Severity.BLOCK, "actual-password")]
