"""The Returned window in the running app: shown after an undo, and Send again through the gate."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject

from missend_guard.core.gate import Outcome
from missend_guard.core.message.bcc import without_bcc
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.outbox import Outbox
from missend_guard.ui.taskman import TaskManager
from missend_guard.ui.tray.returned_window import ReturnedFiles, ReturnedWindow

log = logging.getLogger(__name__)

Submit = Callable[[bytes, Envelope], Outcome]  # the gate's process: check, review, store


class ReturnedDesk(QObject):
    """One Returned window; Send again runs the gate on a worker thread, as the relay does."""

    def __init__(self, outbox: Outbox, files: ReturnedFiles, *, submit: Submit, tasks: TaskManager,
                 show: Callable[[str, ReturnedWindow], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._outbox, self._files, self._submit, self._tasks = outbox, files, submit, tasks
        self._show = show
        self.window: ReturnedWindow | None = None

    def show_returned(self, item_id: str) -> ReturnedWindow:
        """The list; after an undo ("" from the menu: none) on that mail, opened in the mail app."""
        if self.window is None:
            self.window = ReturnedWindow(self._outbox, self._files, send_again=self.send_again)
        window = self.window
        window.refresh()
        self._show("returned", window)
        if item_id:
            window.open_in_mail_app(item_id)
        return window

    def send_again(self, item_id: str) -> None:
        """Submit the returned copy anew (Bcc only in the envelope): checked, reviewed, held."""
        item = self._outbox.get(item_id)
        if item is None:
            self._result(item_id, Outcome(550, self.tr("This mail is no longer in the list.")))
            return
        raw = without_bcc(self._outbox.read(item_id))  # a Bcc: line would show them to everyone
        envelope = Envelope(item.mail_from, item.rcpt_tos)
        self._tasks.run_in_background(partial(self._submit, raw, envelope), partial(self._result, item_id),
                                      partial(self._failed, item_id), owner=self)

    def _result(self, item_id: str, outcome: Outcome) -> None:
        if self.window is None:
            return
        if outcome.code == 250:
            text = self.tr("Sent again: it waits in the tray like any mail you confirm, and can be "
                           "undone there.")
        elif outcome.code >= 500:
            text = self.tr("Not sent: it was cancelled in the review. It stays in this list.")
        else:
            text = self.tr("Not sent: %1. It stays in this list.").replace("%1", outcome.text)
        self.window.sent_again_result(item_id, outcome.code == 250, text)

    def _failed(self, item_id: str, exc: Exception) -> None:
        log.error("sending %s again failed", item_id, exc_info=exc)
        self._result(item_id, Outcome(451, str(exc)))
