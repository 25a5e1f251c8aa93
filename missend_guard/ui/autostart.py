"""Start at login: XDG autostart entry (Linux), LaunchAgent plist (macOS), Run registry value (Windows)."""

from __future__ import annotations

import contextlib
import os
import plistlib
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

APP_ID = "MissendGuard"
_LAUNCH_AGENT = "jp.missend-guard.agent"


def launch_command() -> list[str]:
    """How to start the app as the user does now (a frozen binary, or this Python with -m)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "run"]
    return [sys.executable, "-m", "missend_guard", "run"]


def _xdg_file(config_home: Path | None) -> Path:
    base = config_home or Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "autostart" / "missend-guard.desktop"


def _plist_file(home: Path | None) -> Path:
    return (home or Path.home()) / "Library" / "LaunchAgents" / f"{_LAUNCH_AGENT}.plist"


def set_start_at_login(
    enabled: bool, command: Sequence[str] | None = None, *, platform: str = sys.platform,
    base: Path | None = None,
) -> Path | None:
    """Create or remove the login item; returns the file written (None on Windows or when removed).

    `base` overrides XDG_CONFIG_HOME (Linux) or the home directory (macOS) for tests.
    """
    cmd = list(command or launch_command())
    if platform == "win32":
        _windows_run_key(enabled, cmd)
        return None
    target = _plist_file(base) if platform == "darwin" else _xdg_file(base)
    if not enabled:
        target.unlink(missing_ok=True)
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    if platform == "darwin":
        data = plistlib.dumps({"Label": _LAUNCH_AGENT, "ProgramArguments": cmd, "RunAtLoad": True})
        target.write_bytes(data)
    else:
        target.write_text(
            "[Desktop Entry]\nType=Application\nName=Missend Guard\n"
            f"Exec={shlex.join(cmd)}\nX-GNOME-Autostart-enabled=true\nTerminal=false\n",
            encoding="utf-8",
        )
    return target


def _windows_run_key(enabled: bool, cmd: list[str]) -> None:
    # mypy checks the Windows branch only for Windows; elsewhere this is never called.
    if sys.platform != "win32":
        raise OSError("the Run registry key exists only on Windows")
    import winreg

    path = r"Software\Microsoft\Windows\CurrentVersion\Run"
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path, 0, winreg.KEY_SET_VALUE) as key:
        if enabled:
            winreg.SetValueEx(key, APP_ID, 0, winreg.REG_SZ, " ".join(f'"{part}"' for part in cmd))
        else:
            with contextlib.suppress(FileNotFoundError):
                winreg.DeleteValue(key, APP_ID)
