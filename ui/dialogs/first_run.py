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
    QRadioButton,
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
from ui.messages import confirm, fill, plain, show_user_error, tooltip


class FirstRunDialog(GuardedDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.city_key_path: Path | None = None
        self.unit_key_path: Path | None = None
        self.unit_key_data: dict[str, Any] | None = None
        self.setWindowTitle(self.tr("Set up RectiDesk"))
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        form.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # the problems below never cut off
        intro = QLabel(self.tr(
            "This data folder has no ledger yet. Enter your unit as the city's supervision office "
            "registered it."))
        intro.setWordWrap(True)
        self.intro = intro
        form.addRow(intro)
        form.addRow(floor_note())  # what the PC needs (64-bit Windows 10 1809+), on the program's first screen
        # 内部督办: this PC may be the unit's, or one section's desk (it reports to the unit, never to the city)
        self.as_unit = QRadioButton(self.tr("This PC keeps the unit's ledger"))
        self.as_section = QRadioButton(self.tr("This PC is a section desk"))
        self.as_section.setToolTip(tooltip(self.tr(
            "A section (科室、站所, 村委) that receives its tasks from the unit and reports back to it")))
        self.as_unit.setChecked(True)
        roles = QHBoxLayout()
        roles.addWidget(self.as_unit)
        roles.addWidget(self.as_section)
        roles.addStretch(1)
        form.addRow(roles)
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
        form.addRow(self.tr("Level"), self.level)
        self.section_code = QLineEdit()
        self.section_code.setPlaceholderText("CZS")
        self.section_code.setToolTip(tooltip(self.tr("The code the unit gave this section when it registered it")))
        self.section_name = QLineEdit()
        self.section_name.setPlaceholderText(self.tr("e.g. 财政所"))
        form.addRow(self.tr("Section code"), self.section_code)
        form.addRow(self.tr("Section name"), self.section_name)
        for field in (self.code, self.name, self.admin, self.section_code, self.section_name):
            field.textEdited.connect(lambda _text, f=field: f.setStyleSheet(""))  # corrected: the red mark goes
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
        choose_unit = QPushButton(self.tr("Choose file…"))
        choose_unit.clicked.connect(self.choose_unit_key)
        self.unit_key_label = plain(QLabel(self.tr("(not chosen yet — can be done later in Settings)")))
        self.unit_key_label.setWordWrap(True)
        unit_row = QHBoxLayout()
        unit_row.addWidget(choose_unit)
        unit_row.addWidget(self.unit_key_label, 1)
        form.addRow(self.tr("Unit's public key"), unit_row)
        self.form = form
        self._city_row, self._unit_row = row, unit_row
        self.unit_key_button = choose_unit

        self.demo = QCheckBox(self.tr("Fill in a demo ledger to try the program"))
        form.addRow(self.demo)
        self.error = plain(QLabel())
        self.error.setStyleSheet("QLabel { color: #c5221f; }")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        clear_when_they_agree(self.pass1, self.pass2, self.error)
        for field in (self.pass1, self.pass2):
            field.textEdited.connect(lambda _text, f=field: f.setStyleSheet(""))
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "first-day")
        form.addRow(buttons)
        self.as_section.toggled.connect(self._role_changed)
        self._role_changed()

    @property
    def section_desk(self) -> bool:
        return self.as_section.isChecked()

    def _role_changed(self) -> None:
        """The unit's form, or the section desk's: its section, the unit's key instead of the city's, no demo."""
        desk = self.section_desk
        for widget, shown in ((self.section_code, desk), (self.section_name, desk), (self.level, not desk),
                              (self._city_row, not desk), (self._unit_row, desk)):
            self.form.setRowVisible(widget, shown)
        self.demo.setVisible(not desk)
        if desk:
            self.demo.setChecked(False)
        self.intro.setText(self.tr(
            "This data folder has no ledger yet. Enter your unit as it is registered, and this section as the "
            "unit registered it (ask the unit for the section code and its public key file).") if desk else self.tr(
            "This data folder has no ledger yet. Enter your unit as the city's supervision office "
            "registered it."))
        self.adjustSize()

    def choose_unit_key(self) -> None:
        from ui.dialogs.key_dialogs import ask_unit_key_file

        path = ask_unit_key_file(self)
        if path:
            self.set_unit_key(path)

    def set_unit_key(self, path: Path) -> None:
        """The unit's public key file, read and shown with its key id to compare by phone (as the city's)."""
        from core.exchange.keys import format_key_id, read_public_file

        self.unit_key_button.setStyleSheet("")
        try:
            data = read_public_file(path, owner="unit")
        except UserError as exc:
            self.unit_key_path, self.unit_key_data = None, None
            self.unit_key_label.setText(exc.for_window())
            return
        self.unit_key_path, self.unit_key_data = path, data
        self.unit_key_label.setText(fill(self.tr("Key id %1 (%2): compare it by phone with the key id the unit "
                                                 "gave you."), str(format_key_id(data["key_id"])),
                                         str(data.get("name", ""))))

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
        if self.section_desk:
            found.update(self._desk_problems())
        if feature_links.link("create_unit_key").resolve() is not None and not self.pass1.text():
            found["pass1"] = self.tr("Please set the key passphrase")
        elif self.pass1.text() != self.pass2.text():
            found["pass2"] = passphrases_differ().rstrip("。.")
        return found

    def show_problems(self, found: dict[str, str], hint: str = "") -> None:
        fields = {"code": self.code, "name": self.name, "section_code": self.section_code,
                  "section_name": self.section_name, "admin": self.admin, "pass1": self.pass1,
                  "pass2": self.pass2, "unit_key": self.unit_key_button}
        for key, widget in fields.items():
            widget.setStyleSheet(FIELD_ERROR_STYLE if key in found else "")
        lines = [f"• {text}" for text in found.values()]
        if "code" in found:
            from core.unit import CODE_HINT

            hint = hint or CODE_HINT
        self.error.setText("\n".join(lines + ([hint] if hint else [])))
        # a wrapped label in a form row is not given its height by the layout: ask for it (nothing cut off)
        self.error.setMinimumHeight(max(0, self.error.heightForWidth(max(self.error.width(), self.width() - 40))))
        self.adjustSize()  # (which stops at 2/3 of the screen: the rest is asked for below)
        layout = self.layout()
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else self.sizeHint().height()
        room = self.screen().availableGeometry().height() - 40
        self.resize(self.width(), max(self.height(), min(need, room), layout.totalMinimumSize().height()))
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
            if self.section_desk:
                self._create_desk(admin)
            elif self.demo.isChecked():
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

    def _desk_problems(self) -> dict[str, str]:
        """The section's code and name, and a unit key file that is the unit's (the same rules as core's)."""
        from core.errors import InputRefused
        from core.sections.common import check_code
        from core.unit import normal_code

        found: dict[str, str] = {}
        if not self.section_code.text().strip():
            found["section_code"] = self.tr("Please enter the section code the unit gave")
        else:
            try:
                check_code(self.section_code.text())
            except InputRefused as exc:
                found["section_code"] = exc.message.rstrip("。")
        if not self.section_name.text().strip():
            found["section_name"] = self.tr("Please enter the section's name")
        data = self.unit_key_data
        if data is not None and (data.get("section") or data.get("code") != normal_code(self.code.text())):
            found["unit_key"] = fill(self.tr("The chosen key file is not the key of unit %1 (it names “%2”)"),
                                     normal_code(self.code.text()), str(data.get("section") or data.get("code")))
        return found

    def _create_desk(self, admin: str) -> None:
        """What `init --section …`, `keys create` and `keys trust-unit` do, in one transaction."""
        from core.exchange.keys import create_unit_key
        from core.sections.desk import init_section_desk, trust_unit

        with self.ws.session() as s:  # a refusal leaves the folder empty
            init_section_desk(s, self.code.text(), self.name.text(), self.section_code.text(),
                              self.section_name.text(), admin)
            actor = acting_user(s)
            create_unit_key(s, actor, self.pass1.text())
            if self.unit_key_path is not None:
                trust_unit(s, actor, self.unit_key_path)

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
