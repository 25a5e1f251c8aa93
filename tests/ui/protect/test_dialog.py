"""Drive the real review and protection dialogs: Protect… → encrypt/ZIP/send as is/remove → re-check."""

from __future__ import annotations

import email
import email.policy
import io
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
import pyzipper
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.policy import Policy
from missend_guard.core.message.envelope import Envelope
from missend_guard.core.message.model import parse_message
from missend_guard.core.ports.review import ReviewNote, ReviewRequest, Verdict, notes_text
from missend_guard.core.protect.encrypt import Choice
from missend_guard.ui.protect.dialog import ProtectDialog
from missend_guard.ui.protect.protection import Protection
from missend_guard.ui.review.dialog import ReviewDialog
from missend_guard.ui.review.model import build_model
from missend_guard.ui.taskman import TaskManager
from tests.helpers.protected_mail import (
    PARTNER,
    PDF_NAME,
    SENDER,
    XLSX_NAME,
    protected_mail,
    xlsx_bytes_of,
)

PASSWORD_IN_BODY = "Kx7mP2qR9wZt4vBn"
COMMA_NAME = "見積書, 最終版.xlsx"
COMMA_ZIP = "見積書, 最終版.zip"
ZIP_NOTE = "many organisations strip or quarantine encrypted zip"








def context(**policy: object) -> CheckContext:
    """Internal example.co.jp, the given policy values."""
    return CheckContext(Policy(internal_domains=frozenset({"example.co.jp"}), **policy))  # type: ignore[arg-type]


def review(qtbot, raw: bytes, ctx: CheckContext, rcpts: tuple[str, ...] = (PARTNER,)) -> ReviewDialog:
    """A review dialog as the bridge builds it, with protection wired to the real checker."""
    envelope = Envelope(SENDER, rcpts)
    message = parse_message(raw, rcpts)
    request = ReviewRequest(message, check(message, ctx), envelope, SENDER, context=ctx)
    dialog = ReviewDialog(build_model(request), "en", protection=Protection(TaskManager()))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def open_protect(qtbot, dialog: ReviewDialog) -> ProtectDialog:
    """Click the first Protect… button; the protection dialog opens (non-blocking)."""
    assert dialog.protect_buttons, "no Protect… button"
    qtbot.mouseClick(dialog.protect_buttons[0], Qt.MouseButton.LeftButton)
    assert dialog.protect_dialog is not None
    qtbot.waitExposed(dialog.protect_dialog)
    return dialog.protect_dialog


def apply(qtbot, protect: ProtectDialog) -> None:
    """Click Apply; wait until the protection dialog closed and the review shows the re-checked mail."""
    assert protect.apply_button.isEnabled()
    review_dialog = protect.parentWidget()
    with qtbot.waitSignal(protect.finished, timeout=10000):
        qtbot.mouseClick(protect.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not review_dialog.busy, timeout=10000)


def send(dialog: ReviewDialog) -> None:
    for box in dialog.checkboxes:
        box.setChecked(True)
    assert dialog.send_button.isEnabled()
    dialog.send_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted


def row(protect: ProtectDialog, name: str):
    return next(r for r in protect.rows if r.item.attachment.filename == name)


def test_protect_is_offered_and_reachable_by_keyboard(qtbot):
    dialog = review(qtbot, protected_mail(), context())
    assert len(dialog.protect_buttons) == 2  # one per unprotected file row
    button = dialog.protect_buttons[0]
    assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert "&P" in button.text()
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert dialog.protect_dialog is not None
    assert dialog.protect_dialog.isVisible()


