"""The undo countdown: a small, non-modal window that counts down the hold with Undo and Send now."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from missend_guard.core.ports.outbox import OutboxItem

_TICK_MS = 200


class UndoToast(QWidget):
    """Shows "Sending in N s" for one held mail; emits `undo_requested` / `send_now_requested` with its id."""

    undo_requested = Signal(str)
    send_now_requested = Signal(str)

    def __init__(
        self, item: OutboxItem, clock: Callable[[], float] = time.time, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.item = item
        self._clock = clock
        self._total = max(item.hold_until - item.created_at, 0.001)
        self.setWindowTitle(self.tr("Missend Guard"))
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)  # never steal the mail app's focus
        self._init_widgets()
        self._timer = QTimer(self)
        self._timer.setInterval(_TICK_MS)
        self._timer.timeout.connect(self._on_tick)
        self._timer.start()
        self._on_tick()

    def _init_widgets(self) -> None:
        layout = QVBoxLayout(self)
        subject = self.item.subject or self.tr("(no subject)")
        self.subject_label = QLabel(subject)
        self.subject_label.setWordWrap(True)
        self.countdown_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setRange(0, 1000)
        buttons = QDialogButtonBox()
        self.undo_button = buttons.addButton(self.tr("&Undo"), QDialogButtonBox.ButtonRole.RejectRole)
        self.send_now_button = buttons.addButton(
            self.tr("Send &now"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.undo_button.clicked.connect(self._on_undo_clicked)
        self.send_now_button.clicked.connect(self._on_send_now_clicked)
        for widget in (self.subject_label, self.countdown_label, self.progress, buttons):
            layout.addWidget(widget)

    def remaining(self) -> float:
        """Seconds until the mail leaves."""
        return max(self.item.hold_until - self._clock(), 0.0)

    @Slot()
    def _on_tick(self) -> None:
        remaining = self.remaining()
        self.countdown_label.setText(
            self.tr("Sending in %n second(s)", "", math.ceil(remaining))
        )
        self.progress.setValue(int(1000 * remaining / self._total))
        if remaining <= 0:
            self._timer.stop()
            self.close()

    @Slot()
    def _on_undo_clicked(self) -> None:
        self._timer.stop()
        self.undo_requested.emit(self.item.id)
        self.close()

    @Slot()
    def _on_send_now_clicked(self) -> None:
        self._timer.stop()
        self.send_now_requested.emit(self.item.id)
        self.close()

    def show_in_corner(self) -> None:
        """Show at the bottom right of the primary screen, where notifications usually appear."""
        self.adjustSize()
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            margin = self.fontMetrics().height()
            self.move(area.right() - self.width() - margin, area.bottom() - self.height() - margin)
        self.show()
