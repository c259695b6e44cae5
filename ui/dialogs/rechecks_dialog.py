"""回头看: closed tasks looked at again months later; the result (with evidence) is recorded through core.

A failed re-check reopens the task with the reason (core.team.rechecks.record); only a reviewer or an
administrator may record one (core refuses others, and the window shows core's words).
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.dialogs.files import FilesDialog
from ui.guide import add_help
from ui.messages import fill
from ui.sizes import resize_to_fit


class RecheckResultDialog(FilesDialog):
    """Passed or failed, what was found, and the photos or papers of the visit."""

    def __init__(self, row: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record a re-check (回头看)"))
        resize_to_fit(self, 600, 440)
        head = QLabel(f"<b>{escape(row.city_ref or '')} {escape(row.title)}</b><br>"
                      + escape(fill(self.tr("Closed on %1, re-check due %2"), row.closed_on or "—", row.due)))
        head.setWordWrap(True)
        self.result = QComboBox()
        self.result.addItem(self.tr("Passed: the problem has not come back"), "passed")
        self.result.addItem(self.tr("Failed: the problem came back (the task is reopened)"), "failed")
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("What was found; required when the re-check failed"))
        form = QFormLayout()
        form.addRow(self.tr("Result"), self.result)
        form.addRow(self.tr("Findings"), self.note)
        self.fields = {"note": self.note}
        form.addRow(self.tr("Evidence"), self.files_box())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "rechecks")
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addLayout(form, 1)
        layout.addWidget(buttons)


class RechecksDialog(QDialog):
    """Re-checks due (or all not yet done, or every one) with a button to record a result."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Re-checks (回头看)"))
        resize_to_fit(self, 900, 520)
        self.show_filter = QComboBox()
        self.show_filter.addItem(self.tr("Due now"), "due")
        self.show_filter.addItem(self.tr("Not yet done"), "pending")
        self.show_filter.addItem(self.tr("All re-checks"), "all")
        self.show_filter.currentIndexChanged.connect(self.refresh)
        self.summary = QLabel()
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([self.tr("Task"), self.tr("Closed on"), self.tr("Re-check due"),
                                   self.tr("Result"), self.tr("Done on"), self.tr("Findings")])
        self.tree.header().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.tree.itemSelectionChanged.connect(self._buttons)
        self.tree.itemDoubleClicked.connect(lambda *_: self.open_task())
        self.record_button = QPushButton(self.tr("Record result…"))
        self.record_button.clicked.connect(self.record)
        self.task_button = QPushButton(self.tr("Open the task"))
        self.task_button.clicked.connect(self.open_task)
        top = QHBoxLayout()
        top.addWidget(self.show_filter)
        top.addWidget(self.summary, 1)
        row = QHBoxLayout()
        row.addWidget(self.record_button)
        row.addWidget(self.task_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        add_help(self, close, "rechecks")
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self.rows: list[Any] = []
        self.refresh()

    def refresh(self) -> None:
        from core.team.rechecks import list_rechecks

        state = self.show_filter.currentData()
        today = self.ctx.ws.today
        self.rows = self.ctx.read(lambda s: list_rechecks(s, today, state=state))
        self.tree.clear()
        for r in self.rows:
            item = QTreeWidgetItem([f"{r.city_ref or ''} {r.title}".strip(), r.closed_on or "", r.due,
                                    self.result_label(r.result), r.done or "", r.note])
            if r.result is None and r.due <= today.isoformat():
                item.setForeground(2, QBrush(QColor("#d93025")))
            if r.result == "failed":
                item.setForeground(3, QBrush(QColor("#d93025")))
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(1)
        self.tree.setColumnWidth(0, 300)
        self.summary.setText(self.tr("%s re-check(s)") % len(self.rows))
        if self.rows:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._buttons()

    def result_label(self, result: str | None) -> str:
        return {"passed": self.tr("Passed"), "failed": self.tr("Failed"),
                "cancelled": self.tr("Cancelled")}.get(result or "", self.tr("Not yet done"))

    def current(self) -> Any:
        item = self.tree.currentItem()
        return self.rows[self.tree.indexOfTopLevelItem(item)] if item is not None else None

    def _buttons(self) -> None:
        r = self.current()
        self.record_button.setEnabled(r is not None and r.result is None)
        self.task_button.setEnabled(r is not None)

    def record(self) -> Any:
        from core.team.rechecks import record

        r = self.current()
        if r is None or r.result is not None:
            return None
        dialog = RecheckResultDialog(r, self)
        ws, user = self.ctx.ws, self.ctx.user
        recorded: list[Any] = []

        def submit() -> bool:
            result, note, files = dialog.result.currentData(), dialog.note.toPlainText(), list(dialog.files)
            done = self.ctx.act(dialog, lambda s: record(s, ws.evidence, user, r.id, result, today=ws.today,
                                                         note=note, evidence=files), on_refused=dialog.mark_error)
            if done is not None:
                recorded.append(done)
            return done is not None

        dialog.on_accept(submit)
        dialog.exec()
        if recorded:
            self.refresh()
        return recorded[0] if recorded else None

    def open_task(self) -> None:
        r = self.current()
        if r is not None:
            from ui.dialogs.task_editor import TaskEditor

            TaskEditor(self.ctx, r.task_id, self).exec()
            self.refresh()


def recheck_due_count(ctx: AppContext) -> int:
    from core.team.rechecks import due_count

    return ctx.read(lambda s: due_count(s, ctx.ws.today))

