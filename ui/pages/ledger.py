"""整改台账: the table of tasks with search, filters, sorting, a context menu and the task editor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import UserError
from core.ledger.rows import LedgerFilter
from ui import labels
from ui.context import AppContext
from ui.messages import confirm, fill, plain, show_user_error, tooltip
from ui.models.ledger_model import COLUMNS, PAGE_SIZE, LedgerModel

if TYPE_CHECKING:
    from core.ledger.firstpage import FirstPage

SEARCH_DELAY_MS = 300
LAYOUT_KEY = "ledger/header"
SORT_KEY = "ledger/sort"  # the sort of the header's state, readable before the window exists


def remembered_sort() -> tuple[str, bool]:
    """(sort key, descending) the ledger had when the window last closed; by deadline the first time."""
    settings = QSettings()
    sort = settings.value(SORT_KEY, "deadline")
    descending = settings.value(SORT_KEY + "-descending", "false")
    return (sort if isinstance(sort, str) else "deadline"), str(descending).lower() == "true"


class LedgerPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, first: FirstPage | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._extra: dict[str, Any] = {}  # criteria from the dashboard without a combo box of their own

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search title, city ref., owner, section, batch… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.apply_filters)

        self.combos: dict[str, QComboBox] = {}
        names = {"light": self.tr("Light"), "status": self.tr("Status"), "source": self.tr("Source"),
                 "category": self.tr("Category"), "section": self.tr("Section"), "owner": self.tr("Owner"),
                 "batch": self.tr("Batch")}
        for key, name in names.items():
            combo = QComboBox()
            combo.setToolTip(tooltip(name))
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMaximumWidth(200)
            combo.addItem(self.tr("All: %s") % name, None)
            if key in ("light", "status", "source", "category"):
                for value, text in labels.choices(key):
                    combo.addItem(text, value)
            combo.currentIndexChanged.connect(self.apply_filters)
            self.combos[key] = combo
        self.overdue = QCheckBox(self.tr("Overdue only"))
        self.overdue.toggled.connect(self.apply_filters)
        self.extra_label = plain(QLabel())
        self.extra_label.setStyleSheet("QLabel { background: #fff4ce; padding: 2px 6px; "
                                       "border-radius: 3px; }")
        self.extra_clear = QToolButton()
        self.extra_clear.setText("×")
        self.extra_clear.setToolTip(self.tr("Remove this filter"))
        self.extra_clear.clicked.connect(self._clear_extra)
        clear = QPushButton(self.tr("Clear filters"))
        clear.clicked.connect(self.clear_filters)
        new = QPushButton(self.tr("New task…"))
        new.setToolTip(self.tr("Add a rectification task (Ctrl+N)"))
        new.clicked.connect(self.new_task)
        self.count_label = QLabel()

        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.overdue)
        top.addWidget(self.extra_label)
        top.addWidget(self.extra_clear)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(new)
        filters = QHBoxLayout()
        for combo in self.combos.values():
            filters.addWidget(combo)
        filters.addWidget(clear)
        filters.addStretch(1)

        if ctx.ready:
            self.model = LedgerModel(ctx.ws.read, ctx.ws.today, self)
        else:  # fast start: the first page read before the workspace opened; `_attached` takes over
            assert first is not None
            self.model = LedgerModel(None, first.today, self, first=first)
        self.table = QTableView()
        self.empty = plain(QLabel(self.table.viewport()))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #5f6368; font-size: 15px;")
        self.empty.hide()
        self.table.viewport().installEventFilter(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setSortIndicator(7, Qt.SortOrder.AscendingOrder)  # by deadline, as core sorts by default
        widths = {"light": 72, "city_ref": 130, "title": 300, "source": 100, "category": 92, "section": 104,
                  "owner": 64, "deadline": 92, "next_due": 104, "status": 112}
        for i, (key, _) in enumerate(COLUMNS):
            header.resizeSection(i, widths[key])
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the problem text takes what is left
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._restore_layout()
        self.table.setSortingEnabled(True)  # after the indicator is set: one sorted read, not three
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        # Double-click and Enter both arrive as `activated` (connecting doubleClicked too would open it twice).
        self.table.activated.connect(lambda idx: self.open_task(self.model.task_id(idx.row())))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self._update_extra()
        self._values_read = False
        QTimer.singleShot(0, self._first_values)  # section/owner/batch lists: after the first paint
        self._update_count()
        ctx.changed.connect(self.refresh)
        ctx.attached.connect(self._attached)

    def _attached(self) -> None:
        self.model.attach(self.ctx.ws.read)
        self._first_values()
        self._update_count()

    def write_first_page_cache(self) -> None:
        """Keep the statements of this sort's first page for a fast next start (no data is kept)."""
        if not self.ctx.ready:
            return
        from core.ledger.firstpage import write_cache

        ws = self.ctx.ws
        self.ctx.read(lambda s: write_cache(s, ws.paths, ws.today, self.model.filter, PAGE_SIZE))

    # -- filters -----------------------------------------------------------------------------
    def current_filter(self) -> LedgerFilter:
        f = LedgerFilter(text=self.search.text().strip() or None, overdue_only=self.overdue.isChecked())
        for key, combo in self.combos.items():
            setattr(f, key, combo.currentData())
        for key, value in self._extra.items():
            setattr(f, key, value)
        return f

    def apply_filters(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def clear_filters(self) -> None:
        self._set_quietly(lambda: (self.search.clear(), self.overdue.setChecked(False),
                                   [c.setCurrentIndex(0) for c in self.combos.values()]))
        self._extra = {}
        self._update_extra()
        self.apply_filters()

    def apply_criteria(self, criteria: dict[str, Any]) -> None:
        """Show only what a dashboard figure counted (e.g. {"light": "red"} or {"due_within_days": 3})."""
        self._first_values()
        def set_all() -> None:
            self.search.clear()
            self.overdue.setChecked(bool(criteria.get("overdue_only")))
            for key, combo in self.combos.items():
                value = criteria.get(key)
                combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)
        self._set_quietly(set_all)
        self._extra = {k: v for k, v in criteria.items() if k in ("due_within_days", "closed_in")}
        self._update_extra()
        self.apply_filters()

    def _set_quietly(self, fn: Any) -> None:
        widgets = [self.search, self.overdue, *self.combos.values()]
        for w in widgets:
            w.blockSignals(True)
        try:
            fn()
        finally:
            for w in widgets:
                w.blockSignals(False)

    def _clear_extra(self) -> None:
        self._extra = {}
        self._update_extra()
        self.apply_filters()

    def _update_extra(self) -> None:
        text = ""
        if "due_within_days" in self._extra:
            text = self.tr("Node due within %s days") % self._extra["due_within_days"]
        elif "closed_in" in self._extra:
            text = self.tr("Closed in %s") % self._extra["closed_in"]
        self.extra_label.setText(text)
        self.extra_label.setVisible(bool(text))
        self.extra_clear.setVisible(bool(text))

    def _first_values(self) -> None:
        if not self._values_read and self.ctx.ready:
            self._fill_value_combos()

    def _fill_value_combos(self) -> None:
        self._values_read = True
        values = self.ctx.query(lambda q: {k: q.distinct_values(k) for k in ("section", "owner", "batch")})
        for key, items in values.items():
            combo = self.combos[key]
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for v in items:
                combo.addItem(v, v)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            combo.blockSignals(False)

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("%s tasks") % f"{self.model.total():,}")
        self._update_empty_state()

    def _update_empty_state(self) -> None:
        """An empty table says why, and what to do: add tasks or import them; or clear the filters."""
        if self.model.total():
            self.empty.hide()
            return
        if self.current_filter() != LedgerFilter():
            self.empty.setText(self.tr("No task matches these filters. “Clear filters” shows the whole ledger."))
        else:
            self.empty.setText(self.tr(
                "The ledger has no rectification tasks yet.\n\nAdd them one by one with “New task…” (Ctrl+N), "
                "or import the problem list the city sent (Excel) or a feedback package under “Data exchange”."))
        self.empty.setGeometry(self.table.viewport().rect().adjusted(24, 24, -24, -24))
        self.empty.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize and not self.empty.isHidden():
            self.empty.setGeometry(self.table.viewport().rect().adjusted(24, 24, -24, -24))
        return super().eventFilter(watched, event)

    def refresh(self) -> None:
        if not self.ctx.ready:
            return
        self.model.set_today(self.ctx.ws.today)
        self._fill_value_combos()
        self.model.reload()
        self._update_count()

    # -- actions -----------------------------------------------------------------------------
    def selected_task_id(self) -> str | None:
        idx = self.table.currentIndex()
        return self.model.task_id(idx.row()) if idx.isValid() else None

    def new_task(self) -> None:
        if not self.ctx.ready:
            return
        from ui.dialogs.task_editor import TaskEditor

        TaskEditor(self.ctx, None, self).exec()

    def open_task(self, task_id: str | None) -> None:
        if not task_id or not self.ctx.ready:
            return
        from ui.dialogs.task_editor import TaskEditor

        TaskEditor(self.ctx, task_id, self).exec()

    def _context_menu(self, pos: QPoint) -> None:
        idx = self.table.indexAt(pos)
        if not idx.isValid() or not self.ctx.ready:
            return
        menu = self.task_menu(idx.row())
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(pos))

    def task_menu(self, row_no: int) -> QMenu | None:
        """The right-click menu of one ledger row."""
        row = self.model.row(row_no)
        if row is None:
            return None
        menu = QMenu(self)
        open_ = menu.addAction(self.tr("Open…"))
        open_.triggered.connect(lambda: self.open_task(row.id))
        copy_ref = menu.addAction(self.tr("Copy city ref."))
        copy_ref.setEnabled(bool(row.city_ref))
        copy_ref.triggered.connect(lambda: QGuiApplication.clipboard().setText(row.city_ref or ""))
        copy_title = menu.addAction(self.tr("Copy title"))
        copy_title.triggered.connect(lambda: QGuiApplication.clipboard().setText(row.title))
        menu.addSeparator()
        # A menu reads "&" as a shortcut mark: a name is shown as written. No owner: no name to fill in.
        same_owner = menu.addAction(fill(self.tr("Show all tasks of %1"), row.owner.replace("&", "&&"))
                                    if row.owner else self.tr("No owner set for this task"))
        same_owner.setEnabled(bool(row.owner))
        same_owner.triggered.connect(lambda: self.apply_criteria({"owner": row.owner}))
        menu.addSeparator()
        delete = menu.addAction(self.tr("Delete task…"))
        delete.triggered.connect(lambda: self.delete_task(row.id, row.title))
        return menu

    def delete_task(self, task_id: str, title: str) -> None:
        """A task with a city number, notices or evidence takes more than one click (and a reviewer: core)."""
        from core.ledger.tasks import delete_guard, delete_task
        from ui.dialogs.delete_task import DeleteTaskDialog

        user = self.ctx.user
        try:  # a clerk is refused before any confirmation is asked
            guard = self.ctx.read(lambda s: delete_guard(s, task_id, user))
        except UserError as exc:
            show_user_error(self, exc)
            return
        if guard.guarded:
            dialog = DeleteTaskDialog(guard, self)
            if not dialog.exec():
                return
        else:
            question = self.tr("Delete the task “%s”? The deletion is reported to the city in the next export.")
            if not confirm(self, self.tr("Delete task"), question % title):
                return
        self.ctx.act(self, lambda s: delete_task(s, user, task_id, confirmed=guard.guarded))

    # -- remembered column layout ------------------------------------------------------------
    def _header_menu(self, pos: QPoint) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for i in range(self.model.columnCount()):
            act = QAction(str(self.model.headerData(i, Qt.Orientation.Horizontal)), menu)
            act.setCheckable(True)
            act.setChecked(not header.isSectionHidden(i))
            act.toggled.connect(lambda on, col=i: header.setSectionHidden(col, not on))
            menu.addAction(act)
        menu.exec(header.mapToGlobal(pos))

    def _restore_layout(self) -> None:
        state = QSettings().value(LAYOUT_KEY)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.table.horizontalHeader().restoreState(state)

    def save_layout(self) -> None:
        settings = QSettings()
        settings.setValue(LAYOUT_KEY, self.table.horizontalHeader().saveState())
        f = self.model.filter
        settings.setValue(SORT_KEY, f.sort)
        settings.setValue(SORT_KEY + "-descending", "true" if f.descending else "false")
        self.write_first_page_cache()
