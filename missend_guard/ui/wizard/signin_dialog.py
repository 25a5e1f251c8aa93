"""Microsoft 365 sign-in: the device-code dialog and the worker that runs one sign-in off the GUI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial

import shiboken6
from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from missend_guard.ui.taskman import TaskManager

log = logging.getLogger(__name__)

ShowDeviceCode = Callable[[str, str, str], None]  # (user code, verification URL, Microsoft's text)
# Runs on a worker thread: (show_device_code, browser first?, cancelled) -> the signed-in user name.
SignInCall = Callable[[ShowDeviceCode, bool, threading.Event], str]
# The same for a named account: (account, show_device_code, browser first?, cancelled) -> user name.
AccountSignIn = Callable[[str, ShowDeviceCode, bool, threading.Event], str]
OpenUrl = Callable[[QUrl], bool]


class DeviceCodeDialog(QDialog):
    """Progress of one sign-in: waiting for the browser, the device code with Copy, then done or failed."""

    code_requested = Signal()  # "Use a code instead" while the browser sign-in is pending

    def __init__(self, account: str, cancelled: threading.Event, *,
                 open_url: OpenUrl = QDesktopServices.openUrl, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.account = account
        self.cancelled = cancelled
        self.code = ""
        self.state = "browser"
        self._open_url = open_url
        self.setWindowTitle(self.tr("Sign in to Microsoft 365"))
        layout = self._layout = QVBoxLayout(self)
        self._init_text(layout)
        self._init_code(layout)
        self._init_buttons(layout)
        self._set_state("browser")
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 34, self.sizeHint().height())

    def _init_text(self, layout: QVBoxLayout) -> None:
        heading = QLabel(self.tr("Account: %1").replace("%1", self.account))
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

    def _init_code(self, layout: QVBoxLayout) -> None:
        self.code_label = QLabel()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setAccessibleName(self.tr("Sign-in code"))
        layout.addWidget(self.code_label)
        row = QHBoxLayout()
        self.url_label = QLabel()
        self.url_label.setTextFormat(Qt.TextFormat.RichText)
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                               | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.url_label.linkActivated.connect(self._on_link_activated)
        row.addWidget(self.url_label, 1)
        self.copy_button = QPushButton(self.tr("&Copy code"))
        self.copy_button.clicked.connect(self._on_copy_clicked)
        row.addWidget(self.copy_button)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: no way to know how long the user takes
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)

    def _init_buttons(self, layout: QVBoxLayout) -> None:
        self.buttons = QDialogButtonBox()
        self.use_code_button = self.buttons.addButton(self.tr("Use a &code instead"),
                                                      QDialogButtonBox.ButtonRole.ActionRole)
        self.use_code_button.clicked.connect(self._on_use_code_clicked)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout.addStretch(1)  # a taller earlier state leaves its space below the text
        layout.addWidget(self.buttons)

    # --- states ---------------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self.state = state
        waiting = state in ("browser", "code")
        has_code = state == "code" or (bool(self.code) and not waiting)
        for widget in (self.code_label, self.url_label, self.copy_button):
            widget.setVisible(has_code and waiting)
        self.progress.setVisible(waiting)
        self.use_code_button.setVisible(state == "browser")
        self.cancel_button.setVisible(waiting)
        self.close_button.setVisible(not waiting)
        (self.cancel_button if waiting else self.close_button).setFocus(Qt.FocusReason.OtherFocusReason)
        self._fit_height()

    def _fit_height(self) -> None:
        # Wrapped status text grows with each state; a window does not grow for it by itself.
        layout = self._layout
        layout.activate()
        needed = max(layout.totalHeightForWidth(self.width()), layout.totalMinimumSize().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def show_code(self, code: str, uri: str, message: str) -> None:
        """Show the device code Microsoft gave, with where to enter it."""
        if self.state not in ("browser", "code"):
            return  # already cancelled or finished: a late code is of no use
        self.code = code
        self.code_label.setText(code)
        link = QUrl(uri)
        shown = uri.replace("&", "&amp;").replace("<", "&lt;")
        if link.scheme() in ("https", "http"):
            self.url_label.setText(f'<a href="{link.toString()}">{shown}</a>')
        else:
            self.url_label.setText(shown)
        self.url_label.setToolTip(message)
        self.status_label.setText(
            self.tr("On any computer or phone, open the address below and enter this code. "
                    "Waiting for you to finish signing in…")
        )
        self._set_state("code")

    def show_success(self, user: str) -> None:
        """The sign-in worked."""
        who = user or self.account
        self.status_label.setText(
            self.tr("✔ Signed in as %1. Mail for this account is sent through Microsoft 365.")
            .replace("%1", who)
        )
        self._set_state("done")

    def show_failure(self, reason: str) -> None:
        """The sign-in did not work (or was cancelled)."""
        if self.cancelled.is_set():
            self.status_label.setText(self.tr("Sign-in cancelled. Mail for this account keeps waiting."))
        else:
            self.status_label.setText(self.tr("✖ Sign-in did not complete: %1").replace("%1", reason))
        self._set_state("failed")

    # --- slots ----------------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel (Esc, Cancel, window close): stop waiting for the sign-in."""
        if self.state in ("browser", "code"):
            self.cancelled.set()
            self.state = "cancelled"
        super().reject()

    @Slot()
    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.code)
        self.copy_button.setText(self.tr("Copied"))

    @Slot(str)
    def _on_link_activated(self, url: str) -> None:
        self._open_url(QUrl(url))

    @Slot()
    def _on_use_code_clicked(self) -> None:
        self.status_label.setText(self.tr("Asking Microsoft for a sign-in code…"))
        self.use_code_button.setVisible(False)
        self.code_requested.emit()

    def begin(self, browser: bool) -> None:
        """Show the first waiting state and open the dialog (non-blocking)."""
        self.status_label.setText(
            self.tr("Finish signing in in the browser window that opened. If no browser opened, "
                    "use a code instead.") if browser
            else self.tr("Asking Microsoft for a sign-in code…")
        )
        self._set_state("browser")
        self.use_code_button.setVisible(browser)
        if self.parentWidget() is not None:
            self.open()  # modal to its window (the setup wizard)
        else:
            # From the tray: not modal, so a review dialog can still come up meanwhile.
            self.show()
            self.raise_()
            self.activateWindow()


