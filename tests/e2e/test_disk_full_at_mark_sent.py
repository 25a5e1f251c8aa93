"""The upstream's 250 arrives when the data dir's disk is full (a real small tmpfs): the mail is
recorded as sent once space is freed, or shown as uncertain after a kill; never sent twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from email.utils import make_msgid
from pathlib import Path

import pytest

from tests.conftest import find_free_port
from tests.helpers.headless import COLLEAGUE, Cli, submit, wait_all_sent
from tests.helpers.mails import jis_mail
from tests.helpers.small_disk import fill, small_disk

pytestmark = pytest.mark.slow

NOT_RECORDED = "could not record the outcome of"


class Warnings:
    """The app's stderr (its warnings), read as it comes."""

    def __init__(self, cli: Cli) -> None:
        assert cli.proc is not None
        assert cli.proc.stderr is not None
        self.lines: list[str] = []
        stream = cli.proc.stderr
        threading.Thread(target=lambda: self.lines.extend(iter(stream.readline, "")),
                         daemon=True).start()

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert time.monotonic() < deadline, self.lines
            time.sleep(0.1)
        return next(line for line in self.lines if text in line)


@pytest.fixture
def full_at_250(keyring_file_env, tmp_path, smtp_sink) -> Iterator[tuple[Cli, Path, bytes]]:
    """A running app whose mail reached the upstream; the disk fills before the 250 comes."""
    with small_disk(tmp_path / "disk", 4096) as disk:
        cli = Cli(keyring_file_env, disk / "data")
        cli.run("account", "add", "up", "--host", "127.0.0.1", "--port", str(smtp_sink.port),
                "--security", "none", "--default")
        port = find_free_port()
        password = cli.run("relay-password").strip()
        raw = jis_mail(to=[("鈴木 一郎", COLLEAGUE)], message_id=make_msgid())
        smtp_sink.handler.release = threading.Event()
        try:
            cli.start(port, hold=0)
            warnings = Warnings(cli)
            submit(port, password, raw)
            assert smtp_sink.handler.data_started.wait(60)  # the upstream has it
            filler = fill(disk)
            smtp_sink.handler.release.set()  # its 250 meets a full disk
            line = warnings.wait_for(NOT_RECORDED)
            assert "full" in line
            yield cli, filler, raw
        finally:
            cli.stop()


def test_the_250_is_recorded_when_space_returns_and_never_resent(full_at_250, smtp_sink):
    cli, filler, raw = full_at_250
    time.sleep(2)  # retries of the record meanwhile, all refused
    filler.unlink()
    [item] = wait_all_sent(cli, 1, timeout=90)
    assert item["attempts"] == 1
    time.sleep(2)
    assert [m.data for m in smtp_sink.messages] == [raw]  # exactly one copy


def test_killed_while_the_disk_is_full_it_is_uncertain_after_restart(full_at_250, smtp_sink):
    cli, filler, raw = full_at_250
    cli.kill9()
    filler.unlink()
    cli.start(find_free_port(), hold=0)
    [item] = cli.outbox()
    assert item["state"] == "uncertain"
    time.sleep(3)
    assert cli.outbox()[0]["state"] == "uncertain"
    assert [m.data for m in smtp_sink.messages] == [raw]  # not resent
