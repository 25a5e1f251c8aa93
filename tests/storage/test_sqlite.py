from __future__ import annotations

import sqlite3

import pytest

from missend_guard.storage.sqlite import Database

V1 = "CREATE TABLE t (a INTEGER);"
V2 = "ALTER TABLE t ADD COLUMN b TEXT NOT NULL DEFAULT 'x';\nCREATE INDEX t_b ON t (b);"


def test_migrations_run_once_and_upgrade(tmp_path):
    db = Database(tmp_path / "x.sqlite3")
    assert db.migrate("mod", [V1]) == 1
    assert db.migrate("mod", [V1]) == 1  # not re-run (would fail: table exists)
    with db.transaction() as conn:
        conn.execute("INSERT INTO t (a) VALUES (1)")
    assert db.migrate("mod", [V1, V2]) == 2
    with db.reading() as conn:
        assert [tuple(r) for r in conn.execute("SELECT a, b FROM t")] == [(1, "x")]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert {tuple(r) for r in conn.execute("SELECT module, version FROM schema_versions")} == {("mod", 2)}
    db.close()


def test_failed_migration_rolls_back(tmp_path):
    db = Database(tmp_path / "x.sqlite3")
    db.migrate("mod", [V1])
    with pytest.raises(sqlite3.OperationalError):
        db.migrate("mod", [V1, "CREATE TABLE u (a);\nTHIS IS NOT SQL;"])
    with db.reading() as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        version = conn.execute("SELECT version FROM schema_versions").fetchone()[0]
    assert "u" not in names
    assert version == 1


def test_newer_database_is_refused(tmp_path):
    db = Database(tmp_path / "x.sqlite3")
    db.migrate("mod", [V1, V2])
    with pytest.raises(sqlite3.DatabaseError, match="newer Missend Guard"):
        db.migrate("mod", [V1])
