"""The tray's per-mail sub-menus (held, failed, recently sent), kept across the tray's refreshes.

The tray refreshes once a second. Rebuilding the menus then deleted the action under the user's
pointer or keyboard, so Undo, Send now and Retry did nothing at human pace: each mail's sub-menu
is now made once and afterwards only its title changes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMenu

from missend_guard.core.ports.outbox import Outbox, OutboxItem, OutboxState

log = logging.getLogger(__name__)

RECENT_COUNT = 10
ERROR_CHARS = 80  # a server's reply can be a paragraph; the menu shows its start


def elide(text: str, limit: int = ERROR_CHARS) -> str:
    """One line of at most `limit` characters, with … when cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class MailActions:
    """What the sub-menus' actions do, each given the outbox id (or message-id for the password)."""

    undo: Callable[[str], object]
    release: Callable[[str], object]
    retry: Callable[[str], object]
    show: Callable[[str], object]
    details: Callable[[OutboxItem], object]
    password: Callable[[str], object]
    has_password: Callable[[str], bool]


class MailMenus:
    """One sub-menu per mail under `menu`: filled once, filled again only when `key(item)` changes."""

    def __init__(self, menu: QMenu, title: Callable[[OutboxItem], str],
                 fill: Callable[[QMenu, OutboxItem], None], key: Callable[[OutboxItem], Hashable]) -> None:
        self.menu = menu
        self._title, self._fill, self._key = title, fill, key
        self._subs: dict[str, tuple[QMenu, Hashable]] = {}

    def sync(self, items: Sequence[OutboxItem]) -> None:
        """Add and remove sub-menus for mails that came and went; update the others in place."""
        wanted = {item.id for item in items}
        for item_id in [i for i in self._subs if i not in wanted]:
            sub, _ = self._subs.pop(item_id)
            self.menu.removeAction(sub.menuAction())
            sub.deleteLater()
        for item in items:
            title, key = self._title(item), self._key(item)
            entry = self._subs.get(item.id)
            if entry is None:
                sub = self.menu.addMenu(title)
                self._fill(sub, item)
            else:
                sub, old = entry
                if old != key:  # its state or error changed: only then are its actions made again
                    sub.clear()
                    self._fill(sub, item)
                if sub.title() != title:
                    sub.setTitle(title)
            self._subs[item.id] = (sub, key)
        self.menu.setEnabled(bool(items))

    def submenu(self, item_id: str) -> QMenu | None:
        """The sub-menu of one mail, if shown."""
        entry = self._subs.get(item_id)
        return entry[0] if entry else None


class QueueMenus(QObject):
    """Held (countdown, Undo, Send now), failed (reason, Details, Retry) and recently sent mails."""

    def __init__(self, outbox: Outbox, held: QMenu, failed: QMenu, recent: QMenu, *,
                 actions: MailActions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._outbox = outbox
        self._act = actions
        self.recent_menu = recent
        self.held = MailMenus(held, self._held_title, self._fill_held, lambda i: i.message_id)
        self.failed = MailMenus(failed, self._subject, self._fill_failed,
                                lambda i: (i.state, i.last_error, i.subject))
        self._now = 0.0
        recent.aboutToShow.connect(self.fill_recent)

    def sync(self, held: Sequence[OutboxItem], failed: Sequence[OutboxItem], now: float) -> None:
        """Bring the held and failed menus up to date (once a second)."""
        self._now = now
        self.held.sync(held)
        self.failed.sync(failed)

    def _subject(self, item: OutboxItem) -> str:
        return item.subject or self.tr("(no subject)")

    def _held_title(self, item: OutboxItem) -> str:
        left = math.ceil(max(item.hold_until - self._now, 0))
        return self.tr("%1 — %n s", "", left).replace("%1", self._subject(item))

    def _fill_held(self, sub: QMenu, item: OutboxItem) -> None:
        sub.addAction(self.tr("&Undo"), partial(self._act.undo, item.id))
        sub.addAction(self.tr("Send &now"), partial(self._act.release, item.id))
        self._add_password_action(sub, item)

    def _fill_failed(self, sub: QMenu, item: OutboxItem) -> None:
        reason = sub.addAction(elide(item.last_error) if item.last_error else self.tr("Waiting to retry"))
        reason.setEnabled(False)
        if item.last_error:
            sub.addAction(self.tr("&Details…"), partial(self._act.details, item))
        sub.addAction(self.tr("&Retry now"), partial(self._act.retry, item.id))
        sub.addAction(self.tr("&Show"), partial(self._act.show, item.id))
        sub.addAction(self.tr("Move to &Returned"), partial(self._act.undo, item.id))

    def _add_password_action(self, menu: QMenu, item: OutboxItem) -> None:
        if item.message_id and self._act.has_password(item.message_id):
            menu.addAction(self.tr("Show &password…"), partial(self._act.password, item.message_id))

    @Slot()
    def fill_recent(self) -> None:
        """The last mails sent, newest first (filled as the menu opens, not while it is open)."""
        self.recent_menu.clear()
        try:
            items = self._outbox.items((OutboxState.SENT,), limit=RECENT_COUNT, newest_first=True)
        except Exception:  # a locked database must not take the menu down
            log.exception("could not read the recently sent mails")
            items = []
        if not items:
            self.recent_menu.addAction(self.tr("No mail sent yet")).setEnabled(False)
        for item in items:
            sub = self.recent_menu.addMenu(self._subject(item))
            sub.addAction(self.tr("&Show"), partial(self._act.show, item.id))
            self._add_password_action(sub, item)
