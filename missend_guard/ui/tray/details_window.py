"""A server's full reply for a mail that was not delivered: selectable, with Copy."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from missend_guard.core.ports.outbox import OutboxItem


class DetailsWindow(QDialog):
    """The whole error text of one mail (the tray menu shows only its start)."""

    def __init__(self, item: OutboxItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Why the mail was not sent"))
        subject = item.subject or self.tr("(no subject)")
        self.heading = QLabel(self.tr("“%1” to %2").replace("%1", subject)
                              .replace("%2", ", ".join(item.rcpt_tos)))
        self.heading.setWordWrap(True)
        self.text = QPlainTextEdit(item.last_error)
        self.text.setReadOnly(True)  # read-only still selects and copies by mouse and keyboard
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(self.tr("&Copy"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 40, em * 16)

    @Slot()
    def _on_copy_clicked(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.text.toPlainText())
