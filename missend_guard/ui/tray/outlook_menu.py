"""The tray's Outlook lines: the bridge's status and the mails Outlook holds for the undo window."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu


class HeldInOutlook(Protocol):
    """What the tray needs of a mail Outlook holds (transports.outlook's HeldMail)."""

    @property
    def item_id(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def until(self) -> datetime | None: ...


class OutlookMenu(QObject):
    """A status line ("Outlook: connected") and a sub-menu to undo mail Outlook still holds."""

    def __init__(self, menu: QMenu, undo: Callable[[str], object], *,
                 clock: Callable[[], float] = time.time, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._undo = undo
        self._clock = clock
        first = menu.actions()[0] if menu.actions() else None
        self.status_action = QAction("", menu)
        self.status_action.setEnabled(False)
        self.held_menu = QMenu(self.tr("Held in &Outlook"), menu)
        self.held_menu.aboutToShow.connect(self._on_about_to_show)
        if first is None:
            menu.addAction(self.status_action)
            menu.addMenu(self.held_menu)
        else:
            menu.insertAction(first, self.status_action)
            menu.insertMenu(first, self.held_menu)
        self._held: dict[str, HeldInOutlook] = {}
        self._update_held_menu()

    @Slot(str)
    def set_status(self, line: str) -> None:
        """The bridge's state, as OutlookFeed words it."""
        self.status_action.setText(line)

    @Slot(object)
    def add_held(self, held: HeldInOutlook) -> None:
        """Outlook holds a mail we confirmed until `held.until`."""
        if held.until is None:
            return  # sent at once: nothing to undo
        self._held[held.item_id] = held
        self._update_held_menu()

    def _live(self) -> list[HeldInOutlook]:
        now = self._clock()
        return [h for h in self._held.values() if h.until is not None and h.until.timestamp() > now]

    def _update_held_menu(self) -> None:
        self._held = {h.item_id: h for h in self._live()}
        self.held_menu.menuAction().setVisible(bool(self._held))

    @Slot()
    def _on_about_to_show(self) -> None:
        # Filled when opened, not on a timer: the entries stay put under the user's pointer.
        self.held_menu.clear()
        self._update_held_menu()
        for held in self._held.values():
            assert held.until is not None
            left = max(0, round(held.until.timestamp() - self._clock()))
            title = held.subject or self.tr("(no subject)")
            action = self.held_menu.addAction(
                self.tr("Undo: %1 (%2 s left)").replace("%1", title).replace("%2", str(left)))
            action.setData(held.item_id)
            action.triggered.connect(self._on_undo_triggered)

    @Slot()
    def _on_undo_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            item_id = str(action.data())
            self._held.pop(item_id, None)
            self._undo(item_id)  # the bridge reports the outcome as a notice
            self._update_held_menu()