class SignInSession(QObject):
    """One sign-in: `sign_in` runs on a worker thread while the dialog shows its progress.

    Emits `finished(ok, user or reason)` on the GUI thread. "Use a code instead" starts a second
    attempt with the device code; the first one (stuck waiting for a browser) is told to stop and
    its late answer is ignored.
    """

    finished = Signal(bool, str)

    def __init__(self, account: str, sign_in: SignInCall, tasks: TaskManager, *,
                 parent_widget: QWidget | None = None, open_url: OpenUrl = QDesktopServices.openUrl,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.account = account
        self._sign_in = sign_in
        self._tasks = tasks
        self._run = 0
        self._cancelled = threading.Event()
        self.dialog = DeviceCodeDialog(account, self._cancelled, open_url=open_url, parent=parent_widget)
        # Deleted on the GUI thread when closed: the worker thread may drop the last reference to
        # this session, and a widget must never be destroyed there.
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.dialog.code_requested.connect(self._on_code_requested)
        self.dialog.rejected.connect(self._on_dialog_rejected)
        self.result: tuple[bool, str] | None = None

    def start(self, *, browser: bool = True) -> None:
        """Open the dialog and begin signing in (browser first when `browser`)."""
        self.dialog.begin(browser)
        self._begin(browser)

    def _begin(self, browser: bool) -> None:
        self._run += 1
        run = self._run
        show = partial(self._post_code, run)
        self._tasks.run_in_background(partial(self._sign_in, show, browser, self._cancelled),
                                      partial(self._on_done, run, True),
                                      partial(self._on_sign_in_failed, run), owner=self)

    def _post_code(self, run: int, code: str, uri: str, message: str) -> None:
        # The sign-in worker thread (MSAL): show the code on the GUI thread.
        self._tasks.run_on_main(partial(self._on_code, run, code, uri, message), owner=self)

    def _on_code(self, run: int, code: str, uri: str, message: str) -> None:
        if run == self._run and self.result is None and shiboken6.isValid(self.dialog):
            self.dialog.show_code(code, uri, message)  # a superseded attempt's code would confuse

    def close(self) -> None:
        """Close the dialog (cancels a sign-in still waiting); before this session is dropped."""
        if shiboken6.isValid(self.dialog):
            self.dialog.close()

    def _on_sign_in_failed(self, run: int, exc: Exception) -> None:
        # GraphAuthError and MSAL's errors carry readable text.
        log.warning("Microsoft 365 sign-in of %s did not complete: %s", self.account, exc)
        self._on_done(run, False, str(exc) or exc.__class__.__name__)

    @Slot()
    def _on_code_requested(self) -> None:
        # The browser attempt cannot be interrupted (MSAL waits for its loopback redirect); it gets
        # its own cancelled flag so it stops before showing a code, and its answer is ignored.
        self._cancelled.set()
        self._cancelled = threading.Event()
        self.dialog.cancelled = self._cancelled
        self._begin(False)

    @Slot()
    def _on_dialog_rejected(self) -> None:
        if self.result is None:
            self._finish(False, self.tr("Sign-in cancelled."))

    def _on_done(self, run: int, ok: bool, text: str) -> None:
        if run != self._run or self.result is not None or not shiboken6.isValid(self.dialog):
            return
        if ok:
            self.dialog.show_success(text)
        else:
            self.dialog.show_failure(text)
        self._finish(ok, text)

    def _finish(self, ok: bool, text: str) -> None:
        self.result = (ok, text)
        self.finished.emit(ok, text)


class SignInPrompts(QObject):
    """Sign-ins started from the tray, one per account at a time; `finished(account, ok, user or reason)`."""

    finished = Signal(str, bool, str)

    def __init__(self, sign_in: AccountSignIn, tasks: TaskManager, *, browser: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sign_in = sign_in
        self._tasks = tasks
        self.browser = browser  # system browser first; tests and remote sessions use the code only
        self.sessions: dict[str, SignInSession] = {}

    @Slot(str)
    def start(self, account: str) -> SignInSession:
        """Sign `account` in on a worker thread with the dialog (one sign-in per account at a time)."""
        key = account.casefold()
        session = self.sessions.get(key)
        if session is not None and session.result is None:
            session.dialog.raise_()
            session.dialog.activateWindow()
            return session
        if session is not None:
            session.close()
        session = SignInSession(account, partial(self._sign_in, account), self._tasks, parent=self)
        session.finished.connect(self._on_session_finished)
        self.sessions[key] = session
        session.start(browser=self.browser)
        return session

    @Slot(bool, str)
    def _on_session_finished(self, ok: bool, text: str) -> None:
        session = self.sender()
        if isinstance(session, SignInSession):
            self.finished.emit(session.account, ok, text)
