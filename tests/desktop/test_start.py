"""Starting the tray app: a problem that stops it is shown in a window, in the user's language."""

from __future__ import annotations

import argparse
import socket
from pathlib import Path

import pytest

from missend_guard.core.errors import UserError
from missend_guard.desktop import start
from missend_guard.transports.relay.server import RelayError
from tests.helpers.rig import configure, data_paths


def _args(root: Path, port: int) -> argparse.Namespace:
    return argparse.Namespace(data_dir=str(root / "data"), relay_port=port, hold_seconds=0,
                              contacts=[], internal_domain=[], lang="en")


def test_port_taken_by_another_program_is_shown_prominently_and_nothing_starts(
        qapp, tmp_path, memory_keyring):
    configure(data_paths(tmp_path), upstream_port=None)
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", 0))
    squatter.listen()
    port = squatter.getsockname()[1]
    shown: list[UserError] = []
    try:
        with pytest.raises(RelayError):
            start.main(_args(tmp_path, port), on_start_problem=shown.append)
    finally:
        squatter.close()
    [problem] = shown
    heading, text = start.start_problem_text(problem)
    assert heading == "Another program is using the relay port"
    assert f"127.0.0.1:{port}" in text
    assert "relay password" in text
    # Nothing was left running: the data dir can be used by the next start at once.
    from missend_guard.storage.lock import DataDirLock

    lock = DataDirLock(tmp_path / "data")
    lock.acquire()
    lock.release()
