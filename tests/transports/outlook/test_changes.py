"""The review's rebuilt MIME mapped back onto the Outlook item: Bcc moves, protected and removed files."""

from __future__ import annotations

import io

import pytest
import pyzipper

from missend_guard.core.message.bcc import move_external_to_bcc
from missend_guard.core.ports.review import Decision, ReviewNote, Verdict
from missend_guard.core.protect.encrypt import Choice, protect_message
from missend_guard.transports.outlook.changes import ChangeError, apply_changes, changes_for, file_name
from missend_guard.transports.outlook.reader import ItemReader, OutlookMail
from tests.helpers.fake_outlook import (
    OL_BCC,
    OL_CC,
    OL_TO,
    FakeOutlook,
    exchange_list,
    exchange_recipient,
    file,
    mail,
    meeting,
    smtp_entry,
    smtp_recipient,
)
from tests.helpers.fake_outlook_items import outlook_error

XLSX = b"PK\x03\x04" + b"sheet-data" * 50
PASSWORD = "Kq7mR2xW9pLt4vZs"


@pytest.fixture
def outlook() -> FakeOutlook:
    running = FakeOutlook()
    running.start()
    return running


def _external(address: str) -> bool:
    return not address.lower().endswith("@example.co.jp")


def _send(replacement: bytes | None, *notes: ReviewNote) -> Decision:
    return Decision(Verdict.SEND, "user", replacement=replacement, notes=notes)


def _read(outlook: FakeOutlook, item, tmp_path) -> OutlookMail:
    return ItemReader(temp_root=tmp_path).read(item)


def test_nothing_rebuilt_changes_nothing(outlook, tmp_path):
    item = mail(outlook, recipients=[smtp_recipient(outlook, "佐藤 花子", "hanako@abc.example")])
    assert changes_for(_read(outlook, item, tmp_path), _send(None)).empty


def test_move_to_bcc_changes_the_external_recipients_types(outlook, tmp_path):
    item = mail(outlook, recipients=[
        smtp_recipient(outlook, "佐藤 花子", "hanako@abc.example"),
        exchange_recipient(outlook, "鈴木 一郎", "ichiro.suzuki@example.co.jp"),
        smtp_recipient(outlook, "木村 拓", "kimura@partner.example", OL_CC),
        exchange_list(outlook, "協力会社", "partners@example.co.jp",
                      [smtp_entry(outlook, "外部", "x@out.example")]),
    ])
    read = _read(outlook, item, tmp_path)
    rebuilt = move_external_to_bcc(read.message.raw, _external)
    changes = changes_for(read, _send(rebuilt, ReviewNote("bcc-conversion")))
    assert changes.to_bcc == (1, 3, 4)  # a list with an external member goes to Bcc whole
    apply_changes(item, changes, tmp_path)
    assert item.recipient_types() == [("佐藤 花子", OL_BCC), ("鈴木 一郎", OL_TO), ("木村 拓", OL_BCC),
                                      ("協力会社", OL_BCC)]


def test_a_meeting_cannot_move_attendees_to_bcc(outlook, tmp_path):
    item = meeting(outlook, recipients=[smtp_recipient(outlook, "佐藤 花子", "hanako@abc.example")])
    read = _read(outlook, item, tmp_path)
    rebuilt = move_external_to_bcc(read.message.raw, _external)
    with pytest.raises(ChangeError, match="meeting"):
        changes_for(read, _send(rebuilt))


def test_protect_replaces_the_file_and_remove_deletes_one(outlook, tmp_path):
    partner = smtp_recipient(outlook, "佐藤 花子", "hanako@abc.example")
    item = mail(outlook, recipients=[partner], attachments=[
        file(outlook, "見積書.xlsx", XLSX),
        file(outlook, "社内メモ.txt", "社外秘".encode()),
        file(outlook, "地図.png", b"\x89PNG-map"),
    ])
    read = _read(outlook, item, tmp_path)
    protected = protect_message(read.message.raw, {0: Choice.ENCRYPT_ZIP, 1: Choice.REMOVE}, PASSWORD)
    changes = changes_for(read, _send(protected.raw, *protected.notes()))
    assert changes.removed == (2,)
    assert [(r.index, r.filename) for r in changes.replaced] == [(1, "見積書.zip")]
    apply_changes(item, changes, tmp_path)
    assert item.file_names() == ["地図.png", "見積書.zip"]
    with pyzipper.AESZipFile(io.BytesIO(item.attachment_data("見積書.zip"))) as archive:
        archive.setpassword(PASSWORD.encode())
        assert archive.read("見積書.xlsx") == XLSX


def test_protect_and_bcc_together(outlook, tmp_path):
    item = mail(outlook, recipients=[smtp_recipient(outlook, "佐藤 花子", "hanako@abc.example")],
                attachments=[file(outlook, "見積書.xlsx", XLSX)])
    read = _read(outlook, item, tmp_path)
    protected = protect_message(read.message.raw, {0: Choice.ENCRYPT_ZIP}, PASSWORD)
    rebuilt = move_external_to_bcc(protected.raw, _external)
    changes = changes_for(read, _send(rebuilt, *protected.notes()))
    apply_changes(item, changes, tmp_path)
    assert item.recipient_types() == [("佐藤 花子", OL_BCC)]
    assert item.file_names() == ["見積書.zip"]


def test_a_change_without_a_note_is_refused(outlook, tmp_path):
    item = mail(outlook, recipients=[smtp_recipient(outlook, "佐藤 花子", "hanako@abc.example")],
                attachments=[file(outlook, "見積書.xlsx", XLSX)])
    read = _read(outlook, item, tmp_path)
    protected = protect_message(read.message.raw, {0: Choice.REMOVE}, "")
    with pytest.raises(ChangeError):
        changes_for(read, _send(protected.raw))  # no "removed" note: not what the user chose


def test_a_failing_add_leaves_the_original_file_in_place(outlook, tmp_path):
    item = mail(outlook, recipients=[smtp_recipient(outlook, "佐藤 花子", "hanako@abc.example")],
                attachments=[file(outlook, "見積書.xlsx", XLSX)])
    read = _read(outlook, item, tmp_path)
    protected = protect_message(read.message.raw, {0: Choice.ENCRYPT_ZIP}, PASSWORD)
    changes = changes_for(read, _send(protected.raw, *protected.notes()))
    outlook.faults["Attachments.Add"] = outlook_error("The file is in use.")
    with pytest.raises(Exception, match="in use"):
        apply_changes(item, changes, tmp_path)
    assert item.file_names() == ["見積書.xlsx"]  # never the original gone and nothing in its place


@pytest.mark.parametrize(("name", "safe"), [
    ("見積書.zip", "見積書.zip"), ("../../evil.zip", "_.._evil.zip"), ("a:b?.zip", "a_b_.zip"),
    ("..", "attachment"),
])
def test_file_names_stay_inside_their_folder(name, safe):
    assert file_name(name) == safe
