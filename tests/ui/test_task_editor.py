"""The task editor saves through core, shows core's refusals, runs the two-person check, attaches evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from sqlalchemy import select

from core.ledger.tasks import NodeInput, TaskInput, create_task, get_task
from db.models import Evidence, Task
from tests.ui.conftest import press_ok
from ui.dialogs.task_editor import TaskEditor


def _editor(ctx: Any, qtbot: Any, task_id: str | None) -> TaskEditor:
    ed = TaskEditor(ctx, task_id)
    qtbot.addWidget(ed)
    return ed


def _new_task(ws: Any, owner: str = "张三", nodes: int = 2) -> str:
    with ws.session() as s:
        planned = [NodeInput(f"节点{i}", "2026-12-01") for i in range(1, nodes + 1)]
        t = create_task(s, owner, TaskInput(title="公车登记不规范", source="inspection", category="phased",
                                            owner=owner, deadline="2026-12-31", nodes=planned))
        return t.id


def test_new_task_is_saved_through_core(ctx: Any, qtbot: Any, demo_ws: Any) -> None:
    ed = _editor(ctx, qtbot, None)
    assert not ed.tabs.isTabEnabled(1)  # nodes come after the task exists
    ed.title_edit.setText("食堂采购无比价记录（复查）")
    ed.source.setCurrentIndex(ed.source.findData("audit"))
    ed.category.setCurrentIndex(ed.category.findData("immediate"))
    ed.owner.setCurrentText("周敏")
    ed.section.setCurrentText("社会事务办")
    assert ed.save()
    with demo_ws.read() as s:
        t = get_task(s, ed.task_id)
        assert (t.title, t.source) == ("食堂采购无比价记录（复查）", "audit")
        assert (t.owner.name, t.section.name) == ("周敏", "社会事务办")
    assert ed.tabs.isTabEnabled(1)
    assert ed.history.topLevelItemCount() >= 1
    assert ed.history.topLevelItem(0).text(2) == "新建任务"


def test_refusal_is_shown_and_nothing_is_saved(ctx: Any, qtbot: Any, demo_ws: Any,
                                               messages: list[str]) -> None:
    ed = _editor(ctx, qtbot, None)
    ed.owner.setCurrentText("周敏")
    ed.title_edit.setText("   ")
    assert not ed.save()
    assert "标题不能为空" in messages[-1]
    with demo_ws.read() as s:
        assert s.scalar(select(Task).where(Task.owner.has(name="周敏"), Task.title == "")) is None
    assert ed.task_id is None


def test_edit_changes_fields(ctx: Any, qtbot: Any, demo_ws: Any) -> None:
    task_id = _new_task(demo_ws)
    ed = _editor(ctx, qtbot, task_id)
    assert ed.title_edit.text() == "公车登记不规范"
    ed.measures.setPlainText("建立公车使用登记制度。")
    assert ed.save()
    with demo_ws.read() as s:
        assert get_task(s, task_id).measures == "建立公车使用登记制度。"


def test_node_done_then_confirmed_by_a_second_person(ctx: Any, qtbot: Any, demo_ws: Any,
                                                     messages: list[str], monkeypatch: Any) -> None:
    from ui.dialogs import task_editor

    task_id = _new_task(demo_ws, owner="李志强")  # the window's user is 李志强
    ed = _editor(ctx, qtbot, task_id)
    assert ed.nodes.topLevelItemCount() == 2
    monkeypatch.setattr(task_editor.NodeDialog, "exec", press_ok)
    monkeypatch.setattr(task_editor.NodeDialog, "value", lambda _self: ("已完成登记制度。", "2026-11-20"))
    ed.nodes.setCurrentItem(ed.nodes.topLevelItem(0))
    assert ed.done_button.isEnabled() and not ed.confirm_button.isEnabled()
    ed.complete_node()
    assert ed.nodes.topLevelItem(0).text(3) == "已完成"
    # 双人核查: the one who reported it cannot confirm it.
    ed.nodes.setCurrentItem(ed.nodes.topLevelItem(0))
    assert ed.confirm_button.isEnabled()
    ed.confirm_node()
    assert "本人核查" in messages[-1] and "切换用户" in messages[-1]  # says how, in the window's words
    assert ed.nodes.topLevelItem(0).text(3) == "已完成"
    demo_ws.set_user("陈晓红")  # an administrator of the demo unit
    ed.nodes.setCurrentItem(ed.nodes.topLevelItem(0))
    ed.confirm_node()
    assert ed.nodes.topLevelItem(0).text(3) == "已核查"
    assert ed.nodes.topLevelItem(0).text(6) == "陈晓红"


def test_add_node(ctx: Any, qtbot: Any, demo_ws: Any, monkeypatch: Any) -> None:
    from ui.dialogs import task_editor

    task_id = _new_task(demo_ws, nodes=0)
    ed = _editor(ctx, qtbot, task_id)
    monkeypatch.setattr(task_editor.NodeDialog, "exec", press_ok)
    monkeypatch.setattr(task_editor.NodeDialog, "value", lambda _self: ("制定整改方案", "2026-12-10"))
    ed.add_node()
    assert ed.nodes.topLevelItemCount() == 1
    assert ed.nodes.topLevelItem(0).text(2) == "2026-12-10"


def test_dropped_files_become_evidence_with_sha256(ctx: Any, qtbot: Any, demo_ws: Any,
                                                   tmp_path: Path) -> None:
    import hashlib

    task_id = _new_task(demo_ws)
    photo = tmp_path / "现场照片.png"
    from core.demo import _png_bytes

    photo.write_bytes(_png_bytes(7))
    ed = _editor(ctx, qtbot, task_id)
    ed.tabs.setCurrentIndex(2)
    ed.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    drop = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    ed.evidence.dropEvent(drop)
    with qtbot.waitSignal(ed.attach_job.done, timeout=10_000):  # attached off the GUI thread
        pass
    assert ed.evidence.count() == 1
    assert not ed.evidence.item(0).icon().isNull()  # a thumbnail
    ed.evidence.setCurrentRow(0)
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert digest in ed.evidence_info.text()
    with demo_ws.read() as s:
        ev = s.scalar(select(Evidence).where(Evidence.task_id == task_id))
        assert ev is not None and ev.filename == "现场照片.png" and ev.sha256 == digest


def test_city_records_and_history_tabs(ctx: Any, qtbot: Any, demo_ws: Any, add_notice: Any) -> None:
    task_id = add_notice(demo_ws, "red")
    ed = _editor(ctx, qtbot, task_id)
    notices = ed.city_records.topLevelItem(0)
    assert notices.childCount() == 1
    assert "挂牌督办" in notices.child(0).text(0)
    assert "红灯" in ed.header.text()
    assert ed.history.topLevelItemCount() > 0


def test_appeal_needs_a_selected_city_record(ctx: Any, qtbot: Any, demo_ws: Any, add_notice: Any) -> None:
    task_id = add_notice(demo_ws, "red")
    ed = _editor(ctx, qtbot, task_id)
    assert not ed.appeal_button.isEnabled()
    notice_item = ed.city_records.topLevelItem(0).child(0)
    ed.city_records.setCurrentItem(notice_item)
    assert ed.selected_city_record() == ("notice", f"TZ-red-{ed.city_ref.text()}")
    assert ed.appeal_button.isEnabled()


def test_move_node_up_and_down(ctx: Any, qtbot: Any, demo_ws: Any) -> None:
    task_id = _new_task(demo_ws, nodes=3)
    ed = _editor(ctx, qtbot, task_id)
    ed.nodes.setCurrentItem(ed.nodes.topLevelItem(0))
    assert not ed.up_button.isEnabled() and ed.down_button.isEnabled()
    qtbot.mouseClick(ed.down_button, Qt.MouseButton.LeftButton)
    titles = [ed.nodes.topLevelItem(i).text(1) for i in range(3)]
    assert titles == ["节点2", "节点1", "节点3"]
    assert ed.nodes.currentItem().text(1) == "节点1"  # the moved node stays selected
    with demo_ws.read() as s:
        assert [n.title for n in get_task(s, task_id).nodes if n.deleted is None] == titles


def test_city_node_cannot_move(ctx: Any, qtbot: Any, demo_ws: Any, messages: list[str]) -> None:
    from db.models import Node

    task_id = _new_task(demo_ws, nodes=2)
    with demo_ws.session() as s:
        s.scalar(select(Node).where(Node.task_id == task_id, Node.seq == 1)).from_city = True
    ed = _editor(ctx, qtbot, task_id)
    ed.nodes.setCurrentItem(ed.nodes.topLevelItem(1))
    ed.move_node(-1)
    assert "市平台交办的" in messages[-1]
    assert ed.nodes.topLevelItem(0).text(1) == "节点1"


def test_markup_in_names_and_titles_is_shown_as_text(ctx: Any, qtbot: Any, demo_ws: Any) -> None:
    """A title from the city or a clerk such as “<b>粗</b>&…” is text, never HTML that changes the screen."""
    from ui.main_window import MainWindow

    with demo_ws.session() as s:
        t = create_task(s, "张三", TaskInput(title="<b>粗</b>&amp;<img src=x>", source="inspection",
                                             category="phased", owner="王<五>", deadline="2026-12-31"))
        task_id = t.id
    ed = _editor(ctx, qtbot, task_id)
    assert "&lt;b&gt;粗&lt;/b&gt;&amp;amp;&lt;img src=x&gt;" in ed.header.text()
    assert ed.city_ref.textFormat() == Qt.TextFormat.PlainText
    win = MainWindow(demo_ws, start_page="ledger")
    qtbot.addWidget(win)
    assert win._status.textFormat() == Qt.TextFormat.PlainText


def test_a_refused_file_among_several_attaches_none(ctx: Any, qtbot: Any, demo_ws: Any, tmp_path: Path,
                                                     messages: list[str]) -> None:
    """One transaction off the GUI thread: an empty scan among good files leaves the task as it was."""
    task_id = _new_task(demo_ws)
    good = tmp_path / "整改报告.pdf"
    good.write_bytes(b"%PDF-1.4 report")
    empty = tmp_path / "扫描件.pdf"
    empty.write_bytes(b"")
    ed = _editor(ctx, qtbot, task_id)
    ed.attach_files([good, empty])
    with qtbot.waitSignal(ed.attach_job.done, timeout=10_000):
        pass
    assert any("是空的" in m for m in messages)
    assert ed.evidence.count() == 0
    with demo_ws.read() as s:
        assert s.scalar(select(Evidence).where(Evidence.task_id == task_id)) is None
