"""Finds the upstream Sender for each outbox item: SMTP accounts, and Microsoft 365 with its sign-in."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from missend_guard.core.ports.outbox import OutboxItem
from missend_guard.core.ports.sending import Sender
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.secrets import Secrets
from missend_guard.storage.settings.store import Account, Settings, SettingsStore
from missend_guard.transports.delivery import NO_ACCOUNT, NoAccountError
from missend_guard.transports.senders.smtp import DEFAULT_IDLE_TIMEOUT, SmtpAccount, SmtpSender

if TYPE_CHECKING:  # msal and httpx load only for people who use Microsoft 365
    from missend_guard.transports.senders.graph.auth import GraphAuth, ShowDeviceCode
    from missend_guard.transports.senders.graph.sender import GraphSender

log = logging.getLogger(__name__)

# (account name, reason): the UI shows "Sign in to Microsoft 365 again" for that account.
SignInPrompt = Callable[[str, str], None]


@dataclass(frozen=True)
class GraphOptions:
    """Where Microsoft Graph and the sign-in authority are (tests, national clouds)."""

    base_url: str = ""  # "" = graph.microsoft.com
    authority_host: str = ""  # "" = login.microsoftonline.com
    authority_http_client: Any = None  # MSAL's requests-like client; None = its own
    allow_plaintext_cache: bool | None = None  # None = the documented environment opt-in


def graph_token_cache(paths: DataPaths, account_name: str) -> Path:
    """The encrypted MSAL token cache of one account (a file name any OS accepts)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", account_name)[:40]
    digest = hashlib.sha256(account_name.casefold().encode("utf-8")).hexdigest()[:10]
    return paths.root / "graph" / f"{safe}-{digest}.bin"


def make_graph_auth(paths: DataPaths, account: Account, options: GraphOptions | None = None,
                    ) -> GraphAuth:
    """GraphAuth for a Microsoft 365 account; GraphAuthError when it cannot work."""
    from missend_guard.transports.senders.graph.auth import (
        DEFAULT_AUTHORITY_HOST,
        DEFAULT_TENANT,
        GraphAuth,
        plaintext_cache_allowed,
    )

    options = options or GraphOptions()
    plaintext = options.allow_plaintext_cache
    return GraphAuth(
        account.client_id, account.tenant or DEFAULT_TENANT, graph_token_cache(paths, account.name),
        authority_host=options.authority_host or DEFAULT_AUTHORITY_HOST,
        http_client=options.authority_http_client, username=account.username or None,
        allow_plaintext_cache=plaintext_cache_allowed() if plaintext is None else plaintext,
    )


def sign_in(auth: GraphAuth, show_device_code: ShowDeviceCode, *, browser: bool = True,
            cancelled: threading.Event | None = None) -> str:
    """The system browser when `browser`, else (or when it fails) a device code; the user name."""
    from missend_guard.transports.senders.graph.auth import GraphAuthError

    if browser:
        try:
            return auth.sign_in_interactive()
        # RuntimeError: MSAL's "Timeout. No auth response arrived." when no browser showed up.
        except (GraphAuthError, RuntimeError) as exc:
            log.warning("browser sign-in did not work (%s); using a device code", exc)
    return auth.sign_in_device_code(show_device_code, cancelled)


