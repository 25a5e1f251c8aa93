"""The review boundary: a reviewer (dialog, headless policy) decides about one message."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Report
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import Message


class Verdict(Enum):
    """What the user (or a policy standing in for them) decided."""

    SEND = "send"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Decision:
    """A review's outcome. `replacement` carries rebuilt bytes (Bcc conversion, protected files)."""

    verdict: Verdict
    decided_by: str  # "user", "quiet", "headless-policy", "approve-all", "paused"
    reason: str = ""
    replacement: bytes | None = field(default=None, repr=False)
    acknowledged: tuple[str, ...] = ()  # finding codes the user explicitly acknowledged
    # e.g. {"sent-as-is": "a.xlsx"} for the audit
    notes: Mapping[str, str] = field(default_factory=dict)

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


class Reviewer(Protocol):
    """Asks someone (a dialog, a headless policy) to decide; answers through a Future."""

    def review(self, request: ReviewRequest) -> Future[Decision]:
        """Start a review; cancelling the future withdraws it (client disconnected)."""
        ...
