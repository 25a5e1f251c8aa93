"""Everything kept on disk for one data dir: the shared SQLite database and the stores built on it."""

from __future__ import annotations

import contextlib
import errno
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from missend_guard.core.ports.outbox import StorageError
from missend_guard.storage.audit import SqliteAuditLog
from missend_guard.storage.history import SentHistory
from missend_guard.storage.kv import KeyValueStore
from missend_guard.storage.outbox.store import SqliteOutbox
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.protection_ledger import SqliteProtectionLedger
from missend_guard.storage.settings.store import Settings
from missend_guard.storage.sqlite import Database

# SQLite reports a full disk at open as "disk I/O error" (it fails to create the -shm file).
_LOW_SPACE_BYTES = 1024 * 1024


def disk_full(directory: Path, error: BaseException) -> bool:
    """True when `error` comes from a full disk (ENOSPC, SQLITE_FULL, or almost no space left)."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return True
    if "full" in str(error).lower():
        return True
    try:
        return shutil.disk_usage(directory).free < _LOW_SPACE_BYTES
    except OSError:
        return False


@dataclass(frozen=True)
class Store:
    """The data dir's stores, sharing one database connection (one commit can span them)."""

    paths: DataPaths
    database: Database
    outbox: SqliteOutbox
    audit: SqliteAuditLog
    history: SentHistory
    kv: KeyValueStore
    ledger: SqliteProtectionLedger

    def close(self) -> None:
        """Close the database and the ledger's connection; whatever is queued stays on disk."""
        with contextlib.suppress(sqlite3.Error):
            self.ledger.close()
        with contextlib.suppress(sqlite3.Error):
            self.database.close()


def open_store(paths: DataPaths, settings: Settings) -> Store:
    """Open (and migrate) the database under `paths`; StorageError when it cannot be opened."""
    try:
        database = Database(paths.database)
    except (sqlite3.Error, OSError) as exc:
        if disk_full(paths.root, exc):
            raise StorageError(
                f"the disk holding {paths.root} is full, so Missend Guard cannot open its outbox. "
                "Free some space on it, then start Missend Guard again; mail already in the "
                "outbox is kept."
            ) from exc
        raise StorageError(f"the database {paths.database} cannot be opened: {exc}") from exc
    audit = SqliteAuditLog(paths, settings.get("audit_subject"), database=database)
    return Store(
        paths=paths,
        database=database,
        # The decision's audit row goes into the outbox row's own commit.
        outbox=SqliteOutbox(paths, database=database, audit=audit.insert),
        audit=audit,
        history=SentHistory(paths, database=database),
        kv=KeyValueStore(paths, database=database),
        ledger=SqliteProtectionLedger(paths.database),
    )
