"""Texts of the Outlook bridge: the tray's status line and its notices (keys `outlook.*`)."""

from __future__ import annotations

from collections.abc import Mapping

TEXTS: Mapping[str, Mapping[str, str]] = {
    # One per transports.outlook.bridge.OutlookStatus value.
    "outlook.status.connected": {"en": "Outlook: connected", "ja": "Outlook: 接続中"},
    "outlook.status.not-running": {"en": "Outlook: not running", "ja": "Outlook: 起動していません"},
    "outlook.status.stopped": {"en": "Outlook: not checked", "ja": "Outlook: 確認していません"},
    "outlook.held.title": {"en": "Held in Outlook", "ja": "Outlook で送信を保留しています"},
    "outlook.held": {
        "en": "“{subject}” leaves Outlook at {time}. Undo moves it back to Drafts.",
        "ja": "「{subject}」は {time} に Outlook から送信されます。取り消すと下書きに戻ります。",
    },
    "outlook.kept.title": {"en": "Not sent", "ja": "送信していません"},
    "outlook.kept": {
        "en": "“{subject}” is still open in Outlook: {reason}",
        "ja": "「{subject}」は Outlook で開いたままです（{reason}）。",
    },
    "outlook.undone.title": {"en": "Back in Drafts", "ja": "下書きに戻しました"},
    "outlook.undone": {
        "en": "“{subject}” was not sent. Open it from Drafts in Outlook.",
        "ja": "「{subject}」は送信されていません。Outlook の下書きから開いてください。",
    },
    "outlook.undo-failed.title": {"en": "Could not undo", "ja": "取り消せませんでした"},
    "outlook.undo-failed": {
        "en": "“{subject}” could not be moved back to Drafts: {reason}",
        "ja": "「{subject}」を下書きに戻せませんでした（{reason}）。",
    },
    "outlook.undo-too-late": {
        "en": "“{subject}” has already been sent.",
        "ja": "「{subject}」はすでに送信されています。",
    },
    "outlook.no-subject": {"en": "(no subject)", "ja": "（件名なし）"},
}
