"""内部督办 in the window, two data folders: the unit registers 财政所 and sends its tasks; the section's PC is set
up as a section desk (first run), imports the tasks with their preview, marks a node done with evidence and
reports to the unit; the unit trusts the desk's key, previews the report and imports it: the node awaits the
unit's 双人核查."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.models import Node, Task
from tests.ui.conftest import press_ok
from tests.ui.test_section_desks import PASS, UNIT_CODE, UNIT_NAME, _unit


def test_unit_sends_section_reports_unit_previews_and_imports(qtbot: Any, messages: list[str], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from core.workspace import Workspace
    from ui.dialogs import first_run, task_editor
    from ui.dialogs.import_preview import ImportPreviewDialog
    from ui.main_window import MainWindow
    from ui.pages.sections_page import RegisterSectionDialog

    previews: list[str] = []

    def look(dialog: ImportPreviewDialog) -> int:
        previews.append(dialog.text)
        return 1

    monkeypatch.setattr(ImportPreviewDialog, "exec", look)
    stick = tmp_path / "stick"
    stick.mkdir()
    unit_ws = _unit(tmp_path / "unit")
    desk_ws = Workspace.open(tmp_path / "desk", today=date(2026, 4, 15))
    try:
        # 1. the unit: 设置 → 科室端, 登记科室 财政所 as CZS, 发送任务 to the stick
        unit = MainWindow(unit_ws)
        qtbot.addWidget(unit)
        unit.resize(1366, 768)
        unit.show()
        unit.show_page("settings")
        box = unit.settings_page.sections

        def register(d: RegisterSectionDialog) -> int:
            d.name.setCurrentText("财政所")
            d.code.setText("CZS")
            return press_ok(d)

        monkeypatch.setattr(RegisterSectionDialog, "exec", register)
        box.register()
        monkeypatch.setattr(box, "ask_passphrase", lambda: PASS)
        box.send("CZS", stick)
        qtbot.waitUntil(lambda: any("科室任务包" in m for m in messages), timeout=30000)
        package = stick / f"{UNIT_CODE}_CZS_section-tasks_000001.zgb"
        unit_pub = stick / f"{UNIT_CODE}.pub.json"
        assert package.exists() and unit_pub.exists()

        # 2. the section's PC: first run as a section desk, with the unit's key checked by phone
        monkeypatch.setattr(first_run, "confirm", lambda *_a: False)  # the key backup: later
        dialog = first_run.FirstRunDialog(desk_ws)
        qtbot.addWidget(dialog)
        dialog.as_section.setChecked(True)
        dialog.code.setText(UNIT_CODE)
        dialog.name.setText(UNIT_NAME)
        dialog.section_code.setText("CZS")
        dialog.section_name.setText("财政所")
        dialog.admin.setText("李四")
        dialog.pass1.setText(PASS)
        dialog.pass2.setText(PASS)
        dialog.set_unit_key(unit_pub)
        dialog.create()
        assert dialog.result() == dialog.DialogCode.Accepted
        desk = MainWindow(desk_ws)
        qtbot.addWidget(desk)
        desk.resize(1366, 768)
        desk.show()
        assert desk.windowTitle() == f"科室端 · 财政所 · {UNIT_NAME}"

        # 3. the desk imports its tasks, with the preview first
        desk.show_page("exchange")
        done = len(messages)
        desk.exchange_page.import_feedback([package])
        qtbot.waitUntil(lambda: len(messages) > done, timeout=30000)
        assert "新任务 2 条" in previews[-1] and "食堂账目不清" in previews[-1]
        assert "已导入第 1 号科室任务包" in messages[-1]

        # 4. the section marks node 1 done and attaches a voucher, in the task editor
        with desk_ws.read() as s:
            task_id = s.scalar(select(Task.id).where(Task.title == "食堂账目不清"))
        editor = task_editor.TaskEditor(desk.ctx, task_id, desk)
        qtbot.addWidget(editor)
        monkeypatch.setattr(task_editor.NodeDialog, "exec", press_ok)
        monkeypatch.setattr(task_editor.NodeDialog, "value", lambda _self: ("方案已印发。", "2026-04-15"))
        editor.nodes.setCurrentItem(editor.nodes.topLevelItem(0))
        editor.complete_node()
        assert editor.nodes.topLevelItem(0).text(3) == "已完成"
        voucher = tmp_path / "拨付凭证.pdf"
        voucher.write_bytes(b"%PDF-1.4 voucher\n" * 200)
        editor.evidence_node.setCurrentIndex(max(0, editor.evidence_node.findData(1)))
        editor.attach_files([voucher])
        qtbot.waitUntil(lambda: editor.evidence.count() == 1, timeout=30000)
        editor.done(0)

        # 5. 报送单位: the report and, the first time, the desk's key file beside it
        back = tmp_path / "back"
        back.mkdir()
        page = desk.exchange_page
        monkeypatch.setattr(page, "ask_passphrase", lambda: PASS)
        done = len(messages)
        page.report_to_unit(back)
        qtbot.waitUntil(lambda: len(messages) > done, timeout=30000)
        report = back / f"{UNIT_CODE}_CZS_section-report_000001.zgb"
        desk_pub = back / f"{UNIT_CODE}_CZS.pub.json"
        assert report.exists() and desk_pub.exists()
        assert report.name in messages[-1] and desk_pub.name in messages[-1] and "交本单位" in messages[-1]

        # 6. the unit: the desk's key (its id said, to check by phone), then the report with its preview
        box.trust_file("CZS", desk_pub)
        done = len(messages)
        unit.show_page("exchange")
        unit.exchange_page.import_feedback([report])
        qtbot.waitUntil(lambda: len(messages) > done, timeout=30000)
        text = previews[-1]
        assert "食堂账目不清" in text and "节点 1“制定方案”" in text and "李四" in text and "拨付凭证.pdf" in text
        assert "已导入财政所的第 1 号科室报送包" in messages[-1]

        # 7. the node is done by the section's person and awaits the unit's 双人核查
        with unit_ws.read() as s:
            node = s.scalar(select(Node).where(Node.task_id == task_id, Node.seq == 1))
            assert (node.status, node.done_by, node.confirmed_by) == ("done", "李四", None)
        editor = task_editor.TaskEditor(unit.ctx, task_id, unit)
        qtbot.addWidget(editor)
        assert editor.nodes.topLevelItem(0).text(3) == "已完成"
        assert editor.evidence.count() == 1
        editor.done(0)
        unit.show_page("dashboard")
        dash = unit.dashboard_page
        row = [dash.sections.topLevelItem(0).text(c) for c in range(8)]
        assert row[0] == "财政所（CZS）" and row[2] == "1/4" and row[3] == "1" and "第 1 号" in row[7]
        for w in (unit, desk):
            w.close()
    finally:
        desk_ws.close()
        unit_ws.close()
