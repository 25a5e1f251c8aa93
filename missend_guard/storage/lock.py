"""One running Missend Guard per data dir: an OS file lock taken before the outbox is read or recovered."""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import IO

from missend_guard.core.errors import UserError

LOCK_NAME = "missend-guard.lock"


class DataDirBusyError(UserError):
    """Another Missend Guard already runs on this data dir."""


def _try_lock(handle: IO[str]) -> bool:
    if os.name == "nt":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class DataDirLock:
    """Held for the life of a run; the OS drops it when the process dies, however it dies."""

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_NAME
        self._handle: IO[str] | None = None

    def acquire(self, **about: object) -> None:
        """Take the lock or raise DataDirBusyError naming the running instance; `about` is recorded."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        handle = os.fdopen(fd, "r+", encoding="utf-8")
        if not _try_lock(handle):
            holder = self._describe(handle)
            handle.close()
            raise DataDirBusyError(
                f"Missend Guard is already running for {self.path.parent}{holder}. "
                "Only one can use a data dir at a time (two would send the same mail twice): "
                "use the running one from its tray icon, or quit it first."
            )
        self._handle = handle
        self.record(**about)

    def record(self, **about: object) -> None:
        """Write who holds the lock (pid, start time, relay port) for a second start to name."""
        if self._handle is None:
            return
        info = {"pid": os.getpid(), "since": time.strftime("%Y-%m-%d %H:%M:%S"), **about}
        with contextlib.suppress(OSError):
            # Byte 0 is the Windows lock range; the text goes after it so reading never blocks.
            self._handle.seek(0)
            self._handle.truncate()
            self._handle.write(" " + json.dumps(info))
            self._handle.flush()

    @staticmethod
    def _describe(handle: IO[str]) -> str:
        try:
            handle.seek(1)
            info = json.loads(handle.read() or "{}")
        except (OSError, ValueError):
            return ""
        if not isinstance(info, dict):
            return ""
        parts = [f"process {info['pid']}" if info.get("pid") else "",
                 f"started {info['since']}" if info.get("since") else "",
                 f"relay 127.0.0.1:{info['relay_port']}" if info.get("relay_port") else ""]
        text = ", ".join(p for p in parts if p)
        return f" ({text})" if text else ""

    @property
    def held(self) -> bool:
        """True while this process holds the lock."""
        return self._handle is not None

    def release(self) -> None:
        """Let the next run in (also happens when the process ends)."""
        if self._handle is not None:
            self._handle.close()  # closing drops flock / msvcrt locks
            self._handle = None
