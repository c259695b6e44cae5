"""The task editor: fields, nodes (add, done, 双人核查), 佐证材料 with drag and drop, history, city records.

Every change goes through core (create_task, edit_task, add_node, complete_node, confirm_node,
attach_file, remove_evidence) in one transaction; a refusal is shown in plain words and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from core.dates import FIRST_YEAR, LAST_YEAR
from core.evidence.attach import attach_file, remove_evidence, restore_evidence
from core.ledger import queries
from core.ledger.people import unit_people
from core.ledger.tasks import (
    NodeInput,
    TaskInput,
    add_node,
    complete_node,
    confirm_node,
    create_task,
    delete_node,
    edit_task,
    get_task,
    live_nodes,
    reorder_nodes,
    submit_task,
    undo_node_done,
)
from ui import labels
from ui.background import Progress
from ui.context import AppContext
from ui.dialogs import file_dialogs
from ui.dialogs.files import FilesDialog, dropped_files
from ui.dialogs.guard import GuardedDialog
from ui.guide import add_help
from ui.messages import fill, plain, tooltip
from ui.models.ledger_model import light_icon
from ui.sizes import resize_to_fit

EVIDENCE_ID_ROLE = Qt.ItemDataRole.UserRole + 20
THUMB = 72


def _qdate(iso: str | None) -> QDate:
    return QDate.fromString(iso, "yyyy-MM-dd") if iso else QDate()


def _iso(edit: QDateEdit) -> str:
    return edit.date().toString("yyyy-MM-dd")


class NodeDialog(FilesDialog):
    """Asks for a node's title and due date, or a completion date and note (with evidence files)."""

    def __init__(self, title: str, parent: QWidget | None, *, done: bool = False,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAcceptDrops(done)
        form = QFormLayout(self)
        self.text = QLineEdit() if not done else QPlainTextEdit()
        self.date = QDateEdit()
        self.date.setDateRange(QDate(FIRST_YEAR, 1, 1), QDate(LAST_YEAR, 12, 31))  # as core accepts
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setDate(_qdate((today or date.today()).isoformat()))
        if done:
            form.addRow(self.tr("Completed on"), self.date)
            form.addRow(self.tr("What was done"), self.text)
            self.file_list.setMaximumHeight(90)
            form.addRow(self.tr("Evidence"), self.files_box())
            hint = QLabel(self.tr("Drag files here, or add them: they are attached to this node."))
            hint.setStyleSheet("color: #555;")
            form.addRow("", hint)
            self.fields = {"note": self.text, "done": self.date}
        else:
            form.addRow(self.tr("Node"), self.text)
            form.addRow(self.tr("Due"), self.date)
            self.fields = {"title": self.text, "due": self.date}
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "two-person" if done else "task")
        form.addRow(buttons)

    def value(self) -> tuple[str, str]:
        text = self.text.toPlainText() if isinstance(self.text, QPlainTextEdit) else self.text.text()
        return text, _iso(self.date)


class EvidenceList(QListWidget):
    """Evidence files as thumbnails; files dropped from the file manager are attached."""

    def __init__(self, editor: TaskEditor) -> None:
        super().__init__()
        self.editor = editor
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setGridSize(QSize(THUMB + 70, THUMB + 44))
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setWordWrap(True)
        self.setMovement(QListWidget.Movement.Static)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.editor.attach_files(paths)


