"""The delivery worker: a thread that sends due outbox items upstream and records how it went."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from missend_guard.core.ports.audit import AuditEvent, AuditLog
from missend_guard.core.ports.outbox import (
    WAIT_ACCOUNT,
    WAIT_SIGN_IN,
    DeliveryEvent,
    Outbox,
    OutboxItem,
    OutboxState,
    StorageError,
)
from missend_guard.core.ports.sending import DeliveryError, DeliveryLookup, Sender
from missend_guard.transports.activity import Activity
from missend_guard.transports.outcomes import PendingOutcomes

log = logging.getLogger(__name__)

NO_ACCOUNT = "no upstream account configured — run missend-guard account add"
# Another process (the CLI's `outbox retry`/`undo`) may change the outbox: look again this often.
_MAX_IDLE_SECONDS = 5.0
# Uncertain mail is looked for upstream (Graph's Sent Items) 30 s after the try, then at growing
# intervals for 15 minutes; a copy that has not shown up by then is left to the user.
LOOK_FIRST_SECONDS = 30.0
LOOK_WINDOW_SECONDS = 15 * 60.0
# While mail programs are submitting (a burst), due mail waits for a pause at most this long past
# its due time: the clients' replies come first, the sends right after (transports.activity).
PAUSE_AT_MOST_SECONDS = 2.0
_DAY = 86400.0


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: base·2^(n-1) seconds capped, failed after `max_attempts`."""

    base_seconds: float = 30.0
    cap_seconds: float = 1800.0
    max_attempts: int = 8

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the `attempts`-th failed attempt (1-based)."""
        return float(min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempts - 1)))


class NoAccountError(Exception):
    """No upstream account matches the item (none configured, or it was removed)."""


def needs_sign_in(error: BaseException) -> bool:
    """True for a sender's "the user must sign in again" (GraphSignInRequiredError)."""
    # Duck-typed so delivery does not import the Graph modules (msal, httpx) for SMTP users.
    return bool(getattr(error, "sign_in_required", False))


# Resolves the Sender for an item (by its account, else its envelope sender, else the default).
SenderResolver = Callable[[OutboxItem], Sender]


