"""Relay overhead: the same client sends N mails straight to a sink, then through Missend Guard.

Through the app: relay (AUTH) → gate (approve-all) → durable outbox (fsync) → delivery → sink,
hold 0. Prints throughput (mails until the sink has them all) and per-mail submit latency, as
ratios. `--short` keeps it under ~30 s for CI; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import smtplib
import socket
import statistics
import tempfile
import threading
import time
import warnings
from pathlib import Path

import keyring
import keyring.backend
from aiosmtpd.controller import Controller


class _Keyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


class _Sink:
    def __init__(self) -> None:
        self.count = 0
        self.done = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        with self.done:
            self.count += 1
            self.done.notify_all()
        return "250 OK"

    def wait(self, count: int, timeout: float = 600) -> None:
        with self.done:
            self.done.wait_for(lambda: self.count >= count, timeout)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _mail(size: int, index: int) -> bytes:
    head = (f"From: ken@example.co.jp\r\nTo: ichiro@example.co.jp\r\nSubject: bench {index}\r\n"
            f"Message-ID: <bench-{index}-{size}@example.co.jp>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=us-ascii\r\n\r\n").encode()
    line = b"x" * 76 + b"\r\n"
    return head + line * max(1, (size - len(head)) // len(line))


def _send_all(port: int, mails: list[bytes], login: tuple[str, str] | None) -> list[float]:
    latencies = []
    for raw in mails:
        start = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port, timeout=120) as smtp:  # one session per mail, like a client
            if login:
                smtp.login(*login)
            smtp.sendmail("ken@example.co.jp", ["ichiro@example.co.jp"], raw)
        latencies.append(time.perf_counter() - start)
    return latencies


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(count_small: int, count_large: int, *, rules: bool = True) -> None:
    from missend_guard.app import build_services
    from missend_guard.core.gate import ApproveAllReviewer
    from missend_guard.storage.paths import DataPaths
    from missend_guard.storage.settings import Account, SettingsStore

    keyring.set_keyring(_Keyring())
    sink = _Sink()
    sink_port = _port()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        controller = Controller(sink, hostname="127.0.0.1", port=sink_port,
                                server_hostname="sink.localhost")
    controller.start()
    with tempfile.TemporaryDirectory() as tmp:
        paths = DataPaths.resolve(Path(tmp) / "data", policy_file=Path(tmp) / "none.json")
        store = SettingsStore(paths)
        store.save(store.load().with_accounts(
            (Account("sink", host="127.0.0.1", port=sink_port, security="none", default=True),)
        ))
        services = build_services(paths, store, reviewer=ApproveAllReviewer(),
                                   relay_port=_port(), hold_seconds=0)
        if not rules:
            # Transport cost alone: the rules' own cost is measured by bench_check.py.
            from missend_guard.core.findings import Report

            services.gate._check = lambda message, context: Report()
        services.start()
        login = ("missend-guard", services.secrets.relay_password())
        try:
            print(f"{'size':>6} {'n':>4}  {'direct/s':>9} {'relay/s':>9} {'ratio':>6}  "
                  f"{'p50 +ms':>8} {'p95 +ms':>8}  {'p50 ratio':>9}")
            for size, count in ((10 * 1024, count_small), (1024 * 1024, count_large)):
                mails = [_mail(size, i) for i in range(count)]
                before = sink.count
                start = time.perf_counter()
                direct = _send_all(sink_port, mails, None)
                sink.wait(before + count)
                direct_rate = count / (time.perf_counter() - start)

                before = sink.count
                start = time.perf_counter()
                relayed = _send_all(services.relay.port, mails, login)
                sink.wait(before + count)  # throughput counts until the upstream has every mail
                relay_rate = count / (time.perf_counter() - start)

                p50_added = (_pct(relayed, 0.5) - _pct(direct, 0.5)) * 1000
                p95_added = (_pct(relayed, 0.95) - _pct(direct, 0.95)) * 1000
                label = "10KB" if size < 1024 * 1024 else "1MB"
                print(f"{label:>6} {count:>4}  {direct_rate:>9.1f} {relay_rate:>9.1f} "
                      f"{relay_rate / direct_rate:>6.0%}  {p50_added:>8.1f} {p95_added:>8.1f}  "
                      f"{statistics.median(relayed) / statistics.median(direct):>8.2f}x",
                      flush=True)
        finally:
            services.stop()
            controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--short", action="store_true", help="CI mode (~30 s)")
    args = parser.parse_args()
    asyncio.set_event_loop_policy(None)
    counts = (60, 4) if args.short else (500, 30)
    print("relay → gate with every rule → outbox → sink")
    run(*counts)
    print("relay → gate without rules (transport and durable storage only) → outbox → sink")
    run(*counts, rules=False)


if __name__ == "__main__":
    main()
