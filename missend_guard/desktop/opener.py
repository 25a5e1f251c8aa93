"""Opening a file with the system's program for it, and showing it in the file manager.

Each call says whether it worked: Qt's openUrl only reports that a launcher started, and on a
desktop without one it prints "Unable to detect a launcher" to stderr and the user sees nothing.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

_WAIT_SECONDS = 3.0  # xdg-open and open fail at once; still running means a program took the file


def launch(argv: Sequence[str]) -> bool:
    """Run a launcher; False when it is missing or exits non-zero, True once it runs on."""
    try:
        # Fixed argument lists, never a shell; no pipes a program left running could fill.
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
    except OSError:
        log.exception("could not start %s", argv[0])
        return False
    try:
        code = process.wait(timeout=_WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        return True
    if code != 0:
        log.warning("%s exited with %s", argv[0], code)
    return code == 0


class SystemOpener:
    """Windows: the file association; macOS: `open`; elsewhere `xdg-open` (or `gio open`)."""

    def __init__(self, platform: str = sys.platform, *, run: Callable[[Sequence[str]], bool] = launch,
                 which: Callable[[str], str | None] = shutil.which) -> None:
        self._platform, self._run, self._which = platform, run, which

    def open(self, path: Path) -> bool:
        """Open the file as a double-click would."""
        if self._platform == "win32":
            return _start_file(path)
        if self._platform == "darwin":
            return self._run(["open", str(path)])
        return self._first_that_works(path)

    def reveal(self, path: Path) -> bool:
        """Show the file in the file manager (its folder, where the file cannot be selected)."""
        if self._platform == "win32":
            self._run(["explorer", f"/select,{path}"])  # explorer exits 1 even when it worked
            return True
        if self._platform == "darwin":
            return self._run(["open", "-R", str(path)])
        return self._first_that_works(path.parent)

    def _first_that_works(self, path: Path) -> bool:
        for argv in (["xdg-open", str(path)], ["gio", "open", str(path)]):
            if self._which(argv[0]) is not None and self._run(argv):
                return True
        return False


def _start_file(path: Path) -> bool:
    starter = getattr(os, "startfile", None)  # Windows only
    if starter is None:
        return False
    try:
        starter(str(path))
    except OSError:
        log.exception("no program opened %s", path)
        return False
    return True
