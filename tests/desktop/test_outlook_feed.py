"""The Outlook bridge's events on the desktop: the tray's status line, notices, and dialogs in front."""

from __future__ import annotations

import threading
from datetime import datetime

from PySide6.QtWidgets import QDialog

from missend_guard.desktop.outlook import OutlookFeed, ReviewRaiser, bring_to_front
from missend_guard.transports.outlook.bridge import OutlookEvent, OutlookStatus
from missend_guard.transports.outlook.sending import HeldMail


class Notices:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str, bool]] = []

    def __call__(self, title: str, body: str, failed: bool) -> None:
        assert threading.current_thread() is threading.main_thread()
        self.shown.append((title, body, failed))


def _post_from_a_thread(feed: OutlookFeed, event: OutlookEvent) -> None:
    worker = threading.Thread(target=feed.post_event, args=(event,))
    worker.start()
    worker.join()


def test_status_line_follows_the_bridge_in_japanese(qtbot, tasks):
    feed = OutlookFeed(tasks, "ja", Notices())
    assert feed.status_line == "Outlook: 確認していません"
    with qtbot.waitSignal(feed.status_changed, timeout=5000) as signal:
        _post_from_a_thread(feed, OutlookEvent("status", OutlookStatus.CONNECTED))
    assert signal.args == ["Outlook: 接続中"]
    with qtbot.waitSignal(feed.status_changed, timeout=5000) as signal:
        _post_from_a_thread(feed, OutlookEvent("status", OutlookStatus.NOT_RUNNING))
    assert signal.args == ["Outlook: 起動していません"]


def test_held_mail_is_handed_to_the_tray(qtbot, tasks):
    feed = OutlookFeed(tasks, "en", Notices())
    held = HeldMail("mg001", "お見積りの件", "<x@y>", ("a@b.example",), datetime(2025, 4, 1, 9, 30))
    with qtbot.waitSignal(feed.held, timeout=5000) as signal:
        _post_from_a_thread(feed, OutlookEvent("held", subject="お見積りの件", held=held))
    assert signal.args == [held]


def test_notices_for_kept_undone_and_too_late(qtbot, tasks):
    notices = Notices()
    feed = OutlookFeed(tasks, "ja", notices)
    _post_from_a_thread(feed, OutlookEvent("kept", subject="見積", detail="添付ファイルを置き換えられません"))
    _post_from_a_thread(feed, OutlookEvent("undone", subject=""))
    _post_from_a_thread(feed, OutlookEvent("undo-failed", subject="見積", detail="already sent"))
    qtbot.waitUntil(lambda: len(notices.shown) == 3, timeout=5000)
    assert notices.shown == [
        ("送信していません",
         "「見積」は Outlook で開いたままです（添付ファイルを置き換えられません）。", True),
        ("下書きに戻しました",
         "「（件名なし）」は送信されていません。Outlook の下書きから開いてください。", False),
        ("取り消せませんでした", "「見積」はすでに送信されています。", True),
    ]


class User32:
    """The calls bring_to_front makes, recorded; Outlook's window has the focus."""

    def __init__(self, foreground: int = 0x1234) -> None:
        self.foreground = foreground
        self.calls: list[tuple[object, ...]] = []

    def GetForegroundWindow(self) -> int:
        return self.foreground

    def GetWindowThreadProcessId(self, hwnd: int, pid: object) -> int:
        return 77 if hwnd == 0x1234 else 5

    def AttachThreadInput(self, ours: int, theirs: int, attach: bool) -> int:
        self.calls.append(("attach", ours, theirs, attach))
        return 1

    def BringWindowToTop(self, hwnd: int) -> int:
        self.calls.append(("top", hwnd))
        return 1

    def SetForegroundWindow(self, hwnd: int) -> int:
        self.calls.append(("foreground", hwnd))
        self.foreground = hwnd
        return 1


class Kernel32:
    def GetCurrentThreadId(self) -> int:
        return 5


def test_a_dialog_comes_in_front_of_outlook_for_the_moment_of_the_call():
    user32 = User32()
    assert bring_to_front(0x9999, user32, Kernel32())
    assert user32.calls == [("attach", 5, 77, True), ("top", 0x9999), ("foreground", 0x9999),
                            ("attach", 5, 77, False)]
    user32.calls.clear()
    assert bring_to_front(0x9999, user32, Kernel32())  # already in front: nothing to do
    assert user32.calls == []


def test_the_raiser_brings_each_review_dialog_forward(qtbot):
    user32 = User32()
    raiser = ReviewRaiser(user32, Kernel32())
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    raiser.on_dialog_shown(dialog)
    assert ("foreground", int(dialog.winId())) in user32.calls
