"""A real upstream SMTP server for tests: aiosmtpd on loopback, recording exactly what it accepted.

Like a real MTA it has a message once it accepts the final dot: it records it then, before any
reply delay, so a client that dies (or loses the connection) while waiting for the reply to the
dot has still delivered it.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
import warnings
from dataclasses import dataclass
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


@dataclass(frozen=True)
class Received:
    """One accepted message, byte-exact."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    mail_options: tuple[str, ...]


class SinkHandler:
    """Accepts (or refuses, or stalls) and records, at the final dot, what it will answer 250 to."""

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.reply = "250 2.0.0 Ok: queued as SINK1"
        self.rcpt_replies: dict[str, str] = {}  # address → reply, e.g. "550 5.1.1 no such user"
        self.rcpt_delay = 0.0  # a stall before the message is sent (e.g. a slow DNS check)
        self.delay = 0.0  # seconds from the final dot to the reply (a queue-first spam scanner)
        self.release: threading.Event | None = None  # when given, the reply waits until it is set
        self.drop_reply = False  # once: accept the dot, then close the connection without a reply
        self.fail_next: str | None = None  # one DATA reply, then back to `reply`
        self.rcpt_started = threading.Event()
        self.data_started = threading.Event()  # the final dot arrived: the sink has the message
        self.replied = threading.Event()  # the reply to the dot went out (or the drop happened)
        self.received = threading.Condition()

    async def handle_RCPT(self, server: SMTP, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        self.rcpt_started.set()
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        reply = self.rcpt_replies.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Any) -> str:
        reply, self.fail_next = self.fail_next or self.reply, None
        if reply.startswith("250"):
            # Queued at the final dot, as a real server does; whatever happens to the reply.
            with self.received:
                self.messages.append(Received(
                    envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.original_content),
                    tuple(envelope.mail_options),
                ))
                self.received.notify_all()
        self.data_started.set()
        if self.release is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.drop_reply:
            self.drop_reply = False
            server.transport.abort()  # the reply to the dot is lost with the connection
        self.replied.set()
        return reply

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """Block until `count` messages arrived (or timeout); returns what arrived."""
        with self.received:
            self.received.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)


class _SinkController(Controller):
    def factory(self) -> SMTP:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return SMTP(self.handler, **self.SMTP_kwargs)


class Sink:
    """Upstream server: `security` none|ssl|starttls; with `user`, AUTH is required."""

    def __init__(
        self, port: int, *, security: str = "none", tls: ssl.SSLContext | None = None,
        user: str = "", password: str = "", handler: SinkHandler | None = None,
        smtputf8: bool = True,
    ) -> None:
        self.host = "127.0.0.1"
        self.smtputf8 = smtputf8  # False: an older server that cannot take raw UTF-8 headers
        self.port = port
        self.handler = handler or SinkHandler()
        self.security = security
        self._tls = tls
        self._user = user
        self._password = password
        self.auth_attempts: list[tuple[str, str]] = []
        self._controller: _SinkController | None = None

    @property
    def messages(self) -> list[Received]:
        """What the sink accepted so far."""
        return self.handler.messages

    def _authenticate(self, server: SMTP, session: Any, envelope: Any, mechanism: str,
                      data: Any) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = data.login.decode(), data.password.decode()
        self.auth_attempts.append((login, password))
        return AuthResult(success=(login, password) == (self._user, self._password), handled=False)

    def start(self) -> Sink:
        """Listen (again, after stop()) on the same port."""
        kwargs: dict[str, Any] = {
            "hostname": self.host, "port": self.port, "server_hostname": "sink.localhost",
            "enable_SMTPUTF8": self.smtputf8,
        }
        if self.security == "ssl":
            kwargs["ssl_context"] = self._tls
        elif self.security == "starttls":
            kwargs["tls_context"] = self._tls
            kwargs["require_starttls"] = True
        if self._user:
            kwargs.update(auth_required=True, authenticator=self._authenticate,
                          auth_require_tls=self.security == "starttls")
        self._controller = _SinkController(self.handler, **kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening (connections are refused until start())."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
