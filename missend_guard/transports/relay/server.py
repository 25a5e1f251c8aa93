"""The relay server: aiosmtpd's Controller on 127.0.0.1 with AUTH, limits and quiet logs."""

from __future__ import annotations

import asyncio
import errno
import hmac
import ipaddress
import os
import socket
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from missend_guard.core.errors import UserError
from missend_guard.transports.activity import Activity
from missend_guard.transports.relay.data import OpenSpool, TemporarySpool
from missend_guard.transports.relay.handler import GateCall, RelayHandler
from missend_guard.transports.relay.limits import RelayLimits
from missend_guard.transports.relay.quiet_log import MAIL_LOG, RELAY_LOG, MailLogFilter, RateLimit
from missend_guard.transports.relay.session import Login, RelaySession, SessionGuard
from missend_guard.transports.relay.spare import SpareSpool

log = RELAY_LOG

RELAY_USER = "missend-guard"
DEFAULT_PORT = 2525
DEFAULT_SIZE_LIMIT = 50 * 1024 * 1024
_ADDRESS_IN_USE = {errno.EADDRINUSE, 10048}  # 10048: WSAEADDRINUSE on Windows


class RelayError(UserError):
    """The relay could not start (port in use, non-loopback address); the message says what to do.

    `port_taken` tells the UI to warn prominently: the mail program may be talking to whatever
    holds the port, and would hand it the relay password.
    """

    def __init__(self, message: str, *, host: str = "", port: int = 0,
                 port_taken: bool = False) -> None:
        super().__init__(message)
        self.host = host
        self.port = port
        self.port_taken = port_taken


def is_loopback(host: str) -> bool:
    """True for localhost and loopback IP literals."""
    if host.lower().rstrip(".") in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def port_taken_message(host: str, port: int) -> str:
    """What to tell the user when another program already listens on the relay's port."""
    return (
        f"Cannot listen on {host}:{port}: another program is already using this port. Your mail "
        "program may be sending its mail to that program instead of Missend Guard, unchecked, "
        "and handing it the relay password. Find and stop that program, or choose another port "
        "with --relay-port (setting relay_port) and set the same port as the outgoing server in "
        "your mail program."
    )


