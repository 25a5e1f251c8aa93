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
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from missend_guard.core.message.bcc import restore_hidden_recipients
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import (
    DecisionEvent,
    OutboxItem,
    OutboxState,
    Recovery,
    Spool,
    StorageError,
)
from missend_guard.storage.atomic import atomic_write, fsync_dir
from missend_guard.storage.audit import SqliteAuditLog
from missend_guard.storage.outbox.files import (
    describe,
    keep_or_write,
    move_durably,
    remove,
    sweep_strays,
)
from missend_guard.storage.outbox.schema import (
    FIELDS,
    MIGRATIONS,
    Expr,
    item_from_row,
    update_row,
    update_where,
)
from missend_guard.storage.outbox.spool import FileSpool
from missend_guard.storage.outbox.transitions import OutboxError, check, transition
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.sqlite import Database

H, S, OK, RT, F, RET, UN = (OutboxState.HELD, OutboxState.SENDING, OutboxState.SENT,
                            OutboxState.RETRY, OutboxState.FAILED, OutboxState.RETURNED,
                            OutboxState.UNCERTAIN)

STOPPED_BEFORE_SENDING = ("Missend Guard stopped while connecting to the server, before the mail "
                          "could reach it; it is sent again.")
STOPPED_WHILE_SENDING = ("Missend Guard stopped right after handing this mail to the server, "
                         "before the server confirmed it: it may have been delivered. Check, then "
                         "send it again or mark it as sent.")
MARKED_SENT = "marked sent by user"
SENT_AGAIN = "sent again by user (an earlier copy may have been delivered)"

