"""A running Outlook bridge over the fake object model, the real gate and an in-memory audit."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from missend_guard.core.check.context import CheckContext, HistorySnapshot
from missend_guard.core.check.policy import Policy
from missend_guard.core.gate import Gate, GateSettings
from missend_guard.core.ports.review import Reviewer
from missend_guard.transports.outlook.bridge import OutlookBridge, OutlookEvent, OutlookStatus
from missend_guard.transports.outlook.reader import ItemReader
from missend_guard.transports.outlook.sending import ItemSendHandler
from tests.helpers.fake_outlook import FakeCom, FakeOutlook
from tests.helpers.fake_outlook_items import OutlookItem
from tests.helpers.fake_ports import MemoryAudit, MemoryOutbox

INTERNAL = Policy(internal_domains=frozenset({"example.co.jp"}))
NOW = datetime(2025, 4, 1, 9, 30, 0)


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll `condition` (threads only; Qt tests use qtbot.waitUntil)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


class OutlookRig:
    """`with OutlookRig(tmp_path, reviewer) as rig:` a connected bridge; `rig.send(item)` clicks Send."""

    def __init__(self, tmp: Path, reviewer: Reviewer, *, hold: float = 30, policy: Policy = INTERNAL,
                 history: tuple[str, ...] = (), read_timeout: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.outlook = FakeOutlook()
        self.outlook.start()
        self.com = FakeCom(self.outlook)
        self.audit = MemoryAudit()
        self.temp = tmp / "temp"
        self.temp.mkdir()
        context = CheckContext(policy=policy, history=HistorySnapshot.of(history))
        self.gate = Gate(lambda: context, reviewer, MemoryOutbox(audit=self.audit), self.audit,
                         lambda: GateSettings(hold_seconds=hold))
        ids = itertools.count(1)
        handler = ItemSendHandler(
            self.gate, ItemReader(temp_root=self.temp, timeout=read_timeout, clock=clock),
            temp_root=self.temp, now=lambda: NOW, new_id=lambda: f"mg{next(ids):03d}",
        )
        self.events: list[OutlookEvent] = []
        self.history: list[str] = []
        self.bridge = OutlookBridge(lambda: self.com, handler, self.audit,
                                    record_history=self.history.extend, on_event=self.events.append,
                                    reconnect_seconds=0.05, alive_seconds=0.1)

    def __enter__(self) -> OutlookRig:
        self.bridge.start()
        assert wait_until(lambda: self.bridge.status is OutlookStatus.CONNECTED)
        return self

    def __exit__(self, *exc: object) -> None:
        self.bridge.stop()

    def send(self, item: OutlookItem, timeout: float = 20.0) -> bool:
        """The user clicks Send; returns the Cancel value Outlook saw."""
        return self.outlook.user_sends(item).result(timeout)

    def kinds(self) -> list[str]:
        """The kinds of the bridge's events, in order."""
        return [e.kind for e in self.events]

    def decisions(self) -> list[tuple[str, str, str]]:
        """(kind, decision, detail) of each audit event."""
        return [(e.kind, e.decision, e.detail) for e in self.audit.events]

    def temp_files(self) -> list[Any]:
        """Whatever is left under the private temp root (must be nothing)."""
        return list(self.temp.rglob("*"))
