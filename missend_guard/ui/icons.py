"""Tray and window icons: a shield per state, from the package's SVG resources."""

from __future__ import annotations

from importlib import resources
from typing import Literal

from PySide6.QtGui import QIcon

TrayState = Literal["active", "paused", "held", "failing"]
STATES: tuple[TrayState, ...] = ("active", "paused", "held", "failing")


def resource_path(name: str) -> str:
    """Filesystem path of an icon file shipped in the package."""
    return str(resources.files("missend_guard") / "resources" / "icons" / name)


def icon_path(state: TrayState) -> str:
    """Filesystem path of the shield SVG for `state`."""
    return resource_path(f"shield-{state}.svg")


def state_icon(state: TrayState) -> QIcon:
    """The shield icon for `state` (QIcon renders the SVG at every size the platform asks for)."""
    return QIcon(icon_path(state))
