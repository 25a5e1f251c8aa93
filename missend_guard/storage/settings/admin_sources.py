"""Admin policy from the OS: Windows Group Policy (HKLM registry) and macOS managed preferences.

Each source returns `{"defaults": {...}, "locked": {...}}`, the shape of the JSON policy file;
values are converted to JSON-like types from the SETTINGS table and validated by settings.py.
"""

from __future__ import annotations

import getpass
import importlib
import plistlib
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol
from xml.parsers.expat import ExpatError

from missend_guard.storage.settings.schema import SPECS

POLICY_KEY = r"Software\Policies\MissendGuard"  # under HKEY_LOCAL_MACHINE (what GPO writes)
LOCKED_SUBKEY = "Locked"
DEFAULTS_SUBKEY = "Defaults"
MANAGED_DOMAIN = "jp.missendguard.MissendGuard"
MANAGED_ROOT = Path("/Library/Managed Preferences")

PolicyDict = dict[str, dict[str, Any]]


class AdminSourceError(Exception):
    """A policy source exists but cannot be read; the message names it."""


class AdminSource(Protocol):
    """Somewhere an administrator puts policy."""

    name: str

    def load(self) -> PolicyDict:
        """{"defaults": {...}, "locked": {...}}; empty dicts when nothing is set."""


class RegistryReader(Protocol):
    """Reads one key below HKLM: its values (name → data) and its sub-keys' values."""

    def values(self, path: str) -> dict[str, Any] | None:
        """Values of the key at `path` (None when the key does not exist)."""

    def subkeys(self, path: str) -> list[str]:
        """Names of the sub-keys of `path` ([] when none or missing)."""


class WinregReader:
    """RegistryReader over the `winreg` module (a fake module in tests), HKEY_LOCAL_MACHINE."""

    def __init__(self, registry: Any | None = None, *, hive: Any | None = None) -> None:
        if registry is None:
            registry = importlib.import_module("winreg")  # only exists on Windows
        self._reg = registry
        self._hive = hive if hive is not None else registry.HKEY_LOCAL_MACHINE

    def _open(self, path: str) -> Any:
        reg = self._reg
        # KEY_WOW64_64KEY: a 32-bit build must still see the 64-bit policy view GPO writes.
        access = reg.KEY_READ | getattr(reg, "KEY_WOW64_64KEY", 0)
        return reg.OpenKey(self._hive, path, 0, access)

    def values(self, path: str) -> dict[str, Any] | None:
        """Values of the key at `path`."""
        try:
            key = self._open(path)
        except FileNotFoundError:
            return None
        with key:
            _subkeys, count, _modified = self._reg.QueryInfoKey(key)
            found: dict[str, Any] = {}
            for index in range(count):
                name, data, _kind = self._reg.EnumValue(key, index)
                found[str(name)] = data
            return found

    def subkeys(self, path: str) -> list[str]:
        """Sub-key names of `path`."""
        try:
            key = self._open(path)
        except FileNotFoundError:
            return []
        with key:
            count, _values, _modified = self._reg.QueryInfoKey(key)
            return [str(self._reg.EnumKey(key, i)) for i in range(count)]


def from_registry_value(key: str, data: Any) -> Any:
    """Convert registry data (DWORD, REG_SZ, REG_MULTI_SZ, list sub-key) to the setting's type."""
    spec = SPECS.get(key)
    if spec is None:
        return data  # validate() reports the unknown name
    if spec.type == "bool" and isinstance(data, int) and not isinstance(data, bool):
        return data != 0
    if spec.type == "bool" and isinstance(data, str) and data.strip().lower() in _BOOL_TEXT:
        return _BOOL_TEXT[data.strip().lower()]
    if spec.type == "int" and isinstance(data, str) and data.strip().lstrip("-").isdigit():
        return int(data.strip())
    if spec.type == "list[str]" and isinstance(data, str):
        # A hand-written REG_SZ: one entry per line or separated by ";".
        return [part for line in data.splitlines() for part in line.split(";")]
    return data


