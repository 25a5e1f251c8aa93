"""Undo on real services: the Returned window opens on the mail with its recipients intact, the
path is shown when nothing opens it, and Send again goes through the gate once more."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator

import pytest

from missend_guard.core.gate import ApproveAllReviewer
from missend_guard.core.message.bcc import move_external_to_bcc
from missend_guard.core.ports.outbox import OutboxState
from missend_guard.desktop.app import DesktopApp
from missend_guard.ui.review.bridge import QtReviewer
from missend_guard.ui.tray.feed import TrayFeed
from tests.conftest import find_free_port
from tests.helpers.fake_ui import RecordingOpener
from tests.helpers.mails import jis_mail
from tests.helpers.rig import AppRig

pytestmark = pytest.mark.slow

PARTNER = "hanako.sato@abc-trading.co.jp"
COLLEAGUE = "sho@example.co.jp"


def _moved_mail() -> bytes:
    """As the review dialog leaves a mail after Move to Bcc: To reads undisclosed-recipients."""
    raw = jis_mail(to=[("佐藤 花子", PARTNER)], subject="お見積りの件",
                   sender=("山本 健", "ken@example.co.jp"), message_id="<undo-1@example.co.jp>")
    return move_external_to_bcc(raw, lambda a: a == PARTNER)


Desk = tuple[DesktopApp, AppRig, RecordingOpener]


@pytest.fixture(params=[True, False], ids=["opens", "no-launcher"])
def desk(request, qapp, tasks, tmp_path, memory_keyring) -> Iterator[Desk]:
    with AppRig(tmp_path, ApproveAllReviewer(), upstream_port=find_free_port(), hold=600) as rig:
        opener = RecordingOpener([], works=request.param)
        app = DesktopApp(qapp, rig.services, QtReviewer(tasks, lang="en"), rig.store, "en",
                         tasks=tasks, feed=TrayFeed(tasks), opener=opener)
        app.tray.show_toasts = False
        yield app, rig, opener
        if app.returned.window is not None:
            app.returned.window.close()
        app.tray.stop()


def test_toast_undo_shows_the_returned_mail_with_its_recipients(qtbot, desk):
    app, rig, opener = desk
    rig.submit(_moved_mail(), [PARTNER, COLLEAGUE], mail_from="ken@example.co.jp")
    [item] = rig.items(OutboxState.HELD)
    app.tray.show_toasts = True
    app.tray.refresh()
    app.tray.toasts[item.id].undo_button.click()
    window = app.returned.window
    assert window is not None
    assert window.isVisible()
    assert window.selected_id() == item.id
    path = rig.services.store.outbox.message_file(item.id)
    assert opener.opened == [str(path)]
    returned = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert sorted(a.addr_spec for a in returned["Bcc"].addresses) == [PARTNER, COLLEAGUE]
    if opener.works:
        assert window.notice.isHidden()
    else:  # nothing opened it: the folder was tried and the path is on screen, not on stderr
        assert opener.revealed == [str(path)]
        assert window.notice.isVisible()
        assert window.path.text() == str(path)


def test_send_again_goes_through_the_gate_without_the_bcc_line(qtbot, desk):
    app, rig, _ = desk
    rig.submit(_moved_mail(), [PARTNER, COLLEAGUE], mail_from="ken@example.co.jp")
    [item] = rig.items(OutboxState.HELD)
    assert app.tray.undo(item.id)
    window = app.returned.window
    window.send_button.click()
    qtbot.waitUntil(lambda: len(rig.items(OutboxState.HELD)) == 1, timeout=10000)
    [again] = rig.items(OutboxState.HELD)
    assert again.id != item.id
    assert again.rcpt_tos == (PARTNER, COLLEAGUE)
    raw = rig.services.store.outbox.read(again.id)
    assert b"\nBcc:" not in raw
    assert raw == _moved_mail()
    qtbot.waitUntil(lambda: "Sent again" in window.notice.text(), timeout=5000)
    assert not window.send_button.isEnabled()
