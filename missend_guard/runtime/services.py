"""The headless composition: a store, the live settings, the way out and the way in; start and stop."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from missend_guard.core.check.context import CheckContext
from missend_guard.core.contacts.book import ContactBook
from missend_guard.core.message.bcc import without_bcc
from missend_guard.core.ports.outbox import (
    WAIT_ACCOUNT,
    WAIT_SIGN_IN,
    DeliveryEvent,
    OutboxItem,
    OutboxState,
)
from missend_guard.core.ports.review import Reviewer
from missend_guard.runtime.intake import Intake, build_intake
from missend_guard.runtime.live import LiveSettings, load_contact_book
from missend_guard.runtime.options import RunOptions
from missend_guard.runtime.outgoing import Outgoing, build_outgoing
from missend_guard.runtime.senders import SenderDirectory, SignInPrompt, sign_in
from missend_guard.runtime.store import Store, open_store
from missend_guard.storage.lock import DataDirLock
from missend_guard.storage.outbox.transitions import OutboxError
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.secrets import Secrets
from missend_guard.storage.settings.store import Account, Settings, SettingsStore
from missend_guard.transports.activity import Activity
from missend_guard.transports.outlook.bridge import OutlookBridge, OutlookEvent
from missend_guard.transports.outlook.build import build_outlook_bridge

if TYPE_CHECKING:  # msal and httpx load only for people who use Microsoft 365
    from missend_guard.transports.senders.graph.auth import GraphAuth, ShowDeviceCode

log = logging.getLogger(__name__)

GRAPH_RESUME = "graph-resume"  # kv namespace: where an interrupted Graph send stands (draft id)


@dataclass
class Services:
    """One running Missend Guard: its parts, and what the UI and CLI ask of them together."""

    settings_store: SettingsStore
    secrets: Secrets
    store: Store
    live: LiveSettings
    outgoing: Outgoing
    intake: Intake
    lock: DataDirLock
    options: RunOptions = field(default_factory=RunOptions)
    problems: list[str] = field(default_factory=list)  # found while building: shown once at start
    outlook: OutlookBridge | None = None  # classic Outlook's sends (Windows, desktop only)

    @property
    def settings(self) -> Settings:
        """The settings in force."""
        return self.live.settings

    @property
    def hold_seconds(self) -> float:
        """The undo window in force."""
        return self.live.gate_settings().hold_seconds

    def context(self) -> CheckContext:
        """The CheckContext in force (settings, contacts, history)."""
        return self.live()

    def start(self) -> None:
        """Listen, then resume the outbox; logs the values in effect.

        The relay binds first: when its port is taken nothing else starts, and the outbox is
        resumed only by a run that holds the data dir's lock (taken in `build_services`).
        """
        try:
            self.intake.relay.start()
            self.prune_graph_state()
            self.live.start()
            resumed = self.outgoing.worker.start()
            self._apply_outlook()
        except BaseException:
            self.stop()  # the next start (or another instance) must find the data dir free
            raise
        self.lock.record(relay_port=self.intake.relay.port)
        log.info(
            "Missend Guard started: relay 127.0.0.1:%d, hold %g s, %d account(s), %d resumed",
            self.intake.relay.port, self.hold_seconds, len(self.settings.accounts), resumed,
        )

    def apply_settings(self, settings: Settings) -> list[str]:
        """Publish new settings (settings dialog, wizard): policy, contacts, hold, retries.

        Contact files are read again when their list changed; returns what could not be read.
        """
        before = self.settings
        contacts: ContactBook | None = None
        problems: list[str] = []
        if tuple(settings.get("contacts_files")) != tuple(before.get("contacts_files")):
            # Files given with --contacts stay; on a reload their problems are reported, not raised.
            files = [*settings.get("contacts_files"), *self.options.contacts_files]
            contacts, problems = load_contact_book(files)
            for problem in problems:
                log.warning("%s", problem)
        self.live.apply(settings, contacts=contacts)
        self.store.audit.subject_mode = str(settings.get("audit_subject"))
        self.outgoing.worker.retry_waiting(WAIT_ACCOUNT)  # an account may have been added
        self._apply_outlook()
        return problems

    def _apply_outlook(self) -> None:
        if self.outlook is not None:
            self.outlook.set_enabled(bool(self.settings.get("outlook_bridge")))

    def graph_auth(self, account: str) -> GraphAuth:
        """The Microsoft 365 sign-in of `account` (GraphAuthError when it cannot work)."""
        return self.outgoing.senders.graph_auth(account)

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

        auth = make_graph_auth(self.store.paths, account, self.options.graph)
        user = sign_in(auth, show_device_code, browser=browser, cancelled=cancelled)
        if self.settings_store.load().account(account.name) is not None:
            self.signed_in(account.name)
        return user

    def signed_in(self, account: str) -> int:
        """After a sign-in elsewhere (UI): mail that waited for it goes now; returns how many."""
        senders = self.outgoing.senders
        senders.signed_in(account)
        return self.outgoing.worker.retry_waiting(
            WAIT_SIGN_IN, lambda item: senders.account_name_of(item) == account.casefold(),
        )

    def undo(self, item_id: str) -> Path:
        """Return a mail to the user (Undo); where its .eml now is (returned/)."""
        self.undone(self.store.outbox.undo(item_id))
        return self.store.outbox.message_file(item_id)

    def undone(self, item: OutboxItem) -> None:
        """After an undo (here or in the tray): forget how far an interrupted send had got."""
        with contextlib.suppress(OutboxError):
            raw = self.store.outbox.read(item.id)
            # The returned copy may carry a Bcc: line the sent bytes did not (outbox undo).
            for sent in {raw, without_bcc(raw)}:
                self.outgoing.senders.forget_resume(sent, item.rcpt_tos)

    def prune_graph_state(self) -> None:
        """Drop Graph resume state of mail no longer queued (at start; CLI undo is elsewhere)."""
        queued = (OutboxState.HELD, OutboxState.SENDING, OutboxState.RETRY, OutboxState.FAILED,
                  OutboxState.UNCERTAIN)  # an uncertain send is looked for (and resumed) by it
        senders = self.outgoing.senders
        if not len(senders.graph_state):
            return
        keep = []
        for item in self.store.outbox.items(queued):
            with contextlib.suppress(OutboxError):
                keep.append((self.store.outbox.read(item.id), item.rcpt_tos))
        senders.keep_resume_only(keep)

    def stop(self) -> None:
        """Stop accepting, let a send in progress finish; whatever is queued stays in the outbox."""
        self.intake.relay.stop()
        if self.outlook is not None:
            self.outlook.stop()
        self.outgoing.worker.stop()
        self.live.stop()
        self.outgoing.senders.close()
        self.store.close()
        self.lock.release()
        log.info("Missend Guard stopped")


def build_services(
    paths: DataPaths,
    settings_store: SettingsStore,
    *,
    reviewer: Reviewer,
    options: RunOptions | None = None,
    on_event: Callable[[DeliveryEvent], None] | None = None,
    on_sign_in_required: SignInPrompt | None = None,
    on_outlook_event: Callable[[OutlookEvent], None] | None = None,
) -> Services:
    """Wire every object; nothing listens or sends until `start()`.

    `on_sign_in_required(account, reason)` runs on the delivery thread when a Microsoft 365
    account must sign in again (once until `Services.signed_in`); its mail is held meanwhile.
    `on_outlook_event` (desktop only: headless, a policy would cancel Outlook's mail unseen) builds
    the classic Outlook bridge where Windows and pywin32 allow; it runs when `outlook_bridge` is on.
    """
    options = options or RunOptions()
    settings = settings_store.load()
    problems = list(settings.problems)
    book, contact_problems = load_contact_book(settings.get("contacts_files"),
                                               strict=options.contacts_files)
    problems += contact_problems
    secrets = Secrets()
    relay_password = secrets.relay_password()  # fails early (KeychainUnavailable), not at AUTH
    lock = DataDirLock(paths.root)
    lock.acquire()  # before anything reads or recovers the outbox: DataDirBusyError names the holder
    try:
        store = open_store(paths, settings)
        live = LiveSettings(settings, options.internal_domains, book, store.history,
                            options.hold_seconds, ledger=store.ledger)
        senders = SenderDirectory(paths, settings_store, secrets, cafile=options.upstream_cafile,
                                  graph_state=store.kv.namespace(GRAPH_RESUME),
                                  graph=options.graph, on_sign_in_required=on_sign_in_required)
        clients = Activity()  # the relay's clients: delivery lets their bursts go first
        outgoing = build_outgoing(store, live, senders, on_event, foreground=clients)
        port = settings.get("relay_port") if options.relay_port is None else options.relay_port
        intake = build_intake(store, live, outgoing, reviewer, port=int(port),
                              size_limit=int(settings.get("max_message_bytes")),
                              password=lambda: relay_password, activity=clients)
        outlook = None if on_outlook_event is None else _outlook_bridge(
            store, live, intake, on_outlook_event)
    except BaseException:
        lock.release()
        raise
    for problem in problems:
        log.warning("%s", problem)
    return Services(settings_store, secrets, store, live, outgoing, intake, lock, options, problems,
                    outlook)


def _outlook_bridge(store: Store, live: LiveSettings, intake: Intake,
                    on_event: Callable[[OutlookEvent], None]) -> OutlookBridge | None:
    def learned(addresses: Iterable[str]) -> None:  # Outlook sent it: the history learns
        store.history.record(addresses)
        live.refresh_history()

    return build_outlook_bridge(intake.gate, store.audit, record_history=learned, on_event=on_event)
