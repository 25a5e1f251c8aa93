"""The tray icon: state at a glance, pause, undo window, held and failed mails, notifications, quit."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices
from PySide6.QtWidgets import QMenu, QMessageBox, QSystemTrayIcon

from missend_guard.core.ports.outbox import DeliveryEvent, Outbox, OutboxItem, OutboxState
from missend_guard.ui.icons import TrayState, state_icon
from missend_guard.ui.tray.details_window import DetailsWindow
from missend_guard.ui.tray.queue_menus import MailActions, QueueMenus
from missend_guard.ui.tray.toast import UndoToast
from missend_guard.ui.tray.unconfirmed import UnconfirmedMenu

log = logging.getLogger(__name__)

PAUSE_CHOICES: tuple[float | None, ...] = (15 * 60, 60 * 60, None)  # None = until resumed
HOLD_CHOICES = (0, 5, 10, 30, 60)
PENDING_STATES = (OutboxState.HELD, OutboxState.SENDING, OutboxState.RETRY)
SHOWN_STATES = (OutboxState.HELD, OutboxState.RETRY, OutboxState.FAILED, OutboxState.UNCERTAIN)
OpenUrl = Callable[[QUrl], bool]


def _no_password(message_id: str) -> bool:
    return False


def _unchanged(item: OutboxItem) -> None:
    return None


class TrayController(QObject):
    """Owns the tray icon and its menu; GUI thread only (`TrayFeed` brings the delivery thread's news).

    `locate(id)` says where a mail's .eml is (to open it); `on_changed(item)` follows each undo,
    retry and send-now made here (the desktop wakes delivery, forgets a returned mail's state);
    `show_returned(id)` shows the returned mail after an undo ("" from the menu: the whole list).
    """

    pause_requested = Signal(object)  # seconds (float) or None for "until resumed"
    resume_requested = Signal()
    hold_seconds_chosen = Signal(int)
    audit_requested = Signal()
    settings_requested = Signal()
    quit_confirmed = Signal()
    sign_in_requested = Signal(str)  # account name: "Sign in to Microsoft 365 (account)…"
    password_requested = Signal(str)  # message-id: "Show password…"

    def __init__(
        self,
        outbox: Outbox,
        *,
        hold_seconds: int,
        locate: Callable[[str], Path],
        on_changed: Callable[[OutboxItem], None] = _unchanged,
        has_password: Callable[[str], bool] = _no_password,
        clock: Callable[[], float] = time.time,
        open_url: OpenUrl = QDesktopServices.openUrl,
        show_returned: Callable[[str], object] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._show_returned = show_returned
        self.details_window: DetailsWindow | None = None
        self.outbox = outbox
        self._locate = locate
        self._on_changed = on_changed
        self._clock = clock
        self._open_url = open_url
        self._paused = False
        self._hold_seconds = hold_seconds
        self.toasts: dict[str, UndoToast] = {}
        self.show_toasts = True
        self._seen_held: set[str] = set()
        self.sign_in_actions: dict[str, QAction] = {}  # case-folded account name → menu action
        # Whether a protection password is kept for a message-id (desktop.py answers from the keychain).
        self._has_password = has_password
        self.icon = QSystemTrayIcon(state_icon("active"), self)
        self.icon.setToolTip(self.tr("Missend Guard"))
        self._init_menu()
        self.icon.setContextMenu(self.menu)
        # Polling the outbox once a second finds every newly held mail, whether it came through the
        # dialog or passed quietly, without a cross-layer hook from the gate.
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    # --- construction -------------------------------------------------------------------------

    def _init_menu(self) -> None:
        self.menu = QMenu()
        self.status_action = self.menu.addAction("")
        self.status_action.setEnabled(False)
        self.sign_in_separator = self.menu.addSeparator()
        self._init_pause_menu()
        self._init_hold_menu()
        self.held_menu = self.menu.addMenu(self.tr("&Held mails"))
        self.failed_menu = self.menu.addMenu(self.tr("&Failed mails"))
        self.unconfirmed = UnconfirmedMenu(self.menu.addMenu(self.tr("Un&confirmed mails")),
                                           self.outbox, act=self._call, show=self._show, parent=self)
        self.recent_menu = self.menu.addMenu(self.tr("&Recently sent"))
        actions = MailActions(undo=self.undo, release=self.release, retry=self.retry, show=self._show,
                              details=self.show_details, password=self.password_requested.emit,
                              has_password=self._has_password)
        self.queue = QueueMenus(self.outbox, self.held_menu, self.failed_menu, self.recent_menu,
                                actions=actions, parent=self)
        if self._show_returned is not None:
            self.menu.addAction(self.tr("R&eturned mail…"), self._on_returned_triggered)
        self.menu.addSeparator()
        self.menu.addAction(self.tr("Open &audit log"), self.audit_requested.emit)
        self.menu.addAction(self.tr("&Settings…"), self.settings_requested.emit)
        self.menu.addSeparator()
        self.menu.addAction(self.tr("&Quit"), self.request_quit)
        self.menu.aboutToShow.connect(self.refresh)

    def _init_pause_menu(self) -> None:
        menu = self.menu.addMenu(self.tr("&Pause checks"))
        labels = (self.tr("For 15 minutes"), self.tr("For 1 hour"), self.tr("Until resumed"))
        self.pause_actions: list[QAction] = []
        for seconds, label in zip(PAUSE_CHOICES, labels, strict=True):
            action = menu.addAction(label)
            action.setData(seconds)
            action.triggered.connect(self._on_pause_triggered)
            self.pause_actions.append(action)
        menu.addSeparator()
        self.resume_action = menu.addAction(self.tr("&Resume checks"), self._on_resume_triggered)

    def _init_hold_menu(self) -> None:
        menu = self.menu.addMenu(self.tr("&Undo window"))
        group = QActionGroup(menu)
        self.hold_actions: dict[int, QAction] = {}
        for seconds in HOLD_CHOICES:
            label = self.tr("Off (send at once)") if seconds == 0 else self.tr("%n second(s)", "", seconds)
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(seconds == self._hold_seconds)
            action.setData(seconds)
            action.triggered.connect(self._on_hold_triggered)
            group.addAction(action)
            self.hold_actions[seconds] = action

    # --- public ---------------------------------------------------------------------------------

    def show(self) -> None:
        """Put the icon in the tray."""
        self.icon.show()

    def set_paused(self, paused: bool) -> None:
        """Reflect the reviewer's pause state."""
        self._paused = paused
        self.refresh()

    def set_hold_seconds(self, seconds: int) -> None:
        """Reflect the hold setting (after a change in the settings dialog)."""
        self._hold_seconds = seconds
        for value, action in self.hold_actions.items():
            action.setChecked(value == seconds)

    def notify(self, title: str, text: str, failed: bool = False) -> None:
        """A tray balloon / system notification."""
        icon = QSystemTrayIcon.MessageIcon.Warning if failed else QSystemTrayIcon.MessageIcon.Information
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon.showMessage(title, text, icon)
        self.last_notification = (title, text)

    def offer_sign_in(self, account: str, reason: str) -> None:
        """A Microsoft 365 account must sign in again: say so and add a menu action (GUI thread)."""
        self.notify(self.tr("Sign in to Microsoft 365 again"),
                    self.tr("Mail from %1 waits until you sign in: %2").replace("%1", account)
                    .replace("%2", reason), failed=True)
        key = account.casefold()
        if key in self.sign_in_actions:
            return
        action = QAction(self.tr("Sign in to Microsoft 365 (%1)…").replace("%1", account), self.menu)
        action.setData(account)
        action.triggered.connect(self._on_sign_in_triggered)
        self.menu.insertAction(self.sign_in_separator, action)
        self.sign_in_actions[key] = action

    def sign_in_finished(self, account: str, ok: bool, text: str) -> None:
        """Report a sign-in; a successful one removes the account's menu action."""
        if ok:
            action = self.sign_in_actions.pop(account.casefold(), None)
            if action is not None:
                self.menu.removeAction(action)
                action.deleteLater()
            self.notify(self.tr("Signed in to Microsoft 365"),
                        self.tr("%1 is signed in; mail that waited is being sent.")
                        .replace("%1", text or account))
        else:
            self.notify(self.tr("Not signed in"), self.tr("%1: %2").replace("%1", account)
                        .replace("%2", text), failed=True)
        self.refresh()

    def state(self) -> TrayState:
        """What the icon shows: failing (or unconfirmed) beats held beats paused beats active."""
        return self._state_of(self.outbox.items(SHOWN_STATES))

    def _state_of(self, items: Sequence[OutboxItem]) -> TrayState:
        if any(i.state in (OutboxState.FAILED, OutboxState.RETRY, OutboxState.UNCERTAIN)
               for i in items):
            return "failing"
        if any(i.state is OutboxState.HELD for i in items):
            return "held"
        return "paused" if self._paused else "active"

    def stop(self) -> None:
        """Stop polling, close toasts and hide the icon (shutdown)."""
        self._timer.stop()
        for item_id in list(self.toasts):
            self._close_toast(item_id)
        self.icon.hide()

    @Slot()
    def refresh(self) -> None:
        """Recompute icon, status line and the held/failed menus."""
        try:
            self._refresh()
        except Exception:  # a locked or vanished database must not take the tray down
            log.exception("could not read the outbox")

    def _refresh(self) -> None:
        items = self.outbox.items(SHOWN_STATES)  # one read a second for icon and menus
        state = self._state_of(items)
        self.icon.setIcon(state_icon(state))
        texts = {
            "active": self.tr("Checking every mail"),
            "paused": self.tr("Checks paused"),
            "held": self.tr("Mail waiting to be sent"),
            "failing": self.tr("Delivery problem"),
        }
        unconfirmed = sum(i.state is OutboxState.UNCERTAIN for i in items)
        status = self.tr("Unconfirmed mail: please check") if unconfirmed else texts[state]
        self.status_action.setText(status)
        self.icon.setToolTip(self.tr("Missend Guard") + " — " + status)
        self.unconfirmed.set_count(unconfirmed)
        held = [i for i in items if i.state is OutboxState.HELD]
        now = self._clock()
        self.queue.sync(held, [i for i in items if i.state in (OutboxState.FAILED, OutboxState.RETRY)],
                        now)
        for item in held:
            if item.id not in self._seen_held:
                self._seen_held.add(item.id)
                if self.show_toasts and item.hold_until > now:
                    self._show_toast(item)
        self._seen_held &= {i.id for i in held}

    def undo(self, item_id: str) -> bool:
        """Return a held mail to the user and show it (returned list, mail app); False if too late."""
        toast = self.toasts.pop(item_id, None)
        if toast is not None:
            toast.close()
        try:
            item = self.outbox.undo(item_id)
            path = self._locate(item_id)
        except Exception as exc:  # noqa: BLE001 (OutboxError and storage errors carry readable text)
            self.notify(self.tr("Could not undo"), str(exc), failed=True)
            self.refresh()
            return False
        self._on_changed(item)
        if self._show_returned is not None:
            self._show_returned(item_id)
        else:
            self._open_url(QUrl.fromLocalFile(str(path)))
        self.refresh()
        return True

    def release(self, item_id: str) -> None:
        """Send a held mail now."""
        self._call(self.outbox.release, item_id, self.tr("Could not send now"))

    def retry(self, item_id: str) -> None:
        """Retry a failed mail now."""
        self._call(self.outbox.retry, item_id, self.tr("Could not retry"))

    @Slot()
    def request_quit(self) -> None:
        """Quit at once when nothing is pending; otherwise ask first."""
        pending = self.outbox.items(PENDING_STATES)
        if not pending:
            self.quit_confirmed.emit()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Quit Missend Guard?"),
            self.tr("%n mail(s) are still waiting to be sent. They stay in the outbox and are sent "
                    "when Missend Guard starts again. Quit now?", "", len(pending)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(self._on_quit_answered)
        self.quit_box = box
        box.open()

    # --- slots ----------------------------------------------------------------------------------

    @Slot(int)
    def _on_quit_answered(self, result: int) -> None:
        if result == QMessageBox.StandardButton.Yes.value:
            self.quit_confirmed.emit()

    @Slot(object)
    def show_delivery_event(self, event: DeliveryEvent) -> None:
        """A mail was sent, will be retried, failed or is held: notify when it matters, refresh."""
        kind, item, detail = event.kind, event.item, event.detail
        if kind == "held" and detail:
            # The worker holds mail it cannot send yet (no account): say why once.
            self.notify(self.tr("Mail waiting"), detail, failed=True)
        elif kind == "sent":
            self._close_toast(item.id)
            if item.attempts > 1:
                self.notify(self.tr("Delivered"), self.tr("“%1” was delivered after a retry.")
                            .replace("%1", item.subject))
        elif kind == "uncertain":
            self._close_toast(item.id)
            self.notify(*self.unconfirmed.notice(item), failed=True)
        elif kind == "failed":
            self._close_toast(item.id)
            self.notify(self.tr("Not delivered"), self.tr("“%1” could not be sent: %2")
                        .replace("%1", item.subject).replace("%2", detail or item.last_error), failed=True)
        self.refresh()

    def _show_toast(self, item: OutboxItem) -> None:
        toast = UndoToast(item, self._clock)
        toast.undo_requested.connect(self.undo)
        toast.send_now_requested.connect(self.release)
        self.toasts[item.id] = toast
        toast.show_in_corner()

    def _close_toast(self, item_id: str) -> None:
        toast = self.toasts.pop(item_id, None)
        if toast is not None:
            toast.close()

    @Slot()
    def _on_sign_in_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.sign_in_requested.emit(str(action.data()))

    @Slot()
    def _on_pause_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.pause_requested.emit(action.data())
            self.set_paused(True)

    @Slot()
    def _on_resume_triggered(self) -> None:
        self.resume_requested.emit()
        self.set_paused(False)

    @Slot()
    def _on_hold_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self._hold_seconds = int(action.data())
            self.hold_seconds_chosen.emit(self._hold_seconds)

    def _call(self, method: Callable[[str], OutboxItem], item_id: str, title: str) -> None:
        try:
            item = method(item_id)
        except Exception as exc:  # noqa: BLE001 (storage errors carry readable text)
            self.notify(title, str(exc), failed=True)
        else:
            self._on_changed(item)
        self.refresh()

    @Slot()
    def fill_recent(self) -> None:
        """The last mails sent, newest first (as the Recently sent menu opens)."""
        self.queue.fill_recent()

    def show_details(self, item: OutboxItem) -> None:
        """The whole server reply of a mail not delivered, selectable, with Copy."""
        if self.details_window is not None:
            self.details_window.close()
        self.details_window = DetailsWindow(item)  # one at a time: the previous one is replaced
        self.details_window.show()

    @Slot()
    def _on_returned_triggered(self) -> None:
        if self._show_returned is not None:
            self._show_returned("")

    def _show(self, item_id: str) -> None:
        try:
            path = self._locate(item_id)
        except Exception:  # a vanished mail: nothing to show
            log.exception("could not find the file of %s", item_id)
            return
        self._open_url(QUrl.fromLocalFile(str(path)))
