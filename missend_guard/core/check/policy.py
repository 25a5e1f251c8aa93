"""Policy: a frozen snapshot of what counts as internal, blocked, risky; threads share the reference."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from missend_guard.core.check.codes import DEFAULT_SEVERITY
from missend_guard.core.check.findings import Severity

DEFAULT_FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.co.jp",
        "ymail.ne.jp",
        "yahoo.com",
        "outlook.com",
        "outlook.jp",
        "hotmail.com",
        "hotmail.co.jp",
        "live.com",
        "live.jp",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "mail.com",
        "zoho.com",
        "yandex.com",
        "docomo.ne.jp",
        "ezweb.ne.jp",
        "au.com",
        "softbank.ne.jp",
        "i.softbank.jp",
        "nifty.com",
        "biglobe.ne.jp",
        "excite.co.jp",
        "infoseek.jp",
        "goo.jp",
        "rakuten.jp",
        "fastmail.com",
        "qq.com",
        "163.com",
        "naver.com",
    }
)

DEFAULT_CONFIDENTIAL_KEYWORDS = (
    "社外秘",
    "部外秘",
    "極秘",
    "機密",
    "取扱注意",
    "取り扱い注意",
    "厳秘",
    "関係者外秘",
    "社内限り",
    "社内限定",
    "confidential",
    "internal only",
    "internal use only",
    "strictly private",
    "do not forward",
    "not for distribution",
    "proprietary",
)

DEFAULT_ATTACHMENT_PHRASES = (
    "添付",
    "別添",
    "添附",
    "同封",
    "ファイルをお送り",
    "資料をお送り",
    "資料を送付",
    "ファイルを送付",
    "資料をお送りします",
    "送付いたします",
    "お送りいたします資料",
    "attached",
    "attachment",
    "enclosed",
    "i've attached",
    "i have attached",
    "please find",
    "see the file",
    "sending you the",
)


@dataclass(frozen=True)
class PiiPattern:
    """An organisation's own PII pattern (employee number, student id ...)."""

    kind: str
    regex: str

    def compiled(self) -> re.Pattern[str]:
        """The compiled expression."""
        return re.compile(self.regex)


def _domain_set(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower().lstrip("@").rstrip(".") for v in values if v and v.strip())


@dataclass(frozen=True)
class Policy:
    """Immutable; change it by building a new one with `updated()`."""

    internal_domains: frozenset[str] = frozenset()
    blocked_domains: frozenset[str] = frozenset()
    blocked_addresses: frozenset[str] = frozenset()
    max_external_domains_visible: int = 3
    max_external_addresses_visible: int = 10
    large_attachment_bytes: int = 10 * 1024 * 1024
    confidential_keywords: tuple[str, ...] = DEFAULT_CONFIDENTIAL_KEYWORDS
    attachment_phrases: tuple[str, ...] = DEFAULT_ATTACHMENT_PHRASES
    free_mail_domains: frozenset[str] = DEFAULT_FREE_MAIL_DOMAINS
    pii_patterns: tuple[PiiPattern, ...] = ()
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)
    quiet_when_safe: bool = True
    require_protection: bool = False
    zip_refusing_domains: frozenset[str] = frozenset()
    # A recipient confirmed past a look-alike warning stays suspect until mail went to it on this
    # many different days (or the user vouched for it): one slip must not teach that a typo is known.
    trust_after_days: int = 3

    def __post_init__(self) -> None:
        for name in ("internal_domains", "blocked_domains", "free_mail_domains", "zip_refusing_domains"):
            object.__setattr__(self, name, _domain_set(getattr(self, name)))
        object.__setattr__(
            self, "blocked_addresses", frozenset(a.strip().lower() for a in self.blocked_addresses)
        )
        object.__setattr__(self, "severity_overrides", MappingProxyType(dict(self.severity_overrides)))

    @staticmethod
    def _under(domain: str, roots: frozenset[str]) -> bool:
        domain = domain.lower().rstrip(".")
        while domain:
            if domain in roots:
                return True
            _, dot, domain = domain.partition(".")
            if not dot:
                return False
        return False

    def is_internal(self, domain: str) -> bool:
        """True for an internal domain or any subdomain of one."""
        return bool(domain) and self._under(domain, self.internal_domains)

    def is_blocked(self, address: str, domain: str) -> bool:
        """True when the address or its domain (or a parent domain) is blocked."""
        return address.lower() in self.blocked_addresses or self._under(domain, self.blocked_domains)

    def is_free_mail(self, domain: str) -> bool:
        """True for a consumer mail domain."""
        return domain.lower() in self.free_mail_domains

    def severity(self, code: str) -> Severity:
        """The severity in force for a code."""
        return self.severity_overrides.get(code, DEFAULT_SEVERITY.get(code, Severity.WARNING))

    def updated(self, **changes: Any) -> Policy:
        """A new snapshot with some fields replaced."""
        return replace(self, **changes)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], base: Policy | None = None) -> Policy:
        """Build from JSON-like data (settings, admin policy); unknown keys raise ValueError."""
        base = base or cls()
        known = {f.name for f in fields(cls)}
        changes: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise ValueError(f"unknown policy key {key!r}")
            changes[key] = _coerce(key, value)
        return replace(base, **changes)


def _coerce(key: str, value: Any) -> Any:
    if key == "severity_overrides":
        if not isinstance(value, Mapping):
            raise ValueError("severity_overrides must map finding codes to severities")
        return {str(k): v if isinstance(v, Severity) else Severity.parse(str(v)) for k, v in value.items()}
    if key == "pii_patterns":
        patterns = []
        for item in value:
            pattern = (
                item if isinstance(item, PiiPattern) else PiiPattern(str(item["kind"]), str(item["regex"]))
            )
            try:
                pattern.compiled()
            except re.error as exc:
                raise ValueError(f"pii pattern {pattern.kind!r} is not a valid regex: {exc}") from None
            patterns.append(pattern)
        return tuple(patterns)
    if key in (
        "internal_domains",
        "blocked_domains",
        "blocked_addresses",
        "free_mail_domains",
        "zip_refusing_domains",
    ):
        if isinstance(value, str):
            value = [value]
        return frozenset(str(v) for v in value)
    if key in ("confidential_keywords", "attachment_phrases"):
        if isinstance(value, str):
            value = [value]
        return tuple(str(v) for v in value)
    if key in ("quiet_when_safe", "require_protection"):
        if not isinstance(value, bool):
            raise ValueError(f"{key} must be true or false")
        return value
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{key} must be a non-negative integer")
    return value
