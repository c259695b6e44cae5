"""Reminders and the window's daily duties: at start and once a day while running.

- 回头看 scheduled for tasks closed since the last look (core.team.rechecks.schedule);
- reminders collected (core.team.reminders.collect): nodes due soon, overdue nodes, notices waiting for a
  response, re-checks due — shown in a banner above the pages, in a dialog, and as a tray notification
  where the system has a tray;
- an automatic backup once a day (core.team.backup.auto_backup; the main window also makes one on exit).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSystemTrayIcon,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import UserError
from ui.context import AppContext
from ui.messages import fill, tooltip
from ui.sizes import resize_to_fit

log = logging.getLogger(__name__)
translate = QCoreApplication.translate
CHECK_EVERY_MS = 30 * 60 * 1000  # the day is looked at every half hour; the work runs once per day
FIRST_CHECK_MS = 400  # once the window has painted
KIND_ORDER = ("node_overdue", "notice_awaiting", "recheck_due", "node_due_soon")


def kind_label(kind: str) -> str:
    return {"node_overdue": translate("Reminders", "Overdue nodes"),
            "node_due_soon": translate("Reminders", "Nodes due soon"),
            "notice_awaiting": translate("Reminders", "Notices waiting for a response"),
            "recheck_due": translate("Reminders", "Re-checks (回头看) due")}.get(kind, kind)


def summary(counts: dict[str, int]) -> str:
    """逾期节点 3 项；督办通知待反馈 1 项… — empty when there is nothing to remind."""
    return translate("Reminders", "; ").join(
        fill(translate("Reminders", "%1: %2"), kind_label(k), str(counts[k]))
        for k in KIND_ORDER if counts.get(k))


def schedule_rechecks(ctx: AppContext) -> int:
    """Gives tasks closed since the last look their 回头看 dates; quiet (a log line) if core refuses."""
    from core.team.rechecks import schedule

    try:
        with ctx.ws.session() as s:
            return len(schedule(s, ctx.user))
    except UserError as exc:
        log.warning("re-checks not scheduled: %s", exc)
        return 0


LIST_LIMIT = 300  # most urgent listed per kind; the counts are always complete


def collect(ctx: AppContext) -> Any:
    from core.team.reminders import collect as core_collect

    with ctx.ws.read() as s:
        return core_collect(s, ctx.ws.today, limit=LIST_LIMIT)


class ReminderBanner(QFrame):
    """A yellow strip above the pages: what needs attention today; “Details…” and a close button."""

    details = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.setStyleSheet("QFrame#reminderBanner { background: #fff4ce; border-bottom: 1px solid #e0c36a; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.details_button = QPushButton(self.tr("Details…"))
        self.details_button.clicked.connect(self.details.emit)
        self.close_button = QPushButton("×")
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(28)
        self.close_button.setToolTip(self.tr("Hide the reminders until tomorrow"))
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.details_button)
        layout.addWidget(self.close_button)
        self.dismissed = False
        self.day = ""
        self.hide()

    def show_reminders(self, reminders: Any) -> None:
        if reminders.today != self.day:  # a new day brings a dismissed banner back
            self.day, self.dismissed = reminders.today, False
        line = summary(reminders.counts)
        self.text.setText(self.tr("Today: %s") % line if line else "")
        self.setVisible(bool(line) and not self.dismissed)

    def dismiss(self) -> None:
        self.dismissed = True
        self.hide()


class RemindersDialog(QDialog):
    """Every reminder grouped by kind; double-click opens the task."""

    def __init__(self, ctx: AppContext, reminders: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Reminders for %s") % reminders.today)
        resize_to_fit(self, 1040, 560)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Task"), self.tr("Due"), self.tr("Owner"), self.tr("What")])
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.itemDoubleClicked.connect(self._open)
        for kind in KIND_ORDER:
            items = reminders.of_kind(kind)
            top = QTreeWidgetItem([f"{kind_label(kind)}（{reminders.counts[kind]}）"])
            for r in items:
                child = QTreeWidgetItem([f"{r.task_ref or ''} {r.task_title}".strip(), r.due, r.owner, r.text])
                child.setToolTip(3, tooltip(r.text))
                child.setData(0, Qt.ItemDataRole.UserRole, r.task_id)
                top.addChild(child)
            more = reminders.more(kind)
            rest = QTreeWidgetItem([self.tr("… and %n more, not listed: the most urgent come first. "
                                            "Use the ledger's filters to see them all.", "", more)])
            if more > 0:
                top.addChild(rest)
            self.tree.addTopLevelItem(top)
            rest.setFirstColumnSpanned(True)
            top.setExpanded(bool(items))
        self.tree.setColumnWidth(0, 300)
        self.tree.resizeColumnToContents(1)
        self.tree.resizeColumnToContents(2)
        hint = QLabel(self.tr("Double-click a line to open its task."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def _open(self, item: QTreeWidgetItem) -> None:
        task_id = item.data(0, Qt.ItemDataRole.UserRole)
        if task_id:
            from ui.dialogs.task_editor import TaskEditor

            TaskEditor(self.ctx, task_id, self).exec()


class DailyDuties(QObject):
    """Runs the day's work at start and when the date changes while the window stays open."""

    updated = Signal(object)  # core.team.reminders.Reminders

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reminders: Any = None
        self.last_day: date | None = None
        self.tray: QSystemTrayIcon | None = None
        self.backup_job: Any = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.tick)
        # Answering a notice or finishing a node changes today's counts now, not at the next day's look.
        ctx.changed.connect(self._data_changed)

    def _data_changed(self) -> None:
        if self.last_day is not None and self.ctx.ready:
            self.refresh(notify=False)

    def start(self) -> None:
        """After the first paint: nothing here delays the window."""
        self.timer.start()
        QTimer.singleShot(FIRST_CHECK_MS, self.tick)

    def tick(self) -> None:
        today = self.ctx.ws.today
        if today == self.last_day:
            return
        new_day = self.last_day is not None  # the window stayed open past midnight
        self.last_day = today
        if schedule_rechecks(self.ctx) or new_day:
            self.ctx.changed.emit()  # lights, the dashboard and the 回头看 card follow the new day
        self.refresh(notify=True)
        self.backup_in_background()  # core skips it when nothing changed since the last automatic one

    def refresh(self, *, notify: bool) -> Any:
        self.reminders = collect(self.ctx)
        self.updated.emit(self.reminders)
        if notify:
            self.notify_tray(self.reminders)
        return self.reminders

    def notify_tray(self, reminders: Any) -> bool:
        line = summary(reminders.counts)
        if not line or not QSystemTrayIcon.isSystemTrayAvailable():
            return False
        if self.tray is None:
            from ui.app import app_icon

            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip(translate("Reminders", "RectiDesk"))
            self.tray.show()
        self.tray.showMessage(translate("Reminders", "RectiDesk reminders"), line,
                              QSystemTrayIcon.MessageIcon.Information, 15000)
        return True

    def backup_in_background(self) -> None:
        """The daily automatic backup, off the GUI thread; a failure is told to the clerk (and logged)."""
        from core.team.backup import auto_backup
        from ui.background import run_in_background

        ws = self.ctx.ws
        self.backup_job = run_in_background(
            None, lambda progress: auto_backup(ws, report=progress.report),
            lambda path: log.info("automatic backup: %s", path), lambda exc: backup_failed(ws, exc),
            title=translate("Reminders", "Automatic backup…"))


