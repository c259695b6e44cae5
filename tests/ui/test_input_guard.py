"""Nothing typed is lost: Esc, Cancel and the window's close button ask 放弃修改？ in every input dialog; a
refusal keeps the form and marks the field to fix; files can be dropped, removed, attached to a node done;
node done and evidence removal can be undone; a weighty task takes more than one click to delete."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget
from sqlalchemy import select

from core.ledger.tasks import NodeInput, TaskInput, create_task
from db.models import AuditEntry, Evidence, Node, Task
from tests.ui.conftest import press_ok


@pytest.fixture
def discard_answer(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The 放弃修改？ question: what it said, and the clerk's answer (继续编辑 unless told otherwise)."""
    state: dict[str, Any] = {"asked": [], "answer": QMessageBox.StandardButton.Cancel}

    def exec_(box: QMessageBox) -> int:
        buttons = [b.text() for b in box.buttons()]
        state["asked"].append((box.windowTitle(), box.text(), buttons))
        return int(state["answer"])

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return state


def _new_task(ws: Any, nodes: int = 1) -> str:
    with ws.session() as s:
        planned = [NodeInput(f"节点{i}", "2026-12-01") for i in range(1, nodes + 1)]
        return create_task(s, "李志强", TaskInput(title="公车登记不规范", source="inspection", category="phased",
                                               owner="李志强", deadline="2026-12-31", nodes=planned)).id


def _dialogs(ctx: Any) -> dict[str, tuple[Callable[[], QDialog], Callable[[Any], None], Callable[[Any], Any]]]:
    """Every input dialog: how to make it, how the clerk types into it, and what was typed."""
    from ui.dialogs.appeal_dialog import AppealDialog
    from ui.dialogs.key_dialogs import PassphraseDialog
    from ui.dialogs.people_dialogs import AddUserDialog, HandoverDialog, PasswordDialog
    from ui.dialogs.rechecks_dialog import RecheckResultDialog
    from ui.dialogs.respond_dialog import RespondDialog
    from ui.dialogs.task_editor import NodeDialog, TaskEditor

    class Row:
        city_ref, title, closed_on, due = "ZS-1", "回头看任务", "2026-05-01", "2026-11-01"

    notice = {"title": "挂牌督办通知"}
    return {
        "task editor": (lambda: TaskEditor(ctx, None), lambda d: d.title_edit.setText("食堂采购无比价"),
                        lambda d: d.title_edit.text()),
        "task editor (edit)": (lambda: TaskEditor(ctx, _new_task(ctx.ws)),
                               lambda d: d.measures.setPlainText("建立登记制度"), lambda d: d.measures.toPlainText()),
        "add node": (lambda: NodeDialog("Add node", None), lambda d: d.text.setText("制定方案"),
                     lambda d: d.text.text()),
        "node done": (lambda: NodeDialog("Done", None, done=True), lambda d: d.text.setPlainText("已完成"),
                      lambda d: d.text.toPlainText()),
        "respond": (lambda: RespondDialog(notice), lambda d: d.text.setPlainText("已整改到位"),
                    lambda d: d.text.toPlainText()),
        "appeal": (lambda: AppealDialog("deduction", "预扣分"), lambda d: d.reason.setPlainText("情况属实有误"),
                   lambda d: d.reason.toPlainText()),
        "re-check": (lambda: RecheckResultDialog(Row()), lambda d: d.note.setPlainText("问题反弹"),
                     lambda d: d.note.toPlainText()),
        "add user": (AddUserDialog, lambda d: d.name.setText("赵新"), lambda d: d.name.text()),
        "password": (PasswordDialog, lambda d: d.first.setText("secret-1"), lambda d: d.first.text()),
        "handover": (lambda: HandoverDialog("周敏", ["周敏", "何静"]), lambda d: d.note.setPlainText("调岗"),
                     lambda d: d.note.toPlainText()),
        "passphrase": (PassphraseDialog, lambda d: d.first.setText("口令口令口令"),
                       lambda d: d.first.text()),
    }


DIALOGS = ["task editor", "task editor (edit)", "add node", "node done", "respond", "appeal", "re-check",
           "add user", "password", "handover", "passphrase"]


