"""What the review dialog shows, computed without Qt: recipient groups, findings per row, quoted lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from missend_guard.core.check.codes import HIGH_RISK_CODES
from missend_guard.core.check.findings import (
    BODY,
    MESSAGE,
    SUBJECT,
    Finding,
    Report,
    Severity,
    attachment_target,
    recipient_target,
)
from missend_guard.core.message.addresses import make_address
from missend_guard.core.message.bodytext import body_lines, quoted_line_flags
from missend_guard.core.message.model import Attachment
from missend_guard.core.ports.review import ReviewRequest

CompanyLookup = Callable[[str], str]


@dataclass(frozen=True)
class RecipientRow:
    """One recipient as the dialog lists it; `index` is None for an envelope-only (Bcc) address."""

    index: int | None
    field: str
    name: str
    address: str
    domain: str
    external: bool
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class DomainGroup:
    """External recipients of one domain, with the company name when contacts know it."""

    domain: str
    company: str
    rows: tuple[RecipientRow, ...]


@dataclass(frozen=True)
class AttachmentRow:
    """One attached file with its findings."""

    index: int
    attachment: Attachment
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class ReviewModel:
    """The checklist's content, derived once from a ReviewRequest."""

    request: ReviewRequest
    external_groups: tuple[DomainGroup, ...]
    internal: tuple[RecipientRow, ...]
    attachments: tuple[AttachmentRow, ...]
    subject_findings: tuple[Finding, ...]
    body_findings: tuple[Finding, ...]
    message_findings: tuple[Finding, ...]

    @property
    def external_count(self) -> int:
        """Number of external recipients."""
        return sum(len(g.rows) for g in self.external_groups)

    @property
    def warning_count(self) -> int:
        """Findings at warning or above (the "注意" in the summary)."""
        return len(self.request.report.at_least(Severity.WARNING))

    @property
    def high_risk(self) -> tuple[Finding, ...]:
        """Findings the user must acknowledge one by one."""
        return tuple(f for f in self.request.report.findings if f.code in HIGH_RISK_CODES)

    def has(self, code: str) -> bool:
        """True when the report holds a finding with `code`."""
        return any(f.code == code for f in self.request.report.findings)

    def external_addresses(self) -> frozenset[str]:
        """Lower-cased external addresses (for the Bcc conversion)."""
        return frozenset(r.address.lower() for g in self.external_groups for r in g.rows)

    def with_external_in_bcc(self) -> ReviewModel:
        """The checklist once external To/Cc recipients moved to Bcc: they no longer see each other."""
        report = Report.of(f for f in self.request.report.findings if f.code != "many-external-visible")
        groups = tuple(
            replace(g, rows=tuple(replace(r, field="bcc") if r.field in ("to", "cc") else r for r in g.rows))
            for g in self.external_groups
        )
        return replace(
            self, request=replace(self.request, report=report), external_groups=groups,
            message_findings=report.for_target(MESSAGE),
        )


def _no_company(domain: str) -> str:
    return ""


def build_model(
    request: ReviewRequest,
    company_for_domain: CompanyLookup | None = None,
    is_internal: Callable[[str], bool] | None = None,
) -> ReviewModel:
    """Group recipients and attach every finding to the row it concerns."""
    lookup = company_for_domain or _no_company
    report, message = request.report, request.message
    external_idx = {f.target for f in report.findings if f.code == "external-recipient"}
    rows = [
        RecipientRow(
            i, r.field, r.name, r.address, r.domain, recipient_target(i) in external_idx,
            report.for_target(recipient_target(i)),
        )
        for i, r in enumerate(message.recipients)
    ]
    # The relay may pass Bcc addresses only in the envelope: list them too, so every recipient is ticked.
    listed = {r.address.lower() for r in rows}
    for addr in request.envelope.rcpt_tos:
        if addr.lower() not in listed:
            listed.add(addr.lower())
            domain = make_address("bcc", "", addr).domain
            internal = is_internal(domain) if is_internal else False
            rows.append(RecipientRow(None, "bcc", "", addr, domain, not internal, ()))
    groups: dict[str, list[RecipientRow]] = {}
    for row in rows:
        if row.external:
            groups.setdefault(row.domain, []).append(row)
    external_groups = tuple(DomainGroup(d, _company(lookup, d), tuple(rs)) for d, rs in groups.items())
    files = tuple(
        AttachmentRow(i, a, report.for_target(attachment_target(i))) for i, a in message.files
    )
    return ReviewModel(
        request=request,
        external_groups=external_groups,
        internal=tuple(r for r in rows if not r.external),
        attachments=files,
        subject_findings=report.for_target(SUBJECT),
        body_findings=report.for_target(BODY),
        message_findings=report.for_target(MESSAGE),
    )


def _company(lookup: CompanyLookup, domain: str) -> str:
    # Contacts lookups are best effort: a broken address book must not stop the review.
    try:
        return lookup(domain) or ""
    except Exception:  # noqa: BLE001
        return ""


def quoted_lines(body: str) -> list[tuple[str, bool]]:
    """Body lines with a flag telling whether each belongs to the quoted original (core decides)."""
    lines = body_lines(body)
    if len(lines) > 1 and not lines[-1]:
        lines.pop()  # a final line break ends the last line, it does not start an empty one
    return list(zip(lines, quoted_line_flags(lines), strict=True))


def format_size(size: int) -> str:
    """Human-readable size (B, KB, MB)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
