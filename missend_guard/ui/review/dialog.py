"""The review checklist: every recipient, the subject, the body and each file ticked before Send."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from missend_guard.core.check.findings import Finding, Severity
from missend_guard.core.message.bcc import move_external_to_bcc
from missend_guard.core.ports.review import Decision, ReviewNote, Verdict
from missend_guard.ui.protect.dialog import ProtectDialog
from missend_guard.ui.protect.password_window import Handoff
from missend_guard.ui.protect.protection import Protection, ProtectionState, ProtectStep
from missend_guard.ui.review.model import ReviewModel
from missend_guard.ui.review.sections import Checklist
from missend_guard.ui.review.widgets import (
    ACKNOWLEDGE_FRAME_STYLE,
    EXTERNAL_FRAME_STYLE,
    INTERNAL_FRAME_STYLE,
)

_GEOMETRY_KEY = "review/geometry"


class ReviewDialog(QDialog):
    """Checklist dialog; `decision()` tells what the user chose once `finished` fired."""

    checks_changed = Signal(int, int)  # ticked, total

    def __init__(
        self, model: ReviewModel, lang: str, state: QSettings | None = None, parent: QWidget | None = None,
        *, protection: Protection | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.lang = lang
        self._state = state
        self.protected = ProtectionState()
        # Protection needs the context the mail was checked with, to re-check the rebuilt mail.
        self._protect = (ProtectStep(protection, self.protected, lang, self)
                         if protection is not None and model.request.context is not None else None)
        if self._protect is not None:
            self._protect.busy_changed.connect(self._on_protect_busy)
            self._protect.rechecked.connect(self._on_protect_rechecked)
            self._protect.failed.connect(self._on_protect_failed)
        self._replacement: bytes | None = None
        self._bcc_done = False
        self._position = (1, 1)
        self._shown = False
        self.setWindowTitle(self.tr("Check before sending"))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.setStyleSheet(EXTERNAL_FRAME_STYLE + INTERNAL_FRAME_STYLE + ACKNOWLEDGE_FRAME_STYLE)
        layout = QVBoxLayout(self)
        self._holder = QVBoxLayout()
        layout.addLayout(self._holder, 1)
        self._init_buttons(layout)
        self._body = self._build_body()
        self._restore_geometry()
        self._update_send()
        self._focus_first_open()

    def _build_body(self) -> Checklist:
        """Header, checklist and preview for `self.model` (built again after Bcc or protection)."""
        body = Checklist(self.model, self.lang, can_protect=self._protect is not None,
                         bcc_done=self._bcc_done)
        body.changed.connect(self._update_send)
        body.bcc_requested.connect(self._on_bcc_clicked)
        body.protect_requested.connect(self._on_protect_clicked)
        body.set_position(*self._position)
        self._holder.addWidget(body, 1)
        # A widget added later joins the end of the Tab chain: put the buttons back after the text.
        QWidget.setTabOrder(body.preview, self.cancel_button)
        QWidget.setTabOrder(self.cancel_button, self.send_button)
        return body

    def _focus_first_open(self) -> None:
        """Focus the first box still to tick, with its focus frame drawn before any Tab is pressed."""
        check = self._body.first_open_check()
        if check is None:
            return
        check.setFocus(Qt.FocusReason.TabFocusReason)
        self._show_focus_frame()
        self._body.list_scroll.ensureWidgetVisible(check)

    @Slot()
    def _show_focus_frame(self) -> None:
        # Styles draw the focus frame only after keyboard navigation (Qt clears this flag when the
        # window shows or is activated); the review is keyboard work, so the frame is there at once.
        self.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
        focus = self.focusWidget()
        if focus is not None:
            focus.update()

    # --- construction -------------------------------------------------------------------------

    def _init_buttons(self, layout: QVBoxLayout) -> None:
        self.progress_label = QLabel()
        layout.addWidget(self.progress_label)
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Cancel (fix in mail app)"))
        self.send_button = self.buttons.addButton(self.tr("&Send"), QDialogButtonBox.ButtonRole.AcceptRole)
        self._no_default_button()
        # A focused push button clicks on Enter; Send must take Space or a click, never Enter.
        self.send_button.installEventFilter(self)
        self.buttons.accepted.connect(self._on_send_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _no_default_button(self) -> None:
        # Neither Send nor Cancel is drawn or acts as the default: Enter must never decide for the user.
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)

    # --- state ----------------------------------------------------------------------------------

    def summary_text(self) -> str:
        """One-line risk summary: 社外 3件・添付 2件・注意 2件."""
        return self._body.summary_text()

    @property
    def summary_label(self) -> QLabel:
        """The one-line risk summary under the subject."""
        return self._body.summary_label

    @property
    def position_label(self) -> QLabel:
        """"Mail 1 of 3" while several mails wait."""
        return self._body.position_label

    @property
    def sender_label(self) -> QLabel:
        """"From: address (account)"."""
        return self._body.sender_label

    @property
    def blocked_label(self) -> QLabel:
        """The sentence shown while a finding blocks the mail."""
        return self._body.blocked_label

    @property
    def preview(self) -> QTextBrowser:
        """The body text preview."""
        return self._body.preview

    @property
    def subject_check(self) -> QCheckBox:
        """The subject's checkbox."""
        return self._body.subject_check

    @property
    def body_check(self) -> QCheckBox:
        """The "I have read the text" checkbox."""
        return self._body.body_check

    @property
    def bcc_button(self) -> QPushButton | None:
        """"Move external To/Cc recipients to Bcc", while external recipients can see each other."""
        return self._body.bcc_button

    @property
    def protect_buttons(self) -> list[QPushButton]:
        """One "Protect…" button per unprotected file going outside."""
        return list(self._body.protect_buttons)

    def set_position(self, index: int, total: int) -> None:
        """Show which of several waiting mails this is ("1 of 3")."""
        self._position = (index, total)
        self._body.set_position(index, total)

    @property
    def checkboxes(self) -> tuple[QCheckBox, ...]:
        """Every checkbox that must be ticked before Send (rows and acknowledgements)."""
        return tuple(self._body.checks)

    @property
    def acknowledgements(self) -> tuple[QCheckBox, ...]:
        """The per-finding acknowledgement checkboxes."""
        return tuple(self._body.acks)

    @property
    def replacement(self) -> bytes | None:
        """Rebuilt message bytes (after the Bcc conversion or protection), or None."""
        return self._replacement

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """Findings at block severity: while any is present the mail cannot be sent."""
        return self.model.request.report.at_least(Severity.BLOCK)

    @Slot()
    def _update_send(self) -> None:
        checks = self._body.checks
        ticked = sum(c.isChecked() for c in checks)
        total = len(checks)
        self.send_button.setEnabled(ticked == total and not self.blocking)
        text = self.tr("Checked %1 of %2").replace("%1", str(ticked)).replace("%2", str(total))
        self.progress_label.setText(text)
        self.checks_changed.emit(ticked, total)

    @Slot()
    def _on_bcc_clicked(self) -> None:
        externals = self.model.external_addresses()
        raw = self._replacement or self.model.request.message.raw
        self._replacement = move_external_to_bcc(raw, lambda a: a.lower() in externals)
        self._bcc_done = True
        # Nobody outside sees the others any more: that warning is resolved, not left on screen.
        self.refresh(self.model.with_external_in_bcc())

    @Slot()
    def _on_send_clicked(self) -> None:
        # The button is disabled until all is ticked; this guards a programmatic accept too.
        if all(c.isChecked() for c in self._body.checks) and not self.blocking:
            self.accept()

    def decision(self) -> Decision:
        """The user's decision, valid after `finished`."""
        if self.result() == QDialog.DialogCode.Accepted:
            bcc = ReviewNote("bcc-conversion", detail="external To/Cc moved to Bcc")
            notes = (bcc,) if self._bcc_done else ()
            return Decision(
                Verdict.SEND, "user", replacement=self._replacement, notes=(*notes, *self.protected.notes())
            )
        return Decision(Verdict.CANCEL, "user", reason="cancelled in review")

    def handoff(self) -> Handoff | None:
        """After Send with protected files: the password and who must be told (else None)."""
        accepted = self.result() == QDialog.DialogCode.Accepted
        return self.protected.handoff(self.model.request) if accepted else None

    # --- protection -----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while protected files are being re-checked (nothing can be ticked or sent)."""
        return self._protect is not None and self._protect.busy

    @property
    def protect_dialog(self) -> ProtectDialog | None:
        """The protection dialog while it is open."""
        return self._protect.dialog if self._protect is not None else None

    @Slot()
    def _on_protect_clicked(self) -> None:
        if self._protect is not None:
            self._protect.open(self.model.request, self._replacement or self.model.request.message.raw)

    @Slot(bool)
    def _on_protect_busy(self, busy: bool) -> None:
        # While the protected mail is re-checked, nothing on screen may be ticked or sent.
        self._body.setEnabled(not busy)
        self.buttons.setEnabled(not busy)

    @Slot(object, object)
    def _on_protect_rechecked(self, model: ReviewModel, raw: bytes) -> None:
        self._replacement = raw
        self.refresh(model)

    @Slot(str)
    def _on_protect_failed(self, text: str) -> None:
        self.progress_label.setText(text)

    def refresh(self, model: ReviewModel) -> None:
        """Show a re-checked mail; ticks on what did not change (same recipient, text, file) stay."""
        old, self.model = self._body, model
        ticked = {old.keys[c] for c in old.checks if c.isChecked()}
        scrolled = old.list_scroll.verticalScrollBar().value()
        sizes = old.splitter.sizes()
        self._holder.removeWidget(old)
        old.hide()
        old.deleteLater()
        self._body = self._build_body()
        self._body.show()  # a child added to a visible dialog is not shown by itself
        for check in self._body.checks:
            check.setChecked(self._body.keys[check] in ticked)
        # The user stays where they were: same split, same place in the list.
        self._body.splitter.setSizes(sizes)
        self._body.list_scroll.verticalScrollBar().setValue(scrolled)
        self._update_send()
        self._focus_first_open()

    # --- events ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Enter does nothing: it neither sends nor ticks (Space ticks, Esc cancels)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Undo what showing did: the button box's default button and Qt's hidden focus frame."""
        super().showEvent(event)
        self._no_default_button()
        self._show_focus_frame()
        if not self._shown:
            self._shown = True
            self._body.share_width()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Activation hides the focus frame again as it gives the focus back: draw it once that is done."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            QTimer.singleShot(0, self._show_focus_frame)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Swallow Enter on the Send button."""
        if (
            watched is self.send_button
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            return True
        return super().eventFilter(watched, event)

    def done(self, result: int) -> None:
        """Remember size and position whichever way the dialog closes (protection work goes too)."""
        if self._protect is not None:
            self._protect.close()
        if self._state is not None:
            self._state.setValue(_GEOMETRY_KEY, self.saveGeometry())
        super().done(result)

    def _restore_geometry(self) -> None:
        geometry = self._state.value(_GEOMETRY_KEY) if self._state is not None else None
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            # Start large enough to read, in font units so 125–150 % scaling grows it too,
            # but never larger than the screen (a 1366×768 laptop is common in offices).
            em = self.fontMetrics().horizontalAdvance("M")
            width, height = em * 96, em * 60
            screen = self.screen()
            if screen is not None:
                available = screen.availableGeometry()
                width = min(width, available.width() * 9 // 10)
                height = min(height, available.height() * 9 // 10)
            self.resize(width, height)
