"""`kill -9` of `missend-guard run --headless` during the hold and during sending: exactly once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from email.utils import make_msgid

import pytest

from tests.conftest import find_free_port
from tests.helpers.headless import COLLEAGUE, HIDDEN, Cli, submit, wait_all_sent
from tests.helpers.mails import jis_mail

pytestmark = pytest.mark.slow





@pytest.fixture
def cli(keyring_file_env, tmp_path, smtp_sink) -> Iterator[Cli]:
    cli = Cli(keyring_file_env, tmp_path / "data")
    cli.run("account", "add", "up", "--host", "127.0.0.1", "--port", str(smtp_sink.port),
            "--security", "none", "--default")
    try:
        yield cli
    finally:
        cli.stop()






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
