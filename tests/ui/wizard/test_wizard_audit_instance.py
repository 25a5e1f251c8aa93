"""Setup wizard content, audit window filter/export, single instance handshake."""

from __future__ import annotations

import csv
import io

from PySide6.QtCore import QCoreApplication

from missend_guard.desktop.single_instance import SingleInstance
from missend_guard.ui.settings.audit_window import AuditWindow
from missend_guard.ui.wizard.wizard import SetupWizard


class FakeSetup:
    def __init__(self) -> None:
        self.imported: list[str] = []

    def set_password(self, account, password):
        pass

    def test(self, account, password):
        return False, "535 authentication failed"

    def relay_password(self) -> str:
        return "Kx7-relay-secret"

    def import_contacts(self, path: str) -> str:
        if path.endswith(".bad"):
            raise ValueError(f"{path}: not a vCard or CSV file")
        self.imported.append(path)
        return "152 contacts"


def test_wizard_shows_exactly_what_to_type(qtbot, tasks):
    wizard = SetupWizard(FakeSetup(), 2526, tasks)
    qtbot.addWidget(wizard)
    fields = {k: e.text() for k, e in wizard.client.fields.items()}
    assert fields["host"] == "127.0.0.1"
    assert fields["port"] == "2526"
    assert fields["user"] == "missend-guard"
    assert fields["password"] == "Kx7-relay-secret"
    names = [wizard.client.clients.tabText(i) for i in range(wizard.client.clients.count())]
    assert names == ["Outlook", "Thunderbird", "Apple Mail", "Other programs"]
    assert wizard.upstream.graph.isEnabled()  # Microsoft 365 is a real path now


def test_wizard_server_page_refuses_invalid_account(qtbot, tasks):
    wizard = SetupWizard(FakeSetup(), 2525, tasks)
    qtbot.addWidget(wizard)
    assert not wizard.server.validatePage()
    assert "host" in wizard.server.error.text()
    wizard.server.form.host.setText("smtp.example.co.jp")
    assert wizard.server.validatePage()
    assert wizard.account().host == "smtp.example.co.jp"


def test_wizard_connection_test_and_contacts(qtbot, tasks):
    setup = FakeSetup()
    wizard = SetupWizard(setup, 2525, tasks)
    qtbot.addWidget(wizard)
    wizard.server.form.host.setText("smtp.example.co.jp")
    with qtbot.waitSignal(wizard.test.tester.finished, timeout=5000):
        wizard.test.button.click()
    assert "535" in wizard.test.status.text()
    wizard.contacts.import_files(["/tmp/a.vcf", "/tmp/b.bad"])
    assert wizard.contacts_files() == ["/tmp/a.vcf"]
    assert "152 contacts" in wizard.contacts.status.text()
    assert "not a vCard" in wizard.contacts.status.text()


ROWS = [
    {"time": "2026-11-20T01:00:00.000Z", "kind": "decision", "subject": "見積書",
     "recipients": ["a@x.example"], "codes": ["lookalike-domain"], "decision": "cancel",
     "decided_by": "user", "detail": ""},
    {"time": "2026-11-20T02:00:00.000Z", "kind": "delivery", "subject": "議事録",
     "recipients": ["b@y.example"], "codes": [], "decision": "sent", "decided_by": "", "detail": "250 ok"},
]


def test_audit_window_filters_and_exports_csv(qtbot, tmp_path):
    window = AuditWindow(lambda: ROWS)
    qtbot.addWidget(window)
    assert [r[2] for r in window.visible_rows()] == ["議事録", "見積書"]  # newest first
    window.filter.setText("LOOKALIKE")
    assert [r[2] for r in window.visible_rows()] == ["見積書"]
    out = tmp_path / "audit.csv"
    window.export(str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["time", "kind", "subject"]
    assert rows[1][2] == "見積書"
    assert rows[1][4] == "lookalike-domain"
    assert len(rows) == 2


def test_second_instance_asks_the_first_to_show(qtbot, tmp_path):
    first = SingleInstance(str(tmp_path))
    assert first.acquire()
    second = SingleInstance(str(tmp_path))
    with qtbot.waitSignal(first.show_requested, timeout=5000):
        assert not second.acquire()
    other_dir = SingleInstance(str(tmp_path / "other"))
    assert other_dir.acquire()
    other_dir.release()
    first.release()
    third = SingleInstance(str(tmp_path))
    assert third.acquire()
    third.release()
    QCoreApplication.processEvents()
