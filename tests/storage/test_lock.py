"""One run per data dir: a second process is refused with a message naming the first."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from missend_guard.storage.lock import DataDirBusyError, DataDirLock

_HOLD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from missend_guard.storage.lock import DataDirLock
    lock = DataDirLock(Path(sys.argv[1]))
    lock.acquire(relay_port=4321)
    print("held", flush=True)
    sys.stdin.readline()
""")


def test_a_second_process_is_refused_while_the_first_holds_the_lock(tmp_path: Path):
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DataDirBusyError) as refused:
            DataDirLock(tmp_path).acquire()
        text = str(refused.value)
        assert f"process {holder.pid}" in text
        assert "127.0.0.1:4321" in text
        assert str(tmp_path) in text
    finally:
        holder.communicate("\n", timeout=30)
    # The first one has exited: the OS dropped its lock, the next run gets it.
    lock = DataDirLock(tmp_path)
    lock.acquire()
    assert lock.held
    lock.release()


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path):
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait(timeout=30)
    lock = DataDirLock(tmp_path)
    lock.acquire()
    lock.release()


def test_the_same_process_cannot_take_it_twice(tmp_path: Path):
    first = DataDirLock(tmp_path)
    first.acquire()
    try:
        with pytest.raises(DataDirBusyError):
            DataDirLock(tmp_path).acquire()
    finally:
        first.release()
    again = DataDirLock(tmp_path)
    again.acquire()
    again.release()


def test_the_lock_file_is_private(tmp_path: Path):
    lock = DataDirLock(tmp_path)
    lock.acquire()
    try:
        if sys.platform != "win32":
            assert (tmp_path / "missend-guard.lock").stat().st_mode & 0o077 == 0
    finally:
        lock.release()
