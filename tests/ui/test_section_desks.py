"""内部督办 in the window: 设置 → 科室端 at the unit, the first run as a section desk, the desk's exchange page,
the unit's preview of a section report, and the dashboard's section table."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.models import Key, Node, Section, Task
from tests.core.exchange.exchkit import dump
from tests.ui.conftest import press_ok

PASS = "科室端口令-2026"
UNIT_CODE, UNIT_NAME = "442000-017", "中山市某某镇人民政府"


def _unit(path: Path) -> Any:
    """A unit with its key and two tasks for 财政所 (one with two nodes) and one for 党政办."""
    from core.exchange.keys import create_unit_key
    from core.ledger.tasks import TaskInput, create_task
    from core.unit import init_unit
    from core.workspace import Workspace

    ws = Workspace.open(path, user="张三", today=date(2026, 4, 15))
    with ws.session() as s:
        init_unit(s, UNIT_CODE, UNIT_NAME, "township", admin="张三")
        create_unit_key(s, "张三", PASS)
        for title, section in (("食堂账目不清", "财政所"), ("专项资金拨付滞后", "财政所"), ("会议记录不全", "党政办")):
            task = create_task(s, "张三", TaskInput(title=title, source="巡察", category="分阶段整改", owner="王五",
                                                   deadline="2026-06-30", section=section))
            for seq, (node, due) in enumerate((("制定方案", "2026-05-10"), ("完成整改", "2026-06-20")), start=1):
                task.nodes.append(Node(id=f"{task.id[:8]}-{seq}", seq=seq, title=node, due=due, status="pending",
                                       updated="2026-04-15T09:00:00+08:00"))
    return ws


def _desk(path: Path, unit_pub: Path | None) -> Any:
    from core.exchange.keys import create_unit_key
    from core.sections.desk import init_section_desk, trust_unit
    from core.workspace import Workspace

    ws = Workspace.open(path, user="李四", today=date(2026, 4, 15))
    with ws.session() as s:
        init_section_desk(s, UNIT_CODE, UNIT_NAME, "CZS", "财政所", "李四")
        create_unit_key(s, "李四", PASS)
        if unit_pub is not None:
            trust_unit(s, "李四", unit_pub)
    return ws


@pytest.fixture
def unit_ws(tmp_path: Path) -> Any:
    ws = _unit(tmp_path / "unit")
    yield ws
    ws.close()


@pytest.fixture
def unit_win(unit_ws: Any, qtbot: Any) -> Any:
    from ui.main_window import MainWindow

    win = MainWindow(unit_ws)
    qtbot.addWidget(win)
    return win


def _register(box: Any, monkeypatch: pytest.MonkeyPatch, name: str, code: str) -> None:
    from ui.pages.sections_page import RegisterSectionDialog

    def fill(dialog: RegisterSectionDialog) -> int:
        dialog.name.setCurrentText(name)
        dialog.code.setText(code)
        return press_ok(dialog)

    monkeypatch.setattr(RegisterSectionDialog, "exec", fill)
    box.register()


def _rows(box: Any) -> list[list[str]]:
    return [[box.table.topLevelItem(i).text(c) for c in range(5)] for i in range(box.table.topLevelItemCount())]


def test_the_page_lists_sections_and_registers_one(unit_win: Any, monkeypatch: pytest.MonkeyPatch,
                                                   messages: list[str]) -> None:
    unit_win.show_page("settings")
    box = unit_win.settings_page.sections
    assert box.isVisibleTo(unit_win.settings_page)
    rows = {r[1]: r for r in _rows(box)}
    assert rows["财政所"][0] == "（未登记代码）" and rows["财政所"][2] == "2"
    _register(box, monkeypatch, "财政所", "CZS")
    rows = {r[1]: r for r in _rows(box)}
    assert rows["财政所"][0] == "CZS" and rows["财政所"][3] == "未导入" and rows["财政所"][4] == "无"
    # a refusal keeps the dialog open and marks the code
    from ui.pages.sections_page import RegisterSectionDialog

    kept: list[Any] = []

    def bad(dialog: RegisterSectionDialog) -> int:
        dialog.name.setCurrentText("党政办")
        dialog.code.setText("CZS")  # already given to 财政所
        kept.append(dialog)
        return press_ok(dialog)

    monkeypatch.setattr(RegisterSectionDialog, "exec", bad)
    box.register()
    assert "已经给了“财政所”" in messages[-1]
    assert kept[0].marked() == [kept[0].code]


def test_send_writes_a_package_and_the_units_key_the_first_time(unit_win: Any, qtbot: Any,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 messages: list[str], tmp_path: Path) -> None:
    unit_win.show_page("settings")
    box = unit_win.settings_page.sections
    _register(box, monkeypatch, "财政所", "CZS")
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(box, "ask_passphrase", lambda: PASS)
    box.send("CZS", stick)
    qtbot.waitUntil(lambda: "科室任务包" in (messages[-1] if messages else ""), timeout=30000)
    package = stick / f"{UNIT_CODE}_CZS_section-tasks_000001.zgb"
    assert package.exists() and (stick / f"{UNIT_CODE}.pub.json").exists()
    assert package.name in messages[-1] and f"{UNIT_CODE}.pub.json" in messages[-1]
    assert "任务 2 条" in messages[-1] or "2 条任务" in messages[-1]
    assert {r[1]: r for r in _rows(box)}["财政所"][4] == "第 1 号"
    box.send("CZS", stick)
    qtbot.waitUntil(lambda: "第 2 号" in messages[-1], timeout=30000)
    assert ".pub.json" not in messages[-1]  # only the first time


def test_trusting_a_section_key_shows_its_id_to_check(unit_win: Any, monkeypatch: pytest.MonkeyPatch,
                                                      messages: list[str], tmp_path: Path) -> None:
    from core.exchange.keys import export_public, format_key_id

    unit_win.show_page("settings")
    box = unit_win.settings_page.sections
    _register(box, monkeypatch, "财政所", "CZS")
    desk = _desk(tmp_path / "desk", None)
    try:
        with desk.read() as s:
            key = export_public(s, tmp_path / "CZS.pub.json")
    finally:
        desk.close()
    box.trust_file("CZS", tmp_path / "CZS.pub.json")
    assert str(format_key_id(key.key_id)) in messages[-1] and "电话" in messages[-1]
    assert {r[1]: r for r in _rows(box)}["财政所"][3] == str(format_key_id(key.key_id))
    box.trust_file("CZS", tmp_path / "nothing.pub.json")  # a refusal is said, nothing changes
    assert "公钥" in messages[-1]


def test_first_run_as_section_desk_trusts_the_unit_key(unit_ws: Any, qtbot: Any, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from core.exchange.keys import export_public, format_key_id
    from core.workspace import Workspace
    from ui.dialogs import first_run

    with unit_ws.read() as s:
        unit_key = export_public(s, tmp_path / "unit.pub.json")
    monkeypatch.setattr(first_run, "confirm", lambda *_a: False)  # no key backup now
    ws = Workspace.open(tmp_path / "desk", user="李四")
    try:
        dialog = first_run.FirstRunDialog(ws)
        qtbot.addWidget(dialog)
        dialog.as_section.setChecked(True)
        assert not dialog.form.isRowVisible(dialog.level) and dialog.form.isRowVisible(dialog.section_code)
        dialog.code.setText(UNIT_CODE)
        dialog.name.setText(UNIT_NAME)
        dialog.section_code.setText("CZS")
        dialog.section_name.setText("财政所")
        dialog.admin.setText("李四")
        dialog.pass1.setText(PASS)
        dialog.pass2.setText(PASS)
        dialog.set_unit_key(tmp_path / "unit.pub.json")
        assert str(format_key_id(unit_key.key_id)) in dialog.unit_key_label.text()
        dialog.create()
        assert dialog.result() == dialog.DialogCode.Accepted
        from core.sections.desk import desk_identity

        with ws.read() as s:
            me = desk_identity(s)
            owners = sorted((k.owner, k.key_id) for k in s.scalars(select(Key)))
        assert (me.unit_code, me.section_code, me.section_name) == (UNIT_CODE, "CZS", "财政所")
        assert ("parent", unit_key.key_id) in owners and any(o == "unit" for o, _ in owners)
        assert ws.user == "李四"
    finally:
        ws.close()


def test_first_run_as_section_desk_marks_its_refusals(qtbot: Any, tmp_path: Path, unit_ws: Any) -> None:
    from core.exchange.keys import export_public
    from core.workspace import Workspace
    from ui.dialogs.first_run import FirstRunDialog

    with unit_ws.read() as s:
        export_public(s, tmp_path / "unit.pub.json")
    ws = Workspace.open(tmp_path / "desk", user="李四")
    try:
        dialog = FirstRunDialog(ws)
        qtbot.addWidget(dialog)
        dialog.as_section.setChecked(True)
        dialog.code.setText("442000-099")  # not the unit the key file names
        dialog.name.setText(UNIT_NAME)
        dialog.section_code.setText("财政 所")
        dialog.admin.setText("李四")
        dialog.pass1.setText(PASS)
        dialog.pass2.setText(PASS)
        dialog.set_unit_key(tmp_path / "unit.pub.json")
        dialog.create()
        assert dialog.result() != dialog.DialogCode.Accepted
        text = dialog.error.text()
        assert "科室代码" in text and "科室名称" in text and "442000-099" in text
        for field in (dialog.section_code, dialog.section_name, dialog.unit_key_button):
            assert field.styleSheet(), field
        assert ws.unit() is None  # nothing was set up
    finally:
        ws.close()


# -- the whole exchange, in the window ----------------------------------------------------------------

@pytest.fixture
def pair(unit_ws: Any, tmp_path: Path) -> dict[str, Any]:
    """The unit has registered 财政所, trusts its desk; one tasks package went down and the desk took it in."""
    from core.exchange.keys import export_public
    from core.sections.desk import import_tasks
    from core.sections.registry import add_section, send_tasks, trust_section

    stick = tmp_path / "stick"
    stick.mkdir()
    with unit_ws.session() as s:
        add_section(s, "张三", "CZS", "财政所")
        add_section(s, "张三", "DZB", "党政办")
    sent = send_tasks(unit_ws, "CZS", stick, PASS)
    desk = _desk(tmp_path / "desk", sent.public_key_file)
    with desk.read() as s:
        export_public(s, stick / "CZS.pub.json")
    with unit_ws.session() as s:
        trust_section(s, "张三", "CZS", stick / "CZS.pub.json")
    import_tasks(desk, sent.path)
    yield {"unit": unit_ws, "desk": desk, "stick": stick, "tasks": sent.path}
    desk.close()


def _report(pair: dict[str, Any], tmp_path: Path, *, evidence: bool = True) -> Path:
    """At the desk: node 1 of 食堂账目不清 done (with a voucher), then 报送单位 as core writes it."""
    from core.evidence.attach import attach_file
    from core.ledger.tasks import complete_node
    from core.sections.report import export_report

    desk = pair["desk"]
    with desk.session() as s:
        task_id = s.scalar(select(Task.id).where(Task.title == "食堂账目不清"))
        complete_node(s, "李四", task_id, 1, done=date(2026, 4, 15), note="方案已印发", today=date(2026, 4, 15))
        if evidence:
            voucher = tmp_path / "拨付凭证.pdf"
            voucher.write_bytes(b"%PDF-1.4 voucher\n" * 300)
            attach_file(s, desk.evidence, "李四", task_id, voucher, node_seq=1)
    out = tmp_path / "back"
    out.mkdir(exist_ok=True)
    return export_report(desk, out, PASS).path


def test_the_report_preview_lists_tasks_nodes_files_then_applies(pair: Any, unit_win: Any, qtbot: Any,
                                                                  messages: list[str], tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.import_preview import ImportPreviewDialog

    report = _report(pair, tmp_path)
    seen: list[str] = []

    def look(dialog: ImportPreviewDialog) -> int:
        seen.append(dialog.text)
        return 1

    monkeypatch.setattr(ImportPreviewDialog, "exec", look)
    unit_win.show_page("exchange")
    page = unit_win.exchange_page
    page.import_feedback([report])
    qtbot.waitUntil(lambda: bool(messages), timeout=30000)
    text = seen[0]
    assert "财政所的第 1 号科室报送包" in text and "食堂账目不清" in text
    assert "节点 1“制定方案”" in text and "李四" in text and "方案已印发" in text
    assert "拨付凭证.pdf（5 KB，李四 上传，节点 1）" in text
    assert "已导入财政所的第 1 号科室报送包" in messages[-1]
    with pair["unit"].read() as s:
        node = s.scalar(select(Node).join(Task).where(Task.title == "食堂账目不清", Node.seq == 1))
        assert (node.status, node.done_by) == ("done", "李四")  # awaiting the unit's 双人核查


def test_a_refused_report_changes_nothing_and_says_why(pair: Any, unit_win: Any, qtbot: Any, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.import_preview import ImportPreviewDialog

    report = _report(pair, tmp_path, evidence=False)
    bad = tmp_path / "tampered.zgb"
    with zipfile.ZipFile(report) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith("records.jsonl"):
                data = data.replace("方案已印发".encode(), "方案未印发".encode())
            zout.writestr(item, data)
    before = dump(pair["unit"])
    shown: list[Any] = []

    def look(dialog: ImportPreviewDialog) -> int:
        shown.append((dialog.text, dialog.apply_button.isEnabled()))
        return 1

    monkeypatch.setattr(ImportPreviewDialog, "exec", look)
    page = unit_win.exchange_page
    page.import_feedback([bad])
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    text, can_apply = shown[0]
    assert "拒收" in text and "数据包" in text and not can_apply
    assert dump(pair["unit"]) == before


def test_the_dashboard_shows_each_sections_progress(pair: Any, unit_win: Any, tmp_path: Path) -> None:
    from core.sections.report import import_report

    import_report(pair["unit"], _report(pair, tmp_path))
    unit_win.show_page("dashboard")
    dash = unit_win.dashboard_page
    dash.refresh()
    assert dash.sections_box.isVisibleTo(dash)
    rows = {dash.sections.topLevelItem(i).text(0): [dash.sections.topLevelItem(i).text(c) for c in range(8)]
            for i in range(dash.sections.topLevelItemCount())}
    czs = rows["财政所（CZS）"]
    assert czs[1] == "2" and czs[2] == "1/4" and czs[3] == "1"
    assert sum(int(x) for x in czs[4:7]) == 2
    assert "第 1 号" in czs[7]
    assert dash.sections.height() < 120  # two rows: no tall empty table
    assert "尚无" in rows["党政办（DZB）"][7] or "无" in rows["党政办（DZB）"][7]


def test_the_desk_window_says_so_and_offers_no_city_export(pair: Any, qtbot: Any) -> None:
    from ui.main_window import MainWindow

    win = MainWindow(pair["desk"])
    qtbot.addWidget(win)
    assert win.windowTitle() == f"科室端 · 财政所 · {UNIT_NAME}"
    assert win._status.text().startswith(f"科室端 · 财政所 · {UNIT_NAME}")
    win.show_page("exchange")
    page = win.exchange_page
    assert not page.export_button.isVisibleTo(page) and not page.export_button.isEnabled()
    assert "单位" in page.export_button.toolTip()
    assert page.report_button.isVisibleTo(page) and page.import_button.text() == "导入科室任务包…"
    win.show_page("settings")
    assert not win.settings_page.sections.isVisibleTo(win.settings_page)


def test_the_desk_previews_its_tasks_package_then_imports(pair: Any, qtbot: Any,
                                                          messages: list[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from core.sections.registry import send_tasks
    from ui.dialogs.import_preview import ImportPreviewDialog
    from ui.main_window import MainWindow

    with pair["unit"].session() as s:
        t = s.scalar(select(Task).where(Task.title == "专项资金拨付滞后"))
        t.deadline = "2026-07-31"
    second = send_tasks(pair["unit"], "CZS", pair["stick"], PASS).path
    seen: list[str] = []
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda d: (seen.append(d.text), 1)[1])
    win = MainWindow(pair["desk"])
    qtbot.addWidget(win)
    win.exchange_page.import_feedback([second])
    qtbot.waitUntil(lambda: bool(messages), timeout=30000)
    assert "第 2 号科室任务包" in seen[0] and "更新 2 条" in seen[0]
    assert "已导入第 2 号科室任务包" in messages[-1]
    with pair["desk"].read() as s:
        assert s.scalar(select(Task.deadline).where(Task.title == "专项资金拨付滞后")) == "2026-07-31"
        assert s.scalar(select(Section.code)) == "CZS"


def test_a_report_handed_over_by_a_second_start_or_dropped_goes_to_its_preview(pair: Any, unit_win: Any, qtbot: Any,
                                                                               tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from ui.dialogs.import_preview import ImportPreviewDialog

    report = _report(pair, tmp_path)
    seen: list[str] = []
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda d: (seen.append(d.text), 0)[1])  # looked, cancelled
    unit_win.come_forward([report])  # RectiDesk.exe FILE.zgb while the window is open
    qtbot.waitUntil(lambda: bool(seen), timeout=30000)
    assert unit_win.current_page() == "exchange" and "财政所的第 1 号科室报送包" in seen[-1]
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(report))])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    unit_win.exchange_page.dropEvent(drop)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=30000)
    assert "拨付凭证.pdf" in seen[-1]
    with pair["unit"].read() as s:  # cancelled both times: nothing applied
        assert s.scalar(select(Node.status).join(Task).where(Task.title == "食堂账目不清", Node.seq == 1)) == "pending"


# -- the unit's own 督办 to a section, and what a desk's editor leaves to the unit ---------------------------

def _notice_dialog(monkeypatch: pytest.MonkeyPatch, act: Any) -> list[Any]:
    from ui.pages.sections_page import UnitNoticeDialog

    kept: list[Any] = []

    def run(dialog: UnitNoticeDialog) -> int:
        kept.append(dialog)
        return act(dialog)

    monkeypatch.setattr(UnitNoticeDialog, "exec", run)
    return kept


def test_a_supervision_notice_goes_to_the_section_with_the_next_package(pair: Any, unit_win: Any, qtbot: Any,
                                                                        messages: list[str],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import Qt

    from core.ledger.queries import notice_rows
    from core.sections.desk import import_tasks
    from core.sections.registry import UNIT_ORIGIN, send_tasks
    from db.models import Notice

    unit_win.show_page("settings")
    box = unit_win.settings_page.sections
    box.refresh()
    box.select("CZS")

    def tick_and_write(dialog: Any) -> int:
        titles = [dialog.tasks.item(i).text() for i in range(dialog.tasks.count())]
        assert len(titles) == 2 and all("会议记录不全" not in t for t in titles)  # only 财政所's tasks
        assert dialog.due.date().toString("yyyy-MM-dd") == "2026-04-22"  # 7 days from the unit's today
        for i, t in enumerate(titles):
            if t.startswith("食堂账目不清"):
                dialog.tasks.item(i).setCheckState(Qt.CheckState.Checked)
        dialog.text.setPlainText("请于一周内补齐食堂账目凭证。")
        return press_ok(dialog)

    kept = _notice_dialog(monkeypatch, tick_and_write)
    box.send_notice()
    assert kept and kept[0].result() == kept[0].DialogCode.Accepted
    assert "1 份" in messages[-1] and "财政所" in messages[-1] and "发送任务" in messages[-1]
    with pair["unit"].read() as s:
        notice = s.scalar(select(Notice).where(Notice.section_code == "CZS"))
        task = s.get(Task, notice.task_id)
        assert task.title == "食堂账目不清" and notice.origin == UNIT_ORIGIN and notice.respond_by == "2026-04-22"
    package = send_tasks(pair["unit"], "CZS", pair["stick"], PASS)
    assert package.notices == 1
    import_tasks(pair["desk"], package.path)
    with pair["desk"].read() as s:
        rows = notice_rows(s)
    assert [(r["title"], r["origin"]) for r in rows] == [("内部督办：食堂账目不清", "parent")]  # from the unit
    assert UNIT_NAME in rows[0]["issuer"]
    from ui.main_window import MainWindow

    desk_win = MainWindow(pair["desk"])  # the desk's clerk sees it among the notices, to answer
    qtbot.addWidget(desk_win)
    desk_win.show_page("notices")
    page = desk_win.notices_page
    page.refresh()
    assert [r["title"] for r in page.model.rows] == ["内部督办：食堂账目不清"]
    assert "请于一周内补齐食堂账目凭证。" in page.detail.toPlainText()


def test_a_supervision_notice_without_a_task_keeps_the_dialog(pair: Any, unit_win: Any,
                                                              messages: list[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import Qt

    from db.models import Notice

    box = unit_win.settings_page.sections
    box.refresh()
    box.select("CZS")

    def write_only(dialog: Any) -> int:
        dialog.text.setPlainText("请尽快整改。")
        press_ok(dialog)
        return int(dialog.result())

    kept = _notice_dialog(monkeypatch, write_only)
    box.send_notice()
    dialog = kept[0]
    assert dialog.result() != dialog.DialogCode.Accepted  # still open: the text stays
    assert "请至少选择一条任务" in messages[-1]
    assert dialog.marked() == [dialog.tasks] and dialog.text.toPlainText() == "请尽快整改。"
    dialog.tasks.item(0).setCheckState(Qt.CheckState.Checked)  # ticking one clears the mark
    assert dialog.marked() == []
    with pair["unit"].read() as s:
        assert s.scalar(select(Notice).where(Notice.section_code == "CZS")) is None


def test_the_desk_editor_leaves_confirm_and_sign_off_to_the_unit(pair: Any, qtbot: Any, unit_win: Any) -> None:
    from core.ledger.tasks import complete_node
    from ui.dialogs.task_editor import TaskEditor
    from ui.main_window import MainWindow

    for ws in (pair["desk"], pair["unit"]):
        with ws.session() as s:
            task_id = s.scalar(select(Task.id).where(Task.title == "食堂账目不清"))
            complete_node(s, "李四", task_id, 1, done=date(2026, 4, 15), note="方案已印发", today=date(2026, 4, 15))
    win = MainWindow(pair["desk"])
    qtbot.addWidget(win)
    editor = TaskEditor(win.ctx, task_id, win)
    qtbot.addWidget(editor)
    editor.nodes.setCurrentItem(editor.nodes.topLevelItem(0))
    assert not editor.confirm_button.isEnabled() and "单位" in editor.confirm_button.toolTip()
    assert not editor.submit_button.isVisibleTo(editor) and not editor.submit_button.isEnabled()
    assert "单位" in editor.submit_button.toolTip()
    # at the unit the same node can be confirmed and the task offered for sign-off
    unit_editor = TaskEditor(unit_win.ctx, task_id, unit_win)
    qtbot.addWidget(unit_editor)
    unit_editor.nodes.setCurrentItem(unit_editor.nodes.topLevelItem(0))
    assert unit_editor.confirm_button.isEnabled() and unit_editor.submit_button.isVisibleTo(unit_editor)
