"""The runtime starts the Outlook bridge only in desktop mode and only while `outlook_bridge` is on."""

from __future__ import annotations

from typing import Any

from missend_guard.core.gate import ApproveAllReviewer
from missend_guard.runtime import services as services_module
from missend_guard.runtime.options import RunOptions
from missend_guard.runtime.services import build_services
from tests.conftest import find_free_port
from tests.helpers.rig import configure, data_paths


class FakeBridge:
    def __init__(self) -> None:
        self.enabled: list[bool] = []
        self.stopped = 0

    def set_enabled(self, enabled: bool) -> None:
        self.enabled.append(enabled)

    def stop(self) -> None:
        self.stopped += 1


def test_bridge_follows_the_setting_and_stops_with_the_app(tmp_path, memory_keyring, monkeypatch,
                                                          smtp_sink):
    built: list[dict[str, Any]] = []
    bridge = FakeBridge()

    def fake_build(gate: Any, audit: Any, **kwargs: Any) -> FakeBridge:
        built.append({"gate": gate, **kwargs})
        return bridge

    monkeypatch.setattr(services_module, "build_outlook_bridge", fake_build)
    paths = data_paths(tmp_path)
    store = configure(paths, upstream_port=smtp_sink.port, outlook_bridge=True)
    events: list[object] = []
    services = build_services(paths, store, reviewer=ApproveAllReviewer(),
                              options=RunOptions(relay_port=find_free_port(), hold_seconds=0),
                              on_outlook_event=events.append)
    assert built
    assert built[0]["gate"] is services.intake.gate
    services.start()
    try:
        assert bridge.enabled == [True]
        services.apply_settings(services.settings.with_changes(outlook_bridge=False))
        assert bridge.enabled == [True, False]
    finally:
        services.stop()
    assert bridge.stopped == 1


def test_headless_runs_build_no_bridge(tmp_path, memory_keyring, monkeypatch, smtp_sink):
    monkeypatch.setattr(services_module, "build_outlook_bridge",
                        lambda *a, **k: (_ for _ in ()).throw(AssertionError("built")))
    paths = data_paths(tmp_path)
    store = configure(paths, upstream_port=smtp_sink.port, outlook_bridge=True)
    services = build_services(paths, store, reviewer=ApproveAllReviewer(),
                              options=RunOptions(relay_port=find_free_port(), hold_seconds=0))
    try:
        assert services.outlook is None
    finally:
        services.store.close()
        services.lock.release()
