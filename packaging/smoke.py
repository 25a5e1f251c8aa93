"""Smoke test of a built bundle: --version, check --json, and one mail through run --headless.

Usage: python packaging/smoke.py PATH/TO/missend-guard[.exe]
Needs aiosmtpd in the Python running this script (the upstream sink); the bundle needs nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RELAY_USER = "missend-guard"  # CONTRACT.md: the relay's AUTH user
INTERNAL = "example.co.jp"
TIMEOUT = 60.0  # generous: a cold first start on a busy 2-core machine


class SmokeError(Exception):
    """One smoke step failed; the message says which and what was seen."""


@dataclass
class SmokeReport:
    """What the smoke test saw, with timings in seconds."""

    version: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)

    def step(self, text: str) -> None:
        """Record and print one passed step."""
        self.steps.append(text)
        print(f"  ok  {text}", flush=True)


def expected_version() -> str:
    """The version in pyproject.toml (what the bundle's dist-info metadata must say)."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def isolated_env(tmp: Path) -> dict[str, str]:
    """Environment of a new user: own HOME, plaintext keyring in tmp, a site policy in tmp."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "MISSEND_GUARD"))}
    home = tmp / "home"
    home.mkdir()
    env.update({
        "HOME": str(home), "USERPROFILE": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),  # keyrings.alt's file lives here
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CONFIG_DIRS": str(tmp / "etc-xdg"),  # platformdirs' site_config_dir on Linux
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "PYTHONIOENCODING": "utf-8",
    })
    env.pop("PYTHONPATH", None)  # the bundle must not find the source tree
    return env


def write_site_policy(tmp: Path) -> None:
    """An admin policy that locks the internal domain: proves the bundle reads the site policy."""
    policy_dir = tmp / "etc-xdg" / "MissendGuard"
    policy_dir.mkdir(parents=True)
    policy = {"defaults": {"hold_seconds": 30}, "locked": {"internal_domains": [INTERNAL]}}
    (policy_dir / "policy.json").write_text(json.dumps(policy), encoding="utf-8")


def run_cli(exe: Path, args: list[str], env: dict[str, str], *, stdin: str = "",
            timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run the bundle once and capture its output as UTF-8 text."""
    return subprocess.run(
        [str(exe), *args], input=stdin, capture_output=True, text=True, encoding="utf-8",
        env=env, timeout=timeout, check=False,
    )


def japanese_mail() -> bytes:
    """An internal mail in ISO-2022-JP, as a Japanese mail client sends it."""
    msg = MIMEText("佐藤様\n\nお疲れ様です。明日の会議資料を共有します。\n\n山本", "plain", "iso-2022-jp")
    msg["Subject"] = Header("会議資料の共有", "iso-2022-jp").encode()
    msg["From"] = f"ken.yamamoto@{INTERNAL}"
    msg["To"] = f"hanako.sato@{INTERNAL}"
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=INTERNAL)
    return msg.as_bytes()


@contextlib.contextmanager
def upstream_sink() -> Iterator[tuple[int, queue.Queue[Any]]]:
    """An aiosmtpd server on 127.0.0.1 standing in for the company's mail server."""
    from aiosmtpd.controller import Controller

    received: queue.Queue[Any] = queue.Queue()

    class Sink:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            received.put(envelope)
            return "250 OK queued"

    port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def _read_lines(stream: Any, lines: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):
        lines.put(line)


def check_version(exe: Path, env: dict[str, str], report: SmokeReport) -> None:
    """`--version` prints the version from the bundled package metadata."""
    started = time.perf_counter()
    result = run_cli(exe, ["--version"], env)
    report.timings["--version"] = time.perf_counter() - started
    want = f"missend-guard {expected_version()}"
    if result.returncode != 0 or result.stdout.strip() != want:
        raise SmokeError(f"--version: expected {want!r} and exit 0, got {result.stdout!r} "
                           f"(exit {result.returncode}) {result.stderr.strip()}")
    report.version = result.stdout.strip()
    report.step(f"--version → {report.version}")


def check_sample(exe: Path, env: dict[str, str], report: SmokeReport) -> None:
    """`check --json` on the look-alike sample (with its contacts): exit 1, lookalike-domain found."""
    sample = ROOT / "samples" / "lookalike-domain.eml"
    contacts = ROOT / "samples" / "contacts.vcf"  # the real domain the look-alike imitates
    started = time.perf_counter()
    result = run_cli(exe, ["check", "--json", "--contacts", str(contacts), str(sample)], env)
    report.timings["check --json"] = time.perf_counter() - started
    if result.returncode != 1:
        raise SmokeError(f"check --json: expected exit 1, got {result.returncode}: "
                           f"{result.stderr.strip() or result.stdout[:500]}")
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise SmokeError(f"check --json printed invalid JSON ({exc}): {result.stdout[:500]!r}") from None
    codes = [f.get("code") for f in data.get("findings", [])]
    if "lookalike-domain" not in codes:
        raise SmokeError(f"check --json: no lookalike-domain finding, got {codes}")
    if data.get("subject") != "お見積りの件":
        raise SmokeError(f"check --json: subject decoded as {data.get('subject')!r}")
    report.step(f"check --json {sample.name} → exit 1, findings {codes}")


