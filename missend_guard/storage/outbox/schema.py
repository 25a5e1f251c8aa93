"""The outbox table: its migrations, how a row becomes an OutboxItem (no paths leave storage) and
how a state change is written."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

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
    # The point of no return of a try (the final dot, Graph's send request) is recorded before it
    # is passed: a crash after it makes the mail UNCERTAIN instead of sending it again.
    """
    ALTER TABLE outbox ADD COLUMN phase TEXT NOT NULL DEFAULT '';  -- '' or 'delivering'
    CREATE INDEX outbox_sent ON outbox (state, sent_at);
    """,
)

FIELDS = ("id, state, mail_from, rcpt_tos, subject, message_id, account, created_at, hold_until, "
          "attempts, next_retry, last_error, waiting_for, trying_since")


def item_from_row(row: sqlite3.Row) -> OutboxItem:
    """The OutboxItem of a row selected with FIELDS."""
    return OutboxItem(
        id=row["id"], state=OutboxState(row["state"]), mail_from=row["mail_from"],
        rcpt_tos=tuple(json.loads(row["rcpt_tos"])), subject=row["subject"],
        message_id=row["message_id"], account=row["account"], created_at=row["created_at"],
        hold_until=row["hold_until"], attempts=row["attempts"], next_retry=row["next_retry"],
        last_error=row["last_error"], waiting_for=row["waiting_for"],
        tried_at=row["trying_since"],
    )


@dataclass(frozen=True)
class Expr:
    """A column value SQLite computes from the row itself (attempts + 1), not a bound value."""

    sql: str
    args: tuple[object, ...] = ()


def assignments(to: OutboxState, now: float,
                columns: Mapping[str, object]) -> tuple[str, list[object]]:
    """The SET clause and its arguments for a move to `to` with `columns` set."""
    # Column names come from storage code, never from input; values are bound parameters.
    sets: list[str] = ["state = ?", "updated_at = ?"]
    args: list[object] = [to.value, now]
    for name, value in columns.items():
        if isinstance(value, Expr):
            sets.append(f"{name} = {value.sql}")
            args.extend(value.args)
        else:
            sets.append(f"{name} = ?")
            args.append(value)
    return ", ".join(sets), args


def update_row(conn: sqlite3.Connection, item_id: str, to: OutboxState, now: float,
               columns: Mapping[str, object]) -> OutboxItem:
    """Move one row to `to` with `columns` set; the item as it is now."""
    sets, args = assignments(to, now, columns)
    row = conn.execute(f"UPDATE outbox SET {sets} WHERE id = ? RETURNING {FIELDS}",
                       (*args, item_id)).fetchone()
    return item_from_row(row)


def update_where(conn: sqlite3.Connection, where: str, to: OutboxState, now: float,
                 columns: Mapping[str, object]) -> list[str]:
    """Move every row matching `where` (storage's own SQL) to `to`; their ids."""
    sets, args = assignments(to, now, columns)
    return [r[0] for r in conn.execute(
        f"UPDATE outbox SET {sets} WHERE {where} RETURNING id", args).fetchall()]
