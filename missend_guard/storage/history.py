"""Sent history: addresses and domains the user has sent to, with counts and last-sent time."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from typing import Any

from missend_guard.core.check.context import HistorySnapshot
from missend_guard.core.message.model import unicode_domain
from missend_guard.core.ports.outbox import StorageError
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.sqlite import Database

MIGRATIONS = (
    """
    CREATE TABLE history_address (
        address TEXT PRIMARY KEY,   -- lower-cased, as sent
        domain TEXT NOT NULL,       -- Unicode, lower-case
        count INTEGER NOT NULL,
        last_sent REAL NOT NULL
    );
    CREATE TABLE history_domain (
        domain TEXT PRIMARY KEY,
        count INTEGER NOT NULL,
        last_sent REAL NOT NULL
    );
    """,
)


def normalise(address: str) -> tuple[str, str] | None:
    """(address lower-cased, Unicode domain) or None when it is not an address."""
    address = address.strip().strip("<>").lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return None
    return address, unicode_domain(domain)


class SentHistory:
    """Per-address and per-domain send counts in the shared database."""

    def __init__(self, paths: DataPaths, database: Database | None = None, *,
                 read_only: bool = False) -> None:
        """Open (and migrate) the history; `read_only` never writes (no history reads empty)."""
        self._where = paths.database
        self.read_only = read_only
        self._cached: tuple[tuple[int, int], HistorySnapshot] | None = None
        try:
            self._db = database or Database(paths.database, read_only=read_only)
            if not read_only:
                self._db.migrate("history", MIGRATIONS)
        except sqlite3.Error as exc:
            raise StorageError(f"The history in {paths.database} cannot be opened: {exc}") from exc

    def _select(self, sql: str, args: tuple[str, ...] = ()) -> list[Any]:
        try:
            with self._db.reading() as conn:
                cursor = conn.cursor()
                cursor.row_factory = None  # plain tuples: 100k rows build noticeably faster
                return cursor.execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            if self.read_only and "no such table" in str(exc):
                return []  # a read-only open of a database that never held history
            raise StorageError(f"The sent history in {self._where} cannot be read: {exc}") from exc
        except sqlite3.Error as exc:
            raise StorageError(f"The sent history in {self._where} cannot be read: {exc}") from exc

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def record(self, addresses: Iterable[str], when: float | None = None) -> None:
        """Count one sent message to `addresses` (each address and domain once per call)."""
        if self.read_only:
            raise StorageError("The sent history was opened read-only; nothing can be recorded.")
        when = time.time() if when is None else when
        pairs = dict(p for p in map(normalise, addresses) if p is not None)
        domains = set(pairs.values())
        if not pairs:
            return
        try:
            # Not fsynced: recorded after the mail went out, it only sharpens later checks.
            # kill -9 cannot lose it; a power loss before the next durable commit could, and
            # then a later mail to these addresses is merely flagged as a first-time recipient.
            with self._db.transaction(durable=False) as conn:
                conn.executemany(
                    "INSERT INTO history_address (address, domain, count, last_sent)"
                    " VALUES (?, ?, 1, ?) ON CONFLICT(address) DO UPDATE SET"
                    " count = count + 1, last_sent = MAX(last_sent, excluded.last_sent)",
                    [(a, d, when) for a, d in pairs.items()],
                )
                conn.executemany(
                    "INSERT INTO history_domain (domain, count, last_sent) VALUES (?, 1, ?)"
                    " ON CONFLICT(domain) DO UPDATE SET"
                    " count = count + 1, last_sent = MAX(last_sent, excluded.last_sent)",
                    [(d, when) for d in domains],
                )
        except sqlite3.Error as exc:
            raise StorageError(
                f"The sent history in {self._where} could not be updated: {exc}"
            ) from exc

    def snapshot(self) -> HistorySnapshot:
        """Every known address and domain, for a CheckContext (one query; cached until a commit)."""
        try:
            marker = self._db.change_marker()
        except sqlite3.Error as exc:
            raise StorageError(f"The sent history in {self._where} cannot be read: {exc}") from exc
        if self._cached is not None and self._cached[0] == marker:
            return self._cached[1]
        rows = self._select("SELECT address, domain FROM history_address")
        addresses = {r[0] for r in rows}
        # Message addresses keep the domain as written (punycode stays punycode), so an IDN
        # address is matched in both forms.
        addresses.update(
            f"{a.rpartition('@')[0]}@{d}" for a, d in rows if "xn--" in a
        )
        snapshot = HistorySnapshot(frozenset(addresses), frozenset(r[1] for r in rows))
        self._cached = (marker, snapshot)
        return snapshot

    def count(self, address: str) -> int:
        """How many messages went to `address` (0 when never)."""
        pair = normalise(address)
        if pair is None:
            return 0
        rows = self._select("SELECT count FROM history_address WHERE address = ?", (pair[0],))
        return int(rows[0][0]) if rows else 0

    def domain_count(self, domain: str) -> int:
        """How many messages went to `domain` (Unicode or punycode; 0 when never)."""
        rows = self._select(
            "SELECT count FROM history_domain WHERE domain = ?", (unicode_domain(domain),)
        )
        return int(rows[0][0]) if rows else 0

    def last_sent(self, address: str) -> float | None:
        """When `address` last received mail from the user (epoch seconds), or None."""
        pair = normalise(address)
        if pair is None:
            return None
        rows = self._select("SELECT last_sent FROM history_address WHERE address = ?", (pair[0],))
        return float(rows[0][0]) if rows else None
