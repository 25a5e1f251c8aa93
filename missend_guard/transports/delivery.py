"""The delivery worker: a thread that sends due outbox items upstream and records how it went."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Protocol

from missend_guard.core.ports.audit import AuditEvent, AuditLog
from missend_guard.core.ports.outbox import DeliveryEvent, DeliveryOutbox, OutboxItem, OutboxState
from missend_guard.core.ports.sending import DeliveryError, Sender

log = logging.getLogger(__name__)

NO_ACCOUNT = "no upstream account configured — run missend-guard account add"
# Another process (the CLI's `outbox retry`/`undo`) may change the outbox: look again this often.
_MAX_IDLE_SECONDS = 5.0


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


class WorkerOutbox(DeliveryOutbox, Protocol):
    """The outbox the worker needs: delivery side, plus "due now" for mail that waited."""

    def retry(self, item_id: str) -> OutboxItem:
        """FAILED or RETRY → RETRY due now."""
        ...


WAIT_ACCOUNT = "account"  # waits until an upstream account exists
WAIT_SIGN_IN = "sign-in"  # waits until the user signs in to Microsoft 365 again


def needs_sign_in(error: BaseException) -> bool:
    """True for a sender's "the user must sign in again" (GraphSignInRequiredError)."""
    # Duck-typed so delivery does not import the Graph modules (msal, httpx) for SMTP users.
    return bool(getattr(error, "sign_in_required", False))


