"""Bugs: logged with their traceback and shown once per kind in a dialog whose details can be copied."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("rectidesk.crash")
_seen: set[str] = set()
_mode = {"interactive": True}  # set by install(); a dict, not a global statement


translate = QCoreApplication.translate


class CrashDialog(QDialog):
    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("CrashDialog", "The program ran into a problem"))
        layout = QVBoxLayout(self)
        intro = QLabel(translate(
            "CrashDialog", "Something went wrong inside the program. Your data has not been changed by the "
            "failed action. The details below were written to the log file; please copy them and send them "
            "to technical support."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(translate("CrashDialog", "Copy details"),
                                 QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(640, 420)


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


def install(*, interactive: bool = True) -> None:
    _mode["interactive"] = interactive
    sys.excepthook = handle_exception
