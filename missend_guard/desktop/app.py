"""The Qt composition root for `missend-guard run`: QApplication, translators, reviewer, services, tray."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

from missend_guard.core.contacts.book import ContactsError, load_contacts
from missend_guard.core.ports.audit import AuditEvent
from missend_guard.core.ports.outbox import OutboxItem, OutboxState
from missend_guard.core.ports.sending import DeliveryError
from missend_guard.core.protect.ledger import ProtectionLedger
from missend_guard.desktop.opener import SystemOpener
from missend_guard.desktop.returned import ReturnedDesk
from missend_guard.runtime.services import Services
from missend_guard.storage.autostart import Autostart, AutostartError
from missend_guard.storage.secrets import KeychainUnavailable
from missend_guard.storage.settings.store import Account, Settings, SettingsError, SettingsStore
from missend_guard.transports.outlook.com import outlook_installed
from missend_guard.transports.senders.smtp import SmtpAccount, SmtpSender
from missend_guard.ui.i18n import Translations, choose_language
from missend_guard.ui.icons import state_icon
from missend_guard.ui.protect.password_desk import PasswordDesk
from missend_guard.ui.protect.password_window import PasswordKeeper, PasswordWindow
from missend_guard.ui.review.bridge import QtReviewer
from missend_guard.ui.settings.audit_window import AuditWindow
from missend_guard.ui.settings.dialog import SettingsDialog
from missend_guard.ui.taskman import TaskManager
from missend_guard.ui.tray.feed import TrayFeed
from missend_guard.ui.tray.menu import TrayController
from missend_guard.ui.tray.returned_window import ReturnedFiles
from missend_guard.ui.tray.status_window import StatusWindow
from missend_guard.ui.wizard.signin_dialog import ShowDeviceCode, SignInPrompts
from missend_guard.ui.wizard.wizard import SetupWizard

log = logging.getLogger(__name__)


class DesktopActions:
    """Secrets, connection tests and contact import for the settings dialog and the wizard."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def set_password(self, account: str, password: str) -> None:
        """Keychain."""
        self._services.secrets.set_account_password(account, password)

    def test(self, account: Account, password: str | None) -> tuple[bool, str]:
        """Log in upstream with the typed password (or the stored one)."""
        stored = self._services.secrets
        sender = SmtpSender(
            SmtpAccount(account.name, account.host, account.port, account.security, account.username),
            lambda: password or stored.account_password(account.name), timeout=20,
        )
        try:
            sender.test()
        except DeliveryError as exc:
            return False, exc.reply
        return True, connection_ok_text(account)

    def relay_password(self) -> str:
        """What the mail client logs in with."""
        return self._services.secrets.relay_password()

    def sign_in_account(self, account: Account, show_device_code: ShowDeviceCode, browser: bool,
                        cancelled: threading.Event) -> str:
        """Microsoft 365 sign-in before the account is saved (wizard); blocking, worker thread."""
        return self._services.sign_in_account(account, show_device_code, browser=browser,
                                              cancelled=cancelled)

    def import_contacts(self, path: str) -> str:
        """Read the file once to report what it holds (saved in settings, the services load it)."""
        try:
            contacts = load_contacts(path)
        except ContactsError as exc:
            raise ValueError(str(exc)) from exc
        return f"{Path(path).name}: {len(contacts)}"


def connection_ok_text(account: Account) -> str:
    """A passed connection test in words (worker thread: QCoreApplication.translate is thread-safe)."""
    def tr(text: str) -> str:
        return QCoreApplication.translate("DesktopActions", text)

    server = f"{account.host}:{account.port}"
    if account.username:
        text = tr("Connected to %1 and logged in as %2.").replace("%1", server)
        text = text.replace("%2", account.username)
    else:
        text = tr("Connected to %1 (the server asks for no login).").replace("%1", server)
    sentences = [text]
    if account.security != "none":
        sentences.append(tr("The connection is encrypted and the server's certificate was checked."))
    sentences.append(tr("Nothing was sent."))
    # Japanese sentences follow each other without a space.
    return "".join(s if i == 0 or sentences[i - 1].endswith("。") else " " + s
                   for i, s in enumerate(sentences))


