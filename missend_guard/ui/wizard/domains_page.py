"""The wizard's company-domain page: colleagues' mail is internal, not 社外 (setting internal_domains)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

# A host name as people type it: labels of letters/digits/hyphens (any script), at least one dot.
_DOMAIN = re.compile(r"(?=.{1,253}$)([^\s.@,;/\\:]+\.)+[^\s.@,;/\\:]+")


def domain_of(address: str) -> str:
    """The lower-case domain of an address ("" when it is not one)."""
    local, at, domain = address.strip().rpartition("@")
    return domain.strip().rstrip(".").lower() if at and local else ""


def split_domains(text: str) -> list[str]:
    """Domains typed in one field, separated by commas, semicolons, 、 or spaces ("@" dropped)."""
    parts = re.split(r"[\s,;、]+", text.replace("＠", "@"))
    return [p.lstrip("@").rstrip(".").lower() for p in parts if p.strip("@ .")]


class DomainsPage(QWizardPage):
    """Proposes the domain of the account's address; the user edits the list and adds more."""

    def __init__(self, current: Sequence[str], *, address: Callable[[], str],
                 is_free_mail: Callable[[str], bool], locked: bool = False) -> None:
        super().__init__()
        self._address = address
        self._is_free_mail = is_free_mail
        self.locked = locked
        self._proposed = ""  # the domain this page added itself (replaced when the address changes)
        self.setTitle(self.tr("Your company's domain"))
        self.setSubTitle(self.tr("Mail to these domains is internal: colleagues are not marked "
                                 "as external recipients."))
        layout = QVBoxLayout(self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Internal domains"))
        for domain in current:
            self._add(domain)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(self.tr("another domain, e.g. group.example.co.jp"))
        self.entry.setAccessibleName(self.tr("Domain to add"))
        self.add_button = QPushButton(self.tr("&Add"))
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button = QPushButton(self.tr("&Remove"))
        self.remove_button.clicked.connect(self._on_remove_clicked)
        row.addWidget(self.entry, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        if locked:
            for widget in (self.list, self.entry, self.add_button, self.remove_button):
                widget.setEnabled(False)
            self.note.setText(self.tr("Your administrator has set the internal domains."))

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        """Propose the domain of the account's address, unless it is a free mail service."""
        if self.locked:
            return
        address = self._address()
        domain = domain_of(address)
        if self._proposed and self._proposed != domain:
            self._take(self._proposed)  # the account changed: so does the proposal
            self._proposed = ""
        if not domain:
            self.note.setText(self.tr("Enter your company's mail domain (the part after @ in "
                                      "your colleagues' addresses)."))
        elif self._is_free_mail(domain):
            self.note.setText(self.tr("%1 is a free mail service, not a company domain: add your "
                                      "company's domain if you have one.").replace("%1", domain))
        else:
            if domain not in self.domains():
                self._add(domain)
                self._proposed = domain
            self.note.setText(self.tr("Proposed from your address %1. Add your company's other "
                                      "domains (group companies, former names).").replace("%1", address))

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        """Take what is still typed in the field (Return means Next), and refuse what is no domain."""
        if self.locked:
            return True
        if self.entry.text().strip() and not self._add_typed():
            return False
        bad = [d for d in self.domains() if not _DOMAIN.fullmatch(d)]
        if bad:
            self.error.setText(self.tr("Not a domain: %1").replace("%1", ", ".join(bad)))
            return False
        self.error.clear()
        return True

    def domains(self) -> list[str]:
        """The domains listed, lower-case, each once."""
        texts = (self.list.item(i).text().strip().lstrip("@").lower() for i in range(self.list.count()))
        return list(dict.fromkeys(t for t in texts if t))

    def _add(self, domain: str) -> None:
        item = QListWidgetItem(domain)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)

    def _take(self, domain: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).text() == domain:
                self.list.takeItem(i)
                return

    def _add_typed(self) -> bool:
        typed = split_domains(self.entry.text())
        bad = [d for d in typed if not _DOMAIN.fullmatch(d)]
        if bad:
            self.error.setText(self.tr("Not a domain: %1").replace("%1", ", ".join(bad)))
            return False
        for domain in typed:
            if domain not in self.domains():
                self._add(domain)
        self.entry.clear()
        self.error.clear()
        return True

    @Slot()
    def _on_add_clicked(self) -> None:
        self._add_typed()

    @Slot()
    def _on_remove_clicked(self) -> None:
        for item in self.list.selectedItems():
            if item.text() == self._proposed:
                self._proposed = ""
            self.list.takeItem(self.list.row(item))
