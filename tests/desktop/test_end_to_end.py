"""A real smtplib client submits through the relay to the Qt dialog: Esc answers 550, Send stores and 250."""

from __future__ import annotations

import smtplib
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from missend_guard.core.ports.outbox import OutboxState
from missend_guard.ui.review.bridge import QtReviewer
from missend_guard.ui.tray.menu import TrayController
from tests.conftest import find_free_port
from tests.helpers import samples
from tests.helpers.rig import AppRig

pytestmark = pytest.mark.slow


def _submit_in_thread(rig: AppRig) -> dict[str, object]:
    result: dict[str, object] = {}

    def run() -> None:
        rcpts = [a for _, a in samples.TO + samples.CC]
        try:
            rig.submit(samples.raw_mail(), rcpts, mail_from=samples.SENDER[1])
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


def test_escape_in_the_dialog_answers_550_to_the_client(qtbot, tasks, tmp_path, memory_keyring):
    reviewer = QtReviewer(tasks, lang="ja")
    with AppRig(tmp_path, reviewer, upstream_port=find_free_port(), hold=30) as rig:
        result = _submit_in_thread(rig)
        qtbot.waitUntil(lambda: reviewer.current_dialog is not None, timeout=20000)
        dialog = reviewer.current_dialog
        assert dialog.model.request.message.subject == "お見積りの件（ご確認ください）"
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not result["thread"].is_alive(), timeout=20000)
        assert result.get("reply") == 550, result
        assert rig.items() == []


def test_send_stores_answers_250_and_tray_undo_returns_it(qtbot, tasks, tmp_path, memory_keyring):
    reviewer = QtReviewer(tasks, lang="en")
    with AppRig(tmp_path, reviewer, upstream_port=find_free_port(), hold=60) as rig:
        result = _submit_in_thread(rig)
        qtbot.waitUntil(lambda: reviewer.current_dialog is not None, timeout=20000)
        dialog = reviewer.current_dialog
        for check in dialog.checkboxes:
            check.setChecked(True)
        dialog.send_button.click()
        qtbot.waitUntil(lambda: not result["thread"].is_alive(), timeout=20000)
        assert result.get("reply") == 250, result
        [item] = rig.items(OutboxState.HELD)
        opened: list[str] = []

        def open_url(url):
            opened.append(url.toLocalFile())
            return True

        outbox = rig.services.store.outbox
        tray = TrayController(outbox, hold_seconds=60, locate=outbox.message_file, open_url=open_url)
        tray.show_toasts = False
        try:
            assert tray.undo(item.id)
        finally:
            tray.stop()
        assert rig.items(OutboxState.RETURNED)[0].id == item.id
        assert opened
        assert Path(opened[0]).read_bytes() == rig.services.store.outbox.read(item.id)