@pytest.mark.parametrize("name", DIALOGS)
def test_esc_asks_and_keep_editing_loses_nothing(name: str, ctx: Any, qtbot: Any,
                                                 discard_answer: dict[str, Any]) -> None:
    make, type_in, typed = _dialogs(ctx)[name]
    dialog = make()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed yet: closes without a question
    assert not dialog.isVisible() and discard_answer["asked"] == []

    dialog = make()
    qtbot.addWidget(dialog)
    dialog.show()
    type_in(dialog)
    before = typed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    title, _text, buttons = discard_answer["asked"][-1]
    assert title == "放弃修改？" and set(buttons) == {"放弃", "继续编辑"}
    assert dialog.isVisible() and typed(dialog) == before  # 继续编辑

    dialog.close()  # the window's close button asks too
    assert len(discard_answer["asked"]) == 2 and dialog.isVisible()

    discard_answer["answer"] = QMessageBox.StandardButton.Discard
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and QDialog.result(dialog) == QDialog.DialogCode.Rejected


def test_a_dialog_without_input_closes_at_once(ctx: Any, qtbot: Any, discard_answer: dict[str, Any]) -> None:
    from ui.dialogs.rechecks_dialog import RechecksDialog

    dialog = RechecksDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_filter.setCurrentIndex(1)  # a filter is not typed work
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and discard_answer["asked"] == []


def test_saved_editor_closes_without_a_question(ctx: Any, qtbot: Any, discard_answer: dict[str, Any]) -> None:
    from ui.dialogs.task_editor import TaskEditor

    ed = TaskEditor(ctx, _new_task(ctx.ws))
    qtbot.addWidget(ed)
    ed.show()
    ed.measures.setPlainText("建立公车使用登记制度。")
    assert ed.save()
    qtbot.keyClick(ed, Qt.Key.Key_Escape)
    assert not ed.isVisible() and discard_answer["asked"] == []


def test_refused_save_keeps_the_form_and_marks_the_field(ctx: Any, qtbot: Any, messages: list[str]) -> None:
    from ui.dialogs.task_editor import TaskEditor

    ed = TaskEditor(ctx, None)
    qtbot.addWidget(ed)
    ed.show()
    ed.owner.setCurrentText("周敏")
    ed.description.setPlainText("三张发票无比价记录")
    assert not ed.save()
    assert "标题不能为空" in messages[-1]
    assert ed.marked() == [ed.title_edit] and "c5221f" in ed.title_edit.styleSheet()
    assert ed.description.toPlainText() == "三张发票无比价记录" and ed.owner.currentText() == "周敏"
    ed.title_edit.setText("食堂采购无比价")  # typing clears the mark
    assert ed.marked() == []