def test_encrypt_pdf_and_zip_xlsx_round_trip_with_the_shown_password(qtbot):
    raw = protected_mail()
    dialog = review(qtbot, raw, context())
    protect = open_protect(qtbot, dialog)
    assert [r.item.attachment.filename for r in protect.rows] == [PDF_NAME, XLSX_NAME]
    assert row(protect, PDF_NAME).choice is Choice.ENCRYPT_PDF  # PDF encryption first for PDFs
    assert row(protect, XLSX_NAME).choice is Choice.ENCRYPT_ZIP
    assert any(ZIP_NOTE in label.text().lower() for label in protect.findChildren(type(protect.error_label)))
    shown = protect.generated_edit.text()
    assert len(shown) >= 16
    apply(qtbot, protect)

    # The review dialog now lists the protected files and unprotected-attachment is gone.
    names = [r.attachment.filename for r in dialog.model.attachments]
    assert names == [PDF_NAME, "価格表（社外秘ではない）.zip"]
    assert all(r.attachment.encrypted for r in dialog.model.attachments)
    assert "unprotected-attachment" not in dialog.model.request.report.codes()
    assert dialog.protect_buttons == []
    send(dialog)
    decision = dialog.decision()
    assert decision.verdict is Verdict.SEND
    assert decision.notes == (ReviewNote("encrypted-pdf", PDF_NAME), ReviewNote("encrypted-zip", XLSX_NAME))
    handoff = dialog.handoff()
    assert handoff is not None
    assert handoff.password == shown
    assert handoff.recipients == (PARTNER,)

    out = email.message_from_bytes(decision.replacement, policy=email.policy.default)
    parts = {p.get_filename(): p.get_payload(decode=True) for p in out.iter_attachments()}
    reader = PdfReader(io.BytesIO(parts[PDF_NAME]))
    assert reader.is_encrypted
    assert reader.decrypt(shown)
    assert reader.metadata["/Title"] == "御見積書"
    with pyzipper.AESZipFile(io.BytesIO(parts["価格表（社外秘ではない）.zip"])) as archive:
        archive.setpassword(shown.encode())
        assert archive.namelist() == [XLSX_NAME]
        assert archive.read(XLSX_NAME) == xlsx_bytes_of(raw)
    # Headers and the text part are untouched.
    assert decision.replacement.split(b"\r\n\r\n", 1)[0] == raw.split(b"\r\n\r\n", 1)[0]




def test_send_as_is_needs_its_acknowledgement_and_lands_in_the_notes(qtbot):
    dialog = review(qtbot, protected_mail(), context())
    protect = open_protect(qtbot, dialog)
    row(protect, XLSX_NAME).set_choice(Choice.SEND_AS_IS)
    row(protect, PDF_NAME).set_choice(Choice.REMOVE)
    assert protect.as_is_ack.isVisible()
    assert not protect.apply_button.isEnabled()
    assert not protect.password_box.isEnabled()  # nothing is encrypted: no password needed
    protect.as_is_ack.setChecked(True)
    apply(qtbot, protect)
    assert [r.attachment.filename for r in dialog.model.attachments] == [XLSX_NAME]
    send(dialog)
    decision = dialog.decision()
    assert decision.notes == (ReviewNote("removed", PDF_NAME), ReviewNote("sent-as-is", XLSX_NAME))
    assert dialog.handoff() is None  # no password to hand over


def test_a_file_name_with_a_comma_stays_one_file_in_the_notes_audit_text_and_hand_off(qtbot):
    dialog = review(qtbot, protected_mail(xlsx_name=COMMA_NAME), context())
    protect = open_protect(qtbot, dialog)
    row(protect, COMMA_NAME).set_choice(Choice.SEND_AS_IS)
    protect.as_is_ack.setChecked(True)
    apply(qtbot, protect)
    apply(qtbot, open_protect(qtbot, dialog))  # second pass: the workbook is zipped after all
    send(dialog)
    decision = dialog.decision()
    assert decision.notes == (ReviewNote("encrypted-pdf", PDF_NAME), ReviewNote("encrypted-zip", COMMA_NAME))
    # The gate writes the audit detail with notes_text: the name is quoted, never split.
    assert notes_text(decision.notes) == f'encrypted-pdf: {PDF_NAME}; encrypted-zip: "{COMMA_NAME}"'
    handoff = dialog.handoff()
    assert handoff is not None
    assert handoff.files == (PDF_NAME, COMMA_ZIP)


