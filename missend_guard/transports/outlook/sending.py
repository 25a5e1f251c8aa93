"""ItemSend: read the item, run the gate (same checks and dialog as relay mail), apply its decision."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from missend_guard.core.gate import ItemOutcome, SendAction
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import Message
from missend_guard.core.ports.review import Decision
from missend_guard.transports.outlook.attachments import private_folder
from missend_guard.transports.outlook.changes import apply_changes, changes_for
from missend_guard.transports.outlook.held import hold
from missend_guard.transports.outlook.reader import ItemReader, OutlookMail

log = logging.getLogger(__name__)

SOURCE = "outlook"  # the audit's "source: outlook"
T = TypeVar("T")


class ItemGate(Protocol):
    """The gate's entry for sources that send by themselves (core.gate.Gate.review_item)."""

    def review_item(
        self, message: Message, envelope: Envelope, on_send: SendAction, *, source: str,
        account: str = "", cancelled: threading.Event | None = None, quiet: bool = True,
    ) -> ItemOutcome:
        """Check, decide; on Send call `on_send(decision, hold_seconds)`."""
        ...


class Apartment(Protocol):
    """What the bridge thread offers while it handles ItemSend."""

    def run_aside(self, work: Callable[[], T], cancelled: threading.Event) -> T:
        """Run `work` on another thread while this one keeps serving Outlook; `cancelled` is set
        when Outlook goes away meanwhile."""
        ...

    def run_here(self, work: Callable[[], T]) -> T:
        """From another thread: run `work` on the bridge thread (COM objects live there)."""
        ...


@dataclass(frozen=True)
class HeldMail:
    """A mail Outlook holds for us until `until` (None: sent at once); undo by `item_id`."""

    item_id: str
    subject: str
    message_id: str
    rcpt_tos: tuple[str, ...]
    until: datetime | None


@dataclass(frozen=True)
class SendResult:
    """What ItemSend answers (`cancel`) and what happened, for the bridge's events."""

    cancel: bool
    subject: str
    outcome: ItemOutcome
    held: HeldMail | None = None


class ItemSendHandler:
    """Turns one ItemSend into a gate decision applied to the item; runs on the bridge thread."""

    def __init__(
        self, gate: ItemGate, reader: ItemReader, *, temp_root: Path | None = None,
        now: Callable[[], datetime] = datetime.now, new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self._gate = gate
        self._reader = reader
        self._temp_root = temp_root
        self._now = now
        self._new_id = new_id

    def handle(self, item: Any, apartment: Apartment) -> SendResult:
        """Review `item`; Cancel unless the user (or a quiet pass) sent it and it was changed as chosen."""
        mail = self._reader.read(item)
        held: list[HeldMail] = []

        def on_send(decision: Decision, hold_seconds: float) -> str:
            # On the gate's thread: work out the changes here, make them on the bridge thread.
            changes = changes_for(mail, decision)
            item_id = self._new_id()

            def change_item() -> datetime | None:
                with private_folder(self._temp_root) as folder:
                    apply_changes(item, changes, folder)
                return hold(item, item_id, hold_seconds, self._now())

            until = apartment.run_here(change_item)
            held.append(HeldMail(item_id, mail.message.subject, mail.message.message_id,
                                 mail.envelope.rcpt_tos, until))
            return f"held in Outlook as {item_id}" + (f" until {until:%H:%M:%S}" if until else "")

        cancelled = threading.Event()
        outcome = apartment.run_aside(lambda: self._review(mail, on_send, cancelled), cancelled)
        subject = mail.message.subject
        if not outcome.send:
            log.info("Outlook item kept in its window: %s", outcome.reason)
        return SendResult(not outcome.send, subject, outcome, held[0] if held else None)

    def _review(self, mail: OutlookMail, on_send: SendAction, cancelled: threading.Event
                ) -> ItemOutcome:
        return self._gate.review_item(mail.message, mail.envelope, on_send, source=SOURCE,
                                      account=mail.account, cancelled=cancelled, quiet=mail.complete)
