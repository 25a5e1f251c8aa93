"""Admin policy from the Windows registry and macOS managed preferences, merged with the JSON file."""

from __future__ import annotations

import json
import plistlib
from pathlib import Path
from typing import Any

import pytest

from missend_guard.storage.paths import DataPaths
from missend_guard.storage.settings.admin_sources import (
    AdminSourceError,
    ManagedPreferences,
    RegistryPolicy,
    WinregReader,
    platform_sources,
    read_plist,
)
from missend_guard.storage.settings.store import SettingsError, SettingsStore
from tests.helpers import fake_winreg
from tests.helpers.fake_winreg import FakeRegistry

HKLM = fake_winreg.HKEY_LOCAL_MACHINE
LOCKED = r"Software\Policies\MissendGuard\Locked"
DEFAULTS = r"Software\Policies\MissendGuard\Defaults"


class StaticSource:
    """A policy source returning fixed data (or failing)."""

    def __init__(self, data: dict[str, Any] | None = None, error: str = "") -> None:
        self.name = "test source"
        self._data = data or {}
        self._error = error

    def load(self) -> dict[str, dict[str, Any]]:
        if self._error:
            raise AdminSourceError(self._error)
        return {"defaults": dict(self._data.get("defaults", {})),
                "locked": dict(self._data.get("locked", {}))}


def gpo_registry() -> FakeRegistry:
    """What the ADMX template writes for a typical company."""
    reg = FakeRegistry()
    reg.set(HKLM, LOCKED, "internal_domains", ["example.co.jp", "グループ.jp"], fake_winreg.REG_MULTI_SZ)
    reg.set(HKLM, LOCKED, "require_protection", 1, fake_winreg.REG_DWORD)
    reg.set(HKLM, DEFAULTS, "hold_seconds", 30, fake_winreg.REG_DWORD)
    reg.set(HKLM, DEFAULTS, "quiet_when_safe", 0, fake_winreg.REG_DWORD)
    reg.set(HKLM, DEFAULTS, "headless_block_severity", "block", fake_winreg.REG_SZ)
    # An ADMX <list> element: numbered values under a sub-key named after the setting.
    for number, domain in (("1", "rival.example"), ("2", "gmail.com"), ("10", "leak.example")):
        reg.set(HKLM, LOCKED + r"\blocked_domains", number, domain, fake_winreg.REG_SZ)
    return reg


def store(tmp_path: Path, *sources: Any, policy: dict[str, Any] | None = None) -> SettingsStore:
    policy_file = tmp_path / "policy.json"
    if policy is not None:
        policy_file.write_text(json.dumps(policy), encoding="utf-8")
    paths = DataPaths.resolve(tmp_path / "data", policy_file=policy_file)
    return SettingsStore(paths, admin_sources=sources)


def write_user_settings(tmp_path: Path, **values: Any) -> None:
    target = tmp_path / "data" / "settings.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"schema_version": 1, "settings": values}), encoding="utf-8")


def test_registry_policy_reads_dwords_strings_multi_sz_and_list_subkeys() -> None:
    reader = WinregReader(gpo_registry())
    data = RegistryPolicy(reader).load()
    assert data["locked"] == {
        "internal_domains": ["example.co.jp", "グループ.jp"],
        "require_protection": True,
        "blocked_domains": ["rival.example", "gmail.com", "leak.example"],  # 1, 2, 10: numeric order
    }
    assert data["defaults"] == {"hold_seconds": 30, "quiet_when_safe": False,
                                "headless_block_severity": "block"}


def test_registry_reader_asks_for_the_64_bit_view() -> None:
    reg = gpo_registry()
    RegistryPolicy(WinregReader(reg)).load()
    assert reg.opened_with
    assert all(access & fake_winreg.KEY_WOW64_64KEY for access in reg.opened_with)


def test_missing_policy_key_means_no_policy() -> None:
    assert RegistryPolicy(WinregReader(FakeRegistry())).load() == {"defaults": {}, "locked": {}}


def test_hand_written_reg_sz_values_are_converted() -> None:
    reg = FakeRegistry()
    reg.set(HKLM, DEFAULTS, "hold_seconds", "45", fake_winreg.REG_SZ)
    reg.set(HKLM, DEFAULTS, "start_at_login", "true", fake_winreg.REG_SZ)
    reg.set(HKLM, DEFAULTS, "confidential_keywords", "社外秘;極秘\n取扱注意", fake_winreg.REG_SZ)
    data = RegistryPolicy(WinregReader(reg)).load()
    assert data["defaults"] == {"hold_seconds": 45, "start_at_login": True,
                                "confidential_keywords": ["社外秘", "極秘", "取扱注意"]}