class DeliveryWorker:
    """Claims due items, sends them, marks sent/retry/failed; wakes on `wake()` or the next due time.

    Never sends a mail twice on its own: once a sender passes its point of no return (recorded
    by `mark_delivering`), a lost reply or a crash makes the mail UNCERTAIN, left to the user
    (or found upstream by a sender that can look); an outcome the disk refuses is kept in memory
    and written later. `sent_retention_days` (0: keep) deletes old sent mail once a day.
    `foreground`: the relay's clients; due mail waits for a pause in their commands, at most
    `PAUSE_AT_MOST_SECONDS` past its due time (still HELD meanwhile: Undo works).
    """

    def __init__(
        self,
        outbox: Outbox,
        resolve_sender: SenderResolver,
        audit: AuditLog,
        *,
        retry_policy: Callable[[], RetryPolicy] = RetryPolicy,
        record_history: Callable[[Iterable[str]], None] | None = None,
        on_event: Callable[[DeliveryEvent], None] | None = None,
        clock: Callable[[], float] = time.time,
        sent_retention_days: Callable[[], int] | None = None,
        foreground: Activity | None = None,
    ) -> None:
        self._outbox = outbox
        self._foreground = foreground
        self._resolve = resolve_sender
        self._audit = audit
        self._retry_policy = retry_policy
        self._record_history = record_history
        self._on_event = on_event
        self._clock = clock
        self._retention_days = sent_retention_days  # None or 0: sent mail is kept
        self._next_purge = float("-inf")
        self._wakeup = threading.Condition()
        self._woken = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._pending = PendingOutcomes()
        self._look_now = False  # at start: look upstream for all uncertain mail at once

    @property
    def unrecorded(self) -> tuple[str, ...]:
        """Ids whose outcome (e.g. a 250) is known but not yet on disk."""
        return self._pending.ids

    def start(self) -> int:
        """Resume what a crash left SENDING, then start the thread; returns how many were resumed."""
        recovery = self._outbox.recover()
        if recovery.resumed:
            log.info("resuming %d message(s) that were being sent when the app stopped",
                     len(recovery.resumed))
        for item_id in recovery.uncertain:
            item = self._outbox.get(item_id)
            if item is not None:
                log.warning("%s may have reached the server before the app stopped; not sent "
                            "again without the user", item_id)
                self._audit_delivery(item, "uncertain", item.last_error)
                self._emit("uncertain", item, item.last_error)
        self._look_now = True  # the app was down: whatever was to be looked for is due
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="delivery", daemon=True)
        self._thread.start()
        return len(recovery.resumed)

    def wake(self, _item: object = None) -> None:
        """Look at the outbox now (a message was stored, released or retried)."""
        with self._wakeup:
            self._woken = True
            self._wakeup.notify_all()

    def retry_waiting(self, why: str, matches: Callable[[OutboxItem], bool] | None = None) -> int:
        """Mail waiting for `why` (and `matches`) becomes due now, e.g. after a sign-in."""
        count = 0
        for item in self._outbox.items((OutboxState.RETRY,)):
            if item.waiting_for != why or (matches and not matches(item)):
                continue
            try:
                self._outbox.retry(item.id)
            except Exception:  # claimed or undone meanwhile: nothing to hurry
                log.debug("could not hurry %s", item.id, exc_info=True)
                continue
            count += 1
        if count:
            log.info("%d message(s) that waited for %s are sent now", count, why)
            self.wake()
        return count

    def stop(self, timeout: float | None = 30.0) -> None:
        """Finish the message being sent (if any) and stop; unsent items stay in the outbox."""
        with self._wakeup:
            self._stopping = True
            self._wakeup.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._pending.write_due(force=True)
        if self.unrecorded:
            log.error("the outcome of %s could not be written (disk full?); what reached the "
                      "server is shown as uncertain at the next start, never sent again",
                      ", ".join(self.unrecorded))

    def _run(self) -> None:
        while not self._stopping:
            try:
                self.run_once()
                wait = self._seconds_until_due()
            except Exception:  # a storage hiccup must not kill delivery for the rest of the session
                log.exception("delivery pass failed; trying again shortly")
                wait = _MAX_IDLE_SECONDS
            pending = self._pending.seconds_until_due()
            if pending is not None:
                wait = min(wait, pending)
            with self._wakeup:
                if not self._woken and not self._stopping:
                    self._wakeup.wait(wait)
                self._woken = False

    def _seconds_until_due(self) -> float:
        due = self._outbox.next_due()
        if due is None:
            return _MAX_IDLE_SECONDS
        return min(_MAX_IDLE_SECONDS, max(0.0, due - self._clock()))

    def run_once(self) -> int:
        """Write held-back outcomes, look for uncertain mail, deliver what is due; how many claimed."""
        # First: woken by a store, that client is still waiting for its reply.
        if not self._wait_for_pause():
            return 0  # stopped while waiting: what is due stays HELD for the next start
        self._pending.write_due()
        self._look_for_uncertain()
        self._purge_sent()
        items = self._outbox.claim_due(self._clock())
        for index, item in enumerate(items):
            if self._stopping:
                return index  # the rest stay SENDING; recover() at the next start resumes them
            self.deliver(item)
        return len(items)

    def _wait_for_pause(self) -> bool:
        """Before a pass: until the relay's clients pause, or the oldest due mail has waited
        `PAUSE_AT_MOST_SECONDS` past its due time (True), or stop() came meanwhile (False).
        Quiet, or nothing due: no wait."""
        clients = self._foreground
        if clients is None or clients.quiet_in() <= 0:
            return True
        # Woken by a store, that client still waits for its reply: it goes out before the outbox
        # is even asked what is due.
        if not self._slept(clients.quiet_in()):
            return False
        if clients.quiet_in() <= 0:
            return True
        due = self._outbox.next_due()
        if due is None or due > self._clock():
            return True
        deadline = due + PAUSE_AT_MOST_SECONDS
        while not self._stopping:
            pause = min(clients.quiet_in(), deadline - self._clock())
            if pause <= 0:
                return True
            self._slept(pause)
        return False

    def _slept(self, seconds: float) -> bool:
        """Sleep `seconds` unless stop() comes first (then or meanwhile: False)."""
        with self._wakeup:
            if not self._stopping:
                self._wakeup.wait(seconds)
        return not self._stopping

    def deliver(self, item: OutboxItem) -> None:
        """One try for one claimed (SENDING) item; waiting for the user is no attempt."""
        try:
            sender = self._resolve(item)
        except NoAccountError as exc:
            self._wait(item, WAIT_ACCOUNT, str(exc) or NO_ACCOUNT)
            return
        except Exception as exc:  # our bug: counted as a try, so it ends in Failed, never loops
            log.exception("no sender for %s", item.id)
            self._failed_attempt(self._outbox.begin_attempt(item.id),
                                 DeliveryError(f"internal error: {exc}", temporary=True))
            return
        tried = self._outbox.begin_attempt(item.id)  # the one place attempts are counted
        committed: list[bool] = []

        def committing() -> None:
            # On disk before the point of no return: a crash after it makes the mail UNCERTAIN.
            # When this raises (disk full), the sender stops before the server can have it.
            self._outbox.mark_delivering(item.id)
            committed.append(True)

        try:
            reply = sender.send(self._outbox.read(item.id), item.mail_from, item.rcpt_tos,
                                on_committing=committing)
        except DeliveryError as exc:
            if exc.uncertain:
                self._uncertain(tried, sender, exc.reply)
            elif exc.temporary and needs_sign_in(exc):
                self._wait(tried, WAIT_SIGN_IN, exc.reply)
            else:
                self._failed_attempt(tried, exc)
            return
        except Exception as exc:  # our bug, an unreadable .eml, a disk that refused the record
            if committed:  # past the point of no return: the server may have it
                log.exception("delivery of %s failed after it was handed over", item.id)
                self._uncertain(tried, sender, f"internal error after handing over: {exc}")
                return
            if not isinstance(exc, StorageError):
                log.exception("delivery of %s failed unexpectedly", item.id)
            self._failed_attempt(tried, DeliveryError(
                f"not sent: {exc}" if isinstance(exc, StorageError) else f"internal error: {exc}",
                temporary=True))
            return
        self._sent(item, reply)

    def _sent(self, item: OutboxItem, reply: str) -> None:
        def then(fresh: OutboxItem) -> None:
            log.info("sent %s to %d recipient(s): %s", item.id, len(item.rcpt_tos), reply)
            self._audit_delivery(item, "sent", reply)
            if self._record_history is not None:
                try:
                    self._record_history(item.rcpt_tos)
                except Exception:  # history only sharpens later checks; the mail is already sent
                    log.exception("could not record sent history for %s", item.id)
            self._emit("sent", fresh, reply)

        self._pending.settle(item.id, lambda: self._outbox.mark_sent(item.id, reply), then)

    def _wait(self, item: OutboxItem, why: str, reason: str) -> None:
        # Not the message's fault: it waits (never fails, uses no attempt) until the user acts:
        # adds an account or signs in again (retry_waiting then sends it at once).
        policy = self._retry_policy()
        next_retry = self._clock() + min(policy.cap_seconds, max(policy.base_seconds, 60.0))

        def then(fresh: OutboxItem) -> None:
            log.warning("%s waits: %s", item.id, reason)
            self._emit("held", fresh, reason)

        self._pending.settle(
            item.id, lambda: self._outbox.mark_waiting(item.id, why, reason, next_retry), then)

    def _failed_attempt(self, item: OutboxItem, error: DeliveryError) -> None:
        attempts = item.attempts  # as begin_attempt counted them, this try included
        policy = self._retry_policy()
        if error.temporary and attempts < policy.max_attempts:
            delay = error.retry_after if error.retry_after is not None else policy.delay(attempts)

            def retrying(fresh: OutboxItem) -> None:
                log.warning("%s attempt %d failed, retrying in %.0f s: %s", item.id, attempts,
                            delay, error.reply)
                self._audit_delivery(item, "retry", error.reply)
                self._emit("retry", fresh, error.reply)

            next_retry = self._clock() + delay
            self._pending.settle(
                item.id, lambda: self._outbox.mark_retry(item.id, error.reply, next_retry), retrying)
            return
        reason = error.reply if not error.temporary else (
            f"gave up after {attempts} attempts: {error.reply}"
        )

        def failed(fresh: OutboxItem) -> None:
            log.error("%s failed: %s", item.id, reason)
            self._audit_delivery(item, "failed", reason)
            self._emit("failed", fresh, reason)

        self._pending.settle(item.id, lambda: self._outbox.mark_failed(item.id, reason), failed)

    # -- the server may have it: never again without the user ----------------------------------

    def _uncertain(self, item: OutboxItem, sender: Sender, reason: str) -> None:
        look = self._clock() + LOOK_FIRST_SECONDS if isinstance(sender, DeliveryLookup) else None

        def then(fresh: OutboxItem) -> None:
            log.warning("%s may have been delivered; not sent again without the user: %s",
                        item.id, reason)
            self._audit_delivery(item, "uncertain", reason)
            self._emit("uncertain", fresh, reason)

        self._pending.settle(
            item.id, lambda: self._outbox.mark_uncertain(item.id, reason, look), then)

    def _look_for_uncertain(self) -> None:
        now, everything = self._clock(), self._look_now
        self._look_now = False
        for item in self._outbox.items((OutboxState.UNCERTAIN,)):
            if self._stopping:
                return
            if item.next_retry is not None and (everything or item.next_retry <= now):
                try:
                    self._look_for(item, now)
                except Exception:  # the user acted meanwhile, or the disk refused: next pass
                    log.exception("could not look for %s upstream", item.id)

    def _look_for(self, item: OutboxItem, now: float) -> None:
        """One look upstream for an UNCERTAIN item: SENT when its copy is found, never a resend."""
        try:
            sender: Sender | None = self._resolve(item)
        except Exception:  # noqa: BLE001 (no account any more: only the user can tell)
            sender = None
        if not isinstance(sender, DeliveryLookup):
            self._outbox.mark_uncertain(item.id, item.last_error, None)
            return
        try:
            found = sender.find_delivered(self._outbox.read(item.id), item.mail_from,
                                          item.rcpt_tos)
        except Exception as exc:  # noqa: BLE001 (network, sign-in: look again later)
            log.warning("could not look for %s upstream: %s", item.id, exc)
            found = None
        if found:
            self._sent(item, found)
            return
        since = item.tried_at if item.tried_at is not None else now
        left = since + LOOK_WINDOW_SECONDS - now
        look: float | None = now + min(max(LOOK_FIRST_SECONDS, now - since), left)
        if left <= 0:
            look = None
            log.warning("%s was not found upstream; the user decides whether to send it again",
                        item.id)
        self._outbox.mark_uncertain(item.id, item.last_error, look)

    # -- retention -------------------------------------------------------------------------------

    def _purge_sent(self) -> None:
        """Once a day: delete sent mail older than the retention setting (0 keeps it)."""
        now = self._clock()
        if self._retention_days is None or now < self._next_purge:
            return
        self._next_purge = now + _DAY
        try:
            days = self._retention_days()
            if days > 0:
                purged = self._outbox.purge_sent(now - days * _DAY)
                if purged:
                    log.info("deleted %d sent mail(s) older than %d days", purged, days)
        except Exception:  # kept for another day; delivery goes on
            log.exception("could not delete old sent mail")

    def _audit_delivery(self, item: OutboxItem, decision: str, detail: str) -> None:
        event = AuditEvent(
            kind="delivery", message_id=item.message_id, subject=item.subject,
            recipients=item.rcpt_tos, decision=decision, decided_by=item.account or "default",
            detail=detail,
        )
        try:
            self._audit.record(event)
        except Exception:
            log.exception("could not write the delivery audit event for %s", item.id)

    def _emit(self, kind: str, item: OutboxItem, detail: str) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(DeliveryEvent(kind, item, detail))
        except Exception:  # the tray's problem must not stop delivery
            log.exception("delivery event handler failed")
