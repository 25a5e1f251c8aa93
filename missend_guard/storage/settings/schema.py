"""The one declarative table of settings (the settings dialog is built from it), validation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from missend_guard.core.check.codes import DEFAULT_SEVERITY
from missend_guard.core.check.findings import Severity
from missend_guard.core.check.policy import DEFAULT_CONFIDENTIAL_KEYWORDS
from missend_guard.core.errors import UserError
from missend_guard.core.message.addresses import unicode_domain
from missend_guard.texts.catalog import text

SETTING_TYPES = ("bool", "int", "str", "list[str]", "choice")


class SettingsError(UserError):
    """A setting could not be set or read; the message is shown to the user as is."""


@dataclass(frozen=True)
class SettingSpec:
    """One setting: what it is, its default and what values it accepts (its texts: texts.settings)."""

    key: str
    type: str  # one of SETTING_TYPES
    default: Any
    group: str  # a key of SETTING_GROUPS
    choices: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class SettingGroup:
    """A page or section of the settings dialog (its title: texts.settings)."""

    key: str


SETTING_GROUPS: tuple[SettingGroup, ...] = (
    SettingGroup("general"),
    SettingGroup("sending"),
    SettingGroup("recipients"),
    SettingGroup("content"),
    SettingGroup("attachments"),
    SettingGroup("advanced"),
)

_MIB = 1024 * 1024
_S = SettingSpec

SETTINGS: tuple[SettingSpec, ...] = (
    # general
    _S("language", "choice", "", "general", choices=("", "ja", "en")),
    _S("start_at_login", "bool", False, "general"),
    _S("quiet_when_safe", "bool", True, "general"),
    _S("outlook_bridge", "bool", False, "general"),
    # sending
    _S("hold_seconds", "int", 10, "sending", minimum=0, maximum=600),
    _S("save_to_sent_items", "bool", True, "sending"),
    _S("retry_max_attempts", "int", 8, "sending", minimum=1, maximum=100),
    _S("retry_backoff_base_seconds", "int", 30, "sending", minimum=1, maximum=3600),
    _S("retry_backoff_cap_seconds", "int", 1800, "sending", minimum=1, maximum=86400),
    _S("relay_port", "int", 2525, "sending", minimum=1, maximum=65535),
    _S("max_message_bytes", "int", 50 * _MIB, "sending", minimum=1024, maximum=1024 * _MIB),
    _S("relay_max_connections", "int", 16, "sending", minimum=1, maximum=1000),
    # recipients
    _S("internal_domains", "list[str]", (), "recipients"),
    _S("blocked_domains", "list[str]", (), "recipients"),
    _S("blocked_addresses", "list[str]", (), "recipients"),
    _S("max_external_domains_visible", "int", 3, "recipients", minimum=1, maximum=1000),
    _S("max_external_addresses_visible", "int", 10, "recipients", minimum=1, maximum=10000),
    _S("trust_after_days", "int", 3, "recipients", minimum=1, maximum=365),
    _S("contacts_files", "list[str]", (), "recipients"),
    # content
    _S("confidential_keywords", "list[str]", tuple(DEFAULT_CONFIDENTIAL_KEYWORDS), "content"),
    # attachments
    _S("large_attachment_mb", "int", 10, "attachments", minimum=1, maximum=10000),
    _S("require_protection", "bool", False, "attachments"),
    _S("zip_refusing_domains", "list[str]", (), "attachments"),
    _S("keep_protection_passwords_days", "int", 7, "attachments", minimum=0, maximum=365),
    # advanced
    _S("headless_block_severity", "choice", "warning", "advanced", choices=("info", "warning", "block")),
    _S("audit_subject", "choice", "hash", "advanced", choices=("hash", "plain")),
    _S("sent_retention_days", "int", 30, "advanced", minimum=0, maximum=3650),
    _S("severity_overrides", "list[str]", (), "advanced"),
)

SPECS: Mapping[str, SettingSpec] = {spec.key: spec for spec in SETTINGS}
DEFAULTS: Mapping[str, Any] = {spec.key: spec.default for spec in SETTINGS}


def spec_for(key: str) -> SettingSpec:
    """The spec of `key`; SettingsError for an unknown key."""
    try:
        return SPECS[key]
    except KeyError:
        raise SettingsError(f"Unknown setting {key!r}.") from None


def setting_name(key: str) -> str:
    """How errors name a setting: "Hold before sending (seconds) (hold_seconds)"."""
    # English like the rest of the error sentence; the key is what admins write in policy files.
    return f"{text(f'setting.{key}.label', 'en')} ({key})"


def validate(key: str, value: Any) -> Any:
    """The normalised value for `key` (lists become tuples); SettingsError naming the setting."""
    spec = spec_for(key)
    name = setting_name(key)
    if spec.type == "bool":
        if not isinstance(value, bool):
            raise SettingsError(f"{name} must be true or false, not {value!r}.")
        return value
    if spec.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"{name} must be a whole number, not {value!r}.")
        if spec.minimum is not None and value < spec.minimum:
            raise SettingsError(f"{name} must be at least {spec.minimum} (got {value}).")
        if spec.maximum is not None and value > spec.maximum:
            raise SettingsError(f"{name} must be at most {spec.maximum} (got {value}).")
        return value
    if spec.type in ("str", "choice"):
        if not isinstance(value, str):
            raise SettingsError(f"{name} must be text, not {value!r}.")
        if spec.choices is not None and value not in spec.choices:
            allowed = ", ".join(repr(c) for c in spec.choices)
            raise SettingsError(f"{name} must be one of {allowed} (got {value!r}).")
        return value
    return _validate_list(spec, name, value)


def _validate_list(spec: SettingSpec, name: str, value: Any) -> tuple[str, ...]:
    if spec.key == "severity_overrides" and isinstance(value, Mapping):
        value = [f"{k}={v}" for k, v in value.items()]  # admins may write a JSON object
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise SettingsError(f"{name} must be a list of text entries, not {value!r}.")
    items: list[str] = []
    for raw in value:
        if not isinstance(raw, str):
            raise SettingsError(f"{name}: every entry must be text, not {raw!r}.")
        item = raw.strip()
        if not item:
            continue
        if spec.key.endswith("_domains"):
            # Message domains are compared in Unicode form, so punycode entries must be decoded too.
            item = unicode_domain(item.lstrip("@"))
        elif spec.key == "blocked_addresses":
            item = item.lower()
        elif spec.key == "severity_overrides":
            item = _severity_override(name, item)
        if item not in items:
            items.append(item)
    return tuple(items)


def _severity_override(name: str, entry: str) -> str:
    code, eq, level = entry.partition("=")
    code, level = code.strip(), level.strip().lower()
    if not eq or code not in DEFAULT_SEVERITY:
        raise SettingsError(
            f"{name}: {entry!r} must look like finding-code=severity with a known code."
        )
    try:
        Severity.parse(level)
    except ValueError as exc:
        raise SettingsError(f"{name}: {exc}.") from None
    return f"{code}={level}"


def severity_map(entries: Sequence[str]) -> dict[str, Severity]:
    """The overrides of validated `code=severity` entries."""
    result: dict[str, Severity] = {}
    for entry in entries:
        code, _, level = entry.partition("=")
        result[code] = Severity.parse(level)
    return result
