"""督办通知: the city's red and yellow notices, unread / responded / closed, and the unit's responses."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from core.errors import InputRefused
from core.evidence.attach import attach_file
from core.ledger.queries import notice_rows
from ui import feature_links, labels
from ui.background import Progress
from ui.context import AppContext
from ui.dialogs.attachments import attachments_html, open_attachment, read_attachments, save_attachment_as
from ui.messages import fill, show_info, tooltip
from ui.models.ledger_model import LIGHT_COLORS, light_icon
from ui.pages import LazyPage


class NoticesModel(QAbstractTableModel):
    """All notices (a unit has dozens, not thousands): read once per refresh."""

    COLUMNS = ("level", "state", "title", "task", "issued", "respond_by")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(self.COLUMNS):
            return None
        return (self.tr("Level"), self.tr("State"), self.tr("Notice"), self.tr("Task"), self.tr("Issued"),
                self.tr("Respond by"))[section]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        n = self.rows[index.row()]
        key = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "level": labels.label("notice_level", n["level"]),
                "state": labels.label("notice_state", n["state"]),
                "title": n["title"],
                "task": f"{n['task_ref']} {n['task_title']}".strip(),
                "issued": n["issued"][:10],
                "respond_by": n["respond_by"],
            }[key]
        if role == Qt.ItemDataRole.DecorationRole and key == "level":
            return light_icon(n["level"])
        if role == Qt.ItemDataRole.FontRole and n["state"] == "unread":
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ForegroundRole and key == "state" and n["state"] == "unread":
            return QBrush(QColor(LIGHT_COLORS["red"]))
        if role == Qt.ItemDataRole.ToolTipRole and key == "title":
            return tooltip(n["text"])
        return None


class NoticesPage(LazyPage):
    open_task = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.show_filter = QComboBox()
        self.show_filter.addItem(self.tr("Open notices"), "open")
        self.show_filter.addItem(self.tr("All notices"), "all")
        self.show_filter.currentIndexChanged.connect(self.refresh)
        self.summary = QLabel()
        self.model = NoticesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col, width in enumerate((110, 80, 380, 320, 100, 100)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)  # attachment:<n> links open the city's file
        self.detail.anchorClicked.connect(self._anchor)
        self.attachments: list[Any] = []
        self.respond_button = QPushButton(self.tr("Respond…"))
        self.respond_button.setToolTip(self.tr("Write how the problem was handled; the response travels "
                                               "to the city in the next export"))
        self.respond_button.clicked.connect(self.respond)
        self.appeal_button = QPushButton(self.tr("Appeal…"))
        self.appeal_button.setToolTip(self.tr("Ask the city to reconsider this notice (申诉); the appeal travels "
                                              "in the next export"))
        self.appeal_button.clicked.connect(self.appeal)
        self.task_button = QPushButton(self.tr("Open the task"))
        self.task_button.clicked.connect(self._open_task)
        self.save_attachment_button = QPushButton(self.tr("Save attachment as…"))
        self.save_attachment_button.setToolTip(self.tr("Save a copy of the file(s) the city sent with this notice"))
        self.save_attachment_button.clicked.connect(self.save_attachments)

        top = QHBoxLayout()
        top.addWidget(self.show_filter)
        top.addWidget(self.summary, 1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.detail, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.respond_button)
        buttons.addWidget(self.appeal_button)
        buttons.addWidget(self.task_button)
        buttons.addWidget(self.save_attachment_button)
        buttons.addStretch(1)
        rl.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([260, 340])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def waiting_count(self) -> int:
        """Open notices without a response yet: the number on the navigation badge."""
        return sum(1 for n in self.ctx.read(notice_rows) if n["state"] in ("unread", "read"))

    def refresh(self) -> None:
        current = self.current()
        rows = self.ctx.read(notice_rows)
        waiting = sum(1 for n in rows if n["state"] in ("unread", "read"))
        if self.show_filter.currentData() == "open":
            rows = [n for n in rows if n["state"] != "closed"]
        self.model.set_rows(rows)
        self.summary.setText(fill(self.tr("%1 shown, %2 waiting for a response"), str(len(rows)), str(waiting)))
        if rows:
            ids = [n["id"] for n in rows]
            self.table.selectRow(ids.index(current["id"]) if current and current["id"] in ids else 0)
        self._show_current()

    def current(self) -> dict[str, Any] | None:
        idx = self.table.currentIndex()
        return self.model.rows[idx.row()] if idx.isValid() and idx.row() < len(self.model.rows) else None

    def _show_current(self) -> None:
        n = self.current()
        self.respond_button.setEnabled(n is not None and n["state"] != "closed")
        self.appeal_button.setEnabled(n is not None)
        self.task_button.setEnabled(n is not None and bool(n["task_id"]))
        self.attachments = read_attachments(self.ctx, notice_id=n["id"]) if n is not None else []
        self.save_attachment_button.setEnabled(any(a.present for a in self.attachments))
        if n is None:
            empty = self.tr("No supervision notices. Notices arrive with the city’s feedback packages "
                            "(Data exchange → Import feedback).")
            self.detail.setHtml(f"<p>{_esc(empty)}</p>")
            return
        issued_by, respond_by = self.tr("Issued by"), self.tr("respond by")
        level, state = labels.label("notice_level", n["level"]), labels.label("notice_state", n["state"])
        parts = [f"<h3>{level}：{_esc(n['title'])}</h3>",
                 f"<p>{issued_by} {_esc(n['issuer'])}，{_esc(n['issued'][:10])}；"
                 f"{respond_by} <b>{_esc(n['respond_by'])}</b>；{state}</p>",
                 f"<p>{_esc(n['text'])}</p>", attachments_html(self.attachments)]
        if n["task_id"]:
            task = self.tr("Task")
            parts.append(f"<p>{task}：{_esc(n['task_ref'])} {_esc(n['task_title'])}</p>")
        response, closed_by = self.tr("Response"), self.tr("Closed by the city")
        for r in n["responses"]:
            parts.append(f"<hr><p><b>{response}</b> {_esc(r['by'])} {_esc(r['responded'][:10])}</p>"
                         f"<p>{_esc(r['text'])}</p>")
        if n["closure_comment"]:
            parts.append(f"<hr><p><b>{closed_by}</b>：{_esc(n['closure_comment'])}</p>")
        from core.ledger.queries import appeal_rows
        from ui.dialogs.appeal_dialog import appeals_html

        parts.append(appeals_html(self.ctx.read(lambda s: appeal_rows(s, target=("notice", n["id"])))))
        self.detail.setHtml("".join(parts))
        if self.isVisible() and n["state"] == "unread":
            self.mark_read(n)  # seen on screen: the unit has read it

    def _anchor(self, url: QUrl) -> None:
        if url.scheme() == "attachment":
            self.open_attachment(int(url.path() or 0))

    def open_attachment(self, index: int = 0) -> Any:
        """Opens the city's file with the system's viewer (a copy under its readable name)."""
        if 0 <= index < len(self.attachments) and self.attachments[index].present:
            self.opened_attachment = open_attachment(self, self.ctx, self.attachments[index])
            return self.opened_attachment
        return None

    def save_attachments(self) -> None:
        for att in self.attachments:
            if att.present:
                save_attachment_as(self, att)

    def _open_task(self) -> None:
        n = self.current()
        if n and n["task_id"]:
            from ui.dialogs.task_editor import TaskEditor

            TaskEditor(self.ctx, n["task_id"], self).exec()

    def respond(self) -> None:
        """The response and its evidence in one transaction; it travels to the city in the next export."""
        n = self.current()
        if n is None:
            return
        fn = feature_links.link("respond_notice").resolve()
        if fn is None:
            show_info(self, self.tr("Respond to a notice"), feature_links.not_ready_text())
            return
        from ui.dialogs.respond_dialog import RespondDialog

        dialog = RespondDialog(n, self)
        self.respond_dialog = dialog
        task_id, user, ws = n["task_id"], self.ctx.user, self.ctx.ws
        description = self.tr("Response to notice %s") % n["id"]

        def respond(s: Session, progress: Progress | None = None) -> Any:
            text, files = dialog.text.toPlainText(), list(dialog.files)
            if files and not task_id:
                raise InputRefused(self.tr("This notice names no task of the ledger, so files cannot be attached."),
                                   hint=self.tr("Send the response without files, or ask the city's supervision "
                                                "office."))
            ids = []
            for i, f in enumerate(files):
                if progress is not None:
                    progress.report(i, len(files), f.name)
                ids.append(attach_file(s, ws.evidence, user, task_id, f, description=description).id)
            return fn(s, user, n["id"], text, evidence_ids=ids)

        def submit() -> bool:
            # The dialog stays open while it works: a refusal keeps the text and the files.
            if dialog.files:  # scans can be large: off the GUI thread, still one transaction
                self.respond_job = self.ctx.act_in_background(dialog, respond, lambda _r: dialog.finish(),
                                                              title=self.tr("Sending the response…"),
                                                              on_refused=dialog.mark_error)
                return False
            return self.ctx.act(dialog, respond, on_refused=dialog.mark_error) is not None

        dialog.on_accept(submit)
        dialog.exec()

    def appeal(self) -> None:
        from ui.dialogs.appeal_dialog import file_appeal

        n = self.current()
        if n is not None and file_appeal(self, self.ctx, "notice", n["id"], n["title"], n["task_id"]) is not None:
            self.refresh()

    def mark_read(self, notice: dict[str, Any]) -> None:
        fn = feature_links.link("mark_notice_read").resolve()
        if fn is not None and notice["state"] == "unread":
            self.ctx.act(self, lambda s: fn(s, self.ctx.user, notice["id"]))


def _esc(text: str | None) -> str:
    from html import escape

    return escape(text or "")
