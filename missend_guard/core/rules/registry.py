"""Every rule, in the order their findings appear in a report."""

from __future__ import annotations

from missend_guard.core.rules import Rule, attachments, password, recipients, thread
from missend_guard.core.rules.content import rules as content
from missend_guard.core.rules.lookalike import rules as lookalike

ALL_RULES: tuple[Rule, ...] = (
    *recipients.RULES,
    *lookalike.RULES,
    *content.RULES,
    *attachments.RULES,
    *password.RULES,
    *thread.RULES,
)
