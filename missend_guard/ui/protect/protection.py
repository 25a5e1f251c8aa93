"""Protection during review: what it needs, what it did to one mail, and the Protect… step itself

(the protection dialog, then the rebuilt mail re-checked on a worker while the review waits).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QDialog, QWidget

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext
from missend_guard.core.check.findings import Report
from missend_guard.core.message.model import Message, parse_message
from missend_guard.core.ports.review import ReviewNote, ReviewRequest
from missend_guard.core.protect.content_findings import carry_content_findings
from missend_guard.core.protect.encrypt import Choice, ProtectedMessage, generate_password
from missend_guard.core.rules import Rule
from missend_guard.core.rules.password import with_own_password
from missend_guard.core.rules.registry import ALL_RULES
from missend_guard.texts.findings import protect_error_text
from missend_guard.ui.protect.dialog import ProtectDialog
from missend_guard.ui.protect.password_window import Handoff
from missend_guard.ui.review.model import ReviewModel, build_model
from missend_guard.ui.taskman import BackgroundTask, TaskManager

log = logging.getLogger(__name__)

_ENCRYPTING = (Choice.ENCRYPT_PDF, Choice.ENCRYPT_ZIP)


@dataclass(frozen=True)
class Protection:
    """What the review dialog needs to protect files and re-check the rebuilt mail (off the GUI thread)."""

    tasks: TaskManager
    build_model: Callable[[ReviewRequest], ReviewModel] = build_model  # the bridge adds lookups
    check: Callable[[Message, CheckContext, Sequence[Rule]], Report] = check
    password_factory: Callable[[], str] = generate_password


@dataclass
class ProtectionState:
    """What protection did to one mail so far (the user may protect in several passes)."""

    password: str = field(default="", repr=False)
    _notes: dict[str, ReviewNote] = field(default_factory=dict)  # keyed by the original file name
    files: list[str] = field(default_factory=list)  # encrypted files as they are now named

    def record(self, result: ProtectedMessage, password: str) -> None:
        """Remember one pass; a later choice for the same file replaces an earlier one."""
        for note in result.notes():
            self._notes[note.file_name] = note
        for action in result.actions:
            if action.choice in _ENCRYPTING:
                self.files.append(action.new_filename or action.filename)
        if any(a.choice in _ENCRYPTING for a in result.actions):
            self.password = password

    def notes(self) -> tuple[ReviewNote, ...]:
        """The Decision's notes: one per file, its last choice (never the password)."""
        return tuple(self._notes.values())

    def handoff(self, request: ReviewRequest) -> Handoff | None:
        """What the password window needs once the mail is sent (None when nothing was encrypted)."""
        if not self.password:
            return None
        message = request.message
        return Handoff(message.message_id, message.subject, tuple(request.envelope.rcpt_tos),
                       tuple(self.files), self.password)


def recheck(
    protection: Protection, request: ReviewRequest, protected: ProtectedMessage, password: str
) -> ReviewModel:
    """Parse and check the rebuilt mail the way the gate does, with `password` counted as protecting it.

    What an encrypted file still contains (a hidden sheet, tracked changes) stays on its row: the
    re-check cannot look inside, the recipient will. Any thread: the context is the one `request`
    was checked with.
    """
    if request.context is None:
        raise ValueError("the mail was checked without a context: nothing to re-check it against")
    message = parse_message(protected.raw, request.envelope.rcpt_tos)
    report = protection.check(message, request.context, with_own_password(ALL_RULES, password))
    report = carry_content_findings(request.report, report, message, protected.actions)
    return protection.build_model(replace(request, message=message, report=report))



class ProtectStep(QObject):
    """One review's protection passes. Signals, all on the GUI thread, tell the review what to show."""

    busy_changed = Signal(bool)  # the re-check runs: the review's buttons are off meanwhile
    rechecked = Signal(object, object)  # ReviewModel of the protected mail, its bytes
    failed = Signal(str)  # why the protected mail is not shown (the review keeps the mail as it was)

    def __init__(self, protection: Protection, state: ProtectionState, lang: str, window: QWidget) -> None:
        super().__init__(window)
        self._protection = protection
        self._state = state
        self._lang = lang
        self._window = window
        self.dialog: ProtectDialog | None = None
        self._request: ReviewRequest | None = None  # the mail the open dialog protects
        self._task: BackgroundTask | None = None

    @property
    def busy(self) -> bool:
        """True while the protected mail is being re-checked."""
        return self._task is not None

    def open(self, request: ReviewRequest, raw: bytes) -> None:
        """Show the protection dialog for the mail as it is now (`raw`, after earlier passes)."""
        if request.context is None or self.dialog is not None or self.busy:
            return
        message = parse_message(raw, request.envelope.rcpt_tos)
        self.dialog = ProtectDialog(
            raw, message, request.context, self._lang, tasks=self._protection.tasks,
            fixed_password=self._state.password, password_factory=self._protection.password_factory,
            parent=self._window,
        )
        self.dialog.finished.connect(self._on_dialog_finished)
        self._request = request
        self.dialog.open()

    def close(self) -> None:
        """The review closes: the protection dialog goes, a running re-check is forgotten."""
        if self.dialog is not None:
            self.dialog.reject()
        task, self._task = self._task, None
        if task is not None:
            task.discard()

    @Slot(int)
    def _on_dialog_finished(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        request, self._request = self._request, None
        if dialog is None or request is None:
            return
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted or dialog.result_value is None:
            return
        protected, password = dialog.result_value
        # A pass that encrypts nothing keeps the mail's password; one that does uses the same one.
        self._task = self._protection.tasks.run_in_background(
            partial(recheck, self._protection, request, protected, password or self._state.password),
            partial(self._on_rechecked, protected, password), self._on_recheck_failed,
            progress=self.tr("Checking the protected mail…"), owner=self._window,
        )
        self.busy_changed.emit(True)

    def _on_rechecked(self, protected: ProtectedMessage, password: str, model: ReviewModel) -> None:
        self._task = None
        self._state.record(protected, password)
        self.busy_changed.emit(False)
        self.rechecked.emit(model, protected.raw)

    def _on_recheck_failed(self, exc: Exception) -> None:
        self._task = None
        log.error("re-checking the protected mail failed", exc_info=exc)  # our bug: traceback to the log
        self.busy_changed.emit(False)
        self.failed.emit(protect_error_text("rebuild-failed", self._lang))
