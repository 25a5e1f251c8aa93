"""Upstream accounts: a form (shared with the setup wizard), an edit dialog and the settings page list."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Protocol

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from missend_guard.storage.settings.store import Account, SettingsError
from missend_guard.ui.taskman import TaskManager

_DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class AccountActions(Protocol):
    """What the UI may do with secrets and the network, provided by desktop.py (ui never imports them)."""

    def set_password(self, account: str, password: str) -> None:
        """Store the account's password in the OS keychain."""
        ...

    def test(self, account: Account, password: str | None) -> tuple[bool, str]:
        """Try to log in upstream (blocking, called on a worker thread): (ok, readable message)."""
        ...


class AccountForm(QWidget):
    """Fields of one SMTP account; `account()` validates through `Account` itself."""

    def __init__(self, account: Account | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.name = QLineEdit(account.name if account else self.tr("Work"))
        self.host = QLineEdit(account.host if account else "")
        self.host.setPlaceholderText("smtp.example.co.jp")
        self.security = QComboBox()
        for value, label in (
            ("starttls", self.tr("STARTTLS (port 587)")),
            ("ssl", self.tr("SSL/TLS (port 465)")),
            ("none", self.tr("None (this computer only)")),
        ):
            self.security.addItem(label, value)
        current = account.security if account else "starttls"
        self.security.setCurrentIndex(max(self.security.findData(current), 0))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(account.port if account else 587)
        self.security.currentIndexChanged.connect(self._on_security_changed)
        self.username = QLineEdit(account.username if account else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if account:
            self.password.setPlaceholderText(self.tr("(unchanged)"))
        self.from_addresses = QLineEdit(", ".join(account.from_addresses) if account else "")
        self.from_addresses.setPlaceholderText(self.tr("you@example.co.jp"))
        self.default = QCheckBox(self.tr("Use for addresses not listed elsewhere"))
        self.default.setChecked(account.default if account else True)
        form.addRow(self.tr("Account name"), self.name)
        form.addRow(self.tr("SMTP server"), self.host)
        form.addRow(self.tr("Security"), self.security)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Sender addresses"), self.from_addresses)
        form.addRow("", self.default)

    @Slot(int)
    def _on_security_changed(self, index: int) -> None:
        self.port.setValue(_DEFAULT_PORTS.get(self.security.itemData(index), 587))

    def account(self) -> Account:
        """The account as typed; raises SettingsError with a readable message."""
        typed = self.from_addresses.text().replace(";", ",").split(",")
        addresses = tuple(a.strip() for a in typed if a.strip())
        return Account(
            name=self.name.text().strip(), kind="smtp", host=self.host.text().strip(), port=self.port.value(),
            security=str(self.security.currentData()), username=self.username.text().strip(),
            from_addresses=addresses, default=self.default.isChecked(),
        )


class ConnectionTester(QObject):
    """Runs `AccountActions.test` on a worker thread; `finished(ok, message)` on the GUI thread."""

    finished = Signal(bool, str)

    def __init__(self, actions: AccountActions, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.account_actions = actions
        self._tasks = tasks

    def start(self, account: Account, password: str | None) -> None:
        """Begin the test; `finished(ok, message)` follows."""
        self._tasks.run_in_background(partial(self.account_actions.test, account, password),
                                      self._on_tested, self._on_test_failed, owner=self)

    def _on_tested(self, outcome: tuple[bool, str]) -> None:
        self.finished.emit(*outcome)

    def _on_test_failed(self, exc: Exception) -> None:
        self.finished.emit(False, str(exc))  # any failure is a test result to show


class AccountDialog(QDialog):
    """Add or edit one account; the password goes to the keychain through `actions` on OK."""

    def __init__(
        self, account: Account | None, actions: AccountActions | None, tasks: TaskManager,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit account") if account else self.tr("Add account"))
        self.account_actions = actions
        self.result_account: Account | None = None
        layout = QVBoxLayout(self)
        self.form = AccountForm(account)
        layout.addWidget(self.form)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.test_button = buttons.addButton(
            self.tr("&Test connection"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.test_button.setEnabled(actions is not None)
        self.test_button.clicked.connect(self._on_test_clicked)
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if actions is not None:
            self.tester = ConnectionTester(actions, tasks, self)
            self.tester.finished.connect(self._on_test_finished)

    @Slot()
    def _on_test_clicked(self) -> None:
        try:
            account = self.form.account()
        except SettingsError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(self.tr("Connecting…"))
        self.test_button.setEnabled(False)
        self.tester.start(account, self.form.password.text() or None)

    @Slot(bool, str)
    def _on_test_finished(self, ok: bool, message: str) -> None:
        self.test_button.setEnabled(True)
        self.status.setText(("✔ " if ok else "✖ ") + message)

    @Slot()
    def _on_ok_clicked(self) -> None:
        try:
            account = self.form.account()
            if self.account_actions is not None and self.form.password.text():
                self.account_actions.set_password(account.name, self.form.password.text())
        except (SettingsError, OSError, RuntimeError) as exc:
            self.status.setText(str(exc))
            return
        self.result_account = account
        self.accept()


class AccountsPage(QWidget):
    """The settings page listing accounts with Add / Edit / Remove."""

    def __init__(
        self, accounts: tuple[Account, ...], actions: AccountActions | None, tasks: TaskManager,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._accounts = list(accounts)
        self.account_actions = actions
        self._tasks = tasks
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        for text, slot in (
            (self.tr("&Add…"), self._on_add_clicked),
            (self.tr("&Edit…"), self._on_edit_clicked),
            (self.tr("&Remove"), self._on_remove_clicked),
        ):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self._refresh()

    def accounts(self) -> tuple[Account, ...]:
        """The accounts as edited."""
        return tuple(self._accounts)

    def _refresh(self) -> None:
        self.list.clear()
        for a in self._accounts:
            default = " ★" if a.default else ""
            self.list.addItem(f"{a.name}{default} — {a.username}@{a.host}:{a.port} ({a.security})")

    def _open(self, account: Account | None, index: int | None) -> None:
        dialog = AccountDialog(account, self.account_actions, self._tasks, self)
        dialog.finished.connect(lambda _r: self._on_dialog_finished(dialog, index))
        dialog.open()

    def _on_dialog_finished(self, dialog: AccountDialog, index: int | None) -> None:
        new = dialog.result_account
        if new is None:
            return
        if new.default:
            self._accounts = [replace(a, default=False) for a in self._accounts]
        if index is None:
            self._accounts.append(new)
        else:
            self._accounts[index] = new
        self._refresh()

    @Slot()
    def _on_add_clicked(self) -> None:
        self._open(None, None)

    @Slot()
    def _on_edit_clicked(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._accounts):
            self._open(self._accounts[row], row)

    @Slot()
    def _on_remove_clicked(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._accounts):
            del self._accounts[row]
            self._refresh()
