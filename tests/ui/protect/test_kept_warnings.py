"""Protecting a workbook does not make its hidden sheet go away: the warning stays and needs its tick."""

from __future__ import annotations

from PySide6.QtCore import Qt

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import attachment_target
from missend_guard.core.check.policy import Policy
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import parse_message
from missend_guard.core.ports.review import ReviewRequest
from missend_guard.ui.protect.protection import Protection
from missend_guard.ui.review.dialog import ReviewDialog
from missend_guard.ui.review.model import build_model
from missend_guard.ui.review.widgets import FindingWidget
from missend_guard.ui.taskman import TaskManager
from tests.helpers import attachment_builders as build
from tests.helpers.protected_mail import PARTNER, SENDER, protected_mail

ZIP_NAME = "価格表（社外秘ではない）.zip"


def _review(qtbot) -> ReviewDialog:
    ctx = CheckContext(Policy(internal_domains=frozenset({"example.co.jp"})))
    workbook = build.xlsx((("価格", "visible"), ("原価", "hidden")))
    message = parse_message(protected_mail(xlsx_data=workbook), (PARTNER,))
    request = ReviewRequest(message, check(message, ctx), Envelope(SENDER, (PARTNER,)), SENDER, context=ctx)
    dialog = ReviewDialog(build_model(request), "en", protection=Protection(TaskManager()))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def _hidden_sheet_widgets(dialog: ReviewDialog) -> list[FindingWidget]:
    return [w for w in dialog.findChildren(FindingWidget)
            if w.finding.code == "hidden-sheet" and w.isVisibleTo(dialog)]


def test_zipped_workbook_keeps_its_hidden_sheet_warning_and_needs_a_new_tick(qtbot):
    dialog = _review(qtbot)
    assert len(_hidden_sheet_widgets(dialog)) == 1
    for box in dialog.checkboxes:
        box.setChecked(True)
    qtbot.mouseClick(dialog.protect_buttons[0], Qt.MouseButton.LeftButton)
    protect = dialog.protect_dialog
    assert protect is not None
    qtbot.waitExposed(protect)
    with qtbot.waitSignal(protect.finished, timeout=10000):
        qtbot.mouseClick(protect.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)

    # Now a ZIP, encrypted: and still the same workbook with the same hidden sheet inside.
    zipped = next(r for r in dialog.model.attachments if r.attachment.filename == ZIP_NAME)
    assert zipped.attachment.encrypted
    shown = _hidden_sheet_widgets(dialog)
    assert len(shown) == 1
    assert shown[0].finding.target == attachment_target(zipped.index)
    assert "原価" in shown[0].label.text()
    # The ZIP's row is a new row to tick: Send waits for it.
    row = next(c for c in dialog.checkboxes if c.text().startswith(ZIP_NAME))
    assert not row.isChecked()
    assert not dialog.send_button.isEnabled()
    for box in dialog.checkboxes:
        box.setChecked(True)
    assert dialog.send_button.isEnabled()
