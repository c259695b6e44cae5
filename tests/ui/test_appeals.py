"""申诉 in the window: filed against a deduction or a notice with reasons and files; the city's result shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from db.models import Appeal, Deduction, Evidence, Task
from tests.ui.conftest import press_ok
from ui.dialogs import appeal_dialog
from ui.dialogs.task_editor import TaskEditor


def _deduction(ws: Any) -> str:
    with ws.session() as s:
        task = s.scalar(select(Task).where(Task.city_ref.is_not(None)).order_by(Task.city_ref).limit(1))
        assert task is not None
        s.add(Deduction(id="KF-2026-001", task_ref=task.city_ref or "", task_id=task.id, points=2.0, kind="pre",
                        reason="整改逾期未反馈", issued="2026-11-10T09:00:00+08:00"))
        return task.id


def _answer(monkeypatch: Any, reason: str, files: list[Path]) -> None:
    def exec_(dialog: appeal_dialog.AppealDialog) -> int:
        dialog.reason.setPlainText(reason)
        dialog.add_files(files)
        return press_ok(dialog)

    monkeypatch.setattr(appeal_dialog.AppealDialog, "exec", exec_)


def _appeals_group(ed: TaskEditor) -> Any:
    return ed.city_records.topLevelItem(3)


def test_appeal_against_a_deduction_with_evidence_then_city_result(ctx: Any, qtbot: Any, demo_ws: Any,
                                                                   monkeypatch: Any, tmp_path: Path) -> None:
    task_id = _deduction(demo_ws)
    scan = tmp_path / "情况说明.pdf"
    scan.write_bytes(b"%PDF-1.4 appeal")
    ed = TaskEditor(ctx, task_id)
    qtbot.addWidget(ed)
    deductions = ed.city_records.topLevelItem(2)
    ed.city_records.setCurrentItem(deductions.child(0))
    assert ed.appeal_button.isEnabled()
    _answer(monkeypatch, "逾期系因上级批复延后，已附批复文件。", [scan])
    ed.appeal()
    with demo_ws.read() as s:
        appeal = s.scalar(select(Appeal))
        assert appeal is not None
        assert (appeal.target_type, appeal.target_id, appeal.task_id) == ("deduction", "KF-2026-001", task_id)
        ev = s.get(Evidence, appeal.evidence_ids[0])
        assert ev is not None and ev.filename == "情况说明.pdf" and ev.task_id == task_id
    group = _appeals_group(ed)
    assert group.text(0) == "申诉（1）"
    assert "待市平台答复" in group.child(0).text(0)
    # the city decides; the decision arrives with the next feedback package
    with demo_ws.session() as s:
        a = s.scalar(select(Appeal))
        a.result, a.decided, a.comment = "upheld", "2026-11-20T10:00:00+08:00", "情况属实，撤销预扣分。"
    ed.load()
    row = _appeals_group(ed).child(0)
    assert "申诉成立（2026-11-20）" in row.text(0)
    assert row.child(0).text(0) == "市平台意见" and "撤销预扣分" in row.child(0).text(2)
    ed.city_records.setCurrentItem(row)
    assert not ed.appeal_button.isEnabled()  # an appeal is not itself appealed


def test_empty_reason_is_refused_and_nothing_is_stored(ctx: Any, qtbot: Any, demo_ws: Any, monkeypatch: Any,
                                                       messages: list[str], tmp_path: Path) -> None:
    task_id = _deduction(demo_ws)
    scan = tmp_path / "说明.pdf"
    scan.write_bytes(b"%PDF-1.4")
    ed = TaskEditor(ctx, task_id)
    qtbot.addWidget(ed)
    ed.city_records.setCurrentItem(ed.city_records.topLevelItem(2).child(0))
    _answer(monkeypatch, "  ", [scan])
    ed.appeal()
    assert "申诉理由不能为空" in messages[-1]
    with demo_ws.read() as s:
        assert s.scalar(select(Appeal)) is None
        assert s.scalar(select(Evidence).where(Evidence.filename == "说明.pdf")) is None


def test_appeal_against_a_notice_from_the_notices_page(window: Any, demo_ws: Any, add_notice: Any,
                                                       monkeypatch: Any) -> None:
    add_notice(demo_ws, "red")
    window.show_page("notices")
    page = window.notices_page
    page.refresh()
    assert page.appeal_button.isEnabled()
    _answer(monkeypatch, "该问题已于通知下发前整改完毕。", [])
    page.appeal()
    with demo_ws.session() as s:
        a = s.scalar(select(Appeal))
        assert a is not None and a.target_type == "notice"
        a.result, a.decided, a.comment = "rejected", "2026-11-21T10:00:00+08:00", "现场核查仍未整改。"
    page.refresh()
    html = page.detail.toPlainText()
    assert "该问题已于通知下发前整改完毕" in html
    assert "申诉不成立" in html and "现场核查仍未整改" in html
