"""Without a system tray: a small window with the mail being held (Undo, Send now), Settings and Quit."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missend_guard.core.ports.outbox import Outbox, OutboxItem, OutboxState

log = logging.getLogger(__name__)

_ID_ROLE = Qt.ItemDataRole.UserRole


class StatusWindow(QWidget):
    """Stands in for the tray icon; the actions are the tray's own, given by the desktop."""

    def __init__(
        self,
        outbox: Outbox,
        *,
        undo: Callable[[str], object],
        send_now: Callable[[str], object],
        open_settings: Callable[[], object],
        quit_app: Callable[[], object],
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._outbox = outbox
        self._undo, self._send_now = undo, send_now
        self._open_settings, self._quit = open_settings, quit_app
        self._clock = clock
        self._stopped = False
        self.setWindowTitle(self.tr("Missend Guard"))
        self._init_texts()
        self._init_held()
        self._init_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.explanation)
        layout.addWidget(self.held_label)
        layout.addWidget(self.held, 1)
        layout.addLayout(self.held_buttons)
        layout.addWidget(self.notice)
        layout.addWidget(self.buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 36, em * 24)
        # Once a second for the countdowns; rows change in place, so a selection stays put.
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def _init_texts(self) -> None:
        self.status = QLabel()
        font = self.status.font()
        font.setBold(True)
        self.status.setFont(font)
        self.explanation = QLabel(self.tr(
            "Your desktop has no system tray, so Missend Guard shows this window instead. "
            "Closing it keeps Missend Guard running; use Quit to stop it."))
        self.explanation.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()

    def _init_held(self) -> None:
        self.held_label = QLabel(self.tr("&Mail waiting to be sent:"))
        self.held = QListWidget()
        self.held_label.setBuddy(self.held)
        self.held.itemSelectionChanged.connect(self._on_selection_changed)
        self.undo_button = QPushButton(self.tr("&Undo"))
        self.undo_button.clicked.connect(self._on_undo_clicked)
        self.send_button = QPushButton(self.tr("Send &now"))
        self.send_button.clicked.connect(self._on_send_clicked)
        self.held_buttons = QHBoxLayout()
        self.held_buttons.addWidget(self.undo_button)
        self.held_buttons.addWidget(self.send_button)
        self.held_buttons.addStretch(1)

    def _init_buttons(self) -> None:
        self.buttons = QDialogButtonBox()
        self.settings_button = self.buttons.addButton(self.tr("&Settings…"),
                                                      QDialogButtonBox.ButtonRole.ActionRole)
        self.quit_button = self.buttons.addButton(self.tr("&Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        self.settings_button.clicked.connect(self._on_settings_clicked)
        self.quit_button.clicked.connect(self._on_quit_clicked)

    # --- public ---------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Status line and held mails from the outbox."""
        try:
            held = self._outbox.items((OutboxState.HELD,))
            troubled = self._outbox.items((OutboxState.RETRY, OutboxState.FAILED))
        except Exception:  # a locked or vanished database must not take the window down
            log.exception("could not read the outbox")
            return
        if troubled:
            self.status.setText(self.tr("Delivery problem: %n mail(s) not sent yet", "", len(troubled)))
        elif held:
            self.status.setText(self.tr("Mail waiting to be sent"))
        else:
            self.status.setText(self.tr("Checking every mail"))
        self._fill(held)

    def show_notice(self, title: str, text: str) -> None:
        """What the tray would have shown as a notification."""
        self.notice.setText(f"{title}: {text}" if title else text)
        self.notice.show()

    def selected_id(self) -> str | None:
        """The outbox id of the selected held mail."""
        items = self.held.selectedItems()
        return str(items[0].data(_ID_ROLE)) if items else None

    # --- rows -----------------------------------------------------------------------------------

    def _fill(self, held: Sequence[OutboxItem]) -> None:
        rows = {str(self.held.item(i).data(_ID_ROLE)): self.held.item(i) for i in range(self.held.count())}
        wanted = {item.id for item in held}
        for item_id, row in rows.items():
            if item_id not in wanted:
                self.held.takeItem(self.held.row(row))
        now = self._clock()
        for item in held:
            row = rows.get(item.id) or self._new_row(item.id)
            text = self._row_text(item, now)
            if row.text() != text:
                row.setText(text)
        if self.held.count() and not self.held.selectedItems():
            self.held.setCurrentRow(0)
        self._on_selection_changed()

    def _new_row(self, item_id: str) -> QListWidgetItem:
        row = QListWidgetItem()
        row.setData(_ID_ROLE, item_id)
        self.held.addItem(row)
        return row

    def _row_text(self, item: OutboxItem, now: float) -> str:
        left = math.ceil(max(item.hold_until - now, 0))
        subject = item.subject or self.tr("(no subject)")
        to = ", ".join(item.rcpt_tos[:2]) + (" …" if len(item.rcpt_tos) > 2 else "")
        return self.tr("%1 — to %2 — goes out in %n s", "", left).replace("%1", subject).replace("%2", to)

    # --- slots ----------------------------------------------------------------------------------

    @Slot()
    def _on_selection_changed(self) -> None:
        chosen = self.selected_id() is not None
        self.undo_button.setEnabled(chosen)
        self.send_button.setEnabled(chosen)

    @Slot()
    def _on_undo_clicked(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self._undo(item_id)
            self.refresh()

    @Slot()
    def _on_send_clicked(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self._send_now(item_id)
            self.refresh()

    @Slot()
    def _on_settings_clicked(self) -> None:
        self._open_settings()

    @Slot()
    def _on_quit_clicked(self) -> None:
        self._quit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Closed by the user, it comes back minimised: hidden, the app would run unseen (no tray)."""
        # Accepted, never vetoed: Quit closes every window first and a veto would cancel it.
        event.accept()
        if not self._stopped:
            QTimer.singleShot(0, self._on_closed)

    @Slot()
    def _on_closed(self) -> None:
        if not self._stopped:
            self.showMinimized()

    def stop(self) -> None:
        """Stop the countdown timer and stay closed (shutdown)."""
        self._stopped = True
        self._timer.stop()
