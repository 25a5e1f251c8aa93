"""The durable outbox: .eml files under outbox/ plus one SQLite row each (core.ports.outbox.Outbox).

Every state change is one transaction that first checks the row's state (`_transition`), so a
new state is an enum value, a refusal sentence and the methods that move into and out of it.
"""

from __future__ import annotations

import contextlib
import json
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
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import DecisionEvent, OutboxItem, OutboxState, StorageError
from missend_guard.storage.atomic import fsync_dir, write_synced
from missend_guard.storage.audit import SqliteAuditLog
from missend_guard.storage.outbox_files import describe, move_durably, remove, sweep_strays
from missend_guard.storage.outbox_schema import FIELDS, MIGRATIONS, item_from_row
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.sqlite import Database

H, S, OK, RT, F, RET = (OutboxState.HELD, OutboxState.SENDING, OutboxState.SENT,
                        OutboxState.RETRY, OutboxState.FAILED, OutboxState.RETURNED)

STOPPED_WHILE_SENDING = ("Missend Guard stopped while this mail was being sent; it is sent again "
                         "(the server may already have received it).")

# Appends one audit event inside the caller's transaction (SqliteAuditLog.insert).
AuditInsert = Callable[[sqlite3.Connection, AuditEvent], None]


class OutboxError(UserError):
    """A user action on the outbox is not possible (unknown id, wrong state); message is shown."""


@dataclass(frozen=True)
class Recovery:
    """What `recover()` found at start."""

    resumed: tuple[str, ...] = ()  # SENDING → RETRY
    missing: tuple[str, ...] = ()  # rows whose .eml is gone → FAILED
    removed_files: tuple[str, ...] = ()  # unfinished .tmp writes
    orphans: tuple[str, ...] = ()  # .eml files without a row, moved to returned/


@dataclass(frozen=True)
class _Expr:
    """A column value SQLite computes from the row itself (attempts + 1), not a bound value."""

    sql: str
    args: tuple[object, ...] = ()


