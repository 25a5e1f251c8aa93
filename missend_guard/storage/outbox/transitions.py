"""One row's state change, made only from the states that allow it; otherwise a sentence why not."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from missend_guard.core.errors import UserError
from missend_guard.core.ports.outbox import OutboxItem, OutboxState
from missend_guard.storage.outbox.schema import FIELDS, assignments, item_from_row

H, S, OK, RT, F, RET, UN = (OutboxState.HELD, OutboxState.SENDING, OutboxState.SENT,
                            OutboxState.RETRY, OutboxState.FAILED, OutboxState.RETURNED,
                            OutboxState.UNCERTAIN)


class OutboxError(UserError):
    """A user action on the outbox is not possible (unknown id, wrong state); message is shown."""


def transition(conn: sqlite3.Connection, item_id: str, allowed: tuple[OutboxState, ...],
               to: OutboxState, *, now: float, columns: Mapping[str, object], verb: str,
               ) -> OutboxItem:
    """Move the row to `to` in one statement when its state is `allowed`; OutboxError if not.

    Run inside the caller's write transaction: the refusal reads the row the UPDATE left alone.
    """
    sets, args = assignments(to, now, columns)
    states = ", ".join("?" * len(allowed))
    row = conn.execute(
        f"UPDATE outbox SET {sets} WHERE id = ? AND state IN ({states}) RETURNING {FIELDS}",
        (*args, item_id, *(state.value for state in allowed)),
    ).fetchone()
    if row is None:
        check(conn, item_id, allowed, verb)
        raise AssertionError(f"{item_id} is in an allowed state but was not updated")
    return item_from_row(row)


def check(conn: sqlite3.Connection, item_id: str, allowed: tuple[OutboxState, ...],
          verb: str) -> None:
    """OutboxError (with the reason) unless the row exists in one of the `allowed` states."""
    row = conn.execute(f"SELECT {FIELDS} FROM outbox WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise OutboxError(f"There is no message {item_id!r} in the outbox.")
    item = item_from_row(row)
    if item.state not in allowed:
        raise OutboxError(refusal(item, verb))


def refusal(item: OutboxItem, verb: str) -> str:
    """Why `item` cannot be `verb` in its current state."""
    if item.state is S:
        return f"Message {item.id} is being sent right now; it can no longer be {verb}."
    if item.state is OK:
        return f"Message {item.id} has already been sent; it cannot be {verb}."
    if item.state is RET:
        return f"Message {item.id} was returned to you (undo); it cannot be {verb}."
    if item.state is UN:
        return (f"Message {item.id} may already have reached the server; it cannot be {verb}. "
                "Send it again or mark it as sent.")
    state = {H: "is still held", F: "has failed", RT: "is waiting to be retried"}[item.state]
    return f"Message {item.id} {state}; it cannot be {verb}."
