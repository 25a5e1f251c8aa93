"""The hand-off window: Copy, clipboard cleared later (only if still ours), keychain keeper with expiry."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication

from missend_guard.ui.i18n import install_translators
from missend_guard.ui.protect.password_window import ClipboardGuard, Handoff, PasswordKeeper, PasswordWindow

PASSWORD = "Hq4vTz8KmW2pXc7R"
HANDOFF = Handoff("<quote-2024@example.co.jp>", "お見積りの件",
                  ("hanako.sato@abc-trading.co.jp", "ichiro@xyz-bank.co.jp"), ("御見積書.pdf",), PASSWORD)


@pytest.fixture
def clipboard(qapp):
    board = QGuiApplication.clipboard()
    board.clear()
    yield board
    board.clear()


def window(qtbot, clear_after_ms: int = 60_000, lang: str = "en") -> PasswordWindow:
    win = PasswordWindow(HANDOFF, ClipboardGuard(clear_after_ms), lang)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_window_shows_password_recipients_and_is_not_modal(qtbot):
    win = window(qtbot)
    assert win.password_label.text() == PASSWORD
    assert "hanako.sato@abc-trading.co.jp" in win.recipients_label.text()
    assert "ichiro@xyz-bank.co.jp" in win.recipients_label.text()
    assert win.reminder_label.text() == "Tell them the password by phone or chat, not by mail."
    assert not win.isModal()
    assert PASSWORD not in repr(HANDOFF)  # a logged Handoff never shows the password
    win.copy_button.click()
    assert win.status_label.text() == "Copied. The clipboard will be cleared in 60 seconds."
    win.guard.clear_now()


def test_copy_then_cleared_after_the_timer(qtbot, clipboard):
    win = window(qtbot, clear_after_ms=200)
    qtbot.mouseClick(win.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == PASSWORD
    assert win.status_label.text() == "Copied. The clipboard will be cleared in 1 second."
    qtbot.waitUntil(lambda: not win.guard.pending, timeout=5000)
    assert clipboard.text() == ""


def test_not_cleared_when_the_user_copied_something_else(qtbot, clipboard):
    win = window(qtbot, clear_after_ms=200)
    qtbot.mouseClick(win.copy_button, Qt.MouseButton.LeftButton)
    clipboard.setText("佐藤様の電話番号 03-1234-5678")
    qtbot.waitUntil(lambda: not win.guard.pending, timeout=5000)
    assert clipboard.text() == "佐藤様の電話番号 03-1234-5678"


def test_guard_outlives_the_window(qtbot, clipboard):
    guard = ClipboardGuard(200)
    win = PasswordWindow(HANDOFF, guard, "en")
    win.show()
    qtbot.mouseClick(win.copy_button, Qt.MouseButton.LeftButton)
    win.close()
    win.deleteLater()
    qtbot.waitUntil(lambda: not guard.pending, timeout=5000)
    assert clipboard.text() == ""


@pytest.fixture
def japanese(qapp, tmp_path):
    translators = install_translators(qapp, "ja", tmp_path / "cache")
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def test_japanese_reminder(qtbot, japanese):
    win = window(qtbot, lang="ja")
    reminder = "パスワードはメールではなく、電話やチャットなど別の手段でお伝えください。"
    assert win.reminder_label.text() == reminder
    assert win.copy_button.text() == "パスワードをコピー(&C)"
    assert "、" in win.recipients_label.text()


class Keychain:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def put(self, key: str, value: str) -> None:
        self.values[key] = value

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    def delete(self, key: str) -> None:
        self.values.pop(key, None)


def keeper(chain: Keychain, days: float, now: list[float]) -> PasswordKeeper:
    return PasswordKeeper(chain.put, chain.get, chain.delete, lambda: days, clock=lambda: now[0])


def test_keeper_keeps_for_the_configured_days_then_forgets():
    chain, now = Keychain(), [1_000_000.0]
    keep = keeper(chain, 7, now)
    assert keep.keep("<a@x>", PASSWORD)
    stored = json.loads(chain.values["protection:<a@x>"])
    assert stored == {"password": PASSWORD, "expires": 1_000_000.0 + 7 * 86400}
    assert PASSWORD not in chain.values["protection-index"]  # the index holds ids and times only
    now[0] += 6 * 86400
    assert keep.lookup("<a@x>") == PASSWORD
    now[0] += 2 * 86400
    assert keep.lookup("<a@x>") is None
    assert "protection:<a@x>" not in chain.values


def test_keeper_purges_expired_entries_when_keeping_a_new_one_and_forgets_on_undo():
    chain, now = Keychain(), [0.0]
    keep = keeper(chain, 1, now)
    keep.keep("<old@x>", "old-password-1234")
    now[0] = 2 * 86400
    keep.keep("<new@x>", PASSWORD)
    assert "protection:<old@x>" not in chain.values
    keep.forget("<new@x>")
    assert "protection:<new@x>" not in chain.values
    assert json.loads(chain.values["protection-index"]) == {}


def test_keeper_off_at_zero_days():
    chain = Keychain()
    assert not keeper(chain, 0, [0.0]).keep("<a@x>", PASSWORD)
    assert chain.values == {}


def test_keeper_ignores_a_mangled_value():
    chain = Keychain()
    chain.values["protection:<a@x>"] = "not json"
    assert keeper(chain, 7, [0.0]).lookup("<a@x>") is None
