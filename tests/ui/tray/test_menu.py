"""Tray: icon state, held-mail Undo through the queue, toast, quit confirmation, notifications."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from missend_guard.core.ports.outbox import DeliveryEvent, OutboxState
from missend_guard.ui.tray.menu import TrayController
from tests.helpers.clock import ManualClock
from tests.helpers.fake_ui import FakeQueue


@pytest.fixture
def setup(qtbot, tmp_path):
    queue = FakeQueue(tmp_path)
    opened: list[str] = []
    clock = ManualClock(1000.0)
    def open_url(url):
        opened.append(url.toLocalFile())
        return True

    tray = TrayController(queue, hold_seconds=10, locate=queue.locate, clock=clock, open_url=open_url)
    yield tray, queue, opened, clock
    tray.stop()


def test_state_follows_the_queue(setup):
    tray, queue, _, _ = setup
    assert tray.state() == "active"
    tray.set_paused(True)
    assert tray.state() == "paused"
    queue.add("a", OutboxState.HELD)
    assert tray.state() == "held"
    queue.add("b", OutboxState.FAILED, error="550 no such user")
    assert tray.state() == "failing"


def test_held_menu_undo_calls_the_queue_and_opens_the_eml(setup, tmp_path):
    tray, queue, opened, _ = setup
    queue.add("m1", OutboxState.HELD, subject="見積書の送付")
    tray.refresh()
    sub = tray.held_menu.actions()[0].menu()
    assert sub.title() == "見積書の送付 — 10 s"
    undo = next(a for a in sub.actions() if "Undo" in a.text())
    undo.trigger()
    assert queue.calls == [("undo", "m1")]
    assert queue.get("m1").state is OutboxState.RETURNED
    assert opened == [str(tmp_path / "m1.eml")]
    assert not tray.held_menu.isEnabled()


def test_undo_too_late_notifies_and_opens_nothing(setup):
    tray, queue, opened, _ = setup
    queue.add("m2", OutboxState.SENDING)
    assert tray.undo("m2") is False
    assert opened == []
    assert "no longer be changed" in tray.last_notification[1]


def test_newly_held_mail_shows_toast_whose_undo_returns_the_mail(qtbot, setup):
    tray, queue, opened, _ = setup
    queue.add("m3", OutboxState.HELD, hold=10)
    qtbot.waitUntil(lambda: "m3" in tray.toasts, timeout=3000)
    toast = tray.toasts["m3"]
    assert "10" in toast.countdown_label.text()
    toast.undo_button.click()
    assert ("undo", "m3") in queue.calls
    assert len(opened) == 1
    assert "m3" not in tray.toasts


def test_send_now_releases(setup):
    tray, queue, _, _ = setup
    queue.add("m4", OutboxState.HELD)
    tray.refresh()
    sub = tray.held_menu.actions()[0].menu()
    next(a for a in sub.actions() if "now" in a.text()).trigger()
    assert queue.calls == [("release", "m4")]


def test_failed_mail_retry_and_notification(qtbot, setup):
    tray, queue, _, _ = setup
    item = queue.add("f1", OutboxState.FAILED, subject="請求書", error="554 rejected")
    tray.show_delivery_event(DeliveryEvent("failed", item))
    assert "554 rejected" in tray.last_notification[1]
    sub = tray.failed_menu.actions()[0].menu()
    next(a for a in sub.actions() if "Retry" in a.text()).trigger()
    assert queue.calls == [("retry", "f1")]


def test_delivered_after_retry_is_announced(qtbot, setup):
    tray, queue, _, _ = setup
    item = queue.add("s1", OutboxState.SENT, subject="議事録", attempts=3)
    tray.show_delivery_event(DeliveryEvent("sent", item))
    assert "議事録" in tray.last_notification[1]


def test_quit_asks_while_mail_is_held(qtbot, setup):
    tray, queue, _, _ = setup
    queue.add("h", OutboxState.HELD)
    quits: list[bool] = []
    tray.quit_confirmed.connect(lambda: quits.append(True))
    tray.request_quit()
    assert quits == []
    assert tray.quit_box.isVisible()
    tray.quit_box.button(QMessageBox.StandardButton.No).click()
    assert quits == []
    tray.request_quit()
    tray.quit_box.button(QMessageBox.StandardButton.Yes).click()
    assert quits == [True]


def test_quit_at_once_when_nothing_pending(setup):
    tray, _, _, _ = setup
    quits: list[bool] = []
    tray.quit_confirmed.connect(lambda: quits.append(True))
    tray.request_quit()
    assert quits == [True]


def test_pause_and_hold_choices_emit(setup):
    tray, _, _, _ = setup
    paused: list[object] = []
    holds: list[int] = []
    tray.pause_requested.connect(paused.append)
    tray.hold_seconds_chosen.connect(holds.append)
    tray.pause_actions[1].trigger()
    tray.pause_actions[2].trigger()
    assert paused == [3600, None]
    assert tray.state() == "paused"
    tray.hold_actions[30].trigger()
    assert holds == [30]
    assert tray.hold_actions[30].isChecked()
    assert not tray.hold_actions[10].isChecked()


def test_icons_exist_for_every_state():
    from missend_guard.ui.icons import STATES, icon_path

    for state in STATES:
        assert Path(icon_path(state)).read_text().startswith("<svg")


def test_each_change_made_in_the_tray_is_reported_with_the_fresh_item(qtbot, tmp_path):
    queue = FakeQueue(tmp_path)
    changed: list[tuple[str, OutboxState]] = []
    tray = TrayController(queue, hold_seconds=10, locate=queue.locate, open_url=lambda url: True,
                          on_changed=lambda item: changed.append((item.id, item.state)))
    try:
        queue.add("h", OutboxState.HELD)
        queue.add("f", OutboxState.FAILED)
        queue.add("s", OutboxState.SENDING)
        tray.release("h")
        tray.retry("f")
        assert tray.undo("h")
        assert not tray.undo("s")  # refused: nothing to report
        assert changed == [("h", OutboxState.HELD), ("f", OutboxState.RETRY),
                           ("h", OutboxState.RETURNED)]
    finally:
        tray.stop()
