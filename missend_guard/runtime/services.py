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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Severity
from missend_guard.core.contacts.book import ContactBook, ContactsError
from missend_guard.core.gate import ApproveAllReviewer, Gate, HeadlessReviewer
from missend_guard.core.ports.outbox import DeliveryEvent, OutboxState, StorageError
from missend_guard.core.ports.review import Reviewer
from missend_guard.core.protect.ledger import ProtectionLedger
from missend_guard.runtime.live import LiveSettings, load_contact_book
from missend_guard.runtime.senders import GraphOptions, SenderDirectory, SignInPrompt, sign_in
from missend_guard.storage.audit import SqliteAuditLog
from missend_guard.storage.history import SentHistory
from missend_guard.storage.kv import KeyValueStore
from missend_guard.storage.outbox import OutboxError, SqliteOutbox
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.protection_ledger import SqliteProtectionLedger
from missend_guard.storage.secrets import KeychainUnavailable, Secrets
from missend_guard.storage.settings.store import Account, Settings, SettingsError, SettingsStore
from missend_guard.storage.sqlite import Database
from missend_guard.transports.delivery import (
    WAIT_ACCOUNT,
    WAIT_SIGN_IN,
    DeliveryWorker,
    WaitLedger,
)
from missend_guard.transports.relay import Relay, RelayError

if TYPE_CHECKING:  # msal and httpx load only for people who use Microsoft 365
    from missend_guard.transports.senders.graph.auth import GraphAuth, ShowDeviceCode

log = logging.getLogger(__name__)

GRAPH_RESUME = "graph-resume"  # kv namespace: where an interrupted Graph send stands (draft id)
DELIVERY_WAITS = "delivery-waits"  # kv namespace: claims that were waits, not attempts

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
    _live: LiveSettings = field(default=None, repr=False)  # type: ignore[assignment]
    senders: SenderDirectory = field(default=None, repr=False)  # type: ignore[assignment]
    ledger: ProtectionLedger | None = None  # protected sends, for password-in-mail
    contacts_args: tuple[str, ...] = ()  # --contacts files, kept when the settings' files change
    graph_options: GraphOptions | None = None  # where Graph and the sign-in authority are

    def start(self) -> None:
        """Resume the outbox, then listen; logs the values in effect."""
        self.prune_graph_state()
        self._live.start()
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

    def apply_settings(self, settings: Settings) -> list[str]:
        """Publish new settings (settings dialog, wizard): policy, contacts, hold, retries.

        Contact files are read again when their list changed; returns what could not be read.
        """
        before, self.settings = self.settings, settings
        contacts: ContactBook | None = None
        problems: list[str] = []
        if tuple(settings.get("contacts_files")) != tuple(before.get("contacts_files")):
            # Files given with --contacts stay; on a reload their problems are reported, not raised.
            contacts, problems = load_contact_book([*settings.get("contacts_files"), *self.contacts_args])
            for problem in problems:
                log.warning("%s", problem)
        self._live.apply(settings, contacts=contacts)
        self.audit.subject_mode = str(settings.get("audit_subject"))
        self.delivery.retry_waiting(WAIT_ACCOUNT)  # an account may have been added
        return problems

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

    def sign_in_account(self, account: Account, show_device_code: ShowDeviceCode, *,
                        browser: bool = True, cancelled: threading.Event | None = None) -> str:
        """Sign a Microsoft 365 account in before it is saved (setup wizard); blocks.

        The token cache is the one the saved account will use (it is named after the account).
        """
        from missend_guard.runtime.senders import make_graph_auth

        auth = make_graph_auth(self.paths, account, self.graph_options)
        user = sign_in(auth, show_device_code, browser=browser, cancelled=cancelled)
        if self.settings_store.load().account(account.name) is not None:
            self.signed_in(account.name)
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
        self._live.stop()
        self.senders.close()
        with contextlib.suppress(sqlite3.Error):
            self.database.close()
        log.info("Missend Guard stopped")


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
    ledger = SqliteProtectionLedger(paths.database)
    live = LiveSettings(settings, internal_domains, book, history, hold_seconds, ledger=ledger)
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
                    gate, relay, delivery, problems, live, senders, ledger,
                    contacts_args=tuple(contacts_files), graph_options=graph)


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
