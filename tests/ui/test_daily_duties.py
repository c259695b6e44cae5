"""Reminders at start (banner, dialog, tray), 回头看 from the dashboard, quality flags, automatic backups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon
from sqlalchemy import select

from db.models import Recheck, Task
from tests.ui.conftest import press_ok


@pytest.fixture
def tray(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """A system tray that records its notifications."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda _self, title, text, *_a: shown.append((title, text)))
    return shown


def _wait_backup(qtbot: Any, duties: Any) -> None:
    job = duties.backup_job
    if job is not None:
        from ui import background

        qtbot.waitUntil(lambda: job not in background._running)


def test_start_shows_reminders_banner_dialog_and_tray(window: Any, qtbot: Any, tray: list[Any],
                                                      monkeypatch: Any) -> None:
    from ui import reminders

    assert not window.banner.isVisible()
    duties = window.start_daily_duties()
    qtbot.waitUntil(lambda: duties.reminders is not None)
    _wait_backup(qtbot, duties)
    assert window.banner.isVisible()
    text = window.banner.text.text()
    assert "逾期节点：9" in text and "回头看到期：5" in text
    window.show_page("dashboard")  # the card agrees with the banner once the re-checks are scheduled
    assert window.dashboard_page.cards["rechecks"].value.text() == "5"
    assert tray and tray[0][0] == "整改通提醒" and "逾期节点：9" in tray[0][1]
    opened: list[Any] = []
    monkeypatch.setattr(reminders.RemindersDialog, "exec", lambda d: opened.append(d) or 0)
    qtbot.mouseClick(window.banner.details_button, Qt.MouseButton.LeftButton)
    groups = {opened[0].tree.topLevelItem(i).text(0) for i in range(4)}
    assert "逾期节点（9）" in groups and "回头看到期（5）" in groups
    qtbot.mouseClick(window.banner.close_button, Qt.MouseButton.LeftButton)
    assert not window.banner.isVisible()
    duties.refresh(notify=False)  # a change during the day does not bring a dismissed banner back
    assert not window.banner.isVisible()


def test_a_new_day_reminds_again_and_backs_up(window: Any, qtbot: Any, demo_ws: Any, tray: list[Any],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    duties = window.start_daily_duties()
    qtbot.waitUntil(lambda: duties.reminders is not None)
    _wait_backup(qtbot, duties)
    backups = sorted(demo_ws.paths.backups.glob("auto-*.zip"))
    assert len(backups) == 1  # the day's automatic backup
    duties.tick()  # same day: nothing again
    assert len(tray) == 1
    window.banner.dismiss()
    monkeypatch.setattr(demo_ws, "_today", demo_ws.today + timedelta(days=1))  # the clock passes midnight
    duties.tick()
    assert len(tray) == 2
    assert window.banner.isVisible()  # dismissed until the next day only
    _wait_backup(qtbot, duties)


def test_closing_the_window_makes_a_backup(window: Any, qtbot: Any, demo_ws: Any) -> None:
    from core.ledger.tasks import TaskInput, create_task

    duties = window.start_daily_duties()
    qtbot.waitUntil(lambda: duties.reminders is not None)
    _wait_backup(qtbot, duties)
    before = set(demo_ws.paths.backups.glob("auto-*.zip"))
    with demo_ws.session() as s:
        create_task(s, "李志强", TaskInput(title="新问题", source="audit", category="immediate", owner="周敏",
                                          deadline="2026-12-31"))
    window.close()  # the backup runs in the background helper; the window closes when it is done
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert window.last_backup is not None and window.last_backup not in before
    assert window.last_backup.exists()


def test_recheck_due_card_opens_the_list_and_a_failed_recheck_reopens_the_task(
        window: Any, qtbot: Any, demo_ws: Any, monkeypatch: Any, tmp_path: Path) -> None:
    from ui.dialogs import rechecks_dialog
    from ui.reminders import schedule_rechecks

    assert schedule_rechecks(window.ctx) == 28
    window.ctx.changed.emit()
    dash = window.dashboard_page
    assert dash.cards["rechecks"].value.text() == "5"
    shown: list[Any] = []
    monkeypatch.setattr(rechecks_dialog.RechecksDialog, "exec", lambda d: shown.append(d) or 0)
    qtbot.mouseClick(dash.cards["rechecks"], Qt.MouseButton.LeftButton)
    dialog = shown[0]
    assert dialog.tree.topLevelItemCount() == 5
    assert dialog.tree.topLevelItem(0).text(0).endswith("非税收入未及时上缴")
    photo = tmp_path / "复查照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff jpeg")

    def answer(d: Any) -> int:
        d.result.setCurrentIndex(d.result.findData("failed"))
        d.note.setPlainText("问题出现反弹，现场再次发现乱堆放。")
        d.add_files([photo])
        return press_ok(d)

    monkeypatch.setattr(rechecks_dialog.RecheckResultDialog, "exec", answer)
    dialog.record()
    assert dialog.tree.topLevelItemCount() == 4  # no longer due
    with demo_ws.read() as s:
        task = s.scalar(select(Task).where(Task.title == "非税收入未及时上缴"))
        assert task.status != "closed" and "回头看未通过" in task.review_comment
        done = s.scalar(select(Recheck).where(Recheck.task_id == task.id, Recheck.result == "failed"))
        assert done is not None and len(done.evidence_ids) == 1
    dialog.show_filter.setCurrentIndex(dialog.show_filter.findData("all"))
    results = [dialog.tree.topLevelItem(i).text(3) for i in range(dialog.tree.topLevelItemCount())]
    assert "未通过" in results and "已取消" in results


