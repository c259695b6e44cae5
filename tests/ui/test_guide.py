"""操作指南: F1 and 帮助 open the guide shipped with the program; each dialog's 帮助 opens its own section."""

from __future__ import annotations

import ast
import re
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.conftest import ROOT

GUIDE = ROOT / "resources" / "guide"


def test_the_guide_ships_every_section_and_picture() -> None:
    from ui.guide import IMAGES, SECTIONS

    html = (GUIDE / "index.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a name="([^"]+)">', html))
    assert set(SECTIONS) <= anchors
    assert {f"#{s}" for s in SECTIONS} <= set(re.findall(r'href="(#[^"]+)"', html))  # the contents list
    pictures = re.findall(r'<img src="([^"]+)"', html)
    assert pictures and all((GUIDE / p).is_file() for p in pictures)
    assert {p.removeprefix("img/") for p in pictures} <= set(IMAGES)
    assert "http" not in html.replace("http-equiv", "")  # offline: nothing to fetch
    for words in ("首次设置", "导入反馈包", "反馈整改情况", "双人核查", "生成报送包", "打印预览", "立即备份"):
        assert words in html
    assert '"resources"' in (ROOT / "build.spec").read_text(encoding="utf-8")  # the bundle carries it


def test_f1_opens_the_guide_at_the_page_shown(window: Any) -> None:
    from ui import guide

    window.show_page("exchange")
    assert window.guide_action.shortcut().toString() == "F1"
    assert "操作指南" in window.guide_action.text() and window.menuBar().actions()[0].text().startswith("帮助")
    window.guide_action.trigger()
    dialog = guide._guide
    assert dialog is not None and dialog.isVisible()
    assert dialog.browser.source().toLocalFile().endswith("resources/guide/index.html")
    assert "导入市平台反馈包" in dialog.browser.toPlainText()
    assert dialog.browser.verticalScrollBar().value() > 0  # at the import section, not the top
    dialog.close()


def test_a_dialogs_help_button_opens_its_own_section(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import guide
    from ui.dialogs.import_preview import ImportPreviewDialog

    asked: list[str] = []
    monkeypatch.setattr(guide.GuideDialog, "show_section", lambda _self, section="": asked.append(section))
    dialog = ImportPreviewDialog([])
    qtbot.addWidget(dialog)
    box = dialog.findChild(QDialogButtonBox)
    help_button = box.button(QDialogButtonBox.StandardButton.Help)
    assert help_button is not None and help_button.text() == "帮助"
    qtbot.mouseClick(help_button, Qt.MouseButton.LeftButton)
    assert asked == ["import"]


def test_every_dialog_with_buttons_has_its_help() -> None:
    missing = []
    for path in sorted((ROOT / "ui" / "dialogs").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        boxes = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") ==
                 "QDialogButtonBox"]
        helps = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "add_help"]
        if len(helps) < len(boxes):
            missing.append(f"{path.name}: {len(boxes)} button boxes, {len(helps)} help")
    assert not missing, missing


def test_a_guide_opened_from_a_modal_dialog_is_not_blocked_by_it(window: Any, qtbot: Any) -> None:
    """Opened first from the window, then from a dialog: it moves to that dialog (a modal dialog blocks
    every window but its own children, and the guide would cover it, unusable)."""
    from ui import guide
    from ui.dialogs.import_preview import ImportPreviewDialog

    window.guide_action.trigger()
    assert guide._guide is not None and guide._guide.parentWidget() is window
    dialog = ImportPreviewDialog([], window)
    qtbot.addWidget(dialog)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Help).click()
    assert guide._guide is not None and guide._guide.parentWidget() is dialog and guide._guide.isVisible()
    guide._guide.close()
