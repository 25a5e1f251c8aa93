"""Gate.review_item: a source that sends by itself (Outlook) gets the same checks, review and audit."""

from __future__ import annotations

import threading

import pytest

from missend_guard.core.check.context import CheckContext, HistorySnapshot
from missend_guard.core.check.findings import Report
from missend_guard.core.check.policy import Policy
from missend_guard.core.gate import Gate, GateSettings
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import Message, parse_message
from missend_guard.core.ports.review import Decision, ReviewNote, Verdict
from tests.helpers.fake_ports import MemoryAudit, MemoryOutbox
from tests.helpers.fake_ports import RecordingReviewer as Reviewer
from tests.helpers.mails import jis_mail

INTERNAL = Policy(internal_domains=frozenset({"example.co.jp"}))
COLLEAGUE = "ichiro.suzuki@example.co.jp"
PARTNER = "hanako.sato@abc-trading.co.jp"




def _gate(reviewer: Reviewer, *, history: tuple[str, ...] = (COLLEAGUE,), hold: float = 10,
          checker=None) -> tuple[Gate, MemoryAudit, MemoryOutbox]:
    audit = MemoryAudit()
    outbox = MemoryOutbox(audit=audit)
    context = CheckContext(policy=INTERNAL, history=HistorySnapshot.of(history))
    extra = {"checker": checker} if checker else {}
    gate = Gate(lambda: context, reviewer, outbox, audit, lambda: GateSettings(hold_seconds=hold),
                **extra)
    return gate, audit, outbox


def _message(to: str) -> tuple[Message, Envelope]:
    raw = jis_mail(to=[("宛先", to)], subject="打合せの件", body="お疲れさまです。\r\n")
    return parse_message(raw, (to,)), Envelope("ken@example.co.jp", (to,))


class Actions:
    """An on_send that records its calls, or raises."""

    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[tuple[Decision, float]] = []
        self.error = error

    def __call__(self, decision: Decision, hold: float) -> str:
        self.calls.append((decision, hold))
        if self.error is not None:
            raise self.error
        return "held in Outlook as mg1"


def test_a_quiet_mail_is_sent_with_the_hold_and_audited_with_its_source() -> None:
    reviewer = Reviewer(None)
    gate, audit, outbox = _gate(reviewer, hold=25)
    message, envelope = _message(COLLEAGUE)
    actions = Actions()
    outcome = gate.review_item(message, envelope, actions, source="outlook", account="仕事用")
    assert outcome.send
    assert outcome.detail == "held in Outlook as mg1"
    assert reviewer.requests == []  # quiet: no dialog
    assert [(d.decided_by, hold) for d, hold in actions.calls] == [("quiet", 25.0)]
    assert [(e.kind, e.decision, e.detail) for e in audit.events] == [
        ("decision", "send", "source: outlook; held in Outlook as mg1")]
    assert outbox.items() == []  # the source holds the item, not our outbox


def test_an_incomplete_read_is_always_reviewed() -> None:
    reviewer = Reviewer(Decision(Verdict.SEND, "user"))
    gate, _, _ = _gate(reviewer)
    message, envelope = _message(COLLEAGUE)
    outcome = gate.review_item(message, envelope, Actions(), source="outlook", quiet=False)
    assert outcome.send
    assert len(reviewer.requests) == 1


def test_the_request_carries_the_account_and_the_notes_reach_the_audit() -> None:
    notes = (ReviewNote("encrypted-zip", "見積書.xlsx"), ReviewNote("bcc-conversion", detail="moved"))
    reviewer = Reviewer(Decision(Verdict.SEND, "user", notes=notes))
    gate, audit, _ = _gate(reviewer)
    message, envelope = _message(PARTNER)
    actions = Actions()
    assert gate.review_item(message, envelope, actions, source="outlook", account="仕事用").send
    assert reviewer.requests[0].account == "仕事用"
    assert reviewer.requests[0].context is not None
    assert actions.calls[0][0].notes == notes
    assert audit.events[-1].detail == ("source: outlook; held in Outlook as mg1; "
                                       "encrypted-zip: 見積書.xlsx; bcc-conversion: moved")


def test_cancel_keeps_the_item_and_changes_nothing() -> None:
    reviewer = Reviewer(Decision(Verdict.CANCEL, "user", reason="cancelled in review"))
    gate, audit, _ = _gate(reviewer)
    message, envelope = _message(PARTNER)
    actions = Actions()
    outcome = gate.review_item(message, envelope, actions, source="outlook")
    assert not outcome.send
    assert not outcome.failed
    assert outcome.reason == "cancelled in review"
    assert actions.calls == []
    assert [(e.decision, e.decided_by, e.detail) for e in audit.events] == [
        ("cancel", "user", "source: outlook; cancelled in review")]


def test_changes_that_cannot_be_made_keep_the_item_and_say_why() -> None:
    gate, audit, _ = _gate(Reviewer(Decision(Verdict.SEND, "user")))
    message, envelope = _message(PARTNER)
    outcome = gate.review_item(message, envelope, Actions(RuntimeError("attachment locked")),
                               source="outlook")
    assert not outcome.send
    assert outcome.failed
    assert "attachment locked" in outcome.reason
    [event] = audit.events
    assert (event.decision, event.decided_by) == ("cancel", "outlook")
    assert "attachment locked" in event.detail


def test_the_source_going_away_withdraws_the_review() -> None:
    reviewer = Reviewer(None)
    gate, audit, _ = _gate(reviewer)
    message, envelope = _message(PARTNER)
    cancelled = threading.Event()
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(
        gate.review_item(message, envelope, Actions(), source="outlook", cancelled=cancelled)))
    worker.start()
    while not reviewer.futures:
        threading.Event().wait(0.01)
    cancelled.set()
    worker.join(5)
    [outcome] = result
    assert not outcome.send  # type: ignore[attr-defined]
    assert reviewer.futures[0].cancelled()  # the dialog is told to close
    assert [(e.decision, e.decided_by) for e in audit.events] == [("cancel", "client")]


def test_a_bug_keeps_the_item_instead_of_raising() -> None:
    def broken(message: Message, context: CheckContext) -> Report:
        raise ValueError("bug")

    gate, _, _ = _gate(Reviewer(None), checker=broken)
    message, envelope = _message(PARTNER)
    outcome = gate.review_item(message, envelope, Actions(), source="outlook")
    assert not outcome.send
    assert outcome.failed
    assert "internal error" in outcome.reason


@pytest.mark.parametrize("hold", [-5, 0])
def test_no_negative_hold_reaches_the_source(hold: float) -> None:
    gate, _, _ = _gate(Reviewer(None), hold=hold)
    message, envelope = _message(COLLEAGUE)
    actions = Actions()
    assert gate.review_item(message, envelope, actions, source="outlook").send
    assert actions.calls[0][1] == 0.0
