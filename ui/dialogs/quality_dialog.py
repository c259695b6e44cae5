"""佐证质量提示: warnings a reviewer should look at before the city does (core.team.quality), by kind."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.guide import add_help
from ui.messages import tooltip
from ui.sizes import resize_to_fit

translate = QCoreApplication.translate


def flag_label(kind: str) -> str:
    return {"no_evidence": translate("Quality", "Sign-off requested or closed without evidence"),
            "evidence_before_assigned": translate("Quality", "Evidence dated before the problem was assigned"),
            "evidence_reused": translate("Quality", "Same file used for unrelated tasks"),
            "late_without_note": translate("Quality", "Node done late without a note")}.get(kind, kind)


def all_flags(ctx: AppContext) -> list[Any]:
    from core.team.quality import flags

    return ctx.read(flags)


def task_flags(ctx: AppContext, task_id: str) -> list[Any]:
    from core.team.quality import flags

    return ctx.read(lambda s: flags(s, task_id))


class QualityDialog(QDialog):
    def __init__(self, ctx: AppContext, found: list[Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Evidence quality warnings"))
        resize_to_fit(self, 900, 520)
        found = all_flags(ctx) if found is None else found
        intro = QLabel(self.tr("Warnings, not refusals: look at these before the city does. "
                               "Double-click a line to open its task."))
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Task"), self.tr("Details")])
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.itemDoubleClicked.connect(self._open)
        kinds = ("no_evidence", "evidence_before_assigned", "evidence_reused", "late_without_note")
        for kind in kinds:
            rows = [f for f in found if f.kind == kind]
            top = QTreeWidgetItem([f"{flag_label(kind)}（{len(rows)}）"])
            for f in rows:
                child = QTreeWidgetItem([f"{f.task_ref or ''} {f.task_title}".strip(), f.detail])
                child.setToolTip(1, tooltip(f.detail))
                child.setData(0, Qt.ItemDataRole.UserRole, f.task_id)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(bool(rows))
        self.tree.setColumnWidth(0, 320)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "task")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    def _open(self, item: QTreeWidgetItem) -> None:
        task_id = item.data(0, Qt.ItemDataRole.UserRole)
        if task_id:
            from ui.dialogs.task_editor import TaskEditor

            TaskEditor(self.ctx, task_id, self).exec()
