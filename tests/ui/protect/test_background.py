"""Encrypting and the re-check run on workers: progress shows, windows respond, closing forgets them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QWidget

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.policy import Policy
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import parse_message
from missend_guard.core.ports.review import ReviewRequest, Verdict
from missend_guard.texts.findings import protect_error_text
from missend_guard.ui.protect import dialog as protect_module
from missend_guard.ui.protect import protection as step_module
from missend_guard.ui.protect.dialog import ProtectDialog
from missend_guard.ui.protect.protection import Protection
from missend_guard.ui.review.dialog import ReviewDialog
from missend_guard.ui.review.model import build_model
from missend_guard.ui.taskman import TaskManager
from tests.helpers.protected_mail import PARTNER, SENDER, protected_mail


class Gate:
    """Wraps a function so that calls block until `release()`; records the thread each ran on."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self._fn = fn
        self._open = threading.Event()
        self.entered = threading.Event()
        self.threads: list[QThread] = []

    def __call__(self, *args: Any) -> Any:
        self.threads.append(QThread.currentThread())
        self.entered.set()
        assert self._open.wait(10), "the test never released the task"
        return self._fn(*args)

    def release(self) -> None:
        self._open.set()


@pytest.fixture
def slow_protect(monkeypatch) -> Iterator[Gate]:
    gate = Gate(protect_module.protect_message)
    monkeypatch.setattr(protect_module, "protect_message", gate)
    yield gate
    gate.release()


@pytest.fixture
def slow_recheck(monkeypatch) -> Iterator[Gate]:
    gate = Gate(step_module.recheck)
    monkeypatch.setattr(step_module, "recheck", gate)
    yield gate
    gate.release()


def review(qtbot, tasks: TaskManager) -> ReviewDialog:
    ctx = CheckContext(Policy(internal_domains=frozenset({"example.co.jp"})))
    raw = protected_mail()
    message = parse_message(raw, (PARTNER,))
    request = ReviewRequest(message, check(message, ctx), Envelope(SENDER, (PARTNER,)), SENDER, context=ctx)
    dialog = ReviewDialog(build_model(request), "en", protection=Protection(tasks))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def open_protect(qtbot, dialog: ReviewDialog) -> ProtectDialog:
    dialog.protect_buttons[0].click()
    protect = dialog.protect_dialog
    assert protect is not None
    qtbot.waitExposed(protect)
    return protect


def progress_over(window: QWidget) -> list[QProgressDialog]:
    return [d for d in window.findChildren(QProgressDialog) if d.isVisible()]


def visible_progress() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def responsive(qtbot) -> None:
    """A timer started now fires: the GUI thread is not stuck in the work."""
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)


def finished(qtbot, task: object) -> None:
    """Wait until a background task handed its outcome to the GUI thread (and was deleted)."""
    qtbot.waitUntil(lambda: not shiboken6.isValid(task), timeout=10000)


def test_encrypting_runs_on_a_worker_with_progress_and_the_buttons_off(qtbot, tasks, slow_protect):
    dialog = review(qtbot, tasks)
    protect = open_protect(qtbot, dialog)
    protect.apply_button.click()
    assert slow_protect.entered.wait(5)
    assert slow_protect.threads[0] is not QApplication.instance().thread()
    assert protect.busy
    assert not protect.buttons.isEnabled()
    assert not protect.files_box.isEnabled()
    qtbot.waitUntil(lambda: bool(progress_over(protect)))  # past 300 ms: a busy window says why
    responsive(qtbot)
    assert dialog.replacement is None
    slow_protect.release()
    qtbot.waitUntil(lambda: dialog.protect_dialog is None and not dialog.busy, timeout=10000)
    assert visible_progress() == []
    assert "unprotected-attachment" not in dialog.model.request.report.codes()
    assert dialog.replacement is not None


def test_the_recheck_runs_on_a_worker_while_the_review_stays_responsive(qtbot, tasks, slow_recheck):
    dialog = review(qtbot, tasks)
    protect = open_protect(qtbot, dialog)
    protect.apply_button.click()
    qtbot.waitUntil(slow_recheck.entered.is_set, timeout=10000)
    assert slow_recheck.threads[0] is not QApplication.instance().thread()
    qtbot.waitUntil(lambda: dialog.busy and dialog.protect_dialog is None)
    for box in dialog.checkboxes:
        box.setChecked(True)
    assert not dialog.buttons.isEnabled()  # all ticked, yet nothing can be sent before the re-check
    qtbot.waitUntil(lambda: bool(progress_over(dialog)))
    responsive(qtbot)
    assert "unprotected-attachment" in dialog.model.request.report.codes()  # not shown before it is checked
    slow_recheck.release()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.buttons.isEnabled()
    assert progress_over(dialog) == []
    assert "unprotected-attachment" not in dialog.model.request.report.codes()


def test_closing_the_review_while_encrypting_applies_nothing(qtbot, tasks, slow_protect):
    dialog = review(qtbot, tasks)
    protect = open_protect(qtbot, dialog)
    protect.apply_button.click()
    assert slow_protect.entered.wait(5)
    task = protect._task
    dialog.reject()  # e.g. the mail client gave up waiting
    assert not protect.isVisible()
    slow_protect.release()
    finished(qtbot, task)
    responsive(qtbot)
    assert dialog.replacement is None
    assert dialog.protected.notes() == ()
    assert dialog.decision().verdict is Verdict.CANCEL


def test_closing_the_review_while_rechecking_applies_nothing(qtbot, tasks, slow_recheck):
    dialog = review(qtbot, tasks)
    protect = open_protect(qtbot, dialog)
    protect.apply_button.click()
    qtbot.waitUntil(slow_recheck.entered.is_set, timeout=10000)
    qtbot.waitUntil(lambda: dialog.busy)
    task = dialog._protect._task
    dialog.reject()
    assert not dialog.busy
    assert progress_over(dialog) == []
    slow_recheck.release()
    finished(qtbot, task)
    responsive(qtbot)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.replacement is None
    assert dialog.protected.notes() == ()
    assert "unprotected-attachment" in dialog.model.request.report.codes()


def test_a_failing_recheck_keeps_the_mail_as_it_was_and_says_so(qtbot, tasks, monkeypatch):
    def broken(*args: object) -> None:
        raise RuntimeError("checker bug")

    monkeypatch.setattr(step_module, "recheck", broken)
    dialog = review(qtbot, tasks)
    protect = open_protect(qtbot, dialog)
    protect.apply_button.click()
    qtbot.waitUntil(lambda: dialog.protect_dialog is None and not dialog.busy, timeout=10000)
    assert dialog.buttons.isEnabled()
    assert dialog.replacement is None
    assert "unprotected-attachment" in dialog.model.request.report.codes()
    assert dialog.progress_label.text() == protect_error_text("rebuild-failed", "en")
