"""SQLite ledger of protected sends (core.ledger.ProtectionLedger): salted hashes only, 24 h rows.

Lives in the shared `missend_guard.sqlite3` in its own tables (`protected_sends` and a version
row in `protected_sends_meta`), with its own connection: other storage modules are untouched.
The connection stays open (every check asks for recent sends; opening one cost more than the whole
rule), is used under a lock, and is reopened when the database file was replaced.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from missend_guard.core.ports.outbox import StorageError
from missend_guard.core.protect.ledger import (
    DEFAULT_WINDOW,
    LedgerEntry,
    normalise_recipients,
)

SCHEMA_VERSION = 1
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS protected_sends_meta (
        key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS protected_sends (
        id INTEGER PRIMARY KEY,
        message_id TEXT NOT NULL,
        recipients TEXT NOT NULL,      -- JSON list of lower-case addresses
        sent_at REAL NOT NULL,         -- epoch seconds, UTC
        salt BLOB NOT NULL,
        digest BLOB NOT NULL,
        kdf TEXT NOT NULL,             -- e.g. scrypt:n=4096,r=8,p=1
        length INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS protected_sends_sent_at ON protected_sends (sent_at)",
    "CREATE INDEX IF NOT EXISTS protected_sends_message ON protected_sends (message_id)",
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of `path`, None when it does not exist: tells a replaced file from the same one."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _epoch(when: datetime) -> float:
    if when.tzinfo is None:
        raise ValueError("ledger times must be timezone-aware")
    return when.timestamp()


class SqliteProtectionLedger:
    """Protected sends in SQLite (WAL). Rows older than `retention` are purged on every record."""

    def __init__(
        self,
        database: Path | str,
        clock: Callable[[], datetime] = _utcnow,
        retention: timedelta = DEFAULT_WINDOW,
    ) -> None:
        self.database = Path(database)
        self._clock = clock
        self._retention = retention
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._file: tuple[int, int] | None = None  # (device, inode) of the file self._conn has open
        try:
            self._create()
        except BaseException:
            self.close()
            raise

    def _create(self) -> None:
        """Tables and version row; StorageError for a ledger written by a newer version."""
        with self._connect() as conn:
            # WAL persists in the file; setting it again is harmless for the other modules.
            conn.execute("PRAGMA journal_mode=WAL")
            for statement in _SCHEMA:
                conn.execute(statement)
            row = conn.execute(
                "SELECT value FROM protected_sends_meta WHERE key = 'schema_version'"
            ).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO protected_sends_meta (key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
            elif int(row[0]) > SCHEMA_VERSION:
                raise StorageError(
                    f"{self.database} holds a newer protection ledger (schema {row[0]}); "
                    "update Missend Guard"
                )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """The connection under the lock, in one transaction; sqlite errors become StorageError."""
        with self._lock:
            try:
                conn = self._connection()
                with conn:
                    yield conn
            except sqlite3.Error as exc:
                self._close()  # whatever state it was left in, the next call starts afresh
                raise StorageError(f"protection ledger {self.database}: {exc}") from exc

    def _connection(self) -> sqlite3.Connection:
        """The open connection; a new one when there is none or the file was deleted or replaced."""
        now = _identity(self.database)
        if self._conn is not None and now is not None and now == self._file:
            return self._conn
        self._close()
        conn = sqlite3.connect(self.database, timeout=30.0, check_same_thread=False)
        try:
            # Per connection, so set once: purged hashes are overwritten on disk, not left in free
            # pages, and a commit is on disk before record() returns.
            conn.execute("PRAGMA secure_delete=ON")
            conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.Error:
            conn.close()
            raise
        self._conn, self._file = conn, _identity(self.database)
        return conn

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn, self._file = None, None

    def close(self) -> None:
        """Close the connection (the next call opens a new one)."""
        with self._lock:
            self._close()

    def record(
        self,
        message_id: str,
        recipients: Sequence[str],
        password: str,
        when: datetime | None = None,
    ) -> LedgerEntry:
        """Store a salted hash of `password` for `recipients`; the password itself is not kept."""
        entry = LedgerEntry.create(message_id, recipients, password, when or self._clock())
        with self._connect() as conn:
            conn.execute(
                "DELETE FROM protected_sends WHERE sent_at < ?",
                (_epoch(self._clock() - self._retention),),
            )
            conn.execute(
                "INSERT INTO protected_sends (message_id, recipients, sent_at, salt, digest, kdf,"
                " length) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (entry.message_id, json.dumps(list(entry.recipients)), _epoch(entry.when),
                 entry.salt, entry.digest, entry.kdf, entry.length),
            )
        return entry

    def recent_for(
        self,
        recipients: Iterable[str],
        now: datetime | None = None,
        window: timedelta = DEFAULT_WINDOW,
    ) -> list[LedgerEntry]:
        """Entries within `window` before `now` sharing a recipient, newest first."""
        wanted = set(normalise_recipients(recipients))
        if not wanted:
            return []
        now = now or self._clock()
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT message_id, recipients, sent_at, salt, digest, kdf, length"
                " FROM protected_sends WHERE sent_at >= ? AND sent_at <= ? ORDER BY sent_at DESC",
                (_epoch(now - window), _epoch(now)),
            ).fetchall()
        entries = []
        for message_id, recips, sent_at, salt, digest, kdf, length in rows:
            addresses = tuple(json.loads(recips))
            if wanted.isdisjoint(addresses):
                continue
            entries.append(LedgerEntry(
                message_id=message_id, recipients=addresses,
                when=datetime.fromtimestamp(sent_at, UTC), salt=bytes(salt), digest=bytes(digest),
                kdf=kdf, length=int(length),
            ))
        return entries

    def matches(self, entry: LedgerEntry, candidate: str) -> bool:
        """True when `candidate` is the password of `entry`."""
        return entry.matches(candidate)

    def forget(self, message_id: str) -> int:
        """Drop one message's entries (the user undid the send)."""
        with self._connect() as conn:
            return conn.execute(
                "DELETE FROM protected_sends WHERE message_id = ?", (message_id,)
            ).rowcount

    def purge(self, older_than: datetime) -> int:
        """Drop entries recorded before `older_than`."""
        with self._connect() as conn:
            return conn.execute(
                "DELETE FROM protected_sends WHERE sent_at < ?", (_epoch(older_than),)
            ).rowcount
