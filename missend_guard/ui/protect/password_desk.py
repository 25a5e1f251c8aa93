"""Protection passwords after Send: recorded for the follow-up check, kept, and shown again on request."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

from missend_guard.core.ports.outbox import OutboxItem
from missend_guard.core.protect.ledger import ProtectionLedger
from missend_guard.ui.icons import state_icon
from missend_guard.ui.protect.password_window import ClipboardGuard, Handoff, PasswordKeeper, PasswordWindow

log = logging.getLogger(__name__)

Notify = Callable[[str, str, bool], None]  # title, text, failed


class PasswordDesk(QObject):
    """The hand-off window after a protected send, and the tray's "Show password…" for held/sent mail."""

    def __init__(self, ledger: ProtectionLedger, keeper: PasswordKeeper, notify: Notify, lang: str,
                 find_item: Callable[[str], OutboxItem | None], *,
                 unavailable: tuple[type[Exception], ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.keeper, self.lang = ledger, keeper, lang
        self._notify = notify
        self._find_item = find_item
        self._unavailable = unavailable  # the keychain's "not available" error (storage's type)
        self.clipboard = ClipboardGuard(parent=self)
        self.window: PasswordWindow | None = None
        self._kept: dict[str, bool] = {}  # message-id → a password is in the keychain (cached)

    def has_kept_password(self, message_id: str) -> bool:
        """Whether the tray offers "Show password…": the keychain is asked once per message."""
        if not message_id:
            return False
        if message_id not in self._kept:
            try:
                self._kept[message_id] = self.keeper.lookup(message_id) is not None
            except self._unavailable:
                self._kept[message_id] = False
        return self._kept[message_id]

    @Slot(object)
    def on_protected_send(self, handoff: Handoff) -> None:
        """Remember the send for the follow-up check, keep the password if wanted, show it."""
        try:
            self.ledger.record(handoff.message_id, handoff.recipients, handoff.password)
        except Exception:  # the mail still goes; only the follow-up check loses this entry
            log.exception("could not record a protected send in the ledger")
        try:
            self._kept[handoff.message_id] = self.keeper.keep(handoff.message_id, handoff.password)
        except self._unavailable as exc:
            self._notify(self.tr("Password not kept"), str(exc), True)
        self._show_window(handoff)

    @Slot(str)
    def show_password(self, message_id: str) -> None:
        """The kept password of a held or sent mail, or a notice that none is kept."""
        try:
            password = self.keeper.lookup(message_id)
        except self._unavailable as exc:
            self._notify(self.tr("Password not available"), str(exc), True)
            return
        if not password:
            self._kept[message_id] = False
            self._notify(self.tr("Password not available"), self.tr("No password is kept for this mail."),
                         False)
            return
        item = self._find_item(message_id)
        subject, rcpts = (item.subject, item.rcpt_tos) if item is not None else ("", ())
        self._show_window(Handoff(message_id, subject, tuple(rcpts), (), password))

    def forget(self, message_id: str) -> None:
        """An undone mail was never sent: its password need not be checked for nor kept."""
        self._kept[message_id] = False
        try:
            self.ledger.forget(message_id)
            self.keeper.forget(message_id)
        except Exception:  # undo itself succeeded; a stale entry expires on its own
            log.exception("could not forget the protection of an undone mail")

    def _show_window(self, handoff: Handoff) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
        self.window = PasswordWindow(handoff, self.clipboard, self.lang)
        self.window.setWindowIcon(state_icon("active"))
        self.window.show()
        self.window.raise_()
