"""Builds the CheckContext from the common options: data dir settings, --internal-domain, --contacts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from missend_guard.core.check.context import CheckContext, HistorySnapshot
from missend_guard.core.check.findings import Report
from missend_guard.core.check.trust import suspect_names
from missend_guard.core.contacts.book import ContactBook, ContactsError, load_contacts
from missend_guard.core.message.model import Message
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.settings.store import SettingsError, SettingsStore

if TYPE_CHECKING:
    from missend_guard.storage.history import SentHistory

Recorder = Callable[[Message, Report], None]


class ContextError(Exception):
    """A file the check depends on (contacts, settings) could not be read."""


def build_check_context(args: argparse.Namespace, *, record: bool) -> tuple[CheckContext, Recorder | None]:
    """Context for `check`; writes nothing unless `record` (then returns the history recorder)."""
    paths = DataPaths.resolve(args.data_dir, create=record)
    try:
        settings = SettingsStore(paths).load()
    except SettingsError as exc:
        raise ContextError(str(exc)) from None
    for problem in settings.problems:  # a damaged settings file: say so, check with defaults
        print(f"missend-guard: {problem}", file=sys.stderr)
    policy = settings.policy()
    if args.internal_domain:
        policy = policy.updated(internal_domains=policy.internal_domains | set(args.internal_domain))

    contacts = []
    for name in [*settings.get("contacts_files"), *args.contacts]:
        try:
            contacts += load_contacts(name)
        except ContactsError as exc:
            raise ContextError(str(exc)) from None

    history = HistorySnapshot()
    recorder: Recorder | None = None
    if record or paths.database.exists():
        from missend_guard.storage.history import SentHistory

        sent = SentHistory(paths, read_only=not record)
        history = sent.snapshot()
        if record:
            recorder = partial(_record_as_sent, sent)
    return CheckContext(policy=policy, contacts=ContactBook(contacts), history=history), recorder


def _record_as_sent(sent: SentHistory, message: Message, report: Report) -> None:
    """As the app does: recipients past a look-alike warning become suspect, then the send counts."""
    sent.mark_suspect(suspect_names(message, report))
    sent.record(r.address for r in message.recipients)
