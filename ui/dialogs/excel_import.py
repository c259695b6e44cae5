"""The city's problem list before it is imported: which sheet was read, how each column is read (the
column-mapping step, remembered for the next list with the same headers), one value for a column the list
lacks, every refused row and the tasks that arrive already 销号 — then Import.

The Rows tab lists every row with its closest 相似问题 (looked up in the background, the rows on screen
first); choosing a row shows the similar past tasks and library entries beside it (the task editor's
SimilarPanel), and one click copies a suggestion's measures and nodes into that row's task.

Everything shown comes from the file: plain text only, never markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
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
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import enums
from core.excel.columns import LABELS, MAPPABLE
from core.excel.importer import MAX_ROW_ERRORS, RowPlan, row_plan, row_problems, set_row_plan
from ui.background import Progress, run_in_background
from ui.guide import add_help
from ui.messages import fill, plain, show_error
from ui.sizes import resize_to_fit

# Columns a list often lacks, offered for one value for all rows (source and category from their lists).
DEFAULTABLE = ("source", "category", "owner", "deadline", "section", "leader", "batch")
SHOWN_ERRORS = 300

Reader = Callable[[Any, dict[str, str] | None, dict[str, str] | None], Any]  # (sheet, mapping, defaults) -> Preview


Index = QModelIndex | QPersistentModelIndex


class PreviewRows(QAbstractTableModel):
    """The list's rows as read: row number, problem, whether it is imported, its closest similar problem and the
    plan copied into it."""

    ROW, PROBLEM, STATE, SIMILAR, COPIED = range(5)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self.at: dict[int, int] = {}  # row number -> index
        self.best: Any = lambda _row: None  # row number -> its suggestions (None while looked up)
        self.asked = False  # whether similar problems are looked up at all

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.at = {r.row: i for i, r in enumerate(rows)}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Row"), self.tr("Problem"), self.tr("Imported"), self.tr("Similar"),
                self.tr("Copied from"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.ToolTipRole:  # the file's text, always as rich text and so always escaped
            text = self.data(index)
            return "<p>" + html.escape(text) + "</p>" if text else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        r = self.rows[index.row()]
        col = index.column()
        if col == self.ROW:
            return str(r.row)
        if col == self.PROBLEM:
            return r.values.get("title", "")
        if col == self.STATE:
            if r.errors:
                return self.tr("No: ") + "；".join(e.reason for e in r.errors[:3])
            return self.tr("No: already in the ledger") if r.duplicate else self.tr("Yes")
        if col == self.SIMILAR:
            if not r.ok or not self.asked:
                return ""
            found = self.best(r.row)
            if found is None:
                return "…"
            if not found:
                return self.tr("(none)")
            from ui.dialogs.similar_panel import SimilarPanel

            return SimilarPanel.label(found[0])
        return r.plan.taken_from if r.plan else ""

    def changed(self, keys: list[Any]) -> None:
        """Suggestions or plans of these rows (row numbers) changed."""
        found = [self.at[k] for k in keys if k in self.at]
        if found:  # one signal for the chunk's span: the view repaints only what it shows of it
            self.dataChanged.emit(self.index(min(found), self.SIMILAR), self.index(max(found), self.COPIED))


class ExcelImportDialog(QDialog):
    def __init__(self, path: Path, preview: Any, reader: Reader, parent: QWidget | None = None,
                 ctx: Any = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.preview = preview
        self.reader = reader
        self.ctx = ctx  # with it, each row's similar problems are looked up and can be copied
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
        self.tabs = QTabWidget()
        columns_page = QWidget()
        columns_page.setLayout(middle)
        self.tabs.addTab(columns_page, self.tr("Columns"))
        self.tabs.addTab(self._rows_page(), self.tr("Rows and similar problems"))
        layout.addWidget(self.tabs, 4)

        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        layout.addWidget(self.summary, 1)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "excel")
        layout.addWidget(buttons)
        self.show_preview(preview)
        # the mapping step first when a column is not understood; else the rows with their similar problems
        self.tabs.setCurrentIndex(0 if preview.unrecognised or preview.missing else 1)

    # -- rows and their similar problems ----------------------------------------------------------------
    def _rows_page(self) -> QWidget:
        page = QSplitter()
        left = QWidget()
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        self.rows_model = PreviewRows(self)
        self.rows_view = QTableView()
        self.rows_view.setModel(self.rows_model)
        self.rows_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rows_view.verticalHeader().setVisible(False)
        self.rows_view.setWordWrap(False)
        header = self.rows_view.horizontalHeader()
        header.setSectionResizeMode(PreviewRows.PROBLEM, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PreviewRows.SIMILAR, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(PreviewRows.ROW, 44)
        header.resizeSection(PreviewRows.STATE, 56)
        header.resizeSection(PreviewRows.COPIED, 96)
        self.rows_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.rows_view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._row_chosen(cur.row()))
        self.rows_view.verticalScrollBar().valueChanged.connect(lambda _v: self._prefer_visible())
        box.addWidget(self.rows_view)
        self.plan_label = plain(QLabel())
        self.plan_label.setWordWrap(True)
        box.addWidget(self.plan_label)
        page.addWidget(left)
        self.similar: Any = None
        self.suggester: Any = None
        if self.ctx is not None:
            from ui.dialogs.similar_panel import BatchSuggestions, SimilarPanel

            self.suggester = BatchSuggestions(self.ctx, self)
            self.suggester.arrived.connect(self._suggestions_arrived)
            self.finished.connect(lambda _result: self.suggester.stop())
            self.rows_model.best = self.suggester.get
            self.rows_model.asked = True
            self.similar = SimilarPanel(self.ctx)
            self.similar.use_button.setToolTip(self.tr("Copies the measures and the node plan into the task this "
                                                       "row becomes (nodes due from today on)"))
            self.similar.adopted.connect(lambda _m, _p: self.copy_suggestion())
            side = QWidget()
            side_box = QVBoxLayout(side)
            side_box.setContentsMargins(0, 0, 0, 0)
            side_box.addWidget(self.similar, 1)
            self.uncopy_button = QPushButton(self.tr("Do not copy into this row"))
            self.uncopy_button.setEnabled(False)
            self.uncopy_button.clicked.connect(self.remove_copy)
            side_box.addWidget(self.uncopy_button)
            page.addWidget(side)
            page.setStretchFactor(0, 3)
            page.setStretchFactor(1, 2)
            page.setSizes([640, 360])
        self.plans: dict[int, tuple[str, RowPlan]] = {}  # row -> (its problem, the plan copied into it)
        return page

    def _current_row(self) -> Any:
        i = self.rows_view.currentIndex().row()
        return self.rows_model.rows[i] if 0 <= i < len(self.rows_model.rows) else None

    def _visible_rows(self) -> list[int]:
        view = self.rows_view
        first = view.rowAt(0)
        if first < 0:
            return []
        last = view.rowAt(view.viewport().height() - 1)
        last = len(self.rows_model.rows) - 1 if last < 0 else last
        return [self.rows_model.rows[i].row for i in range(first, last + 1)]

    def _prefer_visible(self) -> None:
        if self.suggester is not None:
            current = self._current_row()
            self.suggester.prefer(([current.row] if current is not None else []) + self._visible_rows())

    def _row_chosen(self, _index: int) -> None:
        self._show_row_suggestions()
        self._prefer_visible()

    def _show_row_suggestions(self) -> None:
        if self.similar is None:
            return
        r = self._current_row()
        self.uncopy_button.setEnabled(r is not None and r.plan is not None)
        if r is None:
            self.similar.show_waiting(self.tr("Choose a row: its similar problems appear here."))
        elif not r.ok:
            self.similar.show_waiting(self.tr("This row is not imported: nothing to copy into it."))
        elif (found := self.suggester.get(r.row)) is None:
            self.similar.show_waiting(self.tr("Looking up similar problems…"))
        else:
            self.similar.show_suggestions(found)

    def _suggestions_arrived(self, keys: list[Any]) -> None:
        self.rows_model.changed(keys)
        current = self._current_row()
        if current is not None and current.row in keys:
            self._show_row_suggestions()

    def copy_suggestion(self) -> None:
        """The chosen suggestion's measures and nodes go with the chosen row's task."""
        r = self._current_row()
        chosen = self.similar.current() if self.similar is not None else None
        if r is None or chosen is None or not r.ok:
            return
        plan = row_plan(chosen, self.ctx.ws.today)
        set_row_plan(self.preview, r.row, plan)
        self.plans[r.row] = (r.data.title, plan)
        self._plans_changed([r.row])

    def remove_copy(self) -> None:
        r = self._current_row()
        if r is None or r.row not in self.plans:
            return
        del self.plans[r.row]
        set_row_plan(self.preview, r.row, None)
        self._plans_changed([r.row])

    def _plans_changed(self, rows: list[int]) -> None:
        self.rows_model.changed(rows)
        r = self._current_row()
        if self.similar is not None:
            self.uncopy_button.setEnabled(r is not None and r.plan is not None)
        if r is not None and r.plan is not None:
            self.plan_label.setText(fill(self.tr("Row %1 is imported with the measures and %2 nodes of “%3”."),
                                         str(r.row), str(len(r.plan.nodes)), r.plan.taken_from))
        else:
            self.plan_label.setText(fill(self.tr("Measures and nodes copied into %1 rows."), str(len(self.plans)))
                                    if self.plans else "")
        self.summary.setPlainText(self.summary_text(self.preview))

    def _fill_rows(self, preview: Any) -> None:
        """The rows of a new reading; a plan copied before stays with its row if the row reads the same."""
        kept = self.plans
        self.plans = {}
        for r in preview.importable:
            old = kept.get(r.row)
            if old is not None and r.data is not None and old[0] == r.data.title:
                set_row_plan(preview, r.row, old[1])
                self.plans[r.row] = old
        self.rows_model.set_rows(list(preview.rows))
        if self.suggester is not None:
            self.suggester.start(row_problems(preview))
            self._prefer_visible()
        self._show_row_suggestions()
        self._plans_changed([])

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
        self._fill_rows(preview)
        self.tabs.setTabText(1, fill(self.tr("Rows and similar problems (%1)"), str(len(preview.rows))))
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
        planned = [r.row for r in preview.importable if r.plan is not None]
        if planned:
            shown = "、".join(map(str, planned[:30])) + ("…" if len(planned) > 30 else "")
            lines.append(fill(self.tr("%1 rows get the measures and nodes of a similar problem: rows %2"),
                              str(len(planned)), shown))
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
