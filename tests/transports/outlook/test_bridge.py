"""The bridge thread over the fake Outlook: ItemSend → gate → item changes, undo, delivery, restarts."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from missend_guard.core.ports.review import Decision, Verdict
from missend_guard.transports.outlook.bridge import OutlookBridge, OutlookNotRunningError, OutlookStatus
from missend_guard.transports.outlook.held import HELD_ID, NO_DATE
from missend_guard.transports.outlook.reader import ItemReader
from missend_guard.transports.outlook.sending import ItemSendHandler
from tests.helpers.fake_outlook import (
    DRAFTS,
    OUTBOX,
    SENT,
    FakeCom,
    FakeOutlook,
    exchange_recipient,
    file,
    mail,
    smtp_recipient,
)
from tests.helpers.fake_outlook_items import outlook_error
from tests.helpers.fake_ports import RecordingReviewer as Reviewer
from tests.helpers.outlook_rig import NOW, OutlookRig, wait_until

PARTNER = ("佐藤 花子", "hanako.sato@abc-trading.co.jp")
COLLEAGUE = ("鈴木 一郎", "ichiro.suzuki@example.co.jp")
INTERNAL_BODY = "鈴木さん\r\n\r\nお疲れさまです。明日の会議は10時からです。\r\n"




SEND = Decision(Verdict.SEND, "user")
CANCEL = Decision(Verdict.CANCEL, "user", reason="cancelled in review")


def _to_partner(rig: OutlookRig, **kwargs):
    return mail(rig.outlook, recipients=[smtp_recipient(rig.outlook, *PARTNER)], **kwargs)


def test_send_lets_outlook_send_it_later_with_our_id(tmp_path):
    reviewer = Reviewer(SEND)
    with OutlookRig(tmp_path, reviewer, hold=30) as rig:
        item = _to_partner(rig)
        assert rig.send(item) is False
        assert rig.outlook.folder(OUTBOX) == [item]
        assert item.deferred_until == NOW + timedelta(seconds=30)
        assert item.properties[HELD_ID] == "mg001"
        assert rig.decisions() == [
            ("decision", "send", "source: outlook; held in Outlook as mg001 until 09:30:30")]
        [held] = rig.bridge.held()
        assert (held.item_id, held.subject, held.rcpt_tos) == ("mg001", "お見積りの件", (PARTNER[1],))
        assert rig.kinds()[-1] == "held"
        assert rig.temp_files() == []


def test_cancel_keeps_the_item_in_its_window(tmp_path):
    reviewer = Reviewer(CANCEL)
    with OutlookRig(tmp_path, reviewer) as rig:
        item = _to_partner(rig)
        assert rig.send(item) is True
        assert item.folder is None  # still in the compose window
        assert rig.outlook.folder(OUTBOX) == []
        assert item.deferred_until == NO_DATE
        assert HELD_ID not in item.properties
        assert rig.decisions() == [("decision", "cancel", "source: outlook; cancelled in review")]
        assert "kept" not in rig.kinds()  # the user cancelled: nothing to tell them


def test_a_quiet_internal_mail_goes_without_a_dialog(tmp_path):
    reviewer = Reviewer()
    with OutlookRig(tmp_path, reviewer, history=(COLLEAGUE[1],)) as rig:
        item = mail(rig.outlook, body=INTERNAL_BODY, recipients=[exchange_recipient(rig.outlook, *COLLEAGUE)])
        assert rig.send(item) is False
        assert reviewer.requests == []
        assert rig.audit.events[-1].decided_by == "quiet"


def test_an_unreadable_item_is_put_to_the_user_even_when_it_would_be_quiet(tmp_path):
    reviewer = Reviewer(CANCEL)
    with OutlookRig(tmp_path, reviewer, history=(COLLEAGUE[1],)) as rig:
        colleague = exchange_recipient(rig.outlook, *COLLEAGUE, smtp_on_recipient=True)
        item = mail(rig.outlook, body=INTERNAL_BODY, recipients=[colleague],
                    attachments=[file(rig.outlook, "報告書.docx", b"PK\x03\x04doc")])
        rig.outlook.faults["Attachment.SaveAsFile"] = outlook_error("Cannot save the attachment.")
        assert rig.send(item) is True
        [request] = reviewer.requests
        assert "malformed-message" in request.report.codes()
        problems = request.message.problems
        assert any(p.startswith("outlook-unreadable:attachment 報告書.docx") for p in problems)


def test_denied_access_is_put_to_the_user(tmp_path):
    reviewer = Reviewer(SEND)
    with OutlookRig(tmp_path, reviewer) as rig:
        item = _to_partner(rig)
        rig.outlook.guard_prompt = "deny"
        assert rig.send(item) is False  # the user chose Send in the dialog: their decision stands
        [request] = reviewer.requests
        assert "outlook-access-denied" in request.message.problems


def test_undo_moves_the_held_item_back_to_drafts(tmp_path):
    with OutlookRig(tmp_path, Reviewer(SEND)) as rig:
        item = _to_partner(rig)
        rig.send(item)
        assert rig.bridge.undo("mg001").result(10) is True
        assert rig.outlook.folder(OUTBOX) == []
        assert rig.outlook.folder(DRAFTS) == [item]
        assert item.deferred_until == NO_DATE
        assert HELD_ID not in item.properties
        assert item.saved
        assert rig.bridge.held() == []
        assert rig.audit.events[-1].kind == "undo"
        assert "source: outlook" in rig.audit.events[-1].detail
        assert rig.kinds()[-1] == "undone"


def test_undo_after_outlook_sent_it_says_so(tmp_path):
    with OutlookRig(tmp_path, Reviewer(SEND)) as rig:
        item = _to_partner(rig)
        rig.send(item)
        rig.outlook.deliver_due(NOW + timedelta(minutes=1))
        assert rig.bridge.undo("mg001").result(10) is False
        assert rig.outlook.folder(SENT) == [item]
        assert rig.events[-1].kind == "undo-failed"


def test_delivery_is_audited_and_learnt_from(tmp_path):
    with OutlookRig(tmp_path, Reviewer(SEND)) as rig:
        item = _to_partner(rig)
        rig.send(item)
        assert rig.outlook.deliver_due(NOW) == []  # not due yet
        rig.outlook.deliver_due(NOW + timedelta(seconds=31))
        assert wait_until(lambda: "sent" in rig.kinds())
        assert rig.audit.events[-1].kind == "delivery"
        assert rig.audit.events[-1].decision == "sent"
        assert rig.audit.events[-1].recipients == (PARTNER[1],)
        assert rig.history == [PARTNER[1]]
        assert rig.bridge.held() == []


def test_no_hold_sends_at_once(tmp_path):
    with OutlookRig(tmp_path, Reviewer(SEND), hold=0) as rig:
        item = _to_partner(rig)
        assert rig.send(item) is False
        assert item.deferred_until == NO_DATE
        assert wait_until(lambda: "sent" in rig.kinds())
        assert rig.outlook.folder(SENT) == [item]


def test_a_later_deferral_the_user_chose_is_kept(tmp_path):
    with OutlookRig(tmp_path, Reviewer(SEND), hold=30) as rig:
        item = _to_partner(rig)
        tomorrow = datetime(2025, 4, 2, 8, 0)
        item._state["DeferredDeliveryTime"] = tomorrow
        rig.send(item)
        assert item.deferred_until == tomorrow


def test_changes_that_fail_keep_the_item_and_tell_the_user(tmp_path):
    with OutlookRig(tmp_path, Reviewer(SEND)) as rig:
        item = _to_partner(rig)
        rig.outlook.faults["PropertyAccessor.SetProperty"] = outlook_error("The item is read-only.")
        assert rig.send(item) is True
        assert rig.outlook.folder(OUTBOX) == []
        assert rig.events[-1].kind == "kept"
        assert "read-only" in rig.events[-1].detail
        assert rig.audit.events[-1].decision == "cancel"


def test_outlook_quitting_mid_review_withdraws_it_and_the_bridge_waits_for_the_next_outlook(tmp_path):
    reviewer = Reviewer()  # the dialog stays open
    with OutlookRig(tmp_path, reviewer) as rig:
        item = _to_partner(rig)
        sent = rig.outlook.user_sends(item)
        assert wait_until(lambda: bool(reviewer.futures))
        rig.outlook.crash()
        assert wait_until(reviewer.futures[0].cancelled)  # the dialog is told to close
        assert sent.result(10) is True
        assert item.folder is None
        assert rig.audit.events[-1].decided_by == "client"
        assert wait_until(lambda: rig.bridge.status is OutlookStatus.NOT_RUNNING)
        rig.outlook.start()
        assert wait_until(lambda: rig.bridge.status is OutlookStatus.CONNECTED)
        second = _to_partner(rig)
        reviewer.decision = SEND
        assert rig.send(second) is False


def test_quit_is_heard_and_nothing_is_left_attached(tmp_path):
    with OutlookRig(tmp_path, Reviewer(SEND)) as rig:
        rig.outlook.quit()
        assert wait_until(lambda: rig.bridge.status is OutlookStatus.NOT_RUNNING)
        assert rig.outlook.app_sinks == []
        with pytest.raises(OutlookNotRunningError):
            rig.bridge.undo("mg001").result(10)


def test_the_bridge_never_starts_outlook(tmp_path):
    outlook = FakeOutlook()
    com = FakeCom(outlook)
    statuses: list[OutlookStatus] = []
    handler = ItemSendHandler(Reviewer(), ItemReader(temp_root=tmp_path))  # type: ignore[arg-type]
    bridge = OutlookBridge(lambda: com, handler, Reviewer(),  # type: ignore[arg-type]
                           on_event=lambda e: statuses.append(e.status), reconnect_seconds=0.05)
    bridge.start()
    try:
        threading.Event().wait(0.3)
        assert not outlook.running
        assert bridge.status is OutlookStatus.NOT_RUNNING
        outlook.start()
        assert wait_until(lambda: bridge.status is OutlookStatus.CONNECTED)
    finally:
        bridge.stop()
    assert statuses == [OutlookStatus.NOT_RUNNING, OutlookStatus.CONNECTED, OutlookStatus.STOPPED]
    assert com.initialized == 0  # CoUninitialize after CoInitialize


def test_stopping_during_a_review_keeps_the_item(tmp_path):
    reviewer = Reviewer()
    rig = OutlookRig(tmp_path, reviewer)
    with rig:
        item = _to_partner(rig)
        sent = rig.outlook.user_sends(item)
        assert wait_until(lambda: bool(reviewer.futures))
    assert sent.result(10) is True
    assert rig.outlook.folder(OUTBOX) == []


def test_another_add_in_that_cancelled_first_is_respected(tmp_path):
    reviewer = Reviewer(SEND)
    with OutlookRig(tmp_path, reviewer) as rig:
        item = _to_partner(rig)

        class Earlier:
            def OnItemSend(self, item, cancel):
                return True

            def OnQuit(self):
                return None

        rig.outlook.app_sinks.insert(0, Earlier())
        assert rig.send(item) is True
        assert reviewer.requests == []
