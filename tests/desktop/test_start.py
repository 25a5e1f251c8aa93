"""Starting the tray app: a problem that stops it is shown in a window, in the user's language."""

from __future__ import annotations

import argparse
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from missend_guard.core.errors import UserError
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import OutboxItem
from missend_guard.desktop import start
from missend_guard.storage.secrets import KeychainUnavailable
from missend_guard.transports.relay.server import RelayError
from missend_guard.ui.tray.status_window import StatusWindow
from tests.conftest import find_free_port
from tests.helpers.fake_ports import MemoryOutbox
from tests.helpers.rig import configure, data_paths


def _decided(item: OutboxItem) -> AuditEvent:
    return AuditEvent(kind="decision", decision="send", decided_by="user")


def _args(root: Path, port: int) -> argparse.Namespace:
    return argparse.Namespace(data_dir=str(root / "data"), relay_port=port, hold_seconds=0,
                              contacts=[], internal_domain=[], lang="en")


def test_port_taken_by_another_program_is_shown_prominently_and_nothing_starts(
        qapp, tmp_path, memory_keyring):
    configure(data_paths(tmp_path), upstream_port=None)
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", 0))
    squatter.listen()
    port = squatter.getsockname()[1]
    shown: list[UserError] = []
    try:
        with pytest.raises(RelayError):
            start.main(_args(tmp_path, port), on_start_problem=shown.append)
    finally:
        squatter.close()
    [problem] = shown
    heading, text, _ = start.start_problem_text(problem)
    assert heading == "Another program is using the relay port"
    assert f"127.0.0.1:{port}" in text
    assert "relay password" in text
    # Nothing was left running: the data dir can be used by the next start at once.
    from missend_guard.storage.lock import DataDirLock

    lock = DataDirLock(tmp_path / "data")
    lock.acquire()
    lock.release()


@pytest.fixture
def no_keychain():
    """keyring with no usable backend, as on a desktop without gnome-keyring or KWallet."""
    import keyring
    import keyring.backends.fail

    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize(("lang", "heading", "fix"), [
    ("ja", "パスワードを保管するキーチェーンを使用できません", "gnome-keyring"),
    ("en", "No keychain for Missend Guard's passwords", "gnome-keyring"),
])
def test_a_missing_keychain_is_explained_in_the_users_language(  # noqa: PLR0917 (fixtures)
        qapp, tmp_path, no_keychain, monkeypatch, lang, heading, fix):
    monkeypatch.setattr(start.sys, "platform", "linux")
    configure(data_paths(tmp_path), upstream_port=None)
    shown: list[start.StartProblemText] = []
    args = _args(tmp_path, find_free_port())
    args.lang = lang
    with pytest.raises(KeychainUnavailable) as raised:
        # The window is built while the app's translators are in force: read it then.
        start.main(args, on_start_problem=lambda error: shown.append(start.start_problem_text(error)))
    [problem] = shown
    assert problem.heading == heading
    assert fix in problem.text
    assert "KWallet" in problem.text
    assert problem.detail == str(raised.value)  # what keyring said, for whoever helps the user
    assert "PYTHON_KEYRING_BACKEND" in problem.detail
    if lang == "ja":
        assert "もう一度起動してください" in problem.text
    # The run took its translators with it: the test's QApplication speaks English again.
    assert start.start_problem_text(raised.value).heading == "No keychain for Missend Guard's passwords"


@pytest.mark.parametrize(("platform", "words"), [
    ("darwin", "Keychain Access"), ("win32", "Credential Manager"), ("linux", "gnome-keyring"),
])
def test_the_keychain_advice_fits_the_platform(platform, words):
    problem = start.start_problem_text(KeychainUnavailable("No usable keychain was found."), platform)
    assert words in problem.text
    assert problem.detail == "No usable keychain was found."


def test_without_a_system_tray_a_status_window_stands_in_and_quits(
        qapp, tmp_path, memory_keyring, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # start-at-login entry
    configure(data_paths(tmp_path), upstream_port=find_free_port(),
              contacts_files=[str(tmp_path / "gone.vcf")])
    seen: dict[str, object] = {}
    problems: list[UserError] = []

    def look_then_quit() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, StatusWindow)]
        if not windows:
            return  # not shown yet: the timer comes again
        [window] = windows
        if "status" not in seen:
            seen.update(visible=window.isVisible(), status=window.status.text(),
                        notice=window.notice.text(), explanation=window.explanation.text())
            window.close()  # by the user: it comes back (without a tray it would be gone for good)
            return
        poll.stop()
        seen["after_close"] = window.isVisible()
        window.quit_button.click()  # nothing pending: quits at once

    poll = QTimer()
    poll.timeout.connect(look_then_quit)
    poll.start(50)
    QTimer.singleShot(30000, qapp.quit)  # a broken start must fail the test, not hang it
    try:
        code = start.main(_args(tmp_path, find_free_port()), on_start_problem=problems.append,
                          tray_available=False)
    finally:
        poll.stop()
    assert problems == []
    assert code == 0
    assert seen["visible"]
    assert seen["after_close"]
    assert seen["status"] == "Checking every mail"
    assert "no system tray" in str(seen["explanation"])
    assert "gone.vcf" in str(seen["notice"])  # a start problem the tray would have shown


def test_the_status_window_acts_on_the_selected_held_mail_and_keeps_its_place(qtbot):
    clock = [1000.0]
    outbox = MemoryOutbox(lambda: clock[0])
    for n, subject in enumerate(("見積書の件", "議事録", "")):
        outbox.store(b"x", Envelope("ken@example.co.jp", (f"p{n}@abc-trading.co.jp",)), subject=subject,
                     message_id=f"<{n}@x>", account="up", hold_seconds=30, decision=_decided)
    undone: list[str] = []
    sent: list[str] = []
    settings: list[bool] = []

    def undo(item_id: str) -> bool:
        undone.append(item_id)
        outbox.undo(item_id)
        return True

    window = StatusWindow(outbox, undo=undo, send_now=sent.append, quit_app=lambda: None,
                          open_settings=lambda: settings.append(True), clock=lambda: clock[0])
    qtbot.addWidget(window)
    rows = [window.held.item(i).text() for i in range(window.held.count())]
    assert rows == ["見積書の件 — to p0@abc-trading.co.jp — goes out in 30 s",
                    "議事録 — to p1@abc-trading.co.jp — goes out in 30 s",
                    "(no subject) — to p2@abc-trading.co.jp — goes out in 30 s"]
    window.held.setCurrentRow(1)
    first_row = window.held.item(1)
    clock[0] += 12
    window.refresh()  # the countdown moves; the row object and the selection stay
    assert window.held.item(1) is first_row
    assert window.held.item(1).text().endswith("goes out in 18 s")
    assert window.selected_id() == "m0002"
    window.send_button.click()
    assert sent == ["m0002"]
    window.undo_button.click()
    assert undone == ["m0002"]
    assert window.held.count() == 2  # the undone mail left the list
    window.settings_button.click()
    assert settings == [True]
