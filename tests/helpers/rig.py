"""The whole app in-process (build_services) in front of a real upstream sink, on loopback."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from missend_guard.core.ports.outbox import OutboxItem, OutboxState
from missend_guard.core.ports.review import Reviewer
from missend_guard.runtime.options import RunOptions
from missend_guard.runtime.services import Services, build_services
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.settings.store import Account, SettingsStore
from missend_guard.transports.relay import RELAY_USER
from tests.conftest import find_free_port

INTERNAL = "example.co.jp"


def data_paths(root: Path) -> DataPaths:
    """Paths under `root` that ignore any administrator policy on this machine."""
    return DataPaths.resolve(root / "data", policy_file=root / "no-admin-policy.json")


def configure(paths: DataPaths, *, upstream_port: int | None, **values: Any) -> SettingsStore:
    """settings.json with an upstream account (plain, loopback) and the given values."""
    store = SettingsStore(paths)
    settings = store.load().with_changes(internal_domains=[INTERNAL], **values)
    if upstream_port is not None:
        settings = settings.with_accounts((
            Account("up", host="127.0.0.1", port=upstream_port, security="none", default=True),
        ))
    store.save(settings)
    return store


class AppRig:
    """Services started on a free port; `submit` talks SMTP to the relay like a mail client."""

    def __init__(self, root: Path, reviewer: Reviewer, *, upstream_port: int | None,
                 hold: float = 0, **values: Any) -> None:
        self.paths = data_paths(root)
        self.store = configure(self.paths, upstream_port=upstream_port, **values)
        self.events: list[Any] = []
        self.services: Services = build_services(
            self.paths, self.store, reviewer=reviewer,
            options=RunOptions(relay_port=find_free_port(), hold_seconds=hold),
            on_event=self.events.append,
        )
        self.password = self.services.secrets.relay_password()

    @property
    def port(self) -> int:
        return self.services.intake.relay.port

    def __enter__(self) -> AppRig:
        self.services.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.services.stop()

    def client(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP("127.0.0.1", self.port, timeout=60)
        smtp.login(RELAY_USER, self.password)
        return smtp

    def submit(self, raw: bytes, rcpts: list[str], mail_from: str = f"ken@{INTERNAL}") -> None:
        with self.client() as smtp:
            smtp.sendmail(mail_from, rcpts, raw)

    def items(self, *states: OutboxState) -> list[OutboxItem]:
        return self.services.store.outbox.items(states)

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.05)
        return predicate()
