"""The outbox table: its migrations, and how a row becomes an OutboxItem (no paths leave storage)."""

from __future__ import annotations

import json
import sqlite3

from missend_guard.core.ports.outbox import OutboxItem, OutboxState

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
    # Waits for the user are a state of the row, and a try under way is recorded before the
    # sender runs (attempts used to be counted per claim; the old kv "delivery-waits" rows are
    # simply no longer read).
    """
    ALTER TABLE outbox ADD COLUMN waiting_for TEXT NOT NULL DEFAULT '';  -- '', account, sign-in
    ALTER TABLE outbox ADD COLUMN trying_since REAL;  -- a delivery try began and has no outcome yet
    """,
)

FIELDS = ("id, state, mail_from, rcpt_tos, subject, message_id, account, created_at, hold_until, "
          "attempts, next_retry, last_error, waiting_for")


def item_from_row(row: sqlite3.Row) -> OutboxItem:
    """The OutboxItem of a row selected with FIELDS."""
    return OutboxItem(
        id=row["id"], state=OutboxState(row["state"]), mail_from=row["mail_from"],
        rcpt_tos=tuple(json.loads(row["rcpt_tos"])), subject=row["subject"],
        message_id=row["message_id"], account=row["account"], created_at=row["created_at"],
        hold_until=row["hold_until"], attempts=row["attempts"], next_retry=row["next_retry"],
        last_error=row["last_error"], waiting_for=row["waiting_for"],
    )
