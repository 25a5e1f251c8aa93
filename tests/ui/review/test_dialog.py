"""Drive the real review dialog: ticks, acknowledgements, keys, Bcc conversion, decision."""

from __future__ import annotations

import email
import email.policy

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel

from missend_guard.core.ports.review import Verdict
from missend_guard.ui.review.dialog import ReviewDialog
from missend_guard.ui.review.model import build_model
from missend_guard.ui.review.widgets import FindingWidget
from tests.helpers import samples


def _companies(domain: str) -> str:
    return {"xyz-bank.co.jp": "XYZ銀行"}.get(domain, "")


@pytest.fixture
def dialog(qtbot, tmp_path):
    state = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    model = build_model(samples.request(), _companies, lambda d: d == "example.co.jp")
    dlg = ReviewDialog(model, "ja", state)
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitExposed(dlg)
    return dlg


def _tick_all(dialog: ReviewDialog, skip: QCheckBox | None = None) -> None:
    for check in dialog.checkboxes:
        if check is not skip:
            check.setChecked(True)


def test_send_disabled_until_every_checkbox_ticked(dialog):
    assert not dialog.send_button.isEnabled()
    # 3 external + 2 internal (Cc + envelope-only Bcc) + subject + body + 2 files + 2 acknowledgements
    assert len(dialog.checkboxes) == 11
    for check in dialog.checkboxes[:-1]:
        check.setChecked(True)
        assert not dialog.send_button.isEnabled()
    dialog.checkboxes[-1].setChecked(True)
    assert dialog.send_button.isEnabled()
    dialog.checkboxes[0].setChecked(False)
    assert not dialog.send_button.isEnabled()


def test_high_risk_findings_need_their_own_acknowledgement(dialog):
    codes = sorted(a.property("finding_code") for a in dialog.acknowledgements)
    assert codes == ["lookalike-domain", "salutation-mismatch"]
    lookalike = next(a for a in dialog.acknowledgements if a.property("finding_code") == "lookalike-domain")
    assert "abc-tradlng.co.jp — abc-trading.co.jp に似ています" in lookalike.accessibleName()
    _tick_all(dialog, skip=lookalike)
    assert not dialog.send_button.isEnabled()
    lookalike.setChecked(True)
    dialog.send_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    decision = dialog.decision()
    assert decision.verdict is Verdict.SEND


def test_escape_cancels(qtbot, dialog):
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.decision().verdict is Verdict.CANCEL


def test_enter_does_nothing_even_when_all_ticked(qtbot, dialog):
    _tick_all(dialog)
    assert dialog.send_button.isEnabled()
    assert dialog.focusWidget() is not dialog.send_button
    for widget in (dialog, dialog.checkboxes[3], dialog.send_button, dialog.cancel_button, dialog.preview):
        qtbot.keyClick(widget, Qt.Key.Key_Return)
        qtbot.keyClick(widget, Qt.Key.Key_Enter)
    # Neither sent nor cancelled, and no box lost its tick.
    assert dialog.isVisible()
    assert all(c.isChecked() for c in dialog.checkboxes)


def test_return_never_toggles_a_checkbox_space_does(qtbot, dialog):
    first = dialog.checkboxes[0]
    assert dialog.focusWidget() is first
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert not first.isChecked()
    first.setChecked(True)
    qtbot.keyClick(first, Qt.Key.Key_Return)
    qtbot.keyClick(first, Qt.Key.Key_Enter)
    assert first.isChecked()
    qtbot.keyClick(first, Qt.Key.Key_Space)
    assert not first.isChecked()


def test_no_button_is_drawn_or_acts_as_default(qtbot, dialog):
    buttons = [*dialog.buttons.buttons(), dialog.bcc_button]
    assert dialog.isVisible()  # the button box picks a default when it is shown: after that
    for button in buttons:
        assert not button.isDefault(), button.text()
        assert not button.autoDefault(), button.text()
    _tick_all(dialog)
    dialog.hide()
    dialog.show()
    assert not any(b.isDefault() for b in buttons)


def test_keyboard_only_tab_reaches_every_checkbox(qtbot, dialog):
    seen = set()
    for _ in range(60):
        focus = dialog.focusWidget()
        if isinstance(focus, QCheckBox):
            seen.add(id(focus))
        qtbot.keyClick(focus or dialog, Qt.Key.Key_Tab)
    assert {id(c) for c in dialog.checkboxes} <= seen


def test_findings_sit_on_their_rows_and_companies_show(dialog):
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    assert any("xyz-bank.co.jp（XYZ銀行）" in t for t in texts)
    assert any("初めて送信する宛先です" in t for t in texts)
    assert any("非表示のシートがあります：原価" in t for t in texts)
    assert dialog.summary_label.text() == dialog.summary_text()
    external_rows = [c for c in dialog.checkboxes if c.property("address")]
    addresses = {c.property("address") for c in external_rows}
    assert addresses >= {"ichiro@xyz-bank.co.jp", samples.BCC_ENVELOPE_ONLY}


def _finding_codes(dialog: ReviewDialog) -> list[str]:
    return [w.finding.code for w in dialog.findChildren(FindingWidget) if w.isVisibleTo(dialog)]


def test_move_to_bcc_resolves_the_visibility_warning_on_screen(qtbot, dialog):
    assert "many-external-visible" in _finding_codes(dialog)
    assert dialog.summary_label.text().endswith("Warnings: 7")
    first = dialog.checkboxes[0]
    first.setChecked(True)
    qtbot.keyClick(dialog.bcc_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "many-external-visible" not in _finding_codes(dialog))
    assert "many-external-visible" not in dialog.model.request.report.codes()
    assert dialog.bcc_button is None
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisibleTo(dialog))
    assert "moved to Bcc" in shown
    assert dialog.summary_label.text().endswith("Warnings: 6")
    # The other warnings stay, the tick given before stays, and the keyboard has a place to continue.
    assert "lookalike-domain" in _finding_codes(dialog)
    assert dialog.checkboxes[0].isChecked()
    assert dialog.focusWidget() is dialog.checkboxes[1]


def test_bcc_conversion_rebuilds_headers_only(dialog):
    dialog.bcc_button.click()
    _tick_all(dialog)
    dialog.send_button.click()
    decision = dialog.decision()
    assert decision.replacement is not None
    original = samples.raw_mail()
    assert decision.replacement.partition(b"\r\n\r\n")[2] == original.partition(b"\r\n\r\n")[2]
    parsed = email.message_from_bytes(decision.replacement, policy=email.policy.default)
    assert [a.addr_spec for a in parsed["Cc"].addresses] == ["sho.nakamura@example.co.jp"]
    assert [a.addr_spec for a in parsed["To"].addresses] == []
    rows = [c.text() for c in dialog.checkboxes if c.property("address") == "ichiro@xyz-bank.co.jp"]
    assert rows[0].startswith("Bcc:")


def test_geometry_is_remembered(qtbot, tmp_path):
    state = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    model = build_model(samples.simple_request())
    first = ReviewDialog(model, "en", state)
    qtbot.addWidget(first)
    first.resize(700, 555)
    first.reject()
    second = ReviewDialog(model, "en", state)
    qtbot.addWidget(second)
    assert second.size().height() == 555


def test_quoted_reply_is_dimmed(dialog):
    from PySide6.QtWidgets import QTextBrowser

    html = dialog.findChild(QTextBrowser).toHtml()
    assert "先日の件" in html
    assert "鈴木様" in html
