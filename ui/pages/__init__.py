"""The pages of the main window."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.context import AppContext


class LazyPage(QWidget):
    """A page filled when first shown and kept fresh while visible: start-up only pays for the first page."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self._data_changed)

    def refresh(self) -> None:
        raise NotImplementedError

    def activated(self) -> None:
        self.refresh()

    def _data_changed(self) -> None:
        if self.isVisible():
            self.refresh()
