"""The Microsoft 365 sign-in dialog and worker: code from another thread, Copy, Cancel, success, failure."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication, QUrl, Slot
from PySide6.QtGui import QGuiApplication

from missend_guard.ui.i18n import install_translators
from missend_guard.ui.wizard.signin_dialog import DeviceCodeDialog, ShowDeviceCode, SignInSession

CODE = "ABCD-EFGH"
URI = "https://microsoft.com/devicelogin"
TEXT = f"To sign in, open {URI} and enter {CODE}."


class RecordingDialog(DeviceCodeDialog):
    """Notes on which thread the code arrived."""

    @Slot(str, str, str)
    def _on_code_posted(self, code: str, uri: str, message: str) -> None:
        self.slot_threads = [*getattr(self, "slot_threads", []), threading.current_thread()]
        super()._on_code_posted(code, uri, message)


@pytest.fixture
def clipboard(qapp):
    board = QGuiApplication.clipboard()
    board.clear()
    yield board
    board.clear()


def shown_dialog(qtbot, opened: list[QUrl] | None = None) -> RecordingDialog:
    def open_url(url: QUrl) -> bool:
        (opened if opened is not None else []).append(url)
        return True

    dialog = RecordingDialog("m365", threading.Event(), open_url=open_url)
    qtbot.addWidget(dialog)
    dialog.begin(browser=True)
    qtbot.waitExposed(dialog)
    return dialog


def post_from_worker(dialog: DeviceCodeDialog) -> None:
    worker = threading.Thread(target=dialog.post_code, args=(CODE, URI, TEXT))
    worker.start()
    worker.join()


def test_code_posted_on_a_worker_thread_is_shown_by_the_gui_thread(qtbot):
    opened: list[QUrl] = []
    dialog = shown_dialog(qtbot, opened)
    assert not dialog.code_label.isVisible()  # waiting for the browser: no code yet
    assert dialog.use_code_button.isVisible()
    post_from_worker(dialog)
    qtbot.waitUntil(lambda: dialog.code_label.text() == CODE, timeout=5000)
    assert dialog.slot_threads == [threading.main_thread()]
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
    post_from_worker(dialog)
    qtbot.waitUntil(dialog.copy_button.isVisible, timeout=5000)
    dialog.copy_button.click()
    assert clipboard.text() == CODE
    assert dialog.copy_button.text() == "Copied"


def test_cancel_sets_the_event_and_a_late_code_is_ignored(qtbot):
    dialog = shown_dialog(qtbot)
    post_from_worker(dialog)
    qtbot.waitUntil(lambda: dialog.state == "code", timeout=5000)
    dialog.cancel_button.click()
    assert dialog.cancelled.is_set()
    assert not dialog.isVisible()
    dialog.post_code("ZZZZ-ZZZZ", URI, TEXT)
    QCoreApplication.processEvents()
    assert dialog.code_label.text() == CODE


def test_a_non_web_address_is_shown_but_not_a_link(qtbot):
    dialog = shown_dialog(qtbot)
    dialog.post_code(CODE, "javascript:alert(1)<b>", TEXT)
    qtbot.waitUntil(lambda: dialog.state == "code", timeout=5000)
    assert "href" not in dialog.url_label.text()
    assert "&lt;b>" in dialog.url_label.text()


def run_session(qtbot, sign_in, *, browser: bool = False) -> SignInSession:
    session = SignInSession("m365", sign_in)
    qtbot.addWidget(session.dialog)
    with qtbot.waitSignal(session.finished, timeout=10000):
        session.start(browser=browser)
    return session


def test_session_shows_the_code_then_success(qtbot):
    seen: list[tuple[bool, threading.Thread]] = []

    def sign_in(show: ShowDeviceCode, browser: bool, cancelled: threading.Event) -> str:
        seen.append((browser, threading.current_thread()))
        show(CODE, URI, TEXT)
        return "ken.yamamoto@example.co.jp"

    session = run_session(qtbot, sign_in)
    assert seen[0][0] is False
    assert seen[0][1] is not threading.main_thread()
    assert session.result == (True, "ken.yamamoto@example.co.jp")
    assert session.dialog.state == "done"
    assert "Signed in as ken.yamamoto@example.co.jp" in session.dialog.status_label.text()
    assert session.dialog.close_button.isVisible()
    assert not session.dialog.cancel_button.isVisible()


def test_session_failure_is_shown_with_the_reason(qtbot):
    def sign_in(show: ShowDeviceCode, browser: bool, cancelled: threading.Event) -> str:
        raise RuntimeError("Microsoft refused the device sign-in: AADSTS7000218 public client flows off")

    session = run_session(qtbot, sign_in)
    assert session.result is not None
    assert session.result[0] is False
    assert session.dialog.state == "failed"
    assert "AADSTS7000218" in session.dialog.status_label.text()


def test_use_a_code_instead_while_the_browser_waits(qtbot):
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

    session = SignInSession("m365", sign_in)
    qtbot.addWidget(session.dialog)
    session.start(browser=True)
    qtbot.waitUntil(lambda: calls == [True], timeout=5000)
    with qtbot.waitSignal(session.finished, timeout=10000):
        session.dialog.use_code_button.click()
    assert calls == [True, False]
    assert session.result == (True, "ken.yamamoto@example.co.jp")
    assert session.dialog.code == CODE


def test_closing_the_dialog_cancels_the_waiting_sign_in(qtbot):
    started = threading.Event()
    stopped: list[bool] = []

    def sign_in(show: ShowDeviceCode, browser: bool, cancelled: threading.Event) -> str:
        show(CODE, URI, TEXT)
        started.set()
        stopped.append(cancelled.wait(10))
        raise RuntimeError("authorization_pending")

    session = SignInSession("m365", sign_in)  # the dialog deletes itself when closed
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
    post_from_worker(dialog)
    qtbot.waitUntil(lambda: dialog.state == "code", timeout=5000)
    assert dialog.copy_button.text() == "コードをコピー(&C)"
    assert dialog.cancel_button.text().startswith("キャンセル")
    dialog.show_success("ken.yamamoto@example.co.jp")
    assert dialog.status_label.text().startswith("✔ ken.yamamoto@example.co.jp としてサインインしました。")