class WaitLedger:
    """Per item: claims that were no delivery attempt (waiting for an account or a sign-in).

    The outbox counts every claim as an attempt; the worker subtracts these so a mail that waits
    for the user never runs out of attempts. Kept in a durable mapping so a restart agrees.
    """

    def __init__(self, store: MutableMapping[str, str] | None = None) -> None:
        self._store: MutableMapping[str, str] = {} if store is None else store
        self._lock = threading.Lock()

    def _get(self, item_id: str) -> dict[str, object]:
        try:
            value = json.loads(self._store.get(item_id) or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def waited(self, item_id: str, why: str) -> None:
        """One claim of `item_id` was a wait for `why` (WAIT_ACCOUNT, WAIT_SIGN_IN)."""
        with self._lock:
            entry = self._get(item_id)
            claims = entry.get("claims", 0)
            entry.update(claims=(claims if isinstance(claims, int) else 0) + 1, waiting=why)
            self._store[item_id] = json.dumps(entry)

    def attempted(self, item_id: str) -> None:
        """A real attempt happened: the item no longer waits for the user."""
        with self._lock:
            entry = self._get(item_id)
            if entry.get("waiting"):
                entry["waiting"] = ""
                self._store[item_id] = json.dumps(entry)

    def attempts(self, item: OutboxItem) -> int:
        """The item's real delivery attempts (claims minus waits)."""
        claims = self._get(item.id).get("claims", 0)
        return max(0, item.attempts - (claims if isinstance(claims, int) else 0))

    def waiting_for(self, item_id: str) -> str:
        """What the item waits for ("" when it does not wait for the user)."""
        return str(self._get(item_id).get("waiting") or "")

    def forget(self, item_id: str) -> None:
        """The item left the queue (sent, failed, returned)."""
        with self._lock:
            self._store.pop(item_id, None)

    def keep_only(self, item_ids: Iterable[str]) -> None:
        """Drop entries of items that are no longer queued (undone by another process)."""
        keep = set(item_ids)
        with self._lock:
            for item_id in [k for k in self._store if k not in keep]:
                self._store.pop(item_id, None)


# Resolves the Sender for an item (by its account, else its envelope sender, else the default).
SenderResolver = Callable[[OutboxItem], Sender]


class DeliveryWorker:
    """Claims due items, sends them, marks sent/retry/failed; wakes on `wake()` or the next due time."""

    def __init__(
        self,
        outbox: WorkerOutbox,
        resolve_sender: SenderResolver,
        audit: AuditLog,
        *,
        retry_policy: Callable[[], RetryPolicy] = RetryPolicy,
        record_history: Callable[[Iterable[str]], None] | None = None,
        on_event: Callable[[DeliveryEvent], None] | None = None,
        clock: Callable[[], float] = time.time,
        waits: WaitLedger | None = None,
    ) -> None:
        self._outbox = outbox
        self.waits = waits or WaitLedger()
        self._resolve = resolve_sender
        self._audit = audit
        self._retry_policy = retry_policy
        self._record_history = record_history
        self._on_event = on_event
        self._clock = clock
        self._wakeup = threading.Condition()
        self._woken = False
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> int:
        """Resume what a crash left SENDING, then start the thread; returns how many were resumed."""
        resumed = self._outbox.recover()
        queued = (OutboxState.HELD, OutboxState.RETRY, OutboxState.SENDING)
        self.waits.keep_only(i.id for i in self._outbox.items(queued))
        if resumed:
            log.info("resuming %d message(s) that were being sent when the app stopped", resumed)
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="delivery", daemon=True)
        self._thread.start()
        return resumed

    def wake(self, _item: object = None) -> None:
        """Look at the outbox now (a message was stored, released or retried)."""
        with self._wakeup:
            self._woken = True
            self._wakeup.notify_all()

    def retry_waiting(self, why: str, matches: Callable[[OutboxItem], bool] | None = None) -> int:
        """Mail waiting for `why` (and `matches`) becomes due now, e.g. after a sign-in."""
        count = 0
        for item in self._outbox.items((OutboxState.RETRY,)):
            if self.waits.waiting_for(item.id) != why or (matches and not matches(item)):
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

    def _run(self) -> None:
        while not self._stopping:
            try:
                self.run_once()
                wait = self._seconds_until_due()
            except Exception:  # a storage hiccup must not kill delivery for the rest of the session
                log.exception("delivery pass failed; trying again shortly")
                wait = _MAX_IDLE_SECONDS
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
        """Send everything due now; returns how many items were attempted."""
        items = self._outbox.claim_due(self._clock())
        for index, item in enumerate(items):
            if self._stopping:
                return index  # the rest stay SENDING; recover() at the next start resumes them
            self.deliver(item)
        return len(items)

    def deliver(self, item: OutboxItem) -> None:
        """One attempt for one claimed (SENDING) item."""
        try:
            sender = self._resolve(item)
            raw = self._outbox.read(item.id)
            reply = sender.send(raw, item.mail_from, item.rcpt_tos)
        except NoAccountError as exc:
            self._wait(item, WAIT_ACCOUNT, str(exc) or NO_ACCOUNT)
            return
        except DeliveryError as exc:
            if exc.temporary and needs_sign_in(exc):
                self._wait(item, WAIT_SIGN_IN, exc.reply)
                return
            self._failed_attempt(item, exc)
            return
        except Exception as exc:  # our bug or an unreadable .eml: keep the item, retry later
            log.exception("delivery of %s failed unexpectedly", item.id)
            self._failed_attempt(item, DeliveryError(f"internal error: {exc}", temporary=True))
            return
        self._outbox.mark_sent(item.id, reply)
        self.waits.forget(item.id)
        log.info("sent %s to %d recipient(s): %s", item.id, len(item.rcpt_tos), reply)
        self._audit_delivery(item, "sent", reply)
        if self._record_history is not None:
            try:
                self._record_history(item.rcpt_tos)
            except Exception:  # history only sharpens later checks; the mail is already sent
                log.exception("could not record sent history for %s", item.id)
        self._emit("sent", item, reply)

    def _wait(self, item: OutboxItem, why: str, reason: str) -> None:
        # Not the message's fault: it waits (never fails, uses no attempt) until the user acts:
        # adds an account or signs in again (retry_waiting then sends it at once).
        policy = self._retry_policy()
        next_retry = self._clock() + min(policy.cap_seconds, max(policy.base_seconds, 60.0))
        self.waits.waited(item.id, why)
        self._outbox.mark_retry(item.id, reason, next_retry)
        log.warning("%s waits: %s", item.id, reason)
        self._emit("held", item, reason)

    def _failed_attempt(self, item: OutboxItem, error: DeliveryError) -> None:
        attempts = self.waits.attempts(item)  # claim_due counted this attempt, and any waits
        self.waits.attempted(item.id)
        policy = self._retry_policy()
        if error.temporary and attempts < policy.max_attempts:
            delay = error.retry_after if error.retry_after is not None else policy.delay(attempts)
            self._outbox.mark_retry(item.id, error.reply, self._clock() + delay)
            log.warning("%s attempt %d failed, retrying in %.0f s: %s", item.id, attempts, delay,
                        error.reply)
            self._audit_delivery(item, "retry", error.reply)
            self._emit("retry", item, error.reply)
            return
        reason = error.reply if not error.temporary else (
            f"gave up after {attempts} attempts: {error.reply}"
        )
        self._outbox.mark_failed(item.id, reason)
        self.waits.forget(item.id)
        log.error("%s failed: %s", item.id, reason)
        self._audit_delivery(item, "failed", reason)
        self._emit("failed", item, reason)

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
        fresh = self._outbox.get(item.id) or item
        try:
            self._on_event(DeliveryEvent(kind, fresh, detail))
        except Exception:  # the tray's problem must not stop delivery
            log.exception("delivery event handler failed")
