"""Starts the Qt application: translations, icon, crash handler, the data folder, the main window."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

import ui.fast_imports  # noqa: F401 - before SQLAlchemy is imported (after the first paint)

if TYPE_CHECKING:
    from core.ledger.firstpage import FirstPage
    from core.workspace import Workspace
    from ui.main_window import MainWindow
    from ui.single_instance import InstanceServer

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
if getattr(sys, "frozen", False):  # PyInstaller bundle: resources sit next to the unpacked modules
    RESOURCES = Path(getattr(sys, "_MEIPASS", ".")) / "resources"
I18N = RESOURCES / "i18n"
ICON = RESOURCES / "icons" / "rectidesk.svg"

log = logging.getLogger(__name__)
CACHE_AFTER_MS = 1500
_translators: list[QTranslator] = []


def install_translations(app: QCoreApplication, lang: str | None) -> str:
    """Simplified Chinese unless `--lang en`: ours from resources/i18n, Qt's own from the Qt install."""
    for t in _translators:
        app.removeTranslator(t)
    _translators.clear()
    lang = lang or "zh_CN"
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folders in (("qtbase_zh_CN", (qt_folder, str(I18N))), ("rectidesk_zh_CN", (str(I18N),))):
            t = QTranslator(app)
            if any(t.load(name, folder) for folder in folders):  # a bundle may ship Qt's file next to ours
                app.installTranslator(t)
                _translators.append(t)
            else:
                log.warning("translation %s not found in %s", name, ", ".join(folders))
    from ui import labels

    labels.reset()
    return lang


def app_icon() -> QIcon:
    """The window and taskbar icon: every size of rectidesk.ico (16–256 px, each drawn for its size by
    tools/make_icon.py), so Windows never scales a 256 px image down to 16; the SVG where the .ico is absent."""
    ico = RESOURCES / "icons" / "rectidesk.ico"
    icon = QIcon(str(ico)) if ico.exists() else QIcon()
    if icon.isNull() or not icon.availableSizes():
        icon = QIcon(str(ICON))
    return icon


def make_application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    from PySide6.QtCore import Qt

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("RectiDesk")
    app.setApplicationName("RectiDesk")
    app.setApplicationDisplayName("整改通")
    app.setWindowIcon(app_icon())
    choose_font(app)
    return app


# Clear sans-serif Chinese faces, best first (Windows, macOS, Linux); the platform default otherwise.
PREFERRED_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
                   "Source Han Sans SC", "WenQuanYi Micro Hei")


def choose_font(app: QApplication) -> None:
    """Qt takes the first family of the list that is installed (no font enumeration at start-up)."""
    font = app.font()
    font.setFamilies([*PREFERRED_FONTS, font.family()])
    app.setFont(font)


def run_app(args: argparse.Namespace) -> int:
    """Start the window: fast when the ledger's first page can be painted before SQLAlchemy loads.

    The fast way (`core.ledger.firstpage`) needs a cached first page for the remembered sort, one
    unit, no login, the ledger as the page to open, and the folder free; the window then paints that
    page, opens the workspace and takes over. Anything else starts the ordinary way: workspace first
    (with the first-run wizard or the login when needed), then the window.
    """
    from core.paths import DataPaths
    from ui import crash

    app = make_application()
    install_translations(app, getattr(args, "lang", None))
    root = DataPaths.resolve(args.data_dir).root
    crash.install(interactive=not args.smoke, log_dir=root / "logs")
    handed_over, instance = (False, None) if args.smoke else claim_instance(app, root, _files_to_open(args))
    if handed_over:
        return 0  # the window already open on this data folder came to the front with the files
    try:
        return _start(app, args)
    finally:
        if instance is not None:
            instance.close()


def _files_to_open(args: argparse.Namespace) -> list[Path]:
    """`RectiDesk.exe FILE.zgb` (a double-click in Explorer): the feedback packages to preview."""
    return [Path(f) for f in getattr(args, "open_files", None) or []]


def claim_instance(app: QApplication, root: Path, files: list[Path]) -> tuple[bool, InstanceServer | None]:
    """(True, None) when a window already running on this data folder took the files; else our own server."""
    from ui.single_instance import InstanceServer, hand_over, server_name

    name = server_name(root)
    if hand_over(name, files):
        log.info("handed %d file(s) to the window already open on %s", len(files), root)
        return True, None
    server = InstanceServer(name, app)
    server.listen()
    _instance["server"] = server
    return False, server


_instance: dict[str, InstanceServer] = {}


def _start(app: QApplication, args: argparse.Namespace) -> int:
    start_page = "ledger" if args.smoke else remembered_page()
    first = read_first_page(args) if start_page == "ledger" and not args.demo else None
    if first is None:
        return _ordinary_start(app, args, start_page)
    from ui.main_window import MainWindow

    win = MainWindow(None, start_page="ledger", first=first)
    win.show()
    if args.smoke == "first":
        return smoke(app, win)
    _serve_second_starts(win, args)
    wait_painted(win.ledger_page.table.viewport())
    if not win.isVisible():
        return 0  # closed as soon as it appeared: nothing was opened, nothing to save
    ws = _open_workspace(args)
    if isinstance(ws, int):
        return ws
    try:
        if not log_in(ws, args.user):  # the fast start is taken for a ledger of one user: no question
            return 0
        win.attach(ws)
        return _run_window(app, args, win)
    finally:
        ws.close()


