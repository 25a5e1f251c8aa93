"""Through the real relay: protect a PDF and an xlsx in the dialog, they arrive encrypted; the password
is shown (not stored in the data dir), and a follow-up mail carrying it is stopped."""

from __future__ import annotations

import email
import email.policy
import io
import logging
import smtplib
import threading
from typing import Any

import pytest
import pyzipper
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from missend_guard.core.ports.outbox import OutboxState
from missend_guard.desktop.app import DesktopApp
from missend_guard.runtime.logs import setup_logging
from missend_guard.ui.protect.protection import Protection
from missend_guard.ui.review.bridge import QtReviewer
from missend_guard.ui.review.dialog import ReviewDialog
from missend_guard.ui.tray.feed import TrayFeed
from tests.helpers.fake_ui import RecordingOpener
from tests.helpers.protected_mail import (
    PARTNER,
    PDF_NAME,
    SENDER,
    XLSX_NAME,
    pdf_bytes,
    protected_mail,
    xlsx_bytes_of,
)
from tests.helpers.rig import AppRig

pytestmark = pytest.mark.slow


def _submit_in_thread(rig: AppRig, raw: bytes) -> dict[str, Any]:
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            rig.submit(raw, [PARTNER], mail_from=SENDER)
            result["reply"] = 250
        except smtplib.SMTPDataError as exc:
            result["reply"] = exc.smtp_code
            result["text"] = exc.smtp_error.decode()
        except Exception as exc:  # noqa: BLE001 (reported in the assertion)
            result["error"] = repr(exc)

    thread = threading.Thread(target=run)
    thread.start()
    result["thread"] = thread
    return result


@pytest.fixture
def desktop(qapp, tasks, tmp_path, memory_keyring, smtp_sink, request):  # noqa: PLR0917 (fixtures)
    reviewer = QtReviewer(tasks, lang="en", protection=Protection(tasks))  # as desktop.main builds it
    hold = getattr(request, "param", 0)
    with AppRig(tmp_path, reviewer, upstream_port=smtp_sink.port, hold=hold) as rig:
        setup_logging(rig.paths)  # a real log file under the data dir, grepped below
        app = DesktopApp(qapp, rig.services, reviewer, rig.store, "en", tasks=tasks, feed=TrayFeed(tasks),
                         opener=RecordingOpener([]))
        assert app.ledger is rig.services.store.ledger  # the gate's checks read the ledger the desktop writes
        try:
            yield app, rig
        finally:
            if app.password_window is not None:
                app.password_window.close()
            app.tray.stop()
            for handler in [h for h in logging.getLogger().handlers if getattr(h, "missend_guard", False)]:
                logging.getLogger().removeHandler(handler)
                handler.close()


def _protect_and_send(qtbot, reviewer: QtReviewer, raw: bytes) -> tuple[ReviewDialog, str]:
    qtbot.waitUntil(lambda: reviewer.current_dialog is not None, timeout=20000)
    dialog = reviewer.current_dialog
    assert "unprotected-attachment" in dialog.model.request.report.codes()
    qtbot.mouseClick(dialog.protect_buttons[0], Qt.MouseButton.LeftButton)
    protect = dialog.protect_dialog
    password = protect.generated_edit.text()
    with qtbot.waitSignal(protect.finished, timeout=10000):
        qtbot.mouseClick(protect.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)  # the re-check runs on a worker
    assert "unprotected-attachment" not in dialog.model.request.report.codes()
    for box in dialog.checkboxes:
        box.setChecked(True)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    return dialog, password


def _assert_opens_with(data: bytes, raw: bytes, password: str) -> None:
    """Upstream received encrypted files that open with the shown password, bytes as sent."""
    parts = {p.get_filename(): p.get_payload(decode=True) for p in
             email.message_from_bytes(data, policy=email.policy.default).iter_attachments()}
    assert sorted(parts) == sorted([PDF_NAME, "価格表（社外秘ではない）.zip"])
    reader = PdfReader(io.BytesIO(parts[PDF_NAME]))
    assert reader.is_encrypted
    assert not reader.decrypt("wrong-password-123")
    assert reader.decrypt(password)
    assert len(reader.pages) == len(PdfReader(io.BytesIO(pdf_bytes())).pages)
    with pyzipper.AESZipFile(io.BytesIO(parts["価格表（社外秘ではない）.zip"])) as archive:
        archive.setpassword(password.encode())
        assert archive.read(XLSX_NAME) == xlsx_bytes_of(raw)


def _assert_nowhere_on_disk(rig: AppRig, password: str) -> None:
    """Grep every file under the data dir (SQLite with its WAL, outbox, logs) for the password."""
    rig.services.stop()  # close the database first; WAL and journal files are grepped too
    files = [p for p in rig.paths.root.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in files)
    assert any("sqlite" in p.name for p in files)
    needles = (password.encode(), password.encode("utf-16-le"), password.encode("utf-16-be"))
    leaks = [str(p) for p in files for n in needles if n in p.read_bytes()]
    assert leaks == []


