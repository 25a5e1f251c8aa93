"""The shared SQLite file: one connection guarded by a lock, WAL, and per-module migrations."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


class Database:
    """One connection shared by threads under a lock; every write runs in BEGIN IMMEDIATE."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.commits = 0  # commits through this connection (PRAGMA data_version misses our own)
        self._lock = threading.RLock()
        target: str | Path = path
        if read_only:
            # `check` without --record must write nothing. mode=ro on a WAL database creates
            # -wal/-shm files unless they exist already (the app has it open); when they do not,
            # nobody is writing, so the file can be read as immutable without creating any.
            wal = path.with_name(path.name + "-wal")
            target = path.absolute().as_uri() + ("?mode=ro" if wal.exists() else "?immutable=1")
        # isolation_level=None: we issue BEGIN ourselves so write locks are taken up front
        # (IMMEDIATE), never upgraded mid-transaction where SQLite can answer SQLITE_BUSY.
        self._conn = sqlite3.connect(
            target, timeout=30.0, isolation_level=None, check_same_thread=False, uri=read_only
        )
        self._conn.row_factory = sqlite3.Row
        if read_only:
            return
        self._conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before we answer 250 to the mail client.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on any exception)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            self.commits += 1

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection for reads (autocommit; each statement sees a consistent snapshot)."""
        with self._lock:
            yield self._conn

    def migrate(self, module: str, steps: Sequence[str]) -> int:
        """Bring `module`'s tables to version len(steps); each step is an SQL script run once."""
        with self.transaction() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_versions "
                "(module TEXT PRIMARY KEY, version INTEGER NOT NULL)"
            )
            row = conn.execute(
                "SELECT version FROM schema_versions WHERE module = ?", (module,)
            ).fetchone()
            version = int(row[0]) if row else 0
            if version > len(steps):
                raise sqlite3.DatabaseError(
                    f"{self.path} was written by a newer Missend Guard ({module} schema {version}, "
                    f"this version knows {len(steps)}); update the app"
                )
            for number, script in enumerate(steps[version:], start=version + 1):
                # Statements one by one: executescript() would COMMIT our transaction.
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_versions (module, version) VALUES (?, ?) "
                    "ON CONFLICT(module) DO UPDATE SET version = excluded.version",
                    (module, number),
                )
            return len(steps)

    def change_marker(self) -> tuple[int, int]:
        """Changes whenever anything was committed, by this connection or any other."""
        with self._lock:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0]), self.commits

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()


def _statements(script: str) -> list[str]:
    parts: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            parts.append(current.strip())
            current = ""
    if current.strip():
        parts.append(current.strip())
    return parts
