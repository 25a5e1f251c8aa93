"""The finding codes of CONTRACT.md with their default severities: the single list rules and texts use."""

from __future__ import annotations

from types import MappingProxyType

from missend_guard.core.check.findings import Severity

_I, _W, _B = Severity.INFO, Severity.WARNING, Severity.BLOCK

DEFAULT_SEVERITY = MappingProxyType(
    {
        "external-recipient": _I,
        "many-external-visible": _W,
        "lookalike-domain": _W,
        "lookalike-contact": _W,
        "first-time-recipient": _W,
        "free-mail-domain": _W,
        "missing-attachment": _W,
        "salutation-mismatch": _W,
        "placeholder-left": _W,
        "confidential-keyword": _W,
        "pii-in-body": _W,
        "unprotected-attachment": _W,
        "hidden-sheet": _W,
        "tracked-changes": _W,
        "attachment-name-mismatch": _W,
        "empty-subject": _W,
        "large-attachment": _I,
        "blocked-recipient": _B,
        "malformed-message": _W,
        "password-in-mail": _W,
        "new-domain-in-reply": _W,
        "internal-thread-to-external": _W,
    }
)

ALL_CODES: tuple[str, ...] = tuple(DEFAULT_SEVERITY)

# Findings the review dialog asks the user to acknowledge one by one, not just tick the row.
HIGH_RISK_CODES = frozenset(
    {"lookalike-domain", "salutation-mismatch", "blocked-recipient", "password-in-mail"}
)
