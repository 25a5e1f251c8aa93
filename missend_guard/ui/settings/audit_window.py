"""The audit log window: recent decisions and deliveries in a filterable table, exported as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

AuditRows = Callable[[], Sequence[Mapping[str, Any]]]
COLUMNS = ("time", "kind", "subject", "recipients", "codes", "decision", "decided_by", "detail")


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def rows_to_csv(rows: Sequence[Sequence[str]]) -> str:
    """CSV text with a BOM so Excel on Japanese Windows reads it as UTF-8, not CP932."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


class AuditWindow(QDialog):
    """Non-modal; `reload()` re-reads the log (rows as `SqliteAuditLog.to_json` gives them)."""

    def __init__(self, load_rows: AuditRows, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load_rows = load_rows
        self.setWindowTitle(self.tr("Missend Guard audit log"))
        layout = QVBoxLayout(self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter (any column)"))
        self.filter.setClearButtonEnabled(True)
        label = QLabel(self.tr("&Filter:"))
        label.setBuddy(self.filter)
        layout.addWidget(label)
        layout.addWidget(self.filter)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        headers = (
            self.tr("Time (UTC)"), self.tr("Event"), self.tr("Subject"), self.tr("Recipients"),
            self.tr("Findings"), self.tr("Decision"), self.tr("By"), self.tr("Detail"),
        )
        self.model.setHorizontalHeaderLabels(list(headers))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton(
            self.tr("&Export CSV…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.reload_button = buttons.addButton(
            self.tr("&Reload"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.export_button.clicked.connect(self._on_export_clicked)
        self.reload_button.clicked.connect(self.reload)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 70, em * 35)
        self.reload()

    @Slot()
    def reload(self) -> None:
        """Re-read the log, newest first."""
        self.model.removeRows(0, self.model.rowCount())
        for row in reversed(list(self._load_rows())):
            items = [QStandardItem(_cell(row.get(c))) for c in COLUMNS]
            self.model.appendRow(items)
        self.table.resizeColumnsToContents()

    def visible_rows(self) -> list[list[str]]:
        """Rows that pass the filter, in display order."""
        return [
            [self.proxy.index(r, c).data() or "" for c in range(len(COLUMNS))]
            for r in range(self.proxy.rowCount())
        ]

    def export(self, path: str) -> None:
        """Write the filtered rows to `path` as CSV."""
        Path(path).write_text(rows_to_csv(self.visible_rows()), encoding="utf-8")

    @Slot()
    def _on_export_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Export audit log"), "missend-guard-audit.csv", "CSV (*.csv)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(self._on_export_file_selected)
        dialog.open()

    @Slot(str)
    def _on_export_file_selected(self, path: str) -> None:
        try:
            self.export(path)
        except OSError as exc:
            self.filter.setToolTip(str(exc))
