"""`missend-guard history list [--json] | forget ADDRESS|DOMAIN`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from missend_guard.core.ports.history import HistoryEntry
    from missend_guard.storage.history import SentHistory

ACTIONS = ("list", "forget")


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """history ACTION [ADDRESS|DOMAIN] [--json]."""
    parser.add_argument("action", choices=ACTIONS, help="what to do")
    parser.add_argument("name", nargs="?", metavar="ADDRESS|DOMAIN", help="forget: what to forget")
    parser.add_argument("--json", action="store_true", help="list: one JSON array on stdout")


def _when(epoch: float | None) -> str:
    return "" if epoch is None else time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch))


def trusted(entry: HistoryEntry, days_needed: int) -> bool:
    """Whether the checks treat the entry as known (a suspect only once vouched or sent on enough days)."""
    return not entry.suspect or entry.vouched or entry.sent_days >= days_needed


def entry_json(entry: HistoryEntry, days_needed: int) -> dict[str, Any]:
    """One entry as `history list --json` prints it (times in epoch seconds)."""
    return {
        "name": entry.name, "kind": entry.kind, "count": entry.count, "last_sent": entry.last_sent,
        "suspect": entry.suspect, "vouched": entry.vouched, "sent_days": entry.sent_days,
        "trusted": trusted(entry, days_needed),
    }


def _status(entry: HistoryEntry, days_needed: int) -> str:
    if entry.vouched:
        return "marked correct"
    if not trusted(entry, days_needed):
        return f"not yet trusted (sent on {entry.sent_days} of {days_needed} days)"
    return "known"


def main(args: argparse.Namespace) -> int:
    """Dispatch on the action."""
    from missend_guard.cli import open_paths
    from missend_guard.cli.errors import user_errors

    with user_errors() as status:
        from missend_guard.storage.history import SentHistory
        from missend_guard.storage.settings.store import SettingsStore

        paths = open_paths(args)
        if args.action == "forget" and not args.name:
            print("missend-guard history forget: an address or a domain is needed "
                  "(see `missend-guard history list`)", file=sys.stderr)
            return 2
        history = SentHistory(paths)
        try:
            if args.action == "forget":
                return _forget(history, args.name)
            days_needed = int(SettingsStore(paths).load().get("trust_after_days"))
            return _list(history, days_needed, as_json=args.json)
        finally:
            history.close()
    return status[0]


def _list(history: SentHistory, days_needed: int, *, as_json: bool) -> int:
    entries = history.entries()
    if as_json:
        json.dump([entry_json(e, days_needed) for e in entries], sys.stdout, ensure_ascii=False,
                  indent=2)
        print()
        return 0
    if not entries:
        print("The sent history is empty.")
        return 0
    for e in entries:
        print("\t".join([e.name, e.kind, f"{e.count} sent", _when(e.last_sent),
                         _status(e, days_needed)]))
    return 0


def _forget(history: SentHistory, name: str) -> int:
    gone = history.forget(name)
    if not gone:
        print(f"missend-guard history forget: {name} is not in the sent history.", file=sys.stderr)
        return 1
    print("Forgotten (first-time recipients again): " + ", ".join(gone))
    return 0
