"""The relay's DATA spool as a named private file in outbox/, so a stored message is written once.

A spool is `spool-<random>.part` (0600, in the 0700 outbox directory). When the gate stores the
exact bytes it holds, the outbox renames it to `<id>.eml` (`keep_as`) instead of writing the
message again; otherwise `discard()` deletes it. A crash leaves a `.part` that no client ever
got a 250 for: the sweep at start deletes it (the mail is still in the mail program).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from pathlib import Path
from typing import IO

PREFIX = "spool-"
SUFFIX = ".part"


class FileSpool:
    """One DATA spool file; thread-safe between the relay's reader, a background fsync and store."""

    def __init__(self, directory: Path) -> None:
        fd, name = tempfile.mkstemp(prefix=PREFIX, suffix=SUFFIX, dir=directory)  # 0600
        self.path = Path(name)
        self._file: IO[bytes] = os.fdopen(fd, "w+b")
        self._lock = threading.Lock()
        self._synced = -1  # the size last fsynced
        self._kept = False

    @property
    def file(self) -> IO[bytes]:
        """The open file the relay writes DATA into."""
        return self._file

    def sync(self) -> None:
        """Flush and fsync; cheap when nothing changed since the last time. OSError when it cannot."""
        with self._lock:
            self._sync()

    def _sync(self) -> None:
        if self._file.closed:
            return
        self._file.flush()
        size = os.fstat(self._file.fileno()).st_size
        if size != self._synced:
            os.fsync(self._file.fileno())
            self._synced = size

    def holds(self, size: int) -> bool:
        """Whether the spool is still open and exactly `size` bytes long."""
        with self._lock:
            if self._file.closed:
                return False
            self._file.flush()
            return os.fstat(self._file.fileno()).st_size == size

    def keep_as(self, target: Path) -> None:
        """Durably in the file, closed, renamed to `target` (same directory); OSError if not."""
        with self._lock:
            self._sync()
            self._file.close()  # Windows renames no open file
            os.replace(self.path, target)
            self._kept = True
            self.path = target

    def discard(self) -> None:
        """Close, and delete the file unless it was kept; safe to call again."""
        with self._lock:
            with contextlib.suppress(OSError):
                self._file.close()
            if not self._kept:
                with contextlib.suppress(OSError):
                    self.path.unlink()
