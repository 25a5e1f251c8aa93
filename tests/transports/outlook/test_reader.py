"""Reading Outlook items into the relay's Message, on the fake object model (main thread = apartment)."""

from __future__ import annotations

import os
import sys

import pytest

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.message.model import parse_message
from missend_guard.transports.outlook.com import RPC_S_SERVER_UNAVAILABLE
from missend_guard.transports.outlook.reader import ItemReader
from tests.helpers.fake_outlook import (
    OL_BCC,
    OL_CC,
    FakeOutlook,
    cloud_link,
    contact_group,
    embedded_item,
    exchange_entry,
    exchange_list,
    exchange_recipient,
    file,
    mail,
    meeting,
    smtp_entry,
    smtp_recipient,
)
from tests.helpers.fake_outlook_items import ComError, outlook_error
from tests.helpers.outlook_rig import INTERNAL

PARTNER = ("佐藤 花子", "hanako.sato@abc-trading.co.jp")


@pytest.fixture
def outlook() -> FakeOutlook:
    running = FakeOutlook()
    running.start()
    return running


def _fields(mail_read) -> list[tuple[str, str, str]]:
    return [(r.field, r.name, r.address) for r in mail_read.message.recipients]


def test_japanese_names_subject_and_account_arrive_as_the_relay_would_parse_them(outlook, tmp_path):
    item = mail(outlook, subject="【至急】お見積りの件（再送）", recipients=[
        smtp_recipient(outlook, *PARTNER),
        exchange_recipient(outlook, "鈴木 一郎", "ichiro.suzuki@example.co.jp", OL_CC),
        smtp_recipient(outlook, "部長 山田", "yamada@example.co.jp", OL_BCC),
    ])
    read = ItemReader(temp_root=tmp_path).read(item)
    assert read.complete
    assert read.message.problems == ()
    assert read.message.subject == "【至急】お見積りの件（再送）"
    assert _fields(read) == [
        ("to", "佐藤 花子", "hanako.sato@abc-trading.co.jp"),
        ("cc", "鈴木 一郎", "ichiro.suzuki@example.co.jp"),
        ("bcc", "部長 山田", "yamada@example.co.jp"),
    ]
    assert read.message.sender is not None
    assert (read.message.sender.name, read.message.sender.address) == ("山本 健", "ken@example.co.jp")
    assert read.account == "仕事用"
    assert read.envelope.mail_from == "ken@example.co.jp"
    assert read.envelope.rcpt_tos == ("hanako.sato@abc-trading.co.jp", "ichiro.suzuki@example.co.jp",
                                      "yamada@example.co.jp")
    # The checks see exactly what the relay's parser makes of the composed MIME.
    again = parse_message(read.message.raw, read.envelope.rcpt_tos)
    assert again.recipients == read.message.recipients
    assert check(read.message, CheckContext(policy=INTERNAL)).codes() == check(
        again, CheckContext(policy=INTERNAL)).codes()


def test_an_exchange_user_without_smtp_on_the_recipient_is_resolved_through_the_exchange_user(
        outlook, tmp_path):
    item = mail(outlook, recipients=[exchange_recipient(outlook, "鈴木 一郎", "ichiro.suzuki@example.co.jp")])
    read = ItemReader(temp_root=tmp_path).read(item)
    assert _fields(read) == [("to", "鈴木 一郎", "ichiro.suzuki@example.co.jp")]
    assert "AddressEntry.GetExchangeUser" in outlook.accessed


def test_pr_smtp_address_on_the_recipient_is_used_first(outlook, tmp_path):
    item = mail(outlook, recipients=[exchange_recipient(outlook, "鈴木 一郎", "ichiro.suzuki@example.co.jp",
                                                        smtp_on_recipient=True)])
    read = ItemReader(temp_root=tmp_path).read(item)
    assert _fields(read) == [("to", "鈴木 一郎", "ichiro.suzuki@example.co.jp")]
    assert "AddressEntry.GetExchangeUser" not in outlook.accessed


