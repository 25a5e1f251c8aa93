"""The local SMTP relay: aiosmtpd on 127.0.0.1, AUTH required; it only translates SMTP to the gate."""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from missend_guard.core.errors import UserError
from missend_guard.core.gate import Outcome
from missend_guard.core.message.envelope import Envelope

log = logging.getLogger(__name__)

RELAY_USER = "missend-guard"
DEFAULT_PORT = 2525
DEFAULT_SIZE_LIMIT = 50 * 1024 * 1024

GateCall = Callable[[bytes, Envelope, threading.Event], Outcome]


class RelayError(UserError):
    """The relay could not start (port in use, non-loopback address); the message says what to do."""


def is_loopback(host: str) -> bool:
    """True for localhost and loopback IP literals."""
    if host.lower().rstrip(".") in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _QuietAuthWarning(logging.Filter):
    """Drops aiosmtpd's per-connection warnings that do not apply on loopback."""

    NOISE = ("auth_require_tls == False", "login_data is deprecated")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(noise in message for noise in self.NOISE)


class _RelaySMTP(SMTP):
    """aiosmtpd's SMTP with the idle timer paused while the gate holds DATA (a review may take minutes)."""

    async def _call_handler_hook(self, command: str, *args: Any) -> Any:
        if command != "DATA":
            return await super()._call_handler_hook(command, *args)
        if self._timeout_handle is not None:
            self._timeout_handle.cancel()
        try:
            return await super()._call_handler_hook(command, *args)
        finally:
            if self.transport is not None:
                self._reset_timeout()


class _RelayController(Controller):
    def factory(self) -> SMTP:
        with warnings.catch_warnings():
            # "Requiring AUTH while not requiring TLS": the relay only listens on loopback.
            warnings.simplefilter("ignore", UserWarning)
            return _RelaySMTP(self.handler, **self.SMTP_kwargs)


class RelayHandler:
    """aiosmtpd handler: DATA → gate in a worker thread → one reply line."""

    def __init__(self, gate: GateCall, executor: ThreadPoolExecutor) -> None:
        self._gate = gate
        self._executor = executor
        self._active: set[threading.Event] = set()

    def cancel_all(self) -> None:
        """Withdraw every review still waiting (the relay is stopping)."""
        for cancelled in list(self._active):
            cancelled.set()

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Any) -> str:  # noqa: N802
        """Run the gate; a client that disconnects meanwhile withdraws its review."""
        raw = bytes(envelope.original_content or b"")
        env = Envelope(str(envelope.mail_from or ""), tuple(str(r) for r in envelope.rcpt_tos))
        cancelled = threading.Event()
        self._active.add(cancelled)
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, self._gate, raw, env, cancelled)
        try:
            outcome: Outcome = await future
        except asyncio.CancelledError:
            # aiosmtpd cancels this coroutine when the client goes away (EOF, reset) or on stop.
            cancelled.set()
            log.info("client %s disconnected while its message was being reviewed", session.peer)
            raise
        finally:
            self._active.discard(cancelled)
        log.info("DATA from %s to %d recipient(s): %s", env.mail_from, len(env.rcpt_tos), outcome.reply)
        return outcome.reply


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
    ) -> None:
        if not is_loopback(host):
            raise RelayError(f"the relay listens on loopback only, not on {host!r}")
        self.host = host
        self.port = port
        self._password = password
        self._user = user
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="relay-gate")
        self._handler = RelayHandler(gate, self._executor)
        self._controller = _RelayController(
            self._handler,
            hostname=host,
            port=port,
            server_hostname="missend-guard.localhost",  # no getfqdn(): a DNS look-up per connection
            ident="Missend Guard relay",
            data_size_limit=data_size_limit,
            enable_SMTPUTF8=True,
            auth_required=True,
            auth_require_tls=False,
            authenticator=self._authenticate,
            timeout=idle_timeout,
        )
        self._started = False
        logging.getLogger("mail.log").addFilter(_QUIET_FILTER)

    def _authenticate(
        self, server: SMTP, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        """AUTH PLAIN/LOGIN against the relay password; anything else fails with 535."""
        if mechanism not in ("PLAIN", "LOGIN") or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        try:
            expected = self._password().encode()
        except Exception:  # keychain locked or gone: refuse, say why in the log
            log.exception("cannot read the relay password; refusing AUTH")
            return AuthResult(success=False, handled=False)
        ok = hmac.compare_digest(auth_data.login, self._user.encode()) and hmac.compare_digest(
            auth_data.password, expected
        )
        if not ok:
            log.warning("relay AUTH failed for user %r", auth_data.login.decode(errors="replace"))
        return AuthResult(success=ok, handled=False)

    def start(self) -> None:
        """Bind and serve on the controller's own thread."""
        try:
            self._controller.start()
        except OSError as exc:
            self._controller.stop(no_assert=True)
            raise RelayError(
                f"cannot listen on {self.host}:{self.port} ({exc.strerror or exc}); another program "
                "(or another Missend Guard) may be using the port: choose one with --relay-port"
            ) from exc
        self._started = True
        log.info("relay listening on %s:%d", self.host, self.port)

    def stop(self) -> None:
        """Stop accepting; sessions under review are withdrawn; stored mail stays in the outbox."""
        if self._started:
            self._controller.stop()
            self._started = False
        self._handler.cancel_all()
        self._executor.shutdown(wait=True)


_QUIET_FILTER = _QuietAuthWarning()
