"""督办通知: seen notices become read, a response with evidence is saved through core and ends the badge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.models import Evidence, Notice, Response
from tests.ui.conftest import press_ok


def test_notice_shown_on_screen_is_marked_read(window: Any, demo_ws: Any, add_notice: Any) -> None:
    add_notice(demo_ws, "red")
    window.show_page("notices")
    page = window.notices_page
    assert page.model.index(0, 1).data() == "已读"
    with demo_ws.read() as s:
        assert s.scalar(select(Notice.read_at)) is not None
    assert window.badge_count() == 1  # read is not answered


def test_response_with_evidence_goes_through_core(window: Any, demo_ws: Any, add_notice: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> None:
    from ui.dialogs.respond_dialog import RespondDialog

    task_id = add_notice(demo_ws, "red")
    report = tmp_path / "整改报告.pdf"
    report.write_bytes(b"%PDF-1.4 report")

    def fill(dialog: RespondDialog) -> int:
        dialog.text.setPlainText("已督促施工方足额支付工资，附整改报告。")
        dialog.add_files([report])
        return press_ok(dialog)

    monkeypatch.setattr(RespondDialog, "exec", fill)
    window.show_page("notices")
    page = window.notices_page
    page.respond()
    with qtbot.waitSignal(page.respond_job.done, timeout=10_000):  # with files: off the GUI thread
        pass
    assert page.model.index(0, 1).data() == "已反馈"
    assert "已督促施工方足额支付工资" in page.detail.toPlainText()
    assert window.badge_count() == 0
    with demo_ws.read() as s:
        resp = s.scalar(select(Response))
        ev = s.get(Evidence, resp.evidence_ids[0])
        assert ev.task_id == task_id and ev.filename == "整改报告.pdf"


def test_empty_response_is_refused_by_core(window: Any, demo_ws: Any, add_notice: Any, messages: list[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.respond_dialog import RespondDialog

    add_notice(demo_ws, "yellow")
    monkeypatch.setattr(RespondDialog, "exec", press_ok)
    window.show_page("notices")
    window.notices_page.respond()
    assert "反馈内容不能为空" in messages[-1]
    assert window.badge_count() == 1
