"""Every rule, in the order their findings appear in a report."""

from __future__ import annotations

from missend_guard.core.rules import Rule, attachments, content, lookalike, password, recipients

ALL_RULES: tuple[Rule, ...] = (
    *recipients.RULES,
    *lookalike.RULES,
    *content.RULES,
    *attachments.RULES,
    *password.RULES,
)
