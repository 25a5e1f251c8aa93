"""`missend-guard run`: the tray app, or `--headless` relay + outbox + delivery without Qt."""

from __future__ import annotations

import argparse
import importlib
import math
import os
import signal
import sys
import threading
from typing import Any

from missend_guard.cli import open_paths
from missend_guard.cli.errors import user_errors


def _port(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a TCP port (1-65535)")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text} is not a number of seconds ≥ 0")
    return value


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """run [--headless] [--approve-all] [--relay-port N] [--hold-seconds S]."""
    parser.add_argument("--headless", action="store_true",
                        help="no tray or dialog: refuse mail with findings at or above "
                        "headless_block_severity (default warning), pass the rest")
    parser.add_argument("--approve-all", action="store_true",
                        help="with --headless: pass every message (load tests)")
    parser.add_argument("--relay-port", type=_port, metavar="N",
                        help="listen on 127.0.0.1:N for this run (default: setting relay_port)")
    parser.add_argument("--hold-seconds", type=_seconds, metavar="S",
                        help="undo window for this run (default: setting hold_seconds)")


def _no_display() -> bool:
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(args: argparse.Namespace) -> int:
    """Start the desktop app, or the headless service."""
    if args.headless or args.approve_all:
        return _run_headless(args)
    if _no_display():
        print("missend-guard: no graphical display was found (DISPLAY / WAYLAND_DISPLAY unset), "
              "so the tray app cannot start. On a server, run `missend-guard run --headless`.",
              file=sys.stderr)
        return 2
    try:
        desktop = importlib.import_module("missend_guard.desktop.start")
    except ImportError as exc:
        print(f"missend-guard: the desktop app cannot start because Qt could not be loaded "
              f"({exc}). Install the system libraries Qt needs (e.g. libegl1, libxkbcommon0) or "
              "run `missend-guard run --headless`.", file=sys.stderr)
        return 2
    with user_errors() as status:
        status[0] = int(desktop.main(args))
    return status[0]


def _run_headless(args: argparse.Namespace) -> int:
    """`run --headless`: relay + outbox + delivery until SIGINT/SIGTERM."""
    from missend_guard.runtime.intake import headless_reviewer  # keeps other commands light
    from missend_guard.runtime.logs import setup_logging
    from missend_guard.runtime.options import RunOptions
    from missend_guard.runtime.services import build_services
    from missend_guard.storage.settings.store import SettingsStore

    with user_errors() as status:
        paths = open_paths(args)
        setup_logging(paths)
        store = SettingsStore(paths)
        reviewer = headless_reviewer(store.load(), approve_all=bool(args.approve_all))
        options = RunOptions(relay_port=args.relay_port, hold_seconds=args.hold_seconds,
                             contacts_files=args.contacts, internal_domains=args.internal_domain)
        services = build_services(paths, store, reviewer=reviewer, options=options)
        stopping = threading.Event()

        def on_signal(_signum: int, _frame: Any) -> None:
            stopping.set()

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        services.start()
        try:
            print(f"Missend Guard relay listening on 127.0.0.1:{services.intake.relay.port} "
                  f"(hold {services.hold_seconds:g} s)", flush=True)
            while not stopping.wait(1.0):  # a timeout so signals are handled promptly
                pass
        finally:
            services.stop()
    return status[0]
