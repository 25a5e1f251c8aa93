"""Upstream SMTP: exact bytes to the envelope recipients over verified TLS; failures classified."""

from __future__ import annotations

import base64
import contextlib
import re
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from missend_guard.core.message.downgrade import HeaderDowngradeError, downgrade_headers
from missend_guard.core.ports.sending import SECURITY_MODES, Committing, DeliveryError
from missend_guard.transports.addresses import address_problem
from missend_guard.transports.relay import is_loopback

# For owners that keep one sender per account: long enough to carry a burst (a mail client
# flushing its outbox, several due items), short enough not to hold an idle upstream session.
DEFAULT_IDLE_TIMEOUT = 5.0


@dataclass(frozen=True)
class SmtpAccount:
    """Where and how to reach one upstream server (the password comes from the keychain at send time)."""

    name: str
    host: str
    port: int
    security: str = "starttls"
    username: str = ""


def check_account(host: str, security: str) -> str | None:
    """A reason the combination is refused, or None: `none` only talks to loopback."""
    if security not in SECURITY_MODES:
        return f"unknown security {security!r} (expected one of {', '.join(SECURITY_MODES)})"
    if security == "none" and not is_loopback(host):
        return (
            f"security 'none' would send your password and mail unencrypted to {host}; "
            "it is allowed only for a server on this computer (127.0.0.1 / localhost). "
            "Use --security starttls or --security ssl"
        )
    return None


def _needs_smtputf8(mail_from: str, rcpt_tos: Sequence[str], raw: bytes) -> bool:
    header_end = raw.find(b"\r\n\r\n")
    headers = raw if header_end < 0 else raw[:header_end]
    return not (mail_from.isascii() and all(r.isascii() for r in rcpt_tos) and headers.isascii())


def _reply_text(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}"


def _classified(code: int, message: bytes | str, what: str) -> DeliveryError:
    reply = _reply_text(code, message)
    return DeliveryError(f"{what}: {reply}", temporary=400 <= code < 500)


