"""Starts the Qt application: translations, icon, crash handler, the data folder, the main window."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# Core and SQLAlchemy before PySide6: every module imported after PySide6 passes through shiboken's
# import hook, which reads the module's source to look for `__feature__` (~0.1 s over SQLAlchemy).
import core.ledger.queries  # noqa: F401
import core.workspace  # noqa: F401

# isort: split
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

if TYPE_CHECKING:
    from core.workspace import Workspace
    from ui.main_window import MainWindow

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
if getattr(sys, "frozen", False):  # PyInstaller bundle: resources sit next to the unpacked modules
    RESOURCES = Path(getattr(sys, "_MEIPASS", ".")) / "resources"
I18N = RESOURCES / "i18n"
ICON = RESOURCES / "icons" / "rectidesk.svg"

log = logging.getLogger(__name__)
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
    icon = QIcon(str(ICON))
    png = RESOURCES / "icons" / "rectidesk-256.png"
    if png.exists():
        icon.addFile(str(png))
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
    from core.errors import UserError
    from core.workspace import Workspace
    from ui import crash

    app = make_application()
    install_translations(app, getattr(args, "lang", None))
    crash.install(interactive=not args.smoke)
    try:
        ws = Workspace.open(args.data_dir, user=args.user, today=args.today)
    except UserError as exc:
        box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("App", "RectiDesk"),
                          exc.message, QMessageBox.StandardButton.Ok)
        box.setInformativeText(exc.hint)
        if args.smoke:
            sys.stderr.write(f"{exc}\n")
        else:
            box.exec()
        return exc.exit_code
    try:
        if args.demo and ws.unit() is None:
            from core.demo import build_demo

            build_demo(ws)
        from ui.main_window import MainWindow

        if ws.unit() is None and not args.smoke:
            from ui.dialogs.first_run import FirstRunDialog

            if not FirstRunDialog(ws).exec():
                return 0
        if not args.smoke and not log_in(ws):
            return 0
        win = MainWindow(ws, start_page="ledger" if args.smoke else "dashboard")
        win.show()
        if args.smoke:
            return smoke(app, win)
        win.start_daily_duties()
        return int(app.exec())
    finally:
        ws.close()


def log_in(ws: Workspace) -> bool:
    """Core says when a login is needed (several users with passwords); the window then asks for it."""
    from ui import feature_links
    from ui.dialogs.people_dialogs import LoginDialog

    required = feature_links.link("login_required").resolve()
    authenticate = feature_links.link("authenticate").resolve()
    if required is None or authenticate is None:
        return True
    with ws.read() as s:
        if not required(s):
            return True
    dialog = LoginDialog(authenticate, ws.read, ws.user)
    if not dialog.exec():
        return False
    ws.set_user(dialog.name.text().strip())
    return True


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
