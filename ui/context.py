"""What every screen shares: the open Workspace, one way to run a user action, and a `changed` signal.

Core reports nothing by itself yet; every action done through `AppContext.act` emits `changed`, so the
ledger, dashboard and notices refresh after any change made anywhere in the window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from core.errors import UserError
from core.ledger.queries import LedgerQuery
from core.workspace import Workspace
from ui.messages import show_user_error

T = TypeVar("T")


class AppContext(QObject):
    changed = Signal()

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws

    def act(self, parent: QWidget | None, action: Callable[[Session], T]) -> T | None:
        """One user action in one transaction; a refusal is shown and leaves the data as it was."""
        try:
            with self.ws.session() as s:
                result = action(s)
        except UserError as exc:
            show_user_error(parent, exc)
            return None
        self.changed.emit()
        return result

    def read(self, fn: Callable[[Session], T]) -> T:
        with self.ws.read() as s:
            return fn(s)

    def query(self, fn: Callable[[LedgerQuery], T]) -> T:
        with self.ws.read() as s:
            return fn(LedgerQuery(s, self.ws.today))

    @property
    def user(self) -> str:
        return self.ws.user

    def unit_name(self) -> str:
        unit = self.ws.unit()
        return unit.name if unit else ""

    def unit(self) -> Any:
        return self.ws.unit()
