"""Relay overhead: the same clients send N mails straight to a sink, then through Missend Guard.

Through the app: relay (AUTH) → gate (every rule, approve-all) → durable outbox (fsync) →
delivery → sink, hold 0. Two realistic mails: a ~10 KB Japanese business mail (ISO-2022-JP)
and a short mail with a ~1 MB PDF attachment (base64). Each runs with 1 client and with 4
concurrent clients, one SMTP session per mail as mail clients do. Prints throughput (mails
until the sink has them all) and per-mail submit latency as ratios, and the rule engine's own
time (parse + check, in this process) separately. `--short` stays well under 60 s for CI;
nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import multiprocessing
import random
import signal
import smtplib
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.header import Header
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
from aiosmtpd.controller import Controller

SENDER = "ken.yamamoto@example.co.jp"
RECIPIENTS = ("tanaka@client-corp.co.jp", "ichiro.suzuki@example.co.jp")
CLIENT_COUNTS = (1, 4)


class _Keyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class _Sink:
    """Counts delivered mails; stores nothing (like the direct path's server)."""

    def __init__(self) -> None:
        self.count = 0
        self.done = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
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


# -- the mails ------------------------------------------------------------------------------------

_PARAGRAPHS = (
    "いつも大変お世話になっております。株式会社サンプル商事 営業部の山本でございます。",
    "先日はお忙しいところ、打ち合わせのお時間をいただき誠にありがとうございました。"
    "ご説明いたしました新システム導入の件につきまして、社内で検討いたしました結果を"
    "以下の通りご報告申し上げます。",
    "まず、導入スケジュールにつきましては、来年四月からの本稼働を目標とし、一月中に"
    "要件定義を完了させたいと考えております。つきましては、貴社ご担当者様との定例会議を"
    "毎週水曜日の午後に設定させていただけますと幸いです。",
    "次に、費用面につきましては、前回お見積りいたしました金額から、保守契約の内容を見直す"
    "ことで約一割の削減が可能となる見込みです。詳細な内訳は改めてご送付いたします。",
    "また、ご質問いただいておりましたデータ移行の件ですが、既存システムからの移行作業は"
    "弊社にて実施いたします。移行期間中の業務への影響を最小限に抑えるため、週末の作業を"
    "予定しております。",
    "ご不明な点やご要望などがございましたら、お気軽にお申し付けください。",
)
_SIGNATURE = (
    "─────────────────────\n株式会社サンプル商事 営業部\n山本 健（やまもと けん）\n"
    "〒100-0001 東京都千代田区千代田1-1\nTEL: 03-1234-5678\n"
    "─────────────────────\n"
)


def _headers(index: int, tag: str, content_type: str, extra: Sequence[str] = ()) -> list[str]:
    subject = Header(f"新システム導入の件（第{index}報）", "iso-2022-jp").encode()
    return [
        f"From: {Header('山本 健', 'iso-2022-jp').encode()} <{SENDER}>",
        f"To: {Header('田中 様', 'iso-2022-jp').encode()} <{RECIPIENTS[0]}>",
        f"Cc: {Header('鈴木 一郎', 'iso-2022-jp').encode()} <{RECIPIENTS[1]}>",
        f"Subject: {subject}",
        "Date: Fri, 20 Nov 2026 10:00:00 +0900",
        f"Message-ID: <bench-{tag}-{index}@example.co.jp>",
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}",
        *extra,
    ]


def _jis_lines(text: str) -> str:
    return text.encode("iso-2022-jp").decode("ascii").replace("\n", "\r\n")


def japanese_mail(index: int, size: int = 10 * 1024) -> bytes:
    """A ~`size`-byte ISO-2022-JP business mail, as Japanese mailers send it (7bit, CRLF)."""
    head = "\r\n".join(_headers(index, "ja", "text/plain; charset=iso-2022-jp",
                                ("Content-Transfer-Encoding: 7bit",)))
    body = "田中様\n\n"
    rng = random.Random(index)
    while len(_jis_lines(body)) + len(head) < size - 600:
        body += rng.choice(_PARAGRAPHS) + "\n\n"
    body += "何卒よろしくお願い申し上げます。\n\n" + _SIGNATURE
    return (head + "\r\n\r\n" + _jis_lines(body)).encode("ascii")


