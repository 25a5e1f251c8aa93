"""One client connection: aiosmtpd's SMTP within the relay's limits, with clean envelope addresses."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import re
import warnings
from collections.abc import Callable
from email._header_value_parser import get_addr_spec, get_angle_addr
from email.errors import HeaderParseError
from typing import Any, AnyStr

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword, Session

from missend_guard.transports.activity import Activity
from missend_guard.transports.addresses import address_problem
from missend_guard.transports.relay.data import (
    DataSpool,
    DataState,
    OpenSpool,
    SpooledEnvelope,
    TemporarySpool,
    receive_data,
)
from missend_guard.transports.relay.limits import Admission, LoginThrottle, RelayLimits
from missend_guard.transports.relay.quiet_log import RELAY_LOG

log = RELAY_LOG

TOO_MANY_CONNECTIONS = b"421 4.7.0 Too many connections to Missend Guard, try again later\r\n"
LOGIN_INVALID = "535 5.7.8 Authentication credentials invalid"
LOGIN_LOCKED = "454 4.7.0 Too many failed logins, try again in a minute"
LOGIN_UNAVAILABLE = "454 4.7.0 Cannot check the password now (keychain unavailable)"
LOGIN_CLOSED = "421 4.7.0 Too many failed logins, closing the connection"
_CONTINUED = re.compile(rb"\d{3}-")  # a reply line with more to come (RFC 5321 4.2.1)


@functools.lru_cache(maxsize=256)  # a mail program sends the same MAIL FROM every time
def _parse_address(arg: str) -> tuple[str | None, str | None]:
    """(address, rest) of a MAIL/RCPT argument as aiosmtpd parses it; (None, None) if it cannot.

    Also (None, None), so a syntax error reply, where the stdlib's parser itself fails on a
    lone quote (IndexError in `addr_spec`): aiosmtpd would answer that with a 500 traceback text.
    """
    if not arg:
        return "", ""
    try:
        parsed, rest = get_angle_addr(arg) if arg.lstrip().startswith("<") else get_addr_spec(arg)
        return str(parsed.addr_spec), rest
    except (HeaderParseError, IndexError):
        return None, None


class Login(enum.Enum):
    """The outcome of checking a user name and password."""

    ACCEPTED = "accepted"
    REFUSED = "refused"
    UNAVAILABLE = "unavailable"  # the relay password cannot be read (keychain locked)


CheckLogin = Callable[[bytes, bytes], Login]


def _nothing() -> None:
    pass


class SessionGuard:
    """What every connection of one relay shares: its limits, admission and login throttle."""

    def __init__(self, limits: RelayLimits, check_login: CheckLogin,
                 open_spool: OpenSpool = TemporarySpool, activity: Activity | None = None) -> None:
        self.limits = limits
        self.check_login = check_login
        self.open_spool = open_spool  # where each DATA is spooled
        self.activity = activity or Activity()  # clients speaking: delivery waits for a pause
        self.admission = Admission(limits.max_connections, limits.handshake_grace)
        self.throttle = LoginThrottle(limits)
        self.on_closed: Callable[[], None] = _nothing  # a connection closed (on the relay's loop)


class _Session(Session):
    """aiosmtpd's Session without the deprecation warning its own AUTH logs at every login."""

    @property
    def login_data(self) -> Any:
        """The login name (aiosmtpd sets it; nothing here reads it)."""
        return self._login_data

    @login_data.setter
    def login_data(self, value: Any) -> None:
        self._login_data = value


