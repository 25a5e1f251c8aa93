"""The one declarative table of settings (the settings dialog is built from it), validation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from missend_guard.core.check.codes import DEFAULT_SEVERITY
from missend_guard.core.check.findings import Severity
from missend_guard.core.check.policy import DEFAULT_CONFIDENTIAL_KEYWORDS
from missend_guard.core.errors import UserError
from missend_guard.core.message.model import unicode_domain

SETTING_TYPES = ("bool", "int", "str", "list[str]", "choice")


class SettingsError(UserError):
    """A setting could not be set or read; the message is shown to the user as is."""


@dataclass(frozen=True)
class SettingSpec:
    """One setting: what it is, its default, how to label it (en/ja) and what values it accepts."""

    key: str
    type: str  # one of SETTING_TYPES
    default: Any
    group: str  # a key of SETTING_GROUPS
    label_en: str
    label_ja: str
    description_en: str
    description_ja: str
    choices: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class SettingGroup:
    """A page or section of the settings dialog."""

    key: str
    label_en: str
    label_ja: str


SETTING_GROUPS: tuple[SettingGroup, ...] = (
    SettingGroup("general", "General", "一般"),
    SettingGroup("sending", "Sending", "送信"),
    SettingGroup("recipients", "Recipients", "宛先"),
    SettingGroup("content", "Content", "本文・件名"),
    SettingGroup("attachments", "Attachments", "添付ファイル"),
    SettingGroup("advanced", "Advanced", "詳細設定"),
)

_MIB = 1024 * 1024
_S = SettingSpec

SETTINGS: tuple[SettingSpec, ...] = (
    # general
    _S("language", "choice", "", "general",
       "Language", "表示言語",
       "Language of the app. Empty follows the system.",
       "画面に表示する言語です。空欄の場合はシステムの設定に従います。",
       choices=("", "ja", "en")),
    _S("start_at_login", "bool", False, "general",
       "Start at login", "ログイン時に起動する",
       "Start Missend Guard when you sign in.",
       "パソコンにサインインしたときに Missend Guard を自動的に起動します。"),
    _S("quiet_when_safe", "bool", True, "general",
       "Skip the review when safe", "安全なときは確認を省略する",
       "Send without a dialog when every recipient is internal and known and nothing "
       "needs attention (the hold still applies).",
       "宛先がすべて社内の既知のアドレスで、注意すべき点がない場合は"
       "確認画面を表示せずに送信します（送信待機時間は適用されます）。"),
    # sending
    _S("hold_seconds", "int", 10, "sending",
       "Hold before sending (seconds)", "送信待機時間（秒）",
       "How long a confirmed mail waits so you can still undo it. 0 sends at once.",
       "確認後、送信を取り消せるようにメールを待機させる時間です。0 にするとすぐに送信します。",
       minimum=0, maximum=600),
    _S("save_to_sent_items", "bool", True, "sending",
       "Save to Sent Items", "送信済みアイテムに保存する",
       "Keep a copy in Sent Items when sending through Microsoft 365.",
       "Microsoft 365 経由で送信したメールを送信済みアイテムに保存します。"),
    _S("retry_max_attempts", "int", 8, "sending",
       "Delivery attempts", "送信の最大試行回数",
       "Attempts for a temporary failure before the mail is marked as failed.",
       "一時的なエラーで送信できなかった場合に再試行する回数です。"
       "超えると送信失敗として保管します。",
       minimum=1, maximum=100),
    _S("retry_backoff_base_seconds", "int", 30, "sending",
       "First retry after (seconds)", "最初の再試行までの時間（秒）",
       "Wait before the first retry; it doubles after each failure.",
       "最初に再試行するまでの待ち時間です。失敗するたびに 2 倍になります。",
       minimum=1, maximum=3600),
    _S("retry_backoff_cap_seconds", "int", 1800, "sending",
       "Longest wait between retries (seconds)", "再試行間隔の上限（秒）",
       "Retries are never further apart than this.",
       "再試行の間隔がこの時間を超えることはありません。",
       minimum=1, maximum=86400),
    _S("relay_port", "int", 2525, "sending",
       "Local relay port", "ローカル中継ポート",
       "Port on 127.0.0.1 your mail program sends to. "
       "Change the mail program's outgoing server too.",
       "メールソフトが送信に使う 127.0.0.1 のポート番号です。"
       "変更した場合はメールソフトの送信サーバー設定も変更してください。",
       minimum=1, maximum=65535),
    _S("max_message_bytes", "int", 50 * _MIB, "sending",
       "Largest message (bytes)", "メールの最大サイズ（バイト）",
       "Larger messages are refused by the local relay.",
       "これより大きいメールはローカル中継で受け付けません。",
       minimum=1024, maximum=1024 * _MIB),
    # recipients
    _S("internal_domains", "list[str]", (), "recipients",
       "Internal domains", "社内ドメイン",
       "Domains of your organisation; their subdomains count as internal too.",
       "自社のドメインです。サブドメインも社内として扱います。"),
    _S("blocked_domains", "list[str]", (), "recipients",
       "Blocked domains", "送信禁止ドメイン",
       "Mail to these domains (and their subdomains) is never sent.",
       "これらのドメイン（サブドメインを含む）宛てのメールは送信しません。"),
    _S("blocked_addresses", "list[str]", (), "recipients",
       "Blocked addresses", "送信禁止アドレス",
       "Mail to these addresses is never sent.",
       "これらのアドレス宛てのメールは送信しません。"),
    _S("max_external_domains_visible", "int", 3, "recipients",
       "External domains visible to each other", "宛先・CC に表示される社外ドメイン数の上限",
       "Warn when To and Cc show this many different external domains (use Bcc instead).",
       "宛先と CC に含まれる社外ドメインがこの数以上のときに警告します"
       "（BCC の利用をお勧めします）。",
       minimum=1, maximum=1000),
    _S("max_external_addresses_visible", "int", 10, "recipients",
       "External addresses visible to each other", "宛先・CC に表示される社外アドレス数の上限",
       "Warn when To and Cc show this many external addresses.",
       "宛先と CC に含まれる社外アドレスがこの数以上のときに警告します。",
       minimum=1, maximum=10000),
    _S("contacts_files", "list[str]", (), "recipients",
       "Contact files", "連絡先ファイル",
       "vCard (.vcf) or CSV exports from Outlook or Thunderbird.",
       "Outlook や Thunderbird から書き出した vCard（.vcf）または CSV ファイルです。"),
    # content
    _S("confidential_keywords", "list[str]", tuple(DEFAULT_CONFIDENTIAL_KEYWORDS), "content",
       "Confidential keywords", "機密キーワード",
       "Warn when these words appear in mail to external recipients.",
       "社外宛てのメールにこれらの語句が含まれている場合に警告します。"),
    # attachments
    _S("large_attachment_mb", "int", 10, "attachments",
       "Large attachments (MB)", "大きな添付ファイル（MB）",
       "Note attachments larger than this in total.",
       "添付ファイルの合計がこのサイズを超えるとお知らせします。",
       minimum=1, maximum=10000),
    _S("require_protection", "bool", False, "attachments",
       "Require protected attachments", "添付ファイルの保護を必須にする",
       "Attachments to external recipients must be encrypted before sending.",
       "社外宛ての添付ファイルは暗号化しないと送信できません。"),
    _S("zip_refusing_domains", "list[str]", (), "attachments",
       "Domains refusing encrypted ZIP", "暗号化 ZIP を受け付けないドメイン",
       "Recipients on these domains cannot receive password-protected ZIP files.",
       "これらのドメインの宛先はパスワード付き ZIP ファイルを受信できません。"),
    _S("keep_protection_passwords_days", "int", 7, "attachments",
       "Keep protection passwords (days)", "添付ファイルのパスワードの保存期間（日）",
       "How long passwords of protected attachments stay in the keychain. "
       "0 never keeps them.",
       "暗号化した添付ファイルのパスワードをキーチェーンに保存する日数です。"
       "0 の場合は保存しません。",
       minimum=0, maximum=365),
    # advanced
    _S("headless_block_severity", "choice", "warning", "advanced",
       "Headless mode refuses from", "ヘッドレスモードで拒否する重要度",
       "Without a display, mail with a finding at or above this severity is refused.",
       "画面のない環境では、この重要度以上の指摘があるメールの送信を拒否します。",
       choices=("info", "warning", "block")),
    _S("audit_subject", "choice", "hash", "advanced",
       "Subjects in the audit log", "監査ログの件名",
       "\"hash\" records only a fingerprint of the subject; \"plain\" records the subject.",
       "「hash」は件名の識別用ハッシュのみを記録し、「plain」は件名をそのまま記録します。",
       choices=("hash", "plain")),
    _S("severity_overrides", "list[str]", (), "advanced",
       "Severity overrides", "重要度の変更",
       "Lines of the form code=severity, e.g. free-mail-domain=block.",
       "「コード=重要度」の形式で 1 行ずつ指定します（例: free-mail-domain=block）。"),
)

SPECS: Mapping[str, SettingSpec] = {spec.key: spec for spec in SETTINGS}
DEFAULTS: Mapping[str, Any] = {spec.key: spec.default for spec in SETTINGS}


def spec_for(key: str) -> SettingSpec:
    """The spec of `key`; SettingsError for an unknown key."""
    try:
        return SPECS[key]
    except KeyError:
        raise SettingsError(f"Unknown setting {key!r}.") from None


def validate(key: str, value: Any) -> Any:
    """The normalised value for `key` (lists become tuples); SettingsError naming the setting."""
    spec = spec_for(key)
    name = f"{spec.label_en} ({key})"
    if spec.type == "bool":
        if not isinstance(value, bool):
            raise SettingsError(f"{name} must be true or false, not {value!r}.")
        return value
    if spec.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"{name} must be a whole number, not {value!r}.")
        if spec.minimum is not None and value < spec.minimum:
            raise SettingsError(f"{name} must be at least {spec.minimum} (got {value}).")
        if spec.maximum is not None and value > spec.maximum:
            raise SettingsError(f"{name} must be at most {spec.maximum} (got {value}).")
        return value
    if spec.type in ("str", "choice"):
        if not isinstance(value, str):
            raise SettingsError(f"{name} must be text, not {value!r}.")
        if spec.choices is not None and value not in spec.choices:
            allowed = ", ".join(repr(c) for c in spec.choices)
            raise SettingsError(f"{name} must be one of {allowed} (got {value!r}).")
        return value
    return _validate_list(spec, name, value)


def _validate_list(spec: SettingSpec, name: str, value: Any) -> tuple[str, ...]:
    if spec.key == "severity_overrides" and isinstance(value, Mapping):
        value = [f"{k}={v}" for k, v in value.items()]  # admins may write a JSON object
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise SettingsError(f"{name} must be a list of text entries, not {value!r}.")
    items: list[str] = []
    for raw in value:
        if not isinstance(raw, str):
            raise SettingsError(f"{name}: every entry must be text, not {raw!r}.")
        item = raw.strip()
        if not item:
            continue
        if spec.key.endswith("_domains"):
            # Message domains are compared in Unicode form, so punycode entries must be decoded too.
            item = unicode_domain(item.lstrip("@"))
        elif spec.key == "blocked_addresses":
            item = item.lower()
        elif spec.key == "severity_overrides":
            item = _severity_override(name, item)
        if item not in items:
            items.append(item)
    return tuple(items)


def _severity_override(name: str, entry: str) -> str:
    code, eq, level = entry.partition("=")
    code, level = code.strip(), level.strip().lower()
    if not eq or code not in DEFAULT_SEVERITY:
        raise SettingsError(
            f"{name}: {entry!r} must look like finding-code=severity with a known code."
        )
    try:
        Severity.parse(level)
    except ValueError as exc:
        raise SettingsError(f"{name}: {exc}.") from None
    return f"{code}={level}"


def severity_map(entries: Sequence[str]) -> dict[str, Severity]:
    """The overrides of validated `code=severity` entries."""
    result: dict[str, Severity] = {}
    for entry in entries:
        code, _, level = entry.partition("=")
        result[code] = Severity.parse(level)
    return result
