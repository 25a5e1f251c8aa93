"""Python's cyclic garbage collection, run on the GUI thread only.

The relay and delivery threads allocate constantly, so automatic collection would often run on
them. When a collection there frees a Qt object (a closed dialog caught in a reference cycle), Qt
destroys it on the wrong thread; PySide then waits for the GIL inside the destructor and the app
hangs. So automatic collection is switched off and this timer collects on the GUI thread instead,
generation by generation, as often as the interpreter's own thresholds would.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot


class GuiThreadCollector(QObject):
    """Disables automatic `gc` and collects from a GUI-thread timer; `stop()` restores it."""

    def __init__(self, interval_ms: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_tick)

    def start(self) -> None:
        """Take over collection."""
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Collect once more and give collection back to the interpreter."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    @Slot()
    def _on_tick(self) -> None:
        # Same policy as the interpreter: the oldest generation whose count passed its threshold.
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return
