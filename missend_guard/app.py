"""The composition root: builds storage, gate, relay and delivery from paths and settings; runs them."""

from __future__ import annotations

import argparse
import contextlib
import logging
import logging.handlers
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from missend_guard.core.contacts import ContactBook, ContactsError, load_contacts
from missend_guard.core.context import CheckContext
from missend_guard.core.findings import Severity
from missend_guard.core.gate import ApproveAllReviewer, Gate, GateSettings, HeadlessReviewer
from missend_guard.core.ports import DeliveryEvent, OutboxItem, Reviewer, Sender, StorageError
from missend_guard.storage.audit import SqliteAuditLog
from missend_guard.storage.history import SentHistory
from missend_guard.storage.outbox import OutboxError, SqliteOutbox
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.secrets import KeychainUnavailable, Secrets
from missend_guard.storage.settings import Account, Settings, SettingsError, SettingsStore
from missend_guard.storage.sqlite import Database
from missend_guard.transports.delivery import (
    NO_ACCOUNT,
    DeliveryWorker,
    NoAccountError,
    RetryPolicy,
)
from missend_guard.transports.relay import Relay, RelayError
from missend_guard.transports.smtp_sender import SmtpAccount, SmtpSender

log = logging.getLogger(__name__)

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

    def start(self) -> None:
        """Resume the outbox, then listen; logs the values in effect."""
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

    def stop(self) -> None:
        """Stop accepting, let a send in progress finish; whatever is queued stays in the outbox."""
        self.relay.stop()
        self.delivery.stop()
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


class SenderDirectory:
    """Finds the Sender for an outbox item, reading accounts fresh (the CLI may add one meanwhile)."""

    def __init__(self, paths: DataPaths, settings_store: SettingsStore, secrets: Secrets,
                 *, cafile: str | None = None) -> None:
        self._paths = paths
        self._store = settings_store
        self._secrets = secrets
        self._cafile = cafile
        self._graph: dict[str, Sender] = {}  # keeps sign-in and upload state between sends

    def account_name(self, mail_from: str) -> str:
        """The account that will send mail from `mail_from` ("" when none is configured)."""
        account = self._store.load().account_for(mail_from)
        return account.name if account else ""

    def __call__(self, item: OutboxItem) -> Sender:
        settings = self._store.load()
        account = (settings.account(item.account) if item.account else None) or (
            settings.account_for(item.mail_from)
        )
        if account is None:
            raise NoAccountError(NO_ACCOUNT)
        if account.kind == "graph":
            return self._graph_sender(account, settings)
        return SmtpSender(
            SmtpAccount(account.name, account.host, account.port, account.security,
                        account.username),
            lambda: self._secrets.account_password(account.name), cafile=self._cafile,
        )

    def _graph_sender(self, account: Account, settings: Settings) -> Sender:
        if account.name in self._graph:
            return self._graph[account.name]
        # Imported here: msal and httpx load only for people who use Microsoft 365.
        from missend_guard.transports.graph_auth import (
            GraphAuth,
            GraphAuthError,
            plaintext_cache_allowed,
        )
        from missend_guard.transports.graph_sender import GraphSender

        try:
            auth = GraphAuth(
                account.client_id, account.tenant, self._paths.root / "graph" / f"{account.name}.bin",
                allow_plaintext_cache=plaintext_cache_allowed(), username=account.username or None,
            )
        except GraphAuthError as exc:
            raise NoAccountError(f"Microsoft 365 account {account.name}: {exc}") from exc
        sender = GraphSender(auth.token, save_to_sent_items=bool(settings.get("save_to_sent_items")))
        self._graph[account.name] = sender
        return sender


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
) -> Services:
    """Wire every object; nothing listens or sends until `start()`."""
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
    live = _LiveSettings(settings, internal_domains, book, history, hold_seconds)
    senders = SenderDirectory(paths, settings_store, secrets, cafile=upstream_cafile)

    def delivered(event: DeliveryEvent) -> None:
        if event.kind == "sent":
            live.refresh_history()
        if on_event is not None:
            on_event(event)

    delivery = DeliveryWorker(outbox, senders, audit, retry_policy=live.retry_policy,
                              record_history=history.record, on_event=delivered)
    gate = Gate(live, reviewer, outbox, audit, live.gate_settings,
                account_for=senders.account_name, on_stored=delivery.wake)
    relay = Relay(gate.process, password=lambda: relay_password,
                  port=int(settings.get("relay_port") if relay_port is None else relay_port),
                  data_size_limit=int(settings.get("max_message_bytes")))
    for problem in problems:
        log.warning("%s", problem)
    return Services(paths, settings_store, settings, database, outbox, audit, history, secrets,
                    gate, relay, delivery, problems, live)


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
