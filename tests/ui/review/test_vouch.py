"""*This address is correct* on a look-alike finding: recorded through the trust port, resolved on screen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from missend_guard.core.ports.history import HistoryEntry
from missend_guard.core.ports.outbox import StorageError
from missend_guard.ui.review.dialog import ReviewDialog
from missend_guard.ui.review.model import build_model
from missend_guard.ui.review.widgets import FindingWidget
from tests.helpers import samples

TYPO = "hanako.sato@abc-tradlng.co.jp"


class FakeTrust:
    """RecipientTrust in memory; `broken` makes every vouch fail like a locked database."""

    def __init__(self, vouched: Iterable[str] = (), *, broken: bool = False) -> None:
        self.vouched = list(vouched)
        self.broken = broken

    def mark_suspect(self, names: Iterable[str]) -> None:
        pass

    def vouch(self, address: str) -> None:
        if self.broken:
            raise StorageError("the sent history is locked")
        self.vouched.append(address)

    def is_vouched(self, address: str) -> bool:
        return address in self.vouched

    def forget(self, name: str) -> list[str]:
        return []

    def entries(self) -> list[HistoryEntry]:
        return []


def _dialog(qtbot, trust: FakeTrust | None) -> ReviewDialog:
    request = replace(samples.request(), trust=trust)
    dialog = ReviewDialog(build_model(request, None, lambda d: d == "example.co.jp"), "en")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def _finding(dialog: ReviewDialog, code: str) -> FindingWidget:
    return next(w for w in dialog.findChildren(FindingWidget) if w.finding.code == code)


def _vouch_buttons(widget: FindingWidget) -> list[QPushButton]:
    return [b for b in widget.findChildren(QPushButton)
            if b.property("vouch_address") and b.isVisibleTo(widget)]


def test_vouching_records_the_address_and_resolves_the_finding(qtbot):
    trust = FakeTrust()
    dialog = _dialog(qtbot, trust)
    lookalike = _finding(dialog, "lookalike-domain")
    [button] = _vouch_buttons(lookalike)
    assert button.text() == "This address is correct"
    assert not _vouch_buttons(_finding(dialog, "first-time-recipient"))  # a new address: nothing to vouch
    assert lookalike.ack is not None
    assert not lookalike.ack.isChecked()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert trust.vouched == [TYPO]
    assert lookalike.property("vouched") is True
    assert lookalike.ack.isChecked()  # the look-alike warning is answered
    assert not _vouch_buttons(lookalike)
    for check in dialog.checkboxes:
        if check is not lookalike.ack:
            check.setChecked(True)
    assert dialog.send_button.isEnabled()


def test_an_address_vouched_elsewhere_shows_as_answered(qtbot):
    dialog = _dialog(qtbot, FakeTrust([TYPO]))
    lookalike = _finding(dialog, "lookalike-domain")
    assert lookalike.property("vouched") is True
    assert lookalike.ack is not None
    assert lookalike.ack.isChecked()
    assert not _vouch_buttons(lookalike)


def test_a_vouch_that_cannot_be_recorded_leaves_the_warning_open(qtbot):
    trust = FakeTrust(broken=True)
    dialog = _dialog(qtbot, trust)
    lookalike = _finding(dialog, "lookalike-domain")
    [button] = _vouch_buttons(lookalike)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert lookalike.property("vouched") is None
    assert lookalike.ack is not None
    assert not lookalike.ack.isChecked()
    assert "locked" in button.toolTip()


def test_no_trust_port_no_button(qtbot):
    dialog = _dialog(qtbot, None)
    assert not _vouch_buttons(_finding(dialog, "lookalike-domain"))
