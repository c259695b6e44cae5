"""Adding a user (填报员 / 审核人 / 管理员) and handing a person's open tasks over to a colleague (交接)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from core.errors import UserError
from ui import labels
from ui.dialogs.key_dialogs import password_field
from ui.messages import plain


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class AddUserDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a user"))
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.role = QComboBox()
        for key, text in labels.choices("role"):
            self.role.addItem(text, key)
        self.section = QLineEdit()
        self.password = password_field()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Section"), self.section)
        form.addRow(self.tr("Initial password"), self.password)
        form.addRow(_buttons(self))


class HandoverDialog(QDialog):
    def __init__(self, from_name: str, people: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hand over tasks"))
        form = QFormLayout(self)
        intro = QLabel(self.tr("All open tasks of %s go to the colleague named below; the handover is recorded "
                               "and reported to the city.") % from_name)
        intro.setWordWrap(True)
        form.addRow(intro)
        self.to = QComboBox()
        self.to.setEditable(True)
        self.to.addItems([p for p in people if p != from_name])
        self.to.setCurrentText("")
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(80)
        self.left = QCheckBox(self.tr("%s has left the unit") % from_name)
        form.addRow(self.tr("Hand over to"), self.to)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(self.left)
        form.addRow(_buttons(self))


class LoginDialog(QDialog):
    """Asked at start once more than one person with a password uses this ledger (core decides)."""

    def __init__(self, authenticate: Any, session_factory: Any, user: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._authenticate, self._sessions = authenticate, session_factory
        self.setWindowTitle(self.tr("Log in to RectiDesk"))
        form = QFormLayout(self)
        self.name = QLineEdit(user)
        self.password = password_field()
        self.error = plain(QLabel())
        self.error.setWordWrap(True)
        self.error.setStyleSheet("QLabel { color: #c5221f; }")
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.error)
        buttons = _buttons(self)
        buttons.accepted.disconnect()
        buttons.accepted.connect(self.try_login)
        form.addRow(buttons)

    def try_login(self) -> None:
        try:
            with self._sessions() as s:
                self._authenticate(s, self.name.text(), self.password.text())
        except UserError as exc:
            self.error.setText(str(exc))
            self.password.clear()
            return
        self.accept()


class PasswordDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Set my password"))
        form = QFormLayout(self)
        self.first, self.second = password_field(), password_field()
        form.addRow(self.tr("New password"), self.first)
        form.addRow(self.tr("Type it again"), self.second)
        form.addRow(_buttons(self))
