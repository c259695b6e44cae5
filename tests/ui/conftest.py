"""Window tests: settings in a temporary folder, message boxes recorded instead of shown, a demo ledger."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

DEMO_TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _qt_settings(tmp_path: Path, qapp: Any) -> None:
    """Remembered layout and geometry go to a temporary folder, never the tester's own settings."""
    from ui.app import install_translations

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    QSettings().clear()
    install_translations(qapp, "zh_CN")


@pytest.fixture(autouse=True)
def messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every message box the window would show, as text; questions are answered Yes."""
    shown: list[str] = []

    def exec_(box: QMessageBox) -> int:
        shown.append(" ".join(t for t in (box.text(), box.informativeText()) if t))
        return int(QMessageBox.StandardButton.Ok)

    def info(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> QMessageBox.StandardButton:
        shown.append(_as_text(text))
        return QMessageBox.StandardButton.Ok

    def question(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> QMessageBox.StandardButton:
        shown.append(_as_text(text))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "information", info)
    monkeypatch.setattr(QMessageBox, "question", question)
    yield shown
    from tests.conftest import CLI_WORDS

    spoken = [m for m in shown if CLI_WORDS.search(m)]
    assert not spoken, f"a message in the window names a command: {spoken}"  # every window test checks it


def _as_text(shown: str) -> str:
    """What the user reads in the box (ui.messages.as_html sends text as escaped HTML)."""
    from PySide6.QtGui import QTextDocument

    if not shown.startswith("<p>"):
        return shown
    doc = QTextDocument()
    doc.setHtml(shown)
    return doc.toPlainText().replace("\u2028", "\n")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo ledger built once; each test gets its own copy."""
    from core.demo import build_demo
    from core.workspace import Workspace

    folder = tmp_path_factory.mktemp("demo-template") / "data"
    ws = Workspace.open(folder, user="李志强", today=DEMO_TODAY)
    try:
        build_demo(ws)
    finally:
        ws.close()
    return folder


@pytest.fixture
def demo_ws(data_dir: Path, demo_template: Path):  # noqa: ANN201
    """The demo ledger (60 tasks) seen on 2026-11-23, opened as 李志强 (a reviewer)."""
    from core.workspace import Workspace

    shutil.copytree(demo_template, data_dir)
    ws = Workspace.open(data_dir, user="李志强", today=DEMO_TODAY)
    yield ws
    ws.close()


@pytest.fixture
def ctx(demo_ws: Any, qapp: Any):  # noqa: ANN201, ARG001 - a QApplication must exist
    from ui.context import AppContext

    return AppContext(demo_ws)


@pytest.fixture
def window(demo_ws: Any, qtbot: Any):  # noqa: ANN201
    from ui.main_window import MainWindow

    win = MainWindow(demo_ws)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    # Closing makes the exit backup in the background helper: wait for it while the workspace is still open.
    from shiboken6 import isValid

    if isValid(win) and win.isVisible():
        win.close()
        qtbot.waitUntil(lambda: not isValid(win) or not win.isVisible(), timeout=60_000)


@pytest.fixture
def add_notice():  # noqa: ANN201
    return _add_notice


def _add_notice(ws: Any, level: str = "red", *, task_id: str | None = None, nid: str | None = None) -> str:
    """A notice as the city's feedback package would leave it in the database."""
    from sqlalchemy import select

    from db.models import Notice, Task

    with ws.session() as s:
        task = s.get(Task, task_id) if task_id else s.scalar(
            select(Task).where(Task.city_ref.is_not(None)).order_by(Task.city_ref).limit(1))
        assert task is not None
        notice_id = nid or f"TZ-{level}-{task.city_ref}"
        s.add(Notice(id=notice_id, level=level, task_ref=task.city_ref or "", task_id=task.id,
                     title="关于整改滞后的督办通知", text="请于期限内反馈整改落实情况。",
                     issued="2026-11-16T09:00:00+08:00", issuer="市委督查室", respond_by="2026-11-30",
                     attachments=[], state="open"))
        return task.id


def press_ok(dialog: Any) -> int:
    """Stands in for `exec()`: the clerk presses OK once; the dialog runs its action and stays open on a
    refusal (then 0 is returned, as exec would once the clerk gave up)."""
    dialog.accept()
    from PySide6.QtWidgets import QDialog

    return int(QDialog.result(dialog))
