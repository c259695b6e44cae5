"""帮助 → 关于整改通 and the first screen say what the PC needs: 64-bit Windows 10 1809 or later."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QMenu

FLOOR = "64 位 Windows 10（1809 版）或更新版本"


def test_help_about_names_the_floor_the_versions_and_the_log_folder(window: Any, qtbot: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs import about

    menu = window.menuBar().findChild(QMenu, "help_menu")
    assert menu is not None and menu.title() == "帮助(&H)"
    (action,) = [a for a in menu.actions() if a.objectName() == "about_action"]
    assert action.text() == "关于整改通"
    monkeypatch.setattr(about.AboutDialog, "exec", lambda _d: 0)
    action.trigger()
    dialog = window.about_dialog
    qtbot.addWidget(dialog)
    assert FLOOR in dialog.floor.text() and "Windows 7" in dialog.floor.text() and "32 位" in dialog.floor.text()
    info = dialog.system.toPlainText()
    assert "RectiDesk: 0." in info and "Qt: 6." in info and str(window.ctx.ws.paths.root) in info
    opened: list[str] = []
    monkeypatch.setattr(about.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    dialog.open_logs.click()
    assert opened == [str(window.ctx.ws.paths.root / "logs")]


def test_the_first_run_dialog_says_it_too(data_dir: Path, qtbot: Any) -> None:
    from core.workspace import Workspace
    from ui.dialogs.first_run import FirstRunDialog

    with Workspace.open(data_dir, user="陈晓红") as ws:
        dialog = FirstRunDialog(ws)
        qtbot.addWidget(dialog)
        (note,) = [w for w in dialog.findChildren(QLabel) if w.objectName() == "floor_note"]
        assert FLOOR in note.text()


def test_one_help_menu_holds_the_guide_and_the_about_box(qtbot, demo_ws) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QMenu

    from ui.main_window import MainWindow

    win = MainWindow(demo_ws)
    qtbot.addWidget(win)
    menus = [a.menu() for a in win.menuBar().actions() if isinstance(a.menu(), QMenu)]
    helps = [m for m in menus if m.objectName() == "help_menu"]
    assert len(helps) == 1 and len(menus) == 1
    texts = [a.text() for a in helps[0].actions()]
    assert texts[0] == "操作指南" and any("关于" in t for t in texts)