def _pdf(size: int, seed: int) -> bytes:
    """A well-formed one-page PDF whose page shows one JPEG-like image of `size` random bytes."""
    image = random.Random(seed).randbytes(size)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 1240 /Height 1754 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(image)
        + image + b"\nendstream",
        b"<< /Length 35 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\n\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def attachment_mail(index: int, size: int = 1024 * 1024) -> bytes:
    """A short Japanese mail with a ~`size`-byte PDF quotation attached (base64, RFC 2231 name)."""
    boundary = f"----=_bench_{index:08d}"
    body = ("田中様\n\nいつもお世話になっております。サンプル商事の山本です。\n"
            "ご依頼いただいておりました御見積書を添付にてお送りいたします。\n"
            "ご査収のほど、よろしくお願いいたします。\n\n" + _SIGNATURE)
    data = base64.encodebytes(_pdf(size, index)).replace(b"\n", b"\r\n").decode("ascii")
    filename = "御見積書_クライアント商事様.pdf"
    encoded = "".join(f"%{b:02X}" for b in filename.encode())
    parts = [
        "\r\n".join(_headers(index, "pdf", f'multipart/mixed; boundary="{boundary}"')),
        "",
        "This is a multi-part message in MIME format.",
        f"--{boundary}",
        "Content-Type: text/plain; charset=iso-2022-jp",
        "Content-Transfer-Encoding: 7bit",
        "",
        _jis_lines(body),
        f"--{boundary}",
        f"Content-Type: application/pdf; name*=UTF-8''{encoded}",
        "Content-Transfer-Encoding: base64",
        f"Content-Disposition: attachment; filename*=UTF-8''{encoded}",
        "",
        data.rstrip("\r\n"),
        f"--{boundary}--",
        "",
    ]
    return "\r\n".join(parts).encode("ascii")


# -- measuring ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """One batch: mails/s until the sink had them all, and each mail's submit latency."""

    rate: float
    latencies: list[float]


def _send_one(port: int, raw: bytes, login: tuple[str, str] | None) -> float:
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=120) as smtp:  # one session per mail, like a client
        if login:
            smtp.login(*login)
        smtp.sendmail(SENDER, list(RECIPIENTS), raw)
    return time.perf_counter() - start


def _batch(sink: _Sink, port: int, mails: list[bytes], clients: int,
           login: tuple[str, str] | None) -> Run:
    before = sink.count
    start = time.perf_counter()
    shares = [mails[i::clients] for i in range(clients)]

    def client(share: list[bytes]) -> list[float]:
        return [_send_one(port, raw, login) for raw in share]

    with ThreadPoolExecutor(clients) as pool:
        latencies = [t for part in pool.map(client, shares) for t in part]
    sink.wait(before + len(mails))  # throughput counts until the upstream has every mail
    return Run(len(mails) / (time.perf_counter() - start), latencies)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _rule_time(build: Callable[[int], bytes], context_provider: Callable[[], Any],
               repeat: int) -> tuple[float, float]:
    """Median ms of parse_message and of check() for this kind of mail, in this process."""
    from missend_guard.core.check.checker import check
    from missend_guard.core.message.model import parse_message

    parse_ms, check_ms = [], []
    for index in range(repeat):
        raw = build(10_000 + index)
        start = time.perf_counter()
        message = parse_message(raw, RECIPIENTS)
        middle = time.perf_counter()
        check(message, context_provider())
        parse_ms.append((middle - start) * 1000)
        check_ms.append((time.perf_counter() - middle) * 1000)
    return statistics.median(parse_ms), statistics.median(check_ms)


def _serve_app(conn: Connection, sink_port: int, data_dir: str, rules: bool, reuse: bool) -> None:
    """The app in its own process (as in real use): build, start, report port, serve until told."""
    from missend_guard.core.gate import ApproveAllReviewer
    from missend_guard.runtime.options import RunOptions
    from missend_guard.runtime.services import build_services
    from missend_guard.storage.paths import DataPaths
    from missend_guard.storage.settings.store import Account, SettingsStore

    asyncio.set_event_loop_policy(None)
    keyring.set_keyring(_Keyring())
    paths = DataPaths.resolve(Path(data_dir), policy_file=Path(data_dir) / "no-policy.json")
    store = SettingsStore(paths)
    store.save(store.load().with_accounts(
        (Account("sink", host="127.0.0.1", port=sink_port, security="none", default=True),)
    ))
    services = build_services(paths, store, reviewer=ApproveAllReviewer(),
                              options=RunOptions(relay_port=_port(), hold_seconds=0,
                                                 internal_domains=("example.co.jp",)))
    if not rules:
        from missend_guard.core.check.findings import Report

        services.intake.gate._check = lambda message, context: Report()
    if reuse:
        # What app.SenderDirectory would do keeping one SmtpSender per account: the upstream
        # session is reused across messages (RSET between) until idle for a few seconds.
        from missend_guard.transports.senders.smtp import DEFAULT_IDLE_TIMEOUT, SmtpAccount, SmtpSender

        kept = SmtpSender(SmtpAccount("sink", "127.0.0.1", sink_port, "none"), lambda: None,
                          idle_timeout=DEFAULT_IDLE_TIMEOUT)
        services.outgoing.worker._resolve = lambda item: kept
    services.start()
    conn.send((services.intake.relay.port, services.secrets.relay_password()))
    try:
        conn.recv()  # "stop", or EOF when the benchmark died
    except EOFError:
        pass
    finally:
        services.stop()


