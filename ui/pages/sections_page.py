"""设置 → 科室端 (内部督办) at the unit: the sections that run a desk, their keys, and 发送任务 to one of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import UserError
from ui.background import run_in_background
from ui.context import AppContext
from ui.dialogs import file_dialogs
from ui.dialogs.guard import GuardedDialog
from ui.guide import add_help
from ui.messages import confirm, fill, plain, show_error, show_info, show_user_error, tooltip


def key_id_text(key_id: str) -> str:
    from core.exchange.keys import format_key_id

    return str(format_key_id(key_id))


class RegisterSectionDialog(GuardedDialog):
    """登记科室: a code for a 责任科室 already in the ledger, or a new section."""

    def __init__(self, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Register a section desk"))
        self.setMinimumWidth(440)
        form = QFormLayout(self)
        intro = QLabel(self.tr("Give the section a short code (letters, digits and “-”). Its desk is set up "
                               "with the same code."))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(names)
        self.name.setCurrentIndex(-1 if not names else 0)
        self.code = QLineEdit()
        self.code.setPlaceholderText("CZS")
        form.addRow(self.tr("Section"), self.name)
        form.addRow(self.tr("Section code"), self.code)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "sections")
        form.addRow(buttons)
        self.fields = {"code": self.code, "name": self.name}


class UnitNoticeDialog(GuardedDialog):
    """发督办通知: the unit's own 督办 to one section, on the tasks ticked, answered by a date."""

    def __init__(self, section: str, tasks: list[tuple[str, str, str]], due: QDate,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(fill(self.tr("Supervision notice to %1"), section))
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        intro = plain(QLabel(fill(self.tr("The notice goes to %1 with the next “Send tasks…”; the section "
                                          "answers it at its desk."), section)))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.tasks = QListWidget()
        self.tasks.setToolTip(tooltip(self.tr("Tick the tasks the notice is about (one notice per task)")))
        for task_id, title, deadline in tasks:
            item = QListWidgetItem(fill(self.tr("%1 (deadline %2)"), title, deadline) if deadline else title)
            item.setData(Qt.ItemDataRole.UserRole, task_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.tasks.addItem(item)
        self.tasks.setMaximumHeight(160)
        self.tasks.itemChanged.connect(lambda *_: self._unmark(self.tasks))  # a tick undoes the red frame
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("What the section must do, and what to report back"))
        self.text.setMinimumHeight(100)
        self.due = QDateEdit(due)
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setToolTip(tooltip(self.tr("The section answers by this day (7 days from today unless changed)")))
        form.addRow(self.tr("Tasks"), self.tasks)
        form.addRow(self.tr("Notice"), self.text)
        form.addRow(self.tr("Answer by"), self.due)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Record notice"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "sections")
        form.addRow(buttons)
        self.fields = {"task": self.tasks, "text": self.text, "due": self.due}

    def chosen(self) -> list[str]:
        return [str(self.tasks.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.tasks.count())
                if self.tasks.item(i).checkState() == Qt.CheckState.Checked]

    def extra_state(self) -> tuple[Any, ...]:
        return tuple(self.chosen())


class SectionsBox(QGroupBox):
    """The sections with a code, their open tasks, the trusted key of their desk, the last package sent."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_job: Any = None
        self.last_summary = ""
        self.setTitle(self.tr("Section desks (internal supervision)"))
        layout = QVBoxLayout(self)
        intro = plain(QLabel(self.tr(
            "Sections that run RectiDesk on their own PC receive their tasks from here and send their progress "
            "and evidence back, signed, by USB drive or e-mail.")))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([self.tr("Code"), self.tr("Section"), self.tr("Open tasks"),
                                    self.tr("Section's key id"), self.tr("Last sent")])
        self.table.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        self.table.setMaximumHeight(200)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.register_button = QPushButton(self.tr("Register section…"))
        self.register_button.clicked.connect(self.register)
        self.trust_button = QPushButton(self.tr("Import section's public key…"))
        self.trust_button.clicked.connect(self.trust)
        self.send_button = QPushButton(self.tr("Send tasks…"))
        self.send_button.setToolTip(tooltip(self.tr(
            "Writes a signed package of the chosen section's open tasks to a folder or USB drive")))
        self.send_button.clicked.connect(self.choose_send_folder)
        self.notice_button = QPushButton(self.tr("Send supervision notice…"))
        self.notice_button.setToolTip(tooltip(self.tr(
            "The unit's own supervision notice (督办) to the chosen section on its open tasks; it goes with the "
            "next “Send tasks…”")))
        self.notice_button.clicked.connect(self.send_notice)
        for b in (self.register_button, self.trust_button, self.send_button, self.notice_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)

    def refresh(self) -> None:
        from core.sections.registry import list_sections

        self.table.clear()
        for r in self.ctx.read(list_sections):
            key = key_id_text(r.key_id) if r.key_id else self.tr("not imported")
            sent = fill(self.tr("no. %1"), r.last_sent) if r.last_sent else self.tr("none")
            item = QTreeWidgetItem([r.code or self.tr("(no code)"), r.name, str(r.open_tasks), key, sent])
            item.setData(0, Qt.ItemDataRole.UserRole, r.code or "")
            self.table.addTopLevelItem(item)
        for col in (0, 1, 2):
            self.table.resizeColumnToContents(col)

    def selected_code(self, title: str) -> str | None:
        item = self.table.currentItem()
        code = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else ""
        if not code:
            show_info(self, title, self.tr("Select a section with a code in the list first (Register section… "
                                           "gives one)."))
            return None
        return str(code)

    def select(self, code: str) -> None:
        for i in range(self.table.topLevelItemCount()):
            if self.table.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == code:
                self.table.setCurrentItem(self.table.topLevelItem(i))

    # -- 登记科室 -----------------------------------------------------------------------------------
    def register(self) -> None:
        from core.sections.registry import add_section, list_sections

        names = [r.name for r in self.ctx.read(list_sections) if not r.code]
        dialog = RegisterSectionDialog(names, self)
        item = self.table.currentItem()
        if item is not None and not item.data(0, Qt.ItemDataRole.UserRole) and item.text(1) in names:
            dialog.name.setCurrentIndex(names.index(item.text(1)))  # the row chosen in the list
        self.register_dialog = dialog
        user = self.ctx.user

        def action(s: Any) -> Any:
            try:
                return add_section(s, user, dialog.code.text(), dialog.name.currentText())
            except UserError as exc:
                exc.field = "code" if "代码" in exc.message else "name"
                raise

        def submit() -> bool:
            return self.ctx.act(dialog, action, on_refused=dialog.mark_error) is not None

        dialog.on_accept(submit)
        if dialog.exec():
            self.refresh()
            self.select(dialog.code.text().strip())

    # -- 发督办通知 ------------------------------------------------------------------------------------
    def send_notice(self) -> None:
        from core.sections.registry import open_section_tasks, send_unit_notice

        title = self.tr("Send supervision notice")
        code = self.selected_code(title)
        if code is None:
            return
        item = self.table.currentItem()
        section = item.text(1) if item is not None else code
        tasks = self.ctx.read(lambda s: open_section_tasks(s, code))
        if not tasks:
            show_info(self, title, fill(self.tr("%1 has no open task to supervise."), section))
            return
        today = self.ctx.ws.today
        dialog = UnitNoticeDialog(section, tasks, QDate(today.year, today.month, today.day).addDays(7), self)
        self.notice_dialog = dialog
        user = self.ctx.user

        def action(s: Any) -> Any:
            due = dialog.due.date().toString("yyyy-MM-dd")
            return send_unit_notice(s, user, code, dialog.chosen(), dialog.text.toPlainText(), due, today=today)

        sent: list[Any] = []

        def submit() -> bool:
            notices = self.ctx.act(dialog, action, on_refused=dialog.mark_error)
            if notices is None:
                return False
            sent.append((len(notices), notices[0].respond_by))
            return True

        dialog.on_accept(submit)
        if dialog.exec() and sent:
            count, due = sent[0]
            self.last_summary = fill(self.tr("%1 supervision notice(s) to %2 recorded (answer by %3). They go to "
                                             "the section with the next “Send tasks…”."), count, section, due)
            show_info(self, title, self.last_summary)

    # -- 导入科室公钥 --------------------------------------------------------------------------------
    def trust(self) -> None:
        title = self.tr("Import section's public key")
        code = self.selected_code(title)
        if code is None:
            return
        path = file_dialogs.open_file(self, "keys", self.tr("The section desk's public key file"),
                                      self.tr("Public key (*.pub.json)"))
        if not path:
            return
        self.trust_file(code, path)

    def trust_file(self, code: str, path: Path) -> None:
        from core.exchange.keys import read_public_file
        from core.sections.registry import trust_section

        try:
            data = read_public_file(path, owner="unit")
        except UserError as exc:
            show_user_error(self, exc)
            return
        question = fill(self.tr("Key id %1 of the desk of %2. Compare it by phone with the key id the section's "
                                "desk shows. Trust this key?"), key_id_text(data["key_id"]),
                        str(data.get("name") or data.get("section") or ""))
        if not confirm(self, self.tr("Import section's public key"), question):
            return
        user = self.ctx.user
        if self.ctx.act(self, lambda s: trust_section(s, user, code, path)) is not None:
            self.refresh()

    # -- 发送任务 ------------------------------------------------------------------------------------
    def choose_send_folder(self) -> None:
        code = self.selected_code(self.tr("Send tasks"))
        if code is None:
            return
        folder = file_dialogs.choose_folder(self, "section-out",
                                            self.tr("Choose a folder or USB drive for the tasks package"))
        if folder:
            self.send(code, folder)

    def ask_passphrase(self) -> str | None:
        from ui.dialogs.key_dialogs import ask_signing_passphrase

        return ask_signing_passphrase(self, self.ctx)

    def send(self, code: str, folder: Path) -> None:
        """The passphrase (checked first), then the package written and read back in the background."""
        from core.sections.registry import send_tasks

        passphrase = self.ask_passphrase()
        if passphrase is None:
            return
        ws = self.ctx.ws

        def task(_progress: Any) -> tuple[Any, str]:
            from core.exchange.keys import current_unit_key

            result = send_tasks(ws, code, folder, passphrase)
            with ws.read() as s:
                key = current_unit_key(s)
            return result, key_id_text(key.key_id) if key is not None else ""

        def failed(exc: BaseException) -> None:
            show_error(self, exc, where=ws.paths.database)

        self.last_job = run_in_background(self, task, self._sent, failed, title=self.tr("Writing the tasks package…"))

    def _sent(self, done: tuple[Any, str]) -> None:
        result, key_id = done
        self.ctx.changed.emit()
        self.refresh()
        lines = [fill(self.tr("Tasks package no. %1 written (%2 task(s), %3 node(s)), checked:"), result.sequence,
                      result.tasks, result.nodes), f"  {result.path}"]
        if result.public_key_file is not None:
            lines += [self.tr("The first time, the unit's public key file was written beside it:"),
                      f"  {result.public_key_file}",
                      fill(self.tr("Hand both files to the section and compare the key id %1 by phone."), key_id)]
        self.last_summary = "\n".join(lines)
        show_info(self, self.tr("Send tasks"), self.last_summary)
