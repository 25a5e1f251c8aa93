"""When settings must be read again: a file's bytes changed, or the administrator's sources are due.

`SettingsStore.load()` runs for every mail (which account sends it) and every delivery, and
parses and validates two JSON files plus, on Windows and macOS, the administrator's policy
sources. A snapshot is reused while both files hold exactly the bytes it was read from (reading
two small files costs a few microseconds; parsing and validating them, a few hundred) and the
OS sources were read less than `ADMIN_SECONDS` ago. Comparing bytes, not modification times,
also sees a second edit within one tick of a coarse file-system clock (FAT, HFS+).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

ADMIN_SECONDS = 5.0  # Group Policy refreshes every 90 minutes; a few more seconds change nothing


def file_contents(path: Path) -> Hashable:
    """What `path` holds now ("missing" when absent); None when it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return "missing"
    except OSError:
        return None  # read again each time (load() reports the problem)


class Freshness:
    """A signature of what `load()` reads; equal signatures mean the same snapshot, None: read."""

    def __init__(self, files: Sequence[Path], *, admin_sources: bool,
                 monotonic: Callable[[], float] | None = None) -> None:
        self._files = tuple(files)
        self._admin_sources = admin_sources
        self._monotonic = monotonic or time.monotonic
        self._admin_read_at = float("-inf")

    def signature(self) -> Hashable:
        """The current signature, or None when the snapshot must be read again regardless."""
        parts = tuple(file_contents(path) for path in self._files)
        if None in parts:
            return None
        if self._admin_sources and self._monotonic() - self._admin_read_at >= ADMIN_SECONDS:
            return None
        return parts

    def read(self) -> None:
        """The snapshot was read from everything just now."""
        self._admin_read_at = self._monotonic()