def test_refused_add_user_keeps_what_was_typed(window: Any, demo_ws: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from core.team.users import set_password
    from ui.dialogs.people_dialogs import AddUserDialog

    demo_ws.set_user("陈晓红")
    with demo_ws.session() as s:
        set_password(s, "陈晓红", "陈晓红", "管理员密码2026")
    seen: list[AddUserDialog] = []

    def fill(dialog: AddUserDialog) -> int:
        seen.append(dialog)
        dialog.name.setText("赵新")
        dialog.section.setText("党政办")
        dialog.password.setText("123")  # too short: core refuses
        dialog.try_add()  # OK
        return int(QDialog.result(dialog))

    monkeypatch.setattr(AddUserDialog, "exec", fill)
    window.settings_page.add_user()
    dialog = seen[0]
    assert "密码太短" in dialog.error.text()
    assert (dialog.name.text(), dialog.section.text(), dialog.password.text()) == ("赵新", "党政办", "123")
    assert "c5221f" in dialog.password.styleSheet()  # the field to fix is marked
    assert QDialog.result(dialog) != QDialog.DialogCode.Accepted
    dialog.password.setText("初始密码2026")
    dialog.try_add()  # pressed OK again, fixed
    assert QDialog.result(dialog) == QDialog.DialogCode.Accepted


def test_refused_response_keeps_text_and_files(window: Any, demo_ws: Any, add_notice: Any, tmp_path: Path,
                                               messages: list[str], monkeypatch: pytest.MonkeyPatch,
                                               qtbot: Any) -> None:
    from ui.dialogs.respond_dialog import RespondDialog

    add_notice(demo_ws, "red")
    scan = tmp_path / "说明.pdf"
    scan.write_bytes(b"%PDF-1.4 x")
    seen: list[RespondDialog] = []

    def fill(dialog: RespondDialog) -> int:
        seen.append(dialog)
        dialog.add_files([scan])
        dialog.text.setPlainText("   ")  # core refuses an empty response, after the file was stored
        return press_ok(dialog)

    monkeypatch.setattr(RespondDialog, "exec", fill)
    window.show_page("notices")
    window.notices_page.respond()
    with qtbot.waitSignal(window.notices_page.respond_job.done, timeout=10_000):
        pass
    dialog = seen[0]
    assert "反馈内容不能为空" in messages[-1]
    assert dialog.files == [scan] and dialog.marked() == [dialog.text]
    assert QDialog.result(dialog) != QDialog.DialogCode.Accepted
    with demo_ws.read() as s:
        assert s.scalar(select(Evidence)) is None or s.scalar(
            select(Evidence).where(Evidence.filename == "说明.pdf")) is None  # one transaction: nothing kept
    dialog.text.setPlainText("已整改到位，附说明。")
    dialog.accept()
    with qtbot.waitSignal(window.notices_page.respond_job.done, timeout=10_000):
        pass
    assert QDialog.result(dialog) == QDialog.DialogCode.Accepted
    assert window.badge_count() == 0


def _drop(widget: QWidget, *files: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    widget.dropEvent(QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))


def test_response_files_dropped_and_one_removed(qtbot: Any, tmp_path: Path) -> None:
    from ui.dialogs.respond_dialog import RespondDialog

    right, wrong = tmp_path / "整改报告.pdf", tmp_path / "工资表（内部）.xlsx"
    right.write_bytes(b"%PDF-1.4 r")
    wrong.write_bytes(b"PK\x03\x04 w")
    dialog = RespondDialog({"title": "挂牌督办通知"})
    qtbot.addWidget(dialog)
    dialog.show()
    _drop(dialog, right, wrong)
    assert dialog.files == [right, wrong]
    assert dialog.file_list.item(0).text().endswith(" B）")  # its size, as 49 KB or 10 B
    assert not dialog.remove_button.isEnabled()
    dialog.file_list.item(1).setSelected(True)
    assert dialog.remove_button.isEnabled()
    dialog.remove_button.click()
    assert dialog.files == [right] and dialog.file_list.count() == 1


def test_files_dropped_on_the_editor_become_evidence(ctx: Any, qtbot: Any, demo_ws: Any, tmp_path: Path) -> None:
    from ui.dialogs.task_editor import TaskEditor

    task_id = _new_task(demo_ws)
    ed = TaskEditor(ctx, task_id)
    qtbot.addWidget(ed)
    ed.show()
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo")
    _drop(ed, photo)  # on the dialog itself, whatever tab is shown
    with qtbot.waitSignal(ed.attach_job.done, timeout=10_000):
        pass
    assert ed.tabs.currentIndex() == 2 and ed.evidence.count() == 1


def test_node_done_with_evidence_then_undo(ctx: Any, qtbot: Any, demo_ws: Any, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs import task_editor

    task_id = _new_task(demo_ws)
    ed = task_editor.TaskEditor(ctx, task_id)
    qtbot.addWidget(ed)
    ed.show()
    plan = tmp_path / "整改方案.pdf"
    plan.write_bytes(b"%PDF-1.4 plan")

    def fill(dialog: task_editor.NodeDialog) -> int:
        dialog.text.setPlainText("方案已印发")
        _drop(dialog, plan)
        return press_ok(dialog)

    monkeypatch.setattr(task_editor.NodeDialog, "exec", fill)
    ed.nodes.setCurrentItem(ed.nodes.topLevelItem(0))
    ed.complete_node()
    with qtbot.waitSignal(ed.done_job.done, timeout=10_000):  # with files: off the GUI thread
        pass
    assert ed.nodes.topLevelItem(0).text(3) == "已完成"
    assert QDialog.result(ed.node_dialog) == QDialog.DialogCode.Accepted
    with demo_ws.read() as s:
        ev = s.scalar(select(Evidence).where(Evidence.task_id == task_id))
        node = s.scalar(select(Node).where(Node.task_id == task_id))
        assert ev.filename == "整改方案.pdf" and ev.node_id == node.id
    assert ed.undo_bar.isVisibleTo(ed) and "节点 1" in ed.undo_text.text()
    ed.undo_button.click()
    assert ed.nodes.topLevelItem(0).text(3) == "未完成"
    assert not ed.undo_bar.isVisibleTo(ed)
    with demo_ws.read() as s:
        assert s.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)) == "node.undo_done"


