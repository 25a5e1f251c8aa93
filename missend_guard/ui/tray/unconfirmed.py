"""The tray's unconfirmed mail: it may have reached the server, so only the user decides whether
to send it again or to mark it as sent."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMenu

from missend_guard.core.ports.outbox import Outbox, OutboxItem, OutboxState

log = logging.getLogger(__name__)

# The tray's way to run a user action: (outbox method, id, title of the notice if it fails).
Act = Callable[[Callable[[str], OutboxItem], str, str], None]


class UnconfirmedMenu(QObject):
    """Fills `menu` when it opens (not on every tray refresh): each mail with Send again, Mark as sent.

    `act` runs an outbox change the way the tray runs all of them; `show` opens a mail by id.
    """

    def __init__(self, menu: QMenu, outbox: Outbox, *, act: Act, show: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.menu = menu
        self._outbox = outbox
        self._act = act
        self._show = show
        menu.aboutToShow.connect(self.fill)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        """Shown only while some mail waits for the user's decision."""
        self.menu.menuAction().setVisible(count > 0)

    @Slot()
    def fill(self) -> None:
        """One submenu per unconfirmed mail: why, Send again, Mark as sent, Show."""
        self.menu.clear()
        try:
            items = self._outbox.items((OutboxState.UNCERTAIN,))
        except Exception:  # a locked database must not take the menu down
            log.exception("could not read the unconfirmed mails")
            items = []
        for item in items:
            sub = self.menu.addMenu(item.subject or self.tr("(no subject)"))
            sub.addAction(self._when(item)).setEnabled(False)
            sub.addAction(self.tr("Send &again"), partial(self.resend, item.id))
            sub.addAction(self.tr("&Mark as sent"), partial(self.mark_sent, item.id))
            sub.addAction(self.tr("&Show"), partial(self._show, item.id))

    def resend(self, item_id: str) -> None:
        """Send it again now: the user accepts a second copy should the first have arrived."""
        self._act(self._outbox.resend, item_id, self.tr("Could not send again"))

    def mark_sent(self, item_id: str) -> None:
        """Record it as sent: the user checked that it arrived."""
        self._act(self._outbox.mark_sent_by_user, item_id, self.tr("Could not mark as sent"))

    def _when(self, item: OutboxItem) -> str:
        if item.tried_at is None:
            return self.tr("The server did not confirm it")
        stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(item.tried_at))
        return self.tr("Handed to the server at %1, not confirmed").replace("%1", stamp)

    def notice(self, item: OutboxItem) -> tuple[str, str]:
        """Title and text of the notification when a mail becomes unconfirmed."""
        return (self.tr("Was this mail delivered?"),
                self.tr("The server did not confirm “%1”. Check your Sent folder or ask the "
                        "recipient, then choose Send again or Mark as sent in the tray menu.")
                .replace("%1", item.subject or self.tr("(no subject)")))