# Appends one audit event inside the caller's transaction (SqliteAuditLog.insert).
AuditInsert = Callable[[sqlite3.Connection, AuditEvent], None]


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
        self._spools: weakref.WeakSet[FileSpool] = weakref.WeakSet()  # open DATA spools
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

    def open_spool(self) -> FileSpool:
        """A private file in outbox/ for the relay's DATA, which `store` can keep (OSError if not)."""
        with self._writing_lock:  # the sweep at start leaves it alone
            spool = FileSpool(self.paths.outbox_dir)
            self._spools.add(spool)
        return spool

    def store(self, raw: bytes, envelope: Envelope, *, subject: str, message_id: str, account: str,
              hold_seconds: float, decision: DecisionEvent, spool: Spool | None = None) -> OutboxItem:
        """outbox/<id>.eml durably (the spool kept, or temp, fsync, rename), fsync dir, then commit
        row and audit row."""
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
            final = keep_or_write(self.paths.outbox_dir, item_id, raw, spool)
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
        """When the next HELD/RETRY item is due, or an UNCERTAIN one is looked for, or None."""
        with self._reading() as conn:
            row = conn.execute(
                "SELECT MIN(CASE state WHEN 'held' THEN hold_until ELSE next_retry END)"
                " FROM outbox WHERE state IN ('held', 'retry', 'uncertain')"
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
        # Not fsynced: recovery resumes a SENDING item whose try never reached `mark_delivering`
        # whether or not this row survived, and mark_delivering's durable commit (before the
        # point of no return) makes this one durable too: the WAL is written in order.
        return self._transition(item_id, (S,), S, "tried", durable=False,
                                attempts=Expr("attempts + 1"), trying_since=self._clock(),
                                waiting_for="", phase="")

    def mark_delivering(self, item_id: str) -> OutboxItem:
        """SENDING: the point of no return is next; durable before the sender passes it."""
        return self._transition(item_id, (S,), S, "handed to the server", phase="delivering")

    def mark_sent(self, item_id: str, reply: str) -> OutboxItem:
        """SENDING (or UNCERTAIN, found upstream) → SENT; the .eml stays where it is."""
        # Durable (fsync), like every record of what the upstream did: an unsynced SENT lost to
        # a power loss would send the mail again, long after the fact.
        return self._transition(item_id, (S, UN), OK, "marked as sent", reply=reply,
                                sent_at=self._clock(), last_error="", next_retry=None,
                                trying_since=None, waiting_for="", phase="")

    def mark_uncertain(self, item_id: str, error: str, look_again: float | None) -> OutboxItem:
        """SENDING or UNCERTAIN → UNCERTAIN with the reason; looked for upstream at `look_again`."""
        return self._transition(item_id, (S, UN), UN, "left to the user", last_error=error,
                                next_retry=look_again, waiting_for="", phase="")

    def mark_retry(self, item_id: str, error: str, next_retry: float) -> OutboxItem:
        """SENDING → RETRY at `next_retry` with the server's reply."""
        return self._transition(item_id, (S,), RT, "queued for retry", last_error=error,
                                next_retry=next_retry, trying_since=None, phase="")

    def mark_waiting(self, item_id: str, why: str, reason: str, next_retry: float) -> OutboxItem:
        """SENDING → RETRY waiting for the user (`why`); looked at again at `next_retry`."""
        # A sign-in refused inside the sender's try means nothing was handed to a server: that
        # try was no delivery attempt, so it is not counted.
        return self._transition(item_id, (S,), RT, "put on hold", waiting_for=why,
                                last_error=reason, next_retry=next_retry, trying_since=None,
                                attempts=Expr("attempts - (trying_since IS NOT NULL)"), phase="")

    def mark_failed(self, item_id: str, error: str) -> OutboxItem:
        """SENDING or RETRY → FAILED with the server's reply (kept, never deleted)."""
        return self._transition(item_id, (S, RT), F, "marked as failed", last_error=error,
                                next_retry=None, trying_since=None, waiting_for="", phase="")

    # -- user side -----------------------------------------------------------------------------

    def release(self, item_id: str) -> OutboxItem:
        """"Send now": a HELD item becomes due immediately."""
        return self._transition(item_id, (H,), H, "sent now",
                                hold_until=Expr("MIN(hold_until, ?)", (self._clock(),)))

    def retry(self, item_id: str) -> OutboxItem:
        """FAILED or RETRY → RETRY due now (a wait for the user stays until a real try)."""
        return self._transition(item_id, (F, RT), RT, "retried", next_retry=self._clock())

    def resend(self, item_id: str) -> OutboxItem:
        """UNCERTAIN → RETRY due now, on the user's word (audited in the same commit)."""
        return self._transition(item_id, (UN,), RT, "sent again", audit=("resend", SENT_AGAIN),
                                next_retry=self._clock(), trying_since=None)

    def mark_sent_by_user(self, item_id: str) -> OutboxItem:
        """UNCERTAIN → SENT on the user's word (audited in the same commit)."""
        return self._transition(item_id, (UN,), OK, "marked as sent", audit=("sent", MARKED_SENT),
                                reply=MARKED_SENT, sent_at=self._clock(), next_retry=None,
                                trying_since=None)

    def undo(self, item_id: str) -> OutboxItem:
        """HELD/RETRY/FAILED → RETURNED; the .eml moves to returned/ (see `message_file`), Bcc written in."""
        moved: list[tuple[Path, Path]] = []
        try:
            with self._db.transaction() as conn:
                check(conn, item_id, (H, RT, F), "undone")
                source = self._file_of(conn, item_id)
                target = self.paths.returned_dir / source.name
                move_durably(source, target)
                moved.append((source, target))
                item = self._update(conn, item_id, RET, path=f"returned/{target.name}",
                                    next_retry=None, waiting_for="")
        except sqlite3.Error as exc:
            for source, target in moved:  # keep file and row in agreement
                with contextlib.suppress(OSError):
                    os.replace(target, source)
            raise StorageError(describe(exc, self.paths.database)) from exc
        with contextlib.suppress(OSError):  # after the commit: a rollback never sends a changed copy
            raw = target.read_bytes()
            if (restored := restore_hidden_recipients(raw, item.rcpt_tos)) != raw:
                atomic_write(target, restored)
        return item

    # -- start-up ------------------------------------------------------------------------------

    def recover(self) -> Recovery:
        """At start: SENDING → due again or UNCERTAIN, missing files → FAILED, strays aside."""
        now = self._clock()
        with self._writing_transaction() as conn:
            # Claimed but never handed to a sender: nothing left the app.
            resumed = self._update_where(conn, "state = 'sending' AND trying_since IS NULL", RT,
                                         next_retry=now)
            # A try stopped before its point of no return: the server cannot have the mail. The
            # cut-short try is no attempt, or every restart would use up the retry budget.
            resumed += self._update_where(conn, "state = 'sending' AND phase = ''", RT,
                                          next_retry=now, trying_since=None,
                                          attempts=Expr("MAX(attempts - 1, 0)"),
                                          last_error=STOPPED_BEFORE_SENDING)
            # Past it: the server may have the mail. Never sent again without the user; looked
            # for upstream at once where the sender can look (Graph's Sent Items).
            uncertain = self._update_where(conn, "state = 'sending'", UN, next_retry=now,
                                           last_error=STOPPED_WHILE_SENDING, phase="")
            missing: list[str] = []
            for row in conn.execute("SELECT id, state, path FROM outbox").fetchall():
                if row["state"] in ("held", "retry", "failed") and not (
                        self.paths.root / row["path"]).exists():
                    missing.append(row["id"])
                    self._update(conn, row["id"], F, next_retry=None, last_error=(
                        f"The message file {row['path']} is missing from the data folder;"
                        " it cannot be sent."))
        with self._writing_lock:  # no store or spool starts meanwhile; finished ones have rows
            with self._reading() as conn:
                keep = {str(row[0]) for row in conn.execute("SELECT id FROM outbox")}
            keep |= self._writing | {spool.path.stem for spool in list(self._spools)}
            removed, orphans = sweep_strays(self.paths, keep)
        self.last_recovery = Recovery(tuple(sorted(resumed)), tuple(sorted(uncertain)),
                                      tuple(missing), removed, orphans)
        return self.last_recovery

    def purge_sent(self, before: float) -> int:
        """Delete SENT items sent before `before` (epoch): .eml, then row; audit rows stay."""
        with self._reading() as conn:
            rows = conn.execute("SELECT id, path FROM outbox WHERE state = 'sent'"
                                " AND COALESCE(sent_at, updated_at) < ?", (before,)).fetchall()
        if not rows:
            return 0
        # Files first: a stop in between leaves a SENT row without its file (harmless), never an
        # .eml without a row, which the start-up sweep would take for unsent mail.
        remove(*(self.paths.root / str(row["path"]) for row in rows))
        with contextlib.suppress(OSError):
            fsync_dir(self.paths.outbox_dir)
        with self._writing_transaction() as conn:
            conn.executemany("DELETE FROM outbox WHERE id = ? AND state = 'sent'",
                             [(row["id"],) for row in rows])
        return len(rows)

    # -- transitions ---------------------------------------------------------------------------

    @contextmanager
    def _writing_transaction(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        try:
            with self._db.transaction(durable=durable) as conn:
                yield conn
        except sqlite3.Error as exc:
            raise StorageError(describe(exc, self.paths.database)) from exc

    def _transition(self, item_id: str, allowed: tuple[OutboxState, ...], to: OutboxState,
                    verb: str, *, audit: tuple[str, str] | None = None, durable: bool = True,
                    **columns: object) -> OutboxItem:
        """One state change in one transaction (durable unless told), refused unless `allowed`.

        `audit` (decision, detail): the user made this change; its audit row is in the same commit.
        """
        with self._writing_transaction(durable=durable) as conn:
            item = transition(conn, item_id, allowed, to, now=self._clock(), columns=columns,
                              verb=verb)
            if audit is not None:
                self._audit(conn, AuditEvent(
                    kind="delivery", message_id=item.message_id, subject=item.subject,
                    recipients=item.rcpt_tos, decision=audit[0], decided_by="user",
                    detail=audit[1]))
            return item

    def _update(self, conn: sqlite3.Connection, item_id: str, to: OutboxState,
                **columns: object) -> OutboxItem:
        return update_row(conn, item_id, to, self._clock(), columns)

    def _update_where(self, conn: sqlite3.Connection, where: str, to: OutboxState,
                      **columns: object) -> list[str]:
        return update_where(conn, where, to, self._clock(), columns)
