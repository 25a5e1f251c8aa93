"""Desktop tests run real Qt objects: the same fixtures as the UI tests."""

from __future__ import annotations

from tests.helpers.qt import collect_on_the_gui_thread, qt_warnings_fail, tasks

__all__ = ["collect_on_the_gui_thread", "qt_warnings_fail", "tasks"]
