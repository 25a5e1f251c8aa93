"""When settings must be read again: the files changed, or the administrator's sources are due.

`SettingsStore.load()` runs for every mail (which account sends it) and every delivery, and reads
and validates two JSON files plus, on Windows and macOS, the administrator's policy sources. A
snapshot is reused while every file is the same file (inode, size, modification and change
times) and the OS sources were read less than `ADMIN_SECONDS` ago. A file modified in the last
`RACY_SECONDS` is read again every time: a coarse file-system clock (FAT, HFS+: 1-2 s) could
otherwise hide a second same-size edit in the same tick (git's "racy clean" rule).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

ADMIN_SECONDS = 5.0  # Group Policy refreshes every 90 minutes; a few more seconds change nothing
RACY_SECONDS = 2.0
_stat = os.stat  # (tests give it a coarse clock)


def file_signature(path: Path, now: float) -> Hashable:
    """What identifies this version of `path` ("missing" when absent); None when it is racy."""
    try:
        st = _stat(path)
    except FileNotFoundError:
        return "missing"
    except OSError:
        return None  # unreadable now: read again (load() reports the problem)
    if now - st.st_mtime < RACY_SECONDS:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class Freshness:
    """A signature of what `load()` reads; equal signatures mean the same snapshot, None: read."""

    def __init__(self, files: Sequence[Path], *, admin_sources: bool,
                 monotonic: Callable[[], float] | None = None,
                 wall: Callable[[], float] | None = None) -> None:
        self._files = tuple(files)
        self._admin_sources = admin_sources
        self._monotonic = monotonic or time.monotonic
        self._wall = wall or time.time
        self._admin_read_at = float("-inf")

    def signature(self) -> Hashable:
        """The current signature, or None when the snapshot must be read again regardless."""
        now = self._wall()
        parts = tuple(file_signature(path, now) for path in self._files)
        if None in parts:
            return None
        if self._admin_sources and self._monotonic() - self._admin_read_at >= ADMIN_SECONDS:
            return None
        return parts

    def read(self) -> None:
        """The snapshot was read from everything just now."""
        self._admin_read_at = self._monotonic()