class RelaySession(SMTP):
    """aiosmtpd's SMTP for one client, within the relay's limits.

    - Admission at connect (421 over the cap); `displace()` when a newer client needs the place
      (only while it has not logged in and is silent: see `Admission`).
    - Idle timers: `pre_auth_timeout` until the client logs in, then the relay's `timeout`; paused
      while the gate holds DATA (a review may take minutes).
    - Failed logins are answered after a growing delay; too many close the connection, too many
      over all connections answer every AUTH with 454 for a minute.
    - MAIL/RCPT arguments with control characters get 501 5.1.3: the address the gate checks is
      then exactly the one the sender writes upstream.
    - DATA is read in large chunks into a spool file (`data`), not line by line into memory.
    """

    def __init__(self, handler: Any, *, guard: SessionGuard, **smtp_kwargs: Any) -> None:
        self._guard = guard
        self._admitted = False
        self._failed_logins = 0
        self._login_outcome: Login | None = None
        self._last_activity = 0.0
        self._timer_resets = 0  # the first is connection_made's, every other one a command's
        self._reply_lines: list[bytes] = []  # a multi-line reply's lines before its last one
        with warnings.catch_warnings():
            # "Requiring AUTH while not requiring TLS": the relay only listens on loopback.
            warnings.simplefilter("ignore", UserWarning)
            super().__init__(handler, authenticator=self._authenticate_login, **smtp_kwargs)

    # -- admission ---------------------------------------------------------------------------

    @property
    def authenticated(self) -> bool:
        """True once this client logged in."""
        return self.session is not None and bool(self.session.authenticated)

    @property
    def last_activity(self) -> float:
        """When the client last sent a command, or connected (event-loop clock)."""
        return self._last_activity

    @property
    def spoke(self) -> bool:
        """True once the client sent a command."""
        return self._timer_resets > 1

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        first = self.transport is None  # (STARTTLS would call this again; the relay offers none)
        super().connection_made(transport)
        if first:
            self._guard.activity.connected()
            self._admitted = self._guard.admission.admit(self, self.loop.time())
            if not self._admitted:
                log.warning("refused a connection: %d connections are open, none idle before "
                            "logging in", len(self._guard.admission))

    def connection_lost(self, error: Exception | None) -> None:
        self._guard.activity.disconnected()
        self._guard.admission.release(self)
        super().connection_lost(error)
        self._guard.on_closed()

    def displace(self) -> None:
        """Answer 421 and close: an idle client that never logged in makes room for a new one."""
        log.warning("connection limit (%d) reached: closed the longest-idle connection that had "
                    "not logged in", self._guard.limits.max_connections)
        self._close_with(TOO_MANY_CONNECTIONS)

    async def _handle_client(self) -> None:
        if not self._admitted:
            self._close_with(TOO_MANY_CONNECTIONS)
            return
        await super()._handle_client()

    def _close_with(self, reply: bytes) -> None:
        """Write `reply` (no waiting for a slow reader) and close."""
        transport = self.transport
        if transport is None:
            return
        if isinstance(transport, asyncio.WriteTransport):
            with contextlib.suppress(OSError, RuntimeError):
                transport.write(reply)
        transport.close()

    async def push(self, status: AnyStr) -> None:
        """Write one reply line; a multi-line reply (EHLO's six) leaves in one write, not six.

        Each write is a system call and, on loopback, a wake-up of the client: EHLO alone cost
        the client 0.2-0.3 ms more than one write does.
        """
        line = status.encode("utf-8" if self.enable_SMTPUTF8 else "ascii") if isinstance(
            status, str) else bytes(status)
        if _CONTINUED.match(line):
            self._reply_lines.append(line)
            return
        if self._reply_lines:
            line = b"\r\n".join([*self._reply_lines, line])
            self._reply_lines.clear()
        await super().push(line)

    # -- timers --------------------------------------------------------------------------------

    def _reset_timeout(self, duration: float | None = None) -> None:
        self._last_activity = self.loop.time()
        self._guard.activity.touch()
        self._timer_resets += 1
        if duration is None and not self.authenticated:
            duration = self._guard.limits.pre_auth_timeout
        super()._reset_timeout(duration)

    async def _call_handler_hook(self, command: str, *args: Any) -> Any:
        if command != "DATA":
            return await super()._call_handler_hook(command, *args)
        if self._timeout_handle is not None:
            self._timeout_handle.cancel()  # the client waits for the reviewer: never cut it
        try:
            return await super()._call_handler_hook(command, *args)
        finally:
            if self.transport is not None:
                self._reset_timeout()

    # -- data ----------------------------------------------------------------------------------

    def _create_session(self) -> Session:
        return _Session(self.loop)

    def _create_envelope(self) -> SpooledEnvelope:
        return SpooledEnvelope()

    async def smtp_DATA(self, arg: str) -> None:  # noqa: N802 - aiosmtpd dispatches by name
        """DATA as aiosmtpd answers it, read in chunks into a spool file the handler reads."""
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        envelope = self.envelope
        assert isinstance(envelope, SpooledEnvelope)
        if not envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        with contextlib.ExitStack() as closing:  # the spool is closed (and gone) on every way out
            closing.enter_context(self._guard.activity.busy())  # until the reply is decided
            try:
                kept = self._guard.open_spool()
                closing.callback(kept.discard)  # unless the outbox kept it as the message
                spool = DataSpool(kept.file, self.data_size_limit)
            except OSError as exc:
                log.error("cannot spool DATA: %s", exc)
                spool = DataSpool(None, self.data_size_limit, exc)
            try:
                await receive_data(self._reader, spool)
            except (asyncio.CancelledError, asyncio.IncompleteReadError):
                log.info("connection lost during DATA: nothing kept")
                self._writer.close()
                raise
            if spool.state is not DataState.NOMINAL:
                if spool.problem is not None:
                    log.error("could not spool DATA: %s", spool.problem)
                self._set_post_data_state()  # type: ignore[no-untyped-call]
                await self.push(spool.reply())
                return
            kept.file.flush()  # what was written is visible to the gate's thread and to fsync
            envelope.spool, envelope.crlf_only = kept, spool.crlf_only
            status = await self._call_handler_hook("DATA")
        self._set_post_data_state()  # type: ignore[no-untyped-call]
        await self.push(status)

    # -- login ---------------------------------------------------------------------------------

    def _authenticate_login(self, server: SMTP, session: Any, envelope: Any, mechanism: str,
                            auth_data: Any) -> AuthResult:
        """aiosmtpd's authenticator: the failure reply is sent by smtp_AUTH, after the delay."""
        outcome = Login.REFUSED
        if mechanism in ("PLAIN", "LOGIN") and isinstance(auth_data, LoginPassword):
            outcome = self._guard.check_login(auth_data.login, auth_data.password)
        self._login_outcome = outcome
        return AuthResult(success=outcome is Login.ACCEPTED, handled=outcome is not Login.ACCEPTED)

    async def smtp_AUTH(self, arg: str) -> None:  # noqa: N802 - aiosmtpd dispatches by name
        """AUTH with throttling; the credentials never reach a log."""
        if self.authenticated or not arg:
            await super().smtp_AUTH(arg)  # 503 / 501 as aiosmtpd answers them
            return
        if self._guard.throttle.locked():
            await self.push(LOGIN_LOCKED)
            return
        self._login_outcome = None
        await super().smtp_AUTH(arg)
        outcome, self._login_outcome = self._login_outcome, None
        if outcome is Login.ACCEPTED:
            self._reset_timeout()  # from now on the normal idle timeout
        elif outcome is Login.UNAVAILABLE:
            await self.push(LOGIN_UNAVAILABLE)
        elif outcome is Login.REFUSED:
            await self._refuse_login()

    async def _refuse_login(self) -> None:
        self._failed_logins += 1
        throttle = self._guard.throttle
        recent = throttle.failed()
        log.warning("relay login refused (%d on this connection, %d in the last minute)",
                    self._failed_logins, recent)
        await asyncio.sleep(throttle.delay(self._failed_logins))
        if self.transport is None:
            return
        if throttle.closes(self._failed_logins):
            await self.push(LOGIN_CLOSED)
            self.transport.close()
            return
        await self.push(LOGIN_INVALID)

    # -- envelope ------------------------------------------------------------------------------

    async def smtp_MAIL(self, arg: str | None) -> None:  # noqa: N802 - aiosmtpd's name
        """MAIL FROM, refused with 501 5.1.3 when the argument holds a control character."""
        if not await self._refused_address("MAIL", arg):
            await super().smtp_MAIL(arg)

    async def smtp_RCPT(self, arg: str | None) -> None:  # noqa: N802 - aiosmtpd's name
        """RCPT TO, refused with 501 5.1.3 when the argument holds a control character."""
        if not await self._refused_address("RCPT", arg):
            await super().smtp_RCPT(arg)

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        """aiosmtpd's parse of a MAIL/RCPT argument, without the class it defines on every call.

        aiosmtpd 1.4 declares a typing.Protocol inside `_getaddr`: about 0.1 ms per address,
        three times per mail. Same results (tests/transports/test_relay_envelope.py compares).
        """
        address, rest = _parse_address(arg)
        local_part = (address or "").rpartition("@")[0]
        if self.local_part_limit and len(local_part) > self.local_part_limit:
            return None, None
        return address, rest

    async def _refused_address(self, command: str, arg: str | None) -> bool:
        # The whole argument is checked, not the parsed address: the parser unquotes and drops
        # parts, and what it dropped must not decide what goes upstream either.
        if not self.authenticated or not arg:
            return False  # aiosmtpd answers 530 / 501 as usual
        problem = address_problem(arg)
        if problem is None:
            return False
        log.warning("refused %s from %s: %s", command, self.session.peer if self.session else "?",
                    problem)
        await self.push(f"501 5.1.3 Bad address: {problem}")
        return True