def _serve_second_starts(win: MainWindow, args: argparse.Namespace) -> None:
    """From now on a second start comes to this window; the files this start was given open in it."""
    server = _instance.get("server")
    if server is not None:
        server.set_handler(win.come_forward)
    files = _files_to_open(args)
    if files:
        win.open_packages(files)


def _run_window(app: QApplication, args: argparse.Namespace, win: MainWindow) -> int:
    """The event loop (or the smoke check); the first page's statements are kept for the next start."""
    if args.smoke:
        if args.smoke == "ready":  # every page built once: each module it needs loads (QtCharts in a bundle)
            from ui.main_window import PAGES

            for key in PAGES:
                win.page(key)
        code = smoke(app, win)
        win.ledger_page.write_first_page_cache()
        return code
    from ui import crash

    QTimer.singleShot(CACHE_AFTER_MS, win.ledger_page.write_first_page_cache)  # after the first paint
    QTimer.singleShot(0, lambda: crash.show_previous_crashes(win, win.ctx.ws.paths.logs))
    win.start_daily_duties()
    return int(app.exec())


def wait_painted(widget: QWidget, timeout_ms: int = 2000) -> bool:
    """Run the event loop until `widget` has been painted (and the paint shown), or the timeout."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject

    loop = QEventLoop()
    painted: list[bool] = []

    class Watch(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(True)
                QTimer.singleShot(0, loop.quit)  # after this paint is finished and flushed
            return False

    watch = Watch()
    widget.installEventFilter(watch)
    QTimer.singleShot(timeout_ms, loop.quit)
    try:
        loop.exec()
    finally:
        widget.removeEventFilter(watch)
    return bool(painted)


def remembered_page() -> str:
    """The page the window showed when it was last closed; the ledger the first time."""
    from PySide6.QtCore import QSettings

    from ui.main_window import PAGES

    page = QSettings().value("window/page", "ledger")
    return page if page in PAGES else "ledger"


def read_first_page(args: argparse.Namespace) -> FirstPage | None:
    from datetime import date

    from core.ledger.firstpage import read_first_page as read
    from ui.pages.ledger import remembered_sort

    sort, descending = remembered_sort()
    return read(args.data_dir, args.today or date.today(), sort, descending)


def _open_workspace(args: argparse.Namespace) -> Workspace | int:
    """The workspace, or the exit code after the refusal was shown."""
    from core.errors import DatabaseDamaged, UserError
    from core.workspace import Workspace

    try:
        return Workspace.open(args.data_dir, user=args.user, today=args.today)
    except DatabaseDamaged as exc:
        if not args.smoke:
            from core.paths import DataPaths
            from ui.restore_flow import restore_damaged

            if restore_damaged(exc, DataPaths.resolve(args.data_dir).root, args.user or ""):
                return _open_workspace(args)
            return exc.exit_code
        sys.stderr.write(f"{exc}\n")
        return exc.exit_code
    except UserError as exc:
        box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("App", "RectiDesk"),
                          exc.message, QMessageBox.StandardButton.Ok)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(exc.window_hint)
        if args.smoke:
            sys.stderr.write(f"{exc}\n")
        else:
            box.exec()
        return exc.exit_code


def _ordinary_start(app: QApplication, args: argparse.Namespace, start_page: str) -> int:
    ws = _open_workspace(args)
    if isinstance(ws, int):
        return ws
    try:
        if args.demo and ws.unit() is None:
            from core.demo import build_demo

            build_demo(ws)
        from ui.main_window import MainWindow

        if ws.unit() is None and not args.smoke:
            from ui.dialogs.first_run import FirstRunDialog

            if not FirstRunDialog(ws).exec():
                return 0
        if not args.smoke and not log_in(ws, args.user):
            return 0
        win = MainWindow(ws, start_page=start_page)
        win.show()
        if not args.smoke:
            _serve_second_starts(win, args)
        return _run_window(app, args, win)
    finally:
        ws.close()


def log_in(ws: Workspace, requested: str | None = None) -> bool:
    """Who is working: the only user, or the one chosen in the login list (ui.dialogs.people_dialogs.log_in)."""
    from ui.dialogs.people_dialogs import log_in as ask

    return ask(ws, requested=requested)


def smoke(app: QApplication, win: MainWindow) -> int:
    """Open, paint the ledger once, quit: exit 0 means the window works on this machine."""
    win.show_page("ledger")
    table = win.ledger_page.table
    table.viewport().repaint()
    app.processEvents()
    QTimer.singleShot(0, app.quit)
    app.exec()
    model = win.ledger_page.model
    painted = model.rowCount() == 0 or model.pages_read() > 0  # the visible rows were read and drawn
    return 0 if painted else 1
