"""The Microsoft 365 sign-in dialog and session: code from the worker, Copy, Cancel, success, failure."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QGuiApplication

from missend_guard.ui.i18n import install_translators
from missend_guard.ui.wizard.signin_dialog import DeviceCodeDialog, ShowDeviceCode, SignInSession

CODE = "ABCD-EFGH"
URI = "https://microsoft.com/devicelogin"
TEXT = f"To sign in, open {URI} and enter {CODE}."


@pytest.fixture
def clipboard(qapp):
    board = QGuiApplication.clipboard()
    board.clear()
    yield board
    board.clear()


def shown_dialog(qtbot, opened: list[QUrl] | None = None) -> DeviceCodeDialog:
    def open_url(url: QUrl) -> bool:
        (opened if opened is not None else []).append(url)
        return True

    dialog = DeviceCodeDialog("m365", threading.Event(), open_url=open_url)
    qtbot.addWidget(dialog)
    dialog.begin(browser=True)
    qtbot.waitExposed(dialog)
    return dialog


def show_code(dialog: DeviceCodeDialog) -> None:
    dialog.show_code(CODE, URI, TEXT)


def test_the_code_is_shown_with_its_link(qtbot):
    opened: list[QUrl] = []
    dialog = shown_dialog(qtbot, opened)
    assert not dialog.code_label.isVisible()  # waiting for the browser: no code yet
    assert dialog.use_code_button.isVisible()
    show_code(dialog)
    assert dialog.code_label.text() == CODE
    assert dialog.state == "code"
    assert dialog.code_label.isVisible()
    assert dialog.copy_button.isVisible()
    assert not dialog.use_code_button.isVisible()
    assert f'href="{URI}"' in dialog.url_label.text()
    assert "enter this code" in dialog.status_label.text()
    dialog.url_label.linkActivated.emit(URI)  # what a click on the link does
    assert [u.toString() for u in opened] == [URI]


def test_copy_puts_the_code_on_the_clipboard(qtbot, clipboard):
    dialog = shown_dialog(qtbot)
    show_code(dialog)
    assert dialog.copy_button.isVisible()
    dialog.copy_button.click()
    assert clipboard.text() == CODE
    assert dialog.copy_button.text() == "Copied"


def test_cancel_sets_the_event_and_a_late_code_is_ignored(qtbot):
    dialog = shown_dialog(qtbot)
    show_code(dialog)
    assert dialog.state == "code"
    dialog.cancel_button.click()
    assert dialog.cancelled.is_set()
    assert not dialog.isVisible()
    dialog.show_code("ZZZZ-ZZZZ", URI, TEXT)
    assert dialog.code_label.text() == CODE


def test_a_non_web_address_is_shown_but_not_a_link(qtbot):
    dialog = shown_dialog(qtbot)
    dialog.show_code(CODE, "javascript:alert(1)<b>", TEXT)
    assert dialog.state == "code"
    assert "href" not in dialog.url_label.text()
    assert "&lt;b>" in dialog.url_label.text()


def run_session(qtbot, tasks, sign_in, *, browser: bool = False) -> SignInSession:
    session = SignInSession("m365", sign_in, tasks)
    qtbot.addWidget(session.dialog)
    with qtbot.waitSignal(session.finished, timeout=10000):
        session.start(browser=browser)
    return session


def test_a_code_from_the_worker_thread_is_shown_by_the_gui_thread(qtbot, tasks, monkeypatch):
    answer = threading.Event()

    def sign_in(show: ShowDeviceCode, browser: bool, cancelled: threading.Event) -> str:
        show(CODE, URI, TEXT)  # MSAL calls this on the sign-in thread
        answer.wait(10)
        return "ken.yamamoto@example.co.jp"

    session = SignInSession("m365", sign_in, tasks)
    qtbot.addWidget(session.dialog)
    shown_on: list[threading.Thread] = []
    real_show = session.dialog.show_code

    def recording_show(code: str, uri: str, message: str) -> None:
        shown_on.append(threading.current_thread())
        real_show(code, uri, message)

    monkeypatch.setattr(session.dialog, "show_code", recording_show)
    session.start(browser=False)
    qtbot.waitUntil(lambda: session.dialog.code_label.text() == CODE, timeout=5000)
    assert shown_on == [threading.main_thread()]
    assert session.dialog.state == "code"
    with qtbot.waitSignal(session.finished, timeout=5000):
        answer.set()
    assert session.result == (True, "ken.yamamoto@example.co.jp")


def test_session_shows_the_code_then_success(qtbot, tasks):
    seen: list[tuple[bool, threading.Thread]] = []

    def sign_in(show: ShowDeviceCode, browser: bool, cancelled: threading.Event) -> str:
        seen.append((browser, threading.current_thread()))
        show(CODE, URI, TEXT)
        return "ken.yamamoto@example.co.jp"

    session = run_session(qtbot, tasks, sign_in)
    assert seen[0][0] is False
    assert seen[0][1] is not threading.main_thread()
    assert session.result == (True, "ken.yamamoto@example.co.jp")
    assert session.dialog.state == "done"
    assert "Signed in as ken.yamamoto@example.co.jp" in session.dialog.status_label.text()
    assert session.dialog.close_button.isVisible()
    assert not session.dialog.cancel_button.isVisible()


def test_session_failure_is_shown_with_the_reason(qtbot, tasks):
    def sign_in(show: ShowDeviceCode, browser: bool, cancelled: threading.Event) -> str:
        raise RuntimeError("Microsoft refused the device sign-in: AADSTS7000218 public client flows off")

    session = run_session(qtbot, tasks, sign_in)
    assert session.result is not None
    assert session.result[0] is False
    assert session.dialog.state == "failed"
    assert "AADSTS7000218" in session.dialog.status_label.text()


def test_use_a_code_instead_while_the_browser_waits(qtbot, tasks):
    calls: list[bool] = []
    browser_stopped = threading.Event()

    def sign_in(show: ShowDeviceCode, browser: bool, cancelled: threading.Event) -> str:
        calls.append(browser)
        if browser:  # like MSAL with no browser: waits, then gives up; its answer must not count
            cancelled.wait(10)
            browser_stopped.set()
            raise RuntimeError("Timeout. No auth response arrived.")
        show(CODE, URI, TEXT)
        browser_stopped.wait(10)  # answer after the stale attempt, which must be ignored
        return "ken.yamamoto@example.co.jp"

    session = SignInSession("m365", sign_in, tasks)
    qtbot.addWidget(session.dialog)
    session.start(browser=True)
    qtbot.waitUntil(lambda: calls == [True], timeout=5000)
    with qtbot.waitSignal(session.finished, timeout=10000):
        session.dialog.use_code_button.click()
    assert calls == [True, False]
    assert session.result == (True, "ken.yamamoto@example.co.jp")
    assert session.dialog.code == CODE


def test_closing_the_dialog_cancels_the_waiting_sign_in(qtbot, tasks):
    started = threading.Event()
    stopped: list[bool] = []

    def sign_in(show: ShowDeviceCode, browser: bool, cancelled: threading.Event) -> str:
        show(CODE, URI, TEXT)
        started.set()
        stopped.append(cancelled.wait(10))
        raise RuntimeError("authorization_pending")

    session = SignInSession("m365", sign_in, tasks)  # the dialog deletes itself when closed
    session.start(browser=False)
    assert started.wait(5)
    with qtbot.waitSignal(session.finished, timeout=5000) as blocker:
        session.dialog.reject()  # Esc or the window's close button
    assert blocker.args == [False, "Sign-in cancelled."]
    qtbot.waitUntil(lambda: stopped == [True], timeout=5000)


@pytest.fixture
def japanese(qapp, tmp_path):
    translators = install_translators(qapp, "ja", tmp_path / "cache")
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def test_japanese_texts(qtbot, japanese):
    dialog = shown_dialog(qtbot)
    assert dialog.windowTitle() == "Microsoft 365 へのサインイン"
    assert "ブラウザー" in dialog.status_label.text()
    show_code(dialog)
    assert dialog.copy_button.text() == "コードをコピー(&C)"
    assert dialog.cancel_button.text().startswith("キャンセル")
    dialog.show_success("ken.yamamoto@example.co.jp")
    assert dialog.status_label.text().startswith("✔ ken.yamamoto@example.co.jp としてサインインしました。")
