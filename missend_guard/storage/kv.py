"""A small durable key-value table in the shared database, split into namespaces (MutableMapping)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager

from missend_guard.core.ports.outbox import StorageError
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.sqlite import Database

MIGRATIONS = (
    """
    CREATE TABLE kv (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (namespace, key)
    );
    """,
)


class KeyValueStore:
    """The kv table; `namespace(name)` gives one namespace as a MutableMapping[str, str]."""

    def __init__(self, paths: DataPaths, database: Database | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._where = paths.database
        self._clock = clock
        try:
            self._db = database or Database(paths.database)
            self._db.migrate("kv", MIGRATIONS)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"The state table in {paths.database} cannot be opened: {exc}") from exc

    def close(self) -> None:
        """Close the database connection (only when this store opened it)."""
        self._db.close()

    def namespace(self, name: str) -> KvNamespace:
        """The keys of `name`; every write is committed (synchronous=FULL) before it returns."""
        if not name:
            raise ValueError("a namespace needs a name")
        return KvNamespace(self, name)

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._db.reading() as conn:
                yield conn
        except sqlite3.Error as exc:
            raise StorageError(f"The state table in {self._where} cannot be read: {exc}") from exc

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._db.transaction() as conn:
                yield conn
        except sqlite3.Error as exc:
            raise StorageError(f"The state table in {self._where} cannot be written: {exc}") from exc


class KvNamespace(MutableMapping[str, str]):
    """One namespace of the kv table; safe from several threads (the Database serialises)."""

    def __init__(self, store: KeyValueStore, name: str) -> None:
        self._store = store
        self.name = name

    def __getitem__(self, key: str) -> str:
        with self._store._reading() as conn:
            row = conn.execute("SELECT value FROM kv WHERE namespace = ? AND key = ?",
                               (self.name, key)).fetchone()
        if row is None:
            raise KeyError(key)
        return str(row[0])

    def __setitem__(self, key: str, value: str) -> None:
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError("keys and values are str")
        with self._store._writing() as conn:
            conn.execute(
                "INSERT INTO kv (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
                (self.name, key, value, self._store._clock()),
            )

    def __delitem__(self, key: str) -> None:
        with self._store._writing() as conn:
            deleted = conn.execute("DELETE FROM kv WHERE namespace = ? AND key = ?",
                                   (self.name, key)).rowcount
        if not deleted:
            raise KeyError(key)

    def pop(self, key: str, *default: str | None) -> str | None:  # type: ignore[override]
        """Remove and return in one transaction (no read-then-delete race between threads)."""
        with self._store._writing() as conn:
            row = conn.execute("DELETE FROM kv WHERE namespace = ? AND key = ? RETURNING value",
                               (self.name, key)).fetchone()
        if row is not None:
            return str(row[0])
        if default:
            return default[0]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        with self._store._reading() as conn:
            keys = [str(r[0]) for r in conn.execute(
                "SELECT key FROM kv WHERE namespace = ? ORDER BY key", (self.name,))]
        return iter(keys)  # a snapshot: callers may delete while iterating

    def __len__(self) -> int:
        with self._store._reading() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM kv WHERE namespace = ?",
                                    (self.name,)).fetchone()[0])

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        with self._store._reading() as conn:
            return conn.execute("SELECT 1 FROM kv WHERE namespace = ? AND key = ?",
                                (self.name, key)).fetchone() is not None

    def __repr__(self) -> str:
        return f"KvNamespace({self.name!r})"