class SmtpSender:
    """Implements `core.ports.Sender` with smtplib; keeps its session open for `idle_timeout`.

    Messages sent within `idle_timeout` seconds of each other share one upstream session (RSET
    between them), saving the TCP, TLS and AUTH round trips. A session that went away while idle
    (server timeout, network) is found by the RSET and replaced before anything is sent. After
    any failure the session is closed, never reused. `idle_timeout=0` (the default) closes after
    every message: reuse pays only for an owner that keeps one sender per account and calls
    `close()` at shutdown (a sender per message would leave a session open per message).
    """

    def __init__(
        self,
        account: SmtpAccount,
        password: Callable[[], str | None],
        *,
        timeout: float = 60.0,
        cafile: str | None = None,
        local_hostname: str | None = "missend-guard.localhost",
        idle_timeout: float = 0.0,
    ) -> None:
        self.account = account
        self._password = password
        self._timeout = timeout
        self._cafile = cafile
        self._local_hostname = local_hostname
        self._idle_timeout = idle_timeout
        self._lock = threading.Lock()  # one transaction at a time on the kept session
        self._session: smtplib.SMTP | None = None
        self._last_used = 0.0
        self._closer: threading.Timer | None = None

    def _tls_context(self) -> ssl.SSLContext:
        # System trust store; `cafile` lets tests (and admins with a private CA) add a root.
        return ssl.create_default_context(cafile=self._cafile)

    def connect(self) -> smtplib.SMTP:
        """Open a session: TLS as configured, EHLO, AUTH when a username is set."""
        acc = self.account
        refusal = check_account(acc.host, acc.security)
        if refusal:
            raise DeliveryError(f"account {acc.name}: {refusal}", temporary=False)
        try:
            return self._open_session()
        except DeliveryError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise _classified(exc.smtp_code, exc.smtp_error, "login refused") from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(f"{acc.host} does not support {exc}", temporary=False) from exc
        except smtplib.SMTPResponseException as exc:
            raise _classified(exc.smtp_code, exc.smtp_error, "connection refused") from exc
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryError(
                f"the certificate of {acc.host} could not be verified ({exc.verify_message}); "
                "not sending over an unverified connection", temporary=False,
            ) from exc
        except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
            raise DeliveryError(
                f"cannot reach {acc.host}:{acc.port}: {exc or type(exc).__name__}", temporary=True
            ) from exc

    def _open_session(self) -> smtplib.SMTP:
        acc = self.account
        smtp: smtplib.SMTP
        if acc.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                acc.host, acc.port, local_hostname=self._local_hostname, timeout=self._timeout,
                context=self._tls_context(),
            )
        else:
            smtp = smtplib.SMTP(
                acc.host, acc.port, local_hostname=self._local_hostname, timeout=self._timeout
            )
        try:
            _no_delay(smtp)
            smtp.ehlo()
            if acc.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(
                        f"{acc.host} does not offer STARTTLS; refusing to send in clear text",
                        temporary=False,
                    )
                smtp.starttls(context=self._tls_context())
                smtp.ehlo()
            if acc.username:
                password = self._password()
                if password is None:
                    raise DeliveryError(
                        f"no password for account {acc.name} in the keychain; "
                        f"run: missend-guard account add {acc.name} ...", temporary=False,
                    )
                _login(smtp, acc.username, password)
        except BaseException:
            _close(smtp)
            raise
        return smtp

    def send(self, raw: bytes, mail_from: str, rcpt_tos: Sequence[str], *,
             on_committing: Committing | None = None) -> str:
        """Deliver `raw` unchanged to `rcpt_tos`; the upstream's reply text, or DeliveryError.

        `on_committing()` runs right before the final dot; a lost reply after it is uncertain.
        """
        with self._lock:
            smtp = self._take_session() or self.connect()
            try:
                reply = self._transact(smtp, raw, mail_from, rcpt_tos, on_committing)
            except BaseException:
                _close(smtp)  # never reuse a session after a failure: its state is unknown
                raise
            if self._idle_timeout > 0:
                self._session, self._last_used = smtp, time.monotonic()
                if self._closer is None:  # one timer per idle stretch, not a thread per mail
                    self._arm_closer(self._idle_timeout)
            else:
                _close(smtp)
            return reply

    def _arm_closer(self, delay: float) -> None:
        self._closer = threading.Timer(delay, self._close_if_idle)
        self._closer.daemon = True
        self._closer.start()

    def close(self) -> None:
        """Close the kept session, if any (at shutdown, or when the account changes)."""
        with self._lock:
            if self._closer is not None:
                self._closer.cancel()
                self._closer = None
            smtp, self._session = self._session, None
        if smtp is not None:
            _close(smtp)

    def _close_if_idle(self) -> None:
        with self._lock:
            self._closer = None
            if self._session is None:
                return  # closed meanwhile, or in use by a send (which arms a timer after it)
            idle = time.monotonic() - self._last_used
            if idle < self._idle_timeout:  # used again meanwhile: wait for the rest
                self._arm_closer(self._idle_timeout - idle)
                return
            smtp, self._session = self._session, None
        _close(smtp)

    def _take_session(self) -> smtplib.SMTP | None:
        """The kept session when it still answers RSET with 250; else closed and None."""
        smtp, self._session = self._session, None
        if smtp is None:
            return None
        try:
            code, _ = smtp.rset()
        except (smtplib.SMTPException, OSError):
            code = 0
        if code == 250:
            return smtp
        smtp.close()  # dropped while idle, or the server wants us gone (421): a fresh session
        return None

    def _transact(self, smtp: smtplib.SMTP, raw: bytes, mail_from: str,
                  rcpt_tos: Sequence[str], on_committing: Committing | None) -> str:
        """One transaction on `smtp`: the final reply, or DeliveryError classified."""
        for address in (mail_from, *rcpt_tos):
            problem = address_problem(address)
            if problem:  # the relay refuses these; a mail stored before it did is not sent either
                raise DeliveryError(f"not sent: {problem}: {address!r}", temporary=False)
        try:
            options: list[str] = []
            if _needs_smtputf8(mail_from, rcpt_tos, raw) and not smtp.has_extn("smtputf8"):
                raw = self._downgraded(raw, mail_from, rcpt_tos)
            if smtp.has_extn("8bitmime") and not raw.isascii():
                options.append("BODY=8BITMIME")
            if _needs_smtputf8(mail_from, rcpt_tos, raw):
                options.append("SMTPUTF8")
            return _transaction(smtp, raw, mail_from, rcpt_tos, options,
                                on_committing=on_committing)
        except DeliveryError:
            raise
        except _ReplyLostError as exc:
            raise DeliveryError(
                f"{self.account.host} took the whole message but its reply was lost "
                f"({exc.__cause__ or 'no reply'}); it may have been delivered",
                temporary=True, uncertain=True,
            ) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [c for c, _ in exc.recipients.values()]
            detail = "; ".join(f"{r}: {_reply_text(c, m)}" for r, (c, m) in exc.recipients.items())
            temporary = any(400 <= c < 500 for c in codes)
            raise DeliveryError(f"all recipients refused: {detail}", temporary=temporary) from exc
        except smtplib.SMTPSenderRefused as exc:
            raise _classified(exc.smtp_code, exc.smtp_error, "sender refused") from exc
        except smtplib.SMTPDataError as exc:
            raise _classified(exc.smtp_code, exc.smtp_error, "message refused") from exc
        except smtplib.SMTPResponseException as exc:
            raise _classified(exc.smtp_code, exc.smtp_error, "refused") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(
                f"connection to {self.account.host} lost while sending: {exc or type(exc).__name__}",
                temporary=True,
            ) from exc

    def _downgraded(self, raw: bytes, mail_from: str, rcpt_tos: Sequence[str]) -> bytes:
        """Raw UTF-8 header fields as RFC 2047/2231 for a server without SMTPUTF8 (swaks sends them).

        The same subject, names and addresses parse from the result; only a non-ASCII address
        (local part) cannot be written without SMTPUTF8, and that is a permanent failure.
        """
        if not all(a.isascii() for a in (mail_from, *rcpt_tos)):
            raise DeliveryError(
                f"{self.account.host} does not support SMTPUTF8, which this message needs "
                "(a non-ASCII address)", temporary=False,
            )
        try:
            return downgrade_headers(raw)
        except HeaderDowngradeError as exc:
            raise DeliveryError(
                f"{self.account.host} does not support SMTPUTF8, and this message cannot be sent "
                f"without it: {exc}", temporary=False,
            ) from exc

    def test(self) -> str:
        """Connect, TLS, AUTH and report the server's greeting and capabilities (for `account test`)."""
        smtp = self.connect()
        try:
            features = " ".join(sorted(smtp.esmtp_features))
            tls = "" if self.account.security == "none" else f", {self.account.security} verified"
            auth = f", logged in as {self.account.username}" if self.account.username else ""
            return f"{self.account.host}:{self.account.port} OK{tls}{auth} (features: {features})"
        finally:
            _close(smtp)


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """AUTH; smtplib's login() only takes ASCII, so UTF-8 credentials go by PLAIN/LOGIN (RFC 4616)."""
    if username.isascii() and password.isascii():
        smtp.login(username, password)
        return
    methods = smtp.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" in methods:
        token = base64.b64encode(b"\0" + username.encode() + b"\0" + password.encode()).decode()
        code, resp = smtp.docmd("AUTH", f"PLAIN {token}")
    elif "LOGIN" in methods:
        code, resp = smtp.docmd("AUTH", "LOGIN")
        for secret in (username, password):
            if code != 334:
                break
            code, resp = smtp.docmd(base64.b64encode(secret.encode()).decode())
    else:
        raise smtplib.SMTPNotSupportedError(
            "AUTH PLAIN or LOGIN, needed for a password with non-ASCII characters"
        )
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, resp)


