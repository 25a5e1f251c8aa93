"""Settings: typed values from the SETTINGS table, accounts, admin policy merge, atomic JSON."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from missend_guard.core.check.policy import Policy
from missend_guard.storage.atomic import atomic_write
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.settings.accounts import Account, check_accounts
from missend_guard.storage.settings.admin_sources import AdminSource, AdminSourceError, platform_sources
from missend_guard.storage.settings.freshness import Freshness
from missend_guard.storage.settings.schema import (
    DEFAULTS,
    SETTING_GROUPS,
    SETTINGS,
    SPECS,
    SettingGroup,
    SettingsError,
    SettingSpec,
    setting_name,
    severity_map,
    validate,
)

__all__ = [
    "SCHEMA_VERSION", "SETTINGS", "SETTING_GROUPS", "Account", "SettingGroup", "SettingSpec",
    "Settings", "SettingsError", "SettingsStore",
]

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Settings:
    """An immutable snapshot: effective values after the admin policy merge, plus accounts."""

    user_values: Mapping[str, Any] = field(default_factory=dict)
    admin_defaults: Mapping[str, Any] = field(default_factory=dict)
    admin_locked: Mapping[str, Any] = field(default_factory=dict)
    accounts: tuple[Account, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # unknown keys, written back unchanged
    problems: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("user_values", "admin_defaults", "admin_locked", "extra"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        check_accounts(self.accounts)
        # Merge order: admin locked > user value > admin default > built-in default.
        merged = {**DEFAULTS, **self.admin_defaults, **self.user_values, **self.admin_locked}
        object.__setattr__(self, "_values", MappingProxyType(merged))

    @property
    def values(self) -> Mapping[str, Any]:
        """Every setting's effective value."""
        values: Mapping[str, Any] = self.__dict__["_values"]
        return values

    @property
    def locked(self) -> frozenset[str]:
        """Keys the administrator locked (shown read-only)."""
        return frozenset(self.admin_locked)

    def get(self, key: str) -> Any:
        """The effective value of `key`; SettingsError for an unknown key."""
        if key not in SPECS:
            raise SettingsError(f"Unknown setting {key!r}.")
        return self.values[key]

    def fallback(self, key: str) -> Any:
        """What `key` would be without a user value (admin default, else built-in)."""
        return self.admin_defaults.get(key, DEFAULTS[key])

    def with_changes(self, **changes: Any) -> Settings:
        """A new snapshot with user values changed; SettingsError on a locked key or a bad value."""
        user = dict(self.user_values)
        for key, raw in changes.items():
            value = validate(key, raw)
            if key in self.admin_locked:
                if value == self.admin_locked[key]:
                    continue  # a dialog writing back every field must not trip over locked ones
                raise SettingsError(
                    f"{setting_name(key)} is set by your administrator and cannot be changed."
                )
            # A value equal to the fallback is not pinned: later admin default changes still apply.
            if value == self.fallback(key):
                user.pop(key, None)
            else:
                user[key] = value
        return replace(self, user_values=user, problems=())

    def with_accounts(self, accounts: tuple[Account, ...]) -> Settings:
        """A new snapshot with these accounts (names unique, at most one default)."""
        return replace(self, accounts=tuple(accounts), problems=())

    def account(self, name: str) -> Account | None:
        """The account called `name` (case-insensitive), or None."""
        return next((a for a in self.accounts if a.name.casefold() == name.casefold()), None)

    def account_for(self, sender: str) -> Account | None:
        """The account that sends as `sender`, else the default account, else the only one."""
        lowered = sender.strip().lower()
        for account in self.accounts:
            if lowered in account.from_addresses:
                return account
        default = next((a for a in self.accounts if a.default), None)
        if default is not None:
            return default
        return self.accounts[0] if len(self.accounts) == 1 else None

    def policy(self) -> Policy:
        """The frozen Policy snapshot the checker uses."""
        v = self.values
        return Policy(
            internal_domains=frozenset(v["internal_domains"]),
            blocked_domains=frozenset(v["blocked_domains"]),
            blocked_addresses=frozenset(v["blocked_addresses"]),
            max_external_domains_visible=v["max_external_domains_visible"],
            max_external_addresses_visible=v["max_external_addresses_visible"],
            large_attachment_bytes=v["large_attachment_mb"] * 1024 * 1024,
            confidential_keywords=tuple(v["confidential_keywords"]),
            severity_overrides=severity_map(v["severity_overrides"]),
            quiet_when_safe=v["quiet_when_safe"],
            require_protection=v["require_protection"],
            zip_refusing_domains=frozenset(v["zip_refusing_domains"]),
            trust_after_days=v["trust_after_days"],
        )


def _timestamp(clock: Callable[[], float]) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(clock()))


