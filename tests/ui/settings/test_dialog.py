"""Settings dialog generated from the SETTINGS table; locked keys read-only; accounts; saving."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QCheckBox, QLabel, QPlainTextEdit, QSpinBox

from missend_guard.storage.settings.store import SETTINGS, Account, Settings
from missend_guard.ui.settings.dialog import SettingsDialog
from missend_guard.ui.taskman import TaskManager


class FakeActions:
    def __init__(self) -> None:
        self.passwords: dict[str, str] = {}
        self.tested_on: list[threading.Thread] = []

    def set_password(self, account: str, password: str) -> None:
        self.passwords[account] = password

    def test(self, account, password):
        self.tested_on.append(threading.current_thread())
        return True, f"logged in to {account.host}"


def _dialog(qtbot, settings: Settings, saved: list[Settings], lang: str = "ja") -> SettingsDialog:
    dialog = SettingsDialog(settings, lang, saved.append, FakeActions(), tasks=TaskManager())
    qtbot.addWidget(dialog)
    return dialog


def test_every_setting_has_an_editor_with_its_label(qtbot):
    dialog = _dialog(qtbot, Settings(), [])
    assert set(dialog.editors) == {s.key for s in SETTINGS}
    labels = {w.text() for w in dialog.findChildren(QLabel)}
    assert "送信待機時間（秒）" in labels
    assert isinstance(dialog.editors["quiet_when_safe"], QCheckBox)
    assert isinstance(dialog.editors["hold_seconds"], QSpinBox)
    assert isinstance(dialog.editors["internal_domains"], QPlainTextEdit)


def test_locked_key_is_read_only_with_a_lock(qtbot):
    settings = Settings(admin_locked={"internal_domains": ("example.co.jp",)})
    dialog = _dialog(qtbot, settings, [])
    editor = dialog.editors["internal_domains"]
    assert not editor.isEnabled()
    assert editor.toPlainText() == "example.co.jp"
    assert dialog.findChild(QLabel, "lock-internal_domains") is not None
    assert dialog.findChild(QLabel, "lock-hold_seconds") is None
    assert dialog.editors["hold_seconds"].isEnabled()


def test_save_writes_changed_values_and_reports_errors(qtbot):
    saved: list[Settings] = []
    dialog = _dialog(qtbot, Settings(), saved)
    dialog.editors["hold_seconds"].setValue(30)
    dialog.editors["blocked_domains"].setPlainText("rival.example\n\n XN--ECKWD4C7C.XN--ZCKZAH \n")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert len(saved) == 1
    assert saved[0].get("hold_seconds") == 30
    assert saved[0].get("blocked_domains") == ("rival.example", "ドメイン.テスト")
    assert saved[0].get("quiet_when_safe") is True


def test_save_failure_is_shown_not_raised(qtbot, tasks):
    def failing(_settings):
        raise OSError("disk full")

    dialog = SettingsDialog(Settings(), "en", failing, None, tasks=tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.error_label.text() == "disk full"
    assert dialog.isVisible()


def test_account_dialog_stores_password_through_the_callback(qtbot):
    saved: list[Settings] = []
    dialog = _dialog(qtbot, Settings(accounts=(Account("Old", host="smtp.old.example"),)), saved, "en")
    page = dialog.accounts_page
    page._on_add_clicked()
    from missend_guard.ui.settings.accounts_page import AccountDialog

    account_dialog = page.findChild(AccountDialog)
    form = account_dialog.form
    form.name.setText("社用")
    form.host.setText("smtp.example.co.jp")
    form.username.setText("ken")
    form.password.setText("pässwörd")
    form.from_addresses.setText("ken@example.co.jp")
    account_dialog._on_ok_clicked()
    assert account_dialog.account_actions.passwords == {"社用": "pässwörd"}
    assert [a.name for a in page.accounts()] == ["Old", "社用"]
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert saved[0].account("社用").from_addresses == ("ken@example.co.jp",)


def test_invalid_account_is_explained(qtbot, tasks):
    from missend_guard.ui.settings.accounts_page import AccountDialog

    dialog = AccountDialog(None, FakeActions(), tasks)
    qtbot.addWidget(dialog)
    dialog.form.host.setText("smtp.example.com")
    dialog.form.security.setCurrentIndex(dialog.form.security.findData("none"))
    dialog._on_ok_clicked()
    assert dialog.result_account is None
    assert "localhost" in dialog.status.text()


def test_connection_test_reports_on_gui_thread(qtbot, tasks):
    from missend_guard.ui.settings.accounts_page import AccountDialog

    actions = FakeActions()
    dialog = AccountDialog(None, actions, tasks)
    qtbot.addWidget(dialog)
    dialog.form.host.setText("smtp.example.com")
    reported_on: list[threading.Thread] = []
    dialog.tester.finished.connect(lambda *_: reported_on.append(threading.current_thread()))
    with qtbot.waitSignal(dialog.tester.finished, timeout=5000):
        dialog.test_button.click()
    assert dialog.status.text() == "✔ logged in to smtp.example.com"
    assert actions.tested_on[0] is not threading.main_thread()  # the login never blocks the window
    assert reported_on == [threading.main_thread()]
