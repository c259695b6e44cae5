"""The ledger as a table model: the row count from one SQL count, rows fetched page by page on demand.

Only the pages the view asks for are read (with their light reasons), and a few are kept in a small
cache, so 100,000 tasks scroll smoothly in little memory. Sorting and filtering run in SQL through
`LedgerQuery`; the model never sorts or filters in Python.

At a fast start the model begins with the first page read before SQLAlchemy (`FirstPage`) and no
reader; `attach` gives it the reader and reads afresh (with the light reasons) once the workspace is open.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from core.ledger.rows import LedgerFilter, TaskRow
from ui import labels
from ui.messages import tooltip

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.ledger.firstpage import FirstPage

Reader = Callable[[], "Session"]

PAGE_SIZE = 200
PAGES_KEPT = 12
TASK_ID_ROLE = Qt.ItemDataRole.UserRole + 10
LIGHT_ROLE = Qt.ItemDataRole.UserRole + 11

# (column key, sort key of LedgerQuery)
COLUMNS: list[tuple[str, str]] = [
    ("light", "light"),
    ("city_ref", "city_ref"),
    ("title", "title"),
    ("source", "source"),
    ("category", "category"),
    ("section", "section"),
    ("owner", "owner"),
    ("deadline", "deadline"),
    ("next_due", "next_due"),
    ("status", "status"),
]
ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
                   Qt.ItemDataRole.ForegroundRole, TASK_ID_ROLE, LIGHT_ROLE})
LIGHT_COLORS = {"red": "#d93025", "yellow": "#f2a900", "green": "#1e8e3e"}
_icons: dict[str, QIcon] = {}


def light_icon(color: str) -> QIcon:
    if color not in _icons:
        pm = QPixmap(32, 32)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(LIGHT_COLORS.get(color, "#999999")))
        p.drawEllipse(4, 4, 24, 24)
        p.end()
        _icons[color] = QIcon(pm)
    return _icons[color]


def header_text(key: str) -> str:
    return {
        "light": QCoreApplication.translate("LedgerModel", "Light"),
        "city_ref": QCoreApplication.translate("LedgerModel", "City ref."),
        "title": QCoreApplication.translate("LedgerModel", "Problem"),
        "source": QCoreApplication.translate("LedgerModel", "Source"),
        "category": QCoreApplication.translate("LedgerModel", "Category"),
        "section": QCoreApplication.translate("LedgerModel", "Section"),
        "owner": QCoreApplication.translate("LedgerModel", "Owner"),
        "deadline": QCoreApplication.translate("LedgerModel", "Deadline"),
        "next_due": QCoreApplication.translate("LedgerModel", "Next node due"),
        "status": QCoreApplication.translate("LedgerModel", "Status"),
    }[key]


class LedgerModel(QAbstractTableModel):
    """Rows of the ledger for one `LedgerFilter`; `reader` opens a plain read session per page."""

    def __init__(self, reader: Reader | None, today: date, parent: Any = None,
                 first: FirstPage | None = None) -> None:
        super().__init__(parent)
        self._reader = reader
        self._today = today
        self._filter = LedgerFilter()
        self._count = 0
        self._pages: OrderedDict[int, list[TaskRow]] = OrderedDict()
        if first is not None and reader is None and len(first.rows) == min(first.count, PAGE_SIZE):
            self._filter = LedgerFilter(sort=first.sort, descending=first.descending)
            self._count = first.count
            self._pages[0] = first.rows
        else:
            self.reload()

    @property
    def attached(self) -> bool:
        return self._reader is not None

    def set_today(self, today: date) -> None:
        """A window left open past midnight: the next `reload` reads the lights of the new day."""
        self._today = today

    def attach(self, reader: Reader) -> None:
        """The workspace is open: read afresh, now with the light reasons."""
        self._reader = reader
        self.reload()

    # -- what to show ------------------------------------------------------------------------
    @property
    def filter(self) -> LedgerFilter:
        return replace(self._filter)

    def set_filter(self, f: LedgerFilter) -> None:
        f = replace(f, sort=self._filter.sort, descending=self._filter.descending)
        self._filter = f
        self.reload()

    def reload(self) -> None:
        """Re-count and forget cached pages (after a filter change or any change to the data).

        Before `attach` there is nothing to read with: the first page stays, and `attach` reads again.
        """
        if self._reader is None:
            return
        from core.ledger.queries import LedgerQuery

        self.beginResetModel()
        self._pages.clear()
        with self._reader() as s:
            self._count = LedgerQuery(s, self._today).count(self._filter)
        self.endResetModel()

    def total(self) -> int:
        return self._count

    def row(self, r: int) -> TaskRow | None:
        if not 0 <= r < self._count:
            return None
        page_no = r // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = self._fetch(page_no)
        else:
            self._pages.move_to_end(page_no)
        i = r - page_no * PAGE_SIZE
        return page[i] if i < len(page) else None

    def _fetch(self, page_no: int) -> list[TaskRow]:
        if self._reader is None:
            return []  # beyond the first page before `attach`: blank until the workspace is open
        from core.ledger.queries import LedgerQuery

        with self._reader() as s:
            page = LedgerQuery(s, self._today).page(self._filter, page_no * PAGE_SIZE, PAGE_SIZE)
        self._pages[page_no] = page
        while len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        return page

    def pages_read(self) -> int:
        return len(self._pages)

    def task_id(self, r: int) -> str | None:
        row = self.row(r)
        return row.id if row else None

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return header_text(COLUMNS[section][0])
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks each cell for about ten roles; the others are answered before any lookup.
        if role not in ROLES or not index.isValid() or index.column() >= len(COLUMNS):
            return None
        row = self.row(index.row())
        if row is None:
            return None
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.DecorationRole and key == "light":
            return light_icon(row.light)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "light":
                return tooltip(row.light_reason)
            if key == "title":
                return tooltip(row.title)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and key in ("deadline", "next_due"):
            due = row.deadline if key == "deadline" else row.next_due
            if due and row.status not in ("closed", "submitted") and due < self._today.isoformat():
                return QBrush(QColor("#c5221f"))
            return None
        if role == TASK_ID_ROLE:
            return row.id
        if role == LIGHT_ROLE:
            return row.light
        return None

    @staticmethod
    def _display(row: TaskRow, key: str) -> str:
        if key == "light":
            return labels.label("light", row.light)
        if key in ("source", "category", "status"):
            return labels.label(key, getattr(row, key))
        return getattr(row, key) or ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        wanted = replace(self._filter, sort=COLUMNS[column][1], descending=order == Qt.SortOrder.DescendingOrder)
        if wanted == self._filter:  # e.g. the view's first sort, already the order the rows were read in
            return
        self._filter = wanted
        self.reload()
