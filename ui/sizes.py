"""Window sizes that fit the screen: a 1366×768 laptop at 125% scaling has only about 1090×580 to offer."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    """The preferred size, made smaller where the screen is (the buttons at the bottom must stay visible)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(width, height)
        return
    available = screen.availableGeometry()
    widget.resize(min(width, int(available.width() * 0.95)), min(height, int(available.height() * 0.9)))