def test_evidence_removal_is_undone_with_ctrl_z(ctx: Any, qtbot: Any, demo_ws: Any, tmp_path: Path) -> None:
    from core.evidence.attach import attach_file
    from ui.dialogs.task_editor import TaskEditor

    task_id = _new_task(demo_ws)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo")
    with demo_ws.session() as s:
        attach_file(s, demo_ws.evidence, "李志强", task_id, photo)
    ed = TaskEditor(ctx, task_id)
    qtbot.addWidget(ed)
    ed.show()
    ed.tabs.setCurrentIndex(2)
    ed.evidence.setCurrentRow(0)
    ed.remove_evidence()
    assert ed.evidence.count() == 0 and "现场.jpg" in ed.undo_text.text()
    assert ed.undo_shortcut.key() == QKeySequence(QKeySequence.StandardKey.Undo)  # Ctrl+Z
    ed.undo_shortcut.activated.emit()
    assert ed.evidence.count() == 1
    with demo_ws.read() as s:
        assert s.scalar(select(Evidence.deleted)) is None


def test_owner_offers_the_units_people(ctx: Any, qtbot: Any) -> None:
    from ui.dialogs.task_editor import TaskEditor

    ed = TaskEditor(ctx, None)
    qtbot.addWidget(ed)
    offered = [ed.owner.itemText(i) for i in range(ed.owner.count())]
    assert "陈晓红" in offered and "李志强" in offered  # the users of the demo unit
    completer = ed.owner.completer()
    assert completer.filterMode() == Qt.MatchFlag.MatchContains
    completer.setCompletionPrefix("晓")
    found = [completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())]
    assert "陈晓红" in found


def test_weighty_task_needs_a_tick_and_its_number(window: Any, demo_ws: Any, monkeypatch: pytest.MonkeyPatch,
                                                  messages: list[str]) -> None:
    from ui.dialogs.delete_task import DeleteTaskDialog

    with demo_ws.read() as s:
        task = s.scalar(select(Task).where(Task.city_ref.is_not(None), Task.from_city.is_(False),
                                           Task.deleted.is_(None)).limit(1))
        if task is None:
            task = s.scalar(select(Task).where(Task.city_ref.is_not(None)).limit(1))
        task_id, ref = task.id, task.city_ref
    with demo_ws.session() as s:
        s.get(Task, task_id).from_city = False  # entered by the unit with the city's number
    shown: list[DeleteTaskDialog] = []

    def answer(dialog: DeleteTaskDialog) -> int:
        shown.append(dialog)
        assert not dialog.delete_button.isEnabled()
        dialog.understood.setChecked(True)
        assert not dialog.delete_button.isEnabled()  # one click is not enough
        dialog.number.setText(ref)
        assert dialog.delete_button.isEnabled()
        dialog.delete_button.click()
        return int(QDialog.result(dialog))

    monkeypatch.setattr(DeleteTaskDialog, "exec", answer)
    demo_ws.set_user("周敏")  # a clerk: refused before any confirmation
    window.ledger_page.delete_task(task_id, "x")
    assert shown == [] and "不能删除带有市平台编号" in messages[-1]
    demo_ws.set_user("李志强")  # a reviewer
    window.ledger_page.delete_task(task_id, "x")
    assert shown and ref in shown[0].findChild(type(shown[0].number)).placeholderText()
    with demo_ws.read() as s:
        assert s.get(Task, task_id).deleted is not None
