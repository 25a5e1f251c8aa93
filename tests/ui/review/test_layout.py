"""The review dialog as a keyboard user sees it: focus, the body preview, the sender, icons that render."""

from __future__ import annotations

from dataclasses import replace
from email.message import EmailMessage

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel

from missend_guard.core.check.findings import Report
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import parse_message
from missend_guard.core.ports.review import ReviewRequest
from missend_guard.ui.review.dialog import ReviewDialog
from missend_guard.ui.review.model import build_model
from missend_guard.ui.review.widgets import FindingWidget
from tests.helpers import samples

LONG_BODY = "".join(f"{i:03d} 行目：ご確認のほどよろしくお願いいたします。\n" for i in range(200))


def _long_request() -> ReviewRequest:
    msg = EmailMessage()
    msg["From"] = "ken.yamamoto@example.co.jp"
    msg["To"] = "sho.nakamura@example.co.jp"
    msg["Subject"] = "長い本文"
    msg.set_content(LONG_BODY, charset="utf-8")
    envelope = Envelope("ken.yamamoto@example.co.jp", ("sho.nakamura@example.co.jp",))
    return ReviewRequest(parse_message(msg.as_bytes()), Report(), envelope, account="会社")


def _show(qtbot, request: ReviewRequest, width: int = 900, height: int = 560) -> ReviewDialog:
    dialog = ReviewDialog(build_model(request), "ja")
    qtbot.addWidget(dialog)
    dialog.resize(width, height)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def sample(qtbot) -> ReviewDialog:
    return _show(qtbot, replace(samples.request(), account="会社"))


def test_focus_is_visible_on_the_first_box_from_the_start(qtbot, sample):
    sample.activateWindow()
    qtbot.waitUntil(sample.isActiveWindow)
    first = sample.checkboxes[0]
    assert first.hasFocus()
    assert first.focusPolicy() & Qt.FocusPolicy.TabFocus
    # Styles draw the focus frame only after keyboard navigation: the window says there was some.
    qtbot.waitUntil(lambda: sample.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange))


def test_preview_takes_the_free_space_and_scrolls_by_keyboard(qtbot):
    dialog = _show(qtbot, _long_request())
    preview = dialog.preview
    before = preview.size()
    dialog.resize(dialog.width() + 300, dialog.height() + 300)
    qtbot.waitUntil(lambda: preview.height() >= before.height() + 250)
    assert preview.width() > before.width()
    # Reachable with Tab alone, then PgDn and the arrows scroll it.
    for _ in range(10):
        if dialog.focusWidget() is preview:
            break
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is preview
    bar = preview.verticalScrollBar()
    assert bar.maximum() > 0
    assert bar.value() == 0
    qtbot.keyClick(preview, Qt.Key.Key_PageDown)
    assert bar.value() > 0
    paged = bar.value()
    qtbot.keyClick(preview, Qt.Key.Key_Down)
    assert bar.value() > paged
    qtbot.keyClick(preview, Qt.Key.Key_PageUp)
    assert bar.value() < paged
    # Tab leaves the text again (it is not typed into a read-only preview).
    qtbot.keyClick(preview, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is not preview


def test_sender_address_first_account_name_second(qtbot, sample):
    assert sample.sender_label.text() == "From: ken.yamamoto@example.co.jp（会社）"
    same = _show(qtbot, samples.request())  # the account is named by its address: said once
    assert same.sender_label.text() == "From: ken.yamamoto@example.co.jp"


def test_each_acknowledgement_sits_in_the_box_of_its_finding(sample):
    assert len(sample.acknowledgements) == 2
    for ack in sample.acknowledgements:
        box = ack.parentWidget()
        assert isinstance(box, FindingWidget)
        assert box.ack is ack
        assert box.finding.code == ack.property("finding_code")
        assert box.objectName() == "acknowledge"  # drawn as one framed box
        # Nothing but its own finding's sentence in that box.
        labels = [label for label in box.findChildren(QLabel) if label.text()]
        assert [label.text() for label in labels] == [box.label.text()]


def test_icons_are_pictures_not_characters_missing_from_fonts(qtbot):
    request = samples.request()
    encrypted = replace(request.message, attachments=(
        replace(request.message.attachments[0], encrypted=True), *request.message.attachments[1:]))
    dialog = _show(qtbot, replace(request, message=encrypted))
    texts = [w.text() for w in (*dialog.findChildren(QLabel), *dialog.findChildren(QCheckBox))]
    assert not [t for t in texts if any(c in t for c in "🔒⛔⚠ℹ")]
    for finding in dialog.findChildren(FindingWidget):
        icons = [label.pixmap() for label in finding.findChildren(QLabel) if not label.pixmap().isNull()]
        assert len(icons) == 1
        assert icons[0].toImage().pixelColor(icons[0].width() // 2, icons[0].height() // 2).alpha() > 0
    locked = next(c for c in dialog.checkboxes if c.text().startswith(encrypted.attachments[0].filename))
    image = locked.icon().pixmap(16, 16).toImage()
    assert not image.isNull()
    assert any(image.pixelColor(x, y).alpha() > 0 for x in range(16) for y in range(16))