def _probe_port(host: str, port: int) -> None:
    """Bind and release `host:port` as asyncio will (OSError when another program holds it)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        if os.name == "posix":  # asyncio's own bind sets it too (a port in TIME_WAIT is free)
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)


class _RelayController(Controller):
    """aiosmtpd's Controller, handing each connection a session built while the relay was idle.

    Building an aiosmtpd session introspects it (`inspect.getmembers` over some 170 attributes):
    0.2-0.7 ms that every client waited for before its greeting. One spare is built on the loop
    after a connection closes (between a mail program's sessions); a burst builds the rest at
    once, as before.
    """

    def __init__(self, handler: Any, *, guard: SessionGuard, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self._guard = guard
        self._spare: RelaySession | None = None
        guard.on_closed = self._closed

    def factory(self) -> SMTP:
        session, self._spare = self._spare, None
        return session or self._new_session()

    def _new_session(self) -> RelaySession:
        return RelaySession(self.handler, guard=self._guard, loop=self.loop, **self.SMTP_kwargs)

    def _closed(self) -> None:
        """A connection closed (on the loop): build the next one's session once the loop is free."""
        if self._spare is None and not self.loop.is_closed():
            self.loop.call_soon(self._build_spare)

    def _build_spare(self) -> None:
        if self._spare is None:
            self._spare = self._new_session()

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        # A deeper backlog than asyncio's 100: a burst of connections is accepted and answered
        # (421 past the cap) at once, instead of leaving a real client's SYN to a 1 s retry.
        return self.loop.create_server(self._factory_invoker, host=self.hostname,
                                       port=self.port, backlog=512)


class Relay:
    """The SMTP submission server on loopback; `start()` binds, `stop()` stops accepting."""

    def __init__(
        self,
        gate: GateCall,
        *,
        password: Callable[[], str],
        port: int = DEFAULT_PORT,
        host: str = "127.0.0.1",
        data_size_limit: int = DEFAULT_SIZE_LIMIT,
        idle_timeout: float = 300.0,
        workers: int = 32,
        user: str = RELAY_USER,
        limits: RelayLimits | None = None,
        open_spool: OpenSpool = TemporarySpool,
        activity: Activity | None = None,
    ) -> None:
        if not is_loopback(host):
            raise RelayError(f"the relay listens on loopback only, not on {host!r}", host=host,
                             port=port)
        self.host = host
        self.port = port
        self._password = password
        self._user = user
        self.limits = limits or RelayLimits()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="relay-gate")
        self._handler = RelayHandler(gate, self._executor)
        self._rate_limit = RateLimit()
        self._mail_log_filter = MailLogFilter(self._rate_limit)
        self._spare_spool = SpareSpool(open_spool, self._executor)
        self.activity = activity or Activity()  # when clients speak (delivery waits for a pause)
        self._guard = SessionGuard(self.limits, self._check_login, self._spare_spool,
                                   self.activity)
        self._controller = _RelayController(
            self._handler,
            guard=self._guard,
            hostname=host,
            port=port,
            server_hostname="missend-guard.localhost",  # no getfqdn(): a DNS look-up per connection
            ident="Missend Guard relay",
            data_size_limit=data_size_limit,
            enable_SMTPUTF8=True,
            auth_required=True,
            auth_require_tls=False,
            timeout=idle_timeout,
        )
        self._controller.loop.set_exception_handler(self.on_loop_error)
        self._started = False

    @property
    def open_connections(self) -> int:
        """Connections admitted right now (read from any thread: a snapshot)."""
        return len(self._guard.admission)

    def _check_login(self, login: bytes, password: bytes) -> Login:
        """The relay user and password, compared in constant time; nothing the client sent is logged."""
        try:
            expected = self._password().encode()
        except Exception:  # keychain locked or gone: refuse, say why in the log
            log.exception("cannot read the relay password; refusing AUTH")
            return Login.UNAVAILABLE
        user_ok = hmac.compare_digest(login, self._user.encode())
        password_ok = hmac.compare_digest(password, expected)
        if user_ok and password_ok:
            return Login.ACCEPTED
        log.info("relay login refused: %s", "wrong password" if user_ok else "unknown user name")
        return Login.REFUSED

    def on_loop_error(self, loop: asyncio.AbstractEventLoop | None, context: dict[str, Any]) -> None:
        """asyncio's errors on the relay loop, rate-limited; resource exhaustion without a traceback."""
        message = str(context.get("message") or "error on the relay's event loop")
        error = context.get("exception")
        template = message.replace("%", "%%")
        if isinstance(error, OSError):
            # "socket.accept() out of system resource" (EMFILE) repeats every second of a flood.
            log.error(template + ": %s", error)
        elif isinstance(error, BaseException):
            log.error(template, exc_info=error)
        else:
            log.error(template)

    def start(self) -> None:
        """Bind and serve on the controller's own thread."""
        log.addFilter(self._rate_limit)
        MAIL_LOG.addFilter(self._mail_log_filter)
        try:
            _probe_port(self.host, self.port)  # at once, not after the controller's 5 s timeout
            self._controller.start()
        except OSError as exc:
            self._controller.stop(no_assert=True)
            self._remove_log_filters()
            if exc.errno in _ADDRESS_IN_USE:
                raise RelayError(port_taken_message(self.host, self.port), host=self.host,
                                 port=self.port, port_taken=True) from exc
            raise RelayError(
                f"Cannot listen on {self.host}:{self.port} ({exc.strerror or exc}); choose "
                "another port with --relay-port (setting relay_port)", host=self.host,
                port=self.port,
            ) from exc
        self._started = True
        self._spare_spool.prepare()
        log.info("relay listening on %s:%d (at most %d connections)", self.host, self.port,
                 self.limits.max_connections)

    def stop(self) -> None:
        """Stop accepting; sessions under review are withdrawn; stored mail stays in the outbox."""
        if self._started:
            self._controller.stop()
            self._started = False
        self._handler.cancel_all()
        self._executor.shutdown(wait=True)
        self._spare_spool.close()
        self._remove_log_filters()

    def _remove_log_filters(self) -> None:
        self._rate_limit.flush()
        log.removeFilter(self._rate_limit)
        MAIL_LOG.removeFilter(self._mail_log_filter)
