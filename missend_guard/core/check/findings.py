"""Findings are data: a code, a severity, what it is about, and parameters for the UI to explain it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from types import MappingProxyType
from typing import Any


class Severity(IntEnum):
    """Ordered severities; the names are the contract's strings."""

    INFO = 0
    WARNING = 1
    BLOCK = 2

    @property
    def label(self) -> str:
        """The contract's lower-case name ("info", "warning", "block")."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read a contract name; raises ValueError with the accepted names."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of {names})") from None


def recipient_target(index: int) -> str:
    """Target string for the recipient at `index` in `Message.recipients`."""
    return f"recipient:{index}"


def attachment_target(index: int) -> str:
    """Target string for the attachment at `index` in `Message.attachments`."""
    return f"attachment:{index}"


SUBJECT = "subject"
BODY = "body"
MESSAGE = "message"


def _frozen(params: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(params))


@dataclass(frozen=True)
class Finding:
    """One reason to look twice. `params` holds values only, never sentences."""

    code: str
    severity: Severity
    target: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", _frozen(self.params))

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON object for this finding."""
        return {
            "code": self.code,
            "severity": self.severity.label,
            "target": self.target,
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class Report:
    """All findings for one message, in rule order."""

    findings: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Report:
        """Build a report from any iterable of findings."""
        return cls(tuple(findings))

    @property
    def max_severity(self) -> Severity | None:
        """The highest severity present, or None for an empty report."""
        return max((f.severity for f in self.findings), default=None)

    def at_least(self, severity: Severity) -> tuple[Finding, ...]:
        """Findings at or above `severity`."""
        return tuple(f for f in self.findings if f.severity >= severity)

    def codes(self) -> tuple[str, ...]:
        """Distinct codes in first-seen order."""
        return tuple(dict.fromkeys(f.code for f in self.findings))

    def for_target(self, target: str) -> tuple[Finding, ...]:
        """Findings about one target ("recipient:0", "body", ...)."""
        return tuple(f for f in self.findings if f.target == target)
