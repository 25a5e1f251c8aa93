"""Qt tests run offscreen; any Qt warning fails the test that caused it."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from missend_guard.ui.taskman import TaskManager

_FAILING = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
# The offscreen platform itself says it lacks window-manager features; that is the test platform, not us.
_PLATFORM_NOISE = ("This plugin does not support",)


@pytest.fixture(autouse=True)
def qt_warnings_fail() -> Iterator[list[str]]:
    """Collect Qt warnings during the test and fail it when there were any."""
    messages: list[str] = []

    def handler(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
        if kind in _FAILING and not text.startswith(_PLATFORM_NOISE):
            messages.append(text)

    previous = qInstallMessageHandler(handler)
    yield messages
    qInstallMessageHandler(previous)
    assert not messages, f"Qt warnings: {messages}"


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread() -> Iterator[None]:
    """As in the desktop app: no cyclic collection on relay threads while Qt objects live.

    A collection that a relay thread triggers could free an earlier test's dialog there, and Qt
    objects destroyed off the GUI thread deadlock PySide (see missend_guard/desktop/collector.py).
    """
    gc.collect()
    gc.disable()
    yield
    gc.enable()
    gc.collect()


@pytest.fixture
def tasks(qtbot: object) -> Iterator[TaskManager]:
    """The task runner, as desktop.main creates it on the GUI thread."""
    manager = TaskManager()
    yield manager
    shiboken6.delete(manager)  # like quitting: late closures from worker threads are dropped
