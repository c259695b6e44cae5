"""Key dialogs: a new passphrase typed twice (with the warning that a lost one cannot be recovered), and the
file choosers for the city's public key and the key backup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from core.errors import UserError
from core.exchange.keys import require_unit_key
from ui.context import AppContext
from ui.dialogs import file_dialogs
from ui.dialogs.guard import GuardedDialog
from ui.guide import add_help
from ui.messages import plain

translate = QCoreApplication.translate


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def passphrase_warning() -> QLabel:
    label = QLabel(translate("KeyDialogs", "The passphrase protects the unit's signing key. It cannot be "
                             "recovered: if it is lost, reports can no longer be signed until a new key is "
                             "registered with the city. Write it down and keep it in a safe place, and back up "
                             "the key."))
    label.setWordWrap(True)
    label.setStyleSheet("QLabel { color: #8a5300; }")
    return label


def passphrases_differ() -> str:
    return translate("KeyDialogs", "The two passphrases differ. Please type them again.")


def clear_when_they_agree(first: QLineEdit, second: QLineEdit, error: QLabel) -> None:
    """A “they differ” message goes away as soon as the two fields agree again (not at the next OK)."""
    def check() -> None:
        if error.text() == passphrases_differ() and first.text() == second.text():
            error.clear()

    first.textChanged.connect(check)
    second.textChanged.connect(check)


def ask_city_key_file(parent: QWidget | None) -> Path | None:
    return file_dialogs.open_file(parent, "keys", translate("KeyDialogs", "The city's public key file"),
                                  translate("KeyDialogs", "Public key (*.pub.json)"))


def ask_unit_key_file(parent: QWidget | None) -> Path | None:
    return file_dialogs.open_file(parent, "keys", translate("KeyDialogs", "The unit's public key file"),
                                  translate("KeyDialogs", "Public key (*.pub.json)"))


def ask_key_backup_file(parent: QWidget | None) -> Path | None:
    return file_dialogs.save_file(parent, "key-backup", translate("KeyDialogs", "Back up the encrypted signing key"),
                                  "rectidesk-key-backup.json", translate("KeyDialogs", "Key backup (*.json)"))


class PassphraseDialog(GuardedDialog):
    def __init__(self, parent: QWidget | None = None, *, ask_current: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Key passphrase"))
        form = QFormLayout(self)
        form.addRow(passphrase_warning())
        self.current = password_field()
        if ask_current:
            form.addRow(self.tr("Current passphrase"), self.current)
        self.first = password_field()
        self.second = password_field()
        form.addRow(self.tr("New passphrase"), self.first)
        form.addRow(self.tr("Type it again"), self.second)
        self.error = plain(QLabel())
        self.error.setStyleSheet("QLabel { color: #c5221f; }")
        form.addRow(self.error)
        clear_when_they_agree(self.first, self.second, self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "keys")
        form.addRow(buttons)
        self.fields = {"passphrase": self.current, "new_passphrase": self.first}

    def accept(self) -> None:
        if self.first.text() != self.second.text():
            self.error.setText(passphrases_differ())
            return
        self.error.clear()
        super().accept()

    def passphrase(self) -> str:
        return self.first.text()


class AskPassphraseDialog(QDialog):
    """The key passphrase for signing. A wrong one is said here, in red, and asked again in place: the
    clerk stays in the export they started. `check(passphrase)` returns the refusal's words, or ""."""

    def __init__(self, check: Callable[[str], str], parent: QWidget | None = None, *, prompt: str = "",
                 help_section: str = "export") -> None:
        super().__init__(parent)
        self._check = check
        self.setWindowTitle(self.tr("Sign the report"))
        form = QFormLayout(self)
        label = QLabel(prompt or self.tr("Passphrase of the unit's signing key:"))
        label.setWordWrap(True)
        form.addRow(label)
        self.field = password_field()
        form.addRow(self.field)
        self.error = plain(QLabel())
        self.error.setWordWrap(True)
        self.error.setStyleSheet("QLabel { color: #c5221f; }")
        self.error.hide()
        form.addRow(self.error)
        self.field.textEdited.connect(lambda _t: self.error.hide())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, help_section)
        form.addRow(buttons)
        self.setMinimumWidth(420)

    def passphrase(self) -> str:
        return self.field.text()

    def accept(self) -> None:
        problem = self._check(self.field.text()) if self.field.text() else translate(
            "KeyDialogs", "Please type the passphrase.")
        if problem:
            self.error.setText(problem)
            self.error.show()
            self.field.selectAll()
            self.field.setFocus()
            return
        super().accept()


def ask_signing_passphrase(parent: QWidget, ctx: AppContext, *, ignore_env: bool = False, prompt: str = "",
                           help_section: str = "export") -> str | None:
    """The key passphrase to sign with (a report to the city, a printed PDF report), or None when cancelled.

    RECTIDESK_PASSPHRASE, when set (and not `ignore_env`), answers at once; otherwise it is asked in
    `AskPassphraseDialog` and checked against the key before anything is written: a wrong one is asked again
    in the same small dialog, and the work goes on from where it was."""
    from ui import feature_links

    from_env = feature_links.link("passphrase_from_env").resolve()
    if not ignore_env and from_env is not None and from_env():
        return str(from_env())
    opens = feature_links.link("signing_key").resolve()
    try:  # no key yet: say which button makes one, instead of asking for a passphrase that opens nothing
        ctx.read(require_unit_key)
    except UserError as exc:
        from ui.messages import show_user_error

        show_user_error(parent, exc)
        return None

    def check(passphrase: str) -> str:
        if opens is None:
            return ""
        try:
            ctx.read(lambda s: opens(s, passphrase))
        except UserError as exc:
            return exc.message
        return ""

    dialog = AskPassphraseDialog(check, parent, prompt=prompt, help_section=help_section)
    return dialog.passphrase() if dialog.exec() else None
