"""The tray's Outlook lines: status text, and Undo for mail Outlook still holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtWidgets import QMenu

from missend_guard.ui.tray.outlook_menu import OutlookMenu

NOW = 1_800_000_000.0


@dataclass(frozen=True)
class Held:
    item_id: str
    subject: str
    until: datetime | None


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(NOW + seconds, tz=UTC)


def test_status_line_and_undo_of_a_held_outlook_mail(qtbot):
    menu = QMenu()
    menu.addAction("Settings…")
    undone: list[str] = []
    outlook = OutlookMenu(menu, undone.append, clock=lambda: NOW)
    outlook.set_status("Outlook: connected")
    assert menu.actions()[0].text() == "Outlook: connected"
    assert not outlook.held_menu.menuAction().isVisible()

    outlook.add_held(Held("item-1", "お見積りの件", _at(10)))
    outlook.add_held(Held("item-2", "sent at once", None))
    assert outlook.held_menu.menuAction().isVisible()
    outlook.held_menu.aboutToShow.emit()
    [action] = outlook.held_menu.actions()
    assert "お見積りの件" in action.text()
    assert "10 s" in action.text()
    action.trigger()
    assert undone == ["item-1"]
    assert not outlook.held_menu.menuAction().isVisible()


def test_a_mail_past_its_hold_is_no_longer_offered(qtbot):
    now = [NOW]
    menu = QMenu()  # the tray's menu outlives its Outlook lines
    outlook = OutlookMenu(menu, lambda _id: None, clock=lambda: now[0])
    outlook.add_held(Held("item-1", "late", _at(5)))
    now[0] += 6
    outlook.held_menu.aboutToShow.emit()
    assert outlook.held_menu.actions() == []
