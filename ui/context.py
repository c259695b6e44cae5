"""What every screen shares: the open Workspace, one way to run a user action, and a `changed` signal.

Core reports nothing by itself yet; every action done through `AppContext.act` emits `changed`, so the
ledger, dashboard and notices refresh after any change made anywhere in the window.

At a fast start the window paints its first page before the workspace is open (`core.ledger.firstpage`):
the context then has no workspace yet, `ready` is False, and `attached` is emitted when it arrives.
Nothing here imports SQLAlchemy before that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from core.errors import UserError
from core.faults import explain
from ui.messages import show_error, show_user_error

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.ledger.queries import LedgerQuery
    from core.workspace import Workspace
    from ui.background import BackgroundJob, Progress

T = TypeVar("T")


class AppContext(QObject):
    changed = Signal()
    attached = Signal()
    busy = Signal(bool)  # a write waits for the one before it (the main window shows 正在保存…)

    def __init__(self, ws: Workspace | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        if ws is not None:
            self._hook(ws)

    def _hook(self, ws: Workspace) -> None:
        ws.writer.on_wait = self._waiting

    def _waiting(self, state: bool | None) -> None:
        """A write on the GUI thread waits for a background one: a wait cursor and a status line, and the
        window keeps painting (user input waits, so nothing new starts meanwhile)."""
        from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
        from PySide6.QtGui import QGuiApplication

        if state is True:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            self.busy.emit(True)
        elif state is False:
            QGuiApplication.restoreOverrideCursor()
            self.busy.emit(False)
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 40)

    @property
    def ready(self) -> bool:
        return self._ws is not None

    @property
    def ws(self) -> Workspace:
        assert self._ws is not None, "the workspace is not open yet (fast start)"
        return self._ws

    def attach(self, ws: Workspace) -> None:
        self._ws = ws
        self._hook(ws)
        self.attached.emit()

    def act(self, parent: QWidget | None, action: Callable[[Session], T], *,
            on_refused: Callable[[UserError], None] | None = None) -> T | None:
        """One user action in one transaction; a refusal is shown and leaves the data as it was.

        `on_refused` then runs too (a dialog marks the input the refusal names: GuardedDialog.mark_error)."""
        try:
            with self.ws.session() as s:
                result = action(s)
        except Exception as exc:  # noqa: BLE001 - a refusal or an error of the machine is a message
            mapped = explain(exc, where=self.ws.paths.database)
            if mapped is None:
                raise
            show_user_error(parent, mapped)
            if on_refused is not None:
                on_refused(mapped)
            return None
        self.changed.emit()
        return result

    def act_in_background(self, parent: QWidget | None, action: Callable[[Session, Progress], T],
                          on_done: Callable[[T], None] | None = None, *, title: str = "",
                          on_refused: Callable[[UserError], None] | None = None) -> BackgroundJob:
        """`act` for work that may take long (large files): one transaction off the GUI thread, with
        Cancel; a refusal is shown and leaves the data as it was; `changed` is emitted when it is done."""
        from ui.background import run_in_background

        ws = self.ws

        def task(progress: Progress) -> T:
            with ws.session() as s:
                return action(s, progress)

        def done(result: T) -> None:
            self.changed.emit()
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            show_error(parent, exc, where=ws.paths.database)
            if on_refused is not None and isinstance(exc, UserError):
                on_refused(exc)

        return run_in_background(parent, task, done, failed, title=title)

    def read(self, fn: Callable[[Session], T]) -> T:
        with self.ws.read() as s:
            return fn(s)

    def query(self, fn: Callable[[LedgerQuery], T]) -> T:
        from core.ledger.queries import LedgerQuery

        with self.ws.read() as s:
            return fn(LedgerQuery(s, self.ws.today))

    @property
    def user(self) -> str:
        """The person of the unit who acts (chosen at start or with 切换用户), never the PC's login name."""
        return self.ws.user

    def user_shown(self) -> str:
        """The acting user for display; empty while nobody was chosen (a --smoke check of a shared ledger)."""
        try:
            return self.ws.user
        except UserError:
            return ""

    def unit_name(self) -> str:
        unit = self.ws.unit()
        return unit.name if unit else ""

    def unit(self) -> Any:
        return self.ws.unit()
