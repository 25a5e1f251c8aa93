"""Settings' *Sent history* page: what counts as known, and *Forget* for an address or a domain."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missend_guard.core.errors import UserError
from missend_guard.core.ports.history import HistoryEntry, RecipientTrust

_SHOWN = 500  # rows listed at once: a long history is found by typing, not by scrolling


class HistoryPage(QWidget):
    """Lists remembered addresses and domains (filtered by the field); *Forget* removes the typed one."""

    def __init__(self, history: RecipientTrust, days_needed: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._history = history
        self._days_needed = days_needed
        self._entries: list[HistoryEntry] | None = None  # read when the page is first shown
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Addresses and domains you have sent to count as known. One you sent to past a look-alike "
            "warning is still flagged until it is trusted. Forget one to have it checked as a "
            "first-time recipient again."
        ))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        line = QHBoxLayout()
        self.field = QLineEdit()
        self.field.setPlaceholderText(self.tr("Address or domain"))
        self.field.setAccessibleName(self.tr("Address or domain"))
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._on_text_changed)
        self.forget_button = QPushButton(self.tr("&Forget"))
        self.forget_button.setAutoDefault(False)
        self.forget_button.setEnabled(False)
        self.forget_button.clicked.connect(self._on_forget_clicked)
        line.addWidget(self.field, 1)
        line.addWidget(self.forget_button)
        layout.addLayout(line)
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._on_current_changed)
        layout.addWidget(self.list, 1)
        self.more = QLabel(self.tr("The first %1 matches are listed; type more to narrow the list.")
                           .replace("%1", str(_SHOWN)))
        self.more.setVisible(False)
        layout.addWidget(self.more)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Read the history the first time the page is shown (not each time Settings opens)."""
        super().showEvent(event)
        if self._entries is None:
            self.reload()

    def reload(self) -> None:
        """Read the history again and list what matches the field."""
        try:
            self._entries = self._history.entries()
        except UserError as exc:
            self._entries = []
            self.status.setText(self.tr("The sent history cannot be read: %1").replace("%1", str(exc)))
        self._fill()

    def describe(self, entry: HistoryEntry) -> str:
        """The entry's line: name — how the checks treat it."""
        if entry.vouched:
            state = self.tr("marked as the right address")
        elif entry.suspect and entry.sent_days < self._days_needed:
            state = (self.tr("still flagged: sent on %1 of %2 days")
                     .replace("%1", str(entry.sent_days)).replace("%2", str(self._days_needed)))
        else:
            state = self.tr("known")
        return f"{entry.name} — {state}"

    def _fill(self) -> None:
        typed = self.field.text().strip().lower()
        matches = [e for e in self._entries or [] if typed in e.name]
        self.list.clear()
        for entry in matches[:_SHOWN]:
            item = QListWidgetItem(self.describe(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry.name)
            self.list.addItem(item)
        self.more.setVisible(len(matches) > _SHOWN)

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        self.forget_button.setEnabled(bool(text.strip()))
        if self._entries is not None:
            self._fill()

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self.field.blockSignals(True)  # keep the list as it is while a row is picked
            self.field.setText(str(current.data(Qt.ItemDataRole.UserRole)))
            self.field.blockSignals(False)
            self.forget_button.setEnabled(True)

    @Slot()
    def _on_forget_clicked(self) -> None:
        name = self.field.text().strip()
        if not name:
            return
        try:
            gone = self._history.forget(name)
        except UserError as exc:
            self.status.setText(self.tr("The sent history could not be changed: %1").replace("%1", str(exc)))
            return
        if not gone:
            self.status.setText(self.tr("%1 is not in the sent history.").replace("%1", name))
            return
        self.status.setText(self.tr("Forgotten: %1. It is checked as a first-time recipient again.")
                            .replace("%1", ", ".join(gone)))
        self.field.clear()
        self.reload()
