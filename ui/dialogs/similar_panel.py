"""相似问题: while the clerk types a problem, similar past tasks and library entries with their measures and nodes;
one click copies them into the task being edited."""

from __future__ import annotations

import html
import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
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

log = logging.getLogger(__name__)
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
        self.show_suggestions(found)

    def show_suggestions(self, found: list[Any]) -> None:
        """Show suggestions found elsewhere (the import preview looks them up for all its rows at once)."""
        self._timer.stop()
        self._generation += 1  # an answer still on its way is for another text
        self.suggestions = found
        self.list.clear()
        for s in found:
            item = QListWidgetItem(self.label(s))
            item.setToolTip("<p>" + html.escape(s.title) + "</p>")  # always rich text, so always escaped
            self.list.addItem(item)
        self.hint.setText(self.tr("No similar problem found.") if not found else
                          fill(self.tr("%1 similar problems, closest first (closed tasks first)."), len(found)))
        self.detail.clear()
        self.use_button.setEnabled(False)
        if found:
            self.list.setCurrentRow(0)
        self.updated.emit()

    @classmethod
    def label(cls, s: Any) -> str:
        """A suggestion as the list shows it: where it comes from, then its title."""
        if s.source == "ledger":
            kind = (QCoreApplication.translate("SimilarPanel", "Closed task") if s.status == "closed"
                    else QCoreApplication.translate("SimilarPanel", "Past task"))
        else:
            kind = (QCoreApplication.translate("SimilarPanel", "Unit library") if s.own
                    else QCoreApplication.translate("SimilarPanel", "Measures library"))
        return fill("[%1] %2", kind, s.title)

    def show_waiting(self, text: str) -> None:
        """Nothing to choose from yet (the suggestions are being looked up, or there are none to ask for)."""
        self._timer.stop()
        self._generation += 1
        self.suggestions = []
        self.list.clear()
        self.detail.clear()
        self.hint.setText(text)
        self.use_button.setEnabled(False)

    def current(self) -> Any:
        """The suggestion chosen in the list, or None."""
        row = self.list.currentRow()
        return self.suggestions[row] if 0 <= row < len(self.suggestions) else None

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


class BatchSuggestions(QObject):
    """Suggestions for many problems at once (the rows of an Excel import preview): looked up off the GUI thread
    a chunk at a time (`run_quietly`), the rows the clerk looks at first (`prefer`), so a list of 10,000 rows
    never holds the window. Answers are kept by text: checking the list again asks only for new wording."""

    arrived = Signal(list)  # the keys whose suggestions just arrived
    CHUNK = 50

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *, limit: int = 8) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.limit = limit
        self.by_text: dict[tuple[str, str], list[Any]] = {}
        self.texts: dict[Any, tuple[str, str]] = {}
        self.waiting: dict[Any, None] = {}  # keys not answered yet, in the list's order
        self.preferred: list[Any] = []
        self.running = False
        self.synced = False
        self.chunks: list[int] = []  # the size of each chunk asked (for tests)
        self._generation = 0

    def start(self, problems: list[tuple[Any, str, str]]) -> None:
        """A new list: (key, title, description) for each problem; what was answered before is kept."""
        self._generation += 1
        self.texts = {key: (title, description) for key, title, description in problems}
        self.waiting = {k: None for k, text in self.texts.items() if text not in self.by_text}
        self.preferred = []
        self.running = False
        self._next()

    def stop(self) -> None:
        """Ask nothing more (the preview was closed); a chunk on its way is kept for its text."""
        self._generation += 1
        self.waiting = {}
        self.preferred = []

    def get(self, key: Any) -> list[Any] | None:
        text = self.texts.get(key)
        return None if text is None else self.by_text.get(text)

    @property
    def pending(self) -> int:
        return len(self.waiting)

    def prefer(self, keys: list[Any]) -> None:
        """Ask for these next (the rows on screen, the row chosen)."""
        self.preferred = [k for k in keys if k in self.waiting]
        self._next()

    def _next(self) -> None:
        if self.running or not self.waiting or not self.ctx.ready:
            return
        chunk = list(dict.fromkeys(k for k in self.preferred if k in self.waiting))[:self.CHUNK]
        for k in self.waiting:
            if len(chunk) >= self.CHUNK:
                break
            if k not in chunk:
                chunk.append(k)
        texts = list(dict.fromkeys(self.texts[k] for k in chunk))
        self.running = True
        self.chunks.append(len(texts))
        generation, ws, limit, sync = self._generation, self.ctx.ws, self.limit, not self.synced
        from core.measures.similar import SimilarIndex, suggest_many

        def work() -> tuple[int, list[tuple[str, str]], list[list[Any]]]:
            try:
                with ws.read() as s:
                    return generation, texts, suggest_many(s, SimilarIndex(ws.paths.similar_index), texts,
                                                           limit=limit, sync=sync)
            except Exception:  # suggestions are a help, never a hold-up: these rows simply get none
                log.exception("similar problems of %d rows", len(texts))
                return generation, texts, [[] for _ in texts]

        from ui.background import run_quietly

        run_quietly(work, self._answered)

    def _answered(self, result: tuple[int, list[tuple[str, str]], list[list[Any]]]) -> None:
        generation, texts, found = result
        self.synced = True
        self.by_text.update(zip(texts, found, strict=True))
        if generation != self._generation:
            return  # a newer list: start() asked already
        self.running = False
        done = [k for k in self.waiting if self.texts[k] in self.by_text]
        for k in done:
            del self.waiting[k]
        self.arrived.emit(done)
        self._next()

