"""A real small disk (tmpfs) to fill up: full-disk tests see the ENOSPC the kernel gives, not a fake."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def can_mount() -> bool:
    """Only root on Linux can mount a tmpfs (CI runs as root)."""
    return sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0


@contextlib.contextmanager
def small_disk(where: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of `size_kb` KiB mounted at `where` for the block; unmounted afterwards."""
    if not can_mount():
        pytest.skip("needs root on Linux to mount a small tmpfs")
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0700", "tmpfs",
                           str(where)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def fill(disk: Path, *, leave: int = 0) -> Path:
    """Fill `disk` until only about `leave` bytes are free; returns the filler file to delete."""
    filler = disk / "filler.bin"
    chunk = b"\0" * 65536
    with filler.open("ab") as fh:
        while True:
            free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
            if free <= leave:
                break
            try:
                fh.write(chunk[: max(1, min(len(chunk), free - leave))])
                fh.flush()
            except OSError:
                break
    return filler
