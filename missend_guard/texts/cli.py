"""Texts of the CLI's readable report (`missend-guard check` without `--json`)."""

from __future__ import annotations

from collections.abc import Mapping

TEXTS: Mapping[str, Mapping[str, str]] = {
    "report.subject": {"en": "Subject", "ja": "件名"},
    "report.from": {"en": "From", "ja": "差出人"},
    "report.recipients": {"en": "Recipients", "ja": "宛先"},
    "report.attachments": {"en": "Attachments", "ja": "添付ファイル"},
    "report.findings": {"en": "Findings", "ja": "検出事項"},
    "report.none": {"en": "none", "ja": "なし"},
    "report.external": {"en": "external", "ja": "社外"},
    "report.internal": {"en": "internal", "ja": "社内"},
    "report.encrypted": {"en": "encrypted", "ja": "暗号化あり"},
    "report.result.ok": {"en": "Nothing to worry about.", "ja": "問題は見つかりませんでした。"},
    "report.result.warning": {
        "en": "Please check the warnings above.",
        "ja": "上記の警告をご確認ください。",
    },
    "report.result.block": {
        "en": "This mail would be blocked.",
        "ja": "このメールは送信できません（ポリシーにより禁止）。",
    },
    # Severity names by Severity.label (the contract's "info", "warning", "block").
    "report.severity.info": {"en": "info", "ja": "情報"},
    "report.severity.warning": {"en": "warning", "ja": "警告"},
    "report.severity.block": {"en": "block", "ja": "禁止"},
    # What a finding is about when it is not one recipient or attachment (Finding.target's kind).
    "report.target.subject": {"en": "subject", "ja": "件名"},
    "report.target.body": {"en": "body", "ja": "本文"},
    "report.target.message": {"en": "message", "ja": "メール全体"},
}
