"""UI tests run real Qt widgets: any Qt warning fails, garbage is collected on the GUI thread."""

from __future__ import annotations

from tests.helpers.qt import collect_on_the_gui_thread, qt_warnings_fail, tasks

__all__ = ["collect_on_the_gui_thread", "qt_warnings_fail", "tasks"]
