"""TaskManager: closures reach the GUI thread, background work reports there, slow work shows progress."""

from __future__ import annotations

import logging
import threading

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, QThread
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from missend_guard.ui.taskman import TaskManager


@pytest.fixture
def tasks(qtbot):
    manager = TaskManager(progress_delay_ms=50)
    yield manager
    manager.deleteLater()


@pytest.fixture
def window(qtbot):
    widget = QWidget()
    widget.setWindowTitle("Owner")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def gui_thread() -> QThread:
    return QApplication.instance().thread()


def job_alive(obj: object) -> bool:
    return bool(shiboken6.isValid(obj))


def busy_windows(owner: QWidget) -> list[QProgressDialog]:
    return [d for d in owner.findChildren(QProgressDialog) if d.isVisible()]


def test_run_on_main_from_a_worker_thread_runs_on_the_gui_thread(qtbot, tasks):
    ran_on: list[QThread] = []
    worker = threading.Thread(target=tasks.run_on_main,
                              args=(lambda: ran_on.append(QThread.currentThread()),))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(ran_on))
    assert ran_on == [gui_thread()]


def test_run_on_main_on_the_gui_thread_runs_later_not_inside_the_caller(qtbot, tasks):
    ran: list[str] = []
    tasks.run_on_main(lambda: ran.append("closure"))
    ran.append("caller")
    qtbot.waitUntil(lambda: len(ran) == 2)
    assert ran == ["caller", "closure"]


def test_a_closure_for_a_deleted_owner_is_dropped(qtbot, tasks):
    owner = QWidget()
    ran: list[bool] = []
    tasks.run_on_main(lambda: ran.append(True), owner=owner)
    shiboken6.delete(owner)  # gone before the closure's turn comes
    marker: list[bool] = []
    tasks.run_on_main(lambda: marker.append(True))
    qtbot.waitUntil(lambda: bool(marker))
    assert ran == []


def test_a_failing_closure_is_logged_and_later_ones_still_run(qtbot, tasks, caplog):
    def broken() -> None:
        raise ValueError("closure bug")

    after: list[bool] = []
    tasks.run_on_main(broken)
    tasks.run_on_main(lambda: after.append(True))
    qtbot.waitUntil(lambda: bool(after))
    assert "closure bug" in caplog.text


def test_run_in_background_runs_the_task_off_and_on_done_on_the_gui_thread(qtbot, tasks):
    task_thread: list[QThread] = []
    done: list[tuple[int, QThread]] = []

    def task() -> int:
        task_thread.append(QThread.currentThread())
        return 42

    tasks.run_in_background(task, lambda result: done.append((result, QThread.currentThread())))
    qtbot.waitUntil(lambda: bool(done))
    assert done == [(42, gui_thread())]
    assert task_thread[0] is not gui_thread()


def test_on_error_gets_the_exception_on_the_gui_thread(qtbot, tasks):
    errors: list[tuple[Exception, QThread]] = []
    done: list[object] = []

    def task() -> None:
        raise OSError("disk full")

    tasks.run_in_background(task, done.append, lambda exc: errors.append((exc, QThread.currentThread())))
    qtbot.waitUntil(lambda: bool(errors))
    exc, thread = errors[0]
    assert isinstance(exc, OSError)
    assert str(exc) == "disk full"
    assert thread is gui_thread()
    assert done == []


def test_without_on_error_the_exception_is_logged_with_its_traceback(qtbot, tasks, caplog):
    finished: list[bool] = []

    def task() -> None:
        raise RuntimeError("our bug")

    with caplog.at_level(logging.ERROR, logger="missend_guard.ui.taskman"):
        tasks.run_in_background(task, lambda _: None)
        tasks.run_in_background(lambda: None, lambda _: finished.append(True))
        qtbot.waitUntil(lambda: "our bug" in caplog.text and bool(finished))
    record = next(r for r in caplog.records if "our bug" in r.getMessage())
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None


def test_a_slow_task_shows_progress_until_it_ends(qtbot, tasks, window):
    release = threading.Event()
    done: list[str] = []
    job = tasks.run_in_background(lambda: release.wait(10) and "ok", done.append,
                                  progress="Encrypting…", owner=window)
    qtbot.waitUntil(lambda: bool(busy_windows(window)))
    dialog = busy_windows(window)[0]
    assert dialog.labelText() == "Encrypting…"
    assert job.running
    release.set()
    qtbot.waitUntil(lambda: done == ["ok"])
    assert busy_windows(window) == []
    assert job.progress is None


class ProgressSpy(QObject):
    """Counts progress windows shown anywhere in the application."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QProgressDialog):
            self.shown += 1
        return False


def test_a_fast_task_shows_no_progress(qtbot):
    tasks = TaskManager()  # the real 300 ms: an instant task must finish well inside it
    spy = ProgressSpy()
    QApplication.instance().installEventFilter(spy)
    try:
        done: list[str] = []
        tasks.run_in_background(lambda: "ok", done.append, progress="Encrypting…")
        qtbot.waitUntil(lambda: done == ["ok"])
        qtbot.wait(2 * tasks.progress_delay_ms)  # past the delay: a forgotten timer would show it
    finally:
        QApplication.instance().removeEventFilter(spy)
        tasks.deleteLater()
    assert spy.shown == 0


def test_the_window_stays_responsive_while_a_task_runs(qtbot, tasks, window):
    release = threading.Event()
    done: list[bool] = []
    tasks.run_in_background(lambda: release.wait(10), done.append, progress="Working…", owner=window)
    with qtbot.waitSignal(window.windowTitleChanged, timeout=2000):
        tasks.run_on_main(lambda: window.setWindowTitle("still alive"))
    assert not done
    release.set()
    qtbot.waitUntil(lambda: done == [True])


def test_a_discarded_task_calls_nothing_and_closes_its_progress(qtbot, tasks, window):
    release = threading.Event()
    called: list[object] = []
    job = tasks.run_in_background(lambda: release.wait(10), called.append, called.append,
                                  progress="Checking…", owner=window)
    qtbot.waitUntil(lambda: bool(busy_windows(window)))
    job.discard()
    assert busy_windows(window) == []
    marker: list[bool] = []
    tasks.run_in_background(lambda: None, lambda _: marker.append(True))
    release.set()
    qtbot.waitUntil(lambda: bool(marker) and not job_alive(job))
    assert called == []


def test_callbacks_for_a_deleted_owner_are_dropped(qtbot, tasks):
    owner = QWidget()
    release = threading.Event()
    called: list[object] = []
    job = tasks.run_in_background(lambda: release.wait(10), called.append, called.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not job_alive(owner))
    release.set()
    qtbot.waitUntil(lambda: not job_alive(job))
    assert called == []
