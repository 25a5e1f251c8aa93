"""Environment problems as one readable paragraph and exit status 2, for every sub-command."""

from __future__ import annotations

import contextlib
import errno
import sys
from collections.abc import Iterator

from missend_guard.core.errors import UserError


@contextlib.contextmanager
def user_errors() -> Iterator[list[int]]:
    """Turn environment problems into one readable paragraph and exit status 2 (yields a box)."""
    status = [0]
    try:
        yield status
    except UserError as exc:
        print(f"missend-guard: {exc}", file=sys.stderr)
        status[0] = 2
    except OSError as exc:  # e.g. the data dir cannot be created
        if exc.errno == errno.ENOSPC:
            where = f" holding {exc.filename}" if exc.filename else ""
            print(f"missend-guard: the disk{where} is full ({exc.strerror}). Free some space on "
                  "it, then try again; mail already in the outbox is kept.", file=sys.stderr)
            status[0] = 2
            return
        print(f"missend-guard: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        status[0] = 2
