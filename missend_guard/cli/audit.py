"""`missend-guard audit [--since ISO] [--json | --csv]`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime


def _since(text: str) -> datetime:
    try:
        # Python 3.11 reads "2026-11-20", "2026-11-20T09:00", "...Z", "...+09:00".
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO date or time (e.g. 2026-11-20 or 2026-11-20T09:00+09:00)"
        ) from None
    return moment if moment.tzinfo else moment.astimezone()  # naive = local time


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """audit [--since ISO] [--json | --csv]."""
    parser.add_argument("--since", type=_since, metavar="ISO", help="only events at or after")
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON array on stdout")
    fmt.add_argument("--csv", action="store_true", help="CSV with a header row")


def main(args: argparse.Namespace) -> int:
    """Print the audit log."""
    from missend_guard.cli import open_paths
    from missend_guard.cli.errors import user_errors

    with user_errors() as status:
        from missend_guard.storage.audit import SqliteAuditLog, iso_utc

        log = SqliteAuditLog(open_paths(args))
        try:
            rows = log.query(since=args.since)
        finally:
            log.close()
        if args.json:
            json.dump(SqliteAuditLog.to_json(rows), sys.stdout, ensure_ascii=False, indent=2)
            print()
        elif args.csv:
            sys.stdout.write(SqliteAuditLog.to_csv(rows))
        elif not rows:
            print("No audit events" + (" since then." if args.since else " yet."))
        else:
            for r in rows:
                print("\t".join([iso_utc(r.time), r.kind, r.decision, r.decided_by,
                                 ",".join(r.codes), ", ".join(r.recipients), r.detail]).rstrip())
    return status[0]
