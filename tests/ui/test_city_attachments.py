"""The 督办单 the city attached to the red notice of feedback 2: seen with its name and size in the notice and
in the task, opened with the system's viewer, saved as a copy. A wrong passphrase at export is asked again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog
from tests_ui_paths import FIXTURES

from core.exchange.importer import FeedbackImporter

PASSPHRASE = "测试口令-2026"
PACKAGES = FIXTURES / "packages"


@pytest.fixture
def imported_ws(workspace: Any) -> Any:
    from core.exchange.keys import create_unit_key, trust_city

    with workspace.session() as s:
        create_unit_key(s, "张三", PASSPHRASE)
        trust_city(s, "张三", FIXTURES / "keys" / "test-city.pub.json")
    imp = FeedbackImporter(workspace)
    for n in (1, 2):
        imp.import_file(PACKAGES / f"442000-017_city-feedback_00000{n}.zgb")
    return workspace


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    from ui.dialogs import attachments

    urls: list[Path] = []
    monkeypatch.setattr(attachments.QDesktopServices, "openUrl",
                        lambda url: urls.append(Path(QUrl(url).toLocalFile())) or True)
    return urls


@pytest.fixture
def win(imported_ws: Any, qtbot: Any) -> Any:
    from ui.main_window import MainWindow

    w = MainWindow(imported_ws)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def test_notice_shows_the_attachment_and_opens_it(win: Any, opened: list[Path]) -> None:
    win.show_page("notices")
    page = win.notices_page
    assert page.current()["id"] == "DB-2026-0047"
    text = page.detail.toPlainText()
    assert "市平台发来的附件" in text and "督办通知附件.txt（1 KB）" in text
    assert page.save_attachment_button.isEnabled()
    page._anchor(QUrl("attachment:0"))  # the link in the notice
    assert opened and opened[0].name == "督办通知附件.txt"
    assert opened[0].read_text("utf-8").startswith("督办单")


def test_task_shows_the_attachment_under_its_notice(imported_ws: Any, qtbot: Any, opened: list[Path],
                                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import select

    from db.models import Notice
    from ui.context import AppContext
    from ui.dialogs import file_dialogs
    from ui.dialogs.task_editor import TaskEditor

    with imported_ws.read() as s:
        task_id = s.scalar(select(Notice.task_id).where(Notice.id == "DB-2026-0047"))
    ed = TaskEditor(AppContext(imported_ws), task_id)
    qtbot.addWidget(ed)
    notices = ed.city_records.topLevelItem(0)
    red = next(notices.child(i) for i in range(notices.childCount()) if "挂牌督办" in notices.child(i).text(0))
    att = red.child(0)
    assert "督办通知附件.txt（1 KB）" in att.text(0)
    assert not ed.open_attachment_button.isEnabled()
    ed.city_records.setCurrentItem(att)
    assert ed.open_attachment_button.isEnabled() and not ed.appeal_button.isEnabled()
    ed.open_attachment_button.click()
    assert opened and opened[-1].read_text("utf-8").startswith("督办单")
    target = tmp_path / "保存" / "督办单.txt"
    monkeypatch.setattr(file_dialogs.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    ed.save_attachment_button.click()
    assert target.read_text("utf-8").startswith("督办单")


def test_wrong_passphrase_is_asked_again_in_place(win: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.key_dialogs import AskPassphraseDialog

    tries: list[tuple[bool, str]] = []

    def type_twice(dialog: AskPassphraseDialog) -> int:
        dialog.field.setText("错误的口令")
        dialog.accept()
        tries.append((dialog.error.isVisibleTo(dialog), dialog.error.text()))
        assert QDialog.result(dialog) != QDialog.DialogCode.Accepted  # still open, asking again
        dialog.field.setText(PASSPHRASE)
        dialog.accept()
        return int(QDialog.result(dialog))

    monkeypatch.setattr(AskPassphraseDialog, "exec", type_twice)
    assert win.exchange_page.ask_passphrase() == PASSPHRASE
    assert tries[0][0] and "密钥密码不对" in tries[0][1]
