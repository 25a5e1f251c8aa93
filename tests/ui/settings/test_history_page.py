"""Settings' *Sent history* page: the list says how each name is treated; *Forget* makes it first-time."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from missend_guard.storage.history import SentHistory
from missend_guard.storage.paths import DataPaths
from missend_guard.storage.settings.store import Settings
from missend_guard.ui.i18n import install_translators
from missend_guard.ui.settings.dialog import SettingsDialog
from missend_guard.ui.settings.history_page import HistoryPage
from missend_guard.ui.taskman import TaskManager

TYPO = "hanako.sato@abc-tradlng.co.jp"
DAY = 86_400.0


@pytest.fixture
def japanese(qapp, tmp_path):
    translators = install_translators(qapp, "ja", tmp_path / "cache")
    yield translators
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def _history(tmp_path) -> SentHistory:
    history = SentHistory(DataPaths.resolve(tmp_path / "data", policy_file=tmp_path / "p.json"))
    history.record(["hanako.sato@abc-trading.co.jp"], when=1_000 * DAY)
    history.mark_suspect([TYPO, "abc-tradlng.co.jp"])
    history.record([TYPO], when=1_001 * DAY)
    history.vouch("jiro@vouched.example")
    return history


def _page(qtbot, tmp_path, lang: str = "en") -> tuple[SettingsDialog, HistoryPage, SentHistory]:
    history = _history(tmp_path)
    dialog = SettingsDialog(Settings(), lang, lambda _s: None, tasks=TaskManager(), history=history)
    qtbot.addWidget(dialog)
    page = dialog.history_page
    assert page is not None
    dialog.tabs.setCurrentWidget(page)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, page, history


def _lines(page: HistoryPage) -> list[str]:
    return [page.list.item(i).text() for i in range(page.list.count())]


def test_the_list_says_which_names_are_still_flagged(qtbot, tmp_path):
    _dialog, page, _ = _page(qtbot, tmp_path)  # the dialog holds the page: keep it alive
    lines = _lines(page)
    assert f"{TYPO} — still flagged: sent on 1 of 3 days" in lines
    assert "abc-tradlng.co.jp — still flagged: sent on 1 of 3 days" in lines
    assert "hanako.sato@abc-trading.co.jp — known" in lines
    assert "jiro@vouched.example — marked as the right address" in lines
    page.field.setText("tradlng")
    assert len(_lines(page)) == 2


def test_forget_makes_the_address_first_time_again(qtbot, tmp_path):
    _dialog, page, history = _page(qtbot, tmp_path)
    assert TYPO in history.snapshot().addresses
    page.list.setCurrentRow(_lines(page).index(f"{TYPO} — still flagged: sent on 1 of 3 days"))
    assert page.field.text() == TYPO
    qtbot.mouseClick(page.forget_button, Qt.MouseButton.LeftButton)
    snapshot = history.snapshot()
    assert TYPO not in snapshot.addresses
    assert "abc-tradlng.co.jp" not in snapshot.domains  # no address of it is left
    assert "first-time recipient again" in page.status.text()
    assert not any("tradlng" in line for line in _lines(page))


def test_forgetting_an_unknown_name_says_so(qtbot, tmp_path):
    _dialog, page, history = _page(qtbot, tmp_path)
    before = history.entries()
    page.field.setText("nobody@example.com")
    qtbot.mouseClick(page.forget_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == "nobody@example.com is not in the sent history."
    assert history.entries() == before


def test_japanese_texts(qtbot, tmp_path, japanese):
    dialog, page, _ = _page(qtbot, tmp_path, "ja")
    assert dialog.tabs.tabText(dialog.tabs.indexOf(page)) == "送信履歴"
    assert f"{TYPO} — 警告を継続中：3 日のうち 1 日送信" in _lines(page)


def test_no_history_port_no_page(qtbot):
    dialog = SettingsDialog(Settings(), "en", lambda _s: None, tasks=TaskManager())
    qtbot.addWidget(dialog)
    assert dialog.history_page is None
