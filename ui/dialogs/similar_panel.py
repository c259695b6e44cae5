"""相似问题: while the clerk types a problem, similar past tasks and library entries with their measures and nodes;
one click copies them into the task being edited."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.messages import fill, plain

DEBOUNCE_MS = 300
MIN_CHARS = 4


class SimilarPanel(QGroupBox):
    """Suggestions for the text typed; `adopted(measures, [(node title, due date)])` when the clerk takes one."""

    adopted = Signal(str, list)
    updated = Signal()  # new suggestions are shown (for tests)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setTitle(self.tr("Similar problems"))
        self.suggestions: list[Any] = []
        self._text = ("", "")
        self._exclude: str | None = None
        self._generation = 0
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._ask)
        self.hint = plain(QLabel(self.tr("Type the problem: similar past tasks and typical measures appear here.")))
        self.hint.setWordWrap(True)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show)
        self.list.itemDoubleClicked.connect(lambda _item: self.adopt())
        self.detail = QPlainTextEdit(readOnly=True)
        self.detail.setPlaceholderText(self.tr("Choose a suggestion to see its measures and nodes."))
        self.use_button = QPushButton(self.tr("Use these measures and nodes"))
        self.use_button.setToolTip(self.tr("Copies the measures and the node plan into this task; "
                                           "you can change them before saving"))
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self.adopt)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 2)
        layout.addWidget(self.detail, 3)
        layout.addWidget(self.use_button)

    # -- asking ------------------------------------------------------------------------------
    def set_problem(self, title: str, description: str, exclude_task: str | None = None) -> None:
        """The text changed: ask again once the typing pauses."""
        self._text, self._exclude = (title, description), exclude_task
        self._timer.start()

    def _ask(self) -> None:
        title, description = self._text
        if len((title + description).strip()) < MIN_CHARS or not self.ctx.ready:
            return
        from core.measures.similar import SimilarIndex, suggest

        self._generation += 1
        generation, ws, exclude = self._generation, self.ctx.ws, self._exclude

        def work() -> tuple[int, list[Any]]:
            with ws.read() as s:
                return generation, suggest(s, SimilarIndex(ws.paths.similar_index), title, description,
                                           limit=8, exclude_task=exclude)

        from ui.background import run_quietly

        run_quietly(work, self._shown)

    def _shown(self, result: tuple[int, list[Any]]) -> None:
        generation, found = result
        if generation != self._generation:
            return  # the clerk typed on: a newer answer is coming
        self.suggestions = found
        self.list.clear()
        for s in found:
            if s.source == "ledger":
                kind = self.tr("Closed task") if s.status == "closed" else self.tr("Past task")
            else:
                kind = self.tr("Unit library") if s.own else self.tr("Measures library")
            item = QListWidgetItem(fill("[%1] %2", kind, s.title))
            item.setToolTip("<p>" + html.escape(s.title) + "</p>")  # always rich text, so always escaped
            self.list.addItem(item)
        self.hint.setText(self.tr("No similar problem found.") if not found else
                          fill(self.tr("%1 similar problems, closest first (closed tasks first)."), len(found)))
        self.detail.clear()
        self.use_button.setEnabled(False)
        if found:
            self.list.setCurrentRow(0)
        self.updated.emit()

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.suggestions):
            self.detail.clear()
            self.use_button.setEnabled(False)
            return
        s = self.suggestions[row]
        lines = [s.title, ""]
        if s.measures:
            lines += [self.tr("Measures:"), s.measures, ""]
        if s.nodes:
            lines.append(self.tr("Nodes:"))
            lines += [fill(self.tr("  %1. %2 (day %3)"), i, n.title, n.days) for i, n in enumerate(s.nodes, 1)]
        if s.took_days is not None:
            lines += ["", fill(self.tr("Closed after %1 days.") if s.source == "ledger"
                               else self.tr("Planned over %1 days."), s.took_days)]
        self.detail.setPlainText("\n".join(lines))
        self.use_button.setEnabled(bool(s.measures or s.nodes))

    # -- taking one --------------------------------------------------------------------------
    def adopt(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.suggestions):
            return
        from core.measures.similar import plan_from

        s = self.suggestions[row]
        start: date = self.ctx.ws.today
        self.adopted.emit(s.measures, plan_from(s, start))

    def sizeHint(self) -> Any:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        hint.setWidth(max(hint.width(), 300))
        return hint

