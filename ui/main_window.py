"""The main window: navigation (工作台, 整改台账, 督办通知 with a badge, 数据交换, 设置) and the pages.

Built either on an open Workspace, or — at a fast start — on the ledger's first page read before
SQLAlchemy loads (`core.ledger.firstpage`); `attach` then gives it the workspace, and only from then on
are other pages built, the badge and the status read from the ORM.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QModelIndex, QPersistentModelIndex, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QColor, QFont, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.messages import confirm, fill, plain
from ui.pages.ledger import LedgerPage

if TYPE_CHECKING:
    from core.ledger.firstpage import FirstPage
    from core.workspace import Workspace
    from ui.pages.dashboard import DashboardPage
    from ui.pages.exchange import ExchangePage
    from ui.pages.notices import NoticesPage
    from ui.pages.settings import SettingsPage
    from ui.reminders import DailyDuties

BADGE_ROLE = Qt.ItemDataRole.UserRole + 1
PAGES = ("dashboard", "ledger", "notices", "exchange", "settings")


class BadgeDelegate(QStyledItemDelegate):
    """Draws a red count badge at the right of a navigation entry (unanswered 督办通知)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)
        count = index.data(BADGE_ROLE)
        if not count:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = str(count) if count < 100 else "99+"
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        fm = painter.fontMetrics()
        h = fm.height() + 2
        w = max(h, fm.horizontalAdvance(text) + 10)
        rect = QRect(option.rect.right() - w - 8, option.rect.center().y() - h // 2, w, h)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#d93025"))
        painter.drawRoundedRect(rect, h / 2, h / 2)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


def first_size(screen_width: int, screen_height: int) -> tuple[int, int, bool]:
    """The window at its first start: the ledger's columns need the width, so a laptop screen (1366×768)
    is used whole (maximized); a large screen gets 1280×760."""
    return min(1280, screen_width), min(760, screen_height), 1200 <= screen_width < 1500


class MainWindow(QMainWindow):
    def __init__(self, ws: Workspace | None, start_page: str = "dashboard", first: FirstPage | None = None) -> None:
        super().__init__()
        self.ctx = AppContext(ws, self)
        if ws is not None:
            unit = ws.unit()
            self._set_title(unit.name if unit else None)
        else:
            assert first is not None, "a window without a workspace needs the first page"
            self._set_title(first.unit_name)
        # 960×520 fits a 1366×768 screen even at 125% scaling with the taskbar (pages scroll below that).
        self.setMinimumSize(QSize(960, 520))

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setItemDelegate(BadgeDelegate(self.nav))
        self.nav.setFixedWidth(168)
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setStyleSheet(
            "QListWidget#navigation { background: #23395d; color: #e8eef7; border: none; font-size: 15px; }"
            "QListWidget#navigation::item { padding: 12px 10px; }"
            "QListWidget#navigation::item:selected { background: #3a5a8c; color: white; }"
        )
        titles = {
            "dashboard": self.tr("Dashboard"),
            "ledger": self.tr("Rectification ledger"),
            "notices": self.tr("Supervision notices"),
            "exchange": self.tr("Data exchange"),
            "settings": self.tr("Settings"),
        }
        for key in PAGES:
            item = QListWidgetItem(titles[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)

        # Pages other than the ledger are built when first shown: start-up pays only for the first page.
        self._built: dict[str, QWidget] = {}
        self.ledger_page = LedgerPage(self.ctx, first=first)
        self.stack = QStackedWidget()
        for key in PAGES:
            self.stack.addWidget(self.ledger_page if key == "ledger" else QWidget())
        self.nav.currentRowChanged.connect(self._page_changed)

        from ui.reminders import ReminderBanner

        self.banner = ReminderBanner()
        self.banner.details.connect(self.show_reminders)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # An obviously wrong PC clock (earlier than the newest package) makes every light wrong: say so on top.
        self.clock_warning = plain(QLabel())
        self.clock_warning.setWordWrap(True)
        self.clock_warning.setStyleSheet("background: #fdecea; color: #a61b1b; padding: 6px 10px;")
        self.clock_warning.hide()
        column.addWidget(self.clock_warning)
        column.addWidget(self.banner)
        column.addWidget(self.stack, 1)
        self.duties: DailyDuties | None = None
        self.exit_backup_job: object = None
        self._exit_backup_done = False
        self.last_backup: object = None
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)

        self._status = plain(QLabel())
        self.statusBar().addPermanentWidget(self._status)
        # Who is working, always in sight, and the way to hand the PC to a colleague (双人核查).
        self.user_label = plain(QLabel())
        self.user_label.setObjectName("currentUser")
        self.user_label.setStyleSheet("QLabel#currentUser { font-weight: bold; padding: 0 4px; }")
        self.switch_user_button = QPushButton(self.tr("Switch user…"))
        self.switch_user_button.setToolTip(self.tr("Let a colleague work under their own name (Ctrl+Shift+U)"))
        self.switch_user_button.clicked.connect(self.switch_user)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.switch_user_button)
        self._add_shortcuts()
        self._add_about()
        self._waiting_packages: list[Path] = []
        self.ctx.changed.connect(self._on_changed)
        self.ctx.busy.connect(self._on_busy)
        self._restore_geometry()
        if ws is not None:
            self._on_changed()
        else:
            self._set_badge(first.waiting_notices if first else 0)
        self.nav.setCurrentRow(PAGES.index(start_page))

    def _set_title(self, unit_name: str | None) -> None:
        # The unit alone: Qt adds the application's name (整改通) itself, so it is never named twice.
        desk = self.desk_words(unit_name)
        self.setWindowTitle(desk or unit_name or self.tr("no ledger yet"))

    def desk_words(self, unit_name: str | None) -> str:
        """科室端 · <section> · <unit> when this data folder is a section desk (内部督办), else ""."""
        if not self.ctx.ready:
            return ""
        from core.sections.common import SECTION_NAME_KEY, get_setting, is_section_desk

        def read(s: Any) -> str | None:
            return get_setting(s, SECTION_NAME_KEY) if is_section_desk(s) else None

        section = self.ctx.read(read)
        if section is None:
            return ""
        return fill(self.tr("Section desk · %1 · %2"), section, unit_name or "")

    def attach(self, ws: Workspace) -> None:
        """The workspace is open (fast start): the ledger reads afresh, the rest of the window follows."""
        self.ctx.attach(ws)
        unit = ws.unit()
        self._set_title(unit.name if unit else None)
        self._on_changed()
        self._page_changed(self.nav.currentRow())  # a page chosen meanwhile is built now
        if self._waiting_packages:
            waiting, self._waiting_packages = self._waiting_packages, []
            self.open_packages(waiting)

    @property
    def ready(self) -> bool:
        return self.ctx.ready

    def page(self, key: str) -> QWidget:
        """The page `key`, built on first use in place of its empty placeholder."""
        if key == "ledger":
            return self.ledger_page
        page = self._built.get(key)
        if page is None:
            page = self._build(key)
            row = PAGES.index(key)
            placeholder = self.stack.widget(row)
            current = self.stack.currentIndex()
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.insertWidget(row, page)
            self.stack.setCurrentIndex(current)
            self._built[key] = page
        return page

    def _build(self, key: str) -> QWidget:
        if key == "dashboard":
            from ui.pages.dashboard import DashboardPage

            dash = DashboardPage(self.ctx)
            dash.drill_down.connect(self.open_ledger_filtered)
            dash.open_notices.connect(lambda: self.show_page("notices"))
            return dash
        if key == "notices":
            from ui.pages.notices import NoticesPage

            return NoticesPage(self.ctx)
        if key == "exchange":
            from ui.pages.exchange import ExchangePage

            return ExchangePage(self.ctx)
        from ui.pages.settings import SettingsPage

        return SettingsPage(self.ctx)

    @property
    def dashboard_page(self) -> DashboardPage:
        return self.page("dashboard")  # type: ignore[return-value]

    @property
    def notices_page(self) -> NoticesPage:
        return self.page("notices")  # type: ignore[return-value]

    @property
    def exchange_page(self) -> ExchangePage:
        return self.page("exchange")  # type: ignore[return-value]

    @property
    def settings_page(self) -> SettingsPage:
        return self.page("settings")  # type: ignore[return-value]

    # -- navigation --------------------------------------------------------------------------
    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(PAGES.index(key))

    def current_page(self) -> str:
        return PAGES[self.nav.currentRow()]

    def _page_changed(self, row: int) -> None:
        if row < 0 or (not self.ctx.ready and PAGES[row] != "ledger"):
            return  # before the workspace is open only the ledger exists; `attach` shows the choice
        page = self.page(PAGES[row])
        self.stack.setCurrentIndex(row)
        activated = getattr(page, "activated", None)
        if callable(activated):
            activated()

    def open_ledger_filtered(self, criteria: dict) -> None:
        self.ledger_page.apply_criteria(criteria)
        self.show_page("ledger")

    def _add_shortcuts(self) -> None:
        for i, key in enumerate(PAGES, start=1):
            act = QAction(self)
            act.setShortcut(QKeySequence(f"Ctrl+{i}"))
            act.triggered.connect(lambda _=False, k=key: self.show_page(k))
            self.addAction(act)
        find = QAction(self.tr("Search the ledger"), self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.triggered.connect(self._focus_search)
        new = QAction(self.tr("New task"), self)
        new.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        new.triggered.connect(self.ledger_page.new_task)
        refresh = QAction(self.tr("Refresh"), self)
        refresh.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.triggered.connect(self.ctx.changed.emit)
        quit_ = QAction(self.tr("Quit"), self)
        quit_.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_.triggered.connect(self.close)
        switch = QAction(self.tr("Switch user…"), self)
        switch.setShortcut(QKeySequence("Ctrl+Shift+U"))
        switch.triggered.connect(self.switch_user)
        for act in (find, new, refresh, quit_, switch):
            self.addAction(act)
        self._add_help_menu()

    def _add_help_menu(self) -> None:
        """帮助 → 操作指南 (F1): the guide shipped with the program, at the section of the page shown."""
        menu = self._help_menu()
        guide = QAction(self.tr("User guide"), self)
        menu.insertAction(menu.actions()[0] if menu.actions() else None, guide)  # the guide first
        guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        guide.triggered.connect(self.show_guide)
        self.guide_action = guide

    def show_guide(self) -> None:
        from ui.guide import show_guide

        section = {"exchange": "import", "notices": "respond", "ledger": "task", "settings": "backup"}
        show_guide(self, section.get(self.current_page(), ""))

    def _add_about(self) -> None:
        """帮助 → 关于整改通 (the Help menu is shared: found by its object name, or made here)."""
        menu = self._help_menu()
        about = QAction(self.tr("About RectiDesk"), self)
        about.setObjectName("about_action")
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        menu.addAction(about)

    def _help_menu(self) -> Any:
        """The one 帮助 menu (操作指南 and 关于整改通 both go in it, whichever is added first)."""
        from PySide6.QtWidgets import QMenu

        bar = self.menuBar()
        menu = bar.findChild(QMenu, "help_menu")
        if menu is None:
            menu = bar.addMenu(self.tr("&Help"))
            menu.setObjectName("help_menu")
        return menu

    def show_about(self) -> None:
        from ui.dialogs.about import AboutDialog

        self.about_dialog = AboutDialog(self.ctx.ws.paths.root if self.ctx.ready else None, self)
        self.about_dialog.exec()

    # -- a second start of the program (ui.single_instance) ----------------------------------------
    def come_forward(self, files: list[Path]) -> None:
        """The clerk started the program again: this window (or its open dialog) to the front, files imported."""
        from PySide6.QtWidgets import QApplication

        if self.isMinimized():
            self.showNormal()
        self.show()
        front = QApplication.activeModalWidget() or self
        front.raise_()
        front.activateWindow()
        QApplication.alert(front)  # where Windows keeps the focus elsewhere, the taskbar button flashes
        if files:
            self.open_packages(files)

    def open_packages(self, files: list[Path]) -> None:
        """Feedback packages opened from Explorer: the import preview of 数据交换 (after the start, if need be)."""
        if not self.ctx.ready:
            self._waiting_packages.extend(files)
            return
        self.show_page("exchange")
        self.exchange_page.import_feedback(files)

    def _focus_search(self) -> None:
        self.show_page("ledger")
        self.ledger_page.search.setFocus()
        self.ledger_page.search.selectAll()

    # -- daily duties: 回头看 scheduled, reminders (banner, tray), automatic backup -------------
    def start_daily_duties(self) -> DailyDuties:
        """Called by the application after the window is shown (not in --smoke, not in most tests)."""
        from ui.reminders import DailyDuties

        if self.duties is None:
            self.duties = DailyDuties(self.ctx, self)
            self.duties.updated.connect(self.banner.show_reminders)
            self.duties.start()
        return self.duties

    def show_reminders(self) -> None:
        if not self.ctx.ready:
            return
        from ui.reminders import RemindersDialog

        if self.duties is not None:  # read afresh: the day's work may have changed the list
            RemindersDialog(self.ctx, self.duties.refresh(notify=False), self).exec()

    # -- state -------------------------------------------------------------------------------
    def _on_changed(self) -> None:
        if not self.ctx.ready:
            return
        self.refresh_badge()
        self._update_status()

    def check_clock(self) -> None:
        from core.clock import clock_warning

        warning = self.ctx.read(lambda s: clock_warning(s, self.ctx.ws.today))
        self.clock_warning.setText(warning or "")
        self.clock_warning.setVisible(bool(warning))

    def refresh_badge(self) -> None:
        from core.ledger.queries import waiting_notice_count

        self._set_badge(self.ctx.read(waiting_notice_count))

    def _set_badge(self, count: int) -> None:
        self.nav.item(PAGES.index("notices")).setData(BADGE_ROLE, count)
        self.nav.item(PAGES.index("notices")).setToolTip(
            self.tr("%n notice(s) waiting for a response", "", count) if count else "")

    def badge_count(self) -> int:
        return int(self.nav.item(PAGES.index("notices")).data(BADGE_ROLE) or 0)

    def _update_status(self) -> None:
        self.check_clock()  # a newly imported package may show that the clock is behind
        unit = self.ctx.ws.unit()
        name = unit.name if unit else "-"
        self._status.setText(fill(self.tr("%1 · today %2 · data folder %3"), self.desk_words(name) or name,
                                  self.ctx.ws.today.isoformat(), str(self.ctx.ws.paths.root)))
        user = self.ctx.user_shown()
        self.user_label.setText(fill(self.tr("Current user: %1"), user) if user else "")

    def switch_user(self) -> bool:
        """切换用户: the login list again; every page then shows and acts as the chosen colleague."""
        if not self.ctx.ready:
            return False
        from ui.dialogs.people_dialogs import log_in

        if not log_in(self.ctx.ws, self, switching=True):
            return False
        self.ctx.changed.emit()
        return True

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen = self.screen().availableGeometry()
            width, height, maximized = first_size(screen.width(), screen.height())
            self.resize(width, height)
            if maximized:
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def _on_busy(self, waiting: bool) -> None:
        """A write waits for a background one (an attach, an import): say so instead of looking frozen."""
        if waiting:
            self.statusBar().showMessage(self.tr("Saving… (waiting for the work in progress to finish)"))
        else:
            self.statusBar().clearMessage()

    def closeEvent(self, event: QCloseEvent) -> None:
        from ui.background import finish_all, unfinished_jobs

        # Work the user started (an export to the USB stick…) is cancelled only if they say so; the
        # daily backup is simply waited for. Either way nothing runs on after the data folder is closed.
        asked = [job for job in unfinished_jobs() if job.user_started]
        if asked and not confirm(self, self.tr("Quit"), self.tr(
                "“%s” is not finished. Quit anyway? It will be cancelled; nothing half-done is kept.")
                % asked[0].title):
            event.ignore()
            return
        finish_all()
        if self.exit_backup_job is not None and self.exit_backup_job not in unfinished_jobs():
            self._exit_backup_done = True  # cancelled by the clerk's "Quit anyway": nothing half-done is kept
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/page", self.current_page())
        self.ledger_page.save_layout()
        if self.duties is not None and not self._exit_backup_done:
            # The backup on exit runs in the background helper with its progress dialog; the window closes
            # when it is over (a failure is told to the clerk first: ui.reminders.backup_on_exit).
            from ui.reminders import backup_on_exit

            self.duties.timer.stop()
            event.ignore()
            if self.exit_backup_job is None:
                self.exit_backup_job = backup_on_exit(self.ctx, self, self._exit_backup_over)
            return
        super().closeEvent(event)

    def _exit_backup_over(self, path: object) -> None:
        from shiboken6 import isValid

        if not isValid(self):
            return  # the window is already gone (a test's teardown, the session ending)
        self.last_backup = path
        self._exit_backup_done = True
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self, self.close)  # after the job has left the unfinished ones (not if self is gone)
