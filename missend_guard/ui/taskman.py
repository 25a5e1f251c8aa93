"""Closures onto the GUI thread and slow work onto worker threads (after Anki's aqt/taskman.py).

Every worker→GUI hop in the app goes through one `TaskManager`: worker threads never touch widgets,
they hand a closure to `run_on_main`. Work that would freeze a window (encrypting, re-checking,
logging in upstream) goes to `run_in_background`, whose callbacks run on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 300  # shorter work shows no progress: a flashing window is worse than a pause

T = TypeVar("T")
OnError = Callable[[Exception], None]


def log_error(exc: Exception) -> None:
    """The default `on_error`: our bug or an environment problem, with its traceback in the log."""
    log.error("a background task failed: %s", exc, exc_info=exc)


@dataclass(frozen=True)
class _Closure:
    fn: Callable[[], None]
    owner: QObject | None  # when it is deleted before the closure runs, the closure is dropped


class BackgroundTask(QObject):
    """One `run_in_background` call: its worker thread, outcome, callbacks and progress window."""

    def __init__(self, manager: TaskManager, task: Callable[[], Any], on_done: Callable[[Any], None],
                 on_error: OnError, *, owner: QObject | None, progress: str | None) -> None:
        super().__init__(manager)
        self._manager = manager
        self._task: Callable[[], Any] | None = task
        self._on_done = on_done
        self._on_error = on_error
        self._owner = owner
        self._label = progress
        self._outcome: tuple[bool, Any] | None = None
        self._discarded = False
        self.progress: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_progress_due)
        self._thread = threading.Thread(target=self._work, name="background-task", daemon=True)

    @property
    def running(self) -> bool:
        """True until the outcome reached the GUI thread (or the task was discarded)."""
        return self._outcome is None and not self._discarded

    def discard(self) -> None:
        """Forget the task (its window closed): no callback runs; the thread finishes on its own."""
        if not shiboken6.isValid(self):  # already finished, or the app quit
            return
        self._discarded = True
        self._close_progress()

    def start(self, progress_delay_ms: int) -> None:
        """Start the thread; the progress window appears if the task is still running after the delay."""
        if self._label is not None:
            self._timer.start(progress_delay_ms)
        self._thread.start()

    def _work(self) -> None:
        # Worker thread: run the task, hand the outcome to the GUI thread. `self._task` keeps the
        # task until then, so the GUI thread, not this one, frees what it held (Qt objects among it).
        task = self._task
        assert task is not None
        try:
            outcome: tuple[bool, Any] = (True, task())
        except Exception as exc:  # noqa: BLE001 (handed to on_error on the GUI thread)
            outcome = (False, exc)
        self._manager.run_on_main(partial(self._finish, outcome), owner=self)

    def _finish(self, outcome: tuple[bool, Any]) -> None:
        # GUI thread. The worker has only to return: wait for it, so it holds nothing of ours.
        self._thread.join()
        self._task = None
        self._outcome = outcome
        self._close_progress()
        self.deleteLater()
        ok, value = outcome
        owner_gone = self._owner is not None and not shiboken6.isValid(self._owner)
        if self._discarded or owner_gone:
            if not ok:  # nobody is left to show it, but an error never vanishes
                log.warning("a discarded background task failed: %s", value, exc_info=value)
            return
        try:
            if ok:
                self._on_done(value)
            else:
                self._on_error(value)
        except Exception:
            log.exception("a background task's callback failed")

    @Slot()
    def _on_progress_due(self) -> None:
        if not self.running:
            return
        owner = self._owner
        parent = owner if isinstance(owner, QWidget) and shiboken6.isValid(owner) else None
        dialog = QProgressDialog(parent)
        dialog.setWindowTitle(parent.windowTitle() if parent is not None else QApplication.applicationName())
        dialog.setLabelText(self._label or "")
        dialog.setCancelButton(None)  # the work cannot be interrupted; closing its window forgets it
        dialog.setRange(0, 0)  # busy: encryption and checks do not report how far they are
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress = dialog
        dialog.show()

    def _close_progress(self) -> None:
        self._timer.stop()
        dialog, self.progress = self.progress, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.close()
            dialog.deleteLater()


class TaskManager(QObject):
    """Create on the GUI thread; `run_on_main` and `run_in_background` may be called from any thread."""

    _closure_posted = Signal(object)  # _Closure, from any thread to the GUI thread

    def __init__(self, parent: QObject | None = None, *,
                 progress_delay_ms: int = PROGRESS_DELAY_MS) -> None:
        super().__init__(parent)
        self.progress_delay_ms = progress_delay_ms
        # Queued even on the GUI thread: a closure never runs inside the code that posted it.
        self._closure_posted.connect(self._on_closure_posted, Qt.ConnectionType.QueuedConnection)

    def run_on_main(self, fn: Callable[[], None], *, owner: QObject | None = None) -> None:
        """Run `fn` soon on the GUI thread (dropped if `owner` is deleted first, or the app quit)."""
        if not shiboken6.isValid(self):
            log.debug("the app is shutting down: dropped %r", fn)
            return
        try:
            self._closure_posted.emit(_Closure(fn, owner))
        except RuntimeError:  # deleted between the check and the emit (shut-down)
            log.debug("the app is shutting down: dropped %r", fn)

    def run_in_background(
        self,
        task: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: OnError | None = None,
        *,
        progress: str | None = None,
        owner: QObject | None = None,
    ) -> BackgroundTask:
        """Run `task` on a worker thread; `on_done(result)` or `on_error(exc)` follow on the GUI thread.

        With `progress`, a busy window with that text appears over `owner` when the task runs for
        more than `progress_delay_ms`. When `owner` is deleted first, the callbacks are dropped.
        Call on the GUI thread.
        """
        job = BackgroundTask(self, task, on_done, on_error or log_error, owner=owner, progress=progress)
        job.start(self.progress_delay_ms)
        return job

    @Slot(object)
    def _on_closure_posted(self, closure: _Closure) -> None:
        if closure.owner is not None and not shiboken6.isValid(closure.owner):
            return  # its window is gone: nothing left to update
        try:
            closure.fn()
        except Exception:
            log.exception("a closure run on the GUI thread failed")
