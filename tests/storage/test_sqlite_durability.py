"""Per-transaction durability: FULL behind a 250, NORMAL (no fsync) that still survives kill -9."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

from missend_guard.storage.sqlite import Database


def _synchronous(db: Database, *, durable: bool) -> int:
    with db.transaction(durable=durable) as conn:
        return int(conn.execute("PRAGMA synchronous").fetchone()[0])


def test_durable_is_the_default_and_unsynced_is_asked_for(tmp_path):
    db = Database(tmp_path / "x.sqlite3")
    with db.transaction() as conn:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert _synchronous(db, durable=False) == 1  # NORMAL
    assert _synchronous(db, durable=True) == 2  # back to FULL for the next one
    db.close()


def test_rollback_journal_never_commits_unsynced(tmp_path):
    # NORMAL is only safe with WAL; a database that could not switch keeps FULL.
    db = Database(tmp_path / "x.sqlite3")
    with db.reading() as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    db._wal = False  # what __init__ records when journal_mode=WAL did not take
    assert _synchronous(db, durable=False) == 2
    db.close()


def test_unsynced_commit_survives_kill_9(tmp_path):
    path = tmp_path / "x.sqlite3"
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from missend_guard.storage.sqlite import Database
        db = Database(Path({str(path)!r}))
        db.migrate("t", ["CREATE TABLE t (a TEXT);"])
        with db.transaction(durable=False) as conn:
            conn.execute("INSERT INTO t (a) VALUES ('送信済み')")
        os.kill(os.getpid(), signal.SIGKILL)  # no close, no checkpoint
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60,
                          check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr
    db = Database(path)
    with db.reading() as conn:
        assert [r[0] for r in conn.execute("SELECT a FROM t")] == ["送信済み"]
    db.close()