class TaskEditor(GuardedDialog):
    """Fields are saved with Save; closing with unsaved fields asks first. Nodes and evidence act at once,
    and the last node done or evidence removal can be undone (撤销, Ctrl+Z) from the bar above the buttons."""

    def __init__(self, ctx: AppContext, task_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task_id = task_id
        from core.sections.common import is_section_desk

        # A section desk (内部督办) reports its nodes to the unit: 双人核查 and 申请销号 stay with the unit.
        self.at_desk = bool(ctx.read(is_section_desk))
        self.undo_step: tuple[str, Callable[[Session], Any]] | None = None
        self.attachments: list[Any] = []  # the city's files with this task's notices (core.ledger.queries)
        self.setWindowTitle(self.tr("Rectification task"))
        self.setAcceptDrops(True)  # files dropped anywhere on the editor become evidence
        resize_to_fit(self, 940, 640)

        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._fields_tab(), self.tr("Task"))
        self.tabs.addTab(self._nodes_tab(), self.tr("Nodes"))
        self.tabs.addTab(self._evidence_tab(), self.tr("Evidence"))
        self.tabs.addTab(self._history_tab(), self.tr("History"))
        self.tabs.addTab(self._city_tab(), self.tr("Notices, reviews, deductions, appeals"))

        buttons = QDialogButtonBox()
        add_help(self, buttons, "task")
        self.save_button = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.submit_button = buttons.addButton(self.tr("Request sign-off"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.submit_button.setToolTip(self.tr("All nodes are done: ask the city to close (销号) this task"))
        self.submit_button.clicked.connect(self.submit)
        if self.at_desk:
            self.submit_button.setVisible(False)
            self.submit_button.setToolTip(tooltip(self.tr(
                "The unit requests sign-off from the city after this desk's “Report to the unit”")))
        self.pdf_button = buttons.addButton(self.tr("Task report (PDF)…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button.clicked.connect(self.task_pdf)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save)
        self.undo_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, activated=self.undo)

        self.undo_bar = QWidget()
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(8, 2, 8, 2)
        self.undo_text = plain(QLabel())
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Take the last step back (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo)
        bar.addWidget(self.undo_text, 1)
        bar.addWidget(self.undo_button)
        self.undo_bar.setObjectName("undoBar")
        self.undo_bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.undo_bar.setStyleSheet("#undoBar { background: #e8f0fe; border-radius: 4px; }")
        self.undo_bar.hide()

        self.quality = plain(QLabel())
        self.quality.setWordWrap(True)
        self.quality.setStyleSheet("background: #fff4ce; border: 1px solid #e0c36a; padding: 4px 8px;")
        self.quality.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.quality)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.undo_bar)
        layout.addWidget(buttons)
        self.fields = {"title": self.title_edit, "source": self.source, "category": self.category,
                       "owner": self.owner, "deadline": self.deadline, "section": self.section,
                       "leader": self.leader, "batch": self.batch, "description": self.description,
                       "measures": self.measures}
        self.load()

    # -- tabs --------------------------------------------------------------------------------
    def _fields_tab(self) -> QWidget:
        from ui.dialogs.similar_panel import SimilarPanel

        outer = QSplitter()
        w = QWidget()
        outer.addWidget(w)
        self.similar = SimilarPanel(self.ctx)
        self.similar.adopted.connect(self.adopt_plan)
        outer.addWidget(self.similar)
        outer.setStretchFactor(0, 3)
        outer.setStretchFactor(1, 2)
        self.adopted_nodes: list[NodeInput] = []
        form = QFormLayout(w)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("One sentence naming the problem"))
        self.city_ref = plain(QLabel())
        self.city_ref.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source = QComboBox()
        for key, text in labels.choices("source"):
            self.source.addItem(text, key)
        self.category = QComboBox()
        for key, text in labels.choices("category"):
            self.category.addItem(text, key)
        self.section = QComboBox()
        self.section.setEditable(True)
        self.owner = QComboBox()
        self.owner.setEditable(True)
        self.leader = QLineEdit()
        self.batch = QComboBox()
        self.batch.setEditable(True)
        self.deadline = QDateEdit()
        self.deadline.setDateRange(QDate(FIRST_YEAR, 1, 1), QDate(LAST_YEAR, 12, 31))
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.description = QPlainTextEdit()
        self.measures = QPlainTextEdit()
        values = self.ctx.query(lambda q: {k: q.distinct_values(k) for k in ("section", "owner", "batch")})
        values["owner"] = self.ctx.read(lambda s: unit_people(s, values["owner"]))
        for key, combo in (("section", self.section), ("owner", self.owner), ("batch", self.batch)):
            combo.addItem("")
            combo.addItems(values[key])
            completer = QCompleter(values[key], combo)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)  # “敏” finds 周敏
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            combo.setCompleter(completer)
        self.owner.setToolTip(self.tr("The person responsible: choose one of the unit's people, or type a "
                                      "new name"))
        form.addRow(self.tr("Problem *"), self.title_edit)
        form.addRow(self.tr("City ref."), self.city_ref)
        row = QHBoxLayout()
        row.addWidget(self.source)
        row.addWidget(QLabel(self.tr("Category *")))
        row.addWidget(self.category)
        row.addWidget(QLabel(self.tr("Deadline *")))
        row.addWidget(self.deadline)
        row.addStretch(1)
        form.addRow(self.tr("Source *"), row)
        row = QHBoxLayout()
        row.addWidget(self.section, 1)
        row.addWidget(QLabel(self.tr("Owner *")))
        row.addWidget(self.owner, 1)
        row.addWidget(QLabel(self.tr("Leader")))
        row.addWidget(self.leader, 1)
        form.addRow(self.tr("Section"), row)
        form.addRow(self.tr("Batch"), self.batch)
        form.addRow(self.tr("Description"), self.description)
        form.addRow(self.tr("Measures"), self.measures)
        self.adopted_label = plain(QLabel())
        self.adopted_label.setWordWrap(True)
        self.adopted_label.hide()
        form.addRow("", self.adopted_label)
        ask = self._ask_similar
        self.title_edit.textChanged.connect(ask)
        self.description.textChanged.connect(ask)
        return outer

    def _ask_similar(self) -> None:
        self.similar.set_problem(self.title_edit.text(), self.description.toPlainText(), self.task_id)

    def adopt_plan(self, measures: str, plan: list[tuple[str, Any]]) -> None:
        """A suggestion taken: its measures into 整改措施 (after what is there), its nodes added at the next save."""
        if measures:
            from core.measures.similar import merge_measures

            self.measures.setPlainText(merge_measures(self.measures.toPlainText(), measures))
        self.adopted_nodes = [NodeInput(title, due.isoformat()) for title, due in plan]
        if self.adopted_nodes:
            names = "、".join(n.title for n in self.adopted_nodes)
            self.adopted_label.setText(fill(self.tr("When you save, these %1 nodes are added: %2"),
                                            len(self.adopted_nodes), names))
        self.adopted_label.setVisible(bool(self.adopted_nodes))

    def _nodes_tab(self) -> QWidget:
        w = QWidget()
        self.nodes = QTreeWidget()
        self.nodes.setRootIsDecorated(False)
        self.nodes.setHeaderLabels([self.tr("No."), self.tr("Node"), self.tr("Due"), self.tr("Status"),
                                    self.tr("Done on"), self.tr("Reported by"), self.tr("Confirmed by")])
        self.nodes.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.nodes.header().setStretchLastSection(False)
        self.nodes.itemSelectionChanged.connect(self._node_buttons)
        self.add_node_button = QPushButton(self.tr("Add node…"))
        self.add_node_button.clicked.connect(self.add_node)
        self.done_button = QPushButton(self.tr("Report done…"))
        self.done_button.clicked.connect(self.complete_node)
        self.confirm_button = QPushButton(self.tr("Confirm (second person)"))
        self.confirm_button.setToolTip(self.tr("Two-person check: a colleague other than the one who "
                                               "reported it confirms that the node is really done"))
        self.confirm_button.clicked.connect(self.confirm_node)
        if self.at_desk:
            self.confirm_button.setToolTip(tooltip(self.tr(
                "The unit's second person confirms the node after this desk's “Report to the unit”")))
        self.delete_node_button = QPushButton(self.tr("Delete node"))
        self.delete_node_button.clicked.connect(self.delete_node)
        self.up_button = QPushButton(self.tr("Move up"))
        self.up_button.setToolTip(self.tr("Move the selected node one place up (Alt+Up)"))
        self.up_button.setShortcut(QKeySequence("Alt+Up"))
        self.up_button.clicked.connect(lambda: self.move_node(-1))
        self.down_button = QPushButton(self.tr("Move down"))
        self.down_button.setToolTip(self.tr("Move the selected node one place down (Alt+Down)"))
        self.down_button.setShortcut(QKeySequence("Alt+Down"))
        self.down_button.clicked.connect(lambda: self.move_node(1))
        buttons = QHBoxLayout()
        for b in (self.add_node_button, self.done_button, self.confirm_button, self.delete_node_button,
                  self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(w)
        layout.addWidget(self.nodes)
        layout.addLayout(buttons)
        return w

    def _evidence_tab(self) -> QWidget:
        w = QWidget()
        hint = QLabel(self.tr("Drag files here from the file manager, or use “Add files…”."))
        self.evidence = EvidenceList(self)
        self.evidence.itemDoubleClicked.connect(lambda _: self.open_evidence())
        self.evidence.itemSelectionChanged.connect(self._evidence_selected)
        self.evidence_info = plain(QLabel())
        self.evidence_info.setWordWrap(True)
        self.evidence_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.evidence_node = QComboBox()
        self.evidence_node.setProperty("guardIgnore", True)  # steers the next attachment, saves nothing
        add = QPushButton(self.tr("Add files…"))
        add.clicked.connect(self._choose_files)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.clicked.connect(self.open_evidence)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_evidence)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("Attach to")))
        buttons.addWidget(self.evidence_node)
        buttons.addWidget(add)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(w)
        layout.addWidget(hint)
        layout.addWidget(self.evidence, 1)
        layout.addWidget(self.evidence_info)
        layout.addLayout(buttons)
        return w

    def _history_tab(self) -> QWidget:
        self.history = QTreeWidget()
        self.history.setRootIsDecorated(False)
        self.history.setHeaderLabels([self.tr("Time"), self.tr("User"), self.tr("Action"),
                                      self.tr("Changes")])
        self.history.header().setStretchLastSection(True)
        return self.history

    def _city_tab(self) -> QWidget:
        w = QWidget()
        self.city_records = QTreeWidget()
        self.city_records.setRootIsDecorated(True)
        self.city_records.setHeaderLabels([self.tr("Item"), self.tr("Date"), self.tr("Details")])
        self.city_records.header().setStretchLastSection(True)
        self.city_records.itemSelectionChanged.connect(self._city_selected)
        self.city_records.itemDoubleClicked.connect(lambda *_: self.open_attachment())
        self.appeal_button = QPushButton(self.tr("Appeal…"))
        self.appeal_button.setToolTip(self.tr("Ask the city to reconsider a deduction, a return or a notice (申诉)"))
        self.appeal_button.setEnabled(False)
        self.appeal_button.clicked.connect(self.appeal)
        self.open_attachment_button = QPushButton(self.tr("Open attachment"))
        self.open_attachment_button.setToolTip(self.tr("Open the file the city sent with the notice"))
        self.open_attachment_button.clicked.connect(self.open_attachment)
        self.save_attachment_button = QPushButton(self.tr("Save attachment as…"))
        self.save_attachment_button.clicked.connect(self.save_attachment)
        self.open_attachment_button.setEnabled(False)
        self.save_attachment_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.appeal_button)
        row.addWidget(self.open_attachment_button)
        row.addWidget(self.save_attachment_button)
        row.addStretch(1)
        layout = QVBoxLayout(w)
        layout.addWidget(self.city_records)
        layout.addLayout(row)
        return w

    def _city_selected(self) -> None:
        kind = (self.selected_city_record() or ("",))[0]
        self.appeal_button.setEnabled(kind in ("notice", "review", "deduction"))
        att = self.selected_attachment()
        self.open_attachment_button.setEnabled(att is not None and att.present)
        self.save_attachment_button.setEnabled(att is not None and att.present)

    def selected_attachment(self) -> Any:
        target = self.selected_city_record()
        if target is None or target[0] != "attachment":
            return None
        return self.attachments[int(target[1])]

    def open_attachment(self) -> None:
        from ui.dialogs.attachments import open_attachment

        att = self.selected_attachment()
        if att is not None and att.present:
            self.opened_attachment = open_attachment(self, self.ctx, att)

    def save_attachment(self) -> None:
        from ui.dialogs.attachments import save_attachment_as

        att = self.selected_attachment()
        if att is not None and att.present:
            save_attachment_as(self, att)

    def selected_city_record(self) -> tuple[str, str] | None:
        items = self.city_records.selectedItems()
        target = items[0].data(0, Qt.ItemDataRole.UserRole) if items else None
        return tuple(target) if target else None  # type: ignore[return-value]

    def appeal(self) -> None:
        """申诉: the reasons travel to the city with the next report; the result comes back with feedback."""
        from ui.dialogs.appeal_dialog import file_appeal

        target = self.selected_city_record()
        if target is None or target[0] not in ("notice", "review", "deduction"):
            return
        items = self.city_records.selectedItems()
        what = " ".join(t for t in (items[0].text(0), items[0].text(1)) if t) if items else target[1]
        if file_appeal(self, self.ctx, target[0], target[1], what, self.task_id) is not None:
            self.load()

    # -- loading -----------------------------------------------------------------------------
    def load(self) -> None:
        is_new = self.task_id is None
        for i in range(1, self.tabs.count()):
            self.tabs.setTabEnabled(i, not is_new)
        self.submit_button.setEnabled(not is_new and not self.at_desk)
        self.pdf_button.setEnabled(not is_new)
        typed = self.is_dirty()  # fields typed and not saved yet stay as they are while nodes change
        if is_new:
            self.header.setText(self.tr("New rectification task: fill in the fields marked * and save."))
            if not typed:
                self.deadline.setDate(_qdate(self.ctx.ws.today.isoformat()).addMonths(1))
                self.mark_clean()
            self._node_buttons()
            return
        assert self.task_id is not None
        task_id = self.task_id

        def read(s: Session) -> dict[str, Any]:
            t = get_task(s, task_id)
            q = queries.LedgerQuery(s, self.ctx.ws.today)
            light = q.light_of(t.id)
            return {
                "title": t.title, "city_ref": t.city_ref, "source": t.source, "category": t.category,
                "section": t.section.name if t.section else "", "owner": t.owner.name if t.owner else "",
                "leader": t.leader, "batch": t.batch, "deadline": t.deadline, "description": t.description,
                "measures": t.measures, "status": t.status, "light": light.color, "reason": light.reason,
                "from_city": t.from_city,
                "nodes": [(n.seq, n.title, n.due, n.status, n.done, n.done_by, n.confirmed_by)
                          for n in live_nodes(t)],
                "evidence": queries.task_evidence(s, t.id),
                "history": queries.task_history(s, t.id),
                "notices": queries.notice_rows(s, t.id),
                "attachments": queries.notice_attachments(s, self.ctx.ws.evidence, task_id=t.id),
                "city": queries.task_city_records(s, t.id),
                "appeals": queries.appeal_rows(s, t.id),
            }

        d = self.ctx.read(read)
        self.data = d
        self.header.setText(f"<b>{escape(d['title'])}</b>　{labels.label('status', d['status'])}　"
                            f"{labels.label('light', d['light'])}：{escape(d['reason'])}")
        self.setWindowIcon(light_icon(d["light"]))
        self.city_ref.setText(d["city_ref"] or self.tr("(none — entered by this unit)"))
        if not typed:
            self.title_edit.setText(d["title"])
            self.source.setCurrentIndex(max(0, self.source.findData(d["source"])))
            self.category.setCurrentIndex(max(0, self.category.findData(d["category"])))
            self.section.setCurrentText(d["section"])
            self.owner.setCurrentText(d["owner"])
            self.leader.setText(d["leader"])
            self.batch.setCurrentText(d["batch"])
            self.deadline.setDate(_qdate(d["deadline"]))
            self.description.setPlainText(d["description"])
            self.measures.setPlainText(d["measures"])
            self.mark_clean()
        closed = d["status"] == "closed"
        self.save_button.setEnabled(not closed)
        self.submit_button.setEnabled(d["status"] in ("in_progress", "returned", "open") and not self.at_desk)

        self.nodes.clear()
        self.evidence_node.clear()
        self.evidence_node.addItem(self.tr("the task"), None)
        for seq, title, due, status, done, done_by, confirmed_by in d["nodes"]:
            item = QTreeWidgetItem([str(seq), title, due, labels.label("node_status", status), done or "",
                                    done_by or "", confirmed_by or ""])
            item.setData(0, Qt.ItemDataRole.UserRole, seq)
            item.setData(0, Qt.ItemDataRole.UserRole + 1, status)
            self.nodes.addTopLevelItem(item)
            self.evidence_node.addItem(self.tr("node %s") % seq, seq)
        for i in range(7):
            if i != 1:
                self.nodes.resizeColumnToContents(i)
        self._node_buttons()
        self._load_evidence(d["evidence"])
        self._load_history(d["history"])
        self.attachments = d["attachments"]
        self._load_city(d["notices"], d["city"], d["appeals"])
        QTimer.singleShot(0, self.load_quality)  # a scan of all evidence: after the editor is painted

    def load_quality(self) -> None:
        """佐证质量提示 of this task (warnings from core.team.quality, never refusals)."""
        from ui.dialogs.quality_dialog import flag_label, task_flags

        if self.task_id is None:
            return
        found = task_flags(self.ctx, self.task_id)
        self.quality.setText("⚠ " + self.tr("Evidence quality: %s") % "；".join(f.detail for f in found)
                             if found else "")
        self.quality.setToolTip(tooltip("\n".join(f"{flag_label(f.kind)}：{f.detail}" for f in found)))
        self.quality.setVisible(bool(found))

    def _load_evidence(self, files: list[dict[str, Any]]) -> None:
        self.evidence.clear()
        for ev in files:
            item = QListWidgetItem(ev["filename"])
            item.setData(EVIDENCE_ID_ROLE, ev)
            item.setToolTip(tooltip(f"{ev['filename']}\nSHA-256: {ev['sha256']}"))
            item.setIcon(self._thumbnail(ev))
            self.evidence.addItem(item)
        self._evidence_selected()

    def _thumbnail(self, ev: dict[str, Any]) -> QIcon:
        if str(ev["media_type"]).startswith("image/"):
            pm = QPixmap(str(self.ctx.ws.evidence.path_for(ev["sha256"])))
            if not pm.isNull():
                return QIcon(pm.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation))
        style = self.style()
        return style.standardIcon(style.StandardPixmap.SP_FileIcon)

    def _load_history(self, entries: list[dict[str, Any]]) -> None:
        self.history.clear()
        for e in entries:
            summary = labels.change_summary(e["summary"], e["action"])
            item = QTreeWidgetItem([e["at"][:19].replace("T", " "), e["user"], labels.label("action", e["action"]),
                                    summary])
            item.setToolTip(3, tooltip(summary))
            self.history.addTopLevelItem(item)
        self.history.resizeColumnToContents(0)
        self.history.resizeColumnToContents(2)

    def _load_city(self, notices: list[dict[str, Any]], city: dict[str, list[dict[str, Any]]],
                   appeals: list[dict[str, Any]]) -> None:
        from ui.dialogs.appeal_dialog import result_text, target_word

        self.city_records.clear()
        groups = [
            (self.tr("Supervision notices"), [
                (("notice", n["id"]), f"{labels.label('notice_level', n['level'])}：{n['title']}", n["issued"][:10],
                 f"{labels.label('notice_state', n['state'])}　{n['text']}") for n in notices]),
            (self.tr("City reviews"), [
                (("review", r["id"]), labels.label("review", r["result"]), r["reviewed"][:10],
                 f"{r['reviewer']}：{r['comment']}") for r in city["reviews"]]),
            (self.tr("Deductions"), [
                (("deduction", x["id"]), f"{labels.label('deduction', x['kind'])} {x['points']:g}",
                 x["issued"][:10], x["reason"]) for x in city["deductions"]]),
            (self.tr("Appeals"), [
                (("appeal", a["id"]), f"{target_word(a['target_type'])}：{result_text(a)}", a["filed"][:10],
                 a["reason"]) for a in appeals]),
        ]
        from ui.dialogs.attachments import attachment_line

        comments = {a["id"]: a for a in appeals if a["comment"]}
        sent = self.tr("File sent by the city")
        for name, rows in groups:
            top = QTreeWidgetItem([f"{name}（{len(rows)}）", "", ""])
            for target, *texts in rows:
                child = QTreeWidgetItem(texts)
                child.setData(0, Qt.ItemDataRole.UserRole, list(target))
                child.setToolTip(2, tooltip(texts[2]))
                top.addChild(child)
                for i, att in enumerate(self.attachments):  # the city's files under the notice
                    if target[0] == "notice" and att.notice_id == target[1]:
                        item = QTreeWidgetItem([attachment_line(att), "", sent])
                        item.setIcon(0, self.style().standardIcon(self.style().StandardPixmap.SP_FileIcon))
                        item.setData(0, Qt.ItemDataRole.UserRole, ["attachment", str(i)])
                        item.setToolTip(0, self.tr("Double-click to open"))
                        child.addChild(item)
                decided = comments.get(target[1]) if target[0] == "appeal" else None
                if decided:  # the city's answer under the appeal, in full
                    answer = QTreeWidgetItem([self.tr("City's comment"), (decided["decided"] or "")[:10],
                                              decided["comment"]])
                    answer.setToolTip(2, tooltip(decided["comment"]))
                    child.addChild(answer)
            self.city_records.addTopLevelItem(top)
        self.city_records.expandAll()
        self.city_records.resizeColumnToContents(0)
        self._city_selected()

    # -- actions -----------------------------------------------------------------------------
    def task_input(self) -> TaskInput:
        return TaskInput(title=self.title_edit.text(), source=self.source.currentData() or "",
                         category=self.category.currentData() or "", owner=self.owner.currentText(),
                         deadline=_iso(self.deadline), section=self.section.currentText(),
                         leader=self.leader.text(), batch=self.batch.currentText(),
                         description=self.description.toPlainText(), measures=self.measures.toPlainText(),
                         nodes=list(self.adopted_nodes))

    def save(self) -> bool:
        self.clear_marks()
        data = self.task_input()
        user = self.ctx.user
        if self.task_id is None:
            if not data.owner.strip():
                # core accepts a task without owner; the window insists on 三明确 (who is responsible).
                from core.errors import InputRefused
                from ui.messages import show_user_error

                refusal = InputRefused(self.tr("Please name the person responsible (owner)."), field="owner")
                show_user_error(self, refusal)
                self.mark_error(refusal)
                return False
            new_id = self.ctx.act(self, lambda s: create_task(s, user, data).id, on_refused=self.mark_error)
            if new_id is None:
                return False
            self.task_id = new_id
        else:
            task_id = self.task_id
            if self.ctx.act(self, lambda s: edit_task(s, user, task_id, data, owner_set=True, section_set=True),
                            on_refused=self.mark_error) is None:
                return False
        self.adopted_nodes = []
        self.adopted_label.hide()
        self.clear_marks()
        self.mark_clean()  # saved: what core stored is loaded back
        self.load()
        return True

    def task_pdf(self) -> None:
        from ui.pages.reports_box import write_pdf_report

        if self.task_id is None:
            return
        name = f"{self.title_edit.text()[:30] or 'task'}.pdf"
        path = file_dialogs.save_file(self, "reports", self.tr("Save the task report"), name, "PDF (*.pdf)")
        if path:
            self.last_job = write_pdf_report(self, self.ctx, path, "task", self.task_id)

    def submit(self) -> None:
        if self.task_id is None or self.at_desk:
            return
        task_id = self.task_id
        if self.ctx.act(self, lambda s: submit_task(s, self.ctx.user, task_id)) is not None:
            self.load()

    def selected_node(self) -> tuple[int, str] | None:
        items = self.nodes.selectedItems()
        if not items:
            return None
        item = items[0]
        return int(item.data(0, Qt.ItemDataRole.UserRole)), str(item.data(0, Qt.ItemDataRole.UserRole + 1))

    def _node_buttons(self) -> None:
        sel = self.selected_node() if hasattr(self, "nodes") else None
        self.done_button.setEnabled(sel is not None and sel[1] == "pending")
        self.confirm_button.setEnabled(sel is not None and sel[1] == "done" and not self.at_desk)
        self.delete_node_button.setEnabled(sel is not None)
        row = self.nodes.indexOfTopLevelItem(self.nodes.selectedItems()[0]) if sel is not None else -1
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.nodes.topLevelItemCount() - 1)

    def add_node(self) -> None:
        assert self.task_id is not None
        dlg = NodeDialog(self.tr("Add node"), self, today=self.ctx.ws.today)
        task_id = self.task_id

        def submit() -> bool:
            title, due = dlg.value()
            return self.ctx.act(dlg, lambda s: add_node(s, self.ctx.user, task_id, title, due),
                                on_refused=dlg.mark_error) is not None

        dlg.on_accept(submit)
        if dlg.exec():
            self.load()

    def complete_node(self) -> None:
        """填报完成, with the node's evidence in the same transaction (off the GUI thread when files come)."""
        sel = self.selected_node()
        if sel is None or self.task_id is None:
            return
        dlg = NodeDialog(self.tr("Report node %s done") % sel[0], self, done=True, today=self.ctx.ws.today)
        self.node_dialog = dlg
        task_id, today, seq = self.task_id, self.ctx.ws.today, sel[0]
        store, user = self.ctx.ws.evidence, self.ctx.user

        def report(s: Session, progress: Progress | None = None) -> str:
            note, done = dlg.value()
            files = list(dlg.files)
            for i, p in enumerate(files):
                if progress is not None:
                    progress.report(i, len(files), p.name)
                attach_file(s, store, user, task_id, p, node_seq=seq)
            node = complete_node(s, user, task_id, seq, done=date.fromisoformat(done), note=note, today=today)
            return node.title

        def finished(title: str) -> None:
            dlg.finish()
            self.load()
            self.offer_undo(fill(self.tr("Node %1 “%2” reported done."), seq, title),
                            lambda s: undo_node_done(s, user, task_id, seq))

        def submit() -> bool:
            if dlg.files:  # scans can be large: off the GUI thread, still one transaction
                self.done_job = self.ctx.act_in_background(dlg, report, finished, title=self.tr("Adding evidence…"),
                                                           on_refused=dlg.mark_error)
                return False  # the dialog closes when the work is done (finished), stays on a refusal
            title = self.ctx.act(dlg, report, on_refused=dlg.mark_error)
            if title is None:
                return False
            finished(title)
            return True

        dlg.on_accept(submit)
        dlg.exec()

    def confirm_node(self) -> None:
        sel = self.selected_node()
        if sel is None or self.task_id is None or self.at_desk:
            return
        task_id = self.task_id
        from core.errors import UserError
        from core.ledger.tasks import SamePersonConfirm
        from ui.dialogs.people_dialogs import ask_to_switch_user
        from ui.messages import show_user_error

        try:
            with self.ctx.ws.session() as s:
                confirm_node(s, self.ctx.user, task_id, sel[0])
        except SamePersonConfirm as exc:
            if ask_to_switch_user(self, self.ctx, exc.seq, exc.actor):
                self.confirm_node()  # as the colleague just chosen
            return
        except UserError as exc:
            show_user_error(self, exc)
            return
        self.ctx.changed.emit()
        self.load()

    def move_node(self, step: int) -> None:
        """调整节点顺序 through core: city-assigned nodes keep their numbers (core says so if asked)."""
        sel = self.selected_node()
        if sel is None or self.task_id is None:
            return
        seqs = [int(self.nodes.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole))
                for i in range(self.nodes.topLevelItemCount())]
        row = seqs.index(sel[0])
        other = row + step
        if not 0 <= other < len(seqs):
            return
        order = list(seqs)
        order[row], order[other] = order[other], order[row]
        task_id = self.task_id
        if self.ctx.act(self, lambda s: reorder_nodes(s, self.ctx.user, task_id, order)) is not None:
            self.load()
            self.nodes.setCurrentItem(self.nodes.topLevelItem(other))

    def delete_node(self) -> None:
        from ui.messages import confirm

        sel = self.selected_node()
        if sel is None or self.task_id is None:
            return
        if not confirm(self, self.tr("Delete node"), self.tr("Delete node %s?") % sel[0]):
            return
        task_id = self.task_id
        if self.ctx.act(self, lambda s: delete_node(s, self.ctx.user, task_id, sel[0])) is not None:
            self.load()

    def _choose_files(self) -> None:
        files = file_dialogs.open_files(self, "evidence", self.tr("Choose evidence files"))
        if files:
            self.attach_files(files)

    def attach_files(self, paths: list[Path]) -> None:
        """Off the GUI thread (a scanned PDF or a video can be hundreds of MB), in one transaction:
        a refusal or Cancel leaves the task as it was."""
        if self.task_id is None:
            return
        task_id, seq = self.task_id, self.evidence_node.currentData()
        store, user = self.ctx.ws.evidence, self.ctx.user

        def attach(s: Session, progress: Progress) -> int:
            for i, p in enumerate(paths):
                progress.report(i, len(paths), p.name)
                attach_file(s, store, user, task_id, p, node_seq=seq)
            return len(paths)

        self.attach_job = self.ctx.act_in_background(self, attach, lambda _n: self.load(),
                                                     title=self.tr("Adding evidence…"))

    def selected_evidence(self) -> dict[str, Any] | None:
        items = self.evidence.selectedItems()
        return items[0].data(EVIDENCE_ID_ROLE) if items else None

    def _evidence_selected(self) -> None:
        ev = self.selected_evidence()
        self.open_button.setEnabled(ev is not None)
        self.remove_button.setEnabled(ev is not None)
        if ev is None:
            count = self.evidence.count()
            self.evidence_info.setText(self.tr("%s file(s). Select one to see its details.") % count)
            return
        where = self.tr("node %s") % ev["node_seq"] if ev["node_seq"] else self.tr("the task")
        self.evidence_info.setText(
            fill(self.tr("%1 · %2 bytes · attached to %3 · added %4 by %5\nSHA-256: %6"), ev["filename"],
                 f"{ev['size']:,}", where, ev["added"][:10], ev["added_by"], ev["sha256"]))

    def open_evidence(self) -> None:
        ev = self.selected_evidence()
        if ev is None:
            return
        # The store names files by hash; a copy under the original name lets the system pick the viewer.
        folder = self.ctx.ws.paths.tmp / "open" / ev["sha256"][:16]
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / Path(ev["filename"]).name
        if not target.exists():
            self.ctx.ws.evidence.export_copy(ev["sha256"], target)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def remove_evidence(self) -> None:
        from ui.messages import confirm

        ev = self.selected_evidence()
        if ev is None:
            return
        question = self.tr("Remove “%s” from this task?") % ev["filename"]
        if not confirm(self, self.tr("Remove evidence"), question):
            return
        user = self.ctx.user
        if self.ctx.act(self, lambda s: remove_evidence(s, user, ev["id"])) is not None:
            self.load()
            self.offer_undo(self.tr("“%s” was removed from this task.") % ev["filename"],
                            lambda s: restore_evidence(s, user, ev["id"]))

    def extra_state(self) -> tuple[Any, ...]:
        """Nodes taken over from a 相似问题 suggestion are unsaved work too."""
        return tuple((n.title, n.due) for n in getattr(self, "adopted_nodes", []))

    # -- undo --------------------------------------------------------------------------------
    def offer_undo(self, text: str, step: Callable[[Session], Any]) -> None:
        """The last step can be taken back (撤销) through core, which audits it and refuses once reported."""
        self.undo_step = (text, step)
        self.undo_text.setText(text)
        self.undo_bar.show()

    def undo(self) -> None:
        if self.undo_step is None:
            return
        _text, step = self.undo_step
        self.undo_step = None
        self.undo_bar.hide()
        if self.ctx.act(self, step) is not None:
            self.load()

    # -- files dropped anywhere on the editor ------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.task_id is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:
        if self.task_id is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_files(event)
        if paths and self.task_id is not None:
            event.acceptProposedAction()
            self.tabs.setCurrentIndex(2)
            self.attach_files(paths)

