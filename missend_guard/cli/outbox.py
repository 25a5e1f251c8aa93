"""`missend-guard outbox list [--json] | show ID | undo ID | retry ID | resend ID | mark-sent ID`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from missend_guard.core.ports.outbox import OutboxItem
    from missend_guard.storage.outbox.store import SqliteOutbox

ACTIONS = ("list", "show", "undo", "retry", "resend", "mark-sent")
UNCERTAIN_HINT = (
    "{count} mail(s) marked 'uncertain' may already have been delivered. Check your Sent folder "
    "or ask the recipient, then run `missend-guard outbox resend ID` to send it again or "
    "`missend-guard outbox mark-sent ID` if it arrived."
)


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """outbox ACTION [ID] [--json]."""
    parser.add_argument("action", choices=ACTIONS, help="what to do")
    parser.add_argument("id", nargs="?",
                        help="message id (show, undo, retry, resend, mark-sent)")
    parser.add_argument("--json", action="store_true", help="list: one JSON array on stdout")


def _when(epoch: float | None) -> str:
    return "" if epoch is None else time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch))


def item_json(item: OutboxItem, path: Path) -> dict[str, Any]:
    """One item as `outbox list --json` prints it (times in epoch seconds; `path` of its .eml)."""
    return {
        "id": item.id, "state": item.state.value, "mail_from": item.mail_from,
        "rcpt_tos": list(item.rcpt_tos), "subject": item.subject, "message_id": item.message_id,
        "account": item.account, "created_at": item.created_at, "hold_until": item.hold_until,
        "attempts": item.attempts, "next_retry": item.next_retry, "last_error": item.last_error,
        "path": str(path),
    }


def main(args: argparse.Namespace) -> int:
    """Dispatch on the action."""
    from missend_guard.cli import open_paths
    from missend_guard.cli.errors import user_errors

    with user_errors() as status:
        from missend_guard.storage.outbox.store import SqliteOutbox

        outbox = SqliteOutbox(open_paths(args))
        try:
            if args.action == "list":
                return _list(outbox, as_json=args.json)
            if not args.id:
                print(f"missend-guard outbox {args.action}: a message ID is needed "
                      "(see `missend-guard outbox list`)", file=sys.stderr)
                return 2
            action = {"show": _show, "undo": _undo, "retry": _retry, "resend": _resend,
                      "mark-sent": _mark_sent}[args.action]
            return action(outbox, args.id)
        finally:
            outbox.close()
    return status[0]


def _list(outbox: SqliteOutbox, *, as_json: bool) -> int:
    items = outbox.items()
    if as_json:
        rows = [item_json(i, outbox.message_file(i.id)) for i in items]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not items:
        print("The outbox is empty.")
        return 0
    uncertain = 0
    for item in items:
        due = item.next_retry if item.state.value == "retry" else item.hold_until
        when = f"due {_when(due)}"
        if item.state.value == "uncertain":
            uncertain += 1
            when = f"tried {_when(item.tried_at)}".rstrip()
        print("\t".join([item.id, item.state.value, _when(item.created_at), when,
                         item.subject or "(no subject)", ", ".join(item.rcpt_tos),
                         item.last_error]).rstrip())
    if uncertain:
        print(UNCERTAIN_HINT.format(count=uncertain))
    return 0


def _show(outbox: SqliteOutbox, item_id: str) -> int:
    item = outbox.get(item_id)
    if item is None:
        print(f"missend-guard: no message {item_id!r} in the outbox", file=sys.stderr)
        return 2
    fields = item_json(item, outbox.message_file(item_id))
    for key in ("created_at", "hold_until", "next_retry"):
        fields[key] = _when(fields[key])
    fields["rcpt_tos"] = ", ".join(item.rcpt_tos)
    width = max(map(len, fields))
    for key, value in fields.items():
        print(f"{key:<{width}}  {value if value is not None else ''}")
    return 0


def _undo(outbox: SqliteOutbox, item_id: str) -> int:
    outbox.undo(item_id)
    path = outbox.message_file(item_id)
    print(f"Message {item_id} was taken back and will not be sent. It is saved at:\n{path}\n"
          "Open it with your mail program to edit and send it again.")
    return 0


def _retry(outbox: SqliteOutbox, item_id: str) -> int:
    outbox.retry(item_id)
    print(f"Message {item_id} will be sent again now (by the running Missend Guard).")
    return 0


def _resend(outbox: SqliteOutbox, item_id: str) -> int:
    outbox.resend(item_id)
    print(f"Message {item_id} will be sent again now (by the running Missend Guard). If the first "
          "copy did arrive, the recipients get it twice.")
    return 0


def _mark_sent(outbox: SqliteOutbox, item_id: str) -> int:
    outbox.mark_sent_by_user(item_id)
    print(f"Message {item_id} is recorded as sent; it will not be sent again.")
    return 0
