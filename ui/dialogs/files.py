"""Dialogs that collect evidence files: dropped from the file manager anywhere on the dialog, or chosen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QPushButton, QVBoxLayout, QWidget

from ui.dialogs import file_dialogs

translate = QCoreApplication.translate


class FilesDialog(QDialog):
    """`self.files` are the files to attach; `files_box()` is the list with its “Add files…” button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.files: list[Path] = []
        self.setAcceptDrops(True)
        self.file_list = QListWidget()

    def files_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.file_list, 1)
        row = QHBoxLayout()
        add = QPushButton(translate("FilesDialog", "Add files…"))
        add.clicked.connect(self._choose)
        row.addWidget(add)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    def add_files(self, paths: list[Path]) -> None:
        for p in paths:
            if p not in self.files:
                self.files.append(p)
                self.file_list.addItem(p.name)

    def _choose(self) -> None:
        self.add_files(file_dialogs.open_files(self, "evidence", translate("FilesDialog", "Choose evidence files")))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_files([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()
