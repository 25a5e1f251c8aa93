"""The attachment-protection dialog: per file Encrypt (PDF) / ZIP / Send as is / Remove, and the password."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from missend_guard.core.check.context import CheckContext
from missend_guard.core.message.model import Message
from missend_guard.core.protect.encrypt import (
    Choice,
    PlanItem,
    ProtectedMessage,
    ProtectError,
    generate_password,
    password_strength,
    plan,
    protect_message,
)
from missend_guard.texts.findings import protect_error_text, strength_text
from missend_guard.ui.review.model import format_size
from missend_guard.ui.taskman import BackgroundTask, TaskManager

log = logging.getLogger(__name__)

_ENCRYPTING = (Choice.ENCRYPT_PDF, Choice.ENCRYPT_ZIP)


class _FileRow:
    """One file's widgets: name, choice, and a warning when the recipient refuses ZIPs."""

    def __init__(self, item: PlanItem, labels: dict[Choice, str], zip_warning: str) -> None:
        self.item = item
        att = item.attachment
        self.name = QLabel(f"{att.filename} — {format_size(att.size)}")
        self.name.setWordWrap(True)
        self.combo = QComboBox()
        self.combo.setAccessibleName(att.filename)
        for choice in (Choice.ENCRYPT_PDF, Choice.ENCRYPT_ZIP, Choice.SEND_AS_IS, Choice.REMOVE):
            if choice in item.recommendation.options:
                self.combo.addItem(labels[choice], choice.value)
            elif choice is Choice.SEND_AS_IS:
                # Shown but disabled, so the user sees the option exists and why it is off.
                self.combo.addItem(labels[choice], choice.value)
                model = self.combo.model()
                if isinstance(model, QStandardItemModel):
                    entry = model.item(self.combo.count() - 1)
                    entry.setEnabled(False)
        self.combo.setCurrentIndex(self.combo.findData(item.recommendation.choice.value))
        self.warning = QLabel(zip_warning)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #9a4d00;")
        self.update_warning()

    @property
    def choice(self) -> Choice:
        """The current choice."""
        return Choice(self.combo.currentData())

    def offers(self, choice: Choice) -> bool:
        """True when `choice` is available for this file."""
        return choice in self.item.recommendation.options

    def set_choice(self, choice: Choice) -> None:
        """Select `choice` when the file offers it."""
        if self.offers(choice):
            self.combo.setCurrentIndex(self.combo.findData(choice.value))

    def update_warning(self) -> None:
        """Show the ZIP warning only while ZIP is chosen for a refusing recipient."""
        refusing = bool(self.item.recommendation.zip_refused_by)
        self.warning.setVisible(refusing and self.choice is Choice.ENCRYPT_ZIP)