def test_require_protection_disables_send_as_is_with_the_reason(qtbot):
    dialog = review(qtbot, protected_mail(), context(require_protection=True))
    protect = open_protect(qtbot, dialog)
    assert protect.required_label.isVisible()
    combo = row(protect, XLSX_NAME).combo
    index = combo.findData(Choice.SEND_AS_IS.value)
    assert index >= 0
    assert not combo.model().item(index).isEnabled()
    protect.apply_all.setCurrentIndex(protect.apply_all.findData(Choice.SEND_AS_IS.value))
    protect.apply_all.activated.emit(protect.apply_all.currentIndex())
    assert {r.choice for r in protect.rows} == {Choice.ENCRYPT_PDF, Choice.ENCRYPT_ZIP}
    assert not protect.as_is_ack.isVisible()


def test_apply_to_all_and_zip_warning_for_refusing_domains(qtbot):
    dialog = review(qtbot, protected_mail(), context(zip_refusing_domains=frozenset({"abc-trading.co.jp"})))
    protect = open_protect(qtbot, dialog)
    pdf, xlsx = row(protect, PDF_NAME), row(protect, XLSX_NAME)
    assert pdf.item.recommendation.zip_refused_by == ("abc-trading.co.jp",)
    assert xlsx.warning.isVisible()
    assert "abc-trading.co.jp" in xlsx.warning.text()
    assert not pdf.warning.isVisible()
    protect.apply_all.activated.emit(protect.apply_all.findData(Choice.ENCRYPT_ZIP.value))
    assert pdf.choice is Choice.ENCRYPT_ZIP
    assert pdf.warning.isVisible()
    protect.apply_all.activated.emit(protect.apply_all.findData(Choice.ENCRYPT_PDF.value))
    assert pdf.choice is Choice.ENCRYPT_PDF
    assert not pdf.warning.isVisible()
    assert xlsx.choice is Choice.ENCRYPT_ZIP  # no PDF option for a workbook


def test_regenerate_and_typed_password_with_strength_hint(qtbot):
    dialog = review(qtbot, protected_mail(), context())
    protect = open_protect(qtbot, dialog)
    protect.lang = "ja"
    first = protect.generated_edit.text()
    qtbot.mouseClick(protect.regenerate_button, Qt.MouseButton.LeftButton)
    assert protect.generated_edit.text() != first
    protect.own_radio.setChecked(True)
    assert not protect.apply_button.isEnabled()  # empty typed password
    qtbot.keyClicks(protect.own_edit, "passw0rd")
    assert "弱い" in protect.strength_label.text()
    assert "よく使われるパスワード" in protect.strength_label.text()
    assert "12文字以上" in protect.strength_label.text()
    protect.own_edit.setText("Tq8#vLm2!xR7pWz9")
    assert "強い" in protect.strength_label.text()
    assert protect.password() == "Tq8#vLm2!xR7pWz9"


def test_password_typed_into_the_body_blocks_send_after_protection(qtbot):
    body = f"佐藤様\r\n\r\n資料をお送りします。パスワードは{PASSWORD_IN_BODY}です。\r\n"
    dialog = review(qtbot, protected_mail(body), context())
    protect = open_protect(qtbot, dialog)
    protect.own_radio.setChecked(True)
    protect.own_edit.setText(PASSWORD_IN_BODY)
    apply(qtbot, protect)
    blocks = [f for f in dialog.model.request.report.findings if f.severity.name == "BLOCK"]
    assert [(f.code, f.target, f.params["kind"]) for f in blocks] == [
        ("password-in-mail", "body", "actual-password")]
    assert dialog.blocked_label.isVisible()
    for box in dialog.checkboxes:
        box.setChecked(True)
    assert not dialog.send_button.isEnabled()
    dialog.send_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    texts = [w.text() for w in dialog.findChildren(type(dialog.blocked_label))]
    assert any("actual password" in t for t in texts)


