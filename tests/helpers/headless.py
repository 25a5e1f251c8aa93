"""`missend-guard run --headless` as a real subprocess, driven like a user would from a terminal."""

from __future__ import annotations

import json
import signal
import smtplib
import subprocess
import sys
import time
from pathlib import Path

COLLEAGUE = "ichiro.suzuki@example.co.jp"
HIDDEN = "bucho@example.co.jp"
UMASK = 0o022  # what most desktops run with: the app must not depend on a stricter one


class Cli:
    """Runs `python -m missend_guard` with a file keychain and a private data dir."""

    def __init__(self, env: dict[str, str], data_dir: Path) -> None:
        self.env = env
        self.data_dir = data_dir
        self.proc: subprocess.Popen[str] | None = None

    def args(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "missend_guard", *args, "--data-dir", str(self.data_dir)]

    def run(self, *args: str) -> str:
        done = subprocess.run(self.args(*args), env=self.env, capture_output=True, text=True,
                              timeout=60, check=False, umask=UMASK)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, port: int, hold: float) -> None:
        self.proc = subprocess.Popen(
            self.args("run", "--headless", "--relay-port", str(port), "--hold-seconds", str(hold),
                      "--internal-domain", "example.co.jp"),
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, umask=UMASK,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # printed once the relay listens
        assert line == f"Missend Guard relay listening on 127.0.0.1:{port} (hold {hold:g} s)\n", (
            line + self.proc.stderr.read() if self.proc.stderr else line
        )

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)
            self.proc = None

    def outbox(self) -> list[dict[str, object]]:
        return list(json.loads(self.run("outbox", "list", "--json")))


def submit(port: int, password: str, raw: bytes) -> str:
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        smtp.login("missend-guard", password)
        smtp.mail("ken@example.co.jp")
        smtp.rcpt(COLLEAGUE)
        smtp.rcpt(HIDDEN)
        code, text = smtp.data(raw)
    assert code == 250, text
    return text.decode()


def wait_all_sent(cli: Cli, count: int, timeout: float = 60) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    while True:
        items = cli.outbox()
        if len(items) == count and all(i["state"] == "sent" for i in items):
            return items
        assert time.monotonic() < deadline, items
        time.sleep(0.3)
