"""The setup wizard's Microsoft 365 path: the organisation's app registration, then signing in."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWizardPage

from missend_guard.storage.settings.store import Account, SettingsError
from missend_guard.ui.taskman import TaskManager
from missend_guard.ui.wizard.signin_dialog import OpenUrl, ShowDeviceCode, SignInSession

DEFAULT_TENANT = "organizations"  # any work or school account (graph_auth's default, not imported: ui)
DOCS_NAME = "docs/microsoft-365.md"
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class GraphSignInActions(Protocol):
    """Signs a Microsoft 365 account in before it is saved (desktop.py, through app.Services)."""

    def sign_in_account(self, account: Account, show_device_code: ShowDeviceCode, browser: bool,
                        cancelled: threading.Event) -> str:
        """Blocking (worker thread): browser first when `browser`, else a device code; the user name."""
        ...


def admin_docs() -> QUrl | None:
    """The administrators' instructions, when this copy of the app ships them (a source checkout)."""
    path = Path(__file__).resolve().parents[3] / DOCS_NAME
    return QUrl.fromLocalFile(str(path)) if path.is_file() else None


class GraphAccountPage(QWizardPage):
    """Application (client) id, tenant and sender addresses of a Microsoft 365 account."""

    def __init__(self, open_url: OpenUrl = QDesktopServices.openUrl) -> None:
        super().__init__()
        self._open_url = open_url
        self.setTitle(self.tr("Microsoft 365"))
        self.setSubTitle(self.tr("Missend Guard sends your checked mail through Microsoft 365 as you."))
        layout = QVBoxLayout(self)
        self.explanation = QLabel(self._explanation())
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.linkActivated.connect(self._on_link_activated)
        layout.addWidget(self.explanation)
        form = QFormLayout()
        self.name = QLineEdit("Microsoft 365")
        self.client_id = QLineEdit()
        self.client_id.setPlaceholderText("11111111-2222-3333-4444-555555555555")
        self.tenant = QLineEdit(DEFAULT_TENANT)
        self.tenant.setPlaceholderText(self.tr("organizations, or your tenant's domain or ID"))
        self.from_addresses = QLineEdit()
        self.from_addresses.setPlaceholderText(self.tr("you@example.co.jp"))
        form.addRow(self.tr("Account name"), self.name)
        form.addRow(self.tr("Application (client) ID"), self.client_id)
        form.addRow(self.tr("Tenant"), self.tenant)
        form.addRow(self.tr("Sender addresses"), self.from_addresses)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        layout.addStretch(1)

    def _explanation(self) -> str:
        docs = admin_docs()
        where = f'<a href="{docs.toString()}">{DOCS_NAME}</a>' if docs is not None else DOCS_NAME
        return self.tr(
            "Your IT administrator registers Missend Guard once in Microsoft Entra ID (delegated "
            "permission Mail.Send) and gives you its application (client) ID. Keep the tenant "
            "\u201corganizations\u201d unless you were given a tenant ID or domain. "
            "Instructions for administrators: %1"
        ).replace("%1", where)

    @Slot(str)
    def _on_link_activated(self, url: str) -> None:
        self._open_url(QUrl(url))

    def account(self) -> Account:
        """The account as typed; SettingsError with a readable message when it cannot work."""
        client_id = self.client_id.text().strip()
        if not client_id:
            raise SettingsError(self.tr("Enter the application (client) ID from your administrator."))
        if not _GUID.fullmatch(client_id):
            raise SettingsError(self.tr(
                "The application (client) ID looks like 11111111-2222-3333-4444-555555555555."))
        typed = self.from_addresses.text().replace(";", ",").replace("、", ",").split(",")
        return Account(
            name=self.name.text().strip(), kind="graph", client_id=client_id,
            tenant=self.tenant.text().strip() or DEFAULT_TENANT,
            from_addresses=tuple(a.strip() for a in typed if a.strip()), default=True,
        )

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        """Accept only an account the settings would accept."""
        try:
            self.account()
        except SettingsError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        return True


class GraphSignInPage(QWizardPage):
    """Sign in once now (browser, else a code), so mail can go as soon as the wizard is done."""

    def __init__(self, account_page: GraphAccountPage, actions: GraphSignInActions | None,
                 tasks: TaskManager, *, browser: bool = True) -> None:
        super().__init__()
        self.account_page = account_page
        self.sign_in_actions = actions
        self._tasks = tasks
        self.browser = browser  # system browser first; tests and remote sessions use the code only
        self.user: str | None = None
        self.signed_in_as: Account | None = None
        self.session: SignInSession | None = None
        self._pending: Account | None = None
        self.setTitle(self.tr("Sign in to Microsoft 365"))
        self.setSubTitle(self.tr("Microsoft's own sign-in page asks for your password; Missend Guard "
                                 "never sees or stores it."))
        layout = QVBoxLayout(self)
        self.button = QPushButton(self.tr("&Sign in…"))
        self.button.clicked.connect(self._on_sign_in_clicked)
        self.status = QLabel(self.tr("Not signed in yet."))
        self.status.setWordWrap(True)
        layout.addWidget(self.button)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        """A changed account needs a new sign-in."""
        if self.signed_in_as != self._account():
            self.user = None
            self.status.setText(self.tr("Not signed in yet."))
            self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        """Next only after a sign-in worked."""
        return self.user is not None

    def _account(self) -> Account | None:
        try:
            return self.account_page.account()
        except SettingsError:
            return None

    @Slot()
    def _on_sign_in_clicked(self) -> None:
        account = self._account()
        if account is None or self.sign_in_actions is None:
            return
        sign_in: Callable[[ShowDeviceCode, bool, threading.Event], str] = partial(
            self.sign_in_actions.sign_in_account, account)
        if self.session is not None:
            self.session.close()
        self.session = SignInSession(account.name, sign_in, self._tasks, parent_widget=self, parent=self)
        self.session.finished.connect(self._on_session_finished)
        self._pending = account
        self.button.setEnabled(False)
        self.status.setText(self.tr("Signing in…"))
        self.session.start(browser=self.browser)

    @Slot(bool, str)
    def _on_session_finished(self, ok: bool, text: str) -> None:
        self.button.setEnabled(True)
        if ok and self._pending is not None:
            self.user, self.signed_in_as = text, self._pending
            self.status.setText(self.tr("✔ Signed in as %1.").replace("%1", text or self._pending.name))
        else:
            self.user = None
            self.status.setText(self.tr("✖ Not signed in: %1").replace("%1", text))
        self.completeChanged.emit()
