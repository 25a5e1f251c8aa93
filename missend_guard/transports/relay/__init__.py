"""The local SMTP relay: aiosmtpd on 127.0.0.1, AUTH required; it only translates SMTP to the gate.

`server` runs it, `session` is one client connection within the `limits`, `handler` hands DATA
to the gate, `quiet_log` keeps floods and secrets out of the log. The names below are its API.
"""

from __future__ import annotations

from missend_guard.transports.relay.limits import DEFAULT_MAX_CONNECTIONS, RelayLimits
from missend_guard.transports.relay.server import (
    DEFAULT_PORT,
    DEFAULT_SIZE_LIMIT,
    RELAY_USER,
    Relay,
    RelayError,
    is_loopback,
)

__all__ = [
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_PORT",
    "DEFAULT_SIZE_LIMIT",
    "RELAY_USER",
    "Relay",
    "RelayError",
    "RelayLimits",
    "is_loopback",
]
