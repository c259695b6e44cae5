"""Before a feedback package is applied: what it would change, its warnings, or why it is refused."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from core.errors import UserError
from core.text import human_size
from ui.guide import add_help
from ui.messages import fill
from ui.sizes import resize_to_fit

SECTION_KINDS = ("section-report", "section-tasks")


def is_new(pv: Any) -> bool:
    """A package that would change something: not one imported before (the city's, or a section's)."""
    if getattr(pv, "kind", "") in SECTION_KINDS:
        return not pv.already
    return bool(pv.result.status != "already")


class ImportPreviewDialog(QDialog):
    def __init__(self, rows: list[tuple[Path, Any, UserError | None]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import: preview"))
        resize_to_fit(self, 720, 480)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Nothing has been changed yet. Check what the packages will do, then apply."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.browser = QTextBrowser()
        self.browser.setHtml(self._html(rows))
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton(self.tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        new = [pv for _, pv, err in rows if err is None and is_new(pv)]
        self.apply_button.setEnabled(bool(new))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "import")
        layout.addWidget(buttons)

    def _html(self, rows: list[tuple[Path, Any, UserError | None]]) -> str:
        parts = []
        refused, new_tasks, changed = self.tr("Refused:"), self.tr("New tasks:"), self.tr("Tasks changed:")
        for path, pv, err in rows:
            parts.append(f"<h4>{escape(path.name)}</h4>")
            if err is not None:
                parts.append(f"<p style='color:#c5221f'><b>{refused}</b> {escape(err.for_window())}</p>")
                continue
            if getattr(pv, "kind", "") == "section-report":
                parts.append(self._report_html(pv))
                continue
            if getattr(pv, "kind", "") == "section-tasks":
                parts.append(f"<p>{escape(pv.headline())}</p>")
                if pv.created:
                    parts.append(f"<p>{new_tasks} {escape('、'.join(pv.created[:20]))}</p>")
                if pv.changed:
                    parts.append(f"<p>{changed} {escape('、'.join(pv.changed[:20]))}</p>")
                parts.extend(f"<p style='color:#b07d00'>⚠ {escape(w)}</p>" for w in pv.warnings)
                continue
            parts.append(f"<p>{escape(pv.result.headline())}</p>")
            if pv.created_tasks:
                parts.append(f"<p>{new_tasks} {escape('、'.join(pv.created_tasks[:20]))}</p>")
            if pv.changed_tasks:
                parts.append(f"<p>{changed} {escape('、'.join(pv.changed_tasks[:20]))}</p>")
            parts.extend(f"<p style='color:#b07d00'>⚠ {escape(w)}</p>" for w in pv.result.warnings)
        return "".join(parts)

    def _report_html(self, pv: Any) -> str:
        """A section's report: each task, the nodes it marks done (by whom), the evidence files (name, size)."""
        parts = [f"<p>{escape(pv.headline())}</p>"]
        parts.extend(f"<p style='color:#b07d00'>⚠ {escape(w)}</p>" for w in pv.warnings)
        if not pv.already:
            parts.append("<p>" + escape(self.tr("Nodes marked done by the section await the unit's two-person "
                                                "check after the import.")) + "</p>")
        for t in pv.tasks:
            heading = fill(self.tr("Task: %1"), t.title)
            parts.append(f"<p><b>{escape(heading)}</b></p><ul>")
            for n in t.nodes:
                text = fill(self.tr("Node %1 “%2”: done on %3 by %4"), n.seq, n.title, n.done or "—",
                            n.done_by or "—")
                if n.note:
                    text += fill(self.tr(" — %1"), n.note)
                if not n.new:
                    text += self.tr(" (already done here, unchanged)")
                parts.append(f"<li>{escape(text)}</li>")
            for f in t.files:
                where = fill(self.tr(", node %1"), f.node_seq) if f.node_seq else ""
                text = fill(self.tr("Evidence: %1 (%2, added by %3%4)"), f.filename, human_size(f.size),
                            f.added_by or "—", where)
                if not f.new:
                    text += self.tr(" (already attached)")
                parts.append(f"<li>{escape(text)}</li>")
            parts.append("</ul>")
        return "".join(parts)

    @property
    def text(self) -> str:
        return self.browser.toPlainText()
