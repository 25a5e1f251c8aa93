"""Texts of attachment protection: ProtectError codes and the password-strength hint."""

from __future__ import annotations

from collections.abc import Mapping

TEXTS: Mapping[str, Mapping[str, str]] = {
    # One per core.protect.ProtectError code; plain `protect-error` covers codes added later.
    "protect-error": {
        "en": "The files could not be protected ({code}). Nothing was sent.",
        "ja": "ファイルを保護できませんでした（{code}）。何も送信していません。",
    },
    "protect-error.empty-password": {
        "en": "Enter a password.",
        "ja": "パスワードを入力してください。",
    },
    "protect-error.not-a-pdf": {
        "en": "This file cannot be read as a PDF. Encrypt it as a ZIP instead.",
        "ja": "このファイルは PDF として読み取れません。ZIP で暗号化してください。",
    },
    "protect-error.pdf-unreadable": {
        "en": "The PDF cannot be read, so it cannot be encrypted. Encrypt it as a ZIP instead.",
        "ja": "PDF を読み取れないため暗号化できません。ZIP で暗号化してください。",
    },
    "protect-error.already-encrypted": {
        "en": "This file is already encrypted.",
        "ja": "このファイルはすでに暗号化されています。",
    },
    "protect-error.duplicate-name": {
        "en": "Two files have the same name, so they cannot go into one ZIP.",
        "ja": "同じ名前のファイルがあるため ZIP にまとめられません。",
    },
    "protect-error.nothing-to-zip": {
        "en": "There is no file to encrypt.",
        "ja": "暗号化するファイルがありません。",
    },
    "protect-error.no-such-attachment": {
        "en": "The attachment was not found. Send the mail again from your mail app.",
        "ja": "添付ファイルが見つかりません。メールアプリから送り直してください。",
    },
    "protect-error.structure-not-understood": {
        "en": "The mail's structure cannot be rebuilt safely. Encrypt the file in your mail app "
              "and attach it again.",
        "ja": "メールの構造を安全に組み替えられません。メールアプリでファイルを暗号化してから"
              "添付し直してください。",
    },
    "protect-error.rebuild-failed": {
        "en": "The protected mail could not be built correctly. Nothing was sent. "
              "Attach the files again in your mail app.",
        "ja": "暗号化したメールを正しく作れませんでした。何も送信していません。"
              "メールアプリで添付し直してください。",
    },
    # "Strength: weak — Use at least 12 characters; ..." under the password field.
    "strength": {"en": "Strength: {level}", "ja": "強度：{level}"},
    "strength.hints": {"en": " — {hints}", "ja": " — {hints}"},
    "strength.hint-separator": {"en": "; ", "ja": "。"},
    "strength.level.weak": {"en": "weak", "ja": "弱い"},
    "strength.level.fair": {"en": "fair", "ja": "普通"},
    "strength.level.strong": {"en": "strong", "ja": "強い"},
    "strength.reason.empty": {"en": "The password is empty", "ja": "パスワードが空です"},
    "strength.reason.common": {
        "en": "This is a commonly used password",
        "ja": "よく使われるパスワードです",
    },
    "strength.reason.too-short": {"en": "Use at least 12 characters", "ja": "12文字以上にしてください"},
    "strength.reason.few-classes": {
        "en": "Mix at least three of upper case, lower case, digits and symbols",
        "ja": "英大文字・英小文字・数字・記号のうち3種類以上を使ってください",
    },
    "strength.reason.repetitive": {
        "en": "Too many repeated characters",
        "ja": "同じ文字の繰り返しが多すぎます",
    },
    "strength.reason.sequence": {
        "en": "Contains a run such as abcd or 1234",
        "ja": "abcd や 1234 のような並びが含まれています",
    },
    "strength.reason.non-ascii": {
        "en": "The recipient may not be able to type non-ASCII characters",
        "ja": "全角文字や日本語は受け取る方が入力できないことがあります",
    },
}
