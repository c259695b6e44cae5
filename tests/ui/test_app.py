"""Start-up: the smoke run exits 0, data folder errors give their exit code, translations are complete."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "rectidesk_zh_CN.ts"
QM = ROOT / "resources" / "i18n" / "rectidesk_zh_CN.qm"


def _main(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_smoke_run_on_demo_data_exits_0(tmp_path: Path) -> None:
    done = _main("--data-dir", str(tmp_path / "d"), "--demo", "--today", "2026-11-23", "--smoke")
    assert done.returncode == 0, done.stderr
    assert "not found" not in done.stderr  # both translations were loaded


def test_unusable_data_folder_gives_its_exit_code(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    done = _main("--data-dir", str(blocker / "data"), "--smoke")
    assert done.returncode == 1
    assert "数据文件夹" in done.stderr


def test_translation_is_complete_and_compiled() -> None:
    root = ET.parse(TS).getroot()
    unfinished = [m.findtext("source") for m in root.iter("message")
                  if m.find("translation").get("type") in ("unfinished", "vanished", "obsolete")]
    assert unfinished == []


def test_the_compiled_translation_is_built_from_the_committed_one(tmp_path: Path) -> None:
    """lrelease of the .ts gives the committed .qm byte for byte (file times are equal in a fresh clone)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import i18n

    fresh = tmp_path / "fresh.qm"
    i18n.lrelease(TS, fresh)
    assert QM.read_bytes() == fresh.read_bytes(), "run: uv run python tools/i18n.py release"


def test_every_window_string_is_in_the_translation(tmp_path: Path) -> None:
    """pyside6-lupdate over ui/ finds no string that the committed .ts lacks."""
    out = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    files = [str(p) for p in (ROOT / "ui").rglob("*.py")]
    subprocess.run([str(lupdate), *files, "-ts", str(out)], capture_output=True, check=True)
    fresh = {(c.findtext("name"), m.findtext("source")) for c in ET.parse(out).getroot().iter("context")
             for m in c.iter("message")}
    have = {(c.findtext("name"), m.findtext("source")) for c in ET.parse(TS).getroot().iter("context")
            for m in c.iter("message")}
    assert sorted(fresh - have) == []


def test_english_is_selectable(qapp: Any, demo_ws: Any, qtbot: Any) -> None:
    from ui.app import install_translations
    from ui.main_window import MainWindow

    install_translations(qapp, "en")
    win = MainWindow(demo_ws)
    qtbot.addWidget(win)
    assert win.nav.item(1).text() == "Rectification ledger"
    assert win.ledger_page.model.headerData(0, Qt.Orientation.Horizontal) == "Light"
    install_translations(qapp, "zh_CN")
    again = MainWindow(demo_ws)
    qtbot.addWidget(again)
    assert again.nav.item(1).text() == "整改台账"


@pytest.mark.usefixtures("qapp")
def test_qt_own_dialog_buttons_are_chinese() -> None:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close | QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def test_fill_replaces_each_marker_once() -> None:
    """A unit or file name that itself contains "%2" is shown as it is, not filled again."""
    from ui.messages import fill

    assert fill("%1 · 用户 %2 · %3", "第%2组", "张三", "2026-11-23") == "第%2组 · 用户 张三 · 2026-11-23"
    assert fill("%1 of %2", "完成率100%") == "完成率100% of %2"  # a marker without a value stays visible


def test_message_texts_are_never_read_as_html() -> None:
    """A message quoting a name like “<b>x</b> & y” shows exactly that, line breaks kept."""
    from PySide6.QtGui import QTextDocument

    from ui.messages import as_html

    doc = QTextDocument()
    doc.setHtml(as_html("用户“<b>x</b> & y”\n第二行"))
    assert doc.toPlainText().replace("\u2028", "\n") == "用户“<b>x</b> & y”\n第二行"


def test_dialogs_fit_a_small_screen(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ARG001
    """On a 1366×768 screen at 125% (about 1090×580 available) a dialog keeps its buttons on screen."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen
    from PySide6.QtWidgets import QDialog

    from ui.sizes import resize_to_fit

    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1093, 582))
    dialog = QDialog()
    resize_to_fit(dialog, 940, 640)
    assert dialog.width() == 940 and dialog.height() <= 582 * 0.9
