"""The review dialog driven through the Outlook bridge and the fake object model under offscreen Qt."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import pyzipper
from PySide6.QtCore import Qt

from missend_guard.transports.outlook.held import HELD_ID, NO_DATE
from missend_guard.ui.protect.protection import Protection
from missend_guard.ui.review.bridge import QtReviewer
from tests.helpers.fake_outlook import (
    DRAFTS,
    OL_BCC,
    OL_TO,
    OUTBOX,
    exchange_recipient,
    file,
    mail,
    smtp_recipient,
)
from tests.helpers.outlook_rig import NOW, OutlookRig
from tests.helpers.protected_mail import xlsx_bytes

pytestmark = pytest.mark.slow

PARTNER = ("佐藤 花子", "hanako.sato@abc-trading.co.jp")
BODY = "佐藤様\r\n\r\nお世話になっております。価格表をお送りします。\r\n\r\n山本\r\n"


def _dialog(qtbot, reviewer: QtReviewer):
    qtbot.waitUntil(lambda: reviewer.current_dialog is not None, timeout=20000)
    return reviewer.current_dialog


def _tick_and_send(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    for box in dialog.checkboxes:
        box.setChecked(True)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)


def test_cancel_keeps_the_item_unsent(qtbot, tasks, tmp_path):
    reviewer = QtReviewer(tasks, lang="ja")
    with OutlookRig(tmp_path, reviewer) as rig:
        item = mail(rig.outlook, subject="お見積りの件", recipients=[smtp_recipient(rig.outlook, *PARTNER)])
        sent = rig.outlook.user_sends(item)
        dialog = _dialog(qtbot, reviewer)
        assert dialog.model.request.message.subject == "お見積りの件"
        assert dialog.model.request.account == "仕事用"
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(sent.done, timeout=20000)
        assert sent.result() is True  # Cancel: the compose window stays open
        assert item.folder is None
        assert item.deferred_until == NO_DATE


def test_send_sets_the_deferral_and_undo_restores_the_draft(qtbot, tasks, tmp_path):
    reviewer = QtReviewer(tasks, lang="en")
    with OutlookRig(tmp_path, reviewer, hold=45) as rig:
        item = mail(rig.outlook, recipients=[smtp_recipient(rig.outlook, *PARTNER)])
        sent = rig.outlook.user_sends(item)
        _tick_and_send(qtbot, _dialog(qtbot, reviewer))
        qtbot.waitUntil(sent.done, timeout=20000)
        assert sent.result() is False
        assert rig.outlook.folder(OUTBOX) == [item]
        assert item.deferred_until == NOW + timedelta(seconds=45)
        [held] = rig.bridge.held()
        assert item.properties[HELD_ID] == held.item_id

        assert rig.bridge.undo(held.item_id).result(10) is True
        assert rig.outlook.folder(DRAFTS) == [item]
        assert item.deferred_until == NO_DATE


def test_move_to_bcc_changes_the_recipients_on_the_item(qtbot, tasks, tmp_path):
    reviewer = QtReviewer(tasks, lang="en")
    with OutlookRig(tmp_path, reviewer) as rig:
        outlook = rig.outlook
        externals = [smtp_recipient(outlook, f"取引先{i}", f"contact@client{i}.example") for i in range(4)]
        colleague = exchange_recipient(outlook, "鈴木 一郎", "ichiro.suzuki@example.co.jp")
        item = mail(outlook, body="各位\r\n\r\n来週の説明会のご案内です。\r\n",
                    recipients=[*externals, colleague])
        sent = outlook.user_sends(item)
        dialog = _dialog(qtbot, reviewer)
        assert dialog.bcc_button is not None
        qtbot.mouseClick(dialog.bcc_button, Qt.MouseButton.LeftButton)
        _tick_and_send(qtbot, dialog)
        qtbot.waitUntil(sent.done, timeout=20000)
        assert sent.result() is False
        assert item.recipient_types() == [*((f"取引先{i}", OL_BCC) for i in range(4)), ("鈴木 一郎", OL_TO)]
        assert "bcc-conversion" in rig.audit.events[-1].detail


def test_protect_replaces_the_attachment_on_the_item(qtbot, tasks, tmp_path):
    reviewer = QtReviewer(tasks, lang="en", protection=Protection(tasks))
    workbook = xlsx_bytes()
    with OutlookRig(tmp_path, reviewer) as rig:
        item = mail(rig.outlook, body=BODY, recipients=[smtp_recipient(rig.outlook, *PARTNER)],
                    attachments=[file(rig.outlook, "価格表.xlsx", workbook)])
        sent = rig.outlook.user_sends(item)
        dialog = _dialog(qtbot, reviewer)
        assert "unprotected-attachment" in dialog.model.request.report.codes()
        qtbot.mouseClick(dialog.protect_buttons[0], Qt.MouseButton.LeftButton)
        protect = dialog.protect_dialog
        password = protect.generated_edit.text()
        with qtbot.waitSignal(protect.finished, timeout=10000):
            qtbot.mouseClick(protect.apply_button, Qt.MouseButton.LeftButton)
        _tick_and_send(qtbot, dialog)
        qtbot.waitUntil(sent.done, timeout=20000)
        assert sent.result() is False
        assert item.file_names() == ["価格表.zip"]
        with pyzipper.AESZipFile(io.BytesIO(item.attachment_data("価格表.zip"))) as archive:
            archive.setpassword(password.encode())
            assert archive.read("価格表.xlsx") == workbook
        assert "encrypted-zip: 価格表.xlsx" in rig.audit.events[-1].detail
        assert password not in " ".join(e.detail for e in rig.audit.events)
        assert rig.temp_files() == []
