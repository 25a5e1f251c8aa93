"""The review checklist: every recipient, the subject, the body and each file ticked before Send."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from missend_guard.core.check.findings import Finding, Severity
from missend_guard.core.message.bcc import move_external_to_bcc
from missend_guard.core.ports.review import Decision, ReviewNote, Verdict
from missend_guard.texts import catalog
from missend_guard.texts.findings import finding_text
from missend_guard.ui.protect.dialog import ProtectDialog
from missend_guard.ui.protect.password_window import Handoff
from missend_guard.ui.protect.protection import Protection, ProtectionState, ProtectStep
from missend_guard.ui.review.model import RecipientRow, ReviewModel, format_size
from missend_guard.ui.review.widgets import (
    EXTERNAL_FRAME_STYLE,
    INTERNAL_FRAME_STYLE,
    RecipientRowWidget,
    body_preview,
    finding_label,
    framed,
    indented,
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
        self._checks: list[QCheckBox] = []
        self._keys: dict[QCheckBox, tuple[str, ...]] = {}
        self._acks: dict[QCheckBox, Finding] = {}
        self._rows: list[RecipientRowWidget] = []
        self._replacement: bytes | None = None
        self._bcc_done = False
        self._position = (1, 1)
        self.setWindowTitle(self.tr("Check before sending"))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.setStyleSheet(EXTERNAL_FRAME_STYLE + INTERNAL_FRAME_STYLE)
        layout = QVBoxLayout(self)
        self._holder = QVBoxLayout()
        layout.addLayout(self._holder, 1)
        self._body = self._build_body()
        self._init_buttons(layout)
        self._restore_geometry()
        self._update_send()
        if self._checks:
            self._checks[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _build_body(self) -> QWidget:
        """Header and checklist for `self.model` (built again after the files were protected)."""
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self._init_header(layout)
        content = QWidget()
        inner = QVBoxLayout(content)
        self._init_recipients(inner)
        self._init_text(inner)
        self._init_attachments(inner)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Long lines wrap instead of hiding behind a horizontal scroll bar.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        layout.addWidget(scroll, 1)
        self._holder.addWidget(body)
        return body

    # --- construction -------------------------------------------------------------------------

    def _init_header(self, layout: QVBoxLayout) -> None:
        message = self.model.request.message
        self.position_label = QLabel()
        self.position_label.setVisible(False)
        subject = QLabel(message.subject or self.tr("(no subject)"))
        subject.setWordWrap(True)
        font = subject.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        subject.setFont(font)
        account = self.model.request.account or (message.sender.address if message.sender else "")
        sender = QLabel(self.tr("From: %1").replace("%1", account))
        self.summary_label = QLabel(self.summary_text())
        self.summary_label.setObjectName("summary")
        for widget in (self.position_label, subject, sender, self.summary_label):
            layout.addWidget(widget)
        self.blocked_label = QLabel(self.tr(
            "⛔ This mail cannot be sent as it is. Cancel, correct it in your mail app and send it again."
        ))
        self.blocked_label.setWordWrap(True)
        self.blocked_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.blocked_label.setVisible(bool(self.blocking))
        layout.addWidget(self.blocked_label)
        self.set_position(*self._position)
        self._add_findings(layout, self.model.message_findings, indent=0)

    def _init_recipients(self, layout: QVBoxLayout) -> None:
        if self.model.external_groups:
            box = QGroupBox(self.tr("External recipients (%n)", "", self.model.external_count))
            box_layout = QVBoxLayout(box)
            for group in self.model.external_groups:
                frame, frame_layout = framed("external")
                company = catalog.text("punct.note", self.lang, note=group.company)
                title = group.domain + (company if group.company else "")
                heading = QLabel(self.tr("External") + " — " + title)
                heading.setStyleSheet("font-weight: bold;")
                frame_layout.addWidget(heading)
                for row in group.rows:
                    self._add_recipient(frame_layout, row)
                box_layout.addWidget(frame)
            if self.model.has("many-external-visible"):
                self.bcc_button = QPushButton(self.tr("Move external To/Cc recipients to &Bcc"))
                self.bcc_button.setAutoDefault(False)
                self.bcc_button.clicked.connect(self._on_bcc_clicked)
                box_layout.addWidget(self.bcc_button)
            layout.addWidget(box)
        if self.model.internal:
            box = QGroupBox(self.tr("Internal recipients (%n)", "", len(self.model.internal)))
            frame, frame_layout = framed("internal")
            QVBoxLayout(box).addWidget(frame)
            if len(self.model.internal) > 1:
                self.check_all_internal = QCheckBox(self.tr("All internal recipients checked"))
                self.check_all_internal.toggled.connect(self._on_check_all_internal)
                frame_layout.addWidget(self.check_all_internal)
            for row in self.model.internal:
                self._add_recipient(frame_layout, row)
            layout.addWidget(box)

    def _add_recipient(self, layout: QVBoxLayout, row_data: RecipientRow) -> None:
        row = RecipientRowWidget(row_data)
        self._rows.append(row)
        layout.addWidget(row)
        self._track(row.check, ("recipient", row_data.address.lower()))
        # The group heading already says "external"; repeating it on every row is noise.
        findings = [f for f in row_data.findings if f.code != "external-recipient"]
        self._add_findings(layout, findings)

    def _init_text(self, layout: QVBoxLayout) -> None:
        message = self.model.request.message
        box = QGroupBox(self.tr("Subject and text"))
        box_layout = QVBoxLayout(box)
        self.subject_check = QCheckBox(
            self.tr("Subject: %1").replace("%1", message.subject or self.tr("(no subject)"))
        )
        box_layout.addWidget(self.subject_check)
        self._track(self.subject_check, ("subject", message.subject))
        self._add_findings(box_layout, self.model.subject_findings)
        self.body_check = QCheckBox(self.tr("I have read the text"))
        box_layout.addWidget(self.body_check)
        self._track(self.body_check, ("body", message.body))
        self._add_findings(box_layout, self.model.body_findings)
        box_layout.addWidget(body_preview(message.body))
        layout.addWidget(box)

    def _init_attachments(self, layout: QVBoxLayout) -> None:
        self.protect_buttons: list[QPushButton] = []
        if not self.model.attachments:
            return
        box = QGroupBox(self.tr("Attachments (%n)", "", len(self.model.attachments)))
        box_layout = QVBoxLayout(box)
        for row in self.model.attachments:
            att = row.attachment
            kind = att.filename.rpartition(".")[2].upper() if "." in att.filename else att.content_type
            locked = " 🔒" if att.encrypted else ""
            check = QCheckBox(f"{att.filename}{locked} — {format_size(att.size)} · {kind}")
            check.setToolTip(att.content_type)
            box_layout.addWidget(check)
            self._track(check, ("file", att.filename, str(att.size)))
            self._add_findings(box_layout, row.findings)
            if self._protect is not None and any(f.code == "unprotected-attachment" for f in row.findings):
                button = QPushButton(self.tr("&Protect…"))
                button.setAutoDefault(False)
                button.setToolTip(self.tr("Encrypt, remove or knowingly send the unprotected files"))
                button.setProperty("attachment_index", row.index)
                button.clicked.connect(self._on_protect_clicked)
                self.protect_buttons.append(button)
                box_layout.addWidget(indented(button, 3.5))
        layout.addWidget(box)

    def _init_buttons(self, layout: QVBoxLayout) -> None:
        self.progress_label = QLabel()
        layout.addWidget(self.progress_label)
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Cancel (fix in mail app)"))
        self.send_button = self.buttons.addButton(self.tr("&Send"), QDialogButtonBox.ButtonRole.AcceptRole)
        for button in (self.cancel_button, self.send_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        # QDialogButtonBox makes the first accept button the default when none is set: make it Cancel.
        self.cancel_button.setDefault(True)
        # A focused push button clicks on Enter; Send must take Space or a click, never Enter.
        self.send_button.installEventFilter(self)
        self.buttons.accepted.connect(self._on_send_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _track(self, check: QCheckBox, key: tuple[str, ...]) -> None:
        self._checks.append(check)
        self._keys[check] = key
        check.toggled.connect(self._update_send)

    def _add_findings(self, layout: QVBoxLayout, findings: Sequence[Finding], indent: float = 2.0) -> None:
        """Each finding's line on the row it concerns; high-risk ones get their own checkbox under it."""
        for finding in findings:
            label = finding_label(finding, self.lang)
            layout.addWidget(indented(label, indent) if indent else label)
            # A block cannot be acknowledged away: Send stays off (see `blocking`).
            if finding not in self.model.high_risk or finding.severity >= Severity.BLOCK:
                continue
            text = finding_text(finding, self.lang)
            ack = QCheckBox(self.tr("I have checked this warning"))
            ack.setAccessibleName(self.tr("I have checked this: %1").replace("%1", text))
            ack.setToolTip(text)
            ack.setStyleSheet("font-weight: bold;")
            ack.setProperty("finding_code", finding.code)
            self._acks[ack] = finding
            layout.addWidget(indented(ack, indent + 1.5))
            self._track(ack, ("ack", finding.code, finding.target))

    # --- state ----------------------------------------------------------------------------------

    def summary_text(self) -> str:
        """One-line risk summary: 社外 3件・添付 2件・注意 2件."""
        return catalog.text("punct.facts", self.lang).join(
            (
                self.tr("External: %n", "", self.model.external_count),
                self.tr("Attachments: %n", "", len(self.model.attachments)),
                self.tr("Warnings: %n", "", self.model.warning_count),
            )
        )

    def set_position(self, index: int, total: int) -> None:
        """Show which of several waiting mails this is ("1 of 3")."""
        self._position = (index, total)
        text = self.tr("Mail %1 of %2").replace("%1", str(index)).replace("%2", str(total))
        self.position_label.setText(text)
        self.position_label.setVisible(total > 1)

    @property
    def checkboxes(self) -> tuple[QCheckBox, ...]:
        """Every checkbox that must be ticked before Send (rows and acknowledgements)."""
        return tuple(self._checks)

    @property
    def acknowledgements(self) -> tuple[QCheckBox, ...]:
        """The per-finding acknowledgement checkboxes."""
        return tuple(self._acks)

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
        ticked = sum(c.isChecked() for c in self._checks)
        total = len(self._checks)
        self.send_button.setEnabled(ticked == total and not self.blocking)
        text = self.tr("Checked %1 of %2").replace("%1", str(ticked)).replace("%2", str(total))
        self.progress_label.setText(text)
        self.checks_changed.emit(ticked, total)

    @Slot(bool)
    def _on_check_all_internal(self, checked: bool) -> None:
        for row in self._rows:
            if not row.row.external:
                row.check.setChecked(checked)

    @Slot()
    def _on_bcc_clicked(self) -> None:
        externals = self.model.external_addresses()
        raw = self._replacement or self.model.request.message.raw
        self._replacement = move_external_to_bcc(raw, lambda a: a.lower() in externals)
        self._bcc_done = True
        for row in self._rows:
            if row.row.external and row.field in ("to", "cc"):
                row.set_field("bcc")
        self.bcc_button.setEnabled(False)
        self.bcc_button.setText(self.tr("External recipients moved to Bcc (they still receive the mail)"))

    @Slot()
    def _on_send_clicked(self) -> None:
        # The button is disabled until all is ticked; this guards a programmatic accept too.
        if all(c.isChecked() for c in self._checks) and not self.blocking:
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
        ticked = {self._keys[c] for c in self._checks if c.isChecked()}
        self._checks.clear()
        self._keys.clear()
        self._acks.clear()
        self._rows.clear()
        old, self.model = self._body, model
        self._holder.removeWidget(old)
        old.hide()
        old.deleteLater()
        self._body = self._build_body()
        self._body.show()  # a child added to a visible dialog is not shown by itself
        for check in self._checks:
            check.setChecked(self._keys[check] in ticked)
        self._update_send()

    # --- events ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Enter never sends: on a checkbox it ticks, elsewhere it does nothing. Esc cancels."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QCheckBox):
                focus.toggle()
            event.accept()
            return
        super().keyPressEvent(event)

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
            # Start large enough to read, in font units so 125–150 % scaling grows it too.
            em = self.fontMetrics().horizontalAdvance("M")
            self.resize(em * 60, em * 52)