def backup_failed(ws: Any, exc: BaseException) -> None:
    """An automatic backup that failed is said to the clerk, not only written to the log: the next one may
    be needed to rescue the ledger."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from core.faults import explain

    log.warning("automatic backup failed: %s", exc, exc_info=not isinstance(exc, UserError))
    mapped = explain(exc, where=ws.paths.backups)
    text = mapped.message if mapped is not None else translate(
        "Reminders", "An unexpected error occurred; the details are in the log file.")
    hint = mapped.hint if mapped is not None else ""
    box = QMessageBox(QMessageBox.Icon.Warning, translate("Reminders", "The automatic backup failed"),
                      translate("Reminders", "The automatic backup could not be made.") + "\n" + text,
                      QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(hint)
    box.exec()


def backup_on_exit(ctx: AppContext, parent: Any, then: Any) -> Any:
    """The backup made when the window closes (skipped by core when nothing changed since the last one), in
    the background helper with its progress dialog; `then(path or None)` runs when it is over."""
    from core.team.backup import auto_backup
    from ui.background import run_in_background

    ws = ctx.ws

    def failed(exc: BaseException) -> None:
        try:
            backup_failed(ws, exc)
        finally:
            then(None)

    return run_in_background(parent, lambda progress: auto_backup(ws, report=progress.report), then, failed,
                             title=translate("Reminders", "Backing up before closing…"))
