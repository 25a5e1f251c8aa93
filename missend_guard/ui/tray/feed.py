"""What the tray hears from objects built before it: the delivery thread's events and sign-in prompts,
and notices from the reviewer.

The services need somewhere to report to when they are built, and the tray can only be built after
them (it reads their outbox). The feed is built first; the desktop connects its signals to the tray.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal

from missend_guard.core.ports.outbox import DeliveryEvent
from missend_guard.ui.taskman import TaskManager


class TrayFeed(QObject):
    """Thread-safe entry points; each signal is emitted on the GUI thread (through the task runner)."""

    delivery_event = Signal(object)  # DeliveryEvent
    sign_in_required = Signal(str, str)  # account, reason
    notice = Signal(str, str, bool)  # title, text, failed

    def __init__(self, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks

    def post_delivery_event(self, event: DeliveryEvent) -> None:
        """Any thread (the delivery worker): a mail was sent, will retry, failed or is held."""
        self._tasks.run_on_main(partial(self.delivery_event.emit, event), owner=self)

    def post_sign_in_required(self, account: str, reason: str) -> None:
        """Any thread (the delivery worker): a Microsoft 365 account must sign in again."""
        self._tasks.run_on_main(partial(self.sign_in_required.emit, account, reason), owner=self)

    def notify(self, title: str, text: str, failed: bool = False) -> None:
        """Any thread: a notice for the tray balloon."""
        self._tasks.run_on_main(partial(self.notice.emit, title, text, failed), owner=self)
