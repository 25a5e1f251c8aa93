"""A second `run` on the same data dir (e.g. started at login) is refused before it touches the outbox."""

from __future__ import annotations

import subprocess
import time
from email.utils import make_msgid

import pytest

from tests.conftest import find_free_port
from tests.helpers.headless import COLLEAGUE, UMASK, Cli, submit, wait_all_sent
from tests.helpers.mails import jis_mail

pytestmark = pytest.mark.slow




def _second_run(cli: Cli, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli.args("run", "--headless", "--relay-port", str(find_free_port()), *extra),
        env=cli.env, capture_output=True, text=True, timeout=60, check=False, umask=UMASK,
    )


def test_second_headless_run_exits_naming_the_first_and_leaves_its_sending_mail_alone(cli, smtp_sink):
    port = find_free_port()
    password = cli.run("relay-password").strip()
    raw = jis_mail(to=[("鈴木 一郎", COLLEAGUE)], message_id=make_msgid())
    smtp_sink.handler.delay = 4  # the first run is mid-transaction with the upstream
    cli.start(port, hold=0)
    submit(port, password, raw)
    assert smtp_sink.handler.data_started.wait(60)
    [item] = cli.outbox()
    assert item["state"] == "sending"

    second = _second_run(cli)
    assert second.returncode == 2
    assert "already running" in second.stderr
    assert cli.proc is not None
    assert f"process {cli.proc.pid}" in second.stderr
    assert f"127.0.0.1:{port}" in second.stderr
    assert "Traceback" not in second.stderr
    [still] = cli.outbox()
    assert still["state"] == "sending"  # the second run did not "recover" the first one's send

    [sent] = wait_all_sent(cli, 1)
    time.sleep(1.5)  # a wrongly reset item would be claimed again within the worker's next pass
    assert [m.data for m in smtp_sink.messages] == [raw]
    assert cli.outbox()[0]["attempts"] == sent["attempts"] == 1


def test_after_the_first_run_stops_the_next_one_starts(cli):
    port = find_free_port()
    cli.start(port, hold=0)
    cli.stop()
    cli.start(port, hold=0)  # no stale lock after a clean stop
    cli.kill9()
    cli.start(port, hold=0)  # nor after a kill -9: the OS drops the lock with the process
