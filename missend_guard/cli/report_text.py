"""Readable ja/en report of a check, for the terminal (the Qt UI has its own tr() texts)."""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping
from typing import Any

from missend_guard.core.codes import HIGH_RISK_CODES
from missend_guard.core.findings import Finding, Report, Severity
from missend_guard.core.message import Message

# code → (English, Japanese). Placeholders name params; a missing param renders as "?".
FINDING_TEXTS: Mapping[str, tuple[str, str]] = {
    "external-recipient": ("External recipient ({domain}).", "社外の宛先です（{domain}）。"),
    "many-external-visible": (
        "{external_addresses} external addresses from {external_domains} domains can see each other "
        "in To/Cc. Use Bcc for recipients who do not know each other.",
        "To/Cc に社外の宛先が {external_addresses} 件（{external_domains} ドメイン）あり、"
        "互いのアドレスが見えます。面識のない相手には Bcc をお使いください。",
    ),
    "lookalike-domain": (
        "{domain} looks like {similar_to}, which you know. Check the domain.",
        "{domain} は、既知の {similar_to} によく似ています。ドメインをご確認ください。",
    ),
    "lookalike-contact": (
        "{address} ({name}) is close to another contact: {similar_to} ({similar_name}).",
        "{address}（{name}）は別の連絡先 {similar_to}（{similar_name}）とよく似ています。",
    ),
    "first-time-recipient": (
        "First mail to {address}: not in your contacts or sent history.",
        "{address} へは初めての送信です（連絡先・送信履歴にありません）。",
    ),
    "free-mail-domain": (
        "{domain} is a free-mail address{business_hint}.",
        "{domain} はフリーメールのアドレスです{business_hint}。",
    ),
    "missing-attachment": (
        "The mail mentions an attachment (\u201c{phrase}\u201d) but has none.",
        "本文・件名に「{phrase}」とありますが、添付ファイルがありません。",
    ),
    "salutation-mismatch": (
        "The salutation names \u201c{salutation}\u201d, who is not among the To recipients.",
        "宛名の「{salutation}」が To の宛先の誰とも一致しません。",
    ),
    "placeholder-left": (
        "Unfilled template text: \u201c{text}\u201d.",
        "テンプレートの未記入箇所が残っています：「{text}」。",
    ),
    "confidential-keyword": (
        "\u201c{keyword}\u201d appears in a mail going outside.",
        "社外宛てのメールに「{keyword}」が含まれています。",
    ),
    "pii-in-body": (
        "Personal data in the text ({kind}).",
        "本文に個人情報らしき番号があります（{kind}）。",
    ),
    "unprotected-attachment": (
        "{filename} goes outside without encryption.",
        "{filename} は暗号化されずに社外へ送られます。",
    ),
    "hidden-sheet": (
        "{filename} has hidden sheets: {sheets}.",
        "{filename} に非表示のシートがあります：{sheets}。",
    ),
    "tracked-changes": (
        "{filename} still has tracked changes or comments.",
        "{filename} に変更履歴またはコメントが残っています。",
    ),
    "attachment-name-mismatch": (
        "{filename} names {names}, who is not among the recipients.",
        "{filename} のファイル名にある {names} は宛先に含まれていません。",
    ),
    "empty-subject": ("The subject is empty.", "件名が空です。"),
    "large-attachment": (
        "Attachments total {total_mb} MB (limit {limit_mb} MB).",
        "添付ファイルの合計が {total_mb} MB です（上限 {limit_mb} MB）。",
    ),
    "blocked-recipient": (
        "{address} is blocked by policy.",
        "{address} はポリシーで送信が禁止されています。",
    ),
    "malformed-message": (
        "The message could not be fully decoded ({what}).",
        "メールの一部を解読できませんでした（{what}）。",
    ),
    "password-in-mail": (
        "The mail seems to carry a password for a protected file. Tell it by phone or chat instead.",
        "保護したファイルのパスワードがメールに含まれているようです。電話やチャットなど別の手段でお伝えください。",
    ),
}

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


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def _params(finding: Finding, lang: str) -> _Params:
    params = _Params(finding.params)
    for key, value in list(params.items()):
        if isinstance(value, list | tuple):
            params[key] = "、".join(map(str, value)) if lang == "ja" else ", ".join(map(str, value))
    if "total_bytes" in params:
        params["total_mb"] = f"{int(finding.params['total_bytes']) / 1048576:.1f}"
    if "limit_bytes" in params:
        params["limit_mb"] = f"{int(finding.params['limit_bytes']) / 1048576:.0f}"
    business = finding.params.get("business_address")
    if business:
        params["business_hint"] = (
            f"（この方の会社のアドレスは {business} です）"
            if lang == "ja"
            else f" (their business address is {business})"
        )
    else:
        params["business_hint"] = ""
    if finding.code == "malformed-message" and "what" not in params:
        what = (
            finding.params.get("problem")
            or finding.params.get("problems")
            or finding.params.get("check_failed")
        )
        params["what"] = ", ".join(map(str, what)) if isinstance(what, list | tuple) else str(what or "?")
    return params


def finding_text(finding: Finding, lang: str) -> str:
    """One sentence explaining a finding in `lang`."""
    en, ja = FINDING_TEXTS.get(finding.code, (finding.code, finding.code))
    return (ja if lang == "ja" else en).format_map(_params(finding, lang))


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
