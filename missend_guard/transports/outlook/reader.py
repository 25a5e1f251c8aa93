"""An Outlook item read into the relay's Message: sender, recipients, subject, bodies, attachments."""

from __future__ import annotations

import dataclasses
import email.utils
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import Message, parse_message
from missend_guard.transports.outlook.attachments import ReadAttachment, private_folder, read_attachments
from missend_guard.transports.outlook.com import AccessDenied, call, describe, noted, outlook_gone, prop
from missend_guard.transports.outlook.compose import compose, ordered
from missend_guard.transports.outlook.recipients import (
    Mailbox,
    ReadRecipient,
    entry_smtp,
    read_recipients,
    recipient_smtp,
)

log = logging.getLogger(__name__)

OL_MAIL = 43
OL_MEETING_CLASSES = frozenset(range(53, 58))  # request, cancellation, responses
OL_FORMAT_PLAIN = 1


@dataclass(frozen=True)
class AttachmentSlot:
    """Where attachment `i` of the Message sits on the item."""

    index: int  # 1-based position in item.Attachments
    filename: str


@dataclass(frozen=True)
class OutlookMail:
    """An item as the gate sees it, and what is needed to apply a decision back to the item."""

    message: Message
    envelope: Envelope
    account: str  # the sending account as Outlook names it
    recipients: tuple[ReadRecipient, ...]
    attachments: tuple[AttachmentSlot, ...]  # in Message.attachments order
    meeting: bool
    complete: bool  # False: part of the item could not be read, so the review is never skipped


class _Deadline:
    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._end = clock() + seconds

    @property
    def passed(self) -> bool:
        return self._clock() > self._end


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _sender(item: Any, problems: list[str]) -> tuple[Mailbox | None, str]:
    """(the From mailbox, the account's name): the delegate's mailbox when sent on behalf."""
    account = noted(item, "SendUsingAccount", problems, "account")
    label = _text(prop(account, "DisplayName")) if account is not None else ""
    own = _text(prop(account, "SmtpAddress")) if account is not None else ""
    session = prop(item, "Session")
    user = prop(session, "CurrentUser") if session is not None else None
    if not own and user is not None:  # the default account: the profile's own mailbox
        own = recipient_smtp(user)
    name = _text(prop(user, "Name")) if user is not None else ""
    behalf = _text(prop(item, "SentOnBehalfOfName")).strip()
    if not behalf:
        return (Mailbox(name, own) if own else None), label or own
    address = behalf if "@" in behalf else ""
    if not address and session is not None:
        delegate = call(session, "CreateRecipient", behalf)
        if delegate is not None:
            call(delegate, "Resolve")
            address = entry_smtp(prop(delegate, "AddressEntry"))
    if not address:
        problems.append(f"outlook-no-smtp-address:{behalf}")
        return None, label or own
    return Mailbox(behalf, address), label or own


def _bodies(item: Any, problems: list[str]) -> tuple[str, str]:
    plain = _text(noted(item, "Body", problems, "body"))
    if prop(item, "BodyFormat") == OL_FORMAT_PLAIN:
        return plain, ""
    return plain, _text(noted(item, "HTMLBody", problems, "html body"))


class ItemReader:
    """Reads items on the bridge thread; attachments go through a private folder under `temp_root`."""

    def __init__(self, *, temp_root: Path | None = None, timeout: float = 30.0,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self._temp_root = temp_root
        self._timeout = timeout
        self._clock = clock
        self._wall_clock = wall_clock

    def read(self, item: Any) -> OutlookMail:
        """The item as a Message; never raises but for Outlook quitting (what failed is a problem)."""
        parts = _Parts()
        kind = prop(item, "Class")
        parts.meeting = kind in OL_MEETING_CLASSES
        deadline = _Deadline(self._timeout, self._clock)
        try:
            parts.subject = _text(noted(item, "Subject", parts.problems, "subject")).strip()
            for name, step in (("sender", parts.read_sender), ("recipients", parts.read_recipients),
                               ("body", parts.read_bodies), ("attachments", parts.read_files)):
                if deadline.passed:  # a COM call cannot be interrupted; later steps are skipped
                    parts.problems.append(f"outlook-read-timeout:{name}")
                    continue
                step(item, self._temp_root)
        except AccessDenied as exc:
            log.warning("Outlook refused to give the item's contents: %s", exc)
            parts.problems.append("outlook-access-denied")
        except Exception as exc:
            if outlook_gone(exc):
                raise
            log.exception("could not read an Outlook item")
            parts.problems.append(f"outlook-unreadable:{describe(exc)}")
        if kind is not None and kind != OL_MAIL and not parts.meeting:
            parts.problems.append(f"outlook-unknown-item-class:{kind}")
        return parts.mail(self._wall_clock())


@dataclass
class _Parts:
    """What has been read of one item so far."""

    meeting: bool = False
    subject: str = ""
    sender: Mailbox | None = None
    account: str = ""
    recipients: list[ReadRecipient] = field(default_factory=list)
    plain: str = ""
    html: str = ""
    attachments: list[ReadAttachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def read_sender(self, item: Any, _temp_root: Path | None) -> None:
        self.sender, self.account = _sender(item, self.problems)

    def read_recipients(self, item: Any, _temp_root: Path | None) -> None:
        self.recipients = read_recipients(item, self.meeting, self.problems)

    def read_bodies(self, item: Any, _temp_root: Path | None) -> None:
        self.plain, self.html = _bodies(item, self.problems)

    def read_files(self, item: Any, temp_root: Path | None) -> None:
        with private_folder(temp_root) as folder:
            self.attachments = read_attachments(item, self.html, folder, self.problems)

    def mail(self, now: float) -> OutlookMail:
        """The Message composed from the parts, with the item's slots and what went wrong."""
        sender, problems = self.sender, self.problems
        domain = sender.address.rpartition("@")[2] if sender else ""
        message_id = email.utils.make_msgid("outlook", domain=domain or "outlook.invalid")
        raw = compose(sender=sender, recipients=self.recipients, subject=self.subject,
                      plain=self.plain, html=self.html, attachments=self.attachments,
                      message_id=message_id, date=now)
        rcpt_tos = tuple(dict.fromkeys(a for r in self.recipients for a in r.addresses))
        message = parse_message(raw, rcpt_tos)
        slots = tuple(AttachmentSlot(a.index, a.filename) for a in ordered(self.attachments))
        if [a.filename for a in message.attachments] != [s.filename for s in slots]:
            problems.append("outlook-attachments-not-mapped")  # our bug: changes cannot be applied
            slots = ()
        if problems:
            message = dataclasses.replace(
                message, problems=tuple(dict.fromkeys((*message.problems, *problems))))
        envelope = Envelope(sender.address if sender else "", rcpt_tos)
        return OutlookMail(message, envelope, self.account, tuple(self.recipients), slots,
                           self.meeting, complete=not problems)