def test_recheck_result_needs_a_reviewer(ctx: Any, qtbot: Any, demo_ws: Any, monkeypatch: Any,
                                         messages: list[str]) -> None:
    from ui.dialogs import rechecks_dialog
    from ui.reminders import schedule_rechecks

    schedule_rechecks(ctx)
    demo_ws.set_user("周敏")  # a clerk
    dialog = rechecks_dialog.RechecksDialog(ctx)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(rechecks_dialog.RecheckResultDialog, "exec", press_ok)
    assert dialog.record() is None
    assert "不能登记回头看结果" in messages[-1]
    assert dialog.tree.topLevelItemCount() == 5


def test_quality_flags_in_the_editor_and_from_the_dashboard(window: Any, qtbot: Any, demo_ws: Any,
                                                            monkeypatch: Any) -> None:
    from ui.dialogs import quality_dialog
    from ui.dialogs.task_editor import TaskEditor

    dash = window.dashboard_page
    qtbot.waitUntil(lambda: dash.cards["quality"].value.text() != "…")
    count = int(dash.cards["quality"].value.text())
    assert count > 0
    shown: list[Any] = []
    monkeypatch.setattr(quality_dialog.QualityDialog, "exec", lambda d: shown.append(d) or 0)
    qtbot.mouseClick(dash.cards["quality"], Qt.MouseButton.LeftButton)
    tree = shown[0].tree
    assert sum(tree.topLevelItem(i).childCount() for i in range(tree.topLevelItemCount())) == count
    assert tree.topLevelItem(0).text(0).startswith("申请销号或已销号但没有佐证材料")
    with demo_ws.read() as s:
        task_id = s.scalar(select(Task.id).where(Task.title == "村务公开不及时"))
    ed = TaskEditor(window.ctx, task_id)
    qtbot.addWidget(ed)
    ed.show()
    qtbot.waitUntil(ed.quality.isVisible)
    assert "没有上传任何佐证材料" in ed.quality.text()


def test_the_dialog_lists_the_most_urgent_and_says_how_many_more(window: Any, monkeypatch: Any) -> None:
    from ui import reminders

    monkeypatch.setattr(reminders, "LIST_LIMIT", 4)
    found = reminders.collect(window.ctx)
    assert found.counts["node_overdue"] == 9 and len(found.of_kind("node_overdue")) == 4
    dialog = reminders.RemindersDialog(window.ctx, found, window)
    overdue = next(dialog.tree.topLevelItem(i) for i in range(4)
                   if dialog.tree.topLevelItem(i).text(0).startswith("逾期节点"))
    assert overdue.text(0) == "逾期节点（9）"
    assert overdue.childCount() == 5
    assert "另有 5 项未列出" in overdue.child(4).text(0)


def test_lights_follow_the_new_day_in_a_window_left_open(window: Any, qtbot: Any, demo_ws: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A clerk leaves the PC on overnight: after midnight the ledger's lights are the new day's."""
    from datetime import timedelta

    from core.ledger.queries import LedgerQuery

    duties = window.start_daily_duties()
    qtbot.waitUntil(lambda: duties.reminders is not None)
    _wait_backup(qtbot, duties)
    model = window.ledger_page.model
    later = demo_ws.today + timedelta(days=60)  # far enough for lights to change
    with demo_ws.read() as s:
        expected = LedgerQuery(s, later).all_lights()
    before = {model.row(r).id: model.row(r).light for r in range(model.rowCount())}
    assert before != {k: v for k, v in expected.items() if k in before}
    monkeypatch.setattr(demo_ws, "_today", later)
    duties.tick()
    _wait_backup(qtbot, duties)
    after = {model.row(r).id: model.row(r).light for r in range(model.rowCount())}
    assert after == {k: v for k, v in expected.items() if k in after}


def test_the_banner_stops_counting_a_notice_once_it_is_answered(window: Any, qtbot: Any, demo_ws: Any,
                                                                 add_notice: Any, tray: list[Any]) -> None:  # noqa: ARG001 (no real tray)
    from core.exchange.notices import respond_to_notice
    from db.models import Notice

    add_notice(demo_ws, "red")
    duties = window.start_daily_duties()
    qtbot.waitUntil(lambda: duties.reminders is not None)
    _wait_backup(qtbot, duties)
    assert "督办通知待反馈：1" in window.banner.text.text()
    with demo_ws.read() as s:
        notice_id = s.scalar(select(Notice.id))
    window.ctx.act(window, lambda s: respond_to_notice(s, "李志强", notice_id, "已整改完毕。"))
    assert "督办通知" not in window.banner.text.text()  # at once, not at tomorrow's look
