"""The city's problem list before it is imported: which sheet was read, how each column is read (the
column-mapping step, remembered for the next list with the same headers), one value for a column the list
lacks, every refused row and the tasks that arrive already 销号 — then Import.

Everything shown comes from the file: plain text only, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import enums
from core.excel.columns import LABELS, MAPPABLE
from core.excel.importer import MAX_ROW_ERRORS
from ui.background import Progress, run_in_background
from ui.guide import add_help
from ui.messages import fill, plain, show_error
from ui.sizes import resize_to_fit

# Columns a list often lacks, offered for one value for all rows (source and category from their lists).
DEFAULTABLE = ("source", "category", "owner", "deadline", "section", "leader", "batch")
SHOWN_ERRORS = 300

Reader = Callable[[Any, dict[str, str] | None, dict[str, str] | None], Any]  # (sheet, mapping, defaults) -> Preview


class ExcelImportDialog(QDialog):
    def __init__(self, path: Path, preview: Any, reader: Reader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.preview = preview
        self.reader = reader
        self.mapping: dict[str, str] | None = None  # set once the clerk changed how a column is read
        self.dirty = False  # changed since the last reading: Import reads again first
        self.last_job: Any = None
        self.setWindowTitle(self.tr("Import a problem list"))
        resize_to_fit(self, 1040, 700)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(plain(QLabel(self.path.name)), 1)
        top.addWidget(QLabel(self.tr("Sheet:")))
        self.sheet = QComboBox()
        self.sheet.setMinimumWidth(160)
        self.sheet.activated.connect(lambda _i: self.check_again())
        top.addWidget(self.sheet)
        layout.addLayout(top)

        middle = QHBoxLayout()
        columns_box = QGroupBox(self.tr("How each column is read"))
        columns_layout = QVBoxLayout(columns_box)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Column in the file"), self.tr("Read as"),
                                              self.tr("First row")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        columns_layout.addWidget(self.table)
        self.remember = QCheckBox(self.tr("Remember for lists with the same column headers"))
        self.remember.setChecked(True)
        columns_layout.addWidget(self.remember)
        middle.addWidget(columns_box, 3)

        self.defaults_box = QGroupBox(self.tr("Columns the list lacks: one value for all rows"))
        self.defaults_form = QFormLayout(self.defaults_box)
        self.default_inputs: dict[str, QComboBox] = {}
        right = QVBoxLayout()
        right.addWidget(self.defaults_box)
        self.check_button = QPushButton(self.tr("Check again"))
        self.check_button.clicked.connect(self.check_again)
        right.addWidget(self.check_button)
        right.addStretch(1)
        middle.addLayout(right, 2)
        layout.addLayout(middle, 3)

        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        layout.addWidget(self.summary, 2)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "excel")
        layout.addWidget(buttons)
        self.show_preview(preview)

    # -- showing a preview ----------------------------------------------------------------------------
    def show_preview(self, preview: Any) -> None:
        self.preview = preview
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItems(preview.sheets or [preview.sheet])
        self.sheet.setCurrentText(preview.sheet)
        self.sheet.setEnabled(len(preview.sheets) > 1)
        self.sheet.blockSignals(False)
        self._fill_columns(preview)
        self._fill_defaults(preview)
        self.summary.setPlainText(self.summary_text(preview))
        n = len(preview.importable)
        self.import_button.setText(fill(self.tr("Import %1 rows"), str(n)))
        self.import_button.setEnabled(n > 0)

    def _fill_columns(self, preview: Any) -> None:
        headers = list(preview.headers)
        self.table.setRowCount(0)
        self.combos: list[tuple[str, QComboBox]] = []
        for col, text in enumerate(headers):
            if not text:
                continue
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, QTableWidgetItem(text))
            combo = QComboBox()
            combo.addItem(self.tr("(not imported)"), "")
            for key in MAPPABLE:
                combo.addItem(LABELS[key], key)
            combo.setCurrentIndex(max(0, combo.findData(preview.column_fields.get(col, ""))))
            combo.setMinimumWidth(130)
            combo.activated.connect(lambda _i: self._mapping_changed())
            self.table.setCellWidget(row, 1, combo)
            sample = preview.first_values[col] if col < len(preview.first_values) else ""
            self.table.setItem(row, 2, QTableWidgetItem(sample.replace("\n", " ")))
            self.combos.append((text, combo))
        self.table.resizeColumnToContents(1)

    def _fill_defaults(self, preview: Any) -> None:
        kept = {k: self._default_text(k) for k in self.default_inputs}
        while self.defaults_form.rowCount():
            self.defaults_form.removeRow(0)
        self.default_inputs = {}
        lacking = [k for k in DEFAULTABLE if k not in preview.columns]
        for key in lacking:
            box = QComboBox()
            box.setEditable(True)
            box.addItem("")
            if key == "source":
                box.addItems(list(enums.SOURCES.values()))
            elif key == "category":
                box.addItems(list(enums.CATEGORIES.values()))
            box.setCurrentText(preview.defaults.get(key, kept.get(key, "")))
            box.currentTextChanged.connect(lambda _t: self._set_dirty())
            self.defaults_form.addRow(plain(QLabel(LABELS[key])), box)
            self.default_inputs[key] = box
        if not lacking:
            self.defaults_form.addRow(QLabel(self.tr("The list has every column.")))

    def _default_text(self, key: str) -> str:
        box = self.default_inputs.get(key)
        return box.currentText().strip() if box is not None else ""

    def _mapping_changed(self) -> None:
        self.mapping = {text: combo.currentData() or "" for text, combo in self.combos}
        self._set_dirty()

    def _set_dirty(self) -> None:
        self.dirty = True
        self.import_button.setText(self.tr("Check and import"))
        self.import_button.setEnabled(True)

    def accept(self) -> None:
        if self.dirty:  # what is imported is always what the clerk last saw checked
            self.check_again()
            return
        super().accept()

    def summary_text(self, preview: Any) -> str:
        lines = [fill(self.tr("Sheet “%1”, header in row %2."), preview.sheet, str(preview.header_row))
                 + (" " + fill(self.tr("The file has %1 sheets: %2 (pick another above)."), str(len(preview.sheets)),
                               "、".join(preview.sheets)) if len(preview.sheets) > 1 else ""),
                 fill(self.tr("“%1”: %2 problem rows, %3 can be imported."), self.path.name, str(preview.row_count),
                      str(len(preview.importable)))]
        if preview.unrecognised:
            lines.append(fill(self.tr("Columns not recognised (not imported): %1. Choose above how to read them."),
                              "、".join(preview.unrecognised)))
        for key, value in preview.defaults.items():
            lines.append(fill(self.tr("“%1” for every row: %2"), LABELS.get(key, key), value))
        closed = preview.arriving_closed
        if closed:
            lines.append(fill(self.tr("%1 tasks arrive already closed (销号): rows %2"), str(len(closed)),
                              "、".join(str(r.row) for r in closed[:30]) + ("…" if len(closed) > 30 else "")))
        lines += list(preview.notes)
        errors = preview.errors
        lines += [fill(self.tr("Row %1 [%2]: %3"), str(e.row), e.column, e.reason) for e in errors[:SHOWN_ERRORS]]
        hidden = len(errors) - SHOWN_ERRORS + preview.more_errors
        if hidden > 0:
            lines.append(fill(self.tr("… and %1 more problems (only the first %2 are listed)."), str(hidden),
                              str(min(SHOWN_ERRORS, MAX_ROW_ERRORS))))
        lines += [fill(self.tr("Row %1: %2, skipped."), str(d.row), d.reason) for d in preview.duplicates[:100]]
        return "\n".join(lines)

    # -- reading again --------------------------------------------------------------------------------
    @property
    def defaults(self) -> dict[str, str]:
        return {k: t for k in self.default_inputs if (t := self._default_text(k))}

    def check_again(self) -> None:
        sheet = self.sheet.currentText() or None
        same_sheet = sheet == self.preview.sheet
        mapping = self.mapping if same_sheet else None
        defaults = self.defaults
        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)

        def task(_p: Progress) -> Any:
            return self.reader(sheet, mapping, defaults)

        def done(preview: Any) -> None:
            self.check_button.setEnabled(True)
            self.dirty = False
            if not same_sheet:
                self.mapping = None
            self.show_preview(preview)

        def failed(exc: BaseException) -> None:
            self.check_button.setEnabled(True)
            self.sheet.setCurrentText(self.preview.sheet)  # what is shown is still the sheet read before
            self.import_button.setEnabled(bool(self.preview.importable))
            show_error(self, exc)

        self.last_job = run_in_background(self, task, done, failed, title=self.tr("Reading the problem list…"))
