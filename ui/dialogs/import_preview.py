"""Before a feedback package is applied: what it would change, its warnings, or why it is refused."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from core.errors import UserError
from ui.guide import add_help
from ui.sizes import resize_to_fit


class ImportPreviewDialog(QDialog):
    def __init__(self, rows: list[tuple[Path, Any, UserError | None]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import feedback: preview"))
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
        new = [pv for _, pv, err in rows if err is None and pv.result.status != "already"]
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
            parts.append(f"<p>{escape(pv.result.headline())}</p>")
            if pv.created_tasks:
                parts.append(f"<p>{new_tasks} {escape('、'.join(pv.created_tasks[:20]))}</p>")
            if pv.changed_tasks:
                parts.append(f"<p>{changed} {escape('、'.join(pv.changed_tasks[:20]))}</p>")
            parts.extend(f"<p style='color:#b07d00'>⚠ {escape(w)}</p>" for w in pv.result.warnings)
        return "".join(parts)

    @property
    def text(self) -> str:
        return self.browser.toPlainText()
