"""The composition root: builds storage, gate, relay and delivery from paths and settings; runs them."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import logging
import logging.handlers
import re
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from missend_guard.core.contacts import ContactBook, ContactsError, load_contacts
from missend_guard.core.context import CheckContext
from missend_guard.core.findings import Severity
from missend_guard.core.gate import ApproveAllReviewer, Gate, GateSettings, HeadlessReviewer
from missend_guard.core.ports import (
    DeliveryEvent,
    OutboxItem,
    OutboxState,
    Reviewer,
    Sender,
    StorageError,
)
from missend_guard.storage.audit import SqliteAuditLog
from missend_guard.storage.history import SentHistory
from missend_guard.storage.kv import KeyValueStore
from missend_guard.storage.outbox import OutboxError, SqliteOutbox
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.secrets import KeychainUnavailable, Secrets
from missend_guard.storage.settings import Account, Settings, SettingsError, SettingsStore
from missend_guard.storage.sqlite import Database
from missend_guard.transports.delivery import (
    NO_ACCOUNT,
    WAIT_ACCOUNT,
    WAIT_SIGN_IN,
    DeliveryWorker,
    NoAccountError,
    RetryPolicy,
    WaitLedger,
)
from missend_guard.transports.relay import Relay, RelayError
from missend_guard.transports.smtp_sender import SmtpAccount, SmtpSender

if TYPE_CHECKING:  # msal and httpx load only for people who use Microsoft 365
    from missend_guard.transports.graph_auth import GraphAuth, ShowDeviceCode
    from missend_guard.transports.graph_sender import GraphSender

log = logging.getLogger(__name__)

GRAPH_RESUME = "graph-resume"  # kv namespace: where an interrupted Graph send stands (draft id)
DELIVERY_WAITS = "delivery-waits"  # kv namespace: claims that were waits, not attempts
# (account name, reason): the UI shows "Sign in to Microsoft 365 again" for that account.
SignInPrompt = Callable[[str, str], None]

# Problems the user can act on: printed as one paragraph, exit status 2, never a traceback.
USER_ERRORS: tuple[type[Exception], ...] = (
    KeychainUnavailable, StorageError, SettingsError, ContactsError, RelayError, OutboxError,
)


@dataclass
class Services:
    """Everything one running Missend Guard needs; `start()` / `stop()`."""

    paths: DataPaths
    settings_store: SettingsStore
    settings: Settings
    database: Database
    outbox: SqliteOutbox
    audit: SqliteAuditLog
    history: SentHistory
    secrets: Secrets
    gate: Gate
    relay: Relay
    delivery: DeliveryWorker
    problems: list[str] = field(default_factory=list)
    _live: _LiveSettings = field(default=None, repr=False)  # type: ignore[assignment]
    senders: SenderDirectory = field(default=None, repr=False)  # type: ignore[assignment]

    def start(self) -> None:
        """Resume the outbox, then listen; logs the values in effect."""
        self.prune_graph_state()
        resumed = self.delivery.start()
        try:
            self.relay.start()
        except RelayError:
            self.delivery.stop()
            raise
        log.info(
            "Missend Guard started: relay 127.0.0.1:%d, hold %g s, %d account(s), %d resumed",
            self.relay.port, self.hold_seconds, len(self.settings.accounts), resumed,
        )

    @property
    def hold_seconds(self) -> float:
        """The undo window in force."""
        return self._live.gate_settings().hold_seconds

    def apply_settings(self, settings: Settings) -> None:
        """Publish new settings (after the settings dialog saved them): policy, hold, retries."""
        self.settings = settings
        self._live.apply(settings)
        self.audit.subject_mode = str(settings.get("audit_subject"))
        self.delivery.retry_waiting(WAIT_ACCOUNT)  # an account may have been added

    def context(self) -> CheckContext:
        """The CheckContext in force (settings, contacts, history)."""
        return self._live()

    def graph_auth(self, account: str) -> GraphAuth:
        """The Microsoft 365 sign-in of `account` (GraphAuthError when it cannot work)."""
        return self.senders.graph_auth(account)

    def sign_in(self, account: str, show_device_code: ShowDeviceCode, *, browser: bool = True,
                cancelled: threading.Event | None = None) -> str:
        """Sign `account` in (browser, else device code), then send what waited; blocks."""
        user = sign_in(self.graph_auth(account), show_device_code, browser=browser,
                       cancelled=cancelled)
        self.signed_in(account)
        return user

    def signed_in(self, account: str) -> int:
        """After a sign-in elsewhere (UI): mail that waited for it goes now; returns how many."""
        self.senders.signed_in(account)
        return self.delivery.retry_waiting(
            WAIT_SIGN_IN, lambda item: self.senders.account_name_of(item) == account.casefold(),
        )

    def undo(self, item_id: str) -> Path:
        """Return a mail to the user (Undo) and forget how far an interrupted send had got."""
        item, raw = self.outbox.get(item_id), None
        with contextlib.suppress(OutboxError):
            raw = self.outbox.read(item_id)
        path = self.outbox.undo(item_id)
        self.delivery.waits.forget(item_id)
        if item is not None and raw is not None:
            self.senders.forget_resume(raw, item.rcpt_tos)
        return path

    def prune_graph_state(self) -> None:
        """Drop Graph resume state of mail no longer queued (at start; CLI undo is elsewhere)."""
        queued = (OutboxState.HELD, OutboxState.SENDING, OutboxState.RETRY, OutboxState.FAILED)
        if not len(self.senders.graph_state):
            return
        keep = []
        for item in self.outbox.items(queued):
            with contextlib.suppress(OutboxError):
                keep.append((self.outbox.read(item.id), item.rcpt_tos))
        self.senders.keep_resume_only(keep)

    def stop(self) -> None:
        """Stop accepting, let a send in progress finish; whatever is queued stays in the outbox."""
        self.relay.stop()
        self.delivery.stop()
        self.senders.close()
        with contextlib.suppress(sqlite3.Error):
            self.database.close()
        log.info("Missend Guard stopped")


class _LiveSettings:
    """The current settings and CheckContext; threads read references, changes publish new ones."""

    def __init__(self, settings: Settings, extra_domains: Sequence[str], contacts: ContactBook,
                 history: SentHistory, hold_override: float | None) -> None:
        self._extra_domains = frozenset(d.lower() for d in extra_domains)
        self._contacts = contacts
        self._history = history
        self._hold_override = hold_override
        self._lock = threading.Lock()
        self.settings = settings
        self._context = CheckContext()
        self.apply(settings)

    def apply(self, settings: Settings) -> None:
        """Publish a context for new settings."""
        policy = settings.policy()
        if self._extra_domains:
            policy = policy.updated(internal_domains=policy.internal_domains | self._extra_domains)
        with self._lock:
            self.settings = settings
            self._policy = policy
            self._context = CheckContext(policy, self._contacts, self._history.snapshot())

    def gate_settings(self) -> GateSettings:
        """Hold time in force (a command-line override wins)."""
        hold = self._hold_override
        return GateSettings(float(self.settings.get("hold_seconds") if hold is None else hold))

    def retry_policy(self) -> RetryPolicy:
        """Backoff in force."""
        get = self.settings.get
        return RetryPolicy(float(get("retry_backoff_base_seconds")),
                           float(get("retry_backoff_cap_seconds")), int(get("retry_max_attempts")))

    def refresh_history(self) -> None:
        """Publish a context with the latest sent history (after a delivery)."""
        snapshot = self._history.snapshot()
        with self._lock:
            self._context = CheckContext(self._policy, self._contacts, snapshot)

    def __call__(self) -> CheckContext:
        return self._context


def load_contact_book(files: Sequence[str], *, strict: Sequence[str] = ()) -> tuple[ContactBook, list[str]]:
    """Contacts from settings' files (problems reported) and `strict` files (ContactsError)."""
    contacts = []
    problems: list[str] = []
    for path in files:
        try:
            contacts.extend(load_contacts(path))
        except ContactsError as exc:
            problems.append(f"contacts file skipped: {exc}")
    for path in strict:
        contacts.extend(load_contacts(path))
    return ContactBook(contacts), problems


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
    from missend_guard.transports.graph_auth import (
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
    from missend_guard.transports.graph_auth import GraphAuthError

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
        return SmtpSender(
            SmtpAccount(account.name, account.host, account.port, account.security,
                        account.username),
            lambda: self._secrets.account_password(account.name), cafile=self._cafile,
        )

    def graph_auth(self, name: str) -> GraphAuth:
        """The sign-in of the Microsoft 365 account `name` (GraphAuthError when unusable)."""
        from missend_guard.transports.graph_auth import GraphAuthError

        account = self._store.load().account(name)
        if account is None or account.kind != "graph":
            raise GraphAuthError(f"There is no Microsoft 365 account named {name!r}.")
        return self._graph_entry(account, wrap=False)[1]

    def _graph_entry(self, account: Account, *, wrap: bool = True,
                     ) -> tuple[Account, GraphAuth, GraphSender]:
        from missend_guard.transports.graph_auth import GraphAuthError
        from missend_guard.transports.graph_sender import GRAPH_BASE_URL, GraphSender

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
            from missend_guard.transports.graph_sender import resume_key

            self.graph_state.pop(resume_key(raw, rcpt_tos), None)

    def keep_resume_only(self, sends: Sequence[tuple[bytes, Sequence[str]]]) -> None:
        """Drop resume state that belongs to no queued mail."""
        from missend_guard.transports.graph_sender import resume_key

        keep = {resume_key(raw, rcpt_tos) for raw, rcpt_tos in sends}
        for key in [k for k in self.graph_state if k not in keep]:
            self.graph_state.pop(key, None)

    def close(self) -> None:
        """Close the Graph senders' HTTP connections."""
        with self._lock:
            for _, _, sender in self._graph.values():
                sender.close()
            self._graph.clear()


def build_services(
    paths: DataPaths,
    settings_store: SettingsStore,
    *,
    reviewer: Reviewer,
    relay_port: int | None = None,
    hold_seconds: float | None = None,
    on_event: Callable[[DeliveryEvent], None] | None = None,
    contacts_files: Sequence[str] = (),
    internal_domains: Sequence[str] = (),
    upstream_cafile: str | None = None,
    on_sign_in_required: SignInPrompt | None = None,
    graph: GraphOptions | None = None,
) -> Services:
    """Wire every object; nothing listens or sends until `start()`.

    `on_sign_in_required(account, reason)` runs on the delivery thread when a Microsoft 365
    account must sign in again (once until `Services.signed_in`); its mail is held meanwhile.
    """
    settings = settings_store.load()
    problems = list(settings.problems)
    book, contact_problems = load_contact_book(settings.get("contacts_files"), strict=contacts_files)
    problems += contact_problems
    secrets = Secrets()
    relay_password = secrets.relay_password()  # fails early (KeychainUnavailable), not at AUTH
    try:
        database = Database(paths.database)
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(f"the database {paths.database} cannot be opened: {exc}") from exc
    outbox = SqliteOutbox(paths, database=database)
    audit = SqliteAuditLog(paths, settings.get("audit_subject"), database=database)
    history = SentHistory(paths, database=database)
    kv = KeyValueStore(paths, database=database)
    live = _LiveSettings(settings, internal_domains, book, history, hold_seconds)
    senders = SenderDirectory(paths, settings_store, secrets, cafile=upstream_cafile,
                              graph_state=kv.namespace(GRAPH_RESUME), graph=graph,
                              on_sign_in_required=on_sign_in_required)

    def delivered(event: DeliveryEvent) -> None:
        if event.kind == "sent":
            live.refresh_history()
            senders.delivered(event.item)
        if on_event is not None:
            on_event(event)

    delivery = DeliveryWorker(outbox, senders, audit, retry_policy=live.retry_policy,
                              record_history=history.record, on_event=delivered,
                              waits=WaitLedger(kv.namespace(DELIVERY_WAITS)))
    gate = Gate(live, reviewer, outbox, audit, live.gate_settings,
                account_for=senders.account_name, on_stored=delivery.wake)
    relay = Relay(gate.process, password=lambda: relay_password,
                  port=int(settings.get("relay_port") if relay_port is None else relay_port),
                  data_size_limit=int(settings.get("max_message_bytes")))
    for problem in problems:
        log.warning("%s", problem)
    return Services(paths, settings_store, settings, database, outbox, audit, history, secrets,
                    gate, relay, delivery, problems, live, senders)


def headless_reviewer(settings: Settings, *, approve_all: bool) -> Reviewer:
    """`--approve-all`, or the policy that refuses findings at/above headless_block_severity."""
    if approve_all:
        return ApproveAllReviewer()
    return HeadlessReviewer(Severity.parse(str(settings.get("headless_block_severity"))))


def setup_logging(paths: DataPaths, *, verbose: bool = False) -> None:
    """Log to logs/missend-guard.log (rotated) and warnings to stderr."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for old in [h for h in root.handlers if getattr(h, "missend_guard", False)]:
        root.removeHandler(old)  # a second run in one process (tests) must not log twice
        old.close()
    file_handler = logging.handlers.RotatingFileHandler(
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


@contextlib.contextmanager
def user_errors() -> Iterator[list[int]]:
    """Turn environment problems into one readable paragraph and exit status 2 (yields a box)."""
    status = [0]
    try:
        yield status
    except USER_ERRORS as exc:
        print(f"missend-guard: {exc}", file=sys.stderr)
        status[0] = 2
    except OSError as exc:  # e.g. the data dir cannot be created
        print(f"missend-guard: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        status[0] = 2


def open_paths(args: argparse.Namespace) -> DataPaths:
    """The data paths for `--data-dir` (or the platform's)."""
    return DataPaths.resolve(getattr(args, "data_dir", None))


def run_headless(args: argparse.Namespace) -> int:
    """`run --headless`: relay + outbox + delivery until SIGINT/SIGTERM."""
    with user_errors() as status:
        paths = open_paths(args)
        setup_logging(paths)
        store = SettingsStore(paths)
        reviewer = headless_reviewer(store.load(), approve_all=bool(args.approve_all))
        services = build_services(
            paths, store, reviewer=reviewer, relay_port=args.relay_port,
            hold_seconds=args.hold_seconds, contacts_files=args.contacts,
            internal_domains=args.internal_domain,
        )
        stopping = threading.Event()

        def on_signal(signum: int, frame: Any) -> None:
            stopping.set()

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        services.start()
        try:
            print(f"Missend Guard relay listening on 127.0.0.1:{services.relay.port} "
                  f"(hold {services.hold_seconds:g} s)", flush=True)
            while not stopping.wait(1.0):  # a timeout so signals are handled promptly
                pass
        finally:
            services.stop()
    return status[0]
