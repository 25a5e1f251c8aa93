"""Start at login: HKCU Run key (Windows), LaunchAgent (macOS), XDG autostart entry (Linux)."""

from __future__ import annotations

import importlib
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol
from xml.parsers.expat import ExpatError

from missend_guard.storage.atomic import atomic_write

ENTRY_NAME = "MissendGuard"  # Run value name and .desktop file stem
LAUNCH_AGENT_LABEL = "jp.missendguard.MissendGuard"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
WINDOWED_EXE = "MissendGuard.exe"  # the bundle's console-less twin (packaging/missend_guard.spec)


class AutostartError(Exception):
    """Start at login could not be changed; the message says where and why."""


class AutostartWriter(Protocol):
    """Where one OS keeps its start-at-login entry."""

    location: str

    def write(self, command: Sequence[str]) -> None:
        """Create or replace the entry so that `command` runs at login."""

    def remove(self) -> None:
        """Delete the entry (no error when there is none)."""

    def read(self) -> list[str] | None:
        """The command of the current entry, or None when there is none."""


def launch_command(*, frozen: bool | None = None, executable: str | None = None,
                   platform: str | None = None) -> list[str]:
    """What to start at login: the bundle's executable when frozen, else the console script."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    exe = Path(executable or sys.executable)
    platform = platform or sys.platform
    if frozen:
        if platform == "win32":
            windowed = exe.with_name(WINDOWED_EXE)
            # The console twin would open a terminal window at every login.
            if windowed.exists():
                exe = windowed
        return [str(exe), "run"]
    name = "missend-guard.exe" if platform == "win32" else "missend-guard"
    script = exe.with_name(name)  # the venv's bin/ or Scripts\ next to its interpreter
    if script.exists():
        return [str(script), "run"]
    found = shutil.which("missend-guard")
    if found:
        return [found, "run"]
    return [str(exe), "-m", "missend_guard", "run"]


class WindowsRunKey:
    """HKCU\\...\\CurrentVersion\\Run value; `registry` is the winreg module (a fake in tests)."""

    def __init__(self, registry: Any | None = None, value_name: str = ENTRY_NAME) -> None:
        if registry is None:
            registry = importlib.import_module("winreg")  # only exists on Windows
        self._reg = registry
        self._name = value_name
        self.location = f"HKEY_CURRENT_USER\\{RUN_KEY}\\{value_name}"

    def write(self, command: Sequence[str]) -> None:
        """Set the Run value to the quoted command line."""
        reg = self._reg
        with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
            reg.SetValueEx(key, self._name, 0, reg.REG_SZ, subprocess.list2cmdline(list(command)))

    def remove(self) -> None:
        """Delete the Run value if present."""
        reg = self._reg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
                reg.DeleteValue(key, self._name)
        except FileNotFoundError:
            return

    def read(self) -> list[str] | None:
        """The Run value split back into arguments, or None."""
        reg = self._reg
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_READ) as key:
                value, _kind = reg.QueryValueEx(key, self._name)
        except FileNotFoundError:
            return None
        return _split_windows(str(value))


def _split_windows(line: str) -> list[str]:
    """Split a command line written by list2cmdline (quotes around arguments with spaces)."""
    args: list[str] = []
    current: list[str] = []
    quoted = in_arg = False
    for char in line:
        if char == '"':
            quoted = not quoted
            in_arg = True
        elif char in " \t" and not quoted:
            if in_arg:
                args.append("".join(current))
                current, in_arg = [], False
        else:
            current.append(char)
            in_arg = True
    if in_arg:
        args.append("".join(current))
    return args


class MacLaunchAgent:
    """~/Library/LaunchAgents/<label>.plist, loaded by launchd at the next login."""

    def __init__(self, directory: Path | None = None, label: str = LAUNCH_AGENT_LABEL) -> None:
        self.directory = directory or Path.home() / "Library" / "LaunchAgents"
        self.label = label
        self.path = self.directory / f"{label}.plist"
        self.location = str(self.path)

    def write(self, command: Sequence[str]) -> None:
        """Write the agent plist (RunAtLoad, GUI sessions only, no restart after Quit)."""
        agent = {
            "Label": self.label,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "KeepAlive": False,  # Quit in the menu must stay quit until the next login
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
        _write_file(self.path, plistlib.dumps(agent))

    def remove(self) -> None:
        """Delete the plist if present."""
        _remove_file(self.path)

    def read(self) -> list[str] | None:
        """ProgramArguments of the current plist, or None (also for an unreadable one)."""
        try:
            agent = plistlib.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, plistlib.InvalidFileException, ValueError, ExpatError):
            return []  # present but unusable: enabled in name, `enable()` rewrites it
        args = agent.get("ProgramArguments") if isinstance(agent, dict) else None
        return [str(a) for a in args] if isinstance(args, list) else []


class XdgAutostart:
    """~/.config/autostart/MissendGuard.desktop (freedesktop Desktop Application Autostart)."""

    def __init__(self, directory: Path | None = None, name: str = ENTRY_NAME) -> None:
        if directory is None:
            import platformdirs

            directory = Path(platformdirs.user_config_dir()) / "autostart"
        self.directory = directory
        self.path = directory / f"{name}.desktop"
        self.location = str(self.path)

    def write(self, command: Sequence[str]) -> None:
        """Write the .desktop entry."""
        exec_line = " ".join(_desktop_quote(arg) for arg in command)
        text = (
            "[Desktop Entry]\n"
            "Type=Application\n"
            "Name=Missend Guard\n"
            "Name[ja]=Missend Guard（誤送信防止）\n"
            "Comment=Checks every mail before it leaves\n"
            "Comment[ja]=送信前にすべてのメールを確認します\n"
            f"Exec={exec_line}\n"
            "Icon=missend-guard\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n"
        )
        _write_file(self.path, text.encode("utf-8"))

    def remove(self) -> None:
        """Delete the entry if present."""
        _remove_file(self.path)

    def read(self) -> list[str] | None:
        """The Exec arguments, or None when there is no entry or it is switched off (Hidden=true)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            return []
        fields = dict(
            line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#")
        )
        if fields.get("Hidden", "").strip().lower() == "true":
            return None
        return _desktop_split(fields.get("Exec", ""))


