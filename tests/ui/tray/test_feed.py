"""TrayFeed: the delivery thread's events, sign-in prompts and notices reach the tray on the GUI thread."""

from __future__ import annotations

import threading

from missend_guard.core.ports.outbox import DeliveryEvent, OutboxItem, OutboxState
from missend_guard.ui.tray.feed import TrayFeed

ITEM = OutboxItem("i1", OutboxState.FAILED, "ken@example.co.jp", ("a@out.example",), "請求書", "<i1@x>",
                  "work", 1000.0, 1010.0, attempts=1, last_error="554 rejected")


def from_worker(target, *args) -> None:
    worker = threading.Thread(target=target, args=args)
    worker.start()
    worker.join()


def test_each_post_from_a_worker_is_emitted_on_the_gui_thread(qtbot, tasks):
    feed = TrayFeed(tasks)
    heard: list[tuple[str, tuple[object, ...], threading.Thread]] = []
    feed.delivery_event.connect(lambda e: heard.append(("event", (e,), threading.current_thread())))
    feed.sign_in_required.connect(lambda *a: heard.append(("sign-in", a, threading.current_thread())))
    feed.notice.connect(lambda *a: heard.append(("notice", a, threading.current_thread())))
    event = DeliveryEvent("failed", ITEM, "554 rejected")
    from_worker(feed.post_delivery_event, event)
    from_worker(feed.post_sign_in_required, "m365", "expired")
    from_worker(feed.notify, "Review withdrawn", "Nothing was sent.")
    assert heard == []  # nothing runs on the worker threads
    qtbot.waitUntil(lambda: len(heard) == 3)
    assert [(kind, args) for kind, args, _ in heard] == [
        ("event", (event,)),
        ("sign-in", ("m365", "expired")),
        ("notice", ("Review withdrawn", "Nothing was sent.", False)),
    ]
    assert {thread for _, _, thread in heard} == {threading.main_thread()}
