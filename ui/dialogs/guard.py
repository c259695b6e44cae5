"""Input dialogs that never lose what was typed.

`GuardedDialog` is the base of every dialog with input: Esc, Cancel/关闭 and the window's close button
ask 放弃修改？ (放弃 / 继续编辑) once anything differs from what the dialog opened with. Its action runs
while the dialog is still open (`on_accept`): a refusal from core is shown over the dialog, the text
stays, and the input the refusal names (`UserError.field`) gets the focus and a red frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from core.errors import UserError
from ui.messages import tooltip

translate = QCoreApplication.translate
INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton)
INVALID_STYLE = "border: 2px solid #c5221f; border-radius: 3px;"


def ask_discard(parent: QWidget) -> bool:
    """放弃修改？ True only when the clerk chooses 放弃; Esc or 继续编辑 keeps the dialog open."""
    box = QMessageBox(QMessageBox.Icon.Question, translate("Guard", "Discard changes?"),
                      translate("Guard", "What you typed here has not been saved. Discard it?"),
                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.button(QMessageBox.StandardButton.Discard).setText(translate("Guard", "Discard"))
    box.button(QMessageBox.StandardButton.Cancel).setText(translate("Guard", "Keep editing"))
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Discard


def _value(w: QWidget) -> Any:
    if isinstance(w, QLineEdit):
        return w.text()
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText()
    if isinstance(w, QTextEdit):
        return w.toPlainText()
    if isinstance(w, QComboBox):
        return w.currentIndex(), w.currentText()
    if isinstance(w, QDateTimeEdit):
        return w.dateTime().toString(Qt.DateFormat.ISODate)
    if isinstance(w, QAbstractSpinBox):
        return w.text()
    if isinstance(w, QAbstractButton):
        return w.isChecked() if w.isCheckable() else None
    return None


class GuardedDialog(QDialog):
    """`fields` maps core's field names (UserError.field) to the inputs that hold them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self._clean: tuple[Any, ...] | None = None
        self._accept_action: Callable[[], object] | None = None
        self._marked: dict[QWidget, tuple[str, str]] = {}

    # -- what counts as typed ----------------------------------------------------------------
    def inputs(self) -> list[QWidget]:
        """The dialog's own input widgets (not the line edit inside a combo or a date field, nor ones
        marked `guardIgnore`: choices that only steer an action, like 'attach to node 2')."""
        out = []
        for w in self.findChildren(QWidget):
            if not isinstance(w, INPUTS) or w.window() is not self or w.property("guardIgnore"):
                continue
            if isinstance(w, QAbstractButton) and not w.isCheckable():
                continue
            if isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit)) and w.isReadOnly():
                continue  # shows, takes no input (e.g. a suggestion's details)
            if isinstance(w.parent(), (QComboBox, QAbstractSpinBox)):
                continue
            out.append(w)
        return out

    def extra_state(self) -> tuple[Any, ...]:
        """What else the clerk put in (e.g. the files of a FilesDialog)."""
        return ()

    def state(self) -> tuple[Any, ...]:
        return tuple(_value(w) for w in self.inputs()) + self.extra_state()

    def mark_clean(self) -> None:
        """What is shown now is what is saved: closing without a question is fine."""
        self._clean = self.state()

    def is_dirty(self) -> bool:
        return self._clean is not None and self.state() != self._clean

    def showEvent(self, event: Any) -> None:
        if self._clean is None:
            self.mark_clean()
        super().showEvent(event)

    # -- closing -----------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc, Cancel/关闭 and the window's close button all come here (QDialog.closeEvent calls it)."""
        if self.is_dirty() and not ask_discard(self):
            return
        super().reject()

    def on_accept(self, submit: Callable[[], object]) -> None:
        """OK runs `submit` with the dialog still open; the dialog closes only when it returns a truthy value."""
        self._accept_action = submit

    def accept(self) -> None:
        if self._accept_action is not None:
            self.clear_marks()
            if not self._accept_action():
                return
        super().accept()

    def finish(self) -> None:
        """Close as accepted without running the action again (work that ended in the background)."""
        QDialog.accept(self)

    # -- marking the input to fix ------------------------------------------------------------
    def mark_error(self, exc: UserError) -> None:
        widget = self.fields.get(getattr(exc, "field", "") or "")
        if widget is None:
            return
        for tabs in self.findChildren(QTabWidget):  # bring its tab to the front
            for i in range(tabs.count()):
                page = tabs.widget(i)
                if page is widget or page.isAncestorOf(widget):
                    tabs.setCurrentIndex(i)
        if widget not in self._marked:
            self._marked[widget] = (widget.styleSheet(), widget.toolTip())
            self._connect_unmark(widget)
        widget.setStyleSheet(INVALID_STYLE)
        widget.setToolTip(tooltip(exc.for_window()))
        widget.setProperty("invalid", True)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def marked(self) -> list[QWidget]:
        return [w for w in self._marked if w.property("invalid")]

    def _connect_unmark(self, widget: QWidget) -> None:
        signal = (getattr(widget, "textChanged", None) or getattr(widget, "currentTextChanged", None)
                  or getattr(widget, "dateChanged", None))
        if isinstance(widget, QComboBox):
            signal = widget.currentTextChanged
        if signal is not None:
            signal.connect(lambda *_: self._unmark(widget))

    def _unmark(self, widget: QWidget) -> None:
        if widget in self._marked and widget.property("invalid"):
            style, tip = self._marked[widget]
            widget.setStyleSheet(style)
            widget.setProperty("toolTip", tip)  # its own tooltip back, as it was set (through tooltip())
            widget.setProperty("invalid", False)

    def clear_marks(self) -> None:
        for w in list(self._marked):
            self._unmark(w)

