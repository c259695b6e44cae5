"""整改情况反馈: the unit's response to a supervision notice, with evidence files (dropped or chosen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class RespondDialog(QDialog):
    def __init__(self, notice: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.files: list[Path] = []
        self.setWindowTitle(self.tr("Respond to a notice"))
        self.setAcceptDrops(True)
        self.resize(620, 440)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{notice['title']}</b>")
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(QLabel(self.tr("How was the problem handled?")))
        self.text = QPlainTextEdit()
        layout.addWidget(self.text, 2)
        layout.addWidget(QLabel(self.tr("Evidence (drag files here, or add them):")))
        self.file_list = QListWidget()
        layout.addWidget(self.file_list, 1)
        row = QHBoxLayout()
        add = QPushButton(self.tr("Add files…"))
        add.clicked.connect(self._choose)
        row.addWidget(add)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def add_files(self, paths: list[Path]) -> None:
        for p in paths:
            if p not in self.files:
                self.files.append(p)
                self.file_list.addItem(p.name)

    def _choose(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose evidence files"))
        self.add_files([Path(f) for f in files])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_files([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()
