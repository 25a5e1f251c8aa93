"""The outbox's files on disk: durable writes and moves, the sweep of strays at start, readable
I/O errors."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from missend_guard.core.ports.outbox import Spool, StorageError
from missend_guard.storage.atomic import fsync_dir, write_synced
from missend_guard.storage.outbox.spool import PREFIX as SPOOL_PREFIX
from missend_guard.storage.outbox.spool import SUFFIX as SPOOL_SUFFIX
from missend_guard.storage.outbox.spool import FileSpool
from missend_guard.storage.paths import DataPaths


def describe(exc: BaseException, where: Path) -> str:
    """A sentence a user can act on for a storage failure."""
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return f"The disk holding {where} is full; free some space and send again."
        if exc.errno in (errno.EACCES, errno.EPERM):
            return f"Missend Guard may not write to {where} (permission denied)."
        if exc.errno == errno.EROFS:
            return f"{where} is on a read-only disk."
        return f"Could not write to {where}: {exc.strerror or exc}."
    return f"The outbox database {where} could not be updated: {exc}."


def write_message(directory: Path, item_id: str, raw: bytes) -> Path:
    """Write <id>.eml durably (temp, fsync, rename, fsync dir); StorageError, nothing left, if not."""
    tmp = directory / f"{item_id}.tmp"
    final = directory / f"{item_id}.eml"
    try:
        write_synced(tmp, raw)
        os.replace(tmp, final)
        # Needed: the file's fsync makes its data durable, not its new name; without this a
        # power loss could keep the row but not the directory entry (only ext4's journal
        # happens to cover both; POSIX does not promise it).
        fsync_dir(directory)
    except OSError as exc:
        remove(tmp, final)
        raise StorageError(describe(exc, directory)) from exc
    return final


def keep_or_write(directory: Path, item_id: str, raw: bytes, spool: Spool | None) -> Path:
    """<id>.eml durably: the relay's spool renamed when it holds `raw`, else `raw` written."""
    if not (isinstance(spool, FileSpool) and spool.path.parent == directory
            and spool.holds(len(raw))):
        return write_message(directory, item_id, raw)
    final = directory / f"{item_id}.eml"
    try:
        spool.keep_as(final)
        fsync_dir(directory)
    except OSError as exc:
        remove(final)
        raise StorageError(describe(exc, directory)) from exc
    return final


def move_durably(source: Path, target: Path) -> None:
    """Rename `source` to `target` and fsync both directories; StorageError when it cannot."""
    try:
        os.replace(source, target)
    except OSError as exc:
        raise StorageError(describe(exc, target.parent)) from exc
    try:
        fsync_dir(target.parent)
        fsync_dir(source.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.replace(target, source)  # the caller's row is rolled back: the file goes back too
        raise StorageError(describe(exc, target.parent)) from exc


def remove(*paths: Path) -> None:
    """Delete files that must not outlive a failed store (missing ones are fine)."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def sweep_strays(paths: DataPaths, keep: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Remove unfinished .tmp writes, move .eml files without a row to returned/; their names."""
    # A .tmp is a write that never finished: removed. An .eml without a row is normally a store
    # interrupted before its commit (so the client never got 250 and still has the mail), but
    # it could also be acknowledged mail whose database was lost or restored from an old copy.
    # Never sent (the envelope is in the row) and never deleted: it is moved to returned/ where
    # the user can find it.
    removed: list[str] = []
    orphans: list[str] = []
    try:
        paths.outbox_dir.mkdir(parents=True, exist_ok=True)
        strays = [p for p in paths.outbox_dir.iterdir()
                  if p.stem not in keep and (p.suffix in (".tmp", ".eml") or (
                      p.name.startswith(SPOOL_PREFIX) and p.name.endswith(SPOOL_SUFFIX)))]
    except OSError as exc:
        raise StorageError(describe(exc, paths.outbox_dir)) from exc
    for path in strays:
        with contextlib.suppress(OSError):
            if path.suffix != ".eml":  # a write or a DATA spool that never got its 250
                path.unlink()
                removed.append(path.name)
            else:
                os.replace(path, paths.returned_dir / f"unsent-{path.name}")
                orphans.append(path.name)
    return tuple(removed), tuple(orphans)
