"""The wizard's mail-client page: what to type into the mail program, per program, timeout included."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWizardPage,
)

RELAY_HOST = "127.0.0.1"
RELAY_USER = "missend-guard"


class RelayPassword(Protocol):
    """Reads the local relay password (from the keychain)."""

    def relay_password(self) -> str:
        """What the mail client logs in with."""
        ...


class ClientPage(QWizardPage):
    """Server, port, user and password to copy, and each program's steps (the review keeps the
    SMTP transaction open, so each includes how to make the program wait long enough)."""

    def __init__(self, actions: RelayPassword, port: int, *, outlook_installed: bool = False) -> None:
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
        for name, text in self.instructions(port):
            view = QTextBrowser()
            view.setPlainText(text)
            self.clients.addTab(view, name)
        layout.addWidget(self.clients, 1)
        # Classic Outlook on Exchange / Microsoft 365 never sends through SMTP here: its sends are
        # checked through Outlook itself when this is ticked (setting outlook_bridge).
        self.outlook = QCheckBox(self.tr("Also check mail I send from classic Outlook "
                                         "(Exchange / Microsoft 365 accounts)"))
        self.outlook.setVisible(outlook_installed)
        self.outlook.setChecked(outlook_installed)
        layout.addWidget(self.outlook)

    def instructions(self, port: int) -> list[tuple[str, str]]:
        """(program, steps) for each tab, in the language in force."""
        p = str(port)
        return [
            ("Outlook", self.tr(
                "1. File → Account Settings → Account Settings…, select your account, Change…\n"
                "2. More Settings… → Outgoing Server: tick \u201cMy outgoing server requires "
                "authentication\u201d, \u201cLog on using\u201d the user name and password above.\n"
                "3. Advanced: Outgoing server (SMTP) %1, encryption None. On the same tab, move the "
                "\u201cServer Timeouts\u201d slider to Long (10 minutes): Outlook waits for the "
                "server while you review a mail.\n"
                "4. Outgoing mail server: %2. Finish with Next → Done."
            ).replace("%1", p).replace("%2", RELAY_HOST)),
            ("Thunderbird", self.tr(
                "1. Settings → Account Settings → Outgoing Server (SMTP) → Add…\n"
                "2. Server Name %1, Port %2, Connection security None, Authentication method "
                "\u201cNormal password\u201d, User Name as above.\n"
                "3. Select your account and choose this server as its Outgoing Server.\n"
                "4. Let Thunderbird wait while you review a mail: Settings → General → Config "
                "Editor… (at the bottom), search mailnews.tcptimeout and set it to 300 (seconds).\n"
                "5. Send a test mail: Thunderbird asks for the password once."
            ).replace("%1", RELAY_HOST).replace("%2", p)),
            ("Apple Mail", self.tr(
                "1. Mail → Settings → Accounts → your account → Server Settings.\n"
                "2. Outgoing Mail Server (SMTP): Edit SMTP Server List… → add server %1.\n"
                "3. Untick \u201cAutomatically manage connection settings\u201d, Port %2, "
                "no TLS/SSL, Authentication Password, user and password as above.\n"
                "4. Choose this server for your account and click Save.\n"
                "5. Apple Mail has no timeout setting. If a long review ends in a send error, "
                "the mail stays in the Outbox: choose Mailbox → Take All Accounts Online to "
                "send it again."
            ).replace("%1", RELAY_HOST).replace("%2", p)),
            (self.tr("Other programs"), self.tr(
                "Any program that sends over SMTP works with the settings above. The server's "
                "answer comes only after you decide in the review, so let the program wait at "
                "least 5 minutes (300 seconds):\n"
                "• NeoMutt: set smtp_url = \"smtp://%3@%1:%2/\" and set socket_timeout = 300 "
                "(the default is 30 seconds).\n"
                "• msmtp (used by mutt and others): timeout 300 in ~/.msmtprc.\n"
                "• swaks: --timeout 300.\n"
                "• s-nail / mailx: waits at most 42 seconds and cannot be changed. Decide "
                "within about 40 seconds; if it gives up, nothing is sent (with \u201cset save\u201d "
                "s-nail keeps the message in dead.letter)."
            ).replace("%1", RELAY_HOST).replace("%2", p).replace("%3", RELAY_USER)),
        ]
