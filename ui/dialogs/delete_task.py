"""Deleting a task that weighs: it has a city number, notices or evidence. One click is not enough: the
clerk ticks that they understand and, for a task with a city number, types that number."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.ledger.tasks import DeleteGuard


class DeleteTaskDialog(QDialog):
    def __init__(self, guard: DeleteGuard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guard = guard
        self.setWindowTitle(self.tr("Delete task"))
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{escape(guard.title)}</b><br>" + escape("；".join(guard.reasons())))
        head.setWordWrap(True)
        layout.addWidget(head)
        note = QLabel(self.tr("Its nodes and evidence are deleted with it, and the deletion is reported to the "
                              "city in the next export. Only a reviewer or an administrator may do this."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #8a5300;")
        layout.addWidget(note)
        self.understood = QCheckBox(self.tr("I understand: delete this task with its nodes and evidence"))
        layout.addWidget(self.understood)
        self.number = QLineEdit()
        if guard.city_ref:
            layout.addWidget(QLabel(self.tr("To confirm, type the city ref. %s:") % guard.city_ref))
            self.number.setPlaceholderText(guard.city_ref)
            layout.addWidget(self.number)
        else:
            self.number.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = self.buttons.addButton(self.tr("Delete"), QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        from ui.guide import add_help

        add_help(self, self.buttons, "task")
        layout.addWidget(self.buttons)
        self.understood.toggled.connect(self._update)
        self.number.textChanged.connect(self._update)
        self._update()

    def ready(self) -> bool:
        typed_ok = not self.guard.city_ref or self.number.text().strip() == self.guard.city_ref
        return self.understood.isChecked() and typed_ok

    def _update(self) -> None:
        self.delete_button.setEnabled(self.ready())

    def accept(self) -> None:
        if self.ready():
            super().accept()
