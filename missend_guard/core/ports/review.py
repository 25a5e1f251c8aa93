"""The review boundary: a reviewer (dialog, headless policy) decides about one message."""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal, Protocol

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Report
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import Message
from missend_guard.core.ports.history import RecipientTrust


class Verdict(Enum):
    """What the user (or a policy standing in for them) decided."""

    SEND = "send"
    CANCEL = "cancel"


NoteAction = Literal["sent-as-is", "encrypted-pdf", "encrypted-zip", "removed", "bcc-conversion"]


@dataclass(frozen=True)
class ReviewNote:
    """One thing done to the mail during review, for the audit: the action and its file (never a password)."""

    action: NoteAction
    file_name: str = ""  # the attachment's name as the user saw it; "" when the note is about the mail
    detail: str = ""


# Characters that would make a listed name ambiguous in the audit text ("a, b.xlsx" reads as two files).
_AMBIGUOUS = frozenset(',;"\\')


def _listed(name: str) -> str:
    if name != name.strip() or any(c in _AMBIGUOUS or not c.isprintable() for c in name):
        return json.dumps(name, ensure_ascii=False)
    return name


def _item(note: ReviewNote) -> str:
    if not note.file_name:
        return note.detail
    return f"{_listed(note.file_name)} ({note.detail})" if note.detail else _listed(note.file_name)


def notes_text(notes: Iterable[ReviewNote]) -> str:
    """The audit detail's one account of `notes`: "sent-as-is: a.xlsx, b.pdf; removed: c.docx"."""
    grouped: dict[str, list[str]] = {}
    for note in notes:
        items = grouped.setdefault(note.action, [])
        if item := _item(note):
            items.append(item)
    return "; ".join(f"{action}: {', '.join(items)}" if items else action
                     for action, items in grouped.items())


@dataclass(frozen=True)
class Decision:
    """A review's outcome. `replacement` carries rebuilt bytes (Bcc conversion, protected files)."""

    verdict: Verdict
    decided_by: str  # "user", "quiet", "headless-policy", "approve-all", "paused"
    reason: str = ""
    replacement: bytes | None = field(default=None, repr=False)
    notes: tuple[ReviewNote, ...] = ()  # what protection and the Bcc conversion did, for the audit

    @property
    def send(self) -> bool:
        """True when the mail should go."""
        return self.verdict is Verdict.SEND


@dataclass(frozen=True)
class ReviewRequest:
    """What a reviewer is asked about."""

    message: Message
    report: Report
    envelope: Envelope
    account: str = ""
    # The context the report was checked with: the dialog names companies and internal domains by
    # it and re-checks a rebuilt mail against it (the reviewer exists before the services do).
    context: CheckContext | None = field(default=None, compare=False, repr=False)
    # Where "This address is correct" is recorded (None: the reviewer cannot vouch).
    trust: RecipientTrust | None = field(default=None, compare=False, repr=False)


class Reviewer(Protocol):
    """Asks someone (a dialog, a headless policy) to decide; answers through a Future."""

    def review(self, request: ReviewRequest) -> Future[Decision]:
        """Start a review; cancelling the future withdraws it (client disconnected)."""
        ...