class ProtectDialog(QDialog):
    """Choose what happens to each unprotected file; Apply rebuilds the mail (`result_value`)."""

    def __init__(
        self,
        raw: bytes,
        message: Message,
        context: CheckContext,
        lang: str,
        *,
        tasks: TaskManager,
        fixed_password: str = "",
        password_factory: Callable[[], str] = generate_password,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.raw = raw
        self.lang = lang
        self._tasks = tasks
        self._task: BackgroundTask | None = None  # encrypting, while the buttons are off
        self.items = plan(message, context.policy)
        self.fixed_password = fixed_password
        self._password_factory = password_factory
        self.result_value: tuple[ProtectedMessage, str] | None = None
        self.setWindowTitle(self.tr("Protect attachments"))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self._labels = {
            Choice.ENCRYPT_PDF: self.tr("Encrypt (PDF)"),
            Choice.ENCRYPT_ZIP: self.tr("Encrypt as ZIP"),
            Choice.SEND_AS_IS: self.tr("Send as is"),
            Choice.REMOVE: self.tr("Remove from this mail"),
        }
        layout = QVBoxLayout(self)
        self._init_files(layout)
        self._init_password(layout)
        self._init_buttons(layout)
        self._update()
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 48, self.sizeHint().height())

    # --- construction -------------------------------------------------------------------------

    def _init_files(self, layout: QVBoxLayout) -> None:
        intro = QLabel(self.tr(
            "These files go unencrypted to recipients outside your organisation. Choose what to do "
            "with each file. Tell the recipients the password by phone or chat, never by mail."
        ))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        note = QLabel(self.tr(
            "Many organisations strip or quarantine encrypted ZIP files, so PDF encryption is "
            "offered first for PDFs."
        ))
        note.setWordWrap(True)
        layout.addWidget(note)
        box = self.files_box = QGroupBox(self.tr("Files (%n)", "", len(self.items)))
        grid = QGridLayout(box)
        self.apply_all = QComboBox()
        self.apply_all.addItem(self.tr("Apply to all files…"), "")
        for choice, label in self._labels.items():
            self.apply_all.addItem(label, choice.value)
        self.apply_all.setAccessibleName(self.tr("Apply to all files"))
        self.apply_all.activated.connect(self._on_apply_all)
        if len(self.items) > 1:
            grid.addWidget(self.apply_all, 0, 1)
        self.rows: list[_FileRow] = []
        for item in self.items:
            domains = ", ".join(item.recommendation.zip_refused_by)
            if Choice.ENCRYPT_PDF in item.recommendation.options:
                warning = self.tr(
                    "⚠ %1 may not accept encrypted ZIP files. Prefer PDF encryption or another way "
                    "of sharing."
                )
            else:
                warning = self.tr(
                    "⚠ %1 may not accept encrypted ZIP files. Consider sharing this file another "
                    "way, such as your organisation's file-sharing service."
                )
            warning = warning.replace("%1", domains)
            row = _FileRow(item, self._labels, warning)
            row.combo.currentIndexChanged.connect(self._update)
            line = 1 + 2 * len(self.rows)
            grid.addWidget(row.name, line, 0)
            grid.addWidget(row.combo, line, 1)
            grid.addWidget(row.warning, line + 1, 0, 1, 2)
            self.rows.append(row)
        grid.setColumnStretch(0, 1)
        layout.addWidget(box)
        self.required_label = QLabel(self.tr(
            "Your organisation requires files sent outside to be protected, so “Send as is” is "
            "not available."
        ))
        self.required_label.setWordWrap(True)
        self.required_label.setVisible(any(not i.recommendation.send_as_is_allowed for i in self.items))
        layout.addWidget(self.required_label)
        self.as_is_ack = QCheckBox(self.tr(
            "I understand that the files marked “Send as is” go out unencrypted; this is recorded "
            "in the audit log"
        ))
        self.as_is_ack.toggled.connect(self._update)
        layout.addWidget(self.as_is_ack)
        if not self.items:
            layout.addWidget(QLabel(self.tr("There is no unprotected file going outside.")))

    def _init_password(self, layout: QVBoxLayout) -> None:
        self.password_box = QGroupBox(self.tr("Password"))
        box = QVBoxLayout(self.password_box)
        self.generated_edit = QLineEdit(self.fixed_password or self._password_factory())
        self.generated_edit.setReadOnly(True)
        self.generated_edit.setAccessibleName(self.tr("Generated password"))
        self.regenerate_button = QPushButton(self.tr("&Regenerate"))
        self.regenerate_button.setAutoDefault(False)
        self.regenerate_button.clicked.connect(self._on_regenerate)
        self.generated_radio = QRadioButton(self.tr("Use a &generated password"))
        self.own_radio = QRadioButton(self.tr("Use &my own password"))
        group = QButtonGroup(self)
        group.addButton(self.generated_radio)
        group.addButton(self.own_radio)
        self.generated_radio.setChecked(True)
        self.own_edit = QLineEdit()
        self.own_edit.setAccessibleName(self.tr("Your password"))
        self.strength_label = QLabel()
        self.strength_label.setWordWrap(True)
        self.own_edit.textChanged.connect(self._update)
        self.own_radio.toggled.connect(self._update)
        same = QLabel(self.tr(
            "The files already protected in this mail use this password, so it is used again."
        ))
        same.setWordWrap(True)
        box.addWidget(same)
        box.addWidget(self.generated_radio)
        generated = QHBoxLayout()
        generated.addWidget(self.generated_edit, 1)
        generated.addWidget(self.regenerate_button)
        box.addLayout(generated)
        box.addWidget(self.own_radio)
        box.addWidget(self.own_edit)
        box.addWidget(self.strength_label)
        # One mail, one password: a second pass reuses the first one.
        same.setVisible(bool(self.fixed_password))
        for widget in (self.generated_radio, self.regenerate_button, self.own_radio, self.own_edit,
                       self.strength_label):
            widget.setVisible(not self.fixed_password)
        layout.addWidget(self.password_box)

    def _init_buttons(self, layout: QVBoxLayout) -> None:
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton(
            self.tr("&Apply"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self._on_apply_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    # --- state ----------------------------------------------------------------------------------

    def choices(self) -> dict[int, Choice]:
        """Attachment index → what the user chose."""
        return {row.item.index: row.choice for row in self.rows}

    def password(self) -> str:
        """The password that will protect the files."""
        if self.fixed_password:
            return self.fixed_password
        return self.own_edit.text() if self.own_radio.isChecked() else self.generated_edit.text()

    def _encrypting(self) -> bool:
        return any(c in _ENCRYPTING for c in self.choices().values())

    @Slot()
    def _update(self) -> None:
        for row in self.rows:
            row.update_warning()
        as_is = any(c is Choice.SEND_AS_IS for c in self.choices().values())
        self.as_is_ack.setVisible(as_is)
        encrypting = self._encrypting()
        self.password_box.setEnabled(encrypting)
        own = self.own_radio.isChecked()
        self.own_edit.setEnabled(own)
        self.generated_edit.setEnabled(not own or bool(self.fixed_password))
        self.regenerate_button.setEnabled(not own)
        if own and not self.fixed_password:
            strength = password_strength(self.own_edit.text())
            self.strength_label.setText(strength_text(strength.level, strength.reasons, self.lang))
        else:
            self.strength_label.setText("")
        ready = bool(self.rows) and (not as_is or self.as_is_ack.isChecked())
        self.apply_button.setEnabled(ready and (not encrypting or bool(self.password())))

    @Slot(int)
    def _on_apply_all(self, index: int) -> None:
        value = self.apply_all.itemData(index)
        if value:
            for row in self.rows:
                row.set_choice(Choice(value))
        self.apply_all.setCurrentIndex(0)

    @Slot()
    def _on_regenerate(self) -> None:
        self.generated_edit.setText(self._password_factory())

    def show_error(self, text: str) -> None:
        """Show a problem in the dialog (it stays open)."""
        self.error_label.setText(text)
        self.error_label.setVisible(True)

    @Slot()
    def _on_apply_clicked(self) -> None:
        self._update()
        if not self.apply_button.isEnabled() or self._task is not None:
            return
        password = self.password() if self._encrypting() else ""
        # About 2 s for 15 MB of files: on a worker, so the windows keep painting meanwhile.
        self._set_busy(True)
        self._task = self._tasks.run_in_background(
            partial(protect_message, self.raw, self.choices(), password),
            partial(self._on_protected, password), self._on_protect_failed,
            progress=self.tr("Protecting the files…"), owner=self,
        )

    def _on_protected(self, password: str, result: ProtectedMessage) -> None:
        self._task = None
        self.result_value = (result, password)
        self.accept()

    def _on_protect_failed(self, exc: Exception) -> None:
        self._task = None
        self._set_busy(False)
        if isinstance(exc, ProtectError):
            self.show_error(protect_error_text(exc.code, self.lang))
        else:  # our bug: keep the review alive, the traceback goes to the log
            log.error("protecting the attachments failed", exc_info=exc)
            self.show_error(protect_error_text("rebuild-failed", self.lang))

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.files_box, self.as_is_ack, self.password_box, self.buttons):
            widget.setEnabled(not busy)
        if not busy:
            self._update()

    @property
    def busy(self) -> bool:
        """True while the files are being protected."""
        return self._task is not None

    def done(self, result: int) -> None:
        """Closing while the files are being protected forgets that work (nothing is applied)."""
        task, self._task = self._task, None
        if task is not None:
            task.discard()
        super().done(result)

