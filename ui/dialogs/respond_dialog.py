"""整改情况反馈: the unit's response to a supervision notice, with evidence files (dropped or chosen)."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ui.dialogs.files import FilesDialog
from ui.guide import add_help
from ui.sizes import resize_to_fit


class RespondDialog(FilesDialog):
    def __init__(self, notice: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Respond to a notice"))
        resize_to_fit(self, 620, 440)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{escape(notice['title'])}</b>")
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(QLabel(self.tr("How was the problem handled?")))
        self.text = QPlainTextEdit()
        layout.addWidget(self.text, 2)
        self.fields = {"text": self.text}
        layout.addWidget(QLabel(self.tr("Evidence (drag files here, or add them):")))
        layout.addWidget(self.files_box(), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "respond")
        layout.addWidget(buttons)