_DESKTOP_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def _desktop_quote(arg: str) -> str:
    """Quote one Exec argument per the Desktop Entry spec (and double % for field codes)."""
    arg = arg.replace("%", "%%")
    if arg and not (set(arg) & _DESKTOP_RESERVED):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def _desktop_split(line: str) -> list[str]:
    """Inverse of `_desktop_quote` over a whole Exec line."""
    args: list[str] = []
    current: list[str] = []
    quoted = escaped = in_arg = False
    for char in line.strip():
        if escaped:
            current.append(char)
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
            in_arg = True
        elif char == " " and not quoted:
            if in_arg:
                args.append("".join(current))
                current, in_arg = [], False
        else:
            current.append(char)
            in_arg = True
    if in_arg:
        args.append("".join(current))
    return [a.replace("%%", "%") for a in args]


def _write_file(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError as exc:
        raise AutostartError(f"Could not write {path}: {exc.strerror or exc}.") from exc


def _remove_file(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise AutostartError(f"Could not remove {path}: {exc.strerror or exc}.") from exc


def default_writer(platform: str | None = None) -> AutostartWriter:
    """The writer for this OS."""
    platform = platform or sys.platform
    if platform == "win32":
        return WindowsRunKey()
    if platform == "darwin":
        return MacLaunchAgent()
    return XdgAutostart()


class Autostart:
    """enable() / disable() / is_enabled() over one OS writer and one launch command."""

    def __init__(self, writer: AutostartWriter | None = None,
                 command: Sequence[str] | None = None) -> None:
        self.writer = writer if writer is not None else default_writer()
        self.command = list(command) if command is not None else launch_command()

    def enable(self) -> None:
        """Start at login from now on (rewrites a stale entry, e.g. after the app moved)."""
        try:
            self.writer.write(self.command)
        except OSError as exc:  # registry errors are OSErrors too
            raise AutostartError(
                f"Could not turn on start at login ({self.writer.location}): {exc}"
            ) from exc

    def disable(self) -> None:
        """Stop starting at login."""
        try:
            self.writer.remove()
        except OSError as exc:
            raise AutostartError(
                f"Could not turn off start at login ({self.writer.location}): {exc}"
            ) from exc

    def is_enabled(self) -> bool:
        """True when an entry exists (whatever it points at)."""
        try:
            return self.writer.read() is not None
        except OSError:
            return False

    def is_current(self) -> bool:
        """True when the entry exists and starts this installation's command."""
        try:
            return self.writer.read() == self.command
        except OSError:
            return False

    def apply(self, wanted: bool) -> None:
        """Make the OS entry match the `start_at_login` setting."""
        if wanted and not self.is_current():
            self.enable()
        elif not wanted and self.is_enabled():
            self.disable()
