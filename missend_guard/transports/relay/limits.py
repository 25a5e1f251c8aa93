"""What one local client may take from the relay: connections, idle time, failed logins."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

DEFAULT_MAX_CONNECTIONS = 16


@dataclass(frozen=True)
class RelayLimits:
    """The relay's resource limits; the defaults suit one person's mail programs on one computer."""

    max_connections: int = DEFAULT_MAX_CONNECTIONS
    pre_auth_timeout: float = 30.0  # a mail program logs in within a second of connecting
    handshake_grace: float = 1.0  # a client that is talking (EHLO, AUTH) is not displaced sooner
    login_delay: float = 0.5  # before the reply to the first failed login on a connection
    login_delay_cap: float = 8.0  # the delay doubles per failure up to this
    failed_logins_per_connection: int = 5  # then 421 and the connection is closed
    failed_logins_per_minute: int = 30  # over all connections; then every AUTH gets 454

    def __post_init__(self) -> None:
        if self.max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, not {self.max_connections}")


class Connection(Protocol):
    """A client connection as the admission sees it."""

    @property
    def authenticated(self) -> bool:
        """True once the client logged in."""
        ...

    @property
    def last_activity(self) -> float:
        """When the client last sent a command, or connected (event-loop clock)."""
        ...

    @property
    def spoke(self) -> bool:
        """True once the client sent a command."""
        ...

    def displace(self) -> None:
        """Answer 421 and close: a newer client needs the place."""
        ...


class Admission:
    """At most `capacity` open connections; idle clients that never logged in make room for new ones.

    Used on the event-loop thread only (connection_made / connection_lost), so it needs no lock.
    Refusing every newcomer at the cap would let a few idle connections lock the real mail
    program out, so a newcomer displaces, oldest first, a connection that has not logged in and
    has said nothing, else one whose client fell silent for `grace` seconds. A client in the
    middle of its handshake, or logged in (a review may hold it for minutes), keeps its place;
    when no place can be freed the newcomer is refused.
    """

    def __init__(self, capacity: int, grace: float) -> None:
        self.capacity = capacity
        self._grace = grace
        self._open: set[Connection] = set()
        self.displaced = 0
        self.refused = 0

    def __len__(self) -> int:
        return len(self._open)

    def admit(self, connection: Connection, now: float) -> bool:
        """Take `connection` in (displacing an idle one at the cap), or False: refuse it."""
        if len(self._open) >= self.capacity:
            waiting = [c for c in self._open if not c.authenticated]
            silent = [c for c in waiting if not c.spoke]
            stale = [c for c in waiting if c.spoke and now - c.last_activity >= self._grace]
            candidates = silent or stale
            if not candidates:
                self.refused += 1
                return False
            victim = min(candidates, key=lambda c: c.last_activity)
            self._open.discard(victim)
            self.displaced += 1
            victim.displace()
        self._open.add(connection)
        return True

    def release(self, connection: Connection) -> None:
        """`connection` closed (or was displaced): its place is free."""
        self._open.discard(connection)


class LoginThrottle:
    """Failed logins: a delay growing per failure on a connection, and a limit over all connections."""

    def __init__(self, limits: RelayLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self._limits = limits
        self._clock = clock
        self._failures: deque[float] = deque()

    def _prune(self) -> None:
        horizon = self._clock() - 60.0
        while self._failures and self._failures[0] <= horizon:
            self._failures.popleft()

    def locked(self) -> bool:
        """True while too many logins failed in the last minute: every AUTH is answered 454."""
        self._prune()
        return len(self._failures) >= self._limits.failed_logins_per_minute

    def failed(self) -> int:
        """Record one failed login; how many failed in the last minute."""
        self._prune()
        self._failures.append(self._clock())
        return len(self._failures)

    def delay(self, failures_on_connection: int) -> float:
        """Seconds to wait before answering the n-th failed login on one connection."""
        steps = min(max(failures_on_connection - 1, 0), 16)
        return float(min(self._limits.login_delay * 2**steps, self._limits.login_delay_cap))

    def closes(self, failures_on_connection: int) -> bool:
        """True when the connection has failed too often and is closed with 421."""
        return failures_on_connection >= self._limits.failed_logins_per_connection
