"""Labels and descriptions of every setting and settings group, by key (the schema holds no text)."""

from __future__ import annotations

from collections.abc import Mapping

# group key -> language -> tab or section title
GROUPS: Mapping[str, Mapping[str, str]] = {
    "general": {"en": "General", "ja": "一般"},
    "sending": {"en": "Sending", "ja": "送信"},
    "recipients": {"en": "Recipients", "ja": "宛先"},
    "content": {"en": "Content", "ja": "本文・件名"},
    "attachments": {"en": "Attachments", "ja": "添付ファイル"},
    "advanced": {"en": "Advanced", "ja": "詳細設定"},
}

# setting key -> language -> (label, description)
SETTINGS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "language": {
        "en": (
            "Language",
            "Language of the app. Empty follows the system.",
        ),
        "ja": (
            "表示言語",
            "画面に表示する言語です。空欄の場合はシステムの設定に従います。",
        ),
    },
    "start_at_login": {
        "en": (
            "Start at login",
            "Start Missend Guard when you sign in.",
        ),
        "ja": (
            "ログイン時に起動する",
            "パソコンにサインインしたときに Missend Guard を自動的に起動します。",
        ),
    },
    "quiet_when_safe": {
        "en": (
            "Skip the review when safe",
            (
                "Send without a dialog when every recipient is internal and known and nothing "
                "needs attention (the hold still applies)."
            ),
        ),
        "ja": (
            "安全なときは確認を省略する",
            (
                "宛先がすべて社内の既知のアドレスで、"
                "注意すべき点がない場合は確認画面を表示せずに送信します（送信待機時間は適用されます）。"
            ),
        ),
    },
    "outlook_bridge": {
        "en": (
            "Check mail sent from Outlook",
            (
                "Review mail that classic Outlook for Windows sends (Exchange, Microsoft 365, IMAP, "
                "POP) before it leaves. Outlook must be running; the new Outlook and Outlook on the "
                "web are not covered."
            ),
        ),
        "ja": (
            "Outlook から送信するメールを確認する",
            (
                "Windows 版の従来の Outlook（Exchange、Microsoft 365、IMAP、POP）から送信するメールを、"
                "送信前に確認します。Outlook の起動中に動作します。新しい Outlook と Outlook on the web は"
                "対象外です。"
            ),
        ),
    },
    "hold_seconds": {
        "en": (
            "Hold before sending (seconds)",
            "How long a confirmed mail waits so you can still undo it. 0 sends at once.",
        ),
        "ja": (
            "送信待機時間（秒）",
            "確認後、送信を取り消せるようにメールを待機させる時間です。0 にするとすぐに送信します。",
        ),
    },
    "save_to_sent_items": {
        "en": (
            "Save to Sent Items",
            "Keep a copy in Sent Items when sending through Microsoft 365.",
        ),
        "ja": (
            "送信済みアイテムに保存する",
            "Microsoft 365 経由で送信したメールを送信済みアイテムに保存します。",
        ),
    },
    "retry_max_attempts": {
        "en": (
            "Delivery attempts",
            "Attempts for a temporary failure before the mail is marked as failed.",
        ),
        "ja": (
            "送信の最大試行回数",
            "一時的なエラーで送信できなかった場合に再試行する回数です。超えると送信失敗として保管します。",
        ),
    },
    "retry_backoff_base_seconds": {
        "en": (
            "First retry after (seconds)",
            "Wait before the first retry; it doubles after each failure.",
        ),
        "ja": (
            "最初の再試行までの時間（秒）",
            "最初に再試行するまでの待ち時間です。失敗するたびに 2 倍になります。",
        ),
    },
    "retry_backoff_cap_seconds": {
        "en": (
            "Longest wait between retries (seconds)",
            "Retries are never further apart than this.",
        ),
        "ja": (
            "再試行間隔の上限（秒）",
            "再試行の間隔がこの時間を超えることはありません。",
        ),
    },
    "relay_port": {
        "en": (
            "Local relay port",
            "Port on 127.0.0.1 your mail program sends to. Change the mail program's outgoing server too.",
        ),
        "ja": (
            "ローカル中継ポート",
            (
                "メールソフトが送信に使う 127.0.0.1 のポート番号です。"
                "変更した場合はメールソフトの送信サーバー設定も変更してください。"
            ),
        ),
    },
    "max_message_bytes": {
        "en": (
            "Largest message (bytes)",
            "Larger messages are refused by the local relay.",
        ),
        "ja": (
            "メールの最大サイズ（バイト）",
            "これより大きいメールはローカル中継で受け付けません。",
        ),
    },
    "relay_max_connections": {
        "en": (
            "Connections to the local relay at once",
            (
                "Most connections the local relay keeps open at the same time. When it is full, "
                "an idle connection that has not logged in is closed to make room."
            ),
        ),
        "ja": (
            "ローカル中継の同時接続数",
            (
                "ローカル中継が同時に受け付ける接続の上限です。"
                "上限に達すると、ログインしていない待機中の接続を切断して新しい接続を受け付けます。"
            ),
        ),
    },
    "internal_domains": {
        "en": (
            "Internal domains",
            "Domains of your organisation; their subdomains count as internal too.",
        ),
        "ja": (
            "社内ドメイン",
            "自社のドメインです。サブドメインも社内として扱います。",
        ),
    },
    "blocked_domains": {
        "en": (
            "Blocked domains",
            "Mail to these domains (and their subdomains) is never sent.",
        ),
        "ja": (
            "送信禁止ドメイン",
            "これらのドメイン（サブドメインを含む）宛てのメールは送信しません。",
        ),
    },
    "blocked_addresses": {
        "en": (
            "Blocked addresses",
            "Mail to these addresses is never sent.",
        ),
        "ja": (
            "送信禁止アドレス",
            "これらのアドレス宛てのメールは送信しません。",
        ),
    },
    "max_external_domains_visible": {
        "en": (
            "External domains visible to each other",
            "Warn when To and Cc show this many different external domains (use Bcc instead).",
        ),
        "ja": (
            "宛先・CC に表示される社外ドメイン数の上限",
            "宛先と CC に含まれる社外ドメインがこの数以上のときに警告します（BCC の利用をお勧めします）。",
        ),
    },
    "max_external_addresses_visible": {
        "en": (
            "External addresses visible to each other",
            "Warn when To and Cc show this many external addresses.",
        ),
        "ja": (
            "宛先・CC に表示される社外アドレス数の上限",
            "宛先と CC に含まれる社外アドレスがこの数以上のときに警告します。",
        ),
    },
    "trust_after_days": {
        "en": (
            "Days before a look-alike address is trusted",
            "An address or domain you sent to past a look-alike warning keeps being flagged until "
            "mail went to it on this many different days, or you mark it as correct in the review.",
        ),
        "ja": (
            "似た宛先を確認済みとするまでの日数",
            "似た宛先の警告を確認したうえで送信したアドレスやドメインは、別々の日にこの日数だけ"
            "送信するか、確認画面で「この宛先で間違いありません」を押すまで、引き続き警告の対象になります。",
        ),
    },
    "contacts_files": {
        "en": (
            "Contact files",
            "vCard (.vcf) or CSV exports from Outlook or Thunderbird.",
        ),
        "ja": (
            "連絡先ファイル",
            "Outlook や Thunderbird から書き出した vCard（.vcf）または CSV ファイルです。",
        ),
    },
    "confidential_keywords": {
        "en": (
            "Confidential keywords",
            "Warn when these words appear in mail to external recipients.",
        ),
        "ja": (
            "機密キーワード",
            "社外宛てのメールにこれらの語句が含まれている場合に警告します。",
        ),
    },
    "large_attachment_mb": {
        "en": (
            "Large attachments (MB)",
            "Note attachments larger than this in total.",
        ),
        "ja": (
            "大きな添付ファイル（MB）",
            "添付ファイルの合計がこのサイズを超えるとお知らせします。",
        ),
    },
    "require_protection": {
        "en": (
            "Require protected attachments",
            "Attachments to external recipients must be encrypted before sending.",
        ),
        "ja": (
            "添付ファイルの保護を必須にする",
            "社外宛ての添付ファイルは暗号化しないと送信できません。",
        ),
    },
    "zip_refusing_domains": {
        "en": (
            "Domains refusing encrypted ZIP",
            "Recipients on these domains cannot receive password-protected ZIP files.",
        ),
        "ja": (
            "暗号化 ZIP を受け付けないドメイン",
            "これらのドメインの宛先はパスワード付き ZIP ファイルを受信できません。",
        ),
    },
    "keep_protection_passwords_days": {
        "en": (
            "Keep protection passwords (days)",
            "How long passwords of protected attachments stay in the keychain. 0 never keeps them.",
        ),
        "ja": (
            "添付ファイルのパスワードの保存期間（日）",
            "暗号化した添付ファイルのパスワードをキーチェーンに保存する日数です。0 の場合は保存しません。",
        ),
    },
    "headless_block_severity": {
        "en": (
            "Headless mode refuses from",
            "Without a display, mail with a finding at or above this severity is refused.",
        ),
        "ja": (
            "ヘッドレスモードで拒否する重要度",
            "画面のない環境では、この重要度以上の指摘があるメールの送信を拒否します。",
        ),
    },
    "audit_subject": {
        "en": (
            "Subjects in the audit log",
            "\"hash\" records only a fingerprint of the subject; \"plain\" records the subject.",
        ),
        "ja": (
            "監査ログの件名",
            "「hash」は件名の識別用ハッシュのみを記録し、「plain」は件名をそのまま記録します。",
        ),
    },
    "sent_retention_days": {
        "en": (
            "Keep sent mail (days)",
            "Copies of sent mail are deleted from the data folder after this many days. "
            "0 keeps them. The audit log is not affected.",
        ),
        "ja": (
            "送信済みメールの保存期間（日）",
            "送信済みメールの控えを、この日数が過ぎるとデータフォルダーから削除します。"
            "0 の場合は削除しません。監査ログは削除されません。",
        ),
    },
    "severity_overrides": {
        "en": (
            "Severity overrides",
            "Lines of the form code=severity, e.g. free-mail-domain=block.",
        ),
        "ja": (
            "重要度の変更",
            "「コード=重要度」の形式で 1 行ずつ指定します（例: free-mail-domain=block）。",
        ),
    },
}

# The catalog's view: `setting.<key>.label`, `setting.<key>.description`, `setting-group.<key>`.
TEXTS: Mapping[str, Mapping[str, str]] = {
    **{
        f"setting.{key}.label": {lang: pair[0] for lang, pair in texts.items()}
        for key, texts in SETTINGS.items()
    },
    **{
        f"setting.{key}.description": {lang: pair[1] for lang, pair in texts.items()}
        for key, texts in SETTINGS.items()
    },
    **{f"setting-group.{key}": texts for key, texts in GROUPS.items()},
}
