"""设置: the unit, its users, thresholds (read-only where the city set them), keys, data folder, backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from core import settings as core_settings
from core.errors import UserError
from core.ledger.queries import key_rows, people_rows
from ui import feature_links, labels
from ui.background import run_in_background
from ui.context import AppContext
from ui.dialogs import file_dialogs
from ui.dialogs.key_dialogs import PassphraseDialog, ask_city_key_file, ask_key_backup_file
from ui.messages import fill, plain, show_error, show_info, show_user_error
from ui.pages import LazyPage

# Settings shown here, in this order (labels are translated in the window).
SHOWN = ("yellow_after_days", "red_after_days", "due_soon_days", "volume_limit_mb", "recheck_first_months",
         "recheck_second_months", "backups_kept")


class SettingsPage(LazyPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.unit_label = plain(QLabel())
        self.unit_label.setWordWrap(True)

        unit_box = QGroupBox(self.tr("Unit"))
        unit_layout = QVBoxLayout(unit_box)
        unit_layout.addWidget(self.unit_label)
        self.edit_unit_button = QPushButton(self.tr("Correct code or name…"))
        self.edit_unit_button.setToolTip(self.tr("For an administrator: recorded in the change log"))
        self.edit_unit_button.clicked.connect(self.edit_unit)
        unit_row = QHBoxLayout()
        unit_row.addWidget(self.edit_unit_button)
        unit_row.addStretch(1)
        unit_layout.addLayout(unit_row)
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("市督查室")
        self.recipient.setToolTip(self.tr("Written under the title of the rectification report (主送机关); "
                                          "empty: 市督查室"))
        save_recipient = QPushButton(self.tr("Save recipient"))
        save_recipient.clicked.connect(self.save_recipient)
        recipient_row = QHBoxLayout()
        recipient_row.addWidget(QLabel(self.tr("Report recipient:")))
        recipient_row.addWidget(self.recipient, 1)
        recipient_row.addWidget(save_recipient)
        unit_layout.addLayout(recipient_row)

        self.spins: dict[str, QSpinBox] = {}
        self.sources: dict[str, QLabel] = {}
        th_box = QGroupBox(self.tr("Warning thresholds and limits"))
        grid = QGridLayout(th_box)
        names = {
            "yellow_after_days": self.tr("Yellow light after overdue days"),
            "red_after_days": self.tr("Red light after overdue days"),
            "due_soon_days": self.tr("Remind days before due"),
            "volume_limit_mb": self.tr("Report volume size (MB)"),
            "recheck_first_months": self.tr("First re-check after (months)"),
            "recheck_second_months": self.tr("Second re-check after (months)"),
            "backups_kept": self.tr("Automatic backups kept"),
        }
        for i, key in enumerate(SHOWN):
            spin = QSpinBox()
            spin.setRange(core_settings.SPECS[key].minimum, 9999)
            self.spins[key] = spin
            self.sources[key] = QLabel()
            grid.addWidget(QLabel(names[key]), i, 0)
            grid.addWidget(spin, i, 1)
            grid.addWidget(self.sources[key], i, 2)
        save = QPushButton(self.tr("Save thresholds"))
        save.clicked.connect(self.save_thresholds)
        grid.addWidget(save, len(SHOWN), 1)

        users_box = QGroupBox(self.tr("Users and people"))
        ul = QVBoxLayout(users_box)
        self.people = QTreeWidget()
        self.people.setRootIsDecorated(False)
        self.people.setHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("Section"), self.tr("Active")])
        self.people.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        handover = QAction(self.tr("Hand over this person's tasks…"), self.people)
        handover.triggered.connect(self.hand_over)
        self.people.addAction(handover)
        reset = QAction(self.tr("Set this user's password…"), self.people)
        reset.setToolTip(self.tr("For an administrator: a colleague who forgot their password gets a new one"))
        reset.triggered.connect(self.set_selected_password)
        self.people.addAction(reset)
        ul.addWidget(self.people)
        row = QHBoxLayout()
        add_user = QPushButton(self.tr("Add user…"))
        add_user.clicked.connect(self.add_user)
        handover_button = QPushButton(self.tr("Hand over tasks…"))
        handover_button.clicked.connect(self.hand_over)
        password_button = QPushButton(self.tr("Set my password…"))
        password_button.clicked.connect(self.set_my_password)
        row.addWidget(add_user)
        row.addWidget(handover_button)
        row.addWidget(password_button)
        row.addStretch(1)
        ul.addLayout(row)

        keys_box = QGroupBox(self.tr("Signing keys"))
        kl = QVBoxLayout(keys_box)
        self.keys = QTreeWidget()
        self.keys.setRootIsDecorated(False)
        self.keys.setHeaderLabels([self.tr("Key id"), self.tr("Whose"), self.tr("Name"), self.tr("Added")])
        self.keys.setMaximumHeight(140)
        for col, width in enumerate((220, 80, 280)):
            self.keys.setColumnWidth(col, width)
        kl.addWidget(self.keys)
        row = QHBoxLayout()
        self.key_buttons: dict[str, QPushButton] = {}
        for text, action in ((self.tr("Create signing key…"), self.create_key),
                             (self.tr("Export public key…"), self.export_public_key),
                             (self.tr("Back up key…"), self.backup_key),
                             (self.tr("Change key and passphrase…"), self.change_key),
                             (self.tr("Trust the city's public key…"), self.trust_city)):
            b = QPushButton(text)
            b.clicked.connect(action)
            row.addWidget(b)
            self.key_buttons[action.__name__] = b
        row.addStretch(1)
        kl.addLayout(row)

        data_box = QGroupBox(self.tr("Data folder and backup"))
        dl = QFormLayout(data_box)
        self.folder = plain(QLabel(str(ctx.ws.paths.root)))
        open_folder = QPushButton(self.tr("Open data folder"))
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.ws.paths.root))))
        backup = QPushButton(self.tr("Back up now…"))
        backup.clicked.connect(self.backup)
        restore = QPushButton(self.tr("Restore from a backup…"))
        restore.clicked.connect(self.choose_backup_to_restore)
        self.lang = QComboBox()
        self.lang.addItem("简体中文", "zh_CN")
        self.lang.addItem("English", "en")
        self.lang.setCurrentIndex(max(0, self.lang.findData(QSettings().value("ui/lang", "zh_CN"))))
        self.lang.currentIndexChanged.connect(
            lambda: QSettings().setValue("ui/lang", self.lang.currentData()))
        buttons = QHBoxLayout()
        for b in (open_folder, backup, restore):
            buttons.addWidget(b)
        buttons.addStretch(1)
        dl.addRow(self.tr("Data folder"), self.folder)
        dl.addRow("", buttons)
        self.backup_usage = plain(QLabel())
        dl.addRow(self.tr("Backups"), self.backup_usage)
        self.show_backup_usage()
        dl.addRow(self.tr("Language (from next start)"), self.lang)

        body = QWidget()
        grid2 = QGridLayout(body)
        grid2.addWidget(unit_box, 0, 0)
        grid2.addWidget(data_box, 0, 1)
        grid2.addWidget(th_box, 1, 0)
        grid2.addWidget(users_box, 1, 1)
        grid2.addWidget(keys_box, 2, 0, 1, 2)
        from core.sections.common import is_section_desk
        from ui.pages.sections_page import SectionsBox

        self.at_desk = bool(ctx.read(is_section_desk))
        self.sections = SectionsBox(ctx)
        self.sections.setVisible(not self.at_desk)  # a section desk has no sections of its own
        grid2.addWidget(self.sections, 3, 0, 1, 2)
        if self.at_desk:  # its keys: its own, and the unit's (never the city's)
            self.key_buttons["trust_city"].setText(self.tr("Trust the unit's public key…"))
        grid2.setRowStretch(4, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def refresh(self) -> None:
        unit = self.ctx.unit()
        if unit is None:
            self.unit_label.setText(self.tr("No unit set up yet."))
        else:
            level = labels.label("level", unit.level)
            self.unit_label.setText(fill(self.tr("%1 (code %2, %3)"), unit.name, unit.code, level))
        get_recipient = feature_links.link("report_recipient").resolve()
        if get_recipient is not None:
            self.recipient.setText(self.ctx.read(get_recipient))
        values = self.ctx.read(core_settings.all_values)
        for key in SHOWN:
            value, source = values[key]
            spin = self.spins[key]
            spin.setValue(value)
            city = source == "city"
            spin.setReadOnly(city)
            spin.setEnabled(not city)
            self.sources[key].setText(self.tr("set by the city, read-only") if city else "")
            spin.setToolTip(self.tr("The city set this value; it cannot be changed here.") if city else "")
        self.people.clear()
        for p in self.ctx.read(people_rows):
            active = self.tr("yes") if p["active"] else self.tr("left")
            role = labels.label("role", p["role"])
            self.people.addTopLevelItem(QTreeWidgetItem([p["name"], role, p["section"], active]))
        if not self.at_desk:
            self.sections.refresh()
        self.keys.clear()
        whose = {"unit": self.tr("this desk") if self.at_desk else self.tr("this unit"), "city": self.tr("the city"),
                 "parent": self.tr("the unit"), "section": self.tr("a section desk")}
        rows = self.ctx.read(key_rows)
        self.key_buttons["create_key"].setVisible(not any(k["owner"] == "unit" for k in rows))
        for k in rows:
            owner = whose.get(k["owner"], k["owner"])
            self.keys.addTopLevelItem(QTreeWidgetItem([self._fmt(k["key_id"]), owner, k["name"], k["added"][:10]]))

    def edit_unit(self) -> None:
        from core.unit import set_unit
        from ui.dialogs.first_run import UnitDialog

        unit = self.ctx.unit()
        if unit is None:
            return
        me = self.ctx.user

        def submit(code: str, name: str) -> None:
            with self.ctx.ws.session() as s:
                set_unit(s, me, code=code, name=name)

        if UnitDialog(unit.code, unit.name, submit, self).exec():
            self.ctx.changed.emit()
            window = self.window()
            set_title = getattr(window, "_set_title", None)
            if callable(set_title):
                set_title(self.ctx.unit_name())

    # -- people -------------------------------------------------------------------------------
    def add_user(self) -> None:
        """添加用户; a refusal keeps the dialog open with what was typed (AddUserDialog marks the field)."""
        from core.team.users import has_password
        from ui.dialogs.people_dialogs import AddUserDialog

        fn = self._core_op("add_user", self.tr("Add user"))
        set_password = feature_links.link("set_password").resolve()
        if fn is None or set_password is None:
            return
        me = self.ctx.user
        ask_own = not self.ctx.read(lambda s: has_password(s, me))

        def submit(d: AddUserDialog) -> None:
            name, role = d.name.text(), d.role.currentData()
            password, section, own = d.password.text(), d.section.text(), d.own_first.text()
            with self.ctx.ws.session() as s:  # one transaction: my password and the new user, or neither
                if d.asks_own_password:
                    try:
                        set_password(s, me, me, own)
                    except UserError as exc:
                        exc.field = "own_password"  # type: ignore[attr-defined]
                        raise
                fn(s, me, name, role, password, section=section)

        dialog = AddUserDialog(self, submit=submit, ask_own_password=ask_own, me=me)
        if dialog.exec():
            self.ctx.changed.emit()
            show_info(self, self.tr("Add user"), fill(self.tr(
                "%1 was added. From now on the program asks at start who is working; use Switch user… at the "
                "bottom right to let a colleague work (for example to confirm a node)."), dialog.name.text().strip()))

    def set_my_password(self) -> None:
        self._set_password(self.ctx.user)

    def set_selected_password(self) -> None:
        """An administrator sets a colleague's password (forgotten, or never set); core checks the role."""
        item = self.people.currentItem()
        if item is None:
            show_info(self, self.tr("Set a password"), self.tr("Select the user in the list first."))
            return
        self._set_password(item.text(0))

    def _set_password(self, name: str) -> None:
        from ui.dialogs.key_dialogs import passphrases_differ
        from ui.dialogs.people_dialogs import PasswordDialog

        fn = self._core_op("set_password", self.tr("Set my password"))
        if fn is None:
            return
        me = self.ctx.user
        dialog = PasswordDialog(self, name=None if name == me else name)

        def submit() -> bool:  # a refusal keeps what was typed and marks the field
            if dialog.first.text() != dialog.second.text():
                show_info(dialog, dialog.windowTitle(), passphrases_differ())
                return False
            password = dialog.first.text()
            return self.ctx.act(dialog, lambda s: fn(s, me, name, password), on_refused=dialog.mark_error) is not None

        dialog.on_accept(submit)
        if dialog.exec():
            done = self.tr("Your password was changed.") if name == me else \
                fill(self.tr("The password of %1 was set."), name)
            show_info(self, dialog.windowTitle(), done)

    def hand_over(self) -> None:
        from ui.dialogs.people_dialogs import HandoverDialog

        fn = self._core_op("hand_over", self.tr("Hand over tasks"))
        item = self.people.currentItem()
        if fn is None:
            return
        if item is None:
            show_info(self, self.tr("Hand over tasks"), self.tr("Select the person who hands over first."))
            return
        names = [self.people.topLevelItem(i).text(0) for i in range(self.people.topLevelItemCount())]
        dialog = HandoverDialog(item.text(0), names, self)
        giver, today = item.text(0), self.ctx.ws.today
        done: list[Any] = []

        def submit() -> bool:
            to, note, left = dialog.to.currentText(), dialog.note.toPlainText(), dialog.left.isChecked()
            result = self.ctx.act(dialog, lambda s: fn(s, self.ctx.user, giver, to, today=today, note=note,
                                                       mark_left=left), on_refused=dialog.mark_error)
            if result is not None:
                done.append((result, to))
            return result is not None

        dialog.on_accept(submit)
        dialog.exec()
        if done:
            result, to = done[0]
            show_info(self, self.tr("Hand over tasks"), fill(self.tr("%1 task(s) handed over from %2 to %3."),
                                                             str(len(result.items)), giver, to))

    # -- keys ---------------------------------------------------------------------------------
    def _core_op(self, key: str, title: str) -> Any:
        """The core operation behind a button, or None after telling the user it is not available yet."""
        fn = feature_links.link(key).resolve()
        if fn is None:
            show_info(self, title, feature_links.not_ready_text())
        return fn

    def create_key(self) -> None:
        fn = self._core_op("create_unit_key", self.tr("Create signing key"))
        if fn is None:
            return
        dialog = PassphraseDialog(self)
        made: list[Any] = []

        def submit() -> bool:
            passphrase = dialog.passphrase()
            made.append(self.ctx.act(dialog, lambda s: fn(s, self.ctx.user, passphrase),
                                     on_refused=dialog.mark_error))
            return made[-1] is not None

        dialog.on_accept(submit)
        dialog.exec()
        key = made[-1] if made else None
        if key is not None:
            show_info(self, self.tr("Create signing key"),
                      self.tr("The unit's signing key %s was created. Back it up now (Back up key…) and "
                              "send the exported public key to the city.") % self._fmt(key.key_id))

    def export_public_key(self) -> None:
        fn = self._core_op("export_public_key", self.tr("Export public key"))
        if fn is None:
            return
        unit = self.ctx.unit()
        name = f"{unit.code if unit else 'unit'}.pub.json"
        if self.at_desk:  # the desk's file names the section it speaks for (core.exchange.keys.export_public)
            from core.sections.desk import desk_identity

            name = f"{unit.code if unit else 'unit'}_{self.ctx.read(desk_identity).section_code}.pub.json"
        path = file_dialogs.save_file(self, "keys", self.tr("Save the public key for the city") if not self.at_desk
                                      else self.tr("Save the public key for the unit"), name, "*.pub.json")
        if path:
            key = self.ctx.act(self, lambda s: fn(s, path))
            if key is not None:
                show_info(self, self.tr("Export public key"),
                          fill(self.tr("Public key %1 saved to %2."), self._fmt(key.key_id), path))

    def backup_key(self) -> None:
        fn = self._core_op("backup_keys", self.tr("Back up key"))
        if fn is None:
            return
        path = ask_key_backup_file(self)
        if path and self.ctx.act(self, lambda s: fn(s, path)) is not None:
            show_info(self, self.tr("Back up key"), self.tr("The encrypted key was saved to %s. Keep it on a "
                                                            "USB drive in a safe place.") % path)

    def change_key(self) -> None:
        fn = self._core_op("change_passphrase", self.tr("Change key and passphrase"))
        if fn is None:
            return
        dialog = PassphraseDialog(self, ask_current=True)
        made: list[Any] = []

        def submit() -> bool:
            old, new = dialog.current.text(), dialog.passphrase()
            made.append(self.ctx.act(dialog, lambda s: fn(s, self.ctx.user, old, new), on_refused=dialog.mark_error))
            return made[-1] is not None

        dialog.on_accept(submit)
        dialog.exec()
        key = made[-1] if made else None
        if key is not None:
            show_info(self, self.tr("Change key and passphrase"),
                      self.tr("New key %s made. The next report announces it to the city; the report after "
                              "that is signed with it.") % self._fmt(key.key_id))

    def trust_city(self) -> None:
        if self.at_desk:
            self.trust_unit()
            return
        fn = self._core_op("trust_city", self.tr("Trust the city's public key"))
        read = feature_links.link("read_public_file").resolve()
        if fn is None or read is None:
            return
        path = ask_city_key_file(self)
        if not path:
            return
        from ui.messages import confirm

        try:
            data = read(path, owner="city")
        except UserError as exc:
            show_user_error(self, exc)
            return
        question = fill(self.tr("Key id %1 of %2. Compare it with the key id the city's supervision office gave "
                                "you. Trust this key?"), self._fmt(data["key_id"]), str(data.get("name") or ""))
        if confirm(self, self.tr("Trust the city's public key"), question):
            self.ctx.act(self, lambda s: fn(s, self.ctx.user, path))

    def trust_unit(self) -> None:
        """At a section desk: the unit's public key file (written beside its first tasks package)."""
        from core.exchange.keys import read_public_file
        from core.sections.desk import trust_unit
        from ui.dialogs.key_dialogs import ask_unit_key_file
        from ui.messages import confirm

        path = ask_unit_key_file(self)
        if not path:
            return
        try:
            data = read_public_file(path, owner="unit")
        except UserError as exc:
            show_user_error(self, exc)
            return
        question = fill(self.tr("Key id %1 of %2. Compare it by phone with the key id the unit gave you. Trust "
                                "this key?"), self._fmt(data["key_id"]), str(data.get("name") or ""))
        if confirm(self, self.tr("Trust the unit's public key"), question):
            self.ctx.act(self, lambda s: trust_unit(s, self.ctx.user, path))

    @staticmethod
    def _fmt(key_id: str) -> str:
        fmt = feature_links.link("format_key_id").resolve()
        return str(fmt(key_id)) if fmt is not None else key_id

    def save_recipient(self) -> None:
        fn = self._core_op("set_report_recipient", self.tr("Report recipient"))
        if fn is None:
            return
        text, user = self.recipient.text(), self.ctx.user
        saved = self.ctx.act(self, lambda s: fn(s, user, text))
        if saved is not None:
            self.recipient.setText(str(saved))

    def save_thresholds(self) -> None:
        values = self.ctx.read(core_settings.all_values)
        changed = {k: self.spins[k].value() for k in SHOWN
                   if values[k][1] != "city" and self.spins[k].value() != values[k][0]}
        if not changed:
            return
        set_setting = feature_links.link("set_setting").resolve()
        user = self.ctx.user

        def save(s: Session) -> None:
            for key, value in changed.items():
                if set_setting is not None:
                    set_setting(s, user, key, value)
                else:
                    core_settings.set_local(s, key, value)

        self.ctx.act(self, save)

    def backup(self) -> None:
        fn = self._core_op("backup", self.tr("Back up"))
        if fn is None:
            return
        title = self.tr("Choose a folder or USB drive for the backup")
        folder = file_dialogs.choose_folder(self, "backup", title)
        if not folder:
            return
        ws = self.ctx.ws

        def done(info: Any) -> None:
            self.show_backup_usage()
            show_info(self, self.tr("Back up"), self.tr("Backup written to %s") % getattr(info, "path", info))

        self.last_job = run_in_background(self, lambda p: fn(ws, Path(folder), report=p.report), done,
                                          self._failed, title=self.tr("Backing up…"))

    def choose_backup_to_restore(self) -> None:
        path = file_dialogs.open_file(self, "backup", self.tr("Restore from a backup"), self.tr("Backup (*.zip)"))
        if path:
            self.restore(path)

    def restore(self, path: Path) -> None:
        """Checked first, off the GUI thread (which unit, from when, which keys); the data it replaces is kept
        aside by core, not deleted. `restore_flow.done` says when it is over."""
        from ui.restore_flow import RestoreFlow

        if self._core_op("restore", self.tr("Restore from a backup")) is None:
            return
        self.restore_flow = RestoreFlow(self.ctx, self, path)
        self.restore_flow.done.connect(self._restore_over)
        self.restore_flow.start()

    def _restore_over(self, restored: bool) -> None:
        self.show_backup_usage()
        if restored:
            self._who_acts_after_restore()

    def show_backup_usage(self) -> None:
        """How much room the backups take (automatic ones share one evidence store: core.team.backup)."""
        from core.faults import size_text
        from core.team.backup import backups_usage

        count, size = backups_usage(self.ctx.ws.paths)
        self.backup_usage.setText(fill(self.tr("%1 backup(s) in the data folder take %2 in all."), count,
                                       size_text(size)))

    def _who_acts_after_restore(self) -> None:
        """The restored ledger has its own users: who acts is settled again (the only one, or the login list)."""
        from core.team.users import active_user_names
        from ui.dialogs.people_dialogs import log_in

        ws = self.ctx.ws
        current = ws.user if ws.user_named else ""
        if current in self.ctx.read(active_user_names):
            return
        ws.set_user(None)
        if not log_in(ws, self):
            self.window().close()  # nobody of the restored unit is working: the window does not stay open

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)
