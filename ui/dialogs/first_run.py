"""First run: the unit (code, name, level), its first user, the signing key's passphrase (twice), the city's
public key with its key id shown for confirmation, optionally the demo ledger — all in one transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)
from sqlalchemy.orm import Session

from core.errors import UserError
from core.team.users import acting_user
from core.unit import UnitFormRefused, init_unit
from core.workspace import Workspace
from ui import feature_links, labels
from ui.dialogs.about import floor_note
from ui.dialogs.guard import GuardedDialog
from ui.dialogs.key_dialogs import (
    ask_city_key_file,
    ask_key_backup_file,
    clear_when_they_agree,
    passphrase_warning,
    passphrases_differ,
    password_field,
)
from ui.dialogs.people_dialogs import FIELD_ERROR_STYLE, keep_wide
from ui.guide import add_help
from ui.messages import confirm, fill, plain, show_user_error


class FirstRunDialog(GuardedDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.city_key_path: Path | None = None
        self.setWindowTitle(self.tr("Set up RectiDesk"))
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        form.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # the problems below never cut off
        intro = QLabel(self.tr(
            "This data folder has no ledger yet. Enter your unit as the city's supervision office "
            "registered it."))
        intro.setWordWrap(True)
        form.addRow(intro)
        form.addRow(floor_note())  # what the PC needs (64-bit Windows 10 1809+), on the program's first screen
        self.code = QLineEdit()
        self.code.setPlaceholderText("442000-017")
        self.name = QLineEdit()
        self.level = QComboBox()
        for key, text in labels.choices("level"):
            self.level.addItem(text, key)
        self.admin = QLineEdit()  # never the computer's login name: the clerk's own name
        self.admin.setPlaceholderText(self.tr("your name, e.g. 张伟"))
        form.addRow(self.tr("Unit code"), self.code)
        form.addRow(self.tr("Unit name"), self.name)
        keep_wide(self.code, self.name, width=380)
        for field in (self.code, self.name, self.admin):  # a field being corrected loses its red mark
            field.textEdited.connect(lambda _text, f=field: f.setStyleSheet(""))
        form.addRow(self.tr("Level"), self.level)
        form.addRow(self.tr("First user (administrator)"), self.admin)

        form.addRow(passphrase_warning())
        self.pass1, self.pass2 = password_field(), password_field()
        form.addRow(self.tr("Key passphrase"), self.pass1)
        form.addRow(self.tr("Type it again"), self.pass2)

        choose = QPushButton(self.tr("Choose file…"))
        choose.clicked.connect(self.choose_city_key)
        self.city_key_label = plain(QLabel(self.tr("(not chosen yet — can be done later in Settings)")))
        self.city_key_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(choose)
        row.addWidget(self.city_key_label, 1)
        form.addRow(self.tr("City's public key"), row)

        self.demo = QCheckBox(self.tr("Fill in a demo ledger to try the program"))
        form.addRow(self.demo)
        self.error = plain(QLabel())
        self.error.setStyleSheet("QLabel { color: #c5221f; }")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        clear_when_they_agree(self.pass1, self.pass2, self.error)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "first-day")
        form.addRow(buttons)

    def choose_city_key(self) -> None:
        path = ask_city_key_file(self)
        if path:
            self.set_city_key(path)

    def set_city_key(self, path: Path) -> None:
        read = feature_links.link("read_public_file").resolve()
        fmt = feature_links.link("format_key_id").resolve() or str
        if read is None:
            self.city_key_label.setText(feature_links.not_ready_text())
            return
        try:
            data = read(path, owner="city")
        except UserError as exc:
            self.city_key_path = None
            self.city_key_label.setText(exc.for_window())
            return
        self.city_key_path = path
        self.city_key_label.setText(fill(self.tr("Key id %1 (%2): compare it with the key id the city gave you."),
                                         str(fmt(data["key_id"])), str(data.get("name", ""))))

    def problems(self) -> dict[str, str]:
        """Everything wrong with the form, all at once, keyed by field (core's rules for the unit)."""
        from core.unit import unit_problems

        found: dict[str, str] = {}
        if not self.demo.isChecked():
            found.update(unit_problems(self.code.text(), self.name.text(), self.admin.text()))
        if feature_links.link("create_unit_key").resolve() is not None and not self.pass1.text():
            found["pass1"] = self.tr("Please set the key passphrase")
        elif self.pass1.text() != self.pass2.text():
            found["pass2"] = passphrases_differ().rstrip("。.")
        return found

    def show_problems(self, found: dict[str, str], hint: str = "") -> None:
        fields = {"code": self.code, "name": self.name, "admin": self.admin, "pass1": self.pass1,
                  "pass2": self.pass2}
        for key, widget in fields.items():
            widget.setStyleSheet(FIELD_ERROR_STYLE if key in found else "")
        lines = [f"• {text}" for text in found.values()]
        if "code" in found:
            from core.unit import CODE_HINT

            hint = hint or CODE_HINT
        self.error.setText("\n".join(lines + ([hint] if hint else [])))
        self.adjustSize()
        first = next((fields[k] for k in fields if k in found), None)
        if first is not None:
            first.setFocus()

    def create(self) -> None:
        found = self.problems()
        if found:
            self.show_problems(found)
            return
        self.show_problems({})
        admin = self.admin.text().strip()
        create_key = feature_links.link("create_unit_key").resolve()
        trust = feature_links.link("trust_city").resolve()

        def keys(s: Session, actor: str) -> None:
            if create_key is not None:
                create_key(s, actor, self.pass1.text())
            if trust is not None and self.city_key_path is not None:
                trust(s, actor, self.city_key_path)

        try:
            if self.demo.isChecked():
                from core.demo import DEMO_ADMIN, build_demo

                build_demo(self.ws)
                with self.ws.session() as s:
                    keys(s, DEMO_ADMIN)
                self.ws.set_user(None)  # the demo has two users: the login list asks who is working
            else:
                with self.ws.session() as s:  # one transaction: a refusal leaves the folder empty
                    init_unit(s, self.code.text(), self.name.text(), self.level.currentData(), admin=admin)
                    keys(s, acting_user(s))
        except UnitFormRefused as exc:
            self.show_problems(exc.problems, exc.window_hint)
            return
        except UserError as exc:
            show_user_error(self, exc)
            return
        if not self.demo.isChecked():
            with self.ws.read() as s:
                self.ws.set_user(acting_user(s))  # the first user acts from now on
        self.offer_key_backup()
        self.accept()

    def offer_key_backup(self) -> None:
        backup: Any = feature_links.link("backup_keys").resolve()
        if backup is None or not confirm(self, self.tr("Back up the key"),
                                         self.tr("Back up the encrypted signing key now (to a USB drive)?")):
            return
        path = ask_key_backup_file(self)
        if path:
            try:
                with self.ws.session() as s:
                    backup(s, path)
            except UserError as exc:
                show_user_error(self, exc)


class UnitDialog(GuardedDialog):
    """An administrator corrects the unit's code or name (core: set_unit, logged); a refusal keeps what was
    typed and marks the field."""

    def __init__(self, code: str, name: str, submit: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle(self.tr("Unit code and name"))
        self.setMinimumWidth(460)
        form = QFormLayout(self)
        form.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        intro = QLabel(self.tr("Correct the unit as the city's supervision office registered it. The code can "
                               "only be changed before the first package is exchanged with the city."))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.code = QLineEdit(code)
        self.code.setPlaceholderText("442000-017")
        self.name = QLineEdit(name)
        form.addRow(self.tr("Unit code"), self.code)
        form.addRow(self.tr("Unit name"), self.name)
        keep_wide(self.code, self.name, width=320)
        self.error = plain(QLabel())
        self.error.setStyleSheet("QLabel { color: #c5221f; }")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "first-day")
        form.addRow(buttons)

    def try_save(self) -> None:
        try:
            self._submit(self.code.text(), self.name.text())
        except UnitFormRefused as exc:
            self._mark(exc.problems, exc.window_hint)
            return
        except UserError as exc:
            self._mark({"code": exc.message}, exc.window_hint)
            return
        self.accept()

    def _mark(self, problems: dict[str, str], hint: str) -> None:
        for key, widget in (("code", self.code), ("name", self.name)):
            widget.setStyleSheet(FIELD_ERROR_STYLE if key in problems else "")
        self.error.setText("\n".join([f"• {t}" for t in problems.values()] + ([hint] if hint else [])))
        self.adjustSize()
