"""The import preview's rows with their 相似问题: a rephrased past problem shows its past task, one click copies
that task's measures and nodes into the row's import, and a long list is looked up in background chunks."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import openpyxl
from PySide6.QtCore import Qt

from core.ledger.tasks import NodeInput, TaskInput, create_task

HEADER = ["序号", "问题描述", "问题来源", "整改类别", "责任人", "整改时限"]
PAST_TITLE = "村级财务收支未按季度公开"


def _past(ws: Any) -> str:
    with ws.session() as s:
        t = create_task(s, "张三", TaskInput(
            title=PAST_TITLE, source="inspection", category="phased", owner="李四",
            deadline="2026-06-30", measures="补公开近一年收支明细；建立按季度公开制度。",
            nodes=[NodeInput("梳理应公开事项", "2026-05-10"), NodeInput("补公开并留存照片", "2026-06-20")]))
        t.created = "2026-04-01T09:00:00+08:00"
        t.review_state, t.status, t.closed_on = "accepted", "closed", "2026-06-25"
        create_task(s, "张三", TaskInput(title="节假日公车未按规定封存", source="inspection", category="phased",
                                         owner="李四", deadline="2026-06-30", measures="公车集中封存。"))
        return t.id


def _list(path: Path, titles: list[str]) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    for i, title in enumerate(titles, 1):
        wb.active.append([i, title, "巡察", "分阶段整改", "王五", "2026-09-30"])
    wb.save(path)
    return path


def _row_of(dialog: Any, title: str) -> int:
    return next(i for i, r in enumerate(dialog.rows_model.rows) if r.values["title"] == title)


def test_a_rephrased_row_shows_its_past_task_and_copying_fills_the_imported_task(
        workspace: Any, qtbot: Any, messages: list[str], monkeypatch: Any, tmp_path: Path) -> None:
    from ui.dialogs import excel_import
    from ui.dialogs.excel_import import PreviewRows
    from ui.main_window import MainWindow

    past = _past(workspace)
    book = _list(tmp_path / "清单.xlsx", ["<b>食堂</b>采购没有台账", "村里账目没有张榜公布", "消防通道被堵"])

    def exec_(d: Any) -> int:
        assert d.tabs.currentIndex() == 1  # every column understood: the rows come first
        qtbot.waitUntil(lambda: d.suggester.pending == 0, timeout=30_000)
        i = _row_of(d, "村里账目没有张榜公布")
        best = d.rows_model.index(i, PreviewRows.SIMILAR).data()  # the closest: the past task or the library's
        assert best.endswith(PAST_TITLE) or "财务公开" in best
        assert d.rows_model.index(_row_of(d, "消防通道被堵"), PreviewRows.SIMILAR).data() != best
        markup = d.rows_model.index(_row_of(d, "<b>食堂</b>采购没有台账"), PreviewRows.PROBLEM)
        assert markup.data(Qt.ItemDataRole.ToolTipRole) == "<p>&lt;b&gt;食堂&lt;/b&gt;采购没有台账</p>"
        d.rows_view.selectRow(i)
        panel = d.similar
        k = next(n for n, s in enumerate(panel.suggestions) if s.source == "ledger")
        assert panel.suggestions[k].task_id == past
        panel.list.setCurrentRow(k)
        assert "按季度公开制度" in panel.detail.toPlainText()
        qtbot.mouseClick(panel.use_button, Qt.MouseButton.LeftButton)
        assert d.rows_model.index(i, PreviewRows.COPIED).data() == PAST_TITLE
        assert PAST_TITLE in d.plan_label.text() and "3" in d.summary.toPlainText()
        # choosing another row and back: the copy stays with its row, and can be taken back and redone
        d.rows_view.selectRow(0)
        assert not d.uncopy_button.isEnabled()
        d.rows_view.selectRow(i)
        assert d.uncopy_button.isEnabled()
        qtbot.mouseClick(d.uncopy_button, Qt.MouseButton.LeftButton)
        assert d.rows_model.index(i, PreviewRows.COPIED).data() == ""
        panel.list.setCurrentRow(k)
        panel.adopt()
        # reading the list again (a default value changed) keeps the copy on the same row
        d.check_again()
        with qtbot.waitSignal(d.last_job.done, timeout=60_000):
            pass
        assert d.preview.importable[i].plan is not None
        return 1

    monkeypatch.setattr(excel_import.ExcelImportDialog, "exec", exec_)
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    box = win.exchange_page.reports
    box.import_excel(book)
    with qtbot.waitSignal(box.last_job.done, timeout=60_000):
        pass
    with qtbot.waitSignal(box.last_job.done, timeout=60_000):  # the import itself
        pass
    assert messages[-1] == "已导入 3 条任务。"
    with workspace.read() as s:
        from sqlalchemy import select

        from core.ledger.tasks import live_nodes
        from db.models import Task

        tasks = {t.title: t for t in s.scalars(select(Task))}
        task = tasks["村里账目没有张榜公布"]
        assert task.measures == "补公开近一年收支明细；建立按季度公开制度。"
        nodes = live_nodes(task)
        assert [(n.title, n.due) for n in nodes] == [("梳理应公开事项", "2026-05-24"),
                                                     ("补公开并留存照片", "2026-07-04")]  # from today, 2026-04-15
        other = tasks["<b>食堂</b>采购没有台账"]
        assert other.measures == "" and live_nodes(other) == []


def test_a_long_list_is_looked_up_in_background_chunks_rows_on_screen_first(
        workspace: Any, qtbot: Any, monkeypatch: Any, tmp_path: Path) -> None:
    from core.excel.importer import read_problem_list
    from core.measures import similar
    from ui.context import AppContext
    from ui.dialogs.excel_import import ExcelImportDialog, PreviewRows
    from ui.dialogs.similar_panel import BatchSuggestions

    _past(workspace)
    titles = [f"第{i}项：村里账目没有张榜公布" for i in range(600)]
    book = _list(tmp_path / "清单.xlsx", titles)
    calls: list[tuple[int, list[str]]] = []
    real = similar.suggest_many

    def recording(session: Any, index: Any, problems: Any, **kw: Any) -> Any:
        calls.append((threading.get_ident(), [t for t, _ in problems]))
        return real(session, index, problems, **kw)

    monkeypatch.setattr(similar, "suggest_many", recording)
    with workspace.read() as s:
        preview = read_problem_list(book, session=s)
    dialog = ExcelImportDialog(book, preview, lambda *_a: preview, None, ctx=AppContext(workspace))
    qtbot.addWidget(dialog)
    dialog.resize(1100, 680)
    dialog.show()
    qtbot.waitExposed(dialog)
    # the dialog is up and nothing was looked up on the GUI thread: the rows say they are being looked up
    assert dialog.suggester.pending >= 600 - BatchSuggestions.CHUNK
    assert dialog.rows_model.index(599, PreviewRows.SIMILAR).data() == "…"
    dialog.rows_view.scrollToBottom()  # the clerk scrolls to the end: those rows are asked for next
    qtbot.waitUntil(lambda: dialog.suggester.pending == 0, timeout=60_000)
    main = threading.get_ident()
    assert len(calls) >= 600 // BatchSuggestions.CHUNK
    assert all(thread != main and len(texts) <= BatchSuggestions.CHUNK for thread, texts in calls)
    assert calls[0][1][0] == titles[0]  # the first rows on screen, then the last ones the clerk scrolled to
    assert titles[-1] in calls[1][1]
    assert dialog.rows_model.index(599, PreviewRows.SIMILAR).data() == dialog.rows_model.index(
        0, PreviewRows.SIMILAR).data() != "…"


def test_closing_the_preview_stops_looking_up(workspace: Any, qtbot: Any, tmp_path: Path) -> None:
    from core.excel.importer import read_problem_list
    from ui.background import finish_all
    from ui.context import AppContext
    from ui.dialogs.excel_import import ExcelImportDialog

    _past(workspace)
    book = _list(tmp_path / "清单.xlsx", [f"第{i}项：消防通道被堵" for i in range(400)])
    preview = read_problem_list(book)
    dialog = ExcelImportDialog(book, preview, lambda *_a: preview, None, ctx=AppContext(workspace))
    qtbot.addWidget(dialog)
    asked = len(dialog.suggester.chunks)
    dialog.reject()
    assert dialog.suggester.pending == 0
    finish_all()
    qtbot.wait(50)
    assert len(dialog.suggester.chunks) == asked  # nothing more was asked after the clerk closed it