class SenderDirectory:
    """Finds the Sender for an outbox item, reading accounts fresh (the CLI may add one meanwhile)."""

    def __init__(self, paths: DataPaths, settings_store: SettingsStore, secrets: Secrets,
                 *, cafile: str | None = None, graph_state: MutableMapping[str, str] | None = None,
                 graph: GraphOptions | None = None, on_sign_in_required: SignInPrompt | None = None,
                 ) -> None:
        self._paths = paths
        self._store = settings_store
        self._secrets = secrets
        self._cafile = cafile
        self.graph_state: MutableMapping[str, str] = {} if graph_state is None else graph_state
        self._graph_options = graph or GraphOptions()
        self._prompt = on_sign_in_required
        self._lock = threading.Lock()
        # Per account (and its settings): sign-in and HTTP connections live between sends.
        self._graph: dict[str, tuple[Account, GraphAuth, GraphSender]] = {}
        self._prompted: set[str] = set()  # accounts told "sign in again" and not signed in since
        self._smtp: dict[str, SmtpSender] = {}

    def account_name(self, mail_from: str) -> str:
        """The account that will send mail from `mail_from` ("" when none is configured)."""
        account = self._store.load().account_for(mail_from)
        return account.name if account else ""

    def _account(self, settings: Settings, item: OutboxItem) -> Account | None:
        return (settings.account(item.account) if item.account else None) or (
            settings.account_for(item.mail_from)
        )

    def account_name_of(self, item: OutboxItem) -> str:
        """The (case-folded) name of the account that sends `item` now, "" for none."""
        account = self._account(self._store.load(), item)
        return account.name.casefold() if account else ""

    def __call__(self, item: OutboxItem) -> Sender:
        settings = self._store.load()
        account = self._account(settings, item)
        if account is None:
            raise NoAccountError(NO_ACCOUNT)
        if account.kind == "graph":
            sender = self._graph_entry(account)[2]
            sender.save_to_sent_items = bool(settings.get("save_to_sent_items"))
            return sender
        return self._smtp_sender(account)

    def _smtp_sender(self, account: Account) -> SmtpSender:
        # One sender per account keeps its upstream session for a few seconds, so a burst of mail
        # shares one TCP/TLS/AUTH handshake; changed account settings get a fresh sender.
        wanted = SmtpAccount(account.name, account.host, account.port, account.security, account.username)
        name = account.name
        with self._lock:
            current = self._smtp.get(name.casefold())
            if current is not None and current.account == wanted:
                return current
            sender = SmtpSender(wanted, lambda: self._secrets.account_password(name), cafile=self._cafile,
                                idle_timeout=DEFAULT_IDLE_TIMEOUT)
            self._smtp[name.casefold()] = sender
        if current is not None:
            current.close()
        return sender

    def graph_auth(self, name: str) -> GraphAuth:
        """The sign-in of the Microsoft 365 account `name` (GraphAuthError when unusable)."""
        from missend_guard.transports.senders.graph.auth import GraphAuthError

        account = self._store.load().account(name)
        if account is None or account.kind != "graph":
            raise GraphAuthError(f"There is no Microsoft 365 account named {name!r}.")
        return self._graph_entry(account, wrap=False)[1]

    def _graph_entry(self, account: Account, *, wrap: bool = True,
                     ) -> tuple[Account, GraphAuth, GraphSender]:
        from missend_guard.transports.senders.graph.auth import GraphAuthError
        from missend_guard.transports.senders.graph.sender import GRAPH_BASE_URL, GraphSender

        key = account.name.casefold()
        with self._lock:
            entry = self._graph.get(key)
            if entry is not None and entry[0] == account:
                return entry
            try:
                auth = make_graph_auth(self._paths, account, self._graph_options)
            except GraphAuthError as exc:
                if not wrap:
                    raise
                raise NoAccountError(f"Microsoft 365 account {account.name}: {exc}") from exc
            sender = GraphSender(
                auth.token, refresh_token=lambda: auth.token(force_refresh=True),
                base_url=self._graph_options.base_url or GRAPH_BASE_URL,
                on_sign_in_required=lambda reason: self._sign_in_required(account.name, reason),
                state=self.graph_state,
            )
            if entry is not None:
                entry[2].close()  # the account's settings changed: a new sign-in object
            self._graph[key] = (account, auth, sender)
            return self._graph[key]

    def _sign_in_required(self, name: str, reason: str) -> None:
        # Once per account until it is signed in again: ten waiting mails are one prompt.
        with self._lock:
            if name.casefold() in self._prompted:
                return
            self._prompted.add(name.casefold())
        log.warning("Microsoft 365 account %s: %s", name, reason)
        if self._prompt is not None:
            try:
                self._prompt(name, reason)
            except Exception:  # the tray's problem must not stop delivery
                log.exception("sign-in prompt handler failed")

    def signed_in(self, name: str) -> None:
        """The account may prompt again the next time its sign-in is lost."""
        with self._lock:
            self._prompted.discard(name.casefold())

    def delivered(self, item: OutboxItem) -> None:
        """A mail went out: its account works again (signed in, maybe by the CLI)."""
        if self._prompted:
            self.signed_in(self.account_name_of(item))

    def forget_resume(self, raw: bytes, rcpt_tos: Sequence[str]) -> None:
        """Drop the resume state of one send (its mail was undone)."""
        if len(self.graph_state):
            from missend_guard.transports.senders.graph.sender import resume_key

            self.graph_state.pop(resume_key(raw, rcpt_tos), None)

    def keep_resume_only(self, sends: Sequence[tuple[bytes, Sequence[str]]]) -> None:
        """Drop resume state that belongs to no queued mail."""
        from missend_guard.transports.senders.graph.sender import resume_key

        keep = {resume_key(raw, rcpt_tos) for raw, rcpt_tos in sends}
        for key in [k for k in self.graph_state if k not in keep]:
            self.graph_state.pop(key, None)

    def close(self) -> None:
        """Close the Graph senders' HTTP connections and the kept SMTP sessions."""
        with self._lock:
            for _, _, sender in self._graph.values():
                sender.close()
            self._graph.clear()
            for smtp in self._smtp.values():
                smtp.close()
            self._smtp.clear()
