"""The mails the user took back (Undo): open one in the mail app, send it again, or save a copy."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from missend_guard.core.ports.outbox import Outbox, OutboxItem, OutboxState

log = logging.getLogger(__name__)

_ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class ReturnedFiles:
    """Where a returned mail's file is, and the system's ways to show it (each says if it worked)."""

    locate: Callable[[str], Path]
    open_file: Callable[[Path], bool]  # in the mail app (the .eml association)
    reveal_file: Callable[[Path], bool]  # in the file manager


class ReturnedWindow(QWidget):
    """Lists returned mail; `send_again(id)` hands one back to the check (the desktop runs it)."""

    def __init__(self, outbox: Outbox, files: ReturnedFiles, *, send_again: Callable[[str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._outbox, self._files, self._send_again = outbox, files, send_again
        self.sent_again: set[str] = set()  # this session: a second Send again would send twice
        self.save_dialog: QFileDialog | None = None
        self.setWindowTitle(self.tr("Returned mail"))
        self._init_list()
        self._init_actions()
        self._init_notice()
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.list, 1)
        layout.addLayout(self.action_row)
        layout.addWidget(self.notice)
        layout.addLayout(self.path_row)
        layout.addWidget(self.buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 48, em * 26)
        self.refresh()

    def _init_list(self) -> None:
        self.explanation = QLabel(self.tr(
            "These mails were taken back before they were sent. Open one in your mail app to change "
            "it and send it from there, or send it again as it is: it is checked again first."))
        self.explanation.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setHeaderLabels([self.tr("Subject"), self.tr("Recipients"), self.tr("Confirmed at")])
        self.list.setRootIsDecorated(False)
        self.list.itemSelectionChanged.connect(self._on_selection_changed)
        self.list.itemActivated.connect(self._on_item_activated)

    def _init_actions(self) -> None:
        self.open_button = QPushButton(self.tr("&Open in mail app"))
        self.send_button = QPushButton(self.tr("Send &again…"))
        self.save_button = QPushButton(self.tr("Sa&ve as…"))
        self.open_button.clicked.connect(self._on_open_clicked)
        self.send_button.clicked.connect(self._on_send_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.action_row = QHBoxLayout()
        for button in (self.open_button, self.send_button, self.save_button):
            self.action_row.addWidget(button)
        self.action_row.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.close)

    def _init_notice(self) -> None:
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path = QLineEdit()  # the full path, selectable and copyable by keyboard too
        self.path.setReadOnly(True)
        self.copy_button = QPushButton(self.tr("&Copy path"))
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.path_row = QHBoxLayout()
        self.path_row.addWidget(self.path, 1)
        self.path_row.addWidget(self.copy_button)
        self._show_path(None)

    # --- public ---------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Rows from the outbox, newest first; the selection stays on the same mail."""
        chosen = self.selected_id()
        try:
            items = self._outbox.items((OutboxState.RETURNED,), newest_first=True)
        except Exception:  # a locked or vanished database must not take the window down
            log.exception("could not read the returned mails")
            return
        self.list.clear()
        for item in items:
            row = QTreeWidgetItem([item.subject or self.tr("(no subject)"), ", ".join(item.rcpt_tos),
                                   time.strftime("%Y-%m-%d %H:%M", time.localtime(item.created_at))])
            row.setData(0, _ID_ROLE, item.id)
            self.list.addTopLevelItem(row)
        for column in range(2):
            self.list.resizeColumnToContents(column)
        self.select(chosen or "")
        self._on_selection_changed()

    def select(self, item_id: str) -> None:
        """Put the selection on one mail (the first when it is not listed)."""
        rows = [r for i in range(self.list.topLevelItemCount()) if (r := self.list.topLevelItem(i))]
        row = next((r for r in rows if r.data(0, _ID_ROLE) == item_id), rows[0] if rows else None)
        if row is not None:
            self.list.setCurrentItem(row)

    def selected_id(self) -> str | None:
        """The outbox id of the selected mail."""
        row = self.list.currentItem()
        return str(row.data(0, _ID_ROLE)) if row is not None and row.isSelected() else None

    def open_in_mail_app(self, item_id: str) -> bool:
        """Open the mail's file; when nothing opens it, show the folder and say where it is."""
        self.select(item_id)
        try:
            path = self._files.locate(item_id)
        except Exception as exc:  # noqa: BLE001 (storage errors carry readable text)
            self._say(self.tr("The mail's file could not be found: %1").replace("%1", str(exc)))
            return False
        try:
            opened = self._files.open_file(path)
        except Exception:  # the launcher's own failure is told like any other
            log.exception("could not open %s", path)
            opened = False
        if opened:
            self._show_path(None)
            self._say("")
            return True
        try:
            revealed = self._files.reveal_file(path)
        except Exception:
            log.exception("could not show %s in the file manager", path)
            revealed = False
        text = self.tr("No program on this computer opened the mail file. Open it from your mail "
                       "app (for example File › Open) or double-click it; it is saved here:")
        if revealed:
            text = self.tr("No program on this computer opened the mail file, so its folder was "
                           "opened instead. Double-click the file or open it from your mail app; "
                           "it is saved here:")
        self._say(text)
        self._show_path(path)
        return False

    def sent_again_result(self, item_id: str, ok: bool, text: str) -> None:
        """The outcome of Send again (GUI thread): sent for delivery, or why not."""
        if ok:
            self.sent_again.add(item_id)
        else:
            self.send_button.setEnabled(True)
        self._say(text)

    # --- slots ----------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _show_path(self, path: Path | None) -> None:
        self.path.setText(str(path) if path is not None else "")
        self.path.setVisible(path is not None)
        self.copy_button.setVisible(path is not None)

    @Slot()
    def _on_selection_changed(self) -> None:
        item_id = self.selected_id()
        for button in (self.open_button, self.save_button):
            button.setEnabled(item_id is not None)
        self.send_button.setEnabled(item_id is not None and item_id not in self.sent_again)

    @Slot(QTreeWidgetItem, int)
    def _on_item_activated(self, row: QTreeWidgetItem, column: int) -> None:
        self.open_in_mail_app(str(row.data(0, _ID_ROLE)))

    @Slot()
    def _on_open_clicked(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self.open_in_mail_app(item_id)

    @Slot()
    def _on_send_clicked(self) -> None:
        item_id = self.selected_id()
        if item_id is None:
            return
        self.send_button.setEnabled(False)  # one submission at a time
        self._say(self.tr("Sent to the check again; the review window opens if anything needs a look."))
        self._send_again(item_id)

    @Slot()
    def _on_save_clicked(self) -> None:
        item_id = self.selected_id()
        if item_id is None:
            return
        item = self._outbox.get(item_id)
        name = _file_name(item) if item is not None else f"{item_id}.eml"
        dialog = QFileDialog(self, self.tr("Save the mail as"), str(Path.home() / name),
                             self.tr("Mail files (*.eml)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("eml")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # the same, translated, everywhere
        dialog.setProperty("item_id", item_id)
        dialog.fileSelected.connect(self._on_save_chosen)
        self.save_dialog = dialog
        dialog.open()

    @Slot(str)
    def _on_save_chosen(self, target: str) -> None:
        dialog = self.save_dialog
        item_id = str(dialog.property("item_id")) if dialog is not None else ""
        try:
            shutil.copyfile(self._files.locate(item_id), target)
        except Exception as exc:  # noqa: BLE001 (a full disk or a vanished file: say so)
            self._say(self.tr("The mail could not be saved: %1").replace("%1", str(exc)))
            return
        self._say(self.tr("Saved as %1.").replace("%1", target))

    @Slot()
    def _on_copy_clicked(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.path.text())


def _file_name(item: OutboxItem) -> str:
    """The subject as a file name (characters no file system accepts left out)."""
    name = "".join(c for c in item.subject if c not in '\\/:*?"<>|' and c.isprintable()).strip(" .")
    return f"{name[:80] or item.id}.eml"
