"""Start the tray app: QApplication, translators, task runner, reviewer, services, tray; run until Quit."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

from missend_guard.core.errors import UserError
from missend_guard.desktop.app import DesktopApp
from missend_guard.desktop.collector import GuiThreadCollector
from missend_guard.desktop.outlook import OutlookFeed, ReviewRaiser
from missend_guard.desktop.single_instance import SingleInstance
from missend_guard.runtime.logs import setup_logging
from missend_guard.runtime.options import RunOptions
from missend_guard.runtime.services import build_services
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.secrets import KeychainUnavailable
from missend_guard.storage.settings.store import SettingsStore
from missend_guard.transports.relay.server import RelayError
from missend_guard.ui.i18n import Translations, choose_language
from missend_guard.ui.protect.protection import Protection
from missend_guard.ui.review.bridge import QtReviewer
from missend_guard.ui.taskman import TaskManager
from missend_guard.ui.tray.feed import TrayFeed
from missend_guard.ui.tray.outlook_menu import OutlookMenu
from missend_guard.ui.tray.status_window import StatusWindow

log = logging.getLogger(__name__)

# Shows why the app cannot start; a window, because a tray app's terminal is rarely seen.
StartProblem = Callable[[UserError], None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("DesktopStart", text)


class StartProblemText(NamedTuple):
    """What the start-problem window says: a heading, what to do, and the technical detail."""

    heading: str
    text: str
    detail: str = ""


def start_problem_text(error: UserError, platform: str = sys.platform) -> StartProblemText:
    """Heading, explanation and detail for a problem that stops the start (translated)."""
    if isinstance(error, KeychainUnavailable):
        return StartProblemText(
            _tr("No keychain for Missend Guard's passwords"),
            _tr("Missend Guard keeps the relay password and your mail account's password in the "
                "system keychain, and none could be used.") + "\n\n" + _keychain_fix(platform),
            str(error),
        )
    if isinstance(error, RelayError) and error.port_taken:
        return StartProblemText(
            _tr("Another program is using the relay port"),
            _tr("Missend Guard could not start its relay on 127.0.0.1:{port}: another program "
                "is already listening there.\n\nYour mail program may now be sending to that "
                "program instead of Missend Guard, and would give it the relay password. Do not "
                "send mail until this is solved: quit the other program, or choose another port "
                "in Missend Guard's settings (relay_port) and in your mail program.")
            .format(port=error.port),
        )
    return StartProblemText(_tr("Missend Guard could not start"), str(error))


def _keychain_fix(platform: str) -> str:
    if platform == "darwin":
        return _tr("Open Keychain Access (Applications → Utilities), unlock the \u201clogin\u201d "
                   "keychain, then start Missend Guard again.")
    if platform == "win32":
        return _tr("Windows Credential Manager could not be reached. Sign in to Windows with your "
                   "own account (not a temporary profile), then start Missend Guard again.")
    return _tr("Install a keychain and unlock it in your desktop session: GNOME Keyring (package "
               "gnome-keyring) or KWallet on KDE; both usually unlock when you log in. Then start "
               "Missend Guard again. For a computer without a desktop, see the details.")


def show_start_problem(error: UserError) -> None:
    """A modal message box: the app is about to exit, nothing waits on the GUI thread."""
    heading, text, detail = start_problem_text(error)
    box = QMessageBox(QMessageBox.Icon.Critical, _tr("Missend Guard"), heading)
    box.setInformativeText(text)
    if detail:
        box.setDetailedText(detail)
    box.exec()


def _outlook_lines(desktop: DesktopApp, feed: OutlookFeed) -> None:
    """Where Outlook can be reached (Windows): its status in the tray, and Undo for held mail."""
    bridge = desktop.services.outlook
    if bridge is None:
        return
    lines = OutlookMenu(desktop.tray.menu, bridge.undo, parent=desktop)
    lines.set_status(feed.status_line)
    feed.status_changed.connect(lines.set_status)
    feed.held.connect(lines.add_held)


@contextmanager
def _python_signals(qapp: QApplication) -> Iterator[None]:
    # Python handles SIGINT/SIGTERM only between bytecodes; a timer lets it run while Qt waits.
    previous: dict[signal.Signals, Any] = {}
    for number in (signal.SIGINT, signal.SIGTERM):
        previous[number] = signal.signal(number, lambda *_: qapp.quit())
    timer = QTimer()
    timer.timeout.connect(lambda: None)
    timer.start(500)
    try:
        yield
    finally:
        timer.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)


def _run_options(args: argparse.Namespace) -> RunOptions:
    return RunOptions(
        relay_port=getattr(args, "relay_port", None),
        hold_seconds=getattr(args, "hold_seconds", None),
        contacts_files=getattr(args, "contacts", ()),
        internal_domains=getattr(args, "internal_domain", ()),
    )


def main(args: argparse.Namespace, *, on_start_problem: StartProblem = show_start_problem,
         tray_available: bool | None = None) -> int:
    """Run the tray app until Quit; returns the exit status. UserError propagates to the CLI.

    `tray_available` None asks Qt; without a tray a status window stands in for the icon.
    """
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    qapp.setOrganizationName("MissendGuard")
    qapp.setApplicationName("Missend Guard")
    qapp.setQuitOnLastWindowClosed(False)
    collector = GuiThreadCollector(parent=qapp)  # relay threads must never free Qt objects
    collector.start()
    try:
        tray = QSystemTrayIcon.isSystemTrayAvailable() if tray_available is None else tray_available
        return _run(qapp, args, on_start_problem, tray)
    finally:
        collector.stop()


def _run(qapp: QApplication, args: argparse.Namespace, on_start_problem: StartProblem,
         tray_available: bool) -> int:
    paths = DataPaths.resolve(getattr(args, "data_dir", None))
    setup_logging(paths)
    store = SettingsStore(paths)
    lang = choose_language(str(store.load().get("language")), getattr(args, "lang", None))
    translations = Translations(qapp, paths.root / "cache" / "i18n")
    translations.switch(lang)
    instance = SingleInstance(str(paths.root))
    if not instance.acquire():
        translations.remove()
        print("missend-guard: already running for this data dir; asked it to show itself.",
              file=sys.stderr)
        return 0
    try:
        state = QSettings(str(paths.config_dir / "ui.ini"), QSettings.Format.IniFormat)
        # Built first, because the services report to them: the task runner every worker→GUI hop
        # goes through, the tray's feed (delivery events, sign-in prompts) and the reviewer.
        tasks = TaskManager(parent=qapp)
        feed = TrayFeed(tasks, parent=qapp)
        reviewer = QtReviewer(tasks, lang=lang, state=state, notify=feed.notify,
                              protection=Protection(tasks))
        # Classic Outlook's sends come through the same reviewer; its dialogs must rise above
        # Outlook, which is the foreground program when the user presses Send there.
        outlook = OutlookFeed(tasks, lang, feed.notify, parent=qapp)
        reviewer.dialog_shown.connect(ReviewRaiser(parent=qapp).on_dialog_shown)
        try:
            services = build_services(paths, store, reviewer=reviewer, options=_run_options(args),
                                      on_event=feed.post_delivery_event,
                                      on_sign_in_required=feed.post_sign_in_required,
                                      on_outlook_event=outlook.post_event)
            started = time.monotonic()
            services.start()
        except UserError as exc:
            log.error("cannot start: %s", exc)
            on_start_problem(exc)
            raise
        try:
            desktop = DesktopApp(qapp, services, reviewer, store, lang, tasks=tasks, feed=feed,
                                 translations=translations)
            instance.show_requested.connect(desktop.on_show_requested)
            _outlook_lines(desktop, outlook)
            _show(desktop, tray_available)
            log.info("desktop ready in %.2f s (language %s, %s)", time.monotonic() - started, lang,
                     "tray" if tray_available else "no tray: status window")
            try:
                with _python_signals(qapp):
                    return int(qapp.exec())
            finally:
                reviewer.cancel_all("Missend Guard was closed before you decided")
                desktop.tray.stop()
                status = desktop.windows.get("status")
                if isinstance(status, StatusWindow):
                    status.stop()
        finally:
            services.stop()  # relay stops accepting; held and unsent mail stays in the outbox
    finally:
        instance.release()
        translations.remove()  # a caller (tests) keeps its QApplication: leave it as it was


def _show(desktop: DesktopApp, tray_available: bool) -> None:
    """The tray icon (or the status window), start-at-login, problems found, the wizard if needed."""
    settings = desktop.services.settings
    if tray_available:
        desktop.tray.show()
    else:  # running unseen would leave no way to undo, set up or quit
        log.warning("no system tray: showing the status window")
        desktop.open_status_window()
    # An administrator may lock start_at_login on; an installer may have moved the app.
    desktop.apply_start_at_login(bool(settings.get("start_at_login")))
    for problem in desktop.services.problems:
        desktop.notify(desktop.tr("Missend Guard"), problem, failed=True)
    if not settings.accounts:
        desktop.open_wizard()
