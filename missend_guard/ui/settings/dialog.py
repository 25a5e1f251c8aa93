"""The settings dialog, generated from the declarative SETTINGS table; admin-locked keys are read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from missend_guard.core.ports.history import RecipientTrust
from missend_guard.storage.settings.store import (
    SETTING_GROUPS,
    SETTINGS,
    Settings,
    SettingsError,
    SettingSpec,
)
from missend_guard.texts import catalog
from missend_guard.ui.icons import resource_path
from missend_guard.ui.settings.accounts_page import AccountActions, AccountsPage
from missend_guard.ui.settings.history_page import HistoryPage
from missend_guard.ui.taskman import TaskManager

Editor = QCheckBox | QSpinBox | QLineEdit | QPlainTextEdit | QComboBox
_INT_MAX = 2**31 - 1


class SettingsDialog(QDialog):
    """One tab per settings group plus Accounts; emits `settings_saved` with the new snapshot."""

    settings_saved = Signal(object)  # Settings

    def __init__(
        self,
        settings: Settings,
        lang: str,
        save: Callable[[Settings], None],
        account_actions: AccountActions | None = None,
        parent: QWidget | None = None,
        *,
        tasks: TaskManager,
        history: RecipientTrust | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.lang = lang
        self._save = save
        self.editors: dict[str, Editor] = {}
        self.setWindowTitle(self.tr("Missend Guard settings"))
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self._init_pages()
        self.accounts_page = AccountsPage(settings.accounts, account_actions, tasks)
        self.tabs.addTab(self.accounts_page, self.tr("Accounts"))
        self.history_page: HistoryPage | None = None
        if history is not None:  # Forget an address or domain (the running app's sent history)
            self.history_page = HistoryPage(history, int(settings.get("trust_after_days")))
            self.tabs.addTab(self.history_page, self.tr("Sent history"))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 66, em * 46)

    def _init_pages(self) -> None:
        for group in SETTING_GROUPS:
            specs = [s for s in SETTINGS if s.group == group.key]
            if not specs:
                continue
            page = QWidget()
            form = QFormLayout(page)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for spec in specs:
                self._add_row(form, spec)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.tabs.addTab(scroll, catalog.text(f"setting-group.{group.key}", self.lang))

    def _add_row(self, form: QFormLayout, spec: SettingSpec) -> None:
        label_text = catalog.text(f"setting.{spec.key}.label", self.lang)
        description = catalog.text(f"setting.{spec.key}.description", self.lang)
        editor = self._editor(spec, self.settings.get(spec.key))
        editor.setToolTip(description)
        editor.setObjectName(spec.key)
        self.editors[spec.key] = editor
        label = QLabel(label_text)
        label.setToolTip(description)
        label.setWordWrap(True)
        label.setBuddy(editor)
        if spec.key in self.settings.locked:
            editor.setEnabled(False)
            why = self.tr("Set by your administrator")
            editor.setToolTip(f"{why}\n{description}")
            lock = QLabel()
            size = self.fontMetrics().height()
            lock.setPixmap(QIcon(resource_path("lock.svg")).pixmap(size, size))
            lock.setToolTip(why)
            lock.setAccessibleName(why)
            lock.setObjectName(f"lock-{spec.key}")
            row = QHBoxLayout()
            row.addWidget(editor, 1)
            row.addWidget(lock)
            form.addRow(label, row)
        else:
            form.addRow(label, editor)

    def _editor(self, spec: SettingSpec, value: Any) -> Editor:
        if spec.type == "bool":
            check = QCheckBox()
            check.setChecked(bool(value))
            return check
        if spec.type == "int":
            spin = QSpinBox()
            spin.setRange(spec.minimum if spec.minimum is not None else 0,
                          spec.maximum if spec.maximum is not None else _INT_MAX)
            spin.setValue(int(value))
            return spin
        if spec.type == "choice":
            combo = QComboBox()
            for choice in spec.choices or ():
                combo.addItem(self._choice_label(spec.key, choice), choice)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            return combo
        if spec.type == "list[str]":
            text = QPlainTextEdit("\n".join(str(v) for v in value))
            text.setTabChangesFocus(True)
            text.setPlaceholderText(self.tr("One entry per line"))
            lines = self.fontMetrics().lineSpacing()
            text.setMinimumHeight(lines * 4)
            text.setMaximumHeight(lines * 8)
            return text
        return QLineEdit(str(value))

    def _choice_label(self, key: str, choice: str) -> str:
        if key == "language":
            return {"": self.tr("Same as the system"), "ja": "日本語", "en": "English"}.get(choice, choice)
        return choice

    def values(self) -> dict[str, Any]:
        """The editors' current values, typed as the table says."""
        out: dict[str, Any] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                out[key] = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                out[key] = editor.value()
            elif isinstance(editor, QComboBox):
                out[key] = editor.currentData()
            elif isinstance(editor, QPlainTextEdit):
                out[key] = [ln.strip() for ln in editor.toPlainText().splitlines() if ln.strip()]
            else:
                out[key] = editor.text()
        return out

    @Slot()
    def _on_save_clicked(self) -> None:
        changed = {
            k: v for k, v in self.values().items()
            if k not in self.settings.locked and _differs(v, self.settings.get(k))
        }
        try:
            new = self.settings.with_changes(**changed).with_accounts(self.accounts_page.accounts())
            self._save(new)
        except (SettingsError, OSError) as exc:
            self.error_label.setText(str(exc))
            self.error_label.setVisible(True)
            return
        self.settings = new
        self.settings_saved.emit(new)
        self.accept()


def _differs(value: Any, current: Any) -> bool:
    if isinstance(value, list):
        return tuple(value) != tuple(current)
    return bool(value != current)