class SqliteOutbox:
    """Rows in the shared database, bytes in outbox/<id>.eml; safe to use from several threads.

    `audit` writes the decision's audit row in the row's own commit; it must write to the same
    database file (by default, the audit table of `database` with subjects hashed).
    """

    def __init__(self, paths: DataPaths, clock: Callable[[], float] = time.time,
                 database: Database | None = None, *, audit: AuditInsert | None = None) -> None:
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
            self._audit = audit or SqliteAuditLog(paths, database=self._db).insert
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(describe(exc, paths.database)) from exc

    def close(self) -> None:
        """Close the database connection (only when this outbox opened it)."""
        self._db.close()

    # -- storing -------------------------------------------------------------------------------

    def _new_id(self, now: float) -> str:
        # Time first so ids sort by creation; random suffix so two stores in one ms never collide.
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now))
        return f"{stamp}{int(now * 1000) % 1000:03d}Z-{secrets.token_hex(4)}"

    def store(self, raw: bytes, envelope: Envelope, *, subject: str, message_id: str, account: str,
              hold_seconds: float, decision: DecisionEvent) -> OutboxItem:
        """Write outbox/<id>.eml (temp, fsync, rename, fsync dir), then commit row and audit row."""
        now = self._clock()
        item_id = self._new_id(now)
        item = OutboxItem(
            id=item_id, state=H, mail_from=envelope.mail_from, rcpt_tos=tuple(envelope.rcpt_tos),
            subject=subject, message_id=message_id, account=account, created_at=now,
            hold_until=now + max(0.0, hold_seconds),
        )
        with self._writing_lock:
            self._writing.add(item_id)
        try:
            final = self._write_file(item_id, raw)
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
                    # Same commit: a 250 always has its decision on record, and a 451 never does.
                    self._audit(conn, decision(item))
            except BaseException as exc:
                # No row means the client gets 451 and keeps the mail: the file must not linger.
                remove(final)
                if isinstance(exc, sqlite3.Error):
                    raise StorageError(describe(exc, self.paths.database)) from exc
                raise
        finally:
            with self._writing_lock:
                self._writing.discard(item_id)
        return item

    def _write_file(self, item_id: str, raw: bytes) -> Path:
        tmp = self.paths.outbox_dir / f"{item_id}.tmp"
        final = self.paths.outbox_dir / f"{item_id}.eml"
        try:
            write_synced(tmp, raw)
            os.replace(tmp, final)
            # Needed: the file's fsync makes its data durable, not its new name; without this a
            # power loss could keep the row but not the directory entry (only ext4's journal
            # happens to cover both; POSIX does not promise it).
            fsync_dir(self.paths.outbox_dir)
        except OSError as exc:
            remove(tmp, final)
            raise StorageError(describe(exc, self.paths.outbox_dir)) from exc
        return final

    # -- reading -------------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._db.reading() as conn:
                yield conn
        except sqlite3.Error as exc:
            raise StorageError(describe(exc, self.paths.database)) from exc

    def get(self, item_id: str) -> OutboxItem | None:
        """One item, or None."""
        with self._reading() as conn:
            row = conn.execute(f"SELECT {FIELDS} FROM outbox WHERE id = ?", (item_id,)).fetchone()
        return item_from_row(row) if row else None

    def items(
        self, states: Sequence[OutboxState] = (), *, limit: int | None = None,
        newest_first: bool = False,
    ) -> list[OutboxItem]:
        """Items in the given states (all when empty), oldest first (or newest), at most `limit`."""
        sql = f"SELECT {FIELDS} FROM outbox"
        args: list[str | int] = [s.value for s in states]
        if args:
            sql += f" WHERE state IN ({', '.join('?' * len(args))})"
        sql += " ORDER BY created_at DESC, id DESC" if newest_first else " ORDER BY created_at, id"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._reading() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [item_from_row(r) for r in rows]

    def message_file(self, item_id: str) -> Path:
        """Where the item's .eml is now (outbox/ or returned/): for the desktop and the CLI."""
        with self._reading() as conn:
            return self._file_of(conn, item_id)

    def _file_of(self, conn: sqlite3.Connection, item_id: str) -> Path:
        row = conn.execute("SELECT path FROM outbox WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise OutboxError(f"There is no message {item_id!r} in the outbox.")
        return self.paths.root / str(row["path"])

    def read(self, item_id: str) -> bytes:
        """The exact stored bytes; OutboxError when the item or its file is gone."""
        try:
            return self.message_file(item_id).read_bytes()
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
        # Not fsynced: a claim is no attempt (begin_attempt is, durably), so losing one to a
        # power loss only puts the item back to held/retry. kill -9 cannot lose it (see
        # storage.sqlite).
        with self._writing_transaction(durable=False) as conn:
            rows = conn.execute(
                "UPDATE outbox SET state = 'sending', updated_at = ?"
                " WHERE (state = 'held' AND hold_until <= ?)"
                " OR (state = 'retry' AND next_retry <= ?)"
                f" RETURNING {FIELDS}",
                (now, now, now),
            ).fetchall()
        return sorted((item_from_row(r) for r in rows), key=lambda i: (i.created_at, i.id))

    def begin_attempt(self, item_id: str) -> OutboxItem:
        """SENDING: a real delivery try starts now; counts it and ends any wait for the user."""
        # Durable before the sender runs, so a recovery can tell a try that may have reached the
        # server from a claim that never left the app.
        return self._transition(item_id, (S,), S, "tried", attempts=_Expr("attempts + 1"),
                                trying_since=self._clock(), waiting_for="")

    def mark_sent(self, item_id: str, reply: str) -> OutboxItem:
        """SENDING → SENT; the .eml stays where it is."""
        # Durable (fsync), like every record of what the upstream did: an unsynced SENT lost to
        # a power loss would send the mail again, long after the fact.
        return self._transition(item_id, (S,), OK, "marked as sent", reply=reply,
                                sent_at=self._clock(), last_error="", next_retry=None,
                                trying_since=None, waiting_for="")

    def mark_retry(self, item_id: str, error: str, next_retry: float) -> OutboxItem:
        """SENDING → RETRY at `next_retry` with the server's reply."""
        return self._transition(item_id, (S,), RT, "queued for retry", last_error=error,
                                next_retry=next_retry, trying_since=None)

    def mark_waiting(self, item_id: str, why: str, reason: str, next_retry: float) -> OutboxItem:
        """SENDING → RETRY waiting for the user (`why`); looked at again at `next_retry`."""
        # A sign-in refused inside the sender's try means nothing was handed to a server: that
        # try was no delivery attempt, so it is not counted.
        return self._transition(item_id, (S,), RT, "put on hold", waiting_for=why,
                                last_error=reason, next_retry=next_retry, trying_since=None,
                                attempts=_Expr("attempts - (trying_since IS NOT NULL)"))

    def mark_failed(self, item_id: str, error: str) -> OutboxItem:
        """SENDING or RETRY → FAILED with the server's reply (kept, never deleted)."""
        return self._transition(item_id, (S, RT), F, "marked as failed", last_error=error,
                                next_retry=None, trying_since=None, waiting_for="")

    # -- user side -----------------------------------------------------------------------------

    def release(self, item_id: str) -> OutboxItem:
        """"Send now": a HELD item becomes due immediately."""
        return self._transition(item_id, (H,), H, "sent now",
                                hold_until=_Expr("MIN(hold_until, ?)", (self._clock(),)))

    def retry(self, item_id: str) -> OutboxItem:
        """FAILED or RETRY → RETRY due now (a wait for the user stays until a real try)."""
        return self._transition(item_id, (F, RT), RT, "retried", next_retry=self._clock())

    def undo(self, item_id: str) -> OutboxItem:
        """HELD/RETRY/FAILED → RETURNED; the .eml moves to returned/ (see `message_file`)."""
        moved: list[tuple[Path, Path]] = []
        try:
            with self._db.transaction() as conn:
                self._check(conn, item_id, (H, RT, F), "undone")
                source = self._file_of(conn, item_id)
                target = self.paths.returned_dir / source.name
                move_durably(source, target)
                moved.append((source, target))
                return self._update(conn, item_id, RET, path=f"returned/{target.name}",
                                    next_retry=None, waiting_for="")
        except sqlite3.Error as exc:
            for source, target in moved:  # keep file and row in agreement
                with contextlib.suppress(OSError):
                    os.replace(target, source)
            raise StorageError(describe(exc, self.paths.database)) from exc

    # -- start-up ------------------------------------------------------------------------------

    def recover(self) -> int:
        """At start: SENDING → RETRY due now, missing files → FAILED, stray files put aside."""
        now = self._clock()
        with self._writing_lock:
            busy = set(self._writing)
        with self._writing_transaction() as conn:
            # Claimed but never handed to a sender: nothing left the app.
            resumed = self._update_where(conn, "state = 'sending' AND trying_since IS NULL", RT,
                                         next_retry=now)
            # A try was under way: the server may have the mail (issue #12 makes it UNCERTAIN).
            resumed += self._update_where(conn, "state = 'sending' AND trying_since IS NOT NULL",
                                          RT, next_retry=now, trying_since=None,
                                          last_error=STOPPED_WHILE_SENDING)
            missing: list[str] = []
            known: set[str] = set()
            for row in conn.execute("SELECT id, state, path FROM outbox").fetchall():
                known.add(row["id"])
                if row["state"] in ("held", "retry", "failed") and not (
                        self.paths.root / row["path"]).exists():
                    missing.append(row["id"])
                    self._update(conn, row["id"], F, next_retry=None, last_error=(
                        f"The message file {row['path']} is missing from the data folder;"
                        " it cannot be sent."))
        removed, orphans = sweep_strays(self.paths, known | busy)
        self.last_recovery = Recovery(tuple(sorted(resumed)), tuple(missing), removed, orphans)
        return len(resumed)

    # -- transitions ---------------------------------------------------------------------------

    @contextmanager
    def _writing_transaction(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        try:
            with self._db.transaction(durable=durable) as conn:
                yield conn
        except sqlite3.Error as exc:
            raise StorageError(describe(exc, self.paths.database)) from exc

    def _transition(self, item_id: str, allowed: tuple[OutboxState, ...], to: OutboxState,
                    verb: str, **columns: object) -> OutboxItem:
        """One state change in one (durable) transaction, refused unless the row is `allowed`."""
        with self._writing_transaction() as conn:
            self._check(conn, item_id, allowed, verb)
            return self._update(conn, item_id, to, **columns)

    def _check(self, conn: sqlite3.Connection, item_id: str,
               allowed: tuple[OutboxState, ...], verb: str) -> None:
        row = conn.execute(f"SELECT {FIELDS} FROM outbox WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise OutboxError(f"There is no message {item_id!r} in the outbox.")
        item = item_from_row(row)
        if item.state not in allowed:
            raise OutboxError(_refusal(item, verb))

    def _update(self, conn: sqlite3.Connection, item_id: str, to: OutboxState,
                **columns: object) -> OutboxItem:
        sets, args = self._assignments(to, columns)
        row = conn.execute(f"UPDATE outbox SET {sets} WHERE id = ? RETURNING {FIELDS}",
                           (*args, item_id)).fetchone()
        return item_from_row(row)

    def _update_where(self, conn: sqlite3.Connection, where: str, to: OutboxState,
                      **columns: object) -> list[str]:
        sets, args = self._assignments(to, columns)
        return [r[0] for r in conn.execute(
            f"UPDATE outbox SET {sets} WHERE {where} RETURNING id", args).fetchall()]

    def _assignments(self, to: OutboxState, columns: dict[str, object]) -> tuple[str, list[object]]:
        # Column names come from this module, never from input; values are bound parameters.
        sets: list[str] = ["state = ?", "updated_at = ?"]
        args: list[object] = [to.value, self._clock()]
        for name, value in columns.items():
            if isinstance(value, _Expr):
                sets.append(f"{name} = {value.sql}")
                args.extend(value.args)
            else:
                sets.append(f"{name} = ?")
                args.append(value)
        return ", ".join(sets), args


def _refusal(item: OutboxItem, verb: str) -> str:
    if item.state is S:
        return f"Message {item.id} is being sent right now; it can no longer be {verb}."
    if item.state is OK:
        return f"Message {item.id} has already been sent; it cannot be {verb}."
    if item.state is RET:
        return f"Message {item.id} was returned to you (undo); it cannot be {verb}."
    state = {H: "is still held", F: "has failed", RT: "is waiting to be retried"}[item.state]
    return f"Message {item.id} {state}; it cannot be {verb}."
