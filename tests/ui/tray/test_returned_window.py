"""The Returned list: open in the mail app (or the path when nothing opens it), send again, save as."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from missend_guard.core.ports.outbox import OutboxState
from missend_guard.ui.tray.returned_window import ReturnedFiles, ReturnedWindow
from tests.helpers.fake_ui import FakeQueue


class Files:
    """Records what the window asks the system to open; `opens` says whether anything opens."""

    def __init__(self, queue: FakeQueue, opens: bool | Exception) -> None:
        self.opens = opens
        self.opened: list[Path] = []
        self.revealed: list[Path] = []
        self.files = ReturnedFiles(queue.locate, self.open_file, self.reveal_file)

    def open_file(self, path: Path) -> bool:
        self.opened.append(path)
        if isinstance(self.opens, Exception):
            raise self.opens
        return self.opens

    def reveal_file(self, path: Path) -> bool:
        self.revealed.append(path)
        return False


def _window(qtbot, tmp_path, opens: bool | Exception = True):
    queue = FakeQueue(tmp_path)
    for n, subject in enumerate(("議事録", "見積書の送付")):
        queue.add(f"r{n}", OutboxState.HELD, subject=subject, now=1000.0 + n)
        queue.undo(f"r{n}")
    files = Files(queue, opens)
    sent: list[str] = []
    window = ReturnedWindow(queue, files.files, send_again=sent.append)
    qtbot.addWidget(window)
    window.show()
    return window, queue, files, sent


def test_lists_returned_mail_newest_first_with_recipients(qtbot, tmp_path):
    window, _, _, _ = _window(qtbot, tmp_path)
    rows = [window.list.topLevelItem(i) for i in range(window.list.topLevelItemCount())]
    assert [r.text(0) for r in rows] == ["見積書の送付", "議事録"]
    assert rows[0].text(1) == "a@out.example"
    window.select("r0")
    assert window.selected_id() == "r0"


def test_open_in_mail_app_opens_the_file(qtbot, tmp_path):
    window, _, files, _ = _window(qtbot, tmp_path)
    window.select("r1")
    window.open_button.click()
    assert files.opened == [tmp_path / "r1.eml"]
    assert files.revealed == []
    assert window.notice.isHidden()


@pytest.mark.parametrize("opens", [False, OSError("Unable to detect a launcher")])
def test_when_nothing_opens_it_the_path_is_shown_with_copy(qtbot, tmp_path, opens):
    window, _, files, _ = _window(qtbot, tmp_path, opens)
    assert window.open_in_mail_app("r0") is False
    path = tmp_path / "r0.eml"
    assert files.revealed == [path]  # the folder is tried
    assert window.notice.isVisible()
    assert "No program" in window.notice.text()
    assert window.path.isVisible()
    assert window.path.text() == str(path)
    window.copy_button.click()
    assert QGuiApplication.clipboard().text() == str(path)


def test_send_again_hands_the_mail_over_once(qtbot, tmp_path):
    window, _, _, sent = _window(qtbot, tmp_path)
    window.select("r0")
    window.send_button.click()
    assert sent == ["r0"]
    assert not window.send_button.isEnabled()
    window.sent_again_result("r0", True, "Sent again.")
    window.refresh()
    assert not window.send_button.isEnabled()  # a second click would send it twice
    assert window.notice.text() == "Sent again."
    window.select("r1")
    assert window.send_button.isEnabled()


def test_send_again_refused_lets_the_user_try_again(qtbot, tmp_path):
    window, _, _, _ = _window(qtbot, tmp_path)
    window.select("r1")
    window.send_button.click()
    window.sent_again_result("r1", False, "You cancelled it in the review.")
    assert window.send_button.isEnabled()
    assert "cancelled" in window.notice.text()


def test_save_as_copies_the_file(qtbot, tmp_path):
    window, queue, _, _ = _window(qtbot, tmp_path)
    window.select("r1")
    window.save_button.click()
    dialog = window.save_dialog
    assert dialog.isVisible()
    assert Path(dialog.selectedFiles()[0]).name == "見積書の送付.eml"
    target = tmp_path / "saved" / "copy.eml"
    target.parent.mkdir()
    dialog.fileSelected.emit(str(target))
    assert target.read_bytes() == queue.read("r1")
    assert str(target) in window.notice.text()
    dialog.close()
