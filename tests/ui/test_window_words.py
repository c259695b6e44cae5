"""What the window says reads as a sentence: no missing name, no bare key, no 0.0 MB, no stale red text."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from db.models import Person, Task


def _first_row_with(window: Any, task_id: str) -> int:
    model = window.ledger_page.model
    return next(r for r in range(model.rowCount()) if model.row(r) is not None and model.row(r).id == task_id)


def test_the_owner_menu_item_names_the_owner_or_says_there_is_none(demo_ws: Any, qtbot: Any) -> None:
    from ui.main_window import MainWindow

    with demo_ws.session() as s:
        tasks = list(s.scalars(select(Task).where(Task.deleted.is_(None)).order_by(Task.id).limit(2)))
        tasks[0].owner_id = None
        odd = s.get(Person, tasks[1].owner_id)
        odd.name = "R&D 王五"
        ids = [t.id for t in tasks]
    win = MainWindow(demo_ws)
    qtbot.addWidget(win)
    texts = [[a.text() for a in win.ledger_page.task_menu(_first_row_with(win, i)).actions()] for i in ids]
    assert "查看的全部任务" not in texts[0] and "本任务未填写责任人" in texts[0]
    assert "查看R&&D 王五的全部任务" in texts[1]  # “&&” is how a menu shows one “&”


def test_the_window_title_names_the_program_once(window: Any) -> None:
    # Qt adds the application's display name (整改通, ui/app.py) to every window title on Windows and
    # Linux: the title itself names the unit only.
    assert window.windowTitle() == "中山市某某镇人民政府"


def test_sizes_read_as_people_read_them() -> None:
    from core.text import human_size

    assert human_size(49 * 1024) == "49 KB"
    assert human_size(512) == "512 B"
    assert human_size(int(3.2 * 1024 * 1024)) == "3.2 MB"
    assert human_size(5 * 1024**3) == "5.0 GB"


def test_an_import_summary_counts_with_measure_words() -> None:
    from core.exchange.importer import summary_words

    text = summary_words({"settings": 4, "tasks_created": 3, "notices": 1, "files": 0})
    assert text == "参数设置 4 项，新交办任务 3 项，督办通知 1 份"


def test_a_mismatch_message_goes_once_the_passphrases_agree(qtbot: Any) -> None:
    from ui.dialogs.key_dialogs import PassphraseDialog

    dialog = PassphraseDialog()
    qtbot.addWidget(dialog)
    dialog.first.setText("abc12345")
    dialog.second.setText("abc1234")
    dialog.accept()
    assert "不一致" in dialog.error.text()
    dialog.second.setText("abc12345")
    assert dialog.error.text() == ""


def test_the_change_history_speaks_chinese() -> None:
    from ui.labels import change_summary

    assert change_summary(json.dumps({"after": {"notice_id": "DB-2026-0047"}})) == "督办通知编号：DB-2026-0047"
    assert change_summary(json.dumps({"after": {"kind": "pre", "points": 0.5}})) == "类型：预扣分；分值：0.5"
    evidence = change_summary(json.dumps({"after": {"filename": "现场照片.jpg", "media_type": "image/jpeg",
                                                    "size": 50_200, "sha256": "ab" * 32}}))
    assert evidence == "文件：现场照片.jpg；文件类型：图片；大小：49 KB"
    about = change_summary(json.dumps({"after": {"description": "现场照片"}}), "evidence.add")
    assert about == "文件说明：现场照片"
    assert "PDF 文档" in change_summary(json.dumps({"after": {"media_type": "application/pdf"}}))
    assert change_summary(json.dumps({"after": {"target": "notice:DB-2026-0047"}})) == "申诉对象：督办通知 DB-2026-0047"
    edited = change_summary(json.dumps({"changes": {"status": ["open", "in_progress"]}}))
    assert edited == "状态：待整改 → 整改中"


def test_the_history_tab_shows_no_raw_key(window: Any, demo_ws: Any, add_notice: Any) -> None:
    from core.exchange.notices import respond_to_notice
    from db.models import Notice
    from ui.dialogs.task_editor import TaskEditor

    task_id = add_notice(demo_ws, "red")
    with demo_ws.session() as s:
        respond_to_notice(s, "李志强", s.scalar(select(Notice.id)), "已整改。")
    editor = TaskEditor(window.ctx, task_id, window)
    rows = [editor.history.topLevelItem(i) for i in range(editor.history.topLevelItemCount())]
    answered = next(r for r in rows if r.text(2) == "反馈督办通知")
    assert "notice_id" not in answered.text(3) and "督办通知编号" in answered.text(3)
    editor.deleteLater()
