"""相似问题 in the task editor: typing a problem lists similar past tasks; one click copies measures and nodes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from core.ledger.tasks import NodeInput, TaskInput, create_task


def _past(ws: Any) -> str:
    with ws.session() as s:
        t = create_task(s, "张三", TaskInput(
            title="村级财务收支未按季度公开", source="inspection", category="phased", owner="李四",
            deadline="2026-06-30", measures="补公开近一年收支明细；建立按季度公开制度。",
            nodes=[NodeInput("梳理应公开事项", "2026-05-10"), NodeInput("补公开并留存照片", "2026-06-20")]))
        t.created = "2026-04-01T09:00:00+08:00"
        t.review_state, t.status, t.closed_on = "accepted", "closed", "2026-06-25"
        return t.id


def test_typing_a_problem_shows_similar_past_tasks_and_copies_their_plan(qtbot: Any, workspace: Any) -> None:
    from ui.context import AppContext
    from ui.dialogs.task_editor import TaskEditor

    past = _past(workspace)
    editor = TaskEditor(AppContext(workspace), None)
    qtbot.addWidget(editor)
    panel = editor.similar
    with qtbot.waitSignal(panel.updated, timeout=10_000):
        editor.title_edit.setText("村里账目没有张榜公布")
    row = next(i for i, x in enumerate(panel.suggestions) if x.source == "ledger")
    assert panel.suggestions[row].task_id == past and panel.suggestions[row].status == "closed"
    assert any(x.source == "library" and x.family == "财务公开" for x in panel.suggestions)
    assert "已销号" in panel.list.item(row).text()
    panel.list.setCurrentRow(row)
    assert "按季度公开" in panel.detail.toPlainText()
    qtbot.mouseClick(panel.use_button, Qt.MouseButton.LeftButton)
    assert "按季度公开制度" in editor.measures.toPlainText()
    assert [n.title for n in editor.adopted_nodes] == ["梳理应公开事项", "补公开并留存照片"]
    assert editor.adopted_label.isVisibleTo(editor)
    # the clerk fills in the rest and saves: the nodes arrive with the task, due from today on
    editor.owner.setCurrentText("王五")
    assert editor.save()
    with workspace.read() as s:
        from core.ledger.tasks import get_task, live_nodes

        task = get_task(s, editor.task_id)
        nodes = live_nodes(task)
        assert [n.title for n in nodes] == ["梳理应公开事项", "补公开并留存照片"]
        assert nodes[0].due == "2026-05-24"  # today 2026-04-15 + 39 days, as the past task's plan
        assert "按季度公开制度" in task.measures
    assert editor.adopted_nodes == []
