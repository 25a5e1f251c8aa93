"""First-run setup: language, upstream server, connection test, company domain, mail client, contacts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from missend_guard.storage.settings.store import Account, Settings, SettingsError
from missend_guard.ui.settings.accounts_page import AccountActions, AccountForm, ConnectionTester
from missend_guard.ui.taskman import TaskManager
from missend_guard.ui.wizard.client_page import ClientPage
from missend_guard.ui.wizard.domains_page import DomainsPage
from missend_guard.ui.wizard.graph_page import GraphAccountPage, GraphSignInActions, GraphSignInPage

# Page ids: the SMTP path is server → test, the Microsoft 365 path graph → sign-in; both then the
# company domain, the mail client and contacts.
(PAGE_UPSTREAM, PAGE_SERVER, PAGE_TEST, PAGE_GRAPH, PAGE_SIGN_IN, PAGE_DOMAINS, PAGE_CLIENT,
 PAGE_CONTACTS) = range(8)
# Each language named in itself: whoever cannot read the current one still finds theirs.
LANGUAGES = (("ja", "日本語"), ("en", "English"))


class SetupActions(AccountActions, GraphSignInActions, Protocol):
    """Account actions plus what the wizard shows, signs in and imports."""

    def relay_password(self) -> str:
        """The local relay password (from the keychain)."""
        ...

    def import_contacts(self, path: str) -> str:
        """Read a vCard/CSV file into the contacts; a readable summary ("152 contacts")."""
        ...


class _UpstreamPage(QWizardPage):
    def __init__(self, language: str, *, language_locked: bool, note: str) -> None:
        super().__init__()
        self.setTitle(self.tr("How do you send mail?"))
        self.setSubTitle(self.tr("Missend Guard checks each mail, then passes it on to your mail server."))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(language), 0))
        self.language.setEnabled(not language_locked)
        form.addRow(self.tr("&Language / 言語"), self.language)
        layout.addLayout(form)
        self.language_note = QLabel(note)
        self.language_note.setWordWrap(True)
        self.language_note.setVisible(bool(note))
        layout.addWidget(self.language_note)
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
        # Qt's own catalogue leaves some of these in English: every label in our words.
        for label, text in (
            (QFileDialog.DialogLabel.LookIn, self.tr("Look in:")),
            (QFileDialog.DialogLabel.FileName, self.tr("File name:")),
            (QFileDialog.DialogLabel.FileType, self.tr("Files of type:")),
            (QFileDialog.DialogLabel.Accept, self.tr("Import")),
            (QFileDialog.DialogLabel.Reject, self.tr("Cancel")),
        ):
            dialog.setLabelText(label, text)
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
    """The first-run wizard; after `accepted`, read `account()`, `password()`, `internal_domains()`
    and `contacts_files()`.

    `language` is the one in force; choosing another on the first page calls `choose_language`
    (which switches the app's translators and saves the setting), then the wizard rebuilds its
    pages in the new language.
    """

    def __init__(self, actions: SetupActions, relay_port: int, tasks: TaskManager, *,
                 language: str = "en", settings: Settings | None = None,
                 choose_language: Callable[[str], None] | None = None, browser: bool = True,
                 outlook_installed: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actions, self._relay_port, self._tasks = actions, relay_port, tasks
        self._settings = settings or Settings()
        self._choose_language = choose_language
        self._browser = browser
        self._outlook_installed = outlook_installed
        self.language = language
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self._build(note="")
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 62, em * 52)

    def _build(self, note: str) -> None:
        settings = self._settings
        self.setWindowTitle(self.tr("Set up Missend Guard"))
        self.upstream = _UpstreamPage(self.language, language_locked="language" in settings.locked,
                                      note=note)
        self.upstream.language.currentIndexChanged.connect(self._on_language_changed)
        self.server = _ServerPage()
        self.test = _TestPage(self.server, self._actions, self._tasks)
        self.graph = GraphAccountPage()
        self.sign_in = GraphSignInPage(self.graph, self._actions, self._tasks, browser=self._browser)
        self.domains = DomainsPage(
            tuple(settings.get("internal_domains")), address=self.account_address,
            is_free_mail=settings.policy().is_free_mail, locked="internal_domains" in settings.locked,
        )
        self.client = ClientPage(self._actions, self._relay_port,
                                 outlook_installed=self._outlook_installed)
        self.contacts = _ContactsPage(self._actions)
        pages = (self.upstream, self.server, self.test, self.graph, self.sign_in, self.domains,
                 self.client, self.contacts)
        for page_id, page in enumerate(pages):
            self.setPage(page_id, page)

    @Slot(int)
    def _on_language_changed(self, index: int) -> None:
        lang = str(self.upstream.language.itemData(index))
        if lang == self.language:
            return
        graph = self.uses_graph()
        if self._choose_language is not None:
            self._choose_language(lang)
        self.language = lang
        for page_id in self.pageIds():
            page = self.page(page_id)
            self.removePage(page_id)
            page.deleteLater()  # the combo box whose signal runs now goes with its page, later
        self._build(note=self.tr("Language changed. The tray menu and parts of the review dialog "
                                 "follow the next time Missend Guard starts."))
        self.upstream.graph.setChecked(graph)
        self.restart()

    def nextId(self) -> int:  # noqa: N802 (Qt override)
        """Branch after the first page: SMTP or Microsoft 365; both join at the company-domain page."""
        current = self.currentId()
        if current == PAGE_UPSTREAM:
            return PAGE_GRAPH if self.uses_graph() else PAGE_SERVER
        if current == PAGE_TEST:
            return PAGE_DOMAINS
        return super().nextId()

    def uses_graph(self) -> bool:
        """True when the Microsoft 365 path was chosen."""
        return self.upstream.graph.isChecked()

    def account(self) -> Account:
        """The account entered (valid: neither path lets an invalid one through)."""
        return self.graph.account() if self.uses_graph() else self.server.form.account()

    def account_address(self) -> str:
        """The user's own address as typed (sender addresses, else a user name that is one)."""
        if self.uses_graph():
            typed = [self.graph.from_addresses.text(), self.sign_in.user or ""]
        else:
            typed = [self.server.form.from_addresses.text(), self.server.form.username.text()]
        for text in typed:
            for part in text.replace(";", ",").replace("、", ",").split(","):
                if "@" in part:
                    return part.strip()
        return ""

    def password(self) -> str:
        """The upstream password typed (empty when none, and for Microsoft 365)."""
        return "" if self.uses_graph() else self.server.form.password.text()

    def internal_domains(self) -> list[str]:
        """The company's domains as listed on the domain page."""
        return self.domains.domains()

    def outlook_bridge(self) -> bool:
        """Whether classic Outlook's sends are to be checked too (offered when it is installed)."""
        return self._outlook_installed and self.client.outlook.isChecked()

    def contacts_files(self) -> list[str]:
        """Contact files imported on the last page."""
        return list(self.contacts.imported)