def check_relay(exe: Path, env: dict[str, str], tmp: Path, report: SmokeReport) -> None:
    """run --headless accepts one AUTH'd mail, delivers it upstream, and stops on SIGTERM."""
    data_dir = tmp / "data"
    with upstream_sink() as (sink_port, received):
        add = run_cli(exe, ["account", "add", "sink", "--host", "127.0.0.1", "--port", str(sink_port),
                            "--security", "none", "--default", "--data-dir", str(data_dir)], env)
        if add.returncode != 0:
            raise SmokeError(f"account add: exit {add.returncode}: {add.stderr.strip()}")
        pw = run_cli(exe, ["relay-password", "--data-dir", str(data_dir)], env)
        password = pw.stdout.strip()
        if pw.returncode != 0 or not password:
            raise SmokeError(f"relay-password: exit {pw.returncode}: {pw.stderr.strip()}")
        report.step("account add (upstream 127.0.0.1, security none) and relay-password")

        relay_port = free_port()
        started = time.perf_counter()
        flags = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)  # Windows: CTRL_BREAK to stop it
        proc = subprocess.Popen(
            [str(exe), "run", "--headless", "--relay-port", str(relay_port), "--hold-seconds", "0",
             "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env,
            creationflags=flags,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True).start()
        errors: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_read_lines, args=(proc.stderr, errors), daemon=True).start()
        try:
            _wait_listening(proc, lines, errors, relay_port)
            report.timings["run --headless → listening"] = time.perf_counter() - started
            report.step(f"run --headless listening on 127.0.0.1:{relay_port}")
            raw = japanese_mail()
            with smtplib.SMTP("127.0.0.1", relay_port, timeout=TIMEOUT) as smtp:
                smtp.login(RELAY_USER, password)
                refused = smtp.sendmail(f"ken.yamamoto@{INTERNAL}", [f"hanako.sato@{INTERNAL}"], raw)
            if refused:
                raise SmokeError(f"relay refused recipients: {refused}")
            report.step("SMTP AUTH + one ISO-2022-JP mail accepted (250)")
            try:
                envelope = received.get(timeout=TIMEOUT)
            except queue.Empty:
                raise SmokeError(f"nothing reached the upstream sink in {TIMEOUT:g} s; stderr: "
                                   f"{_drain(errors)}") from None
            # SMTP carries CRLF line ends whatever the client's file had: compare the lines.
            sent_body = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[-1].strip()
            if sent_body not in envelope.original_content.replace(b"\r\n", b"\n"):
                raise SmokeError("the upstream copy's body differs from what was sent")
            report.step(f"delivered upstream to {envelope.rcpt_tos} with the body unchanged")
        finally:
            status = _stop(proc)
        if status != 0:
            raise SmokeError(f"run --headless exited {status} after SIGTERM; stderr: {_drain(errors)}")
        report.step("SIGTERM → clean exit 0")


def check_tray(exe: Path, env: dict[str, str], tmp: Path, report: SmokeReport) -> None:
    """The tray app (offscreen Qt) starts, imports every desktop module, shows its icon, stops."""
    data_dir = tmp / "data"
    log_file = data_dir / "logs" / "missend-guard.log"
    before = log_file.read_text(encoding="utf-8").count("desktop ready") if log_file.exists() else 0
    tray_env = {**env, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(exe), "run", "--relay-port", str(free_port()), "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=tray_env,
        creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
    )
    errors: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(proc.stderr, errors), daemon=True).start()
    try:
        while True:
            if log_file.exists() and log_file.read_text(encoding="utf-8").count("desktop ready") > before:
                break
            if proc.poll() is not None:
                raise SmokeError(f"the tray app exited {proc.returncode}: {_drain(errors)}")
            if time.perf_counter() - started > TIMEOUT:
                raise SmokeError(f"the tray app was not ready within {TIMEOUT:g} s: {_drain(errors)}")
            time.sleep(0.02)
        report.timings["run (tray, offscreen) → ready"] = time.perf_counter() - started
        report.step("tray app (QT_QPA_PLATFORM=offscreen) started and showed its icon")
    finally:
        status = _stop(proc)
    if status != 0:
        raise SmokeError(f"the tray app exited {status} after SIGTERM; stderr: {_drain(errors)}")
    report.step("tray app: SIGTERM → clean exit 0")


def _wait_listening(proc: subprocess.Popen[str], lines: queue.Queue[str], errors: queue.Queue[str],
                    port: int) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.05)
        except queue.Empty:
            if proc.poll() is not None:
                raise SmokeError(f"run --headless exited {proc.returncode}: {_drain(errors)}") from None
            continue
        if f"127.0.0.1:{port}" in line:
            return
    raise SmokeError(f"run --headless did not report listening within {TIMEOUT:g} s: {_drain(errors)}")


def _stop(proc: subprocess.Popen[str]) -> int:
    if proc.poll() is None:
        if sys.platform == "win32":
            proc.send_signal(signal.CTRL_BREAK_EVENT)
        else:
            proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return -9


def _drain(errors: queue.Queue[str]) -> str:
    text = []
    while not errors.empty():
        text.append(errors.get_nowait())
    return "".join(text).strip()[-2000:]


def smoke(exe: Path) -> SmokeReport:
    """Run every step against the executable `exe`; SmokeError on the first failing one."""
    if not exe.is_file():
        raise SmokeError(f"no executable at {exe}")
    report = SmokeReport()
    with tempfile.TemporaryDirectory(prefix="mg-smoke-") as name:
        tmp = Path(name)
        env = isolated_env(tmp)
        write_site_policy(tmp)
        check_version(exe, env, report)
        check_sample(exe, env, report)
        check_relay(exe, env, tmp, report)
        if (ROOT / "missend_guard" / "desktop.py").exists():
            check_tray(exe, env, tmp, report)
    return report


def main(argv: list[str]) -> int:
    """CLI: smoke-test one executable."""
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        report = smoke(Path(argv[0]))
    except SmokeError as exc:
        print(f"SMOKE FAILED: {exc}", file=sys.stderr)
        return 1
    timings = ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items())
    print(f"smoke test passed in {time.perf_counter() - started:.1f} s ({timings})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
