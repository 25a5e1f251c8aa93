"""desktop.py wiring: pause is audited, the undo window is saved, the queue adapter wakes delivery."""

from __future__ import annotations

import pytest

from missend_guard.desktop import DesktopApp, OutboxQueue
from missend_guard.ui.bridge import QtReviewer
from tests.e2e.rig import AppRig
from tests.ui import samples

pytestmark = pytest.mark.slow


@pytest.fixture
def desktop(qapp, tmp_path, memory_keyring):
    reviewer = QtReviewer(lang="en")
    with AppRig(tmp_path, reviewer, upstream_port=None, hold=30) as rig:
        app = DesktopApp(qapp, rig.services, reviewer, rig.store, "en")
        yield app, rig
        app.tray.stop()


def test_pause_is_recorded_and_reviews_pass_while_paused(desktop):
    app, rig = desktop
    app.tray.pause_actions[0].trigger()  # 15 minutes
    assert app.reviewer.paused
    assert app.reviewer.review(samples.simple_request()).result(timeout=1).decided_by == "paused"
    app.tray.resume_action.trigger()
    assert not app.reviewer.paused
    kinds = [r.kind for r in rig.services.audit.query()]
    assert kinds[-2:] == ["pause", "resume"]


def test_undo_window_choice_is_saved(desktop):
    app, rig = desktop
    app.tray.hold_actions[60].trigger()
    assert rig.store.load().get("hold_seconds") == 60


def test_company_and_internal_lookups_use_the_live_context(desktop):
    app, _ = desktop
    assert app.is_internal("example.co.jp")
    assert not app.is_internal("abc-trading.co.jp")
    assert app.company_for_domain("unknown.example") == ""
    assert isinstance(OutboxQueue(app.services).items(), list)


def test_start_at_login_files(tmp_path):
    import plistlib

    from missend_guard.ui.autostart import set_start_at_login

    cmd = ["/opt/Missend Guard/missend-guard", "run"]
    desktop_file = set_start_at_login(True, cmd, platform="linux", base=tmp_path / "cfg")
    text = desktop_file.read_text(encoding="utf-8")
    assert desktop_file == tmp_path / "cfg" / "autostart" / "missend-guard.desktop"
    assert "Exec='/opt/Missend Guard/missend-guard' run" in text
    assert set_start_at_login(False, cmd, platform="linux", base=tmp_path / "cfg") is None
    assert not desktop_file.exists()
    plist = set_start_at_login(True, cmd, platform="darwin", base=tmp_path / "home")
    assert plistlib.loads(plist.read_bytes())["ProgramArguments"] == cmd
