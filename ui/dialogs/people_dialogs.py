"""Who is working (login, 切换用户), adding a user (填报员 / 审核人 / 管理员), one's password, and handing a
person's open tasks over to a colleague (交接)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)

from core.errors import UserError
from ui import labels
from ui.dialogs.guard import GuardedDialog
from ui.dialogs.key_dialogs import password_field
from ui.guide import add_help
from ui.messages import fill, plain

if TYPE_CHECKING:
    from core.workspace import Workspace
    from ui.context import AppContext

translate = QCoreApplication.translate


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    add_help(dialog, buttons, "users")
    return buttons


ERROR_STYLE = "QLabel { color: #c5221f; }"
FIELD_ERROR_STYLE = "QLineEdit { border: 2px solid #c5221f; }"


def keep_wide(*fields: QWidget, width: int = 300) -> None:
    """A dialog whose layout sets its minimum size (so no message is cut off) gets its width from its fields."""
    for field in fields:
        field.setMinimumWidth(width)


def error_label() -> QLabel:
    """A red message under a form, wrapped and never cut off (the dialog grows with it)."""
    label = plain(QLabel())
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setMinimumWidth(360)
    label.hide()
    return label


class AddUserDialog(GuardedDialog):
    """添加用户. OK hands the form to `submit` (the core action); a refusal keeps everything typed, says why
    under the form and marks the field to fix. While the acting admin has no password yet, the dialog asks
    for theirs first: with a second user the window asks who is working, with passwords."""

    def __init__(self, parent: QWidget | None = None, *, submit: Callable[[AddUserDialog], None] | None = None,
                 ask_own_password: bool = False, me: str = "") -> None:
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle(self.tr("Add a user"))
        self.setMinimumWidth(440)
        form = QFormLayout(self)
        form.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # a message is never cut off
        self.own_first, self.own_second = password_field(), password_field()
        self.asks_own_password = ask_own_password
        if ask_own_password:
            intro = plain(QLabel(fill(self.tr(
                "With a second user the program asks at start who is working. First set your own password, "
                "%1:"), me)))
            intro.setWordWrap(True)
            form.addRow(intro)
            form.addRow(self.tr("My password"), self.own_first)
            form.addRow(self.tr("Type it again"), self.own_second)
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
        keep_wide(self.name, self.role, self.section, self.password, self.own_first, self.own_second)
        self.error = error_label()
        form.addRow(self.error)
        buttons = _buttons(self)
        buttons.accepted.disconnect()
        buttons.accepted.connect(self.try_add)
        form.addRow(buttons)
        self.fields = {"name": self.name, "password": self.password, "section": self.section,
                       "own_password": self.own_first}

    def try_add(self) -> None:
        self.mark("", "")
        if self.asks_own_password and self.own_first.text() != self.own_second.text():
            self.mark("own_password", self.tr("The two passwords differ. Please type them again."))
            return
        if self._submit is None:
            self.accept()
            return
        try:
            self._submit(self)
        except UserError as exc:
            self.mark(str(getattr(exc, "field", "")), exc.for_window())
            return
        self.accept()

    def mark(self, field: str, text: str) -> None:
        """Show `text` under the form and mark `field` (nothing typed is cleared); empty: clear the marks."""
        for key, widget in self.fields.items():
            widget.setStyleSheet(FIELD_ERROR_STYLE if key == field else "")
        self.error.setText(text)
        self.error.setVisible(bool(text))
        if field in self.fields:
            self.fields[field].setFocus()
            self.fields[field].selectAll()
        self.adjustSize()


class HandoverDialog(GuardedDialog):
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
        self.fields = {"to": self.to, "note": self.note}


class LoginDialog(QDialog):
    """Who is working: the unit's users in a list (not a typed name), and the password where the chosen
    user needs one (core decides: `needs_password`). A wrong password is said in full; the name stays."""

    def __init__(self, names: list[str], needs_password: Callable[[str], bool],
                 authenticate: Callable[[str, str], object], current: str = "", *,
                 switching: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._needs_password, self._authenticate = needs_password, authenticate
        self.setWindowTitle(self.tr("Switch user") if switching else self.tr("Who is working?"))
        self.setMinimumWidth(440)
        form = QFormLayout(self)
        form.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # a message is never cut off
        intro = QLabel(self.tr("Everything you do is recorded under your name. Choose your name:"))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.users = QListWidget()
        self.users.addItems(names)
        self.users.setMaximumHeight(max(3, min(len(names), 8)) * 26 + 8)
        keep_wide(self.users, width=320)
        form.addRow(self.tr("User"), self.users)
        self.password = password_field()
        self.password_label = QLabel(self.tr("Password"))
        form.addRow(self.password_label, self.password)
        self.error = error_label()
        form.addRow(self.error)
        buttons = _buttons(self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Log in"))
        buttons.accepted.disconnect()
        buttons.accepted.connect(self.try_login)
        form.addRow(buttons)
        self.users.currentRowChanged.connect(self._chosen)
        self.users.itemDoubleClicked.connect(lambda _item: self.try_login())
        row = names.index(current) if current in names else 0
        if switching and current in names and len(names) > 1:
            row = (row + 1) % len(names)  # switching is for a colleague: the next one is offered first
        self.users.setCurrentRow(row)
        self._chosen()

    def chosen(self) -> str:
        item = self.users.currentItem()
        return item.text() if item is not None else ""

    def _chosen(self) -> None:
        needed = bool(self.chosen()) and self._needs_password(self.chosen())
        self.password.setVisible(needed)
        self.password_label.setVisible(needed)
        self.password.clear()
        self.error.hide()
        if needed:
            self.password.setFocus()
        self.adjustSize()

    def try_login(self) -> None:
        name = self.chosen()
        if not name:
            self.error.setText(self.tr("Choose your name in the list."))
            self.error.show()
            return
        try:
            if self._needs_password(name):
                self._authenticate(name, self.password.text())
        except UserError as exc:
            self.error.setText(exc.for_window())
            self.error.show()
            self.password.clear()
            self.password.setFocus()
            self.adjustSize()
            return
        self.accept()


def log_in(ws: Workspace, parent: QWidget | None = None, *, requested: str | None = None,
           switching: bool = False) -> bool:
    """Settle who acts in the window, by core's rule (core.team.users.acting_user): the only user without a
    question; several: the login list (with the password where needed); none yet: the first user's name.
    False when the clerk cancelled (at start: the window does not open; switching: nothing changes)."""
    from core.team.users import active_user_names, authenticate, needs_password

    with ws.read() as s:
        names = active_user_names(s)
    if not names:
        return _first_user(ws, parent)
    if len(names) == 1 and not switching:
        ws.set_user(names[0])
        return True

    def check_password(name: str, password: str) -> object:
        with ws.read() as s:
            return authenticate(s, name, password)

    def needs(name: str) -> bool:
        with ws.read() as s:
            return needs_password(s, name)

    current = requested or (ws.user if ws.user_named else "") or str(QSettings().value("login/last", ""))
    dialog = LoginDialog(names, needs, check_password, current, switching=switching, parent=parent)
    if not dialog.exec():
        return False
    ws.set_user(dialog.chosen())
    QSettings().setValue("login/last", dialog.chosen())
    return True


def ask_to_switch_user(parent: QWidget | None, ctx: AppContext, seq: int, actor: str) -> bool:
    """双人核查 refused to the person who reported the node: say how, and offer 切换用户 right here.

    True when a colleague other than `actor` now acts (the caller then tries again as them)."""
    from PySide6.QtWidgets import QMessageBox

    title = translate("Login", "Two-person check")
    text = fill(translate("Login", "Node %1 was reported done by %2, so %2 cannot also confirm it: a second "
                                   "person checks it. Click “Switch user…” (also at the bottom right of the main "
                                   "window), choose the colleague who checks (a reviewer or an administrator), "
                                   "then confirm."), seq, actor)
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    switch = box.addButton(translate("Login", "Switch user…"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(switch)
    box.exec()
    if box.clickedButton() is not switch:
        return False
    if not log_in(ctx.ws, parent, switching=True):
        return False
    ctx.changed.emit()
    return ctx.user != actor


def _first_user(ws: Workspace, parent: QWidget | None) -> bool:
    """A ledger with no user at all (made by an older version): whoever starts it names themselves."""
    from PySide6.QtWidgets import QInputDialog

    from core.team.users import add_first_user

    while True:
        name, ok = QInputDialog.getText(parent, translate("Login", "The first user"), translate(
            "Login", "This ledger has no user yet. Your name (you become its administrator):"))
        if not ok:
            return False
        try:
            with ws.session() as s:
                person = add_first_user(s, name)
                ws.set_user(person.name)
            return True
        except UserError as exc:
            from ui.messages import show_user_error

            show_user_error(parent, exc)


class PasswordDialog(GuardedDialog):
    """设置我的密码, or — `name` given — an administrator sets a colleague's."""

    def __init__(self, parent: QWidget | None = None, *, name: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(fill(self.tr("Password of %1"), name) if name else self.tr("Set my password"))
        form = QFormLayout(self)
        self.first, self.second = password_field(), password_field()
        keep_wide(self.first, self.second, width=260)
        form.addRow(self.tr("New password"), self.first)
        form.addRow(self.tr("Type it again"), self.second)
        self.fields = {"password": self.first}
        form.addRow(_buttons(self))
