"""Garbage collection runs on the GUI thread only while the desktop runs."""

from __future__ import annotations

import gc
import threading

from missend_guard.desktop.collector import GuiThreadCollector


class _Cycle:
    """An object only the cyclic collector frees; records on which thread that happened."""

    def __init__(self, freed: list[str]) -> None:
        self.me = self
        self.freed = freed

    def __del__(self) -> None:
        self.freed.append(threading.current_thread().name)


def test_collection_is_taken_over_and_given_back(qtbot):
    gc.enable()  # as in a fresh interpreter (the Qt test fixture switches it off)
    collector = GuiThreadCollector(interval_ms=10)
    collector.start()
    assert not gc.isenabled()
    collector.stop()
    assert gc.isenabled()


def test_cycles_are_freed_by_the_timer_on_the_gui_thread_not_by_busy_worker_threads(qtbot):
    collector = GuiThreadCollector(interval_ms=10)
    collector.start()
    try:
        freed: list[str] = []
        _Cycle(freed)
        # a relay thread allocating heavily would trigger a collection there with gc enabled
        kept: list[list[object]] = []
        worker = threading.Thread(target=lambda: kept.extend([] for _ in range(50_000)), name="relay")
        worker.start()
        worker.join()
        assert freed == []  # nothing collected on the worker
        qtbot.waitUntil(lambda: bool(freed), timeout=3000)
        assert freed == [threading.main_thread().name]
    finally:
        collector.stop()
