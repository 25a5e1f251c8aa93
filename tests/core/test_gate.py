"""Gate: parse → check → decide → store → outcome, with in-memory ports and Japanese mail."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest

from missend_guard.core.check.context import CheckContext, HistorySnapshot
from missend_guard.core.check.findings import Finding, Report, Severity
from missend_guard.core.check.policy import Policy
from missend_guard.core.gate import (
    NO_ACCOUNT_REPLY,
    REVIEW_CANCELLED,
    ApproveAllReviewer,
    Gate,
    GateSettings,
    HeadlessReviewer,
)
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import Message
from missend_guard.core.ports.outbox import OutboxItem, OutboxState
from missend_guard.core.ports.review import Decision, ReviewRequest, Verdict
from tests.helpers.fake_ports import MemoryAudit, MemoryOutbox, RecordingReviewer
from tests.helpers.mails import jis_mail

INTERNAL = Policy(internal_domains=frozenset({"example.co.jp"}))
PARTNER = "hanako.sato@abc-trading.co.jp"
TO_PARTNER = [("佐藤 花子", PARTNER)]
TO_COLLEAGUE = [("鈴木 一郎", "ichiro.suzuki@example.co.jp")]




def make_gate(
    reviewer: object, *, policy: Policy = INTERNAL, history: tuple[str, ...] = (),
    hold: float = 10, outbox: MemoryOutbox | None = None, stored: list[OutboxItem] | None = None,
) -> tuple[Gate, MemoryOutbox, MemoryAudit]:
    audit = MemoryAudit()
    outbox = outbox or MemoryOutbox(audit=audit)  # one audit log, as in the app
    context = CheckContext(policy=policy, history=HistorySnapshot.of(history))
    gate = Gate(
        lambda: context, reviewer, outbox, audit, lambda: GateSettings(hold_seconds=hold),  # type: ignore[arg-type]
        account_for=lambda mail_from: "work" if mail_from.endswith("@example.co.jp") else "",
        on_stored=None if stored is None else stored.append,
    )
    return gate, outbox, audit


def envelope(*rcpts: str) -> Envelope:
    return Envelope("ken.yamamoto@example.co.jp", tuple(rcpts))


def test_safe_internal_mail_to_known_colleague_passes_quietly_and_is_stored_exactly() -> None:
    reviewer = RecordingReviewer(Decision(Verdict.CANCEL, "user"))
    stored: list[OutboxItem] = []
    gate, outbox, audit = make_gate(
        reviewer, history=("ichiro.suzuki@example.co.jp",), hold=7, stored=stored
    )
    raw = jis_mail(to=TO_COLLEAGUE)

    outcome = gate.process(raw, envelope("ichiro.suzuki@example.co.jp"))

    assert outcome.code == 250
    assert outcome.item is not None
    assert outcome.text == f"2.0.0 Queued as {outcome.item.id}, held for 7 s"
    assert reviewer.requests == []  # no dialog: every dialog must earn its place
    assert outbox.read(outcome.item.id) == raw
    item = outbox.get(outcome.item.id)
    assert item is not None
    assert item.state is OutboxState.HELD
    assert item.subject == "打ち合わせの件"
    assert item.account == "work"
    assert item.hold_until - item.created_at == pytest.approx(7)
    assert stored == [outcome.item]
    assert audit.events[0].decided_by == "quiet"
    assert audit.events[0].decision == "send"


def test_internal_but_unknown_recipient_is_reviewed() -> None:
    reviewer = RecordingReviewer(Decision(Verdict.SEND, "user"))
    gate, _, _ = make_gate(reviewer)
    outcome = gate.process(jis_mail(to=TO_COLLEAGUE), envelope("ichiro.suzuki@example.co.jp"))
    assert outcome.code == 250
    assert len(reviewer.requests) == 1


def test_quiet_pass_disabled_by_policy_asks_the_reviewer() -> None:
    reviewer = RecordingReviewer(Decision(Verdict.SEND, "user"))
    policy = INTERNAL.updated(quiet_when_safe=False)
    gate, _, _ = make_gate(reviewer, policy=policy, history=("ichiro.suzuki@example.co.jp",))
    gate.process(jis_mail(to=TO_COLLEAGUE), envelope("ichiro.suzuki@example.co.jp"))
    assert len(reviewer.requests) == 1


def test_reviewer_sees_envelope_bcc_as_a_recipient() -> None:
    reviewer = RecordingReviewer(Decision(Verdict.SEND, "user"))
    gate, _, _ = make_gate(reviewer)
    gate.process(
        jis_mail(to=TO_PARTNER),
        envelope("hanako.sato@abc-trading.co.jp", "boss@example.co.jp"),
    )
    request = reviewer.requests[0]
    assert [(r.field, r.address) for r in request.message.recipients] == [
        ("to", "hanako.sato@abc-trading.co.jp"), ("bcc", "boss@example.co.jp"),
    ]
    assert request.account == "work"
    assert "external-recipient" in request.report.codes()


def test_user_cancel_answers_550_and_stores_nothing() -> None:
    reviewer = RecordingReviewer(Decision(Verdict.CANCEL, "user", "宛先を確認します"))
    gate, outbox, audit = make_gate(reviewer)
    outcome = gate.process(jis_mail(to=TO_PARTNER), envelope("hanako.sato@abc-trading.co.jp"))
    assert (outcome.code, outcome.text) == (
        550, "5.7.1 宛先を確認します. The message is still in your mail program.")
    assert outcome.item is None
    assert outbox.items() == []
    assert [(e.decision, e.decided_by) for e in audit.events] == [("cancel", "user")]


def test_cancel_in_the_dialog_tells_the_client_who_cancelled_and_where_the_mail_is() -> None:
    gate, _, audit = make_gate(RecordingReviewer(Decision(Verdict.CANCEL, "user", REVIEW_CANCELLED)))
    outcome = gate.process(jis_mail(to=TO_PARTNER), envelope(PARTNER))
    assert outcome.reply == ("550 5.7.1 Not sent: you cancelled it in Missend Guard's review. "
                             "The message is still in your mail program.")
    assert audit.events[0].detail == REVIEW_CANCELLED  # the audit keeps the short reason


def test_no_account_answers_451_before_any_review() -> None:
    reviewer = RecordingReviewer(Decision(Verdict.SEND, "user"))
    audit = MemoryAudit()
    outbox = MemoryOutbox(audit=audit)
    gate = Gate(lambda: CheckContext(policy=INTERNAL), reviewer, outbox, audit,
                account_for=lambda mail_from: None)
    outcome = gate.process(jis_mail(to=TO_PARTNER), envelope(PARTNER))
    assert outcome.reply == f"451 4.3.0 {NO_ACCOUNT_REPLY}"
    assert reviewer.requests == []  # nobody is asked about mail that cannot be sent
    assert outbox.items() == []
    assert [(e.decision, e.detail) for e in audit.events] == [("deferred", "no outgoing mail account")]


def test_headless_policy_refuses_blocked_recipient_with_codes() -> None:
    policy = INTERNAL.updated(blocked_domains=frozenset({"rival.example"}))
    gate, outbox, audit = make_gate(HeadlessReviewer(Severity.WARNING), policy=policy)
    outcome = gate.process(
        jis_mail(to=[("", "ceo@rival.example")]), envelope("ceo@rival.example")
    )
    assert outcome.code == 550
    assert outcome.text.startswith("5.7.1 Missend Guard: ")
    assert "blocked-recipient" in outcome.text
    assert outbox.items() == []
    assert "blocked-recipient" in audit.events[0].codes


def test_headless_policy_passes_below_its_severity() -> None:
    report = Report.of([Finding("first-time-recipient", Severity.WARNING, "recipient:0")])
    request = ReviewRequest(_dummy_message(), report, envelope("a@b.example"))
    assert HeadlessReviewer(Severity.BLOCK).review(request).result().send
    refused = HeadlessReviewer(Severity.WARNING).review(request).result()
    assert not refused.send
    assert refused.reason == "Missend Guard: first-time-recipient"


def test_approve_all_stores_even_blocked_mail() -> None:
    policy = INTERNAL.updated(blocked_domains=frozenset({"rival.example"}))
    gate, outbox, _ = make_gate(ApproveAllReviewer(), policy=policy, hold=0)
    outcome = gate.process(jis_mail(to=[("", "x@rival.example")]), envelope("x@rival.example"))
    assert outcome.code == 250
    assert outcome.text.endswith("held for 0 s")
    assert len(outbox.items()) == 1


def test_storage_error_answers_451_and_keeps_nothing() -> None:
    outbox = MemoryOutbox()
    outbox.fail_store = "No space left on device"
    gate, _, audit = make_gate(RecordingReviewer(Decision(Verdict.SEND, "user")), outbox=outbox)
    outcome = gate.process(jis_mail(to=TO_PARTNER), envelope("hanako.sato@abc-trading.co.jp"))
    assert outcome.code == 451
    assert outcome.text.startswith("4.3.0 ")
    assert "No space left on device" in outcome.text
    assert outbox.items() == []
    assert audit.events[-1].decision == "deferred"


def test_replacement_bytes_are_stored_with_the_same_envelope() -> None:
    rebuilt = jis_mail(to=TO_PARTNER, subject="暗号化済み資料", message_id="<t-2@example.co.jp>")
    reviewer = RecordingReviewer(Decision(Verdict.SEND, "user", replacement=rebuilt))
    gate, outbox, _ = make_gate(reviewer)
    env = envelope("hanako.sato@abc-trading.co.jp", "hidden@example.co.jp")
    outcome = gate.process(jis_mail(to=TO_PARTNER), env)
    assert outcome.item is not None
    assert outbox.read(outcome.item.id) == rebuilt
    assert outcome.item.rcpt_tos == env.rcpt_tos
    assert outcome.item.subject == "暗号化済み資料"
    assert outcome.item.message_id == "<t-2@example.co.jp>"


@pytest.mark.parametrize("replaced", [False, True])
def test_the_relays_spool_is_offered_to_the_outbox_only_for_the_submitted_bytes(replaced) -> None:
    rebuilt = jis_mail(to=TO_PARTNER, subject="暗号化済み資料")
    reviewer = RecordingReviewer(
        Decision(Verdict.SEND, "user", replacement=rebuilt if replaced else None))
    gate, outbox, _ = make_gate(reviewer)
    spool = object()  # the gate only hands it on
    outcome = gate.process(jis_mail(to=TO_PARTNER), envelope("hanako.sato@abc-trading.co.jp"),
                           spool=spool)  # type: ignore[arg-type]
    assert outcome.code == 250
    assert outbox.spools == [None if replaced else spool]


def test_client_disconnect_cancels_the_pending_review() -> None:
    reviewer = RecordingReviewer(None)  # never answers: the dialog stays open
    gate, outbox, _ = make_gate(reviewer)
    cancelled = threading.Event()
    result: list[object] = []
    worker = threading.Thread(
        target=lambda: result.append(
            gate.process(jis_mail(to=TO_PARTNER), envelope(PARTNER), cancelled)
        )
    )
    worker.start()
    while not reviewer.futures:
        threading.Event().wait(0.01)
    cancelled.set()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert reviewer.futures[0].cancelled()
    assert result[0].code == 451  # type: ignore[attr-defined]
    assert outbox.items() == []


def test_decision_arriving_after_disconnect_is_not_stored() -> None:
    reviewer = RecordingReviewer(Decision(Verdict.SEND, "user"))
    gate, outbox, _ = make_gate(reviewer)
    cancelled = threading.Event()
    cancelled.set()
    outcome = gate.process(jis_mail(to=TO_PARTNER), envelope(PARTNER), cancelled)
    assert outcome.code == 451
    assert outbox.items() == []


def test_reviewer_that_crashes_answers_451_not_250() -> None:
    class Broken:
        def review(self, request: ReviewRequest) -> Future[Decision]:
            raise RuntimeError("dialog bug")

    gate, outbox, _ = make_gate(Broken())
    outcome = gate.process(jis_mail(to=TO_PARTNER), envelope("hanako.sato@abc-trading.co.jp"))
    assert outcome.code == 451
    assert outbox.items() == []


def test_reviewer_future_failing_answers_451() -> None:
    class Failing:
        def review(self, request: ReviewRequest) -> Future[Decision]:
            future: Future[Decision] = Future()
            future.set_exception(RuntimeError("dialog closed unexpectedly"))
            return future

    gate, outbox, _ = make_gate(Failing())
    outcome = gate.process(jis_mail(to=TO_PARTNER), envelope("hanako.sato@abc-trading.co.jp"))
    assert outcome.code == 451
    assert outbox.items() == []


def test_garbage_bytes_are_still_reviewed_not_crashed() -> None:
    reviewer = RecordingReviewer(Decision(Verdict.CANCEL, "user"))
    gate, _, _ = make_gate(reviewer)
    outcome = gate.process(b"\xff\xfe\x00garbage", envelope("x@abc-trading.co.jp"))
    assert outcome.code == 550
    assert outcome.text == ("5.7.1 Not sent: you cancelled it in Missend Guard's review. "
                            "The message is still in your mail program.")
    assert "malformed-message" in reviewer.requests[0].report.codes()


def _dummy_message() -> Message:
    return Message(subject="", sender=None, recipients=(), attachments=(), body="")


def test_the_send_decision_is_stored_with_the_mail_not_written_by_the_gate() -> None:
    outbox = MemoryOutbox()  # its own audit: what the outbox commits, apart from the gate's log
    gate, _, audit = make_gate(ApproveAllReviewer(), outbox=outbox)
    outcome = gate.process(jis_mail(to=TO_PARTNER), envelope(PARTNER, "bcc@example.co.jp"))
    assert outcome.code == 250
    assert outcome.item is not None
    assert audit.events == []  # not written twice
    [event] = outbox.audit.events
    assert (event.kind, event.decision, event.decided_by) == ("decision", "send", "approve-all")
    assert event.detail == f"queued as {outcome.item.id}"
    assert event.subject == "打ち合わせの件"
    assert event.recipients == (PARTNER, "bcc@example.co.jp")