_BOOL_TEXT = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


class RegistryPolicy:
    """HKLM\\Software\\Policies\\MissendGuard\\{Defaults,Locked}, as the ADMX template writes it."""

    def __init__(self, reader: RegistryReader | None = None, root: str = POLICY_KEY) -> None:
        self._reader = reader if reader is not None else WinregReader()
        self._root = root
        self.name = f"HKEY_LOCAL_MACHINE\\{root}"

    def load(self) -> PolicyDict:
        """Both halves; a list setting may be a REG_MULTI_SZ value or a sub-key of numbered values."""
        try:
            return {
                "defaults": self._read(f"{self._root}\\{DEFAULTS_SUBKEY}"),
                "locked": self._read(f"{self._root}\\{LOCKED_SUBKEY}"),
            }
        except OSError as exc:
            raise AdminSourceError(f"Could not read the registry policy {self.name}: {exc}") from exc

    def _read(self, path: str) -> dict[str, Any]:
        raw = self._reader.values(path) or {}
        result = {name: from_registry_value(name, data) for name, data in raw.items() if name}
        for sub in self._reader.subkeys(path):
            # ADMX <list> elements write "1", "2", ... under a sub-key named after the setting.
            entries = self._reader.values(f"{path}\\{sub}") or {}
            ordered = sorted(entries.items(), key=lambda kv: (not kv[0].isdigit(), _number(kv[0])))
            result[sub] = [str(value) for _name, value in ordered]
        return result


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0


PlistLoader = Callable[[Path], Mapping[str, Any] | None]


def read_plist(path: Path) -> Mapping[str, Any] | None:
    """A plist file's top-level dictionary; None when the file does not exist."""
    try:
        data = plistlib.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, plistlib.InvalidFileException, ValueError, ExpatError) as exc:
        raise AdminSourceError(f"Could not read the managed preferences {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise AdminSourceError(f"The managed preferences {path} do not hold a dictionary.")
    return data


class ManagedPreferences:
    """macOS managed preferences (configuration profile) for the domain jp.missendguard.MissendGuard.

    Keys of a profile are enforced by macOS, so top-level setting keys count as locked; a `Defaults`
    dictionary holds values the user may change and a `Locked` dictionary is accepted as well.
    The per-user file wins over the computer-wide one.
    """

    def __init__(self, loader: PlistLoader = read_plist, root: Path = MANAGED_ROOT,
                 user: str | None = None) -> None:
        self._loader = loader
        self._user = user
        self._root = root
        self.name = f"managed preferences {MANAGED_DOMAIN}"

    def files(self) -> list[Path]:
        """Candidate plists, weakest first (computer-wide, then the user's)."""
        user = self._user if self._user is not None else _login_name()
        paths = [self._root / f"{MANAGED_DOMAIN}.plist"]
        if user:
            paths.append(self._root / user / f"{MANAGED_DOMAIN}.plist")
        return paths

    def load(self) -> PolicyDict:
        """Merged defaults and locked values of every plist present."""
        defaults: dict[str, Any] = {}
        locked: dict[str, Any] = {}
        for path in self.files():
            data = self._loader(path)
            if not data:
                continue
            for name, value in data.items():
                if name.lower() == "defaults" and isinstance(value, Mapping):
                    defaults.update(value)
                elif name.lower() == "locked" and isinstance(value, Mapping):
                    locked.update(value)
                elif name in SPECS:
                    locked[name] = value
                # Anything else is profile bookkeeping (PayloadUUID, ...), not a setting.
        return {"defaults": defaults, "locked": locked}


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return ""


def platform_sources(platform: str | None = None) -> Sequence[AdminSource]:
    """The OS policy sources for this platform (none on Linux: there the JSON file is the way)."""
    platform = platform or sys.platform
    if platform == "win32":
        return (RegistryPolicy(),)
    if platform == "darwin":
        return (ManagedPreferences(),)
    return ()
