"""The Outlook bridge: one STA thread that attaches to a running Outlook, hears ItemSend, and reconnects."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal, TypeVar

from missend_guard.core.gate import ItemOutcome
from missend_guard.core.ports.audit import AuditEvent, AuditLog
from missend_guard.transports.outlook.com import ComApi, describe, outlook_gone, prop
from missend_guard.transports.outlook.held import OL_FOLDER_SENT, held_id, undo
from missend_guard.transports.outlook.sending import SOURCE, HeldMail, ItemSendHandler, SendResult

log = logging.getLogger(__name__)
T = TypeVar("T")


class OutlookStatus(Enum):
    """What the tray says: "Outlook: connected / not running"."""

    STOPPED = "stopped"  # the bridge is off
    NOT_RUNNING = "not-running"
    CONNECTED = "connected"


EventKind = Literal["status", "held", "kept", "undone", "undo-failed", "sent"]


@dataclass(frozen=True)
class OutlookEvent:
    """Something the user may want to see; raised on the bridge thread (hop to the GUI yourself)."""

    kind: EventKind
    status: OutlookStatus = OutlookStatus.CONNECTED
    subject: str = ""
    held: HeldMail | None = None
    detail: str = ""  # why an item was kept or could not be undone


class OutlookNotRunningError(RuntimeError):
    """Asked to act on Outlook while it is not connected."""


@dataclass
class _Call:
    work: Callable[[], Any]
    future: Future[Any]


class OutlookBridge:
    """Owns the STA thread; every COM object is used on it only. `start()`/`stop()` from any thread."""

    def __init__(
        self, com_factory: Callable[[], ComApi], handler: ItemSendHandler, audit: AuditLog, *,
        record_history: Callable[[Iterable[str]], None] | None = None,
        on_event: Callable[[OutlookEvent], None] | None = None,
        reconnect_seconds: float = 5.0, alive_seconds: float = 2.0, call_timeout: float = 120.0,
    ) -> None:
        self._com_factory = com_factory
        self._handler = handler
        self._audit = audit
        self._record_history = record_history
        self._on_event = on_event
        self._reconnect_seconds = reconnect_seconds
        self._alive_seconds = alive_seconds
        self._call_timeout = call_timeout
        self._calls: deque[_Call] = deque()
        self._held: dict[str, HeldMail] = {}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._com: ComApi | None = None
        self._app: Any = None
        self._sent_items: Any = None
        self._status = OutlookStatus.STOPPED
        self._retry_at = 0.0  # monotonic time of the next connection attempt
        self._reviews: ThreadPoolExecutor | None = None

    # --- any thread ---------------------------------------------------------------------------

    @property
    def status(self) -> OutlookStatus:
        """Connected, not running, or stopped."""
        return self._status

    def start(self) -> None:
        """Start the bridge thread (it waits for Outlook; it never starts Outlook)."""
        if self._thread is not None:
            return
        self._stopping.clear()
        self._retry_at = 0.0  # look for Outlook at once
        self._reviews = ThreadPoolExecutor(max_workers=4, thread_name_prefix="outlook-review")
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="outlook-bridge",
                                        daemon=True)
        self._thread.start()
        ready.wait(10)

    def stop(self, timeout: float = 10.0) -> None:
        """Detach from Outlook and end the thread; a review in progress keeps its item unsent."""
        thread = self._thread
        if thread is None:
            return
        self._stopping.set()
        if self._com is not None:
            self._com.wake()
        thread.join(timeout)
        self._thread = None
        if self._reviews is not None:
            self._reviews.shutdown(wait=False, cancel_futures=True)

    def set_enabled(self, enabled: bool) -> None:
        """Start or stop as the `outlook_bridge` setting says (settings changes call this again)."""
        if enabled:
            self.start()
        else:
            self.stop()

    def undo(self, item_id: str) -> Future[bool]:
        """Move a held item back to Drafts; the future says False when Outlook already sent it."""
        return self._submit(lambda: self._undo(item_id))

    def held(self) -> list[HeldMail]:
        """Mail Outlook holds for us now (those not yet seen in Sent Items)."""
        return list(self._held.values())

    def _submit(self, work: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        com = self._com
        if self._thread is None or com is None:
            future.set_exception(OutlookNotRunningError("the Outlook bridge is not running"))
            return future
        self._calls.append(_Call(work, future))
        com.wake()
        return future

    def _emit(self, event: OutlookEvent) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(event)
        except Exception:  # the tray's problem must not stop the bridge
            log.exception("Outlook event handler failed")

    def _set_status(self, status: OutlookStatus) -> None:
        if status is not self._status:
            self._status = status
            log.info("Outlook bridge: %s", status.value)
            self._emit(OutlookEvent("status", status))

    # --- the bridge thread --------------------------------------------------------------------

    def _run(self, ready: threading.Event) -> None:
        try:
            com = self._com_factory()
            com.initialize()
        except Exception:
            log.exception("the Outlook bridge cannot use COM")
            ready.set()
            self._thread = None
            return
        self._com = com
        self._set_status(OutlookStatus.NOT_RUNNING)
        ready.set()
        try:
            checked = time.monotonic()
            while not self._stopping.is_set():
                if self._app is None and time.monotonic() >= self._retry_at:
                    self._connect()
                com.wait(min(self._alive_seconds, self._reconnect_seconds))
                self._serve()
                if self._app is not None and time.monotonic() - checked >= self._alive_seconds:
                    checked = time.monotonic()
                    if not self._alive():  # a crash raises no Quit event
                        self._disconnect()
        finally:
            self._disconnect()
            self._fail_calls()
            self._com = None
            with contextlib.suppress(Exception):
                com.uninitialize()
            self._set_status(OutlookStatus.STOPPED)

    def _serve(self) -> None:
        """Dispatch Outlook's calls (events) and run what other threads asked for."""
        com = self._com
        assert com is not None
        try:
            com.pump()
        except Exception as exc:  # noqa: BLE001 - a broken connection is the only expected one
            self._lost(exc)
        while self._calls:
            call = self._calls.popleft()
            if not call.future.set_running_or_notify_cancel():
                continue
            try:
                call.future.set_result(call.work())
            except Exception as exc:  # noqa: BLE001 - handed to the caller through its future
                if outlook_gone(exc):
                    self._lost(exc)
                call.future.set_exception(exc)

    def _fail_calls(self) -> None:
        while self._calls:
            call = self._calls.popleft()
            if call.future.set_running_or_notify_cancel():
                call.future.set_exception(OutlookNotRunningError("the Outlook bridge stopped"))

    def _connect(self) -> None:
        com = self._com
        assert com is not None
        try:
            app = com.connect(self._application_events())
            if app is None:
                self._retry_at = time.monotonic() + self._reconnect_seconds
                return
            sent = app.Session.GetDefaultFolder(OL_FOLDER_SENT).Items
            self._sent_items = com.advise(sent, self._sent_items_events())
        except Exception as exc:  # noqa: BLE001 - starting or stopping: the next round tries again
            log.info("Outlook is not ready: %s", describe(exc))
            self._disconnect()
            return
        self._app = app
        self._set_status(OutlookStatus.CONNECTED)

    def _disconnect(self) -> None:
        # Dropping our references lets Outlook close when the user quits it; attaching again
        # at once could catch the closing instance.
        self._app = self._sent_items = None
        self._retry_at = time.monotonic() + self._reconnect_seconds
        if not self._stopping.is_set():
            self._set_status(OutlookStatus.NOT_RUNNING)

    def _lost(self, error: BaseException) -> None:
        if self._app is not None:
            log.info("Outlook went away: %s", describe(error))
        self._disconnect()

    def _alive(self) -> bool:
        app = self._app
        if app is None:
            return False
        try:
            app.Name  # noqa: B018 - the cheapest call that reaches the Outlook process
        except Exception as exc:  # noqa: BLE001 - only "gone" counts; busy or denied is alive
            return not outlook_gone(exc)
        return True

    def _application_events(self) -> type:
        bridge = self

        class ApplicationEvents:
            """Outlook.Application's events (DispatchWithEvents instantiates it without arguments)."""

            def OnItemSend(self, item: Any, cancel: Any) -> bool:  # noqa: N802 - COM's name
                """Return the new value of the by-reference Cancel."""
                return bridge._on_item_send(item, bool(cancel))

            def OnQuit(self) -> None:  # noqa: N802 - COM's name
                """Outlook is closing: let go of it, connect again when it is back."""
                bridge._disconnect()

        return ApplicationEvents

    def _sent_items_events(self) -> type:
        bridge = self

        class SentItemsEvents:
            """The Sent Items folder's Items events."""

            def OnItemAdd(self, item: Any) -> None:  # noqa: N802 - COM's name
                """A mail went out: if it is one we held, audit the delivery and learn from it."""
                bridge._on_sent(item)

        return SentItemsEvents

    def _on_item_send(self, item: Any, cancel: bool) -> bool:
        if cancel:  # another add-in already stopped this send
            return True
        try:
            result = self._handler.handle(item, _Apartment(self))
        except Exception as exc:
            if outlook_gone(exc):
                self._lost(exc)
            else:
                log.exception("ItemSend failed; the mail stays in its window")
            self._emit(OutlookEvent("kept", detail=describe(exc)))
            return True
        self._after_send(result)
        return result.cancel

    def _after_send(self, result: SendResult) -> None:
        if result.held is not None:
            self._held[result.held.item_id] = result.held
            self._emit(OutlookEvent("held", subject=result.subject, held=result.held))
        elif result.cancel and result.outcome.failed:  # the user's own Cancel needs no notice
            self._emit(OutlookEvent("kept", subject=result.subject, detail=result.outcome.reason))

    def _undo(self, item_id: str) -> bool:
        app = self._app
        if app is None:
            raise OutlookNotRunningError("Outlook is not running")
        mail = self._held.get(item_id)
        subject = mail.subject if mail else ""
        try:
            done = undo(app.Session, item_id)
        except Exception as exc:
            self._emit(OutlookEvent("undo-failed", subject=subject, detail=describe(exc)))
            raise
        if not done:
            self._emit(OutlookEvent("undo-failed", subject=subject, detail="already sent"))
            return False
        self._held.pop(item_id, None)
        self._write(AuditEvent(kind="undo", message_id=mail.message_id if mail else "",
                               subject=subject, recipients=mail.rcpt_tos if mail else (),
                               decision="returned", decided_by="user",
                               detail=f"source: {SOURCE}; moved back to Drafts ({item_id})"))
        self._emit(OutlookEvent("undone", subject=subject, held=mail))
        return True

    def _on_sent(self, item: Any) -> None:
        item_id = held_id(item)
        if not item_id:
            return
        mail = self._held.pop(item_id, None)
        subject = mail.subject if mail else str(prop(item, "Subject") or "")
        self._write(AuditEvent(kind="delivery", message_id=mail.message_id if mail else "",
                               subject=subject, recipients=mail.rcpt_tos if mail else (),
                               decision="sent", decided_by=SOURCE,
                               detail=f"source: {SOURCE}; sent by Outlook ({item_id})"))
        if mail is not None and self._record_history is not None:
            try:
                self._record_history(mail.rcpt_tos)
            except Exception:  # history only sharpens later checks; the mail is already sent
                log.exception("could not record sent history for %s", item_id)
        self._emit(OutlookEvent("sent", subject=subject, held=mail))

    def _write(self, event: AuditEvent) -> None:
        try:
            self._audit.record(event)
        except Exception:
            log.exception("could not write the audit event for an Outlook item")

    def _wait(self, future: Future[Any], cancelled: threading.Event) -> None:
        """Serve Outlook and other threads until `future` is done; Outlook gone sets `cancelled`."""
        com = self._com
        assert com is not None
        checked = time.monotonic()
        while not future.done():
            com.wait(0.1)
            self._serve()
            if self._stopping.is_set():
                cancelled.set()  # the app is closing: the item stays unsent in its window
            elif time.monotonic() - checked >= self._alive_seconds:
                checked = time.monotonic()
                if not self._alive():
                    cancelled.set()  # the gate withdraws the review; the dialog closes
                    self._disconnect()


class _Apartment:
    """The bridge thread as a handler sees it (sending.Apartment)."""

    def __init__(self, bridge: OutlookBridge) -> None:
        self._bridge = bridge

    def run_aside(self, work: Callable[[], T], cancelled: threading.Event) -> T:
        """`work` on a review thread; this thread keeps pumping until it is done."""
        reviews = self._bridge._reviews
        assert reviews is not None  # created by start(), before the thread that calls this
        future = reviews.submit(work)
        self._bridge._wait(future, cancelled)
        return future.result()

    def run_here(self, work: Callable[[], T]) -> T:
        """`work` on the bridge thread, waited for (the bridge pumps while it reviews)."""
        return self._bridge._submit(work).result(timeout=self._bridge._call_timeout)


__all__ = ["ItemOutcome", "OutlookBridge", "OutlookEvent", "OutlookNotRunningError", "OutlookStatus"]
