"""Bugs: logged with their traceback and shown once per kind in a dialog whose details can be copied.

As qutebrowser and Anki report them: the dialog carries the version/OS/Qt block and the last lines of the
log, and a button opens the log folder; Qt's own messages go into the log; a crash that killed the program
(the faulthandler file of `core.applog`) is shown at the next start.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QMessageLogContext, QtMsgType, QUrl, qInstallMessageHandler
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core import applog
from ui.messages import fill

log = logging.getLogger("rectidesk.crash")
qt_log = logging.getLogger("qt")
_seen: set[str] = set()
_mode: dict = {"interactive": True, "log_dir": None}  # set by install(); a dict, not a global statement


translate = QCoreApplication.translate


def qt_line() -> str:
    import PySide6
    from PySide6.QtCore import qVersion

    platform_name = QGuiApplication.platformName() if QGuiApplication.instance() is not None else "-"
    return f"{qVersion()} (PySide6 {PySide6.__version__}, {platform_name})"


def system_block() -> str:
    """RectiDesk, Python, OS, Qt and PySide6 versions: the first lines support asks for."""
    return applog.system_block((("Qt", qt_line()),))


def report_text(details: str, log_dir: Path | None, *, with_system: bool = True) -> str:
    """What the dialog shows and copies: the system block, the details, the end of the log."""
    parts = [system_block(), details.rstrip()] if with_system else [details.rstrip()]
    tail = applog.last_lines(log_dir) if log_dir is not None else ""
    shown = {line.strip() for line in details.splitlines() if line.strip()}
    tail = "\n".join(line for line in tail.splitlines() if line.strip() not in shown)  # the traceback once
    if tail:
        parts.append(translate("CrashDialog", "Last lines of the log:") + "\n" + tail)
    return "\n\n".join(parts) + "\n"


class CrashDialog(QDialog):
    def __init__(self, details: str, parent: QWidget | None = None, *, log_dir: Path | None = None,
                 intro: str | None = None, with_system: bool = True) -> None:
        super().__init__(parent)
        log_dir = log_dir or _mode["log_dir"]
        self.log_dir = log_dir
        self.setWindowTitle(translate("CrashDialog", "The program ran into a problem"))
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro or translate(
            "CrashDialog", "Something went wrong inside the program. Your data has not been changed by the "
            "failed action. The details below were written to the log file; please copy them and send them "
            "to technical support."))
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        text = report_text(details, log_dir, with_system=with_system)
        self.details = QPlainTextEdit(text)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(translate("CrashDialog", "Copy details"),
                                 QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(text))
        self.open_logs = buttons.addButton(translate("CrashDialog", "Open log folder"),
                                           QDialogButtonBox.ButtonRole.ActionRole)
        self.open_logs.setEnabled(log_dir is not None)
        self.open_logs.clicked.connect(self.open_log_folder)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(700, 460)

    def open_log_folder(self) -> bool:
        if self.log_dir is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))


def show_previous_crashes(parent: QWidget | None, log_dir: Path | None) -> list[Path]:
    """The crash files an earlier run left (it stopped without a chance to say so): shown once each."""
    if log_dir is None:
        return []
    found = applog.previous_crashes(log_dir)
    for path in found:
        try:
            dump = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        log.error("the previous run stopped unexpectedly: %s", path.name)
        if _mode["interactive"]:
            CrashDialog(dump, parent, log_dir=log_dir, with_system=False, intro=fill(translate(
                "CrashDialog", "The program stopped unexpectedly the last time it ran. Your data is safe: every "
                "change was saved when it was made. Please copy the details below, or send the file %1 from the "
                "log folder, to technical support."), path.name)).exec()
        applog.mark_seen(path)
    return found


_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}
_previous_handler: list = []


def _qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings (a missing plugin, a font, a painter misuse) into the log, not a console nobody sees."""
    qt_log.log(_QT_LEVELS.get(mode, logging.WARNING), "%s", message)
    previous = _previous_handler[0] if _previous_handler else None
    if previous is not None:  # e.g. pytest-qt, which fails a test on a Qt warning
        previous(mode, context, message)
    elif mode != QtMsgType.QtDebugMsg:
        sys.stderr.write(f"qt: {message}\n")


def route_qt_messages() -> None:
    """Install the handler (again, if someone replaced it); the one it replaces still gets every message."""
    previous = qInstallMessageHandler(_qt_message)
    if getattr(previous, "__name__", None) != _qt_message.__name__:
        _previous_handler[:] = [previous]


def kind_of(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """Same exception type raised at the same place = same kind: shown once, logged every time."""
    frames = traceback.extract_tb(tb)
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{exc_type.__name__}@{where}"


def handle_exception(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    from core.faults import explain

    mapped = explain(exc) if isinstance(exc, Exception) else None
    if mapped is not None:
        # A refusal, or an error of the machine (disk full, a held file), that escaped its handler:
        # still a plain message, not a crash.
        from ui.messages import show_user_error

        log.warning("%s: %s", exc_type.__name__, mapped)
        show_user_error(QApplication.activeWindow(), mapped)
        return
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("unexpected error\n%s", details)
    kind = kind_of(exc_type, tb)
    if not _mode["interactive"]:  # --smoke and other runs without a person: the details on stderr, never a dialog
        sys.stderr.write(details)
        return
    if kind in _seen or QApplication.instance() is None:
        return
    _seen.add(kind)
    CrashDialog(details, QApplication.activeWindow()).exec()


def install(*, interactive: bool = True, log_dir: Path | None = None) -> None:
    _mode["interactive"] = interactive
    if log_dir is not None:
        _mode["log_dir"] = log_dir
    sys.excepthook = handle_exception
    route_qt_messages()
    if not _mode.get("noted"):  # the crash file's header (written before Qt loaded) gets Qt's version
        _mode["noted"] = True
        applog.note_in_crash_file(f"Qt: {qt_line()}")
