"""Tray sub-menus stay put across the once-a-second refresh: actions work at human pace."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from missend_guard.core.ports.outbox import OutboxState
from missend_guard.ui.tray.menu import TrayController
from missend_guard.ui.tray.queue_menus import elide
from tests.helpers.clock import ManualClock
from tests.helpers.fake_ui import FakeQueue


@pytest.fixture
def setup(qtbot, tmp_path):
    queue = FakeQueue(tmp_path)
    clock = ManualClock(1000.0)
    shown: list[str] = []
    opened: list[str] = []
    tray = TrayController(queue, hold_seconds=10, locate=queue.locate, clock=clock,
                          open_url=lambda url: opened.append(url.toLocalFile()) or True,
                          show_returned=shown.append)
    yield tray, queue, clock, shown, opened
    for menu in (tray.held_menu, tray.failed_menu):
        menu.close()
    tray.stop()


def _action(menu, word):
    return next(a for a in menu.actions() if word in a.text())


def _seconds_pass(tray, clock, n=3):
    for _ in range(n):  # the tray's timer fires once a second while the user reads the menu
        clock.now += 1
        tray.refresh()


def test_undo_chosen_by_keyboard_after_several_refreshes_returns_that_mail(qtbot, setup):
    tray, queue, clock, shown, opened = setup
    queue.add("m1", OutboxState.HELD, subject="議事録")
    queue.add("m2", OutboxState.HELD, subject="見積書の送付")
    tray.refresh()
    sub = tray.queue.held.submenu("m2")
    sub.popup(QPoint(10, 10))
    qtbot.waitExposed(sub)
    undo = _action(sub, "Undo")
    sub.setActiveAction(undo)
    _seconds_pass(tray, clock)
    assert sub.title() == "見積書の送付 — 7 s"  # the countdown moves in place
    assert sub.activeAction() is undo
    qtbot.keyClick(sub, Qt.Key.Key_Return)
    assert queue.calls == [("undo", "m2")]
    assert queue.get("m1").state is OutboxState.HELD
    assert shown == ["m2"]  # the returned mail is shown, not just opened
    assert opened == []


def test_send_now_and_retry_clicked_after_several_refreshes(qtbot, setup):
    tray, queue, clock, _, _ = setup
    queue.add("h", OutboxState.HELD)
    queue.add("f", OutboxState.FAILED, error="554 rejected")
    tray.refresh()
    for item_id, word, call in (("h", "now", "release"), ("f", "Retry", "retry")):
        menus = tray.queue.held if item_id == "h" else tray.queue.failed
        sub = menus.submenu(item_id)
        sub.popup(QPoint(10, 10))
        qtbot.waitExposed(sub)
        action = _action(sub, word)
        _seconds_pass(tray, clock)
        qtbot.mouseClick(sub, Qt.MouseButton.LeftButton, pos=sub.actionGeometry(action).center())
        assert queue.calls[-1] == (call, item_id)


def test_a_mail_that_left_loses_its_menu_and_others_keep_theirs(setup):
    tray, queue, _, _, _ = setup
    queue.add("a", OutboxState.HELD)
    queue.add("b", OutboxState.HELD)
    tray.refresh()
    kept = tray.queue.held.submenu("b")
    queue.undo("a")  # from the CLI, say
    tray.refresh()
    assert tray.queue.held.submenu("a") is None
    assert tray.queue.held.submenu("b") is kept
    assert [a.menu() for a in tray.held_menu.actions()] == [kept]


def test_long_server_reply_is_elided_in_the_menu_and_whole_in_details(qtbot, setup):
    tray, queue, _, _, _ = setup
    error = "550 5.7.1 " + "この宛先には送信できません。管理者にお問い合わせください。" * 8
    queue.add("f", OutboxState.FAILED, subject="請求書", error=error)
    tray.refresh()
    sub = tray.queue.failed.submenu("f")
    reason = sub.actions()[0].text()
    assert len(reason) == 80
    assert reason.endswith("…")
    assert error.startswith(reason[:-1])
    _action(sub, "Details").trigger()
    window = tray.details_window
    assert window.text.toPlainText() == error
    assert window.text.isReadOnly()
    window.copy_button.click()
    assert QGuiApplication.clipboard().text() == error
    window.close()


def test_elide_keeps_short_text_and_makes_one_line():
    assert elide("421 try later") == "421 try later"
    assert elide("550 no\r\n  such user") == "550 no such user"
    assert elide("x" * 100, 10) == "x" * 9 + "…"


def test_returned_mail_entry_opens_the_list(setup):
    tray, _, _, shown, _ = setup
    _action(tray.menu, "eturned mail").trigger()
    assert shown == [""]