def _transaction(
    smtp: smtplib.SMTP, raw: bytes, mail_from: str, rcpt_tos: Sequence[str], options: list[str],
    *, on_committing: Committing | None = None,
) -> str:
    """MAIL, RCPT each, DATA; like smtplib.sendmail but keeping the server's final reply."""
    if "SMTPUTF8" in options:
        smtp.command_encoding = "utf-8"  # what smtplib's mail() does; rset() and quit() undo it
    code, resp = _envelope_command(smtp, "MAIL", "FROM", mail_from, options)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, resp, mail_from)
    refused: dict[str, tuple[int, bytes]] = {}
    for rcpt in rcpt_tos:
        code, resp = _envelope_command(smtp, "RCPT", "TO", rcpt, ())
        if code not in (250, 251):
            refused[rcpt] = (code, resp)
        if code == 421:
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(rcpt_tos):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    code, resp = _data(smtp, raw, on_committing)
    if code != 250:
        raise smtplib.SMTPDataError(code, resp)
    reply = _reply_text(code, resp)
    if refused:
        # Accepted for the others: a retry would duplicate, so keep it as sent and say who missed it.
        lost = "; ".join(f"{r}: {_reply_text(c, m)}" for r, (c, m) in refused.items())
        reply += f" (refused recipients: {lost})"
    return reply


