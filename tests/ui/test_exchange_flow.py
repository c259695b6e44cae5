"""The window's exchange flow on the city's fixture packages: preview, apply, the red notice and its badge,
then a signed report that the city's own checker (tools/city_desk.py verify) accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests_ui_paths import FIXTURES, ROOT

from tests.ui.conftest import press_ok

PASSPHRASE = "测试口令-2026"
PACKAGES = FIXTURES / "packages"


@pytest.fixture
def keyed_ws(workspace: Any) -> Any:
    from core.exchange.keys import create_unit_key, trust_city

    with workspace.session() as s:
        create_unit_key(s, "张三", PASSPHRASE)
        trust_city(s, "张三", FIXTURES / "keys" / "test-city.pub.json")
    return workspace


@pytest.fixture
def win(keyed_ws: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    from ui.dialogs.import_preview import ImportPreviewDialog
    from ui.main_window import MainWindow

    previews: list[str] = []

    def accept(dialog: ImportPreviewDialog) -> int:
        previews.append(dialog.text)
        return 1

    monkeypatch.setattr(ImportPreviewDialog, "exec", accept)
    w = MainWindow(keyed_ws)
    qtbot.addWidget(w)
    w.previews = previews
    return w


def test_import_preview_then_red_notice_badge_then_signed_report(win: Any, qtbot: Any, messages: list[str],
                                                                 keyed_ws: Any, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    page = win.exchange_page
    page.import_feedback([PACKAGES / "442000-017_city-feedback_000001.zgb"])
    qtbot.waitUntil(lambda: bool(messages), timeout=30000)
    assert "第 1 号反馈包" in win.previews[0]
    assert "已导入第 1 号反馈包" in messages[-1]
    assert win.badge_count() == 1  # the yellow notice

    page.import_feedback([PACKAGES / "442000-017_city-feedback_000002.zgb"])
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=30000)
    assert "⚠" in messages[-1]  # the unknown record type is skipped with a warning
    win.show_page("notices")
    levels = [win.notices_page.model.rows[i]["level"] for i in range(win.notices_page.model.rowCount())]
    assert levels == ["red"]  # the yellow one was closed by the city
    assert win.badge_count() == 1

    from ui.dialogs.respond_dialog import RespondDialog

    def answer(dialog: RespondDialog) -> int:
        dialog.text.setPlainText("已制定整改方案并落实，请审核。")
        return press_ok(dialog)

    monkeypatch.setattr(RespondDialog, "exec", answer)
    win.notices_page.respond()
    assert win.badge_count() == 0

    monkeypatch.setattr(page, "ask_passphrase", lambda: PASSPHRASE)
    out = tmp_path / "usb"
    out.mkdir()
    page.export_report(out)
    qtbot.waitUntil(lambda: "号报送包已生成" in messages[-1], timeout=30000)
    assert "将报送" in messages[-2] and "任务" in messages[-2]  # what it carries, asked before writing
    reports = sorted(out.glob("*.zgb"))
    assert reports
    assert str(reports[0]) in messages[-1]

    pub = tmp_path / "unit.pub.json"
    from core.exchange.keys import export_public

    with keyed_ws.session() as s:
        export_public(s, pub)
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "city_desk.py"), "verify", str(reports[0]),
                           "--unit-key", str(pub)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "response" in done.stdout  # the response travelled in the report


def test_refused_package_is_explained_and_nothing_applied(win: Any, qtbot: Any, messages: list[str]) -> None:
    page = win.exchange_page
    page.import_feedback([PACKAGES / "bad" / "untrusted-key.zgb"])
    with qtbot.waitSignal(page.last_job.done, timeout=20000):
        pass
    assert "untrusted-key.zgb" in win.previews[0]
    assert page.preview_dialog.apply_button.isEnabled() is False
    assert messages == []
    assert win.badge_count() == 0


def test_a_refused_package_appears_in_the_history_with_its_reason(win: Any, qtbot: Any) -> None:
    page = win.exchange_page
    page.import_feedback([PACKAGES / "bad" / "untrusted-key.zgb"])
    with qtbot.waitSignal(page.last_job.done, timeout=20000):
        pass
    rows = [page.history.topLevelItem(i) for i in range(page.history.topLevelItemCount())]
    refused = [r for r in rows if r.text(4) == "untrusted-key.zgb"]
    assert len(refused) == 1 and refused[0].text(5).startswith("已拒收：") and len(refused[0].text(5)) > 8
    from datetime import datetime

    assert datetime.fromisoformat(refused[0].text(3)).date() == datetime.now().date()  # when it was refused
    assert "拒收时间" in refused[0].toolTip(3) and "请先导入缺少的反馈包" in refused[0].toolTip(5)  # what to do
