"""The gate: parse, check, ask for a decision, store durably, answer. Pure and synchronous."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Report, Severity
from missend_guard.core.check.trust import suspect_names
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import Message, parse_message
from missend_guard.core.ports.audit import AuditEvent, AuditLog
from missend_guard.core.ports.history import RecipientTrust
from missend_guard.core.ports.outbox import Outbox, OutboxItem, Spool, StorageError
from missend_guard.core.ports.review import Decision, Reviewer, ReviewRequest, Verdict, notes_text

log = logging.getLogger(__name__)

# How often a waiting gate looks at the client-disconnect flag; a finished review returns at once.
_CANCEL_POLL_SECONDS = 0.2
# What the mail program shows: it keeps the message and tries again once an account exists.
NO_ACCOUNT_REPLY = ("Missend Guard has no outgoing mail account yet: open Missend Guard and finish "
                    "the set-up; your mail program keeps the message")
# The review dialog's reason for Cancel (the audit keeps it; the client is told in full words).
REVIEW_CANCELLED = "cancelled in review"
_STILL_IN_CLIENT = "The message is still in your mail program."


@dataclass(frozen=True)
class Outcome:
    """What the relay answers to DATA: 250 only when `item` is durably stored."""

    code: int
    text: str
    item: OutboxItem | None = None

    @property
    def reply(self) -> str:
        """The full SMTP reply line."""
        return f"{self.code} {self.text}"


@dataclass(frozen=True)
class GateSettings:
    """The values the gate reads per message (a snapshot; settings changes publish a new one)."""

    hold_seconds: float = 10.0


@dataclass(frozen=True)
class ItemOutcome:
    """What a source that sends by itself (Outlook) does with its item: let it go, or keep it."""

    send: bool
    reason: str = ""  # why the item stays (the user's reason, or what could not be done to it)
    detail: str = ""  # what `on_send` reported (where the item waits), as audited
    failed: bool = False  # kept for a reason other than the review (changes failed, a bug of ours)


# Applies a Send decision to the source's own item with the hold in force; returns what it did
# (for the audit). Raising keeps the item unsent: a change the user chose must not be skipped.
SendAction = Callable[[Decision, float], str]


def queued(item: OutboxItem, hold_seconds: float) -> Outcome:
    """250: stored and held."""
    return Outcome(250, f"2.0.0 Queued as {item.id}, held for {hold_seconds:g} s", item)


def refused(reason: str) -> Outcome:
    """550 5.7.1: cancelled by the user or blocked by policy; the mail stays in the client."""
    return Outcome(550, f"5.7.1 {_one_line(reason) or 'Missend Guard: not sent'}")


def cancel_reply(decision: Decision) -> Outcome:
    """550 5.7.1 for a Cancel: who stopped the mail, and that it is still in the mail program."""
    if decision.decided_by == "user" and decision.reason in ("", REVIEW_CANCELLED):
        why = "Not sent: you cancelled it in Missend Guard's review"
    else:
        why = decision.reason or "Missend Guard: not sent"
    return refused(f"{why.rstrip('. ')}. {_STILL_IN_CLIENT}")


def deferred(reason: str) -> Outcome:
    """451 4.3.0: could not store; the client keeps the mail and tries again later."""
    return Outcome(451, f"4.3.0 {_one_line(reason) or 'Missend Guard: try again later'}")


def _one_line(text: str) -> str:
    # An SMTP reply is one line here; a newline in a reason would break the protocol.
    return " ".join(text.split())[:400]


def is_quiet(message: Message, report: Report, context: CheckContext) -> bool:
    """Quiet pass: policy allows it, only info findings, every recipient internal and known."""
    if not context.policy.quiet_when_safe or not message.recipients:
        return False
    if report.at_least(Severity.WARNING):
        return False
    return all(
        context.policy.is_internal(r.domain) and context.is_known_address(r.address)
        for r in message.recipients
    )


class Gate:
    """Turns one submitted message into an Outcome; never 250 unless the outbox stored it."""

    def __init__(
        self,
        context_provider: Callable[[], CheckContext],
        reviewer: Reviewer,
        outbox: Outbox,
        audit: AuditLog,
        settings_provider: Callable[[], GateSettings] = GateSettings,
        *,
        account_for: Callable[[str], str | None] = lambda _mail_from: "",
        on_stored: Callable[[OutboxItem], None] | None = None,
        checker: Callable[[Message, CheckContext], Report] = check,
        trust: RecipientTrust | None = None,
    ) -> None:
        self._context_provider = context_provider
        self._reviewer = reviewer
        self._outbox = outbox
        self._audit = audit
        self._settings_provider = settings_provider
        self._account_for = account_for
        self._on_stored = on_stored
        self._check = checker
        self._trust = trust

    def process(
        self, raw: bytes, envelope: Envelope, cancelled: threading.Event | None = None, *,
        spool: Spool | None = None, crlf_only: bool = False,
    ) -> Outcome:
        """Check, decide, store; a bug of ours answers 451 so the client keeps the mail.

        `spool` holds exactly `raw` (the relay's DATA): the outbox may keep it as the message.
        `crlf_only`: the caller made every line end CRLF, so parsing need not look again.
        """
        try:
            return self._process(raw, envelope, cancelled or threading.Event(), spool, crlf_only)
        except Exception:
            log.exception("gate failed on a message from %s", envelope.mail_from)
            return deferred("Missend Guard internal error; the message was not accepted")

    def _process(self, raw: bytes, envelope: Envelope, cancelled: threading.Event,
                 spool: Spool | None, crlf_only: bool) -> Outcome:
        account = self._account_for(envelope.mail_from)
        if account is None:  # accepting it would only park it: the client keeps it instead
            log.warning("no outgoing account for %s: answered 451", envelope.mail_from)
            self._record(parse_message(raw, envelope.rcpt_tos), Report(), envelope,
                         decision="deferred", by="missend-guard", detail="no outgoing mail account")
            return deferred(NO_ACCOUNT_REPLY)
        context = self._context_provider()
        message = parse_message(raw, envelope.rcpt_tos, crlf_only=crlf_only)
        report = self._check(message, context)

        def record(decision: str, by: str, detail: str) -> None:
            self._record(message, report, envelope, decision=decision, by=by, detail=detail)

        decision: Decision | None
        if is_quiet(message, report, context):
            decision = Decision(Verdict.SEND, "quiet")
        else:
            request = ReviewRequest(message, report, envelope, account, context, self._trust)
            decision = self._await_decision(self._reviewer.review(request), cancelled)
        if decision is None or (decision.send and cancelled.is_set()):
            # The client is gone and will submit again: storing now would send it twice.
            record("cancel", "client", "client disconnected")
            return deferred("client disconnected during review")
        if not decision.send:
            record("cancel", decision.decided_by, decision.reason)
            return cancel_reply(decision)
        self._mark_suspects(message, report)
        return self._store(message, report, envelope, decision, account, spool=spool)

    def review_item(
        self, message: Message, envelope: Envelope, on_send: SendAction, *, source: str,
        account: str = "", cancelled: threading.Event | None = None, quiet: bool = True,
    ) -> ItemOutcome:
        """Check and decide a message its source sends itself; on Send, `on_send` changes the item.

        Nothing is stored here: the source holds the item. `quiet=False` asks even when the
        report is quiet (the source could not read all of it). Never raises; a bug keeps the item.
        """
        try:
            return self._review_item(message, envelope, on_send, source=source, account=account,
                                     cancelled=cancelled or threading.Event(), quiet=quiet)
        except Exception:
            log.exception("gate failed on a %s item from %s", source, envelope.mail_from)
            return ItemOutcome(False, "Missend Guard internal error; the mail was not sent",
                               failed=True)

    def _review_item(
        self, message: Message, envelope: Envelope, on_send: SendAction, *, source: str,
        account: str, cancelled: threading.Event, quiet: bool,
    ) -> ItemOutcome:
        context = self._context_provider()
        report = self._check(message, context)

        def record(decision: str, by: str, *details: str) -> None:
            detail = "; ".join(d for d in (f"source: {source}", *details) if d)
            self._record(message, report, envelope, decision=decision, by=by, detail=detail)

        decision: Decision | None
        if quiet and is_quiet(message, report, context):
            decision = Decision(Verdict.SEND, "quiet")
        else:
            request = ReviewRequest(message, report, envelope, account, context, self._trust)
            decision = self._await_decision(self._reviewer.review(request), cancelled)
        if decision is None or (decision.send and cancelled.is_set()):
            record("cancel", "client", f"{source} stopped waiting")
            return ItemOutcome(False, f"{source} stopped waiting during review")
        if not decision.send:
            record("cancel", decision.decided_by, decision.reason)
            return ItemOutcome(False, decision.reason or "Missend Guard: cancelled by the user")
        self._mark_suspects(message, report)
        hold = max(0.0, float(self._settings_provider().hold_seconds))
        try:
            done = on_send(decision, hold)
        except Exception as exc:  # noqa: BLE001 - the item stays with the user, who is told why
            log.warning("could not apply the decision to a %s item: %s", source, exc)
            record("cancel", source, f"not sent: the chosen changes could not be made ({exc})")
            return ItemOutcome(False, f"the chosen changes could not be made: {exc}", failed=True)
        record("send", decision.decided_by, done, decision.reason, notes_text(decision.notes))
        return ItemOutcome(True, detail=done)

    def _mark_suspects(self, message: Message, report: Report) -> None:
        """Before storing, so the delivery that records the send finds them already suspect."""
        names = suspect_names(message, report)
        if not names or self._trust is None:
            return
        try:
            self._trust.mark_suspect(names)
        except Exception:  # the history only sharpens later checks: the mail must still go
            log.exception("could not record suspect recipients of %s", message.message_id)

    def _await_decision(
        self, future: Future[Decision], cancelled: threading.Event
    ) -> Decision | None:
        """The reviewer's decision, or None when the client disconnected (review withdrawn)."""
        while True:
            if cancelled.is_set():
                future.cancel()
                return None
            try:
                return future.result(timeout=_CANCEL_POLL_SECONDS)
            except FutureTimeout:
                continue
            except CancelledError:
                return None if cancelled.is_set() else Decision(
                    Verdict.CANCEL, "reviewer", "Missend Guard: review withdrawn"
                )

    def _store(
        self, message: Message, report: Report, envelope: Envelope, decision: Decision,
        account: str, *, spool: Spool | None,
    ) -> Outcome:
        raw = message.raw
        subject, message_id = message.subject, message.message_id
        if decision.replacement is not None:
            raw, spool = decision.replacement, None  # the spool holds what was submitted
            rebuilt = parse_message(raw, envelope.rcpt_tos)
            subject, message_id = rebuilt.subject, rebuilt.message_id or message_id
        hold = max(0.0, float(self._settings_provider().hold_seconds))
        notes = notes_text(decision.notes)

        def sent_event(item: OutboxItem) -> AuditEvent:
            detail = " ".join(p for p in (f"queued as {item.id}", decision.reason, notes) if p)
            return self._event(message, report, envelope, decision="send",
                               by=decision.decided_by, detail=detail)

        try:
            item = self._outbox.store(
                raw, envelope, subject=subject, message_id=message_id, account=account,
                hold_seconds=hold, decision=sent_event, spool=spool,
            )
        except StorageError as exc:
            log.error("could not store a message from %s: %s", envelope.mail_from, exc)
            self._record(
                message, report, envelope, decision="deferred", by=decision.decided_by,
                detail=str(exc),
            )
            return deferred(f"Missend Guard could not store the message: {exc}")
        if self._on_stored is not None:
            self._on_stored(item)
        return queued(item, hold)

    @staticmethod
    def _event(
        message: Message, report: Report, envelope: Envelope, *, decision: str, by: str,
        detail: str,
    ) -> AuditEvent:
        return AuditEvent(
            kind="decision", message_id=message.message_id, subject=message.subject,
            recipients=envelope.rcpt_tos, codes=report.codes(), decision=decision,
            decided_by=by, detail=detail,
        )

    def _record(
        self, message: Message, report: Report, envelope: Envelope, *, decision: str, by: str,
        detail: str,
    ) -> None:
        self._write(self._event(message, report, envelope, decision=decision, by=by,
                                detail=detail))

    def _write(self, event: AuditEvent) -> None:
        try:
            self._audit.record(event)
        except Exception:  # the audit is a record, not a gate: a full log must not lose the mail
            log.exception("could not write the audit event for %s", event.message_id)


def _done(decision: Decision) -> Future[Decision]:
    future: Future[Decision] = Future()
    future.set_result(decision)
    return future


class HeadlessReviewer:
    """Policy in place of a person: refuses anything at or above `block_at`, passes the rest."""

    def __init__(self, block_at: Severity = Severity.WARNING) -> None:
        self._block_at = block_at

    def review(self, request: ReviewRequest) -> Future[Decision]:
        """Decide at once from the report."""
        blocking = request.report.at_least(self._block_at)
        if blocking:
            codes = ", ".join(dict.fromkeys(f.code for f in blocking))
            return _done(Decision(Verdict.CANCEL, "headless-policy", f"Missend Guard: {codes}"))
        return _done(Decision(Verdict.SEND, "headless-policy"))


class ApproveAllReviewer:
    """Passes everything (load tests, `run --approve-all`)."""

    def review(self, request: ReviewRequest) -> Future[Decision]:
        """Decide SEND at once."""
        return _done(Decision(Verdict.SEND, "approve-all"))