class _ReplyLostError(Exception):
    """The final dot went out but no reply came back: the server may have queued the mail."""


_LINE_START_DOT = re.compile(rb"(?m)^\.")


def _data(smtp: smtplib.SMTP, raw: bytes, on_committing: Committing | None) -> tuple[int, bytes]:
    """DATA like smtplib's data(), but telling a failure before the final dot from a lost reply.

    The content goes out first; `on_committing()` runs before the final ".": when it raises, the
    session is dropped without it and the server discards the transaction. A connection lost
    while the dot is written is a plain failure; one lost while waiting for the reply is
    `_ReplyLostError`: the server may have the whole message.
    """
    code, resp = smtp.docmd("DATA")
    if code != 354:
        raise smtplib.SMTPDataError(code, resp)
    for chunk in stuffed_chunks(raw):  # bytes go out as they are, only dot-stuffed
        smtp.send(chunk)
    if not raw.endswith(b"\r\n"):
        smtp.send(b"\r\n")
    if on_committing is not None:
        try:
            on_committing()
        except BaseException:
            smtp.close()  # no QUIT: in DATA it would be taken for a line of the message
            raise
    smtp.send(b".\r\n")
    try:
        return smtp.getreply()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _ReplyLostError from exc


def _no_delay(smtp: smtplib.SMTP) -> None:
    """Small writes go out at once (TCP_NODELAY).

    The message and its final dot are two writes (the point of no return is announced between
    them): with Nagle's algorithm the dot waits for the ACK of the message, which the server
    delays (40 ms on Linux) because it has nothing to answer before the dot.
    """
    if smtp.sock is not None:
        with contextlib.suppress(OSError):  # not TCP (a test double): nothing to tune
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def stuffed_chunks(raw: bytes, size: int = 1 << 20) -> Iterator[bytes]:
    """`raw` dot-stuffed (RFC 5321 4.5.2) in pieces of about `size` bytes, never as a whole copy.

    Each piece ends after a line feed, so every piece starts a line, as the whole would.
    """
    start = 0
    while start < len(raw):
        end = raw.find(b"\n", start + size) + 1 or len(raw)
        yield _LINE_START_DOT.sub(b"..", raw[start:end])
        start = end


def _envelope_command(smtp: smtplib.SMTP, verb: str, keyword: str, address: str,
                      options: Sequence[str]) -> tuple[int, bytes]:
    """`MAIL FROM:<address>` or `RCPT TO:<address>` with the address exactly as the gate checked it.

    smtplib's mail() and rcpt() re-parse the address first (with parseaddr): a quoted local part
    holding a CR came out as a different recipient than the one checked.
    """
    params = "".join(f" {option}" for option in options)
    smtp.putcmd(verb, f"{keyword}:<{address}>{params}")
    return smtp.getreply()


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
