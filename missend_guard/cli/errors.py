"""Environment problems as one readable paragraph and exit status 2, for every sub-command."""

from __future__ import annotations

import contextlib
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
        print(f"missend-guard: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        status[0] = 2
