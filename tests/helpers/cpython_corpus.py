"""CPython's own email test messages (test/test_email/data), where the interpreter ships them."""

from __future__ import annotations

import sys
from pathlib import Path


def cpython_email_corpus() -> list[Path]:
    """Every msg_*.txt of CPython's email test data, or [] where the test package is not installed."""
    for base in sys.path:
        folder = Path(base) / "test" / "test_email" / "data"
        if folder.is_dir():
            return sorted(folder.glob("msg_*.txt"))
    return []
