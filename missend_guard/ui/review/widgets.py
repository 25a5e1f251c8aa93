"""Small widgets of the review dialog: finding lines, recipient rows, the quoted-body preview."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from missend_guard.core.check.findings import Finding, Severity
from missend_guard.texts.findings import finding_text
from missend_guard.ui.review.model import RecipientRow, quoted_lines

# Colours are paired with a text marker (⚠, 社外 / External) so no meaning depends on colour alone.
_SEVERITY_STYLE = {
    Severity.INFO: "color: palette(text);",
    Severity.WARNING: "color: #9a4d00;",
    Severity.BLOCK: "color: #b00020; font-weight: bold;",
}
_MARK = {Severity.INFO: "ℹ", Severity.WARNING: "⚠", Severity.BLOCK: "⛔"}
EXTERNAL_FRAME_STYLE = (
    "QFrame#external { background: #fff6e8; border-left: 0.3em solid #e08a00; }"
)
INTERNAL_FRAME_STYLE = "QFrame#internal { border-left: 0.3em solid #6b8e6b; }"


def finding_label(finding: Finding, lang: str) -> QLabel:
    """A wrapped line explaining one finding, marked by severity."""
    label = QLabel(f"{_MARK[finding.severity]} {finding_text(finding, lang)}")
    label.setWordWrap(True)
    label.setStyleSheet(_SEVERITY_STYLE[finding.severity])
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setProperty("finding_code", finding.code)
    return label


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
    view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab goes through the checklist, not into the text
    # Height in lines, not pixels, so it scales with the font.
    view.setMinimumHeight(view.fontMetrics().lineSpacing() * 6)
    return view
