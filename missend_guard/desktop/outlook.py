"""The Outlook bridge on the desktop: its events become the tray's status line and notices, and review
dialogs come to the front over Outlook.

The bridge is built with the services, before the tray: `OutlookFeed` is built first (like TrayFeed)
and its `post_event` given to the bridge; the desktop connects its signals to the tray.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from missend_guard.texts.catalog import text
from missend_guard.transports.outlook.bridge import OutlookEvent, OutlookStatus
from missend_guard.ui.taskman import TaskManager

log = logging.getLogger(__name__)

Notify = Callable[[str, str, bool], None]  # title, text, failed (TrayFeed.notify)


class OutlookFeed(QObject):
    """`post_event` from the bridge thread; the signals fire on the GUI thread."""

    status_changed = Signal(str)  # the tray's line: "Outlook: connected" / "Outlook: not running"
    held = Signal(object)  # transports.outlook.sending.HeldMail: a countdown whose Undo calls bridge.undo

    def __init__(self, tasks: TaskManager, lang: str, notify: Notify, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._lang = lang
        self._notify = notify
        self._status = OutlookStatus.STOPPED

    @property
    def status_line(self) -> str:
        """The status line now (for a tray built after the first status event)."""
        return text(f"outlook.status.{self._status.value}", self._lang)

    def post_event(self, event: OutlookEvent) -> None:
        """Any thread (the bridge's): hand the event to the GUI thread."""
        self._tasks.run_on_main(partial(self._on_event, event), owner=self)

    def _on_event(self, event: OutlookEvent) -> None:
        subject = event.subject or text("outlook.no-subject", self._lang)
        if event.kind == "status":
            self._status = event.status
            self.status_changed.emit(self.status_line)
        elif event.kind == "held":
            self.held.emit(event.held)
        elif event.kind == "kept":
            self._notify(text("outlook.kept.title", self._lang),
                         text("outlook.kept", self._lang, subject=subject, reason=event.detail), True)
        elif event.kind == "undone":
            self._notify(text("outlook.undone.title", self._lang),
                         text("outlook.undone", self._lang, subject=subject), False)
        elif event.kind == "undo-failed":
            body = (text("outlook.undo-too-late", self._lang, subject=subject)
                    if event.detail == "already sent" else
                    text("outlook.undo-failed", self._lang, subject=subject, reason=event.detail))
            self._notify(text("outlook.undo-failed.title", self._lang), body, True)


def bring_to_front(hwnd: int, user32: Any, kernel32: Any) -> bool:
    """Make `hwnd` the foreground window although another process (Outlook) has the focus.

    Windows gives the foreground only to the process the user is working in; attaching our input
    queue to the foreground window's thread for the moment of the call is the documented way round.
    """
    foreground = user32.GetForegroundWindow()
    if foreground == hwnd:
        return True
    theirs = user32.GetWindowThreadProcessId(foreground, None)
    ours = kernel32.GetCurrentThreadId()
    attached = bool(theirs) and theirs != ours and bool(user32.AttachThreadInput(ours, theirs, True))
    try:
        user32.BringWindowToTop(hwnd)
        return bool(user32.SetForegroundWindow(hwnd))
    finally:
        if attached:
            user32.AttachThreadInput(ours, theirs, False)


class ReviewRaiser(QObject):
    """Connect `QtReviewer.dialog_shown` here: each review dialog comes in front of Outlook."""

    def __init__(self, user32: Any = None, kernel32: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if user32 is None and sys.platform == "win32":
            user32, kernel32 = ctypes.windll.user32, ctypes.windll.kernel32
        self._user32, self._kernel32 = user32, kernel32

    @Slot(object)
    def on_dialog_shown(self, dialog: QWidget) -> None:
        """On the GUI thread, right after the dialog opened."""
        if self._user32 is None:
            return  # elsewhere raise_() and activateWindow() suffice
        try:
            bring_to_front(int(dialog.winId()), self._user32, self._kernel32)
        except Exception:  # a dialog behind Outlook is a nuisance, not a reason to fail the review
            log.exception("could not bring the review dialog to the front")
