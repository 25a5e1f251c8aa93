"""Tray: unconfirmed mail is shown with Send again and Mark as sent, and announced once."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QMenu

from missend_guard.core.ports.outbox import DeliveryEvent, OutboxItem, OutboxState
from missend_guard.ui.tray.menu import TrayController
from tests.helpers.fake_ui import FakeQueue

UN = OutboxState.UNCERTAIN


@pytest.fixture
def setup(qtbot, tmp_path):
    queue = FakeQueue(tmp_path)
    changed: list[OutboxItem] = []
    tray = TrayController(queue, hold_seconds=10, locate=queue.locate, open_url=lambda url: True,
                          on_changed=changed.append)
    yield tray, queue, changed
    tray.stop()


def unconfirmed(queue: FakeQueue, item_id: str, subject: str = "見積書の送付") -> OutboxItem:
    item = replace(queue.add(item_id, UN, subject=subject, error="no reply after the final dot"),
                   tried_at=1_750_000_000.0)
    queue._items[item_id] = item
    return item


def opened(menu: QMenu) -> list[QMenu]:
    menu.aboutToShow.emit()  # what opening it does
    return [a.menu() for a in menu.actions() if a.menu() is not None]


def texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions()]


def test_the_submenu_shows_only_while_some_mail_is_unconfirmed(setup):
    tray, queue, _ = setup
    tray.refresh()
    assert not tray.unconfirmed.menu.menuAction().isVisible()
    unconfirmed(queue, "u1")
    tray.refresh()
    assert tray.unconfirmed.menu.menuAction().isVisible()
    assert tray.state() == "failing"
    assert tray.status_action.text() == "Unconfirmed mail: please check"


def test_send_again_makes_it_due_and_wakes_delivery(setup):
    tray, queue, changed = setup
    unconfirmed(queue, "u1")
    [sub] = opened(tray.unconfirmed.menu)
    assert sub.title() == "見積書の送付"
    assert texts(sub)[1:] == ["Send &again", "&Mark as sent", "&Show"]
    assert texts(sub)[0].startswith("Handed to the server at ")
    next(a for a in sub.actions() if a.text() == "Send &again").trigger()
    assert queue.calls == [("resend", "u1")]
    assert [(i.id, i.state) for i in changed] == [("u1", OutboxState.RETRY)]
    assert not tray.unconfirmed.menu.menuAction().isVisible()


def test_mark_as_sent_records_it(setup):
    tray, queue, changed = setup
    unconfirmed(queue, "u2")
    [sub] = opened(tray.unconfirmed.menu)
    next(a for a in sub.actions() if a.text() == "&Mark as sent").trigger()
    assert queue.calls == [("mark-sent", "u2")]
    assert queue.get("u2").state is OutboxState.SENT
    assert changed[-1].state is OutboxState.SENT


def test_a_choice_made_elsewhere_meanwhile_is_reported_not_raised(setup):
    tray, queue, changed = setup
    unconfirmed(queue, "u3")
    [sub] = opened(tray.unconfirmed.menu)
    queue.mark_sent_by_user("u3")  # e.g. `outbox mark-sent` from a terminal
    next(a for a in sub.actions() if a.text() == "Send &again").trigger()
    assert tray.last_notification[0] == "Could not send again"
    assert changed == []


def test_the_submenu_is_built_when_opened_not_on_every_refresh(setup):
    tray, queue, _ = setup
    unconfirmed(queue, "u4")
    [sub] = opened(tray.unconfirmed.menu)
    before = tray.unconfirmed.menu.actions()
    for _ in range(3):
        tray.refresh()  # the once-a-second refresh
    assert tray.unconfirmed.menu.actions() == before  # an open submenu stays usable
    assert texts(sub)[1] == "Send &again"


def test_becoming_unconfirmed_is_announced(setup):
    tray, queue, _ = setup
    item = unconfirmed(queue, "u5", subject="議事録")
    tray.show_delivery_event(DeliveryEvent("uncertain", item, item.last_error))
    title, text = tray.last_notification
    assert title == "Was this mail delivered?"
    assert "議事録" in text
    assert "Send again" in text
    assert "Mark as sent" in text
