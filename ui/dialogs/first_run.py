"""First run: the unit (code, name, level), its first user, the signing key's passphrase (twice), the city's
public key with its key id shown for confirmation, optionally the demo ledger — all in one transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)
from sqlalchemy.orm import Session

from core.errors import InputRefused, UserError
from core.unit import init_unit
from core.workspace import Workspace
from ui import feature_links, labels
from ui.dialogs.key_dialogs import (
    ask_city_key_file,
    ask_key_backup_file,
    passphrase_warning,
    passphrases_differ,
    password_field,
)
from ui.messages import confirm, fill, plain, show_user_error


class FirstRunDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.city_key_path: Path | None = None
        self.setWindowTitle(self.tr("Set up RectiDesk"))
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        intro = QLabel(self.tr(
            "This data folder has no ledger yet. Enter your unit as the city's supervision office "
            "registered it."))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.code = QLineEdit()
        self.code.setPlaceholderText("442000-017")
        self.name = QLineEdit()
        self.level = QComboBox()
        for key, text in labels.choices("level"):
            self.level.addItem(text, key)
        self.admin = QLineEdit(ws.user)
        form.addRow(self.tr("Unit code"), self.code)
        form.addRow(self.tr("Unit name"), self.name)
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
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
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
            self.city_key_label.setText(str(exc))
            return
        self.city_key_path = path
        self.city_key_label.setText(fill(self.tr("Key id %1 (%2): compare it with the key id the city gave you."),
                                         str(fmt(data["key_id"])), str(data.get("name", ""))))

    def create(self) -> None:
        if self.pass1.text() != self.pass2.text():
            self.error.setText(passphrases_differ())
            return
        admin = self.admin.text().strip()
        create_key = feature_links.link("create_unit_key").resolve()
        trust = feature_links.link("trust_city").resolve()

        def keys(s: Session) -> None:
            if create_key is not None:
                create_key(s, admin or "system", self.pass1.text())
            if trust is not None and self.city_key_path is not None:
                trust(s, admin or "system", self.city_key_path)

        try:
            if create_key is not None and not self.pass1.text():
                raise InputRefused(self.tr("Please set the key passphrase."))
            if self.demo.isChecked():
                from core.demo import build_demo

                build_demo(self.ws)
                with self.ws.session() as s:
                    keys(s)
            else:
                with self.ws.session() as s:  # one transaction: a refusal leaves the folder empty
                    init_unit(s, self.code.text(), self.name.text(), self.level.currentData(), admin=admin)
                    keys(s)
        except UserError as exc:
            show_user_error(self, exc)
            return
        if admin:
            self.ws.set_user(admin)
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
