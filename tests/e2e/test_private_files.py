"""Under a common umask (022) everything the app keeps is the user's alone: dirs 0700, files 0600."""

from __future__ import annotations

import os
import stat
from email.utils import make_msgid
from pathlib import Path

import pytest

from tests.conftest import find_free_port
from tests.helpers.headless import COLLEAGUE, submit, wait_all_sent
from tests.helpers.mails import jis_mail

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name == "nt", reason="POSIX modes; a Windows profile is per-user"),
]




def _modes(root: Path) -> dict[str, int]:
    modes = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        modes[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return modes


def test_a_full_run_leaves_nothing_readable_by_others(cli, smtp_sink):
    port = find_free_port()
    password = cli.run("relay-password").strip()
    cli.start(port, hold=0)
    for _ in range(2):
        submit(port, password, jis_mail(to=[("鈴木 一郎", COLLEAGUE)], message_id=make_msgid()))
    wait_all_sent(cli, 2)
    cli.run("outbox", "list")
    cli.run("audit", "--json")
    modes = _modes(cli.data_dir)
    cli.stop()
    modes.update(_modes(cli.data_dir))
    names = set(modes)
    assert {"missend_guard.sqlite3", "logs/missend-guard.log", "outbox", "settings.json"} <= names
    loose = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert loose == {}


def test_an_old_install_is_made_private_at_the_next_start(cli):
    # An install from before this rule: group/other could read everything.
    cli.run("outbox", "list")
    for path in [cli.data_dir, *cli.data_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (cli.data_dir / "logs" / "missend-guard.log.1").write_text("old log naming a recipient\n")
    (cli.data_dir / "logs" / "missend-guard.log.1").chmod(0o644)
    cli.start(find_free_port(), hold=0)
    cli.stop()
    loose = {name: oct(mode) for name, mode in _modes(cli.data_dir).items() if mode & 0o077}
    assert loose == {}


def test_no_secret_or_login_input_is_left_in_the_data_dir(cli, smtp_sink):
    """A password typed into the user field, the relay password, the upstream's: in no file at all."""
    import smtplib

    port = find_free_port()
    password = cli.run("relay-password").strip()
    typed_as_user = "Pa55-typed-in-the-user-field-9d2f"
    cli.start(port, hold=0)
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp, pytest.raises(smtplib.SMTPException):
        smtp.login(typed_as_user, "wrong")
    submit(port, password, jis_mail(to=[("鈴木 一郎", COLLEAGUE)], message_id=make_msgid()))
    wait_all_sent(cli, 1)
    cli.stop()
    secrets = [typed_as_user.encode(), password.encode()]
    leaks = [str(path) for path in cli.data_dir.rglob("*") if path.is_file()
             for secret in secrets if secret in path.read_bytes()]
    assert leaks == []
