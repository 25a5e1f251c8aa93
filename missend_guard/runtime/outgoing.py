"""The way out: the sender for each account and the delivery worker that sends what the hold released."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from missend_guard.core.ports.outbox import DeliveryEvent
from missend_guard.runtime.live import LiveSettings
from missend_guard.runtime.senders import SenderDirectory
from missend_guard.runtime.store import Store
from missend_guard.transports.activity import Activity
from missend_guard.transports.delivery import DeliveryWorker


@dataclass(frozen=True)
class Outgoing:
    """Senders by account, and the worker that uses them."""

    senders: SenderDirectory
    worker: DeliveryWorker


def build_outgoing(
    store: Store, live: LiveSettings, senders: SenderDirectory,
    on_event: Callable[[DeliveryEvent], None] | None = None, *,
    foreground: Activity | None = None,
) -> Outgoing:
    """A delivery worker over the store's outbox; after each delivery the history and senders learn."""

    def delivered(event: DeliveryEvent) -> None:
        if event.kind == "sent":
            live.refresh_history()
            senders.delivered(event.item)
        if on_event is not None:
            on_event(event)

    worker = DeliveryWorker(store.outbox, senders, store.audit, retry_policy=live.retry_policy,
                            record_history=store.history.record, on_event=delivered,
                            sent_retention_days=lambda: int(live.settings.get("sent_retention_days")),
                            foreground=foreground)
    return Outgoing(senders, worker)
