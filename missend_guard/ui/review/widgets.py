"""Small widgets of the review dialog: findings with their acknowledgement, recipient rows, body preview."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from missend_guard.core.check.findings import Finding, Severity
from missend_guard.texts.findings import finding_text
from missend_guard.ui.icons import resource_path
from missend_guard.ui.review.model import RecipientRow, quoted_lines

# Colours are paired with an icon and a text (社外 / External) so no meaning depends on colour alone.
_SEVERITY_STYLE = {
    Severity.INFO: "color: palette(text);",
    Severity.WARNING: "color: #9a4d00;",
    Severity.BLOCK: "color: #b00020; font-weight: bold;",
}
# Style icons, not symbol characters: ⛔ and 🔒 are missing from common fonts (a box is drawn instead).
_SEVERITY_ICON = {
    Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.BLOCK: QStyle.StandardPixmap.SP_MessageBoxCritical,
}
EXTERNAL_FRAME_STYLE = (
    "QFrame#external { background: #fff6e8; border-left: 0.3em solid #e08a00; }"
)
INTERNAL_FRAME_STYLE = "QFrame#internal { border-left: 0.3em solid #6b8e6b; }"
# The box around a finding and its own checkbox shows at a glance which warning a tick covers.
ACKNOWLEDGE_FRAME_STYLE = (
    "QFrame#acknowledge { border: 1px solid #d08a3a; border-radius: 0.25em; background: #fffaf2; }"
)


def severity_icon(severity: Severity) -> QIcon:
    """The platform style's information / warning / critical icon."""
    return QApplication.style().standardIcon(_SEVERITY_ICON[severity])


def lock_icon() -> QIcon:
    """The padlock shown on encrypted files (an SVG shipped with the package)."""
    return QIcon(resource_path("lock.svg"))


def icon_label(icon: QIcon, reference: QWidget, accessible_name: str) -> QLabel:
    """`icon` as a label one text line high (it scales with the font)."""
    side = reference.fontMetrics().height()
    label = QLabel()
    label.setPixmap(icon.pixmap(QSize(side, side)))
    label.setFixedSize(side, side)
    label.setAccessibleName(accessible_name)
    return label


class FindingWidget(QFrame):
    """One finding: severity icon and sentence; a high-risk one holds its own acknowledgement box inside."""

    def __init__(
        self, finding: Finding, lang: str, *, acknowledge: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.finding = finding
        self.setProperty("finding_code", finding.code)
        text = finding_text(finding, lang)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setStyleSheet(_SEVERITY_STYLE[finding.severity])
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setProperty("finding_code", finding.code)
        names = {Severity.INFO: self.tr("Note"), Severity.WARNING: self.tr("Warning"),
                 Severity.BLOCK: self.tr("Cannot be sent")}
        layout = QVBoxLayout(self)
        line = QHBoxLayout()
        line.addWidget(icon_label(severity_icon(finding.severity), self.label, names[finding.severity]),
                       0, Qt.AlignmentFlag.AlignTop)
        line.addWidget(self.label, 1)
        layout.addLayout(line)
        # Buttons that act on this finding (another part may add one) go on this row, under the text.
        self.action_row = QHBoxLayout()
        self.action_row.addStretch(1)
        self.ack: QCheckBox | None = None
        if acknowledge:
            self.setObjectName("acknowledge")
            self.ack = QCheckBox(self.tr("I have checked this warning"))
            self.ack.setAccessibleName(self.tr("I have checked this: %1").replace("%1", text))
            self.ack.setToolTip(text)
            self.ack.setStyleSheet("font-weight: bold;")
            self.ack.setProperty("finding_code", finding.code)
            self.action_row.insertWidget(0, self.ack)
            margin = self.fontMetrics().height() // 3
            layout.setContentsMargins(margin, margin, margin, margin)
        else:
            layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.action_row)


class RecipientRowWidget(QWidget):
    """A recipient's checkbox: field, name, address (the dialog adds the findings underneath)."""

    def __init__(self, row: RecipientRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.field = row.field
        self.check = QCheckBox(self._text())
        self.check.setProperty("address", row.address)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)

    def _text(self) -> str:
        who = f"{self.row.name} <{self.row.address}>" if self.row.name else self.row.address
        return f"{self.field.capitalize()}:  {who}"

    def set_field(self, field: str) -> None:
        """Show the recipient under another header field (after the Bcc conversion)."""
        self.field = field
        self.check.setText(self._text())


def indented(widget: QWidget, ems: float = 2.0) -> QWidget:
    """`widget` inside a container with a left margin in font units (scales with the font)."""
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(int(widget.fontMetrics().horizontalAdvance("M") * ems), 0, 0, 0)
    layout.addWidget(widget, 1)
    return holder


def framed(kind: str) -> tuple[QFrame, QVBoxLayout]:
    """A frame named `external` or `internal` (styled apart) with a vertical layout."""
    frame = QFrame()
    frame.setObjectName(kind)
    layout = QVBoxLayout(frame)
    return frame, layout


def body_preview(body: str) -> QTextBrowser:
    """Read-only plain-text preview; the quoted original is dimmed so the new text stands out."""
    view = QTextBrowser()
    view.setOpenLinks(False)
    parts = []
    for line, quoted in quoted_lines(body):
        text = html.escape(line) or "&nbsp;"
        parts.append(f'<span style="color: gray;">{text}</span>' if quoted else text)
    view.setHtml(
        '<div style="white-space: pre-wrap; font-family: monospace;">' + "<br>".join(parts) + "</div>"
    )
    # Reachable by Tab (and out again by Tab), so the text scrolls with PgUp/PgDn and the arrows.
    view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    view.setTabChangesFocus(True)
    # Height in lines, not pixels, so it scales with the font.
    view.setMinimumHeight(view.fontMetrics().lineSpacing() * 6)
    return view
