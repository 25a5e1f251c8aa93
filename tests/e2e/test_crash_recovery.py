"""`kill -9` of `missend-guard run --headless` during the hold and during sending: exactly once."""

from __future__ import annotations

import json
import os
import signal
import smtplib
import subprocess
import sys
import time
from collections.abc import Iterator
from email.utils import make_msgid
from pathlib import Path

import pytest

from tests.conftest import find_free_port
from tests.helpers.mails import jis_mail

pytestmark = pytest.mark.slow

COLLEAGUE = "ichiro.suzuki@example.co.jp"
HIDDEN = "bucho@example.co.jp"


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
                              timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, port: int, hold: float) -> None:
        self.proc = subprocess.Popen(
            self.args("run", "--headless", "--relay-port", str(port), "--hold-seconds", str(hold),
                      "--internal-domain", "example.co.jp"),
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
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


@pytest.fixture
def cli(keyring_file_env, tmp_path, smtp_sink) -> Iterator[Cli]:
    cli = Cli(keyring_file_env, tmp_path / "data")
    cli.run("account", "add", "up", "--host", "127.0.0.1", "--port", str(smtp_sink.port),
            "--security", "none", "--default")
    try:
        yield cli
    finally:
        cli.stop()


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


def test_kill_during_hold_then_restart_delivers_each_exactly_once(cli, smtp_sink):
    port = find_free_port()
    password = cli.run("relay-password").strip()
    mails = [jis_mail(to=[("鈴木 一郎", COLLEAGUE)], message_id=make_msgid()) for _ in range(3)]
    cli.start(port, hold=5)
    for raw in mails:
        assert submit(port, password, raw).startswith("2.0.0 Queued as ")
    cli.kill9()  # within the 5 s hold: nothing has gone upstream yet
    assert smtp_sink.messages == []
    assert {i["state"] for i in cli.outbox()} == {"held"}

    cli.start(port, hold=5)
    smtp_sink.handler.wait_for(3, timeout=60)
    wait_all_sent(cli, 3)
    assert sorted(m.data for m in smtp_sink.messages) == sorted(mails)
    assert all(m.rcpt_tos == (COLLEAGUE, HIDDEN) for m in smtp_sink.messages)


def test_kill_while_sending_then_restart_delivers_exactly_once(cli, smtp_sink):
    port = find_free_port()
    password = cli.run("relay-password").strip()
    raw = jis_mail(to=[("鈴木 一郎", COLLEAGUE)], message_id=make_msgid())
    smtp_sink.handler.delay = 30  # the upstream is slow: the app is killed mid-transaction
    cli.start(port, hold=0)
    submit(port, password, raw)
    assert smtp_sink.handler.data_started.wait(60)
    cli.kill9()
    [item] = cli.outbox()
    assert item["state"] == "sending"  # what a crash leaves behind

    smtp_sink.handler.delay = 0
    cli.start(port, hold=0)
    smtp_sink.handler.wait_for(1, timeout=60)
    [sent] = wait_all_sent(cli, 1)
    assert [m.data for m in smtp_sink.messages] == [raw]
    assert sent["attempts"] == 2


def test_sigterm_then_restart_on_the_same_port_sends_nothing_new(cli, smtp_sink):
    port = find_free_port()
    cli.start(port, hold=0)
    cli.stop()
    cli.start(port, hold=0)
    assert cli.outbox() == []
    assert smtp_sink.messages == []
    assert os.path.isdir(cli.data_dir / "logs")
