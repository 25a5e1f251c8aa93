"""The log file under the data dir (rotated) and warnings on stderr, for both composition roots."""

from __future__ import annotations

import logging
import logging.handlers
import sys

from missend_guard.storage.paths import DataPaths


def setup_logging(paths: DataPaths, *, verbose: bool = False) -> None:
    """Log to logs/missend-guard.log (rotated) and warnings to stderr."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for old in [h for h in root.handlers if getattr(h, "missend_guard", False)]:
        root.removeHandler(old)  # a second run in one process (tests) must not log twice
        old.close()
    file_handler = logging.handlers.RotatingFileHandler(
        paths.logs_dir / "missend-guard.log", maxBytes=5 * 1024 * 1024, backupCount=5,
        encoding="utf-8",
    )
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.WARNING)
    stderr.setFormatter(logging.Formatter("missend-guard: %(message)s"))
    handler: logging.Handler
    for handler in (file_handler, stderr):
        setattr(handler, "missend_guard", True)  # noqa: B010 - a tag on a stdlib object
        root.addHandler(handler)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