def _rule_times(kinds: dict[str, Callable[[int], bytes]]) -> None:
    """The rule engine alone, in this process, with the context the app builds."""
    from missend_guard.core.check.context import CheckContext
    from missend_guard.core.check.policy import Policy

    policy = Policy().updated(internal_domains=frozenset({"example.co.jp"}))
    context = CheckContext(policy)
    for label, build in kinds.items():
        parse_ms, check_ms = _rule_time(build, lambda: context, repeat=5)
        print(f"rule engine {label:>5}: parse {parse_ms:6.1f} ms, check {check_ms:6.1f} ms"
              " (median, in-process)")


def run(counts: dict[str, int], *, rules: bool = True, reuse: bool = False,
        profile: str | None = None) -> None:
    """Direct vs through the app for each mail kind and client count; prints one table."""
    sink = _Sink()
    sink_port = _port()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        controller = Controller(sink, hostname="127.0.0.1", port=sink_port,
                                server_hostname="sink.localhost")
    controller.start()
    kinds: dict[str, Callable[[int], bytes]] = {"10KB": japanese_mail, "1MB": attachment_mail}
    if rules:
        _rule_times(kinds)
    spawn = multiprocessing.get_context("spawn")
    parent, child = spawn.Pipe()
    with tempfile.TemporaryDirectory() as tmp:
        app = spawn.Process(target=_serve_app, args=(child, sink_port, tmp, rules, reuse), daemon=True)
        app.start()
        spy = None
        try:
            if not parent.poll(60):
                raise SystemExit("the app did not start within 60 s")
            relay_port, password = parent.recv()
            login = ("missend-guard", password)
            if profile:
                spy = subprocess.Popen(["py-spy", "record", "--threads", "-r", "250", "-f", "raw",
                                        "-o", profile, "--pid", str(app.pid)])
                time.sleep(1)
            print(f"{'size':>5} {'cl':>2} {'n':>4}  {'direct/s':>8} {'relay/s':>8} {'ratio':>6}  "
                  f"{'p50 +ms':>8} {'p95 +ms':>8}  {'p50 ratio':>9}")
            for label, build in kinds.items():
                mails = [build(i) for i in range(counts[label])]
                for clients in CLIENT_COUNTS:
                    _batch(sink, sink_port, mails[:clients], clients, None)  # warm both paths
                    _batch(sink, relay_port, mails[:clients], clients, login)
                    direct = _batch(sink, sink_port, mails, clients, None)
                    relayed = _batch(sink, relay_port, mails, clients, login)
                    p50 = (_pct(relayed.latencies, 0.5) - _pct(direct.latencies, 0.5)) * 1000
                    p95 = (_pct(relayed.latencies, 0.95) - _pct(direct.latencies, 0.95)) * 1000
                    ratio = statistics.median(relayed.latencies) / statistics.median(direct.latencies)
                    print(f"{label:>5} {clients:>2} {len(mails):>4}  {direct.rate:>8.1f} "
                          f"{relayed.rate:>8.1f} {relayed.rate / direct.rate:>6.0%}  "
                          f"{p50:>8.1f} {p95:>8.1f}  {ratio:>8.2f}x", flush=True)
        finally:
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait(60)
            with contextlib.suppress(OSError):
                parent.send("stop")
            app.join(60)
            controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--short", action="store_true", help="CI mode (well under 60 s)")
    parser.add_argument("--no-rules", action="store_true",
                        help="also run with the rules switched off (transport and storage alone)")
    parser.add_argument("--reuse", action="store_true",
                        help="also run with one kept upstream session (proposed SenderDirectory)")
    parser.add_argument("--py-spy", metavar="FILE",
                        help="sample the app process with py-spy (raw format) into FILE")
    args = parser.parse_args()
    asyncio.set_event_loop_policy(None)
    counts = {"10KB": 60, "1MB": 8} if args.short else {"10KB": 400, "1MB": 40}
    print(f"relay → gate (every rule, approve-all) → outbox → delivery → sink, hold 0; "
          f"{len(japanese_mail(0))} B and {len(attachment_mail(0))} B mails")
    run(counts, profile=args.py_spy)
    if args.reuse:
        print("with the upstream session kept between messages (one SmtpSender per account)")
        run(counts, reuse=True)
    if args.no_rules:
        print("without rules (transport and durable storage only)")
        run(counts, rules=False)


if __name__ == "__main__":
    main()