def test_lists_are_expanded_and_a_list_that_cannot_be_is_flagged(outlook, tmp_path):
    item = mail(outlook, recipients=[
        exchange_list(outlook, "営業部", "sales@example.co.jp", [
            exchange_entry(outlook, "田中 誠", "makoto.tanaka@example.co.jp"),
            smtp_entry(outlook, "協力会社 木村", "kimura@partner.example"),
        ]),
        contact_group(outlook, "プロジェクトA", [smtp_entry(outlook, "外部 佐々木", "sasaki@client.example")],
                      OL_CC),
        exchange_list(outlook, "全社員", "all@example.co.jp", None),
    ])
    read = ItemReader(temp_root=tmp_path).read(item)
    assert _fields(read) == [
        ("to", "営業部", "sales@example.co.jp"),
        ("to", "田中 誠", "makoto.tanaka@example.co.jp"),
        ("to", "協力会社 木村", "kimura@partner.example"),
        ("to", "全社員", "all@example.co.jp"),
        ("cc", "外部 佐々木", "sasaki@client.example"),
    ]
    assert read.message.problems == ("outlook-unexpanded-list:全社員",)
    assert not read.complete
    assert "malformed-message" in check(read.message, CheckContext(policy=INTERNAL)).codes()


def test_files_embedded_items_inline_images_and_links(outlook, tmp_path):
    html = '<p>佐藤様</p><img src="cid:image001.png@01DA">'
    item = mail(outlook, html=html, recipients=[smtp_recipient(outlook, *PARTNER)], attachments=[
        file(outlook, "見積書, 最終版.xlsx", b"PK\x03\x04sheet"),
        file(outlook, "image001.png", b"\x89PNG\r\n", content_id="image001.png@01DA"),
        embedded_item(outlook, "RE: 前回の打合せ", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1msg"),
        cloud_link(outlook, "提案書.pptx", "https://contoso-my.sharepoint.com/提案書.pptx"),
    ])
    read = ItemReader(temp_root=tmp_path).read(item)
    attachments = [(a.filename, a.content_type, a.inline, a.data[:4]) for a in read.message.attachments]
    assert attachments == [
        ("見積書, 最終版.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         False, b"PK\x03\x04"),
        ("RE: 前回の打合せ.msg", "application/vnd.ms-outlook", False, b"\xd0\xcf\x11\xe0"),
        ("image001.png", "image/png", True, b"\x89PNG"),
    ]
    assert [(s.index, s.filename) for s in read.attachments] == [
        (1, "見積書, 最終版.xlsx"), (3, "RE: 前回の打合せ.msg"), (2, "image001.png")]
    assert read.message.problems == ("outlook-cloud-attachment:提案書.pptx",)
    assert "佐藤様" in read.message.body


def test_a_large_attachment_is_read_whole_through_a_private_folder_that_is_removed(outlook, tmp_path):
    big = os.urandom(1024) * (30 * 1024)  # 30 MB
    item = mail(outlook, recipients=[smtp_recipient(outlook, *PARTNER)],
                attachments=[file(outlook, "設計図.zip", big)])
    read = ItemReader(temp_root=tmp_path).read(item)
    [attachment] = read.message.attachments
    assert attachment.data == big
    [(path, mode)] = outlook.saved
    assert path.startswith(str(tmp_path))
    if sys.platform != "win32":
        assert mode == 0o700
    assert list(tmp_path.iterdir()) == []  # file and folder gone


def test_a_meeting_request_lists_resources_as_visible_and_has_no_bcc(outlook, tmp_path):
    item = meeting(outlook, recipients=[
        exchange_recipient(outlook, "鈴木 一郎", "ichiro.suzuki@example.co.jp"),
        smtp_recipient(outlook, *PARTNER, kind=OL_CC),
        exchange_recipient(outlook, "会議室 7A", "room-7a@example.co.jp", 3),
    ])
    read = ItemReader(temp_root=tmp_path).read(item)
    assert read.meeting
    assert _fields(read) == [
        ("to", "鈴木 一郎", "ichiro.suzuki@example.co.jp"),
        ("to", "会議室 7A", "room-7a@example.co.jp"),
        ("cc", "佐藤 花子", "hanako.sato@abc-trading.co.jp"),
    ]


def test_sent_on_behalf_uses_the_delegates_mailbox_and_keeps_the_account(outlook, tmp_path):
    desk = exchange_entry(outlook, "営業部 共有", "sales-desk@example.co.jp")
    outlook.session.directory["営業部 共有"] = desk
    item = mail(outlook, recipients=[smtp_recipient(outlook, *PARTNER)], behalf="営業部 共有")
    read = ItemReader(temp_root=tmp_path).read(item)
    assert read.envelope.mail_from == "sales-desk@example.co.jp"
    assert read.account == "仕事用"


def test_the_default_account_is_the_profiles_own_mailbox(outlook, tmp_path):
    item = mail(outlook, recipients=[smtp_recipient(outlook, *PARTNER)], account=False)
    read = ItemReader(temp_root=tmp_path).read(item)
    assert read.envelope.mail_from == "ken@example.co.jp"
    assert read.complete


@pytest.mark.parametrize("member", [
    "MailItem.SendUsingAccount", "MailItem.Recipients", "Recipients.Item", "Recipient.AddressEntry",
    "ExchangeUser.PrimarySmtpAddress", "MailItem.Body", "MailItem.HTMLBody", "MailItem.Attachments",
    "Attachments.Item", "Attachment.SaveAsFile", "Recipient.Type", "MailItem.Subject",
])
def test_a_com_error_at_any_step_is_a_problem_for_the_user_never_a_crash(outlook, tmp_path, member):
    item = mail(outlook, html="<p>本文</p>", recipients=[
        smtp_recipient(outlook, *PARTNER),
        exchange_recipient(outlook, "鈴木 一郎", "ichiro.suzuki@example.co.jp"),
    ], attachments=[file(outlook, "見積書.pdf", b"%PDF-1.7")])
    outlook.faults[member] = outlook_error("The operation failed.")
    read = ItemReader(temp_root=tmp_path).read(item)
    assert not read.complete
    assert read.message.problems
    assert list(tmp_path.iterdir()) == []


def test_a_denied_object_model_guard_prompt_is_reported_not_passed(outlook, tmp_path):
    item = mail(outlook, recipients=[smtp_recipient(outlook, *PARTNER)])
    outlook.guard_prompt = "deny"
    read = ItemReader(temp_root=tmp_path).read(item)
    assert not read.complete
    assert "outlook-access-denied" in read.message.problems
    assert "malformed-message" in check(read.message, CheckContext(policy=INTERNAL)).codes()


def test_outlook_going_away_while_reading_is_raised_to_the_bridge(outlook, tmp_path):
    item = mail(outlook, recipients=[smtp_recipient(outlook, *PARTNER)])
    outlook.faults["Recipients.Item"] = ComError(RPC_S_SERVER_UNAVAILABLE, "The RPC server is unavailable.")
    with pytest.raises(ComError):
        ItemReader(temp_root=tmp_path).read(item)
    assert list(tmp_path.iterdir()) == []


def test_a_slow_read_stops_at_the_time_out_and_says_what_was_skipped(outlook, tmp_path):
    ticks = iter(range(0, 1000, 20))  # each look at the clock: 20 s later
    item = mail(outlook, recipients=[smtp_recipient(outlook, *PARTNER)],
                attachments=[file(outlook, "a.pdf", b"%PDF")])
    read = ItemReader(temp_root=tmp_path, timeout=30, clock=lambda: next(ticks)).read(item)
    assert "outlook-read-timeout:attachments" in read.message.problems
    assert not read.complete
    assert outlook.saved == []


def test_an_unknown_item_class_is_flagged(outlook, tmp_path):
    item = mail(outlook, recipients=[smtp_recipient(outlook, *PARTNER)])
    item._state["Class"] = 49  # a task request
    read = ItemReader(temp_root=tmp_path).read(item)
    assert read.message.problems == ("outlook-unknown-item-class:49",)


def test_outlooks_errors_carry_their_text_into_the_problem(outlook, tmp_path):
    item = mail(outlook, recipients=[smtp_recipient(outlook, *PARTNER)],
                attachments=[file(outlook, "見積書.pdf", b"%PDF")])
    outlook.faults["Attachment.SaveAsFile"] = outlook_error("Cannot save the attachment.")
    read = ItemReader(temp_root=tmp_path).read(item)
    [problem] = read.message.problems
    assert problem.startswith("outlook-unreadable:attachment 見積書.pdf (0x80020009 Cannot save")
