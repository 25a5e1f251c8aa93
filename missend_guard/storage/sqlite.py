"""The shared SQLite file: one connection guarded by a lock, WAL, and per-module migrations.

Durability, per transaction. `transaction()` (durable) commits with synchronous=FULL: the WAL is
fsynced before COMMIT returns; this is what stands behind a `250` to the mail client.
`transaction(durable=False)` commits with synchronous=NORMAL: the frames are written to the WAL
(so they are in the OS page cache and survive `kill -9` of the app exactly like a FULL commit)
but not fsynced. Only a power loss or an OS crash can roll such a commit back, and then only the
commits after the last fsync: the WAL is one file written in order, so the next durable commit
(or checkpoint) makes every earlier commit durable too. SQLite guarantees the database stays
consistent either way (it is the documented WAL + NORMAL trade-off).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def _create_private(path: Path) -> None:
    """Create the database file 0600 (whatever the umask) before SQLite opens it."""
    if os.name == "nt" or path.exists():
        return
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class Database:
    """One connection shared by threads under a lock; every write runs in BEGIN IMMEDIATE."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.commits = 0  # commits through this connection (PRAGMA data_version misses our own)
        self._lock = threading.RLock()
        self._synchronous = "FULL"  # SQLite's default, and what we set below
        self._wal = False
        target: str | Path = path
        if read_only:
            # `check` without --record must write nothing. mode=ro on a WAL database creates
            # -wal/-shm files unless they exist already (the app has it open); when they do not,
            # nobody is writing, so the file can be read as immutable without creating any.
            wal = path.with_name(path.name + "-wal")
            target = path.absolute().as_uri() + ("?mode=ro" if wal.exists() else "?immutable=1")
        else:
            _create_private(path)  # SQLite gives the -wal and -shm files the database's mode
        # isolation_level=None: we issue BEGIN ourselves so write locks are taken up front
        # (IMMEDIATE), never upgraded mid-transaction where SQLite can answer SQLITE_BUSY.
        self._conn = sqlite3.connect(
            target, timeout=30.0, isolation_level=None, check_same_thread=False, uri=read_only
        )
        self._conn.row_factory = sqlite3.Row
        if read_only:
            return
        mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        # NORMAL is only safe with WAL: in rollback-journal mode a power loss can corrupt.
        self._wal = str(mode).lower() == "wal"
        # FULL: a commit is on disk before we answer 250 to the mail client.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")

    @contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK on any exception).

        `durable=False` skips the fsync at COMMIT (see the module docstring for what that risks).
        """
        with self._lock:
            self._set_synchronous("FULL" if durable or not self._wal else "NORMAL")
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            self.commits += 1

    def _set_synchronous(self, mode: str) -> None:
        # Read at COMMIT time by SQLite's pager; set between transactions, only when it changes.
        if mode != self._synchronous:
            self._conn.execute(f"PRAGMA synchronous={mode}")
            self._synchronous = mode

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
