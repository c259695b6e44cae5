"""帮助 → 关于整改通: the version, what the program needs to run (the floor), the system block for support,
the data and log folders with a button that opens the log folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core import APP_VERSION
from ui.messages import fill, plain

translate = QCoreApplication.translate


def floor_text() -> str:
    """What Qt 6 needs: said on the first screen and in the About box, as the README says it."""
    return translate("About", "RectiDesk runs on 64-bit Windows 10 (version 1809) or later and on Windows 11. "
                     "Windows 7, Windows 8 and 32-bit PCs cannot run it.")


def floor_note() -> QLabel:
    """The floor as a small grey line (the first-run dialog shows it under its introduction)."""
    label = plain(QLabel(floor_text()))
    label.setObjectName("floor_note")
    label.setWordWrap(True)
    label.setStyleSheet("QLabel#floor_note { color: #5f6368; }")
    return label


class AboutDialog(QDialog):
    def __init__(self, data_root: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ui.crash import system_block

        self.setWindowTitle(self.tr("About RectiDesk"))
        self.log_dir = data_root / "logs" if data_root is not None else None
        layout = QVBoxLayout(self)
        title = plain(QLabel(fill(self.tr("RectiDesk %1"), APP_VERSION)))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        purpose = QLabel(self.tr("The rectification ledger of the unit: tasks, supervision notices, evidence, "
                                 "reports, and signed package files exchanged with the city."))
        purpose.setWordWrap(True)
        layout.addWidget(purpose)
        self.floor = plain(QLabel(floor_text()))
        self.floor.setWordWrap(True)
        layout.addWidget(self.floor)
        text = system_block()
        if data_root is not None:
            text += "\n" + fill(self.tr("Data folder: %1"), str(data_root))
        self.system = QPlainTextEdit(text)
        self.system.setReadOnly(True)
        self.system.setMaximumHeight(130)
        layout.addWidget(self.system)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(self.tr("Copy"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(text))
        self.open_logs = buttons.addButton(self.tr("Open log folder"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_logs.setEnabled(self.log_dir is not None)
        self.open_logs.clicked.connect(self.open_log_folder)
        buttons.rejected.connect(self.reject)
        from ui.guide import add_help

        add_help(self, buttons, "first-day")  # where the guide says what the program needs and does
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)

    def open_log_folder(self) -> bool:
        if self.log_dir is None:
            return False
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))