def test_registry_over_json_file_then_locked_user_default_builtin(tmp_path: Path) -> None:
    policy = {
        "defaults": {"hold_seconds": 20, "language": "en", "large_attachment_mb": 25},
        "locked": {"internal_domains": ["old.example"], "max_external_domains_visible": 5},
    }
    write_user_settings(tmp_path, quiet_when_safe=True, hold_seconds=15, large_attachment_mb=50,
                        require_protection=False)
    settings = store(tmp_path, RegistryPolicy(WinregReader(gpo_registry())), policy=policy).load()
    assert settings.problems == ()
    # Among admin sources the registry (GPO) beats the JSON file, key by key.
    assert settings.get("internal_domains") == ("example.co.jp", "グループ.jp")
    assert settings.get("max_external_domains_visible") == 5  # only the file sets it: still locked
    # Locked beats the user's value.
    assert settings.get("require_protection") is True
    # The user's value beats admin defaults (registry's 30 and the file's 20 for hold_seconds).
    assert settings.get("hold_seconds") == 15
    assert settings.get("quiet_when_safe") is True
    assert settings.get("large_attachment_mb") == 50
    # Admin defaults beat built-in ones where the user set nothing.
    assert settings.get("headless_block_severity") == "block"
    assert settings.get("language") == "en"
    assert settings.locked == {"internal_domains", "require_protection", "blocked_domains",
                               "max_external_domains_visible"}


def test_locked_in_the_file_beats_a_registry_default(tmp_path: Path) -> None:
    registry = StaticSource({"defaults": {"hold_seconds": 60}})
    settings = store(tmp_path, registry, policy={"locked": {"hold_seconds": 20}}).load()
    assert settings.get("hold_seconds") == 20
    assert "hold_seconds" in settings.locked


def test_user_cannot_change_a_registry_locked_setting(tmp_path: Path) -> None:
    settings = store(tmp_path, RegistryPolicy(WinregReader(gpo_registry()))).load()
    with pytest.raises(SettingsError, match="administrator"):
        settings.with_changes(require_protection=False)


def test_bad_registry_value_is_reported_and_the_rest_applies(tmp_path: Path) -> None:
    reg = FakeRegistry()
    reg.set(HKLM, LOCKED, "hold_seconds", 5000, fake_winreg.REG_DWORD)  # above the 600 s maximum
    reg.set(HKLM, LOCKED, "no_such_setting", 1, fake_winreg.REG_DWORD)
    reg.set(HKLM, LOCKED, "blocked_addresses", ["CEO@Example.co.jp"], fake_winreg.REG_MULTI_SZ)
    paths_store = store(tmp_path, RegistryPolicy(WinregReader(reg)))
    settings = paths_store.load()
    assert settings.get("hold_seconds") == 10  # built-in default
    assert settings.get("blocked_addresses") == ("ceo@example.co.jp",)
    text = " ".join(settings.problems)
    assert "at most 600" in text
    assert "no_such_setting" in text
    assert "HKEY_LOCAL_MACHINE" in text


def test_unreadable_source_becomes_a_problem_not_a_crash(tmp_path: Path) -> None:
    settings = store(tmp_path, StaticSource(error="Could not read the registry policy: access denied."),
                     policy={"locked": {"quiet_when_safe": False}}).load()
    assert settings.get("quiet_when_safe") is False  # the file still applies
    assert any("access denied" in p for p in settings.problems)


def profile(**keys: Any) -> dict[str, Any]:
    """What a configuration profile's payload leaves in the managed preferences plist."""
    return {"PayloadUUID": "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "PayloadType":
            "jp.missendguard.MissendGuard", **keys}


def test_managed_preferences_top_level_keys_are_locked_defaults_dict_is_not(tmp_path: Path) -> None:
    root = tmp_path / "Managed Preferences"
    (root / "taro").mkdir(parents=True)
    machine = profile(internal_domains=["example.co.jp"], hold_seconds=20,
                      Defaults={"language": "ja", "large_attachment_mb": 20})
    user = profile(hold_seconds=45, Locked={"start_at_login": True})
    (root / "jp.missendguard.MissendGuard.plist").write_bytes(plistlib.dumps(machine))
    (root / "taro" / "jp.missendguard.MissendGuard.plist").write_bytes(
        plistlib.dumps(user, fmt=plistlib.FMT_BINARY))
    data = ManagedPreferences(root=root, user="taro").load()
    assert data["locked"] == {"internal_domains": ["example.co.jp"], "hold_seconds": 45,
                              "start_at_login": True}  # the user's profile wins over the machine's
    assert data["defaults"] == {"language": "ja", "large_attachment_mb": 20}


def test_managed_preferences_merge_into_settings(tmp_path: Path) -> None:
    files = {Path("/mp/jp.missendguard.MissendGuard.plist"):
             profile(require_protection=True, Defaults={"hold_seconds": 40})}
    source = ManagedPreferences(loader=files.get, root=Path("/mp"), user="")
    write_user_settings(tmp_path, require_protection=False)
    settings = store(tmp_path, source, policy={"locked": {"hold_seconds": 15}}).load()
    assert settings.get("require_protection") is True
    assert settings.get("hold_seconds") == 15  # locked (file) beats a managed default


def test_damaged_managed_preferences_plist_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "mp"
    root.mkdir()
    (root / "jp.missendguard.MissendGuard.plist").write_bytes(b"<?xml version='1.0'?><plist><dict>")
    with pytest.raises(AdminSourceError, match="managed preferences"):
        ManagedPreferences(root=root, user="").load()
    settings = store(tmp_path, ManagedPreferences(root=root, user="")).load()
    assert any("managed preferences" in p for p in settings.problems)


def test_read_plist_missing_file_is_none(tmp_path: Path) -> None:
    assert read_plist(tmp_path / "absent.plist") is None


def test_platform_sources() -> None:
    assert platform_sources("linux") == ()
    (mac,) = platform_sources("darwin")
    assert isinstance(mac, ManagedPreferences)
