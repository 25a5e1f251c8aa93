"""The contract's JSON shape of a checked message (CONTRACT.md "JSON output of check --json")."""

from __future__ import annotations

from typing import Any

from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Report
from missend_guard.core.message.model import Message


def check_result_json(message: Message, report: Report, context: CheckContext) -> dict[str, Any]:
    """One JSON-ready object: subject, from, recipients, attachments, findings."""
    return {
        "subject": message.subject,
        "from": message.sender.to_json() if message.sender else None,
        "recipients": [
            {
                "field": r.field,
                "name": r.name,
                "address": r.address,
                "domain": r.domain,
                "internal": context.policy.is_internal(r.domain),
                "known": context.is_known_address(r.address),
            }
            for r in message.recipients
        ],
        "attachments": [a.to_json() for a in message.attachments if not a.inline],
        "findings": [f.to_json() for f in report.findings],
    }
