"""Readable ja/en report of a check, for the terminal; its texts come from the shared catalog."""

from __future__ import annotations

from collections.abc import Mapping

from missend_guard.core.check.codes import HIGH_RISK_CODES
from missend_guard.core.check.findings import Finding, Report, Severity
from missend_guard.core.message.model import Message
from missend_guard.texts.catalog import text
from missend_guard.texts.findings import finding_text


def _target_label(finding: Finding, message: Message, lang: str) -> str:
    kind, _, index = finding.target.partition(":")
    if kind == "recipient" and index.isdigit() and int(index) < len(message.recipients):
        return message.recipients[int(index)].address
    if kind == "attachment" and index.isdigit() and int(index) < len(message.attachments):
        return message.attachments[int(index)].filename
    if kind in ("subject", "body", "message"):
        return text(f"report.target.{kind}", lang)
    return kind


def render_report(message: Message, report: Report, lang: str, internal: Mapping[int, bool]) -> str:
    """The human-readable report printed by `check` without `--json`."""

    def label(key: str) -> str:
        return text(f"report.{key}", lang)

    sep = text("punct.label", lang)
    lines = [f"{label('subject')}{sep}{message.subject}"]
    if message.sender:
        lines.append(f"{label('from')}{sep}{_mailbox(message.sender.name, message.sender.address)}")
    lines.append(f"{label('recipients')}{sep}")
    for i, r in enumerate(message.recipients):
        where = label("internal") if internal.get(i) else label("external")
        lines.append(f"  [{where}] {r.field.capitalize():<3} {_mailbox(r.name, r.address)}")
    files = [a for a in message.attachments if not a.inline]
    lines.append(f"{label('attachments')}{sep}{'' if files else label('none')}")
    for a in files:
        enc = f", {label('encrypted')}" if a.encrypted else ""
        lines.append(f"  {a.filename} ({a.size:,} B, {a.content_type}{enc})")
    # Worst first; among warnings, the ones the dialog makes the user acknowledge one by one first.
    shown = sorted(
        (f for f in report.findings if f.code != "external-recipient"),
        key=lambda f: (-f.severity, f.code not in HIGH_RISK_CODES),
    )
    lines.append(f"{label('findings')}{sep}{'' if shown else label('none')}")
    for f in shown:
        sev = label(f"severity.{f.severity.label}")
        lines.append(f"  [{sev}] {_target_label(f, message, lang)}: {finding_text(f, lang)}")
    worst = report.max_severity
    key = (
        "result.block"
        if worst == Severity.BLOCK
        else "result.warning"
        if worst == Severity.WARNING
        else "result.ok"
    )
    lines += ["", label(key)]
    return "\n".join(lines)


def _mailbox(name: str, address: str) -> str:
    return f"{name} <{address}>" if name else address
