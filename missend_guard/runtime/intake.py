"""The way in: the local relay and the gate it hands every message to, with the reviewer in force."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from missend_guard.core.check.findings import Severity
from missend_guard.core.gate import ApproveAllReviewer, Gate, HeadlessReviewer
from missend_guard.core.ports.review import Reviewer
from missend_guard.runtime.live import LiveSettings
from missend_guard.runtime.outgoing import Outgoing
from missend_guard.runtime.store import Store
from missend_guard.runtime.trust import LiveTrust
from missend_guard.storage.settings.store import Settings
from missend_guard.transports.activity import Activity
from missend_guard.transports.relay import Relay, RelayLimits


@dataclass(frozen=True)
class Intake:
    """The gate (check, review, store), the relay that speaks SMTP for it, and recipient trust."""

    gate: Gate
    relay: Relay
    trust: LiveTrust


def build_intake(
    store: Store, live: LiveSettings, outgoing: Outgoing, reviewer: Reviewer, *,
    port: int, size_limit: int, password: Callable[[], str], activity: Activity | None = None,
) -> Intake:
    """A gate over the live context and the store's outbox, and a relay in front of it (not started)."""
    trust = LiveTrust(store.history, live)
    senders = outgoing.senders  # no account for the sender: None, and the gate answers 451
    gate = Gate(live, reviewer, store.outbox, store.audit, live.gate_settings,
                account_for=lambda mail_from: senders.account_name(mail_from) or None,
                on_stored=outgoing.worker.wake,
                trust=trust)
    limits = RelayLimits(max_connections=int(live.settings.get("relay_max_connections")))
    relay = Relay(gate.process, password=password, port=port, data_size_limit=size_limit,
                  limits=limits, open_spool=store.outbox.open_spool, activity=activity)
    return Intake(gate, relay, trust)


def headless_reviewer(settings: Settings, *, approve_all: bool) -> Reviewer:
    """`--approve-all`, or the policy that refuses findings at/above headless_block_severity."""
    if approve_all:
        return ApproveAllReviewer()
    return HeadlessReviewer(Severity.parse(str(settings.get("headless_block_severity"))))
