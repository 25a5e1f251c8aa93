"""The audit log: append-only decisions and deliveries (core.ports.AuditLog), CSV/JSON export."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import StorageError
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.sqlite import Database

MIGRATIONS = (
    """
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,              -- ISO 8601 UTC, fixed width, so text order = time order
        kind TEXT NOT NULL,
        message_id TEXT NOT NULL,
        subject TEXT NOT NULL,           -- "sha256:<16 hex>" or the subject, per audit_subject
        recipients TEXT NOT NULL,        -- JSON list
        codes TEXT NOT NULL,             -- JSON list
        decision TEXT NOT NULL,
        decided_by TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE INDEX audit_time ON audit (time);
    """,
)
SUBJECT_MODES = ("hash", "plain")
_UNSYNCED_KINDS = frozenset({"delivery"})
CSV_COLUMNS = ("time", "kind", "message_id", "subject", "recipients", "codes", "decision",
               "decided_by", "detail")


@dataclass(frozen=True)
class AuditRow:
    """One stored audit event."""

    id: int
    time: datetime  # timezone-aware UTC
    kind: str
    message_id: str
    subject: str
    recipients: tuple[str, ...]
    codes: tuple[str, ...]
    decision: str
    decided_by: str
    detail: str


def subject_fingerprint(subject: str) -> str:
    """A short SHA-256 fingerprint: same subject, same value, without revealing the text."""
    return "sha256:" + hashlib.sha256(subject.encode("utf-8")).hexdigest()[:16]


def iso_utc(moment: datetime) -> str:
    """Fixed-width ISO 8601 UTC (naive datetimes are taken as local time)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class SqliteAuditLog:
    """Audit rows in the shared database; `subject_mode` may be changed when settings change."""

    def __init__(self, paths: DataPaths, subject_mode: str = "hash",
                 clock: Callable[[], float] = time.time, database: Database | None = None) -> None:
        if subject_mode not in SUBJECT_MODES:
            raise ValueError(f"subject_mode must be 'hash' or 'plain', not {subject_mode!r}")
        self.subject_mode = subject_mode
        self._clock = clock
        self._where = paths.database
        try:
            self._db = database or Database(paths.database)
            self._db.migrate("audit", MIGRATIONS)
        except sqlite3.Error as exc:
            raise StorageError(
                f"The audit log in {paths.database} cannot be opened: {exc}"
            ) from exc

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    @property
    def database(self) -> Database:
        """The database the rows go to (the outbox writes decision rows in its own commit)."""
        return self._db

    def record(self, event: AuditEvent) -> None:
        """Append one event; StorageError when the database refuses."""
        # Delivery rows (one per attempt, the busiest kind) skip the fsync: each follows the
        # outbox's own durable mark_sent/retry/failed, they survive kill -9 like any commit, and
        # the next durable commit makes them durable; only a power loss in between loses them,
        # and never a mail. Decisions, pauses, undos are rare acts of a person: kept with fsync.
        try:
            with self._db.transaction(durable=event.kind not in _UNSYNCED_KINDS) as conn:
                self.insert(conn, event)
        except sqlite3.Error as exc:
            raise StorageError(
                f"The audit log in {self._where} could not be written: {exc}"
            ) from exc

    def insert(self, conn: sqlite3.Connection, event: AuditEvent) -> None:
        """Append one event inside the caller's transaction on `self.database`."""
        subject = event.subject
        if self.subject_mode != "plain" and subject:
            subject = subject_fingerprint(subject)
        moment = datetime.fromtimestamp(self._clock(), UTC)
        conn.execute(
            "INSERT INTO audit (time, kind, message_id, subject, recipients, codes,"
            " decision, decided_by, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (iso_utc(moment), event.kind, event.message_id, subject,
             json.dumps(list(event.recipients), ensure_ascii=False),
             json.dumps(list(event.codes)), event.decision, event.decided_by, event.detail),
        )

    def query(self, since: datetime | None = None, limit: int | None = None) -> list[AuditRow]:
        """Events at or after `since`, oldest first; with `limit`, only the newest `limit`."""
        sql = "SELECT * FROM audit"
        args: list[Any] = []
        if since is not None:
            sql += " WHERE time >= ?"
            args.append(iso_utc(since))
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(max(0, limit))
        with self._db.reading() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [_row(r) for r in reversed(rows)]

    @staticmethod
    def to_json(rows: Sequence[AuditRow]) -> list[dict[str, Any]]:
        """JSON-ready dicts (time as ISO 8601 UTC, lists as lists)."""
        return [
            {"time": iso_utc(r.time), "kind": r.kind, "message_id": r.message_id,
             "subject": r.subject, "recipients": list(r.recipients), "codes": list(r.codes),
             "decision": r.decision, "decided_by": r.decided_by, "detail": r.detail}
            for r in rows
        ]

    @staticmethod
    def to_csv(rows: Sequence[AuditRow]) -> str:
        """CSV text starting with a UTF-8 BOM; write it with encoding="utf-8" (not utf-8-sig)."""
        buffer = io.StringIO()
        # Excel on Japanese Windows opens a CSV without a BOM as Shift_JIS (CP932), turning
        # Japanese subjects and names into mojibake; the BOM makes it read UTF-8.
        buffer.write("\ufeff")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for item in SqliteAuditLog.to_json(rows):
            writer.writerow([
                _cell("; ".join(v) if isinstance(v, list) else str(v))
                for v in (item[c] for c in CSV_COLUMNS)
            ])
        return buffer.getvalue()


def _cell(text: str) -> str:
    # Subjects and server replies come from outside; a leading = + - @ would run as an Excel
    # formula (CSV injection), so such cells are prefixed with an apostrophe.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _row(row: sqlite3.Row) -> AuditRow:
    return AuditRow(
        id=row["id"],
        time=datetime.strptime(row["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC),
        kind=row["kind"], message_id=row["message_id"], subject=row["subject"],
        recipients=tuple(json.loads(row["recipients"])), codes=tuple(json.loads(row["codes"])),
        decision=row["decision"], decided_by=row["decided_by"], detail=row["detail"],
    )
