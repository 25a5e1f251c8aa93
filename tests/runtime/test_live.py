"""The live context: a new sent history is published once the gate is quiet, never later than a bound."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from missend_guard.core.contacts.book import ContactBook
from missend_guard.runtime.live import LiveSettings
from missend_guard.storage.history import SentHistory
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.settings.store import SettingsStore

NEW = "hanako.sato@abc-trading.co.jp"


@pytest.fixture
def history(tmp_path: Path) -> Iterator[SentHistory]:
    box = SentHistory(DataPaths.resolve(tmp_path / "data", policy_file=tmp_path / "p.json"))
    yield box
    box.close()


def _live(tmp_path: Path, history: SentHistory, *, quiet: float, max_stale: float) -> LiveSettings:
    store = SettingsStore(DataPaths.resolve(tmp_path / "data", policy_file=tmp_path / "p.json"))
    live = LiveSettings(store.load(), (), ContactBook([]), history, None,
                        quiet_seconds=quiet, max_stale_seconds=max_stale)
    live.start()
    return live


def _knows_new(live: LiveSettings) -> bool:
    return live().is_known_address(NEW)


class BusyGate:
    """Takes the context every 10 ms, as a gate checking a stream of mails does."""

    def __init__(self, live: LiveSettings) -> None:
        self.live = live
        self.stop = threading.Event()
        self.seen_new_at: float | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            if self.seen_new_at is None and _knows_new(self.live):
                self.seen_new_at = time.monotonic()
            time.sleep(0.01)

    def __enter__(self) -> BusyGate:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._thread.join()


def _wait_for(predicate, timeout: float = 10.0, every: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


def test_a_new_history_waits_while_the_gate_is_busy_then_is_published(tmp_path, history):
    live = _live(tmp_path, history, quiet=1.0, max_stale=60)
    try:
        with BusyGate(live) as gate:
            history.record([NEW])
            live.refresh_history()
            time.sleep(1.5)  # busy all along: no rebuild competes with the checks
            assert gate.seen_new_at is None
        # Quiet now (looking every 1.5 s is not busy): published.
        assert _wait_for(lambda: _knows_new(live), timeout=15, every=1.5)
    finally:
        live.stop()


def test_a_busy_gate_gets_the_new_history_within_the_bound(tmp_path, history):
    live = _live(tmp_path, history, quiet=60, max_stale=0.3)
    try:
        with BusyGate(live) as gate:
            history.record([NEW])
            started = time.monotonic()
            live.refresh_history()
            assert _wait_for(lambda: gate.seen_new_at is not None)
            assert gate.seen_new_at is not None
            assert gate.seen_new_at - started < 10
    finally:
        live.stop()
