"""The durable outbox: .eml files under outbox/ plus one SQLite row each (core.ports.Outbox)."""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from missend_guard.core.errors import UserError
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent, AuditLog
from missend_guard.core.ports.outbox import OutboxItem, OutboxState, StorageError
from missend_guard.storage.atomic import fsync_dir, write_synced
from missend_guard.storage.audit import SqliteAuditLog
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.sqlite import Database

log = logging.getLogger(__name__)

H, S, OK, RT, F, RET = (OutboxState.HELD, OutboxState.SENDING, OutboxState.SENT,
                        OutboxState.RETRY, OutboxState.FAILED, OutboxState.RETURNED)

MIGRATIONS = (
    """
    CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        mail_from TEXT NOT NULL,
        rcpt_tos TEXT NOT NULL,          -- JSON list
        subject TEXT NOT NULL,
        message_id TEXT NOT NULL,
        account TEXT NOT NULL,
        created_at REAL NOT NULL,
        hold_until REAL NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_retry REAL,
        last_error TEXT NOT NULL DEFAULT '',
        path TEXT NOT NULL,              -- relative to the data dir: outbox/<id>.eml or returned/
        size INTEGER NOT NULL,
        reply TEXT NOT NULL DEFAULT '',  -- upstream reply of the successful delivery
        sent_at REAL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX outbox_due ON outbox (state, hold_until, next_retry);
    """,
)


class OutboxError(UserError):
    """A user action on the outbox is not possible (unknown id, wrong state); message is shown."""


@dataclass(frozen=True)
class Recovery:
    """What `recover()` found at start."""

    resumed: tuple[str, ...] = ()  # SENDING → RETRY
    missing: tuple[str, ...] = ()  # rows whose .eml is gone → FAILED
    removed_files: tuple[str, ...] = ()  # unfinished .tmp writes
    orphans: tuple[str, ...] = ()  # .eml files without a row, moved to returned/


def _describe(exc: BaseException, where: Path) -> str:
    """A sentence a user can act on for a storage failure."""
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return f"The disk holding {where} is full; free some space and send again."
        if exc.errno in (errno.EACCES, errno.EPERM):
            return f"Missend Guard may not write to {where} (permission denied)."
        if exc.errno == errno.EROFS:
            return f"{where} is on a read-only disk."
        return f"Could not write to {where}: {exc.strerror or exc}."
    return f"The outbox database {where} could not be updated: {exc}."


_FIELDS = ("id, state, mail_from, rcpt_tos, subject, message_id, account, created_at, hold_until, "
           "attempts, next_retry, last_error, path")