def test_protected_files_arrive_encrypted_and_a_follow_up_with_the_password_is_stopped(
        qtbot, desktop, smtp_sink, memory_keyring):
    app, rig = desktop
    raw = protected_mail()
    first = _submit_in_thread(rig, raw)
    _, password = _protect_and_send(qtbot, app.reviewer, raw)
    qtbot.waitUntil(lambda: not first["thread"].is_alive(), timeout=20000)
    assert first.get("reply") == 250, first
    [got] = smtp_sink.handler.wait_for(1)
    assert got.rcpt_tos == (PARTNER,)  # the envelope is unchanged

    _assert_opens_with(got.data, raw, password)

    # The hand-off window shows the password and who it is for; Copy, then the clipboard clears.
    window = app.password_window
    assert window is not None
    assert window.isVisible()
    assert window.password_label.text() == password
    assert PARTNER in window.recipients_label.text()
    app.clipboard.clear_after_ms = 200
    qtbot.mouseClick(window.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == password
    qtbot.waitUntil(lambda: not app.clipboard.pending, timeout=5000)
    assert QGuiApplication.clipboard().text() == ""
    assert app.keeper.lookup("<quote-2024@example.co.jp>") == password  # OS keychain, 7 days

    # A follow-up to the same recipient carrying the password is stopped: Send is impossible.
    follow = protected_mail(f"佐藤様\r\n\r\n先ほどのファイルのパスワードは {password} です。\r\n",
                            message_id="<quote-2024-pw@example.co.jp>")
    second = _submit_in_thread(rig, follow)
    qtbot.waitUntil(lambda: app.reviewer.current_dialog is not None, timeout=20000)
    dialog = app.reviewer.current_dialog
    blocks = [f for f in dialog.model.request.report.findings if f.code == "password-in-mail"
              and f.severity.name == "BLOCK"]
    assert [(f.target, f.params["kind"], list(f.params["recipients"])) for f in blocks] == [
        ("body", "actual-password", [PARTNER])]
    assert dialog.blocked_label.isVisible()
    for box in dialog.checkboxes:
        box.setChecked(True)
    assert not dialog.send_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not second["thread"].is_alive(), timeout=20000)
    assert second.get("reply") == 550, second
    assert len(smtp_sink.messages) == 1

    # The audit records what was done to which file, and nothing of the password anywhere on disk.
    assert rig.wait_until(lambda: bool(rig.items(OutboxState.SENT)))
    details = " ".join(r.detail for r in rig.services.store.audit.query())
    assert f"encrypted-pdf: {PDF_NAME}" in details
    assert f"encrypted-zip: {XLSX_NAME}" in details
    logging.getLogger("missend_guard").info("end of protected-send test")  # the log file exists
    _assert_nowhere_on_disk(rig, password)


def test_a_file_name_with_a_comma_reaches_the_audit_and_the_password_window_whole(
        qtbot, desktop, smtp_sink):
    app, rig = desktop
    raw = protected_mail(xlsx_name="見積書, 最終版.xlsx")
    first = _submit_in_thread(rig, raw)
    _protect_and_send(qtbot, app.reviewer, raw)
    qtbot.waitUntil(lambda: not first["thread"].is_alive(), timeout=20000)
    assert first.get("reply") == 250, first
    window = app.password_window
    assert window is not None
    assert any("見積書, 最終版.zip" in label.text() for label in window.findChildren(QLabel))
    assert rig.wait_until(lambda: bool(rig.items(OutboxState.SENT)))
    details = [r.detail for r in rig.services.store.audit.query() if r.decision == "send"]
    written = f'encrypted-pdf: {PDF_NAME}; encrypted-zip: "見積書, 最終版.xlsx"'
    assert any(written in d for d in details), details


@pytest.mark.parametrize("desktop", [60], indirect=True)
def test_undo_forgets_the_protected_send(qtbot, desktop):
    app, rig = desktop
    raw = protected_mail()
    first = _submit_in_thread(rig, raw)
    _, password = _protect_and_send(qtbot, app.reviewer, raw)
    qtbot.waitUntil(lambda: not first["thread"].is_alive(), timeout=20000)
    assert first.get("reply") == 250, first
    [item] = rig.items(OutboxState.HELD)
    assert app.ledger.recent_for([PARTNER])
    assert app.keeper.lookup(item.message_id) == password
    assert app.tray.undo(item.id)
    assert rig.items(OutboxState.RETURNED)
    assert app.ledger.recent_for([PARTNER]) == []
    assert app.keeper.lookup(item.message_id) is None
