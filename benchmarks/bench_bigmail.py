"""Big mail at the speed of the wire (issue 15): the relay against aiosmtpd's own do-nothing server.

Side by side in one run, all on loopback:
- a 25 MB mail (PDF attachment, base64) sent by one client through the app (headless,
  approve-all, hold 0, a real aiosmtpd sink upstream) vs the same mail sent to aiosmtpd's
  do-nothing `Sink` handler in its own process: client time and the ratio (goal ≤ 0.35×);
- end of DATA (the client wrote the final dot) → review requested, for the 25 MB and a 10 KB
  mail (goals ≤ 300 ms and ≤ 100 ms);
- the relay process's peak RSS growth for one 45 MB mail and for four in parallel, each in a
  fresh app process (goals ≤ 3× the size, < 1 GB in total);
- 10 KB mails one after another: added p50 vs direct (goal ≤ 5 ms), both ways a client may
  send them: each after the upstream got the one before, and back to back (the app then sends
  upstream while the next ones arrive).
`--short` (CI) uses 5 MB / 10 MB mails and fewer repetitions and stays within a few seconds
of work; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import re
import resource
import smtplib
import statistics
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keyring
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink

from benchmarks.bench_relay import (
    RECIPIENTS,
    SENDER,
    _Keyring,
    _port,
    _Sink,
    attachment_mail,
    japanese_mail,
)

MB = 1024 * 1024
_LEADING_DOT = re.compile(rb"(?m)^\.")


def _status_kb(field: str) -> int:
    """A /proc/self/status field in KiB (Linux; 0 elsewhere)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    return 0


def _rss_kb() -> int:
    """This process's resident set now, in KiB."""
    return _status_kb("VmRSS")


def _reset_peak() -> None:
    """Start the peak (VmHWM) again from the current RSS (Linux 4.0+: clear_refs 5)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_kb() -> int:
    """This process image's peak RSS in KiB since `_reset_peak`.

    Not ru_maxrss: Linux carries the parent's peak over exec into it, so a spawned app
    process would report the benchmark's own RSS (the big mails it holds) as its peak.
    """
    return _status_kb("VmHWM") or int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


class _TimingReviewer:
    """Approve-all that reports when each review was requested (system-wide monotonic clock).

    The time goes straight down a pipe: a multiprocessing.Queue would add a feeder thread to the
    app process, work on the path being measured that no real reviewer does.
    """

    def __init__(self, times: Connection) -> None:
        self._times = times
        self._lock = threading.Lock()  # four big mails are reviewed at once in the RSS part

    def review(self, request: Any) -> Future[Any]:
        from missend_guard.core.ports.review import Decision, Verdict

        with self._lock:
            self._times.send(time.monotonic())
        future: Future[Any] = Future()
        future.set_result(Decision(Verdict.SEND, "approve-all"))
        return future


def _serve_app(conn: Connection, times: Connection, sink_port: int, data_dir: str) -> None:
    """The app in its own process, logging as `run` does; answers "rss" with (baseline, peak) KiB."""
    from missend_guard.runtime.logs import setup_logging
    from missend_guard.runtime.options import RunOptions
    from missend_guard.runtime.services import build_services
    from missend_guard.storage.paths import DataPaths
    from missend_guard.storage.settings.store import Account, SettingsStore

    asyncio.set_event_loop_policy(None)
    keyring.set_keyring(_Keyring())
    paths = DataPaths.resolve(Path(data_dir), policy_file=Path(data_dir) / "no-policy.json")
    setup_logging(paths)
    store = SettingsStore(paths)
    store.save(store.load().with_accounts(
        (Account("sink", host="127.0.0.1", port=sink_port, security="none", default=True),)
    ))
    services = build_services(paths, store, reviewer=_TimingReviewer(times),
                              options=RunOptions(relay_port=_port(), hold_seconds=0,
                                                 internal_domains=("example.co.jp",)))
    services.start()
    conn.send((services.intake.relay.port, services.secrets.relay_password()))
    baseline = 0
    try:
        while True:
            command = conn.recv()
            if command == "baseline":
                baseline = _rss_kb()
                _reset_peak()
                conn.send(baseline)
            elif command == "rss":
                conn.send((baseline, _peak_kb()))
            else:
                break
    except EOFError:
        pass
    finally:
        services.stop()


def _serve_nothing(conn: Connection) -> None:
    """aiosmtpd's do-nothing server (handlers.Sink) in its own process, as the relay is."""
    asyncio.set_event_loop_policy(None)
    port = _port()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        controller = Controller(Sink(), hostname="127.0.0.1", port=port,
                                server_hostname="nothing.localhost", data_size_limit=60 * MB)
    controller.start()
    conn.send(port)
    with contextlib.suppress(EOFError):
        conn.recv()
    controller.stop()


