"""The checker: runs every rule over a message and collects one Report."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import MESSAGE, Finding, Report
from missend_guard.core.message.model import Message, parse_message
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


# A message that reaches every index a rule builds lazily: an unknown external recipient with a
# display name, a salutation, an attachment with a name.
_WARM_UP = (
    b"From: warm-up@warm-up.invalid\r\nTo: Warm Up <warm.up@warm-up.invalid>\r\nSubject: warm-up\r\n"
    b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="w"\r\n\r\n--w\r\n'
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nDear Warm Up,\r\nwarm-up\r\n--w\r\n"
    b"Content-Type: application/octet-stream\r\n"
    b'Content-Disposition: attachment; filename="warm-up.bin"\r\n\r\nx\r\n--w--\r\n'
)


def warm_up(context: CheckContext) -> None:
    """Build the context's lazy indexes now (off the relay path), so the first real check is fast."""
    check(parse_message(_WARM_UP), context)