class SqliteOutbox:
    """Rows in the shared database, bytes in outbox/<id>.eml; safe to use from several threads."""

    def __init__(self, paths: DataPaths, clock: Callable[[], float] = time.time,
                 database: Database | None = None) -> None:
        self.paths = paths
        self._clock = clock
        self.last_recovery = Recovery()
        # Ids between file write and row commit: recover() must not take their files for strays.
        self._writing: set[str] = set()
        self._writing_lock = threading.Lock()
        try:
            paths.outbox_dir.mkdir(parents=True, exist_ok=True)
            paths.returned_dir.mkdir(parents=True, exist_ok=True)
            self._db = database or Database(paths.database)
            self._db.migrate("outbox", MIGRATIONS)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(_describe(exc, paths.database)) from exc

    def close(self) -> None:
        """Close the database connection (only when this outbox opened it)."""
        self._db.close()

    # -- storing -------------------------------------------------------------------------------

    def _new_id(self, now: float) -> str:
        # Time first so ids sort by creation; random suffix so two stores in one ms never collide.
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now))
        return f"{stamp}{int(now * 1000) % 1000:03d}Z-{secrets.token_hex(4)}"

    def store(self, raw: bytes, envelope: Envelope, *, subject: str, message_id: str, account: str,
              hold_seconds: float,
              in_commit: Callable[[sqlite3.Connection, OutboxItem], None] | None = None,
              ) -> OutboxItem:
        """Write outbox/<id>.eml (temp, fsync, rename, fsync dir), then commit the row.

        `in_commit(conn, item)` adds writes to the row's own (durable) transaction.
        """
        now = self._clock()
        item_id = self._new_id(now)
        tmp = self.paths.outbox_dir / f"{item_id}.tmp"
        final = self.paths.outbox_dir / f"{item_id}.eml"
        item = OutboxItem(
            id=item_id, state=H, mail_from=envelope.mail_from, rcpt_tos=tuple(envelope.rcpt_tos),
            subject=subject, message_id=message_id, account=account, created_at=now,
            hold_until=now + max(0.0, hold_seconds), path=str(final),
        )
        with self._writing_lock:
            self._writing.add(item_id)
        try:
            try:
                write_synced(tmp, raw)
                os.replace(tmp, final)
                # Needed: the file's fsync makes its data durable, not its new name; without this
                # a power loss could keep the row but not the directory entry (only ext4's
                # journal happens to cover both; POSIX does not promise it).
                fsync_dir(self.paths.outbox_dir)
            except OSError as exc:
                _remove(tmp, final)
                raise StorageError(_describe(exc, self.paths.outbox_dir)) from exc
            try:
                with self._db.transaction() as conn:  # durable: this commit stands behind the 250
                    conn.execute(
                        "INSERT INTO outbox (id, state, mail_from, rcpt_tos, subject, message_id,"
                        " account, created_at, hold_until, path, size, updated_at)"
                        " VALUES (?, 'held', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (item_id, envelope.mail_from, json.dumps(list(envelope.rcpt_tos)), subject,
                         message_id, account, now, item.hold_until, f"outbox/{item_id}.eml",
                         len(raw), now),
                    )
                    if in_commit is not None:
                        in_commit(conn, item)
            except sqlite3.Error as exc:
                # No row means the client gets 451 and keeps the mail: the file must not linger.
                _remove(final)
                raise StorageError(_describe(exc, self.paths.database)) from exc
        finally:
            with self._writing_lock:
                self._writing.discard(item_id)
        return item

    def store_audited(self, raw: bytes, envelope: Envelope, *, subject: str, message_id: str,
                      account: str, hold_seconds: float, audit: AuditLog,
                      event: Callable[[OutboxItem], AuditEvent]) -> tuple[OutboxItem, bool]:
        """`store` plus the decision's audit row in the same commit, when `audit` shares our database.

        True when the row was written (else the caller records it): one fsync less before the 250.
        """
        if not (isinstance(audit, SqliteAuditLog) and audit.database is self._db):
            return self.store(raw, envelope, subject=subject, message_id=message_id,
                              account=account, hold_seconds=hold_seconds), False
        written = [False]

        def in_commit(conn: sqlite3.Connection, item: OutboxItem) -> None:
            # A savepoint: a broken audit table must not cost the mail (the audit is a record).
            conn.execute("SAVEPOINT audit")
            try:
                audit.insert(conn, event(item))
            except sqlite3.Error:
                conn.execute("ROLLBACK TO audit")
                log.exception("could not write the audit event for %s", item.id)
            else:
                written[0] = True
            conn.execute("RELEASE audit")

        item = self.store(raw, envelope, subject=subject, message_id=message_id, account=account,
                          hold_seconds=hold_seconds, in_commit=in_commit)
        return item, written[0]

    # -- reading -------------------------------------------------------------------------------

    def _item(self, row: sqlite3.Row) -> OutboxItem:
        return OutboxItem(
            id=row["id"], state=OutboxState(row["state"]), mail_from=row["mail_from"],
            rcpt_tos=tuple(json.loads(row["rcpt_tos"])), subject=row["subject"],
            message_id=row["message_id"], account=row["account"], created_at=row["created_at"],
            hold_until=row["hold_until"], attempts=row["attempts"], next_retry=row["next_retry"],
            last_error=row["last_error"], path=str(self.paths.root / row["path"]),
        )

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._db.reading() as conn:
                yield conn
        except sqlite3.Error as exc:
            raise StorageError(_describe(exc, self.paths.database)) from exc

    def get(self, item_id: str) -> OutboxItem | None:
        """One item, or None."""
        with self._reading() as conn:
            row = conn.execute(f"SELECT {_FIELDS} FROM outbox WHERE id = ?", (item_id,)).fetchone()
        return self._item(row) if row else None

    def items(
        self, states: Sequence[OutboxState] = (), *, limit: int | None = None, newest_first: bool = False
    ) -> list[OutboxItem]:
        """Items in the given states (all when empty), oldest first (or newest first), at most `limit`."""
        sql = f"SELECT {_FIELDS} FROM outbox"
        args: list[str | int] = [s.value for s in states]
        if args:
            sql += f" WHERE state IN ({', '.join('?' * len(args))})"
        sql += " ORDER BY created_at DESC, id DESC" if newest_first else " ORDER BY created_at, id"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._reading() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [self._item(r) for r in rows]

    def read(self, item_id: str) -> bytes:
        """The exact stored bytes; OutboxError when the item or its file is gone."""
        item = self._require(item_id)
        try:
            return Path(item.path).read_bytes()
        except OSError as exc:
            raise OutboxError(f"The message file of {item_id} cannot be read: {exc}") from exc

    def next_due(self) -> float | None:
        """When the next HELD or RETRY item becomes due (epoch seconds), or None."""
        with self._reading() as conn:
            row = conn.execute(
                "SELECT MIN(CASE state WHEN 'held' THEN hold_until ELSE next_retry END)"
                " FROM outbox WHERE state IN ('held', 'retry')"
            ).fetchone()
        return None if row[0] is None else float(row[0])

    # -- delivery side -------------------------------------------------------------------------

    def claim_due(self, now: float | None = None) -> list[OutboxItem]:
        """Atomically move due HELD/RETRY items to SENDING and return them (each claimed once)."""
        now = self._clock() if now is None else now
        # Not fsynced: a claim lost to a power loss puts the item back to held/retry, and it is
        # sent once after the restart — what a durable SENDING row leads to as well (recover()
        # resumes it). kill -9 cannot lose it (see storage.sqlite). The durable mark_sent that
        # follows a send makes this claim durable too (the WAL is synced in order).
        with self._writing_transaction(durable=False) as conn:
            rows = conn.execute(
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?"
                " WHERE (state = 'held' AND hold_until <= ?)"
                " OR (state = 'retry' AND next_retry <= ?)"
                f" RETURNING {_FIELDS}",
                (now, now, now),
            ).fetchall()
        return sorted((self._item(r) for r in rows), key=lambda i: (i.created_at, i.id))

    def mark_sent(self, item_id: str, reply: str) -> OutboxItem:
        """SENDING → SENT; the .eml stays where it is."""
        # Durable (fsync), like every record of what the upstream did: an unsynced SENT lost to
        # a power loss would send the mail again, long after the fact.
        now = self._clock()
        return self._transition(item_id, (S,), "marked as sent", "state = 'sent', reply = ?,"
                                " sent_at = ?, last_error = '', next_retry = NULL", (reply, now))

    def mark_retry(self, item_id: str, error: str, next_retry: float) -> OutboxItem:
        """SENDING → RETRY at `next_retry` with the server's reply."""
        return self._transition(item_id, (S,), "queued for retry",
                                "state = 'retry', last_error = ?, next_retry = ?",
                                (error, next_retry))

    def mark_failed(self, item_id: str, error: str) -> OutboxItem:
        """SENDING or RETRY → FAILED with the server's reply (kept, never deleted)."""
        return self._transition(item_id, (S, RT), "marked as failed",
                                "state = 'failed', last_error = ?, next_retry = NULL", (error,))

    # -- user side -----------------------------------------------------------------------------

    def release(self, item_id: str) -> OutboxItem:
        """"Send now": a HELD item becomes due immediately."""
        return self._transition(item_id, (H,), "sent now", "hold_until = MIN(hold_until, ?)",
                                (self._clock(),))

    def retry(self, item_id: str) -> OutboxItem:
        """FAILED or RETRY → RETRY due now."""
        return self._transition(item_id, (F, RT), "retried", "state = 'retry', next_retry = ?",
                                (self._clock(),))

    def undo(self, item_id: str) -> Path:
        """HELD/RETRY/FAILED → RETURNED; the .eml moves to returned/; returns its new path."""
        try:
            with self._db.transaction() as conn:
                item = self._locked_item(conn, item_id, (H, RT, F), "undone")
                source = Path(item.path)
                target = self.paths.returned_dir / source.name
                try:
                    os.replace(source, target)
                    fsync_dir(self.paths.returned_dir)
                    fsync_dir(source.parent)
                except OSError as exc:
                    raise StorageError(_describe(exc, self.paths.returned_dir)) from exc
                try:
                    conn.execute(
                        "UPDATE outbox SET state = 'returned', path = ?, next_retry = NULL,"
                        " updated_at = ? WHERE id = ?",
                        (f"returned/{target.name}", self._clock(), item_id),
                    )
                except sqlite3.Error:
                    with contextlib.suppress(OSError):
                        os.replace(target, source)  # keep file and row in agreement
                    raise
        except sqlite3.Error as exc:
            raise StorageError(_describe(exc, self.paths.database)) from exc
        return target

    # -- start-up ------------------------------------------------------------------------------

    def recover(self) -> int:
        """At start: SENDING → RETRY due now, missing files → FAILED, stray files removed."""
        now = self._clock()
        with self._writing_lock:
            busy = set(self._writing)
        with self._writing_transaction() as conn:
            resumed = [r[0] for r in conn.execute(
                "UPDATE outbox SET state = 'retry', next_retry = ?, updated_at = ?,"
                " last_error = 'Missend Guard stopped while this mail was being sent; it is sent"
                " again (the server may already have received it).'"
                " WHERE state = 'sending' RETURNING id", (now, now)).fetchall()]
            missing: list[str] = []
            known: set[str] = set()
            for row in conn.execute("SELECT id, state, path FROM outbox").fetchall():
                known.add(row["id"])
                if row["state"] in ("held", "retry", "failed") and not (
                        self.paths.root / row["path"]).exists():
                    missing.append(row["id"])
                    conn.execute(
                        "UPDATE outbox SET state = 'failed', next_retry = NULL, updated_at = ?,"
                        " last_error = ? WHERE id = ?",
                        (now, f"The message file {row['path']} is missing from the data folder;"
                         " it cannot be sent.", row["id"]),
                    )
        removed, orphans = self._clear_strays(known | busy)
        self.last_recovery = Recovery(tuple(sorted(resumed)), tuple(missing), removed, orphans)
        return len(resumed)

    def _clear_strays(self, keep: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        # A .tmp is a write that never finished: removed. An .eml without a row is normally a
        # store interrupted before its commit (so the client never got 250 and still has the
        # mail) — but it could also be acknowledged mail whose database was lost or restored
        # from an old copy. Never sent (the envelope is in the row) and never deleted: it is
        # moved to returned/ where the user can find it.
        removed: list[str] = []
        orphans: list[str] = []
        try:
            self.paths.outbox_dir.mkdir(parents=True, exist_ok=True)
            strays = [p for p in self.paths.outbox_dir.iterdir()
                      if p.suffix in (".tmp", ".eml") and p.stem not in keep]
        except OSError as exc:
            raise StorageError(_describe(exc, self.paths.outbox_dir)) from exc
        for path in strays:
            with contextlib.suppress(OSError):
                if path.suffix == ".tmp":
                    path.unlink()
                    removed.append(path.name)
                else:
                    os.replace(path, self.paths.returned_dir / f"unsent-{path.name}")
                    orphans.append(path.name)
        return tuple(removed), tuple(orphans)

    # -- helpers -------------------------------------------------------------------------------

    @contextmanager
    def _writing_transaction(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        try:
            with self._db.transaction(durable=durable) as conn:
                yield conn
        except sqlite3.Error as exc:
            raise StorageError(_describe(exc, self.paths.database)) from exc

    def _require(self, item_id: str) -> OutboxItem:
        item = self.get(item_id)
        if item is None:
            raise OutboxError(f"There is no message {item_id!r} in the outbox.")
        return item

    def _locked_item(self, conn: sqlite3.Connection, item_id: str,
                     allowed: tuple[OutboxState, ...], verb: str) -> OutboxItem:
        row = conn.execute(f"SELECT {_FIELDS} FROM outbox WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise OutboxError(f"There is no message {item_id!r} in the outbox.")
        item = self._item(row)
        if item.state not in allowed:
            raise OutboxError(_refusal(item, verb))
        return item

    def _transition(self, item_id: str, allowed: tuple[OutboxState, ...], verb: str,
                    assignments: str, args: tuple[object, ...]) -> OutboxItem:
        with self._writing_transaction() as conn:
            self._locked_item(conn, item_id, allowed, verb)
            conn.execute(f"UPDATE outbox SET {assignments}, updated_at = ? WHERE id = ?",
                         (*args, self._clock(), item_id))
        return self._require(item_id)


def _refusal(item: OutboxItem, verb: str) -> str:
    if item.state is S:
        return f"Message {item.id} is being sent right now; it can no longer be {verb}."
    if item.state is OK:
        return f"Message {item.id} has already been sent; it cannot be {verb}."
    if item.state is RET:
        return f"Message {item.id} was returned to you (undo); it cannot be {verb}."
    state = {H: "is still held", F: "has failed", RT: "is waiting to be retried"}[item.state]
    return f"Message {item.id} {state}; it cannot be {verb}."


def _remove(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
