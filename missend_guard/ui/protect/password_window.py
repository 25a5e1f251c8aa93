"""After a protected send: the password hand-off window, the clipboard guard and the keychain keeper."""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QClipboard, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missend_guard.texts import catalog

log = logging.getLogger(__name__)

CLEAR_AFTER_MS = 60_000
_KEY_PREFIX = "protection:"
_INDEX_KEY = "protection-index"
_DAY = 86_400.0


@dataclass(frozen=True)
class Handoff:
    """A confirmed protected send: what the user must tell the recipients, by another channel."""

    message_id: str
    subject: str
    recipients: tuple[str, ...]
    files: tuple[str, ...]
    password: str = field(repr=False)


class ClipboardGuard(QObject):
    """Puts a password on the clipboard and clears it later, only if it still holds that password."""

    def __init__(self, clear_after_ms: int = CLEAR_AFTER_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clear_after_ms = clear_after_ms
        self._copied: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)

    def _clipboard(self) -> QClipboard:
        return QGuiApplication.clipboard()

    def copy(self, text: str) -> None:
        """Copy `text` and (re)start the countdown."""
        self._copied = text
        self._clipboard().setText(text)
        self._timer.start(self.clear_after_ms)

    @property
    def pending(self) -> bool:
        """True while a copied password waits to be cleared."""
        return self._timer.isActive()

    @Slot()
    def _on_timeout(self) -> None:
        self.clear_now()

    def clear_now(self) -> None:
        """Clear the clipboard if it still holds what we copied (the user may have copied else)."""
        self._timer.stop()
        copied, self._copied = self._copied, None
        if copied is not None and self._clipboard().text() == copied:
            self._clipboard().clear()


class PasswordKeeper:
    """Protection passwords in the OS keychain under the message-id, each with its expiry.

    The keychain cannot list its entries, so an index entry (message-id → expiry, no passwords)
    lets expired passwords be deleted the next time one is kept.
    """

    def __init__(
        self,
        put: Callable[[str, str], None],
        get: Callable[[str], str | None],
        delete: Callable[[str], None],
        days: Callable[[], float],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._put, self._get, self._delete = put, get, delete
        self._days = days
        self._clock = clock

    def keep(self, message_id: str, password: str) -> bool:
        """Store the password for the configured days; False when keeping is off (0 days)."""
        days = float(self._days())
        if days <= 0 or not message_id:
            return False
        expires = self._clock() + days * _DAY
        self._put(_KEY_PREFIX + message_id, json.dumps({"password": password, "expires": expires}))
        index = self._index()
        index[message_id] = expires
        self._purge(index)
        return True

    def lookup(self, message_id: str) -> str | None:
        """The kept password, or None when none was kept or it expired (then it is deleted)."""
        value = self._get(_KEY_PREFIX + message_id)
        if not value:
            return None
        try:
            record = json.loads(value)
            password, expires = str(record["password"]), float(record["expires"])
        except (ValueError, KeyError, TypeError):
            return None
        if expires <= self._clock():
            self.forget(message_id)
            return None
        return password

    def forget(self, message_id: str) -> None:
        """Delete one kept password (the mail was undone, or it expired)."""
        self._delete(_KEY_PREFIX + message_id)
        index = self._index()
        if index.pop(message_id, None) is not None:
            self._save_index(index)

    def _index(self) -> dict[str, float]:
        try:
            raw = json.loads(self._get(_INDEX_KEY) or "{}")
            return {str(k): float(v) for k, v in raw.items()}
        except (ValueError, TypeError, AttributeError):
            return {}

    def _save_index(self, index: dict[str, float]) -> None:
        self._put(_INDEX_KEY, json.dumps(index))

    def _purge(self, index: dict[str, float]) -> None:
        now = self._clock()
        for message_id in [m for m, expires in index.items() if expires <= now]:
            with contextlib.suppress(Exception):  # a stale entry must not stop today's keep
                self._delete(_KEY_PREFIX + message_id)
            index.pop(message_id, None)
        self._save_index(index)


class PasswordWindow(QWidget):
    """Non-modal window: the password with Copy, who it is for, and how to tell it."""

    def __init__(
        self, handoff: Handoff, guard: ClipboardGuard, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.handoff = handoff
        self.guard = guard
        self.lang = lang
        self.setWindowTitle(self.tr("Password for the protected files"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        layout = QVBoxLayout(self)
        self._init_text(layout)
        self._init_password(layout)
        self._init_buttons(layout)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 36, self.sizeHint().height())

    def _init_text(self, layout: QVBoxLayout) -> None:
        subject = self.handoff.subject or self.tr("(no subject)")
        heading = QLabel(self.tr("Mail: %1").replace("%1", subject))
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        if self.handoff.files:
            files = QLabel(self.tr("Protected files: %1").replace("%1", _join(self.handoff.files, self.lang)))
            files.setWordWrap(True)
            layout.addWidget(files)
        self.recipients_label = QLabel(
            self.tr("Tell this password to: %1").replace("%1", _join(self.handoff.recipients, self.lang))
        )
        self.recipients_label.setWordWrap(True)
        self.recipients_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.recipients_label)

    def _init_password(self, layout: QVBoxLayout) -> None:
        self.password_label = QLabel(self.handoff.password)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.password_label.setFont(font)
        self.password_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password_label.setAccessibleName(self.tr("Password"))
        layout.addWidget(self.password_label)
        self.reminder_label = QLabel(
            self.tr("Tell them the password by phone or chat, not by mail.")
        )
        self.reminder_label.setWordWrap(True)
        self.reminder_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.reminder_label)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

    def _init_buttons(self, layout: QVBoxLayout) -> None:
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("&Copy password"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.copy_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _on_copy_clicked(self) -> None:
        self.guard.copy(self.handoff.password)
        seconds = max(1, round(self.guard.clear_after_ms / 1000))
        # Two sentences, not "second(s)": English has no catalogue to pick the plural form from.
        text = (self.tr("Copied. The clipboard will be cleared in 1 second.") if seconds == 1 else
                self.tr("Copied. The clipboard will be cleared in %1 seconds.").replace("%1", str(seconds)))
        self.status_label.setText(text)


def _join(items: Sequence[str], lang: str) -> str:
    return catalog.text("punct.list", lang).join(items)
