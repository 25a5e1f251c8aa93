"""What the desktop says while setting up: the connection test in words, a language change at once or
with a restart, the wizard's company domain saved."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from missend_guard.desktop.app import DesktopActions, DesktopApp, connection_ok_text
from missend_guard.storage.settings.store import Account
from missend_guard.ui.i18n import Translations
from missend_guard.ui.review.bridge import QtReviewer
from missend_guard.ui.tray.feed import TrayFeed
from tests.conftest import find_free_port
from tests.helpers.rig import AppRig

pytestmark = pytest.mark.slow


@pytest.fixture
def desk(qapp, tasks, tmp_path, memory_keyring) -> Iterator[tuple[DesktopApp, AppRig, list[str]]]:
    translations = Translations(qapp, tmp_path / "i18n-cache")
    translations.switch("en")
    reviewer = QtReviewer(tasks, lang="en")
    notes: list[str] = []
    with AppRig(tmp_path, reviewer, upstream_port=find_free_port()) as rig:
        app = DesktopApp(qapp, rig.services, reviewer, rig.store, "en", tasks=tasks, feed=TrayFeed(tasks),
                         translations=translations)
        app.tray.notify = lambda title, text, failed=False: notes.append(f"{title}: {text}")  # type: ignore[method-assign]
        yield app, rig, notes
        app.tray.stop()
    translations.remove()


def test_a_passed_connection_test_reads_as_a_sentence(desk, smtp_sink):
    app, _, _ = desk
    account = Account("up", host="127.0.0.1", port=smtp_sink.port, security="none")
    ok, text = DesktopActions(app.services).test(account, None)
    assert ok, text
    assert text == (f"Connected to 127.0.0.1:{smtp_sink.port} (the server asks for no login). "
                    "Nothing was sent.")  # not "OK (features: 8bitmime help)"
    login = Account("up", host="smtp.example.co.jp", port=465, security="ssl", username="ken")
    assert connection_ok_text(login).startswith("Connected to smtp.example.co.jp:465 and logged in as ken. ")
    tls = Account("up", host="smtp.example.co.jp", port=587, security="starttls")
    assert connection_ok_text(tls) == (
        "Connected to smtp.example.co.jp:587 (the server asks for no login). The connection is "
        "encrypted and the server's certificate was checked. Nothing was sent.")
    app.translations.switch("ja")
    assert connection_ok_text(tls) == (
        "smtp.example.co.jp:587 に接続できました（このサーバーはログイン不要です）。"
        "通信は暗号化されており、サーバーの証明書も確認済みです。テストのため、メールは送信していません。")


def test_the_wizards_language_applies_at_once_and_is_saved(desk):
    app, rig, notes = desk
    app.open_wizard()
    wizard = app.windows["wizard"]
    wizard.upstream.language.setCurrentIndex(wizard.upstream.language.findData("ja"))
    assert rig.store.load().get("language") == "ja"
    assert app.translations.language == "ja"
    assert app.windows["wizard"] is wizard  # the same window, its pages rebuilt
    assert wizard.windowTitle() == "Missend Guard のセットアップ"
    assert notes == []  # applied at once: nothing to restart for


def test_a_language_changed_in_settings_says_a_restart_is_needed(desk):
    app, rig, notes = desk
    app.save_settings(rig.store.load().with_changes(language="ja"))
    assert rig.store.load().get("language") == "ja"
    assert notes == ["Language changed: Missend Guard shows the new language after a restart: "
                     "choose Quit, then start it again."]
    app.save_settings(rig.store.load().with_changes(hold_seconds=5))
    assert len(notes) == 1  # only a change of language says so
