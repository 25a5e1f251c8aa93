"""The checker: runs every rule over a message and collects one Report."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from missend_guard.core.context import CheckContext
from missend_guard.core.findings import MESSAGE, Finding, Report
from missend_guard.core.message import Message
from missend_guard.core.rules import Rule
from missend_guard.core.rules.registry import ALL_RULES

log = logging.getLogger(__name__)


def check(message: Message, context: CheckContext, rules: Sequence[Rule] = ALL_RULES) -> Report:
    """All findings for `message`. A rule that fails is logged and reported, never fatal."""
    findings: list[Finding] = []
    if message.problems:
        findings.append(context.finding("malformed-message", MESSAGE, problems=list(message.problems)))
    for rule in rules:
        try:
            findings.extend(rule(message, context))
        except Exception:  # our bug: keep checking the rest, tell the user the check was incomplete
            log.exception("rule %s failed", getattr(rule, "__name__", rule))
            findings.append(
                context.finding("malformed-message", MESSAGE, check_failed=getattr(rule, "__name__", "?"))
            )
    return Report.of(findings)
