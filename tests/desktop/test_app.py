"""desktop.py wiring: pause is audited, the undo window is saved, the review sees the gate's context."""

from __future__ import annotations

import contextlib
import smtplib
import threading

import pytest

from missend_guard.desktop.app import DesktopApp
from missend_guard.ui.review.bridge import QtReviewer
from missend_guard.ui.tray.feed import TrayFeed
from tests.conftest import find_free_port
from tests.helpers import samples
from tests.helpers.rig import AppRig

pytestmark = pytest.mark.slow


@pytest.fixture
def desktop(qapp, tmp_path, memory_keyring, tasks):
    reviewer = QtReviewer(tasks, lang="en")
    with AppRig(tmp_path, reviewer, upstream_port=find_free_port(), hold=30) as rig:
        app = DesktopApp(qapp, rig.services, reviewer, rig.store, "en", tasks=tasks, feed=TrayFeed(tasks))
        yield app, rig
        reviewer.cancel_all("test over")
        app.tray.stop()


def test_pause_is_recorded_and_reviews_pass_while_paused(desktop):
    app, rig = desktop
    app.tray.pause_actions[0].trigger()  # 15 minutes
    assert app.reviewer.paused
    assert app.reviewer.review(samples.simple_request()).result(timeout=1).decided_by == "paused"
    app.tray.resume_action.trigger()
    assert not app.reviewer.paused
    kinds = [r.kind for r in rig.services.store.audit.query()]
    assert kinds[-2:] == ["pause", "resume"]


def test_undo_window_choice_is_saved(desktop):
    app, rig = desktop
    app.tray.hold_actions[60].trigger()
    assert rig.store.load().get("hold_seconds") == 60


def test_the_review_reads_the_context_the_gate_checked_with(qtbot, desktop):
    app, rig = desktop
    assert app.tray.outbox is app.services.store.outbox  # the tray reads the one Outbox

    def submit() -> None:
        rcpts = [a for _, a in samples.TO + samples.CC]
        with contextlib.suppress(smtplib.SMTPException):  # cancelled below: 550
            rig.submit(samples.raw_mail(), rcpts, mail_from=samples.SENDER[1])

    client = threading.Thread(target=submit)
    client.start()
    qtbot.waitUntil(lambda: app.reviewer.current_dialog is not None, timeout=20000)
    dialog = app.reviewer.current_dialog
    assert dialog.model.request.context is rig.services.context()
    dialog.reject()
    client.join(20)
    assert not client.is_alive()


def test_start_at_login_setting_drives_the_os_entry(desktop, tmp_path):
    from missend_guard.storage.autostart import Autostart, XdgAutostart

    app, _ = desktop
    entry = XdgAutostart(tmp_path / "autostart")
    app.autostart = Autostart(entry, ["/opt/Missend Guard/missend-guard", "run"])
    app.save_settings(app.store.load().with_changes(start_at_login=True))
    assert entry.read() == ["/opt/Missend Guard/missend-guard", "run"]
    app.save_settings(app.store.load().with_changes(start_at_login=False))
    assert entry.read() is None
