"""Command line: `missend-guard run|check|account|outbox|audit|history|relay-password`, one module each."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from missend_guard import __version__

if TYPE_CHECKING:
    from missend_guard.storage.paths import DataPaths

# sub-command → module under missend_guard.cli; each module has add_arguments(parser) and main(args) -> int.
# Modules are imported lazily so `check` never loads Qt or the network stack.
SUBCOMMANDS = {
    "run": ("run", "start the tray app and the local relay (default)"),
    "check": ("check", "check one .eml file without sending it"),
    "account": ("account", "add, list, remove or test upstream accounts"),
    "relay-password": ("account", "print the local relay password"),
    "outbox": ("outbox", "list, show, undo, retry, resend or mark-sent messages in the outbox"),
    "audit": ("audit", "print the audit log"),
    "history": ("history", "list the sent history, or forget an address or domain"),
}


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Options every sub-command accepts (CONTRACT.md)."""
    parser.add_argument("--data-dir", metavar="DIR", help="use DIR instead of the platform's data dir")
    parser.add_argument(
        "--internal-domain",
        metavar="D",
        action="append",
        default=[],
        help="an internal domain (repeatable; subdomains are internal too)",
    )
    parser.add_argument(
        "--contacts",
        metavar="FILE",
        action="append",
        default=[],
        help="contacts from a vCard (.vcf) or CSV export (repeatable)",
    )
    parser.add_argument("--lang", choices=("ja", "en"), help="language of messages (default: system)")


def open_paths(args: argparse.Namespace) -> DataPaths:
    """The data paths for `--data-dir` (or the platform's)."""
    from missend_guard.storage.paths import DataPaths

    return DataPaths.resolve(getattr(args, "data_dir", None))


def build_parser() -> argparse.ArgumentParser:
    """The full parser; sub-command modules add their own options."""
    parser = argparse.ArgumentParser(
        prog="missend-guard", description="Stops mis-sent mail before it leaves."
    )
    parser.add_argument("--version", action="version", version=f"missend-guard {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        add_common_options(sub)
        module = importlib.import_module(f"missend_guard.cli.{module_name}")
        module.add_arguments(sub, name)
        sub.set_defaults(handler=module.main)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `missend-guard` console script."""
    # pypdf logs "EOF marker not found" and the like for damaged PDFs; the check reports those as
    # findings, so its warnings would only be noise on the user's terminal.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if os.name != "nt":
        # Everything this process creates (outbox, database, logs, Qt's state) is the user's alone.
        os.umask(0o077)
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "run")
    parser = build_parser()
    args = parser.parse_args(args_list)
    return int(args.handler(args))
