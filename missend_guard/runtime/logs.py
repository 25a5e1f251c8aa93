"""The log file under the data dir (rotated) and warnings on stderr, for both composition roots."""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sys

from missend_guard.storage.paths import DataPaths


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are 0600 whatever the umask (they name recipients and subjects)."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        """A log that cannot be written (disk full) says so once on stderr, not a traceback per line."""
        if self._failed:
            return
        self._failed = True
        error = sys.exc_info()[1]
        reason = getattr(error, "strerror", None) or error
        print(f"missend-guard: cannot write the log file {self.baseFilename}: {reason}",
              file=sys.stderr)

    _failed = False

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def setup_logging(paths: DataPaths, *, verbose: bool = False) -> None:
    """Log to logs/missend-guard.log (rotated) and warnings to stderr."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for old in [h for h in root.handlers if getattr(h, "missend_guard", False)]:
        root.removeHandler(old)  # a second run in one process (tests) must not log twice
        old.close()
    file_handler = PrivateRotatingFileHandler(
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
