"""First-run setup: upstream server, connection test, what to type into the mail client, contacts."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from missend_guard.storage.settings.store import Account, SettingsError
from missend_guard.ui.settings.accounts_page import AccountActions, AccountForm, ConnectionTester
from missend_guard.ui.taskman import TaskManager
from missend_guard.ui.wizard.graph_page import GraphAccountPage, GraphSignInActions, GraphSignInPage

RELAY_HOST = "127.0.0.1"
RELAY_USER = "missend-guard"
# Page ids: the SMTP path is server → test, the Microsoft 365 path graph → sign-in; both then client.
PAGE_UPSTREAM, PAGE_SERVER, PAGE_TEST, PAGE_GRAPH, PAGE_SIGN_IN, PAGE_CLIENT, PAGE_CONTACTS = range(7)


class SetupActions(AccountActions, GraphSignInActions, Protocol):
    """Account actions plus what the wizard shows, signs in and imports."""

    def relay_password(self) -> str:
        """The local relay password (from the keychain)."""
        ...

    def import_contacts(self, path: str) -> str:
        """Read a vCard/CSV file into the contacts; a readable summary ("152 contacts")."""
        ...


class _UpstreamPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("How do you send mail?"))
        self.setSubTitle(self.tr("Missend Guard checks each mail, then passes it on to your mail server."))
        layout = QVBoxLayout(self)
        self.smtp = QRadioButton(self.tr("An SMTP server (most providers and company servers)"))
        self.smtp.setChecked(True)
        self.graph = QRadioButton(self.tr("Microsoft 365 (sent through Microsoft Graph; for tenants "
                                          "where SMTP is turned off)"))
        layout.addWidget(self.smtp)
        layout.addWidget(self.graph)
        layout.addStretch(1)


class _ServerPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Your mail server"))
        self.setSubTitle(self.tr("Use the outgoing (SMTP) settings your mail app uses today."))
        layout = QVBoxLayout(self)
        self.form = AccountForm()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.form)
        layout.addWidget(self.error)

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        """Accept only an account the settings would accept."""
        try:
            self.form.account()
        except SettingsError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        return True


class _TestPage(QWizardPage):
    def __init__(self, server: _ServerPage, actions: SetupActions, tasks: TaskManager) -> None:
        super().__init__()
        self.server = server
        self.setTitle(self.tr("Test the connection"))
        self.setSubTitle(self.tr("Missend Guard logs in to the server without sending anything."))
        layout = QVBoxLayout(self)
        self.button = QPushButton(self.tr("&Test connection"))
        self.button.clicked.connect(self._on_test_clicked)
        self.status = QLabel(self.tr("Not tested yet. You can also test later from Settings."))
        self.status.setWordWrap(True)
        layout.addWidget(self.button)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.tester = ConnectionTester(actions, tasks, self)
        self.tester.finished.connect(self._on_test_finished)

    @Slot()
    def _on_test_clicked(self) -> None:
        self.button.setEnabled(False)
        self.status.setText(self.tr("Connecting…"))
        self.tester.start(self.server.form.account(), self.server.form.password.text() or None)

    @Slot(bool, str)
    def _on_test_finished(self, ok: bool, message: str) -> None:
        self.button.setEnabled(True)
        self.status.setText(("✔ " if ok else "✖ ") + message)


class _ClientPage(QWizardPage):
    def __init__(self, actions: SetupActions, port: int) -> None:
        super().__init__()
        self.setTitle(self.tr("Point your mail app at Missend Guard"))
        self.setSubTitle(self.tr("Change the outgoing (SMTP) server in your mail app to exactly this:"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for key, label, value in (
            ("host", self.tr("Server"), RELAY_HOST),
            ("port", self.tr("Port"), str(port)),
            ("security", self.tr("Security"), self.tr("None (the connection stays on this computer)")),
            ("user", self.tr("User name"), RELAY_USER),
            ("password", self.tr("Password"), actions.relay_password()),
        ):
            edit = QLineEdit(value)
            edit.setReadOnly(True)
            self.fields[key] = edit
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            copy = QPushButton(self.tr("Copy"))
            copy.setAccessibleName(self.tr("Copy %1").replace("%1", label))
            copy.clicked.connect(edit.selectAll)
            copy.clicked.connect(edit.copy)
            row.addWidget(copy)
            form.addRow(label, row)
        layout.addLayout(form)
        self.clients = QTabWidget()
        for name, text in self._instructions(port):
            view = QTextBrowser()
            view.setPlainText(text)
            self.clients.addTab(view, name)
        layout.addWidget(self.clients, 1)

    def _instructions(self, port: int) -> list[tuple[str, str]]:
        p = str(port)
        return [
            ("Outlook", self.tr(
                "1. File → Account Settings → Account Settings…, select your account, Change…\n"
                "2. More Settings… → Outgoing Server: tick \u201cMy outgoing server requires "
                "authentication\u201d, \u201cLog on using\u201d the user name and password above.\n"
                "3. Advanced: Outgoing server (SMTP) %1, encryption None.\n"
                "4. Outgoing mail server: %2. Finish with Next → Done."
            ).replace("%1", p).replace("%2", RELAY_HOST)),
            ("Thunderbird", self.tr(
                "1. Settings → Account Settings → Outgoing Server (SMTP) → Add…\n"
                "2. Server Name %1, Port %2, Connection security None, Authentication method "
                "\u201cNormal password\u201d, User Name as above.\n"
                "3. Select your account and choose this server as its Outgoing Server.\n"
                "4. Send a test mail: Thunderbird asks for the password once."
            ).replace("%1", RELAY_HOST).replace("%2", p)),
            ("Apple Mail", self.tr(
                "1. Mail → Settings → Accounts → your account → Server Settings.\n"
                "2. Outgoing Mail Server (SMTP): Edit SMTP Server List… → add server %1.\n"
                "3. Untick \u201cAutomatically manage connection settings\u201d, Port %2, "
                "no TLS/SSL, Authentication Password, user and password as above.\n"
                "4. Choose this server for your account and click Save."
            ).replace("%1", RELAY_HOST).replace("%2", p)),
        ]


class _ContactsPage(QWizardPage):
    def __init__(self, actions: SetupActions) -> None:
        super().__init__()
        self.setup_actions = actions
        self.imported: list[str] = []
        self.setTitle(self.tr("Import your contacts (optional)"))
        self.setSubTitle(
            self.tr("Known contacts make look-alike addresses and first-time recipients stand out.")
        )
        layout = QVBoxLayout(self)
        self.button = QPushButton(self.tr("&Import vCard or CSV…"))
        self.button.clicked.connect(self._on_import_clicked)
        self.status = QLabel(
            self.tr("Export contacts from Outlook or Thunderbird as CSV or vCard, then import.")
        )
        self.status.setWordWrap(True)
        layout.addWidget(self.button)
        layout.addWidget(self.status)
        layout.addStretch(1)

    @Slot()
    def _on_import_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Import contacts"), "", self.tr("Contacts (*.vcf *.csv)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(self.import_files)
        dialog.open()

    @Slot(list)
    def import_files(self, paths: list[str]) -> None:
        """Import each chosen file and show what was read."""
        lines = []
        for path in paths:
            try:
                lines.append(f"✔ {self.setup_actions.import_contacts(path)}")
                self.imported.append(path)
            except (OSError, ValueError) as exc:
                lines.append(f"✖ {exc}")
        self.status.setText("\n".join(lines))


class SetupWizard(QWizard):
    """The first-run wizard; after `accepted`, read `account()`, `password()` and `contacts_files()`."""

    def __init__(self, actions: SetupActions, relay_port: int, tasks: TaskManager, *, browser: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Set up Missend Guard"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.upstream = _UpstreamPage()
        self.server = _ServerPage()
        self.test = _TestPage(self.server, actions, tasks)
        self.graph = GraphAccountPage()
        self.sign_in = GraphSignInPage(self.graph, actions, tasks, browser=browser)
        self.client = _ClientPage(actions, relay_port)
        self.contacts = _ContactsPage(actions)
        pages = (self.upstream, self.server, self.test, self.graph, self.sign_in, self.client, self.contacts)
        for page_id, page in enumerate(pages):
            self.setPage(page_id, page)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 62, em * 52)

    def nextId(self) -> int:  # noqa: N802 (Qt override)
        """Branch after the first page: SMTP or Microsoft 365; both join at the mail-client page."""
        current = self.currentId()
        if current == PAGE_UPSTREAM:
            return PAGE_GRAPH if self.uses_graph() else PAGE_SERVER
        if current == PAGE_TEST:
            return PAGE_CLIENT
        return super().nextId()

    def uses_graph(self) -> bool:
        """True when the Microsoft 365 path was chosen."""
        return self.upstream.graph.isChecked()

    def account(self) -> Account:
        """The account entered (valid: neither path lets an invalid one through)."""
        return self.graph.account() if self.uses_graph() else self.server.form.account()

    def password(self) -> str:
        """The upstream password typed (empty when none, and for Microsoft 365)."""
        return "" if self.uses_graph() else self.server.form.password.text()

    def contacts_files(self) -> list[str]:
        """Contact files imported on the last page."""
        return list(self.contacts.imported)
