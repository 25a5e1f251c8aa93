"""`missend-guard check [--json] [--record] FILE.eml`: the engine, headless, for scripts and CI."""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from pathlib import Path

from missend_guard.core.check.findings import Severity

EXIT_OK, EXIT_WARNING, EXIT_BLOCK, EXIT_UNREADABLE = 0, 1, 2, 3
MAX_INPUT_BYTES = 200 * 1024 * 1024  # far above the relay's 50 MB: refuse only absurd input


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """Options of `check` (CONTRACT.md)."""
    parser.add_argument("file", metavar="FILE.eml", help="the message to check; '-' reads stdin")
    parser.add_argument("--json", action="store_true", help="print the machine-readable result")
    parser.add_argument(
        "--record",
        action="store_true",
        help="add the recipients to the sent history as if the mail was sent",
    )


class InputError(Exception):
    """The input could not be read at all (exit 3)."""


def _read_input(name: str) -> bytes:
    try:
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1) if name == "-" else _read_file(name)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: larger than {MAX_INPUT_BYTES // 1048576} MB, not checked")
    return data


def _read_file(name: str) -> bytes:
    """A regular file only: a FIFO would block for ever, a device (/dev/zero) never ends."""
    if Path(name).is_dir():
        raise InputError(f"{name}: is a directory, not a message file")
    # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then decides on the open file.
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{name}: not a regular file (a pipe or device), not checked; "
                             "use '-' to read a message from standard input")
        if info.st_size > MAX_INPUT_BYTES:
            raise InputError(f"{name}: larger than {MAX_INPUT_BYTES // 1048576} MB, not checked")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return fh.read(MAX_INPUT_BYTES + 1)


def main(args: argparse.Namespace) -> int:
    """Check one message; exit 0/1/2 by the worst severity, 3 when the input is unreadable."""
    from missend_guard.cli.context_args import ContextError, build_check_context
    from missend_guard.cli.report_text import render_report
    from missend_guard.core.check.checker import check
    from missend_guard.core.check.result import check_result_json
    from missend_guard.core.message.model import parse_message
    from missend_guard.texts.catalog import system_language

    try:
        raw = _read_input(args.file)
    except InputError as exc:
        print(f"missend-guard check: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        context, recorder = build_check_context(args, record=args.record)
    except ContextError as exc:
        print(f"missend-guard check: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE

    message = parse_message(raw)
    report = check(message, context)
    if args.json:
        out = json.dumps(check_result_json(message, report, context), ensure_ascii=False, indent=2)
        sys.stdout.buffer.write(out.encode("utf-8") + b"\n")
    else:
        lang = args.lang or system_language()
        internal = {i: context.policy.is_internal(r.domain) for i, r in enumerate(message.recipients)}
        text = render_report(message, report, lang, internal)
        sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    sys.stdout.flush()
    if recorder is not None:
        recorder(message, report)

    worst = report.max_severity
    if worst == Severity.BLOCK:
        return EXIT_BLOCK
    if worst == Severity.WARNING:
        return EXIT_WARNING
    return EXIT_OK
