"""A stand-in for the `winreg` module: keys in a dict, the same calls and errors as the real one."""

from __future__ import annotations

from typing import Any

HKEY_LOCAL_MACHINE = "HKLM"
HKEY_CURRENT_USER = "HKCU"
KEY_READ = 0x20019
KEY_SET_VALUE = 0x0002
KEY_WOW64_64KEY = 0x0100
REG_SZ = 1
REG_DWORD = 4
REG_MULTI_SZ = 7


class Key:
    """An open key handle."""

    def __init__(self, store: FakeRegistry, path: tuple[str, str]) -> None:
        self.store = store
        self.path = path

    def __enter__(self) -> Key:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class FakeRegistry:
    """Module-like object: pass it where code expects `winreg`."""

    HKEY_LOCAL_MACHINE = HKEY_LOCAL_MACHINE
    HKEY_CURRENT_USER = HKEY_CURRENT_USER
    KEY_READ = KEY_READ
    KEY_SET_VALUE = KEY_SET_VALUE
    KEY_WOW64_64KEY = KEY_WOW64_64KEY
    REG_SZ = REG_SZ
    REG_DWORD = REG_DWORD
    REG_MULTI_SZ = REG_MULTI_SZ

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], dict[str, tuple[Any, int]]] = {}
        self.opened_with: list[int] = []

    @staticmethod
    def _id(hive: str, path: str) -> tuple[str, str]:
        return hive, path.lower().strip("\\")

    def set(self, hive: str, path: str, name: str, data: Any, kind: int) -> None:
        """Test helper: create the key (and its parents) and set one value."""
        parts = path.split("\\")
        for i in range(1, len(parts) + 1):
            self.keys.setdefault(self._id(hive, "\\".join(parts[:i])), {})
        self.keys[self._id(hive, path)][name] = (data, kind)

    def OpenKey(self, hive: str, path: str, reserved: int = 0, access: int = KEY_READ) -> Key:
        self.opened_with.append(access)
        key = self._id(hive, path)
        if key not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return Key(self, key)

    def CreateKeyEx(self, hive: str, path: str, reserved: int = 0, access: int = KEY_SET_VALUE) -> Key:
        parts = path.split("\\")
        for i in range(1, len(parts) + 1):
            self.keys.setdefault(self._id(hive, "\\".join(parts[:i])), {})
        return Key(self, self._id(hive, path))

    def SetValueEx(self, key: Key, name: str, reserved: int, kind: int, data: Any) -> None:
        self.keys[key.path][name] = (data, kind)

    def DeleteValue(self, key: Key, name: str) -> None:
        if name not in self.keys[key.path]:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del self.keys[key.path][name]

    def QueryValueEx(self, key: Key, name: str) -> tuple[Any, int]:
        if name not in self.keys[key.path]:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return self.keys[key.path][name]

    def _children(self, key: Key) -> list[str]:
        hive, path = key.path
        prefix = path + "\\"
        return sorted({p[len(prefix):].split("\\")[0] for h, p in self.keys
                       if h == hive and p.startswith(prefix)})

    def QueryInfoKey(self, key: Key) -> tuple[int, int, int]:
        return len(self._children(key)), len(self.keys[key.path]), 0

    def EnumValue(self, key: Key, index: int) -> tuple[str, Any, int]:
        name, (data, kind) = list(self.keys[key.path].items())[index]
        return name, data, kind

    def EnumKey(self, key: Key, index: int) -> str:
        return self._children(key)[index]
