"""Builds the Outlook bridge for the runtime: on Windows with pywin32, else nothing to build."""

from __future__ import annotations

import importlib.util
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from missend_guard.core.ports.audit import AuditLog
from missend_guard.transports.outlook.bridge import OutlookBridge, OutlookEvent
from missend_guard.transports.outlook.com import ComApi, Win32Com
from missend_guard.transports.outlook.reader import ItemReader
from missend_guard.transports.outlook.sending import ItemGate, ItemSendHandler

log = logging.getLogger(__name__)


def com_available() -> bool:
    """True on Windows with pywin32 installed (classic Outlook can be reached over COM)."""
    return sys.platform == "win32" and importlib.util.find_spec("pythoncom") is not None


def build_outlook_bridge(
    gate: ItemGate, audit: AuditLog, *,
    record_history: Callable[[Iterable[str]], None] | None = None,
    on_event: Callable[[OutlookEvent], None] | None = None,
    com_factory: Callable[[], ComApi] | None = None,
    temp_root: Path | None = None,
) -> OutlookBridge | None:
    """The bridge over `gate` (not started), or None where COM is not available.

    `on_event` runs on the bridge thread; `record_history(addresses)` after Outlook sent a mail.
    Attachments pass through a private folder under `temp_root` (None: the system's temp dir).
    """
    if com_factory is None:
        if not com_available():
            log.info("Outlook bridge unavailable: needs Windows with pywin32")
            return None
        com_factory = Win32Com
    handler = ItemSendHandler(gate, ItemReader(temp_root=temp_root), temp_root=temp_root)
    return OutlookBridge(com_factory, handler, audit, record_history=record_history,
                         on_event=on_event)