def test_blocked_recipient_cannot_be_sent_either(qtbot):
    raw = protected_mail(to="ceo@rival.example")
    ctx = context(blocked_domains=frozenset({"rival.example"}))
    dialog = review(qtbot, raw, ctx, ("ceo@rival.example",))
    assert "blocked-recipient" in dialog.model.request.report.codes()
    assert not any(a.property("finding_code") == "blocked-recipient" for a in dialog.acknowledgements)
    for box in dialog.checkboxes:
        box.setChecked(True)
    assert not dialog.send_button.isEnabled()


def test_protect_error_is_a_message_not_a_traceback(qtbot):
    # Starts like a PDF, so PDF encryption is offered, but pypdf cannot read it.
    msg = MIMEMultipart()
    msg["From"] = SENDER
    msg["To"] = PARTNER
    msg["Subject"] = "broken"
    msg.attach(MIMEText("本文", "plain", "utf-8"))
    bad = MIMEApplication(b"%PDF-1.4\n" + b"x" * 3000, "pdf")
    bad.add_header("Content-Disposition", "attachment", filename="壊れた.pdf")
    msg.attach(bad)
    raw = msg.as_bytes()
    dialog = review(qtbot, raw, context())
    protect = open_protect(qtbot, dialog)
    protect.lang = "ja"
    qtbot.mouseClick(protect.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not protect.busy)
    assert protect.isVisible()
    assert protect.error_label.isVisible()
    assert "PDF を読み取れない" in protect.error_label.text()
    assert dialog.replacement is None


def test_second_pass_reuses_the_first_password(qtbot):
    dialog = review(qtbot, protected_mail(), context())
    protect = open_protect(qtbot, dialog)
    row(protect, XLSX_NAME).set_choice(Choice.SEND_AS_IS)
    protect.as_is_ack.setChecked(True)
    password = protect.generated_edit.text()
    apply(qtbot, protect)
    assert len(dialog.protect_buttons) == 1  # the workbook is still unprotected
    again = open_protect(qtbot, dialog)
    assert [r.item.attachment.filename for r in again.rows] == [XLSX_NAME]
    assert again.password() == password
    assert not again.regenerate_button.isVisible()
    apply(qtbot, again)
    send(dialog)
    # The workbook's later choice replaces "sent-as-is": the audit must not say it went unprotected.
    assert dialog.decision().notes == (
        ReviewNote("encrypted-pdf", PDF_NAME), ReviewNote("encrypted-zip", XLSX_NAME)
    )


def test_ticks_on_unchanged_rows_survive_the_refresh(qtbot):
    dialog = review(qtbot, protected_mail(), context())
    dialog.subject_check.setChecked(True)
    dialog.body_check.setChecked(True)
    protect = open_protect(qtbot, dialog)
    apply(qtbot, protect)
    assert dialog.subject_check.isChecked()
    assert dialog.body_check.isChecked()
    files = [c for c in dialog.checkboxes if ".zip" in c.text() or ".pdf" in c.text()]
    assert files
    assert not any(c.isChecked() for c in files)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_unknown_error_code_still_reads_as_a_sentence(lang):
    from missend_guard.texts.findings import protect_error_text

    text = protect_error_text("something-new", lang)
    assert "something-new" in text
    assert len(text) > 20


def test_closing_the_review_closes_the_protection_dialog_unapplied(qtbot):
    dialog = review(qtbot, protected_mail(), context())
    protect = open_protect(qtbot, dialog)
    dialog.reject()  # e.g. the mail client disconnected: the bridge rejects the review
    assert not protect.isVisible()
    assert dialog.protect_dialog is None
    assert dialog.replacement is None
    assert dialog.decision().verdict is Verdict.CANCEL
