"""The Japanese catalogue is complete, compiles, and turns the dialog and Qt's own buttons Japanese."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QDialogButtonBox

from missend_guard.ui.i18n import choose_language, compiled_translation, install_translators
from missend_guard.ui.review.dialog import ReviewDialog
from missend_guard.ui.review.model import build_model
from tests.helpers import samples

UI = Path(__file__).parents[2] / "missend_guard" / "ui"
TS = Path(__file__).parents[2] / "missend_guard" / "resources" / "i18n" / "missend_guard_ja.ts"
# Single-literal calls only; concatenated sources are covered by lupdate's own report.
_TR_CALL = re.compile(r'\.tr\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]')


def _catalogue() -> dict[str, str]:
    out = {}
    for message in ET.parse(TS).getroot().iter("message"):
        translation = message.find("translation")
        assert translation.get("type") not in ("unfinished", "obsolete"), message.find("source").text
        text = translation.text or "".join(f.text or "" for f in translation.iter("numerusform"))
        out[message.find("source").text] = text
    return out


def test_every_tr_string_in_the_code_has_a_japanese_translation():
    catalogue = _catalogue()
    for path in [*UI.rglob("*.py"), *(UI.parent / "desktop").rglob("*.py")]:
        for match in _TR_CALL.finditer(path.read_text(encoding="utf-8")):
            source = match.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            if "\\" in match.group(1) or '"' in source:
                continue  # multi-line sources are checked by lupdate; simple ones here
            assert catalogue.get(source), f"{path.name}: no Japanese for {source!r}"


def test_choose_language_order():
    ja = QLocale(QLocale.Language.Japanese, QLocale.Country.Japan)
    us = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    assert choose_language("", None, ja) == "ja"
    assert choose_language("", None, us) == "en"
    assert choose_language("en", None, ja) == "en"
    assert choose_language("en", "ja", us) == "ja"
    assert choose_language("fr", None, QLocale(QLocale.Language.French)) == "en"


@pytest.fixture
def japanese(qapp, tmp_path):
    translators = install_translators(qapp, "ja", tmp_path / "cache")
    yield translators
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def test_compiled_catalogue_translates_the_dialog_and_qt_buttons(qtbot, japanese, tmp_path):
    assert compiled_translation("ja", tmp_path / "cache") is not None
    assert len(japanese) == 2  # qtbase and ours
    dialog = ReviewDialog(build_model(samples.request()), "ja")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "送信前の確認"
    assert dialog.summary_label.text() == "社外 4件・添付 2件・注意 7件"
    assert dialog.send_button.text() == "送信(&S)"
    assert dialog.sender_label.text() == "差出人：ken.yamamoto@example.co.jp"
    assert dialog.acknowledgements[0].text() == "この注意を確認しました"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Close).text() .startswith("閉じる")


def test_english_plurals_read_as_english_not_as_second_s(qapp, tmp_path):
    from PySide6.QtCore import QCoreApplication

    from missend_guard.ui.i18n import install_translators

    installed = install_translators(qapp, "en", tmp_path / "cache")
    try:
        assert installed, "the English plural catalogue was not installed"

        def tr(context: str, text: str, n: int) -> str:
            return QCoreApplication.translate(context, text, None, n)

        assert tr("UndoToast", "Sending in %n second(s)", 1) == "Sending in 1 second"
        assert tr("UndoToast", "Sending in %n second(s)", 5) == "Sending in 5 seconds"
        assert tr("TrayController", "%n second(s)", 30) == "30 seconds"
        assert tr("StatusWindow", "Delivery problem: %n mail(s) not sent yet", 1) == (
            "Delivery problem: 1 mail not sent yet")
    finally:
        for translator in installed:
            QCoreApplication.removeTranslator(translator)


def test_every_plural_source_has_english_forms():
    english = ET.parse(TS.with_name("missend_guard_en.ts")).getroot()
    have = {m.find("source").text for m in english.iter("message")}
    needed = {m.find("source").text for m in ET.parse(TS).getroot().iter("message")
              if m.get("numerus") == "yes" and "(s)" in (m.find("source").text or "")}
    assert needed <= have
