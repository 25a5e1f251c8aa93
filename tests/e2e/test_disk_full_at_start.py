"""A full disk at start is reported as a full disk, in one paragraph, not as "disk I/O error"."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import find_free_port
from tests.helpers.headless import UMASK, Cli
from tests.helpers.small_disk import fill, small_disk

pytestmark = pytest.mark.slow


def test_run_on_a_full_disk_says_the_disk_is_full(keyring_file_env, tmp_path):
    with small_disk(tmp_path / "disk", 2048) as disk:
        cli = Cli(keyring_file_env, disk / "data")
        cli.run("account", "add", "up", "--host", "127.0.0.1", "--port", "2", "--security",
                "none", "--default")
        (disk / "data" / "missend_guard.sqlite3").unlink(missing_ok=True)
        filler = fill(disk)
        done = subprocess.run(
            cli.args("run", "--headless", "--relay-port", str(find_free_port())),
            env=cli.env, capture_output=True, text=True, timeout=60, check=False, umask=UMASK,
        )
        assert done.returncode == 2
        assert "is full" in done.stderr, done.stderr
        assert "Free some space" in done.stderr
        assert "Traceback" not in done.stderr
        assert "disk I/O error" not in done.stderr
        filler.unlink()
