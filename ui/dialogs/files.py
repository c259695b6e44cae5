"""Dialogs that collect evidence files: dropped from the file manager anywhere on the dialog, or chosen;
a file added by mistake is removed again (Remove, or the Delete key) before anything is saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from core.text import human_size
from ui.dialogs import file_dialogs
from ui.dialogs.guard import GuardedDialog
from ui.messages import tooltip

translate = QCoreApplication.translate


def dropped_files(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    return [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]


class FilesDialog(GuardedDialog):
    """`self.files` are the files to attach; `files_box()` is the list with its Add and Remove buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.files: list[Path] = []
        self.setAcceptDrops(True)
        self.file_list = QListWidget()
        self.file_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.file_list.itemSelectionChanged.connect(self._selection)
        self.remove_button = QPushButton(translate("FilesDialog", "Remove"))
        self.remove_button.setToolTip(translate("FilesDialog", "Take the selected file(s) off this list (Delete)"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_button.setEnabled(False)
        remove_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.file_list)
        remove_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove_key.activated.connect(self.remove_selected)

    def extra_state(self) -> tuple[Any, ...]:
        return tuple(self.files)

    def files_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.file_list, 1)
        row = QHBoxLayout()
        add = QPushButton(translate("FilesDialog", "Add files…"))
        add.clicked.connect(self._choose)
        row.addWidget(add)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    def add_files(self, paths: list[Path]) -> None:
        for p in paths:
            if p not in self.files:
                self.files.append(p)
                try:
                    size = f"（{human_size(p.stat().st_size)}）"
                except OSError:
                    size = ""
                item = QListWidgetItem(f"{p.name}{size}")
                item.setToolTip(tooltip(str(p)))
                item.setData(Qt.ItemDataRole.UserRole, str(p))
                self.file_list.addItem(item)

    def remove_selected(self) -> None:
        for item in self.file_list.selectedItems():
            path = Path(item.data(Qt.ItemDataRole.UserRole))
            if path in self.files:
                self.files.remove(path)
            self.file_list.takeItem(self.file_list.row(item))
        self._selection()

    def _selection(self) -> None:
        self.remove_button.setEnabled(bool(self.file_list.selectedItems()))

    def _choose(self) -> None:
        self.add_files(file_dialogs.open_files(self, "evidence", translate("FilesDialog", "Choose evidence files")))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_files(dropped_files(event))
        event.acceptProposedAction()