class SettingsStore:
    """Reads and writes settings.json and applies the administrator's policy file."""

    def __init__(self, paths: DataPaths, *, policy_file: Path | None = None,
                 clock: Callable[[], float] = time.time,
                 admin_sources: Sequence[AdminSource] | None = None) -> None:
        self.path = paths.settings_file
        self.policy_file = policy_file if policy_file is not None else paths.policy_file
        # Group Policy (registry) / configuration profile; None = this OS's (none on Linux).
        self.admin_sources = tuple(platform_sources() if admin_sources is None else admin_sources)
        self._clock = clock
        self.problems: list[str] = []
        self._freshness = Freshness((self.path, self.policy_file),
                                    admin_sources=bool(self.admin_sources))
        self._snapshot: tuple[object, Settings] | None = None

    def load(self) -> Settings:
        """Current settings; never raises for bad files (they become `problems`, defaults apply).

        The last snapshot while nothing it was read from changed (see `freshness`).
        """
        signature = self._freshness.signature()
        snapshot = self._snapshot
        if snapshot is not None and signature is not None and snapshot[0] == signature:
            self.problems = list(snapshot[1].problems)
            return snapshot[1]
        settings = self._read()
        self._freshness.read()
        self._snapshot = None if signature is None else (signature, settings)
        return settings

    def _read(self) -> Settings:
        self.problems = []
        admin_defaults, admin_locked = self._load_policy()
        data = self._read_user_file()
        user: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        version = data.get("schema_version")
        newer = isinstance(version, int) and version > SCHEMA_VERSION
        for key in sorted(set(data) - {"schema_version", "settings", "accounts"}):
            where = 'under "settings"' if key in SPECS else "nowhere"
            self.problems.append(
                f"{self.path}: the top-level key {key!r} is not read (it belongs {where})."
            )
        for key, raw in _mapping(data.get("settings")).items():
            if key not in SPECS:
                if not newer:  # a newer version's settings are expected; a typo here is not
                    self.problems.append(f"{self.path}: unknown setting {key!r} is kept but not used.")
                extra[key] = raw
                continue
            try:
                user[key] = validate(key, raw)
            except SettingsError as exc:
                self.problems.append(f"{exc} The default is used instead.")
        accounts: list[Account] = []
        bad_accounts: list[Any] = []
        raw_accounts = data.get("accounts", [])
        for entry in raw_accounts if isinstance(raw_accounts, list) else []:
            try:
                account = Account.from_json(entry)
                check_accounts((*accounts, account))
                accounts.append(account)
            except SettingsError as exc:
                self.problems.append(f"{exc} This account is ignored until it is fixed.")
                bad_accounts.append(entry)
        if bad_accounts:
            extra["__unusable_accounts__"] = bad_accounts  # kept so saving never destroys them
        return Settings(
            user, admin_defaults, admin_locked, tuple(accounts), extra, tuple(self.problems)
        )

    def save(self, settings: Settings) -> None:
        """Write atomically (temp file, fsync, rename, fsync dir); SettingsError when it cannot."""
        extra = dict(settings.extra)
        bad_accounts = extra.pop("__unusable_accounts__", [])
        document = {
            "schema_version": SCHEMA_VERSION,
            "settings": {
                **extra, **{k: _jsonable(v) for k, v in sorted(settings.user_values.items())}
            },
            "accounts": [a.to_json() for a in settings.accounts] + list(bad_accounts),
        }
        data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, data)
        except OSError as exc:
            raise SettingsError(
                f"Could not save settings to {self.path}: {exc.strerror or exc}. "
                "The previous settings file is unchanged."
            ) from exc

    def _read_user_file(self) -> dict[str, Any]:
        try:
            text = self.path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            why = exc.strerror or exc
            self.problems.append(f"Could not read {self.path}: {why}. Defaults are used.")
            return {}
        except UnicodeDecodeError:
            return self._corrupt("it is not UTF-8 text")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return self._corrupt(f"it is not valid JSON ({exc.msg}, line {exc.lineno})")
        if not isinstance(data, dict):
            return self._corrupt("it does not hold a JSON object")
        version = data.get("schema_version")
        if isinstance(version, int) and version > SCHEMA_VERSION:
            self.problems.append(
                f"{self.path} was written by a newer version (schema {version}); "
                "settings this version does not know are kept but not used."
            )
        return data

    def _corrupt(self, why: str) -> dict[str, Any]:
        backup = self.path.with_name(f"{self.path.name}.corrupt-{_timestamp(self._clock)}")
        try:
            shutil.copy2(self.path, backup)
            kept = f"A copy was kept as {backup}."
        except OSError as exc:
            kept = f"A copy could not be kept ({exc.strerror or exc})."
        self.problems.append(
            f"The settings file {self.path} is damaged: {why}. {kept} Defaults are used."
        )
        return {}

    def _load_policy(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Policy file, then OS sources over it: what GPO/MDM pushes beats a file on the disk."""
        defaults, locked = self._load_policy_file()
        for source in self.admin_sources:
            try:
                data = source.load()
            except AdminSourceError as exc:
                self.problems.append(f"{exc} Ask your administrator.")
                continue
            where = f"the administrator's policy ({source.name})"
            defaults.update(self._policy_values(_mapping(data.get("defaults")), where))
            locked.update(self._policy_values(_mapping(data.get("locked")), where))
        return defaults, locked

    def _load_policy_file(self) -> tuple[dict[str, Any], dict[str, Any]]:
        where = f"the administrator's policy file {self.policy_file}"
        try:
            data = json.loads(self.policy_file.read_bytes().decode("utf-8-sig"))
        except FileNotFoundError:
            return {}, {}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.problems.append(f"Could not read {where}: {exc}. Ask your administrator.")
            return {}, {}
        if not isinstance(data, dict):
            self.problems.append(f"{where} must hold a JSON object with 'defaults' and 'locked'.")
            return {}, {}
        defaults = self._policy_values(_mapping(data.get("defaults")), where)
        raw_locked = data.get("locked", {})
        if isinstance(raw_locked, list):
            # ["key", ...] locks each key at the admin default (or the built-in one).
            keys = [k for k in raw_locked if isinstance(k, str)]
            raw_locked = {k: defaults.get(k, DEFAULTS.get(k)) for k in keys}
        locked = self._policy_values(_mapping(raw_locked), where)
        return defaults, locked

    def _policy_values(self, raw: Mapping[str, Any], where: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, value in raw.items():
            try:
                values[key] = validate(key, value)
            except SettingsError as exc:
                self.problems.append(f"In {where}: {exc} This entry is ignored.")
        return values


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
