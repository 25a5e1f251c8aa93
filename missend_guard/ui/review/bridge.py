"""QtReviewer, the desktop Reviewer port: relay threads ask, the GUI thread shows one dialog at a time."""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field, replace
from functools import partial

from PySide6.QtCore import QObject, QSettings, Signal, Slot
from PySide6.QtWidgets import QWidget

from missend_guard.core.ports.review import Decision, ReviewRequest, Verdict
from missend_guard.ui.protect.protection import Protection
from missend_guard.ui.review.dialog import ReviewDialog
from missend_guard.ui.review.model import ReviewModel, build_model
from missend_guard.ui.taskman import TaskManager

Notify = Callable[[str, str], None]


@dataclass(eq=False)
class PendingReview:
    """A request waiting for (or shown in) a dialog, with the future the gate waits on."""

    request: ReviewRequest
    future: Future[Decision]
    withdrawn: bool = field(default=False)


class QtReviewer(QObject):
    """Implements `core.ports.Reviewer`. Create it on the GUI thread; call `review()` from any thread.

    Companies and internal domains come from the context each request was checked with.
    """

    dialog_shown = Signal(object)  # ReviewDialog, on the GUI thread (tests, benchmarks, tray)
    # ui.password_window.Handoff: the user sent protected files. Emitted on the GUI thread just
    # before the gate hears "send", so the ledger knows the password before any later mail.
    protected_send = Signal(object)

    def __init__(
        self,
        tasks: TaskManager,
        *,
        lang: str,
        state: QSettings | None = None,
        notify: Notify | None = None,
        protection: Protection | None = None,
        clock: Callable[[], float] = time.time,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._protection = protection
        self.lang = lang
        self._state = state
        self._notify = notify
        self._clock = clock
        self._queue: deque[PendingReview] = deque()
        self._current: tuple[PendingReview, ReviewDialog] | None = None
        self._paused_until: float | None = None
        self._paused_forever = False

    # --- any thread -----------------------------------------------------------------------------

    def review(self, request: ReviewRequest) -> Future[Decision]:
        """Queue a review; the future resolves when the user closes the dialog."""
        future: Future[Decision] = Future()
        if self.paused:
            future.set_result(Decision(Verdict.SEND, "paused", reason="checks paused by the user"))
            return future
        pending = PendingReview(request, future)
        future.add_done_callback(partial(self._on_future_done, pending))
        self._tasks.run_on_main(partial(self._on_review_requested, pending), owner=self)
        return future

    def _on_future_done(self, pending: PendingReview, future: Future[Decision]) -> None:
        # Runs on whichever thread cancelled or resolved the future: only hand over to the GUI thread.
        if future.cancelled():
            self._tasks.run_on_main(partial(self._on_review_withdrawn, pending), owner=self)

    @property
    def paused(self) -> bool:
        """True while the user paused checking."""
        if self._paused_forever:
            return True
        until = self._paused_until
        return until is not None and self._clock() < until

    def pause(self, seconds: float | None) -> None:
        """Pause checking for `seconds`, or until `resume()` when None."""
        self._paused_forever = seconds is None
        self._paused_until = None if seconds is None else self._clock() + seconds

    def resume(self) -> None:
        """Check every mail again."""
        self._paused_forever = False
        self._paused_until = None

    @property
    def paused_until(self) -> float | None:
        """When a timed pause ends (None when not paused or paused until resumed)."""
        return self._paused_until if self.paused and not self._paused_forever else None

    # --- GUI thread -----------------------------------------------------------------------------

    @property
    def current_dialog(self) -> ReviewDialog | None:
        """The dialog on screen, if any."""
        return self._current[1] if self._current else None

    @property
    def waiting(self) -> int:
        """Reviews shown or queued."""
        return len(self._queue) + (1 if self._current else 0)

    def _on_review_requested(self, pending: PendingReview) -> None:
        if pending.future.cancelled():
            return
        self._queue.append(pending)
        self._show_next()
        self._update_positions()

    def _on_review_withdrawn(self, pending: PendingReview) -> None:
        subject = pending.request.message.subject or self.tr("(no subject)")
        if self._current and self._current[0] is pending:
            pending.withdrawn = True
            self._current[1].reject()
        elif pending in self._queue:
            self._queue.remove(pending)
            self._update_positions()
        else:
            return
        if self._notify:
            self._notify(
                self.tr("Review withdrawn"),
                self.tr("The mail app stopped waiting for “%1”. Nothing was sent.").replace("%1", subject),
            )

    def cancel_all(self, reason: str) -> None:
        """Answer every open and queued review with Cancel (the app is quitting: clients get 550)."""
        while self._queue:
            pending = self._queue.popleft()
            with contextlib.suppress(InvalidStateError):
                pending.future.set_result(Decision(Verdict.CANCEL, "user", reason=reason))
        if self._current is not None:
            self._current[1].reject()

    def _show_next(self) -> None:
        while self._current is None and self._queue:
            pending = self._queue.popleft()
            if pending.future.cancelled():
                continue
            model = self._model_for(pending.request)
            protection = replace(self._protection, build_model=self._model_for) if self._protection else None
            dialog = ReviewDialog(model, self.lang, self._state, self._parent_widget(),
                                  protection=protection)
            dialog.finished.connect(self._on_dialog_finished)
            self._current = (pending, dialog)
            dialog.open()
            dialog.raise_()
            dialog.activateWindow()
            self.dialog_shown.emit(dialog)

    def _model_for(self, request: ReviewRequest) -> ReviewModel:
        # Any thread: the re-check after protection builds its model on a worker.
        context = request.context
        if context is None:
            return build_model(request)
        return build_model(request, context.contacts.company_for_domain, context.policy.is_internal)

    def _parent_widget(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    @Slot(int)
    def _on_dialog_finished(self, result: int) -> None:
        if self._current is None:
            return
        pending, dialog = self._current
        self._current = None
        if not pending.withdrawn:
            handoff = dialog.handoff()
            if handoff is not None and not pending.future.done():
                self.protected_send.emit(handoff)
            # Cancelled between the click and here: the gate already answered the client.
            with contextlib.suppress(InvalidStateError):
                pending.future.set_result(dialog.decision())
        dialog.deleteLater()
        self._show_next()
        self._update_positions()

    def _update_positions(self) -> None:
        if self._current:
            self._current[1].set_position(1, self.waiting)
