"""Readable ja/en report of a check, for the terminal (the Qt UI has its own tr() texts)."""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

from missend_guard.core.check.codes import HIGH_RISK_CODES
from missend_guard.core.check.findings import Finding, Report, Severity
from missend_guard.core.message.model import Message
from missend_guard.ui.finding_texts import describe

_LABELS = {
    "subject": ("Subject", "件名"),
    "from": ("From", "差出人"),
    "recipients": ("Recipients", "宛先"),
    "attachments": ("Attachments", "添付ファイル"),
    "findings": ("Findings", "検出事項"),
    "none": ("none", "なし"),
    "external": ("external", "社外"),
    "internal": ("internal", "社内"),
    "encrypted": ("encrypted", "暗号化あり"),
    "result_ok": ("Nothing to worry about.", "問題は見つかりませんでした。"),
    "result_warning": ("Please check the warnings above.", "上記の警告をご確認ください。"),
    "result_block": ("This mail would be blocked.", "このメールは送信できません（ポリシーにより禁止）。"),
}
_SEVERITY = {
    Severity.INFO: ("info", "情報"),
    Severity.WARNING: ("warning", "警告"),
    Severity.BLOCK: ("block", "禁止"),
}


def system_language() -> str:
    """'ja' when the user's locale is Japanese, else 'en'."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    name = (locale.getlocale()[0] or "").lower()
    return "ja" if name.startswith(("ja", "japanese")) else "en"


def finding_text(finding: Finding, lang: str) -> str:
    """One sentence explaining a finding in `lang` (the same texts as the review dialog)."""
    return describe(finding, lang)


def _target_label(finding: Finding, message: Message, lang: str) -> str:
    kind, _, index = finding.target.partition(":")
    if kind == "recipient" and index.isdigit() and int(index) < len(message.recipients):
        return message.recipients[int(index)].address
    if kind == "attachment" and index.isdigit() and int(index) < len(message.attachments):
        return message.attachments[int(index)].filename
    labels = {"subject": ("subject", "件名"), "body": ("body", "本文"), "message": ("message", "メール全体")}
    en, ja = labels.get(kind, (kind, kind))
    return ja if lang == "ja" else en


def render_report(message: Message, report: Report, lang: str, internal: Mapping[int, bool]) -> str:
    """The human-readable report printed by `check` without `--json`."""

    def label(key: str) -> str:
        en, ja = _LABELS[key]
        return ja if lang == "ja" else en

    sep = "：" if lang == "ja" else ": "
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
        en, ja = _SEVERITY[f.severity]
        sev = ja if lang == "ja" else en
        lines.append(f"  [{sev}] {_target_label(f, message, lang)}: {finding_text(f, lang)}")
    worst = report.max_severity
    key = (
        "result_block"
        if worst == Severity.BLOCK
        else "result_warning"
        if worst == Severity.WARNING
        else "result_ok"
    )
    lines += ["", label(key)]
    return "\n".join(lines)


def _mailbox(name: str, address: str) -> str:
    return f"{name} <{address}>" if name else address
