"""The review's content for one model: header, checklist, body preview (rebuilt after Bcc or protection)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from missend_guard.core.check.findings import Finding, Severity
from missend_guard.texts import catalog
from missend_guard.ui.review.model import RecipientRow, ReviewModel, format_size
from missend_guard.ui.review.vouch import VouchOffers
from missend_guard.ui.review.widgets import (
    FindingWidget,
    RecipientRowWidget,
    body_preview,
    framed,
    icon_label,
    indented,
    lock_icon,
    severity_icon,
)


class Checklist(QWidget):
    """Every box to tick for one model; the body preview takes the space the checklist leaves."""

    changed = Signal()  # a box was ticked or unticked
    bcc_requested = Signal()
    protect_requested = Signal()

    def __init__(
        self, model: ReviewModel, lang: str, *, can_protect: bool, bcc_done: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.lang = lang
        self._can_protect = can_protect
        self._bcc_done = bcc_done
        self.checks: list[QCheckBox] = []
        self.keys: dict[QCheckBox, tuple[str, ...]] = {}
        self.acks: dict[QCheckBox, Finding] = {}
        self.rows: list[RecipientRowWidget] = []
        self.protect_buttons: list[QPushButton] = []
        self.bcc_button: QPushButton | None = None
        self.vouching = VouchOffers(model.request, parent=self)  # *This address is correct*
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._init_header(layout)
        content = QWidget()
        inner = QVBoxLayout(content)
        self._init_recipients(inner)
        self._init_attachments(inner)
        inner.addStretch(1)
        self.list_scroll = QScrollArea()
        self.list_scroll.setWidgetResizable(True)
        # Long lines wrap instead of hiding behind a horizontal scroll bar.
        self.list_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_scroll.setWidget(content)
        # Never narrower than its widest row (check boxes do not wrap): the divider stops there.
        bar = self.list_scroll.verticalScrollBar().sizeHint().width()
        frame = 2 * self.list_scroll.frameWidth()
        self.list_scroll.setMinimumWidth(content.minimumSizeHint().width() + bar + frame)
        # Side by side, as in a mail app: screens are short, so both the list and the text get the
        # full height; the preview fills its column and the user can move the divider.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.list_scroll)
        self.splitter.addWidget(self._init_text())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)

    # --- construction -------------------------------------------------------------------------

    def _init_header(self, layout: QVBoxLayout) -> None:
        request = self.model.request
        message = request.message
        self.position_label = QLabel()
        self.position_label.setVisible(False)
        subject = QLabel(message.subject or self.tr("(no subject)"))
        subject.setWordWrap(True)
        font = subject.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        subject.setFont(font)
        self.sender_label = QLabel(self.tr("From: %1").replace("%1", self.sender_text()))
        self.sender_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label = QLabel(self.summary_text())
        self.summary_label.setObjectName("summary")
        for widget in (self.position_label, subject, self.sender_label, self.summary_label):
            layout.addWidget(widget)
        self.blocked_label = QLabel(self.tr(
            "This mail cannot be sent as it is. Cancel, correct it in your mail app and send it again."
        ))
        self.blocked_label.setWordWrap(True)
        self.blocked_label.setStyleSheet("color: #b00020; font-weight: bold;")
        blocked = QWidget()
        line = QHBoxLayout(blocked)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(icon_label(severity_icon(Severity.BLOCK), self.blocked_label, ""), 0,
                       Qt.AlignmentFlag.AlignTop)
        line.addWidget(self.blocked_label, 1)
        blocked.setVisible(bool(request.report.at_least(Severity.BLOCK)))
        layout.addWidget(blocked)
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
            if self._bcc_done:
                box_layout.addWidget(QLabel(self.tr(
                    "External recipients moved to Bcc: they still receive the mail but no longer see each "
                    "other's addresses."
                )))
            elif self.model.has("many-external-visible"):
                self.bcc_button = QPushButton(self.tr("Move external To/Cc recipients to &Bcc"))
                self.bcc_button.setAutoDefault(False)
                self.bcc_button.clicked.connect(self.bcc_requested)
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
        self.rows.append(row)
        layout.addWidget(row)
        self._track(row.check, ("recipient", row_data.address.lower()))
        # The group heading already says "external"; repeating it on every row is noise.
        findings = [f for f in row_data.findings if f.code != "external-recipient"]
        self._add_findings(layout, findings)

    def _init_attachments(self, layout: QVBoxLayout) -> None:
        if not self.model.attachments:
            return
        box = QGroupBox(self.tr("Attachments (%n)", "", len(self.model.attachments)))
        box_layout = QVBoxLayout(box)
        for row in self.model.attachments:
            att = row.attachment
            kind = att.filename.rpartition(".")[2].upper() if "." in att.filename else att.content_type
            check = QCheckBox(f"{att.filename} — {format_size(att.size)} · {kind}")
            check.setToolTip(att.content_type)
            if att.encrypted:
                check.setIcon(lock_icon())
                check.setAccessibleDescription(self.tr("Encrypted"))
            box_layout.addWidget(check)
            self._track(check, ("file", att.filename, str(att.size)))
            self._add_findings(box_layout, row.findings)
            if self._can_protect and any(f.code == "unprotected-attachment" for f in row.findings):
                button = QPushButton(self.tr("&Protect…"))
                button.setAutoDefault(False)
                button.setToolTip(self.tr("Encrypt, remove or knowingly send the unprotected files"))
                button.setProperty("attachment_index", row.index)
                button.clicked.connect(self.protect_requested)
                self.protect_buttons.append(button)
                box_layout.addWidget(indented(button, 3.5))
        layout.addWidget(box)

    def _init_text(self) -> QGroupBox:
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
        self.preview: QTextBrowser = body_preview(message.body)
        self.preview.setAccessibleName(self.tr("Text of the mail"))
        box_layout.addWidget(self.preview, 1)
        return box

    def _track(self, check: QCheckBox, key: tuple[str, ...]) -> None:
        self.checks.append(check)
        self.keys[check] = key
        check.toggled.connect(self.changed)

    def _add_findings(self, layout: QVBoxLayout, findings: Sequence[Finding], indent: float = 2.0) -> None:
        """Each finding on the row it concerns; a high-risk one carries its own checkbox in its box."""
        for finding in findings:
            # A block cannot be acknowledged away: Send stays off (see ReviewDialog.blocking).
            acknowledge = finding in self.model.high_risk and finding.severity < Severity.BLOCK
            widget = FindingWidget(finding, self.lang, acknowledge=acknowledge)
            self.vouching.offer(widget)
            layout.addWidget(indented(widget, indent) if indent else widget)
            if widget.ack is not None:
                self.acks[widget.ack] = finding
                self._track(widget.ack, ("ack", finding.code, finding.target))

    # --- text and state -----------------------------------------------------------------------

    def sender_text(self) -> str:
        """The sender's address first, the account's name after it: ken@example.co.jp（会社）."""
        request = self.model.request
        message = request.message
        address = message.sender.address if message.sender else request.envelope.mail_from
        name = request.account.strip()
        if not name or name.lower() == address.lower():
            return address or name
        return address + catalog.text("punct.note", self.lang, note=name) if address else name

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
        text = self.tr("Mail %1 of %2").replace("%1", str(index)).replace("%2", str(total))
        self.position_label.setText(text)
        self.position_label.setVisible(total > 1)

    def share_width(self) -> None:
        """Give the list a little more than half of the width, the text the rest (on first show)."""
        total = sum(self.splitter.sizes())
        left = max(self.list_scroll.minimumWidth(), total * 11 // 20)
        self.splitter.setSizes([left, max(total - left, 1)])

    def first_open_check(self) -> QCheckBox | None:
        """The first box still to tick (the first box when all are ticked)."""
        return next((c for c in self.checks if not c.isChecked()), self.checks[0] if self.checks else None)

    @Slot(bool)
    def _on_check_all_internal(self, checked: bool) -> None:
        for row in self.rows:
            if not row.row.external:
                row.check.setChecked(checked)