@dataclass(frozen=True)
class Sent:
    """One mail's client-side times (monotonic seconds)."""

    start: float
    end_of_data: float
    done: float
    reply: int

    @property
    def total(self) -> float:
        """Connect to the reply to the final dot."""
        return self.done - self.start


def send(port: int, raw: bytes, login: tuple[str, str] | None) -> Sent:
    """One SMTP session, as a mail client: the time the final dot was written is kept."""
    payload = _LEADING_DOT.sub(b"..", raw)
    if not payload.endswith(b"\r\n"):
        payload += b"\r\n"
    payload += b".\r\n"
    start = time.monotonic()
    with smtplib.SMTP("127.0.0.1", port, timeout=300) as smtp:
        if login:
            smtp.login(*login)
        smtp.ehlo_or_helo_if_needed()
        smtp.mail(SENDER)
        for rcpt in RECIPIENTS:
            smtp.rcpt(rcpt)
        code, _ = smtp.docmd("DATA")
        if code != 354:
            raise SystemExit(f"DATA refused: {code}")
        smtp.send(payload)
        end_of_data = time.monotonic()
        code, _ = smtp.getreply()
    return Sent(start, end_of_data, time.monotonic(), code)


class App:
    """One app process (fresh heap), its upstream sink in this process, its review clock."""

    def __init__(self, sink: _Sink, sink_port: int) -> None:
        spawn = multiprocessing.get_context("spawn")
        self._sink = sink
        self._parent, child = spawn.Pipe()
        self.reviews, times = spawn.Pipe(duplex=False)
        self._tmp = tempfile.TemporaryDirectory()
        self._process = spawn.Process(target=_serve_app, daemon=True,
                                      args=(child, times, sink_port, self._tmp.name))
        self._process.start()
        if not self._parent.poll(60):
            raise SystemExit("the app did not start within 60 s")
        self.port, password = self._parent.recv()
        self.login = ("missend-guard", password)

    def send_all(self, mails: list[bytes]) -> list[Sent]:
        """Send `mails` back to back (no waiting for the upstream); then wait until it has them."""
        before = self._sink.count
        sent = [send(self.port, raw, self.login) for raw in mails]
        for _ in mails:
            self._review_time()
        self._sink.wait(before + len(mails))
        return sent

    def send(self, raw: bytes) -> tuple[Sent, float]:
        """Send `raw`, wait until the sink has it; the client's times and end of DATA → review."""
        before = self._sink.count
        sent = send(self.port, raw, self.login)
        reviewed = self._review_time()
        self._sink.wait(before + 1)
        return sent, reviewed - sent.end_of_data

    def rss_growth(self, mails: list[bytes]) -> tuple[float, float]:
        """Peak RSS growth (MiB) while the mails go through in parallel; and the baseline."""
        self._parent.send("baseline")
        baseline = self._parent.recv()
        before = self._sink.count
        with ThreadPoolExecutor(len(mails)) as pool:
            list(pool.map(lambda raw: send(self.port, raw, self.login), mails))
        for _ in mails:
            self._review_time()
        self._sink.wait(before + len(mails))
        self._parent.send("rss")
        _, peak = self._parent.recv()
        return (peak - baseline) / 1024, baseline / 1024

    def _review_time(self) -> float:
        if not self.reviews.poll(300):
            raise SystemExit("no review was requested within 300 s")
        reviewed: float = self.reviews.recv()
        return reviewed

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._parent.send("stop")
        self._process.join(60)
        self._tmp.cleanup()


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _memory(sink: _Sink, sink_port: int, small: bytes, rss_mb: int) -> None:
    """Peak RSS growth of a fresh app for one and for four parallel `rss_mb` mails."""
    rss_mail = attachment_mail(2, size=int(rss_mb * MB * 3 / 4))
    rss_size = len(rss_mail) / MB
    for count in (1, 4):
        app = App(sink, sink_port)
        try:
            app.send(small)
            growth, baseline = app.rss_growth([rss_mail] * count)
        finally:
            app.close()
        goal = "goal <= 3x" if count == 1 else "goal total < 1024 MB"
        print(f"relay peak RSS, {count} x {rss_size:.1f} MB: +{growth:6.0f} MB over "
              f"{baseline:.0f} MB baseline = {growth / (rss_size * count):4.1f}x the mail bytes, "
              f"total {baseline + growth:6.0f} MB ({goal})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--short", action="store_true", help="CI mode (a few seconds of work)")
    args = parser.parse_args()
    asyncio.set_event_loop_policy(None)
    big_mb, rss_mb, repeat, small_n = (5, 10, 1, 20) if args.short else (25, 45, 3, 100)

    sink = _Sink()
    sink_port = _port()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        upstream = Controller(sink, hostname="127.0.0.1", port=sink_port, data_size_limit=60 * MB,
                              server_hostname="sink.localhost")
    upstream.start()
    spawn = multiprocessing.get_context("spawn")
    nothing_conn, child = spawn.Pipe()
    nothing = spawn.Process(target=_serve_nothing, args=(child,), daemon=True)
    nothing.start()
    nothing_port = nothing_conn.recv()
    big = attachment_mail(1, size=int(big_mb * MB * 3 / 4))
    smalls = [japanese_mail(i) for i in range(small_n)]
    app = App(sink, sink_port)
    try:
        app.send(smalls[0])  # warm both paths
        send(nothing_port, smalls[0], None)
        direct_big = [send(nothing_port, big, None).total for _ in range(repeat)]
        relayed_big, review_big = [], []
        for _ in range(repeat):
            sent, review = app.send(big)
            relayed_big.append(sent.total)
            review_big.append(review)
        direct_small = [send(nothing_port, raw, None).total for raw in smalls]
        relayed_small, review_small = [], []
        for raw in smalls:
            sent, review = app.send(raw)
            relayed_small.append(sent.total)
            review_small.append(review)
        direct_burst = [send(nothing_port, raw, None).total for raw in smalls]
        relayed_burst = [sent.total for sent in app.send_all(smalls)]
    finally:
        app.close()
    size = len(big) / MB
    d_big, r_big = _median(direct_big), _median(relayed_big)
    print(f"{size:.1f} MB mail: aiosmtpd do-nothing {d_big * 1000:7.0f} ms, relay "
          f"{r_big * 1000:7.0f} ms, ratio {r_big / d_big:5.2f}x (goal <= 0.35x)")
    print(f"end of DATA -> review requested: {size:.1f} MB {_median(review_big) * 1000:6.0f} ms "
          f"(goal <= 300), {len(smalls[0]) / 1024:.0f} KB {_median(review_small) * 1000:6.1f} ms "
          "(goal <= 100)")
    for label, direct, relayed in (("one by one", direct_small, relayed_small),
                                   ("back to back", direct_burst, relayed_burst)):
        added = (_median(relayed) - _median(direct)) * 1000
        print(f"10 KB x {small_n}, {label:12s}: direct p50 {_median(direct) * 1000:5.1f} ms, "
              f"relay p50 {_median(relayed) * 1000:5.1f} ms, added {added:5.1f} ms (goal <= 5)")

    _memory(sink, sink_port, smalls[0], rss_mb)
    nothing_conn.send("stop")
    nothing.join(30)
    upstream.stop()


if __name__ == "__main__":
    main()
