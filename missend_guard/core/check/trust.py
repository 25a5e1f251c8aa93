"""Which recipients a confirmed look-alike warning leaves suspect, and whom a vouch covers."""

from __future__ import annotations

from missend_guard.core.check.findings import Finding, Report
from missend_guard.core.message.addresses import Address
from missend_guard.core.message.model import Message

# The warnings that say "this may be a typo of someone you know". A contact confused by name is
# in the contacts anyway (known whatever the history says), so only the address reason counts.
_SUSPECT_CODES = frozenset({"lookalike-domain", "lookalike-contact"})


def finding_recipient(finding: Finding, message: Message) -> Address | None:
    """The recipient a finding is about, or None when it is about something else."""
    kind, _, index = finding.target.partition(":")
    if kind != "recipient" or not index.isdigit() or int(index) >= len(message.recipients):
        return None
    return message.recipients[int(index)]


def makes_suspect(finding: Finding) -> bool:
    """True for a look-alike warning whose recipient must not become known by being sent to once."""
    if finding.code not in _SUSPECT_CODES:
        return False
    return finding.code == "lookalike-domain" or finding.params.get("reason") == "address"


def can_vouch(finding: Finding) -> bool:
    """True when "This address is correct" answers the finding (a look-alike, a suspect sent before)."""
    return makes_suspect(finding) or (
        finding.code == "first-time-recipient" and "sent_days" in finding.params
    )


def suspect_names(message: Message, report: Report) -> list[str]:
    """Addresses (and, for a look-alike domain, domains) a send past these findings leaves suspect."""
    names: dict[str, None] = {}
    for finding in report.findings:
        rcpt = finding_recipient(finding, message) if makes_suspect(finding) else None
        if rcpt is None or not rcpt.domain:
            continue
        names[rcpt.address.lower()] = None
        if finding.code == "lookalike-domain":
            names[rcpt.domain] = None
    return list(names)
