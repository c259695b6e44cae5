"""Plain messages to the user: refusals from core (UserError) shown as they are, with their hint."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from core.errors import Cancelled, UserError
from core.faults import explain


def show_user_error(parent: QWidget | None, exc: UserError) -> None:
    if isinstance(exc, Cancelled):
        return  # the clerk pressed Cancel: nothing to explain, and it is not a refusal
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("Messages", "Cannot do that"),
                      exc.message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # messages quote names and titles: text, never HTML
    if exc.window_hint:  # the window's words: a button or menu, never a command
        box.setInformativeText(exc.window_hint)
    box.exec()


def show_error(parent: QWidget | None, exc: BaseException, *, where: Path | None = None) -> None:
    """For background work: a refusal or an error of the machine (disk full, a held file: `core.faults`)
    becomes its message; anything else is a bug for the crash handler."""
    mapped = explain(exc, where=where)
    if mapped is not None:
        show_user_error(parent, mapped)
    else:
        raise exc


def as_html(text: str) -> str:
    """Text for a widget that guesses between text and HTML: always HTML, with the text escaped."""
    return "<p>" + escape(text, quote=False).replace("\n", "<br>") + "</p>"


def tooltip(text: str | None) -> str:
    """A tooltip that shows outside text as written: Qt draws a tooltip that looks like HTML as HTML (an
    <img src="file:///…"> in a task title would load a local file), so it is always escaped HTML."""
    return as_html(text) if text else ""


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, as_html(text))


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, as_html(text),
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def fill(template: str, *values: object) -> str:
    """Qt-style "%1 … %2" filled in one pass: a value that itself contains "%2" stays as it is."""
    return re.sub(r"%(\d)", lambda m: str(values[int(m.group(1)) - 1]) if 0 < int(m.group(1)) <= len(values)
                  else m.group(0), template)


def plain(label: QLabel) -> QLabel:
    """A label that shows data (names, titles, paths, messages): never read as HTML, whatever it contains."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
