"""The settings and CheckContext in force while the app runs, republished when either changes."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

from missend_guard.core.check.checker import warm_up
from missend_guard.core.check.context import CheckContext
from missend_guard.core.contacts.book import ContactBook, ContactsError, load_contacts
from missend_guard.core.gate import GateSettings
from missend_guard.core.protect.ledger import ProtectionLedger
from missend_guard.storage.history import SentHistory
from missend_guard.storage.settings.store import Settings
from missend_guard.transports.delivery import RetryPolicy

log = logging.getLogger(__name__)

# Another process (the CLI's `history forget`) may change the sent history: look again this often.
_HISTORY_POLL_SECONDS = 5.0
# A new history (after each delivery) is rebuilt once the gate has not asked for a context for
# this long, so a burst of mails is not slowed by a rebuild per delivery (the builder competes
# for the interpreter with the check of the next mail)...
QUIET_SECONDS = 0.25
# ...and never later than this after the change, however busy the gate is. Until then a mail is
# checked with the history of a moment ago: its newest recipients may still be "first-time".
MAX_STALE_SECONDS = 2.0


class LiveSettings:
    """The current settings and CheckContext; threads read references, changes publish new ones.

    A new sent history (after each delivery) needs new look-alike indexes, which take about a
    second with 50,000 contacts: a builder thread makes and warms the next context while the gate
    keeps checking with the current one, so no review ever waits for an index.
    """

    def __init__(self, settings: Settings, extra_domains: Sequence[str], contacts: ContactBook,
                 history: SentHistory, hold_override: float | None, *,
                 ledger: ProtectionLedger | None = None, quiet_seconds: float = QUIET_SECONDS,
                 max_stale_seconds: float = MAX_STALE_SECONDS) -> None:
        self._extra_domains = frozenset(d.lower() for d in extra_domains)
        self._contacts = contacts
        self._history = history
        self._hold_override = hold_override
        self._ledger = ledger
        self._lock = threading.Lock()
        self._stale = threading.Event()
        self._stopping = False
        self._builder: threading.Thread | None = None
        self._quiet = quiet_seconds
        self._max_stale = max_stale_seconds
        self._last_read = 0.0  # monotonic time the gate last took the context
        self._published_cold = False  # apply() published a context whose indexes are not built
        self.settings = settings
        self._context = CheckContext()
        self.apply(settings)

    def _build(self) -> CheckContext:
        return CheckContext(self._policy, self._contacts, self._history.snapshot(), self._ledger)

    def apply(self, settings: Settings, *, contacts: ContactBook | None = None) -> None:
        """Publish a context for new settings (and contacts) at once: the next mail is checked with them."""
        policy = settings.policy()
        if self._extra_domains:
            policy = policy.updated(internal_domains=policy.internal_domains | self._extra_domains)
        with self._lock:
            self.settings = settings
            if contacts is not None:
                self._contacts = contacts
            self._policy = policy
            self._context = self._build()
            self._published_cold = True
        self._stale.set()  # warm the new context's indexes in the background, at once

    def start(self) -> None:
        """Start the builder thread; it warms the first context right away."""
        self._builder = threading.Thread(target=self._run_builder, name="context-builder", daemon=True)
        self._builder.start()

    def stop(self) -> None:
        """Stop the builder thread."""
        self._stopping = True
        self._stale.set()
        if self._builder is not None:
            self._builder.join(timeout=10)

    def _run_builder(self) -> None:
        while True:
            if self._stale.wait(_HISTORY_POLL_SECONDS):  # unchanged, the snapshot is the cached one
                self._wait_for_quiet()
            if self._stopping:
                return
            self._stale.clear()
            try:
                with self._lock:  # policy and contacts read together: apply() replaces both
                    current, policy, contacts = self._context, self._policy, self._contacts
                    self._published_cold = False
                snapshot = self._history.snapshot()
                context = current if current.history == snapshot else CheckContext(
                    policy, contacts, snapshot, self._ledger)
                warm_up(context)
            except Exception:  # our bug: keep the current context, say so in the log
                log.exception("could not prepare the checking context")
                continue
            with self._lock:
                if context.policy is self._policy and context.contacts is self._contacts:  # no apply() since
                    self._context = context

    def _wait_for_quiet(self) -> None:
        """Until the gate has been idle `quiet` seconds, at most `max_stale` (or stop())."""
        deadline = time.monotonic() + self._max_stale
        while not self._stopping and not self._published_cold:
            now = time.monotonic()
            pause = min(self._last_read + self._quiet, deadline) - now
            if pause <= 0:
                return
            time.sleep(min(pause, 0.05))

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
        """Ask for a context with the latest sent history (after a delivery); never blocks."""
        self._stale.set()

    def __call__(self) -> CheckContext:
        self._last_read = time.monotonic()
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
