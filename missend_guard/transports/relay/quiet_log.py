"""Relay logs that a flood of connections cannot fill and a client cannot write its secrets into."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

RELAY_LOG = logging.getLogger("missend_guard.transports.relay")
MAIL_LOG = logging.getLogger("mail.log")  # aiosmtpd's logger

_SUMMARY = "missend_guard_rate_summary"  # marks our own "suppressed K" lines: never limited again
_Key = tuple[str, int, str]


@dataclass
class _Window:
    start: float
    passed: int = 1
    dropped: int = 0


class RateLimit(logging.Filter):
    """Lets each message (logger, level, template) through `per_period` times a period.

    Past that the message is dropped and, when its period is over (seen at the next log record,
    or at `flush()`), one line says how many similar messages were suppressed. A storm of
    "accept() out of system resource" or failed logins thus costs a few lines a minute instead of
    rotating the whole log history away.
    """

    def __init__(self, per_period: int = 10, *, period: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._per_period = per_period
        self._period = period
        self._clock = clock
        self._windows: dict[_Key, _Window] = {}
        self._lock = threading.Lock()  # the loop thread and the gate's workers both log

    def filter(self, record: logging.LogRecord) -> bool:
        """True to log `record`; False when its message was logged often enough this period."""
        if getattr(record, _SUMMARY, False):
            return True
        key = (record.name, record.levelno, str(record.msg))
        now = self._clock()
        with self._lock:
            due = self._close(now)
            window = self._windows.get(key)
            if window is None:
                self._windows[key] = _Window(now)
                allowed = True
            elif window.passed < self._per_period:
                window.passed += 1
                allowed = True
            else:
                window.dropped += 1
                allowed = False
        self._report(due)  # outside the lock: reporting logs, which comes back through filter()
        return allowed

    def flush(self) -> None:
        """Report every message suppressed so far (the relay is stopping)."""
        with self._lock:
            due = self._close(None)
        self._report(due)

    def _close(self, now: float | None) -> list[tuple[_Key, int]]:
        ended = [key for key, window in self._windows.items()
                 if now is None or now - window.start >= self._period]
        due: list[tuple[_Key, int]] = []
        for key in ended:
            window = self._windows.pop(key)
            if window.dropped:
                due.append((key, window.dropped))
        return due

    def _report(self, due: list[tuple[_Key, int]]) -> None:
        for (name, level, template), dropped in due:
            logging.getLogger(name).log(
                level, "suppressed %d similar messages in the last %g s: %s", dropped,
                self._period, template, extra={_SUMMARY: True},
            )


class MailLogFilter(logging.Filter):
    """aiosmtpd's log: no per-command echo, no client text in warnings, rate-limited.

    aiosmtpd logs every command line at INFO and DEBUG (its AUTH masking misses lower-case
    `auth plain …` and a credential sent where a command was expected); its warnings quote what
    a client typed (an unknown "command" may be a password). The relay logs what matters itself.
    """

    NOISE = ("auth_require_tls == False", "login_data is deprecated")  # loopback needs no TLS

    def __init__(self, rate_limit: RateLimit) -> None:
        super().__init__()
        self._rate_limit = rate_limit

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop, redact and rate-limit one aiosmtpd record."""
        if getattr(record, _SUMMARY, False):
            return True
        if record.levelno < logging.WARNING:
            return False
        if any(noise in str(record.msg) for noise in self.NOISE):
            return False
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif record.args:
            record.args = {key: _redacted(arg) for key, arg in record.args.items()}
        return self._rate_limit.filter(record)


def _redacted(value: object) -> object:
    if isinstance(value, str | bytes | bytearray):
        return f"<{len(value)} characters from the client, not logged>"
    return value
