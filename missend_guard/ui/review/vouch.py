"""*This address is correct* on a look-alike finding: recorded through the request's trust port."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from missend_guard.core.check.trust import can_vouch, finding_recipient
from missend_guard.core.errors import UserError
from missend_guard.core.ports.review import ReviewRequest
from missend_guard.ui.review.widgets import FindingWidget

log = logging.getLogger(__name__)

_RESOLVED_STYLE = "color: palette(mid);"


class VouchOffers(QObject):
    """Adds the button to each finding it answers; a vouch resolves every finding of that address."""

    def __init__(self, request: ReviewRequest, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._request = request
        self._widgets: dict[str, list[FindingWidget]] = {}
        self.buttons: dict[str, list[QPushButton]] = {}
        self._rows: dict[FindingWidget, QHBoxLayout] = {}

    def offer(self, widget: FindingWidget) -> None:
        """Give `widget` the button when the user can answer its finding by vouching for the address."""
        trust = self._request.trust
        rcpt = finding_recipient(widget.finding, self._request.message)
        if trust is None or rcpt is None or not can_vouch(widget.finding):
            return
        address = rcpt.address.lower()
        self._widgets.setdefault(address, []).append(widget)
        try:
            vouched = trust.is_vouched(address)
        except UserError:  # an unreadable history: offer the button, the click says what failed
            vouched = False
        if vouched:  # in another dialog, or before the files were protected (a rebuilt checklist)
            self._resolve(widget)
            return
        button = QPushButton(self.tr("This address is correct"))
        button.setAutoDefault(False)
        button.setToolTip(self.tr(
            "Remember %1 as the right address: it is no longer flagged as looking like another one"
        ).replace("%1", address))
        button.setProperty("vouch_address", address)
        button.clicked.connect(self._on_vouch_clicked)
        self.buttons.setdefault(address, []).append(button)
        self._row(widget).addWidget(button)

    @Slot()
    def _on_vouch_clicked(self) -> None:
        button = self.sender()
        if not isinstance(button, QPushButton) or self._request.trust is None:
            return
        address = str(button.property("vouch_address"))
        try:
            self._request.trust.vouch(address)
        except UserError as exc:  # the database is locked or the disk is full: say so, keep the button
            log.warning("could not record %s as correct: %s", address, exc)
            button.setToolTip(self.tr("Could not be recorded: %1").replace("%1", str(exc)))
            return
        for other in self.buttons.pop(address, []):
            other.hide()
            other.deleteLater()
        for widget in self._widgets.get(address, []):
            self._resolve(widget)

    def _row(self, widget: FindingWidget) -> QHBoxLayout:
        """This part's own row at the bottom of the finding's box (made on first use)."""
        line = self._rows.get(widget)
        if line is None:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addStretch(1)
            box = widget.layout()
            if isinstance(box, QBoxLayout):
                box.addWidget(row)
            self._rows[widget] = line
        return line

    def _resolve(self, widget: FindingWidget) -> None:
        """Show the finding as answered; its acknowledgement box (if any) is ticked for the user."""
        widget.setProperty("vouched", True)
        widget.label.setStyleSheet(_RESOLVED_STYLE)
        if widget.ack is not None:  # left enabled: a checklist rebuilt later restores its own ticks
            widget.ack.setChecked(True)
        done = QLabel(self.tr("Marked as the right address: it is not flagged again."))
        done.setWordWrap(True)
        self._row(widget).addWidget(done, 1)
