"""Sentences for every finding code, in Japanese and English, rendered from the finding's params.

Each code has templates in preference order; the first whose placeholders are all present in `params`
is used, so a rule that adds fewer params still gets a sensible sentence. The CLI report and the review
dialog both read them from here. The protection dialog's sentences (errors, password strength) are
composed here too, from the catalog's `protect-error*` and `strength*` texts.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

from missend_guard.core.check.codes import ALL_CODES
from missend_guard.core.check.findings import Finding
from missend_guard.texts.catalog import LANGUAGES, has_text, language, text

_JA: Mapping[str, tuple[str, ...]] = {
    "external-recipient": ("社外の宛先です（{domain}）", "社外の宛先です"),
    "many-external-visible": (
        "社外の宛先 {external_addresses}件（{external_domains}社）が To/Cc で互いに見えます。"
        "Bcc への変更を検討してください",
        "社外の宛先が To/Cc で互いに見えます。Bcc への変更を検討してください",
    ),
    "lookalike-domain": (
        "{domain} — {similar_to} に似ています。宛先の打ち間違いではありませんか",
        "よく使うドメインに似たドメインです。打ち間違いではありませんか",
    ),
    "lookalike-contact": (
        "「{name}」は連絡先の「{similar_name}」とよく似ています。別の方ではありませんか",
        "{address} — 連絡先の {similar_to} に似ています",
        "連絡先の別の方とよく似た宛先です",
    ),
    # A reason-specific text wins over the generic one (`params["reason"]`).
    "lookalike-contact:address": (
        "連絡先のアドレス {similar_to} と少しだけ違います。打ち間違いではありませんか",
        "連絡先のアドレスと少しだけ違います。打ち間違いではありませんか",
    ),
    "first-time-recipient": ("初めて送信する宛先です（{address}）", "初めて送信する宛先です"),
    # `params["sent_days"]`: sent to before, but only past a look-alike warning (not trusted yet).
    "first-time-recipient:sent-before": (
        "{address} には以前にも送信していますが、似た宛先の警告を確認したうえでの送信でした。"
        "正しい宛先かご確認ください",
        "以前にも送信していますが、似た宛先の警告を確認したうえでの送信でした。正しい宛先かご確認ください",
    ),
    "free-mail-domain": (
        "フリーメールのアドレスです。この方には会社のアドレス {business_address} があります",
        "フリーメールのアドレスです（{domain}）",
        "フリーメールのアドレスです",
    ),
    "missing-attachment": (
        "「{phrase}」とありますが、添付ファイルがありません",
        "添付に触れていますが、添付ファイルがありません",
    ),
    "salutation-mismatch": (
        "本文の宛名「{salutation}」が、宛先（To）のどなたとも一致しません",
        "本文の宛名が宛先と一致しません",
    ),
    "placeholder-left": (
        "テンプレートの「{text}」が残っています",
        "テンプレートの仮の文字が残っています",
    ),
    "confidential-keyword": (
        # `quoted_from` is set when the marker is in quoted mail (`params.location` "quoted")
        "引用しているメール（{quoted_from}）に「{keyword}」とあります。このまま社外に送ってよいかご確認ください",
        "「{keyword}」を含むメールを社外に送ろうとしています",
        "機密を示す語を含むメールを社外に送ろうとしています",
    ),
    "pii-in-body": ("個人情報（{kind}）が含まれています", "個人情報が含まれている可能性があります"),
    "unprotected-attachment": (
        "暗号化されていない添付ファイルを社外に送ります",
    ),
    "hidden-sheet": (
        "非表示のシートがあります：{sheets}",
        "非表示のシートがあります",
    ),
    "tracked-changes": (
        "変更履歴またはコメントが残っています",
    ),
    "attachment-name-mismatch": (
        "ファイル名の「{name}」が宛先に含まれていません",
        "ファイル名の宛名が宛先と一致しません",
    ),
    "empty-subject": ("件名が空です",),
    "large-attachment": (
        "添付ファイルが大きすぎる可能性があります（合計 {size}）",
        "添付ファイルが大きすぎる可能性があります",
    ),
    "blocked-recipient": (
        "送信が禁止されている宛先です（{address}）",
        "送信が禁止されている宛先です",
    ),
    "malformed-message": (
        "{filename} は破損しているか大きすぎるため、中身を確認できませんでした",
        "メールの一部を正しく読み取れませんでした（{problems}）",
        "メールの一部を正しく読み取れませんでした",
    ),
    "password-in-mail": (
        "パスワードらしき文字列がメールに含まれています。"
        "パスワードは電話やチャットなど別の方法で伝えてください",
    ),
    "new-domain-in-reply": (
        "{domain} はこれまでのやり取りに登場していない宛先です（やり取りのドメイン：{thread_domains}）。"
        "追加してよい宛先かご確認ください",
        "{domain} はこれまでのやり取りに登場していない宛先です。追加してよい宛先かご確認ください",
        "これまでのやり取りに登場していない宛先が追加されています。追加してよい宛先かご確認ください",
    ),
    "internal-thread-to-external": (
        "社内だけでやり取りしたメール（{quoted_from}）を引用したまま社外に送ろうとしています。"
        "引用部分を残してよいかご確認ください",
        "社内だけでやり取りしたメールを引用したまま社外に送ろうとしています。引用部分を残してよいかご確認ください",
    ),
    # `params["kind"]` picks these over the generic text (see `render`).
    "password-in-mail:actual-password": (
        "{recipients} に送った保護ファイルのパスワードそのものが含まれています。"
        "パスワードはメールではなく、電話やチャットなど別の手段でお伝えください",
        "保護したファイルのパスワードそのものが含まれています。"
        "パスワードはメールではなく、電話やチャットなど別の手段でお伝えください",
    ),
}

_EN: Mapping[str, tuple[str, ...]] = {
    "external-recipient": ("Outside your organisation ({domain})", "Outside your organisation"),
    "many-external-visible": (
        "{external_addresses} external addresses from {external_domains} organisations can see each "
        "other in To/Cc. Consider Bcc",
        "External recipients can see each other in To/Cc. Consider Bcc",
    ),
    "lookalike-domain": (
        "{domain} — similar to {similar_to}. Is this a typo?",
        "This domain looks like one you usually write to. Is this a typo?",
    ),
    "lookalike-contact": (
        "\u201c{name}\u201d is very similar to your contact \u201c{similar_name}\u201d. "
        "Is this the right person?",
        "{address} — similar to your contact {similar_to}",
        "Very similar to a different contact",
    ),
    "lookalike-contact:address": (
        "Differs slightly from your contact\u2019s address {similar_to}. Is this a typo?",
        "Differs slightly from a contact\u2019s address. Is this a typo?",
    ),
    "first-time-recipient": ("First time you write to {address}", "First time you write to this address"),
    "first-time-recipient:sent-before": (
        "You wrote to {address} before, but only past a look-alike warning. "
        "Please check that it is the right address",
        "You wrote to this address before, but only past a look-alike warning. "
        "Please check that it is the right address",
    ),
    "free-mail-domain": (
        "Free-mail address; this person also has the business address {business_address}",
        "Free-mail address ({domain})",
        "Free-mail address",
    ),
    "missing-attachment": (
        "The text says \u201c{phrase}\u201d but nothing is attached",
        "The text mentions an attachment but nothing is attached",
    ),
    "salutation-mismatch": (
        "The greeting names \u201c{salutation}\u201d, who is not among the To recipients",
        "The greeting does not match the recipients",
    ),
    "placeholder-left": (
        "Template text left in: \u201c{text}\u201d",
        "Template placeholder left in the text",
    ),
    "confidential-keyword": (
        "The quoted mail from {quoted_from} is marked \u201c{keyword}\u201d and is going outside your "
        "organisation",
        "Marked \u201c{keyword}\u201d and going outside your organisation",
        "Marked confidential and going outside your organisation",
    ),
    "pii-in-body": ("Contains personal data ({kind})", "May contain personal data"),
    "unprotected-attachment": ("Unencrypted file going outside your organisation",),
    "hidden-sheet": ("Hidden sheets: {sheets}", "The workbook has hidden sheets"),
    "tracked-changes": ("The document still has tracked changes or comments",),
    "attachment-name-mismatch": (
        "The file name mentions \u201c{name}\u201d, who is not among the recipients",
        "The file name does not match the recipients",
    ),
    "empty-subject": ("The subject is empty",),
    "large-attachment": ("Attachments are large ({size} in total)", "Attachments are large"),
    "blocked-recipient": ("Sending to {address} is not allowed", "Sending to this address is not allowed"),
    "malformed-message": (
        "{filename} is damaged or too large, so its contents could not be checked",
        "Part of the message could not be read ({problems})",
        "Part of the message could not be read",
    ),
    "password-in-mail": (
        "The mail seems to contain a password. Tell passwords by phone or chat, never by mail",
    ),
    "new-domain-in-reply": (
        "{domain} has not taken part in this thread so far (thread: {thread_domains}). "
        "Please check that it should be added",
        "{domain} has not taken part in this thread so far. Please check that it should be added",
        "A recipient new to this thread was added. Please check that it should be added",
    ),
    "internal-thread-to-external": (
        "Mail exchanged only inside your organisation ({quoted_from}) is quoted in a message going outside. "
        "Please check that the quoted part may stay",
        "Mail exchanged only inside your organisation is quoted in a message going outside. "
        "Please check that the quoted part may stay",
    ),
    "password-in-mail:actual-password": (
        "This mail contains the actual password of the protected files sent to {recipients}. "
        "Tell it by phone or chat, not by mail",
        "This mail contains the actual password of a protected file. "
        "Tell it by phone or chat, not by mail",
    ),
}

# language -> code (or "code:variant") -> templates, most specific first
TEMPLATES: Mapping[str, Mapping[str, tuple[str, ...]]] = {"ja": _JA, "en": _EN}

# Added to a look-alike finding whose recipient was sent to before, past the same warning.
_SENT_BEFORE = {
    "ja": "（以前にも送信していますが、まだ確認済みの宛先としては扱っていません）",
    "en": " (You wrote to it before, but it is not treated as a confirmed address yet.)",
}

# PII kinds are data in params; their names are text.
_PII_KINDS = {
    "ja": {"card": "カード番号", "credit-card": "カード番号", "mynumber": "マイナンバー"},
    "en": {"card": "card number", "credit-card": "card number", "mynumber": "My Number"},
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _size(value: Any) -> str:
    try:
        size = float(value)
    except (TypeError, ValueError):
        return str(value)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _value(key: str, value: Any, lang: str) -> str:
    if key == "kind":
        return _PII_KINDS[lang].get(str(value), str(value))
    if key in ("size", "total_bytes", "limit_bytes"):
        return _size(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return text("punct.list", lang).join(str(v) for v in value)
    return str(value)


def render(code: str, params: Mapping[str, Any], lang: str) -> str:
    """The sentence for `code` in `lang` ("ja"/"en"; anything else falls back to English)."""
    lang = language(lang)
    values = {k: _value(k, v, lang) for k, v in params.items() if v not in (None, "", [], ())}
    if "size" not in values and "total_bytes" in values:
        values["size"] = values["total_bytes"]
    # Sent to before, but only past a look-alike warning: the code's own variant says so, else a note.
    own = TEMPLATES[lang].get(f"{code}:sent-before") if "sent_days" in params else None
    templates = own
    for variant in (params.get("reason"), params.get("kind")):
        if variant and templates is None:
            templates = TEMPLATES[lang].get(f"{code}:{variant}")
    templates = templates or TEMPLATES[lang].get(code)
    if not templates:
        return code
    note = _SENT_BEFORE[lang] if "sent_days" in params and own is None else ""
    for template in templates:
        if _fields(template) <= values.keys():
            return template.format(**values) + note
    return templates[-1].format(**{k: values.get(k, "") for k in _fields(templates[-1])}) + note


def finding_text(finding: Finding, lang: str) -> str:
    """The sentence for one finding (the same in the review dialog and the CLI report)."""
    return render(finding.code, finding.params, lang)


def missing_texts() -> list[tuple[str, str]]:
    """(language, code) pairs without a parameter-free fallback text; empty when complete."""
    missing = []
    for lang in LANGUAGES:
        for code in ALL_CODES:
            templates = TEMPLATES[lang].get(code, ())
            if not templates or _fields(templates[-1]):
                missing.append((lang, code))
    return missing


def protect_error_text(code: str, lang: str) -> str:
    """A sentence the user can act on for a ProtectError code (unknown codes get a generic one)."""
    key = f"protect-error.{code}"
    return text(key, lang) if has_text(key) else text("protect-error", lang, code=code)


def strength_text(level: str, reasons: Sequence[str], lang: str) -> str:
    """"Strength: weak — Use at least 12 characters; ..." for a typed password."""
    name = _known(f"strength.level.{level}", level, lang)
    hints = [_known(f"strength.reason.{reason}", reason, lang) for reason in reasons]
    line = text("strength", lang, level=name)
    if hints:
        line += text("strength.hints", lang, hints=text("strength.hint-separator", lang).join(hints))
    return line


def _known(key: str, raw: str, lang: str) -> str:
    # Levels and reasons arrive as data; one the catalog does not know yet is shown as is.
    return text(key, lang) if has_text(key) else raw