class DesktopApp(QObject):
    """Holds the running objects and connects tray actions to services (all on the GUI thread).

    `feed` is what the services and the reviewer, built before this, report to; `browser` says
    whether Microsoft 365 sign-ins start in the system browser (tests use the device code);
    `opener` opens a returned mail in the mail app (tests record instead).
    """

    def __init__(self, qapp: QApplication, services: Services, reviewer: QtReviewer,
                 store: SettingsStore, lang: str, *, tasks: TaskManager, feed: TrayFeed,
                 autostart: Autostart | None = None, browser: bool = True,
                 translations: Translations | None = None, opener: SystemOpener | None = None) -> None:
        super().__init__()
        self.qapp, self.services, self.reviewer = qapp, services, reviewer
        self.translations = translations  # switched by the wizard's language choice
        self.store, self.lang, self.tasks = store, lang, tasks
        self.autostart = autostart or Autostart()
        self.actions = DesktopActions(services)
        self.windows: dict[str, Any] = {}
        self._init_protection()  # before the tray: it asks which mails have a password kept
        hold = int(services.hold_seconds)
        outbox = services.store.outbox
        opener = opener or SystemOpener()
        self.returned = ReturnedDesk(outbox, ReturnedFiles(outbox.message_file, opener.open, opener.reveal),
                                     submit=services.intake.gate.process, tasks=tasks, show=self._show,
                                     parent=self)
        self.tray = TrayController(outbox, hold_seconds=hold, locate=outbox.message_file,
                                   on_changed=self._on_outbox_changed,
                                   show_returned=self.returned.show_returned,
                                   has_password=self.passwords.has_kept_password, parent=self)
        self.sign_in_prompts = SignInPrompts(self._sign_in, tasks, browser=browser, parent=self)
        feed.delivery_event.connect(self.tray.show_delivery_event)
        feed.sign_in_required.connect(self._on_sign_in_required)
        feed.notice.connect(self._on_notice)
        self.tray.sign_in_requested.connect(self.sign_in_prompts.start)
        self.sign_in_prompts.finished.connect(self._on_sign_in_finished)
        self.tray.password_requested.connect(self.passwords.show_password)
        self.reviewer.protected_send.connect(self.passwords.on_protected_send)
        self.tray.pause_requested.connect(self._on_pause_requested)
        self.tray.resume_requested.connect(self._on_resume_requested)
        self.tray.hold_seconds_chosen.connect(self._on_hold_seconds_chosen)
        self.tray.audit_requested.connect(self.open_audit)
        self.tray.settings_requested.connect(self.open_settings)
        self.tray.quit_confirmed.connect(self.qapp.quit)
        self._pause_timer = QTimer(self)
        self._pause_timer.setSingleShot(True)
        self._pause_timer.timeout.connect(self._on_pause_expired)

    def _init_protection(self) -> None:
        services = self.services
        # app.py owns the ledger the checks read; a private one (tests without it) still records.
        self.ledger: ProtectionLedger = services.store.ledger
        secrets = services.secrets
        self.keeper = PasswordKeeper(
            secrets.put, secrets.get, secrets.delete,
            lambda: float(self.services.settings.get("keep_protection_passwords_days")),
        )
        self.passwords = PasswordDesk(self.ledger, self.keeper, self._on_notice, self.lang, self._find_item,
                                      unavailable=(KeychainUnavailable,), parent=self)
        self.clipboard = self.passwords.clipboard

    @property
    def password_window(self) -> PasswordWindow | None:
        """The password hand-off window last shown."""
        return self.passwords.window

    @Slot(str)
    def show_password(self, message_id: str) -> None:
        """The kept password of a held or sent mail (tray), or a notice that none is kept."""
        self.passwords.show_password(message_id)

    def _find_item(self, message_id: str) -> OutboxItem | None:
        items = [i for i in self.services.store.outbox.items() if i.message_id == message_id]
        return items[-1] if items else None

    def _on_outbox_changed(self, item: OutboxItem) -> None:
        """The user changed a mail in the tray: a returned one is forgotten, any other is due now."""
        if item.state is OutboxState.RETURNED:
            self.services.undone(item)
            self.passwords.forget(item.message_id)
        else:
            self.services.outgoing.worker.wake()

    @Slot(str, str, bool)
    def _on_notice(self, title: str, text: str, failed: bool) -> None:
        self.notify(title, text, failed=failed)

    def notify(self, title: str, text: str, failed: bool = False) -> None:
        """A notification from the tray, or in the status window when there is no tray."""
        self.tray.notify(title, text, failed=failed)
        status = self.windows.get("status")
        if isinstance(status, StatusWindow):
            status.show_notice(title, text)

    def open_status_window(self) -> StatusWindow:
        """Without a system tray: held mail (Undo, Send now), Settings and Quit in a window."""
        window = StatusWindow(self.services.store.outbox, undo=self.tray.undo, send_now=self.tray.release,
                              open_settings=self.open_settings, quit_app=self.tray.request_quit)
        self._show("status", window)
        return window

    @Slot(str, str)
    def _on_sign_in_required(self, account: str, reason: str) -> None:
        self.tray.offer_sign_in(account, reason)

    @Slot(str, bool, str)
    def _on_sign_in_finished(self, account: str, ok: bool, text: str) -> None:
        self.tray.sign_in_finished(account, ok, text)

    def _sign_in(self, account: str, show: ShowDeviceCode, browser: bool, cancelled: threading.Event) -> str:
        """Worker thread: sign in, after which the mail that waited for it is sent."""
        return self.services.sign_in(account, show, browser=browser, cancelled=cancelled)

    def _audit(self, kind: str, detail: str) -> None:
        try:
            self.services.store.audit.record(AuditEvent(kind=kind, decided_by="user", detail=detail))
        except Exception:  # the pause itself must still work
            log.exception("could not record %s in the audit log", kind)

    @Slot(object)
    def _on_pause_requested(self, seconds: float | None) -> None:
        self.reviewer.pause(seconds)
        self._audit("pause", "until resumed" if seconds is None else f"{seconds:g} s")
        if seconds is None:
            self._pause_timer.stop()
        else:
            self._pause_timer.start(int(seconds * 1000))

    @Slot()
    def _on_resume_requested(self) -> None:
        self.reviewer.resume()
        self._pause_timer.stop()
        self._audit("resume", "")

    @Slot()
    def _on_pause_expired(self) -> None:
        self.reviewer.resume()
        self.tray.set_paused(False)
        self._audit("resume", "pause ended")

    @Slot(int)
    def _on_hold_seconds_chosen(self, seconds: int) -> None:
        try:
            self.save_settings(self.store.load().with_changes(hold_seconds=seconds))
        except (SettingsError, OSError) as exc:
            self.tray.notify(self.tr("Setting not changed"), str(exc), failed=True)
            self.tray.set_hold_seconds(int(self.services.hold_seconds))

    def save_settings(self, settings: Settings) -> None:
        """Persist and publish new settings (dialog, tray, wizard)."""
        previous = self.store.load()
        before = bool(previous.get("start_at_login"))
        self.store.save(settings)
        if settings.get("language") != previous.get("language"):
            self._language_saved(str(settings.get("language")))
        for problem in self.services.apply_settings(settings):  # contact files that could not be read
            self.tray.notify(self.tr("Contacts"), problem, failed=True)
        self.tray.set_hold_seconds(int(self.services.hold_seconds))
        wanted = bool(settings.get("start_at_login"))
        if wanted != before:
            self.apply_start_at_login(wanted)

    def _language_saved(self, setting: str) -> None:
        lang = choose_language(setting)
        if self.translations is not None and self.translations.language == lang:
            return  # the wizard applied it at once
        self.notify(self.tr("Language changed"), self.tr(
            "Missend Guard shows the new language after a restart: choose Quit, then start it again."))

    @Slot(str)
    def _on_wizard_language(self, lang: str) -> None:
        """The wizard's language choice: the app's translators at once, and the setting."""
        if self.translations is not None:
            self.translations.switch(lang)
        try:
            self.save_settings(self.store.load().with_changes(language=lang))
        except (SettingsError, OSError) as exc:
            self.notify(self.tr("Setting not changed"), str(exc), failed=True)

    def apply_start_at_login(self, wanted: bool) -> None:
        """Make the OS login entry (Run key, LaunchAgent, XDG autostart) match the setting."""
        try:
            self.autostart.apply(wanted)
        except AutostartError as exc:
            self.tray.notify(self.tr("Start at login not changed"), str(exc), failed=True)

    @Slot()
    def open_settings(self) -> None:
        """Show the settings dialog (one at a time)."""
        if self._raise("settings"):
            return
        dialog = SettingsDialog(self.store.load(), self.lang, self.save_settings, self.actions,
                                tasks=self.tasks, history=self.services.intake.trust)
        self._show("settings", dialog)

    @Slot()
    def open_audit(self) -> None:
        """Show the audit log window."""
        if self._raise("audit"):
            return
        audit = self.services.store.audit
        self._show("audit", AuditWindow(lambda: audit.to_json(audit.query(limit=1000))))

    def open_wizard(self) -> None:
        """First run: set up the upstream account and the mail client."""
        language = self.translations.language if self.translations is not None else self.lang
        wizard = SetupWizard(self.actions, self.services.intake.relay.port, self.tasks,
                             language=language, settings=self.store.load(),
                             choose_language=self._on_wizard_language,
                             browser=self.sign_in_prompts.browser,
                             outlook_installed=outlook_installed())
        wizard.accepted.connect(self._on_wizard_accepted)
        self._show("wizard", wizard)

    @Slot()
    def _on_wizard_accepted(self) -> None:
        wizard: SetupWizard = self.windows["wizard"]
        try:
            account = wizard.account()
            if wizard.password():
                self.actions.set_password(account.name, wizard.password())
            settings = self.store.load()
            others = tuple(a for a in settings.accounts if a.name.casefold() != account.name.casefold())
            files = list(settings.get("contacts_files")) + wizard.contacts_files()
            changes: dict[str, object] = {"contacts_files": files}
            if "internal_domains" not in settings.locked:
                changes["internal_domains"] = wizard.internal_domains()
            if wizard.outlook_bridge() and "outlook_bridge" not in settings.locked:
                changes["outlook_bridge"] = True
            self.save_settings(settings.with_accounts((*others, account)).with_changes(**changes))
            if account.kind == "graph":  # signed in on the wizard's page: mail that waited goes
                self.services.signed_in(account.name)
        except (SettingsError, OSError, RuntimeError) as exc:
            self.tray.notify(self.tr("Setup not saved"), str(exc), failed=True)

    @Slot()
    def on_show_requested(self) -> None:
        """A second `run` asked us to come forward."""
        self.tray.notify(self.tr("Missend Guard"), self.tr("Missend Guard is already running."))
        self.open_settings()

    def _raise(self, key: str) -> bool:
        window = self.windows.get(key)
        if window is not None and window.isVisible():
            window.raise_()
            window.activateWindow()
            return True
        return False

    def _show(self, key: str, window: Any) -> None:
        self.windows[key] = window
        window.setWindowIcon(state_icon("active"))
        window.show()
        window.raise_()
        window.activateWindow()
