"""Renders each screen at 1366×768 on the demo ledger into docs/screenshots/ (for the README and review).

    QT_QPA_PLATFORM=offscreen uv run python -m ui.screenshots [--today YYYY-MM-DD (default: today)] [--lang en]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
SIZE = (1366, 768)


FIXTURES = ROOT / "tests" / "fixtures"


def exchange_with_the_test_city(ws: Any, out: Path) -> bool:
    """The city's fixture feedback packages imported, then one report exported: real notices and history."""
    try:
        from core.exchange.exporter import ReportExporter
        from core.exchange.importer import FeedbackImporter
        from core.exchange.keys import create_unit_key, trust_city
    except ImportError:
        return False
    packages = sorted((FIXTURES / "packages").glob("442000-017_city-feedback_*.zgb"))
    if not packages:
        return False
    with ws.session() as s:
        create_unit_key(s, "陈晓红", "screenshot-passphrase")
        trust_city(s, "陈晓红", FIXTURES / "keys" / "test-city.pub.json")
    from ui.dialogs.import_preview import ImportPreviewDialog

    importer = FeedbackImporter(ws)
    preview = ImportPreviewDialog([(p, importer.preview(p), None) for p in packages[:1]])
    preview.show()
    print(grab(preview, "import-preview.png"))
    preview.close()
    importer.import_files(packages)
    out.mkdir(parents=True, exist_ok=True)
    ReportExporter(ws).export(out, passphrase="screenshot-passphrase")
    return True


def add_sample_notices(ws: object) -> None:
    """Two notices as the city's feedback would bring them, so the notices screen is not empty."""
    from sqlalchemy import select

    from db.models import Notice, Task

    with ws.session() as s:  # type: ignore[attr-defined]
        q = select(Task).where(Task.city_ref.is_not(None)).order_by(Task.deadline).limit(2)
        titles = ("关于整改严重滞后的挂牌督办通知", "关于整改进度滞后的预警提示")
        for task, level, title in zip(s.scalars(q), ("red", "yellow"), titles, strict=False):
            s.add(Notice(id=f"TZ-2026-{level}-001", level=level, task_ref=task.city_ref or "",
                         task_id=task.id, title=title,
                         text=f"你单位“{task.title}”整改进度滞后，请于期限内反馈整改落实情况。",
                         issued="2026-11-16T09:00:00+08:00", issuer="中山市委督查室", respond_by="2026-11-30",
                         attachments=[], state="open"))


def red_task_with_evidence(ws: object) -> str | None:
    """A phased task with photos attached: the editor's tabs then show nodes, thumbnails and history."""
    from sqlalchemy import select

    from db.models import Evidence, Task

    with ws.read() as s:  # type: ignore[attr-defined]
        return s.scalar(select(Task.id).join(Evidence, Evidence.task_id == Task.id)
                        .where(Task.category == "phased", Task.status != "closed")
                        .order_by(Task.deadline).limit(1))


def start_duties(win: Any) -> None:
    """As at start: 回头看 scheduled, reminders collected, the day's backup finished before the grabs."""
    from ui import background

    duties = win.start_daily_duties()
    duties.timer.stop()
    duties.tick()
    app = QApplication.instance()
    assert app is not None
    while duties.backup_job is not None and duties.backup_job in background._running:
        app.processEvents()


def daily_screens(win: Any, ws: Any) -> None:
    """Reminders (banner and list), 回头看 with its result dialog, an appeal with the city's decision."""
    from sqlalchemy import select

    from core.exchange.notices import file_appeal
    from db.models import Appeal, Notice
    from ui.dialogs.appeal_dialog import AppealDialog
    from ui.dialogs.rechecks_dialog import RecheckResultDialog, RechecksDialog
    from ui.dialogs.task_editor import TaskEditor
    from ui.reminders import RemindersDialog

    duties = win.duties
    win.banner.dismissed = False
    duties.refresh(notify=False)
    win.show_page("dashboard")
    print(grab(win, "reminders-banner.png"))
    dialog = RemindersDialog(win.ctx, duties.reminders, win)
    dialog.show()
    print(grab(dialog, "reminders.png"))
    dialog.close()
    rechecks = RechecksDialog(win.ctx, win)
    rechecks.show()
    print(grab(rechecks, "rechecks.png"))
    result = RecheckResultDialog(rechecks.current(), rechecks)
    result.result.setCurrentIndex(1)
    result.note.setPlainText("现场查看发现消防通道再次被杂物占用，问题出现反弹。")
    result.add_files([Path("回头看现场照片1.jpg"), Path("回头看现场照片2.jpg")])
    result.show()
    print(grab(result, "recheck-result.png"))
    result.done(0)  # (close() would ask 放弃修改？: the form holds typed text)
    rechecks.close()
    with ws.session() as s:  # an appeal against a notice, decided by the city
        notice = s.scalar(select(Notice).where(Notice.task_id.is_not(None)).order_by(Notice.issued).limit(1))
        if notice is None:
            return
        task_id = notice.task_id
        appeal = file_appeal(s, "李志强", "notice", notice.id,
                             "该问题已于通知下发前完成整改，整改报告已于10月报送，请予撤销督办。")
        appeal.result, appeal.decided = "rejected", "2026-11-20T10:00:00+08:00"
        appeal.comment = "经现场核查，仍有部分问题未整改到位，维持督办。"
        s.flush()
        assert s.get(Appeal, appeal.id) is not None
    editor = TaskEditor(win.ctx, task_id, win)
    editor.tabs.setCurrentIndex(4)
    editor.show()
    print(grab(editor, "task-editor-appeals.png"))
    form = AppealDialog("deduction", "预扣分 2（整改逾期未反馈）", editor)
    form.reason.setPlainText("逾期系因上级批复文件延后下达（附批复文件），本单位已在收到批复后五个工作日内完成整改。")
    form.add_files([Path("上级批复文件.pdf"), Path("整改完成情况说明.docx")])
    form.show()
    print(grab(form, "appeal.png"))
    form.done(0)
    editor.done(0)


def attachment_screens(win: Any) -> None:
    """The city's 督办单 on the red notice (feedback 2), and the 放弃修改？ question over a typed response."""
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QMessageBox

    from ui.dialogs.respond_dialog import RespondDialog

    win.show_page("notices")
    page = win.notices_page
    rows = [n["id"] for n in page.model.rows]
    if "DB-2026-0047" in rows:
        page.table.selectRow(rows.index("DB-2026-0047"))
        print(grab(win, "notice-attachment.png"))
    notice = page.current()
    if notice is None:
        return
    dialog = RespondDialog(notice, win)
    dialog.show()  # what it opened with is the saved state; what follows is typed
    dialog.text.setPlainText("已按督办单要求拨付专项资金，并在村务公开栏公示，附拨付凭证和公示照片。")
    dialog.add_files([Path("拨付凭证.pdf"), Path("公示照片.jpg")])
    box_shown: list[Any] = []

    def exec_(box: QMessageBox) -> int:  # drawn over the dialog instead of waiting for a click
        box.show()
        box_shown.append(grab_pixmap(box))
        box.hide()
        return int(QMessageBox.StandardButton.Cancel)

    original = QMessageBox.exec
    QMessageBox.exec = exec_  # type: ignore[method-assign]
    try:
        dialog.reject()  # as Esc: asks 放弃修改？, the clerk keeps editing
    finally:
        QMessageBox.exec = original  # type: ignore[method-assign]
    shot = grab_pixmap(dialog)
    if box_shown:
        painter = QPainter(shot)
        box = box_shown[0]
        painter.drawPixmap((shot.width() - box.width()) // 2, (shot.height() - box.height()) // 2, box)
        painter.end()
    shot.save(str(OUT / "discard-question.png"))
    print(OUT / "discard-question.png")
    dialog.done(0)


def section_screens(win: Any, ws: Any, tmp: Path) -> None:
    """内部督办: the unit's 科室端 page, the section desk's first run and its exchange page, the unit's preview
    of the section's report, and the dashboard's section table — on real packages written by core."""
    from sqlalchemy import select

    from core.evidence.attach import attach_file
    from core.exchange.keys import create_unit_key
    from core.ledger.tasks import complete_node
    from core.sections.desk import import_tasks, init_section_desk, trust_unit
    from core.sections.preview import preview_report
    from core.sections.registry import add_section, send_tasks, trust_section
    from core.sections.report import export_report, import_report
    from core.workspace import Workspace
    from db.models import Node, Task
    from ui.dialogs.first_run import FirstRunDialog
    from ui.dialogs.import_preview import ImportPreviewDialog
    from ui.main_window import MainWindow

    passphrase = "screenshot-passphrase"
    usb = tmp / "sections-usb"
    usb.mkdir(parents=True, exist_ok=True)
    with ws.session() as s:
        add_section(s, "陈晓红", "CZS", "财政所")
        add_section(s, "陈晓红", "NYB", "农业农村办")
    sent = send_tasks(ws, "CZS", usb, passphrase)
    send_tasks(ws, "NYB", usb, passphrase)
    desk_ws = Workspace.open(tmp / "desk", user="黄伟明", today=ws.today)
    try:
        first = FirstRunDialog(desk_ws)
        first.as_section.setChecked(True)
        first.code.setText("442000-017")
        first.name.setText("中山市某某镇人民政府")
        first.section_code.setText("CZS")
        first.section_name.setText("财政所")
        first.admin.setText("黄伟明")
        if sent.public_key_file is not None:
            first.set_unit_key(sent.public_key_file)
        first.show()
        print(grab(first, "section-first-run.png"))
        first.done(0)
        with desk_ws.session() as s:
            init_section_desk(s, "442000-017", "中山市某某镇人民政府", "CZS", "财政所", "黄伟明")
            create_unit_key(s, "黄伟明", passphrase)
            if sent.public_key_file is not None:
                trust_unit(s, "黄伟明", sent.public_key_file)
        import_tasks(desk_ws, sent.path)
        with desk_ws.session() as s:
            tasks = list(s.scalars(select(Task).join(Node).where(Node.status == "pending", Task.deleted.is_(None))
                                   .order_by(Task.deadline).limit(2)))
            for task in tasks:
                node = min((n for n in task.nodes if n.status == "pending"), key=lambda n: n.seq)
                complete_node(s, "黄伟明", task.id, node.seq, done=ws.today, note="已按方案完成，附凭证。",
                              today=ws.today)
                voucher = tmp / f"{task.title[:8]}-拨付凭证.pdf"
                voucher.write_bytes(b"%PDF-1.4 screenshot voucher\n" * 900)
                attach_file(s, desk_ws.evidence, "黄伟明", task.id, voucher, node_seq=node.seq)
        desk = MainWindow(desk_ws)
        desk.resize(*SIZE)
        desk.show()
        desk.show_page("exchange")
        print(grab(desk, "section-desk-exchange.png"))
        desk.close()
        back = tmp / "sections-back"
        back.mkdir(exist_ok=True)
        report = export_report(desk_ws, back, passphrase)
    finally:
        desk_ws.close()
    if report.public_key_file is not None:
        with ws.session() as s:
            trust_section(s, "陈晓红", "CZS", report.public_key_file)
    preview = ImportPreviewDialog([(report.path, preview_report(ws, report.path), None)])
    preview.show()
    print(grab(preview, "section-report-preview.png"))
    preview.close()
    import_report(ws, report.path)
    win.ctx.changed.emit()
    win.show_page("settings")
    page = win.settings_page
    page.refresh()
    from PySide6.QtWidgets import QScrollArea

    scroll = page.findChild(QScrollArea)
    if scroll is not None:
        scroll.ensureWidgetVisible(page.sections)
    print(grab(win, "sections.png"))
    win.show_page("dashboard")
    dash = win.dashboard_page
    dash.refresh()
    scroll = dash.findChild(QScrollArea)
    if scroll is not None:
        scroll.ensureWidgetVisible(dash.sections_box)
    print(grab(win, "dashboard-sections.png"))


def grab_pixmap(widget: QWidget) -> Any:
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):
        app.processEvents()
    return widget.grab()


def similar_screen(win: Any) -> None:
    """A new task typed in other words: the 相似问题 panel with the past task and the library's measures."""
    import time

    from ui.dialogs.task_editor import TaskEditor

    editor = TaskEditor(win.ctx, None, win)
    editor.show()
    editor.title_edit.setText("村里账目没有张榜公布，群众不清楚钱花在哪")
    until = time.monotonic() + 60
    while not editor.similar.suggestions and time.monotonic() < until:
        QApplication.processEvents()
        time.sleep(0.05)
    print(grab(editor, "similar-problems.png"))
    editor.done(0)  # (close() would ask 放弃修改？: a title is typed)


def identity_screens(win: Any, ws: Any) -> None:
    """Who is working: the login list with a password (and a wrong one said in full), and 切换用户 in the
    status bar with the switching list drawn over the window."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    from core.team.users import authenticate, needs_password, set_password
    from ui.dialogs.people_dialogs import LoginDialog

    with ws.session() as s:
        set_password(s, "陈晓红", "陈晓红", "screenshot-pass-1")
        set_password(s, "陈晓红", "李志强", "screenshot-pass-2")

    def check(name: str, password: str) -> object:
        with ws.read() as s:
            return authenticate(s, name, password)

    def needs(name: str) -> bool:
        with ws.read() as s:
            return needs_password(s, name)

    names = ["陈晓红", "李志强"]
    login = LoginDialog(names, needs, check, "李志强")
    login.show()
    login.password.setText("wrong")
    login.try_login()
    print(grab(login, "login.png"))
    login.close()
    win.show_page("ledger")
    switching = LoginDialog(names, needs, check, "陈晓红", switching=True, parent=win)
    switching.show()
    for _ in range(3):
        QApplication.processEvents()
    shot = win.grab()
    painter = QPainter(shot)
    painter.drawPixmap(QPoint((shot.width() - switching.width()) // 2, (shot.height() - switching.height()) // 2),
                       switching.grab())
    painter.end()
    path = OUT / "switch-user.png"
    shot.save(str(path))
    print(path)
    switching.close()


def office_problem_list(path: Path) -> Path:
    """A problem list as an office sends it: title rows, a header with notes and line breaks, a column the
    program does not know (包干股室), no 问题来源 column, a merged block, a mistyped year."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "反馈问题"
    ws.append(["2026年县委第二轮巡察反馈问题整改清单"])
    ws.merge_cells("A1:H1")
    ws.append(["填报单位：某某镇", None, None, None, None, "填报日期：2026-11-20"])
    ws.append(["序号", "问题描述", "整改\n类别", "包干股室", "责任人\n（签字）", "整改\n时限", "整改措施", "联系电话"])
    rows = [
        [1, "村级财务公开不及时，部分村未按季度公开",
         "立行立改", "党政办", "李四", "2026-12-31", "逐村督促公开", "0760-1"],
        [2, "食堂采购无台账，票据不全", "分阶段整改", None, None, None, "建立采购台账", None],
        [3, "消防通道被杂物堵塞", "立行立改", None, None, None, "清理并设立标识", None],
        [4, "专项资金拨付滞后", "分阶段整改", "财政所", "王五", "2206-06-30", "明确拨付时限", "0760-2"],
    ]
    for r in rows:
        ws.append(r)
    for col in "DEF":
        ws.merge_cells(f"{col}4:{col}6")
    wb.create_sheet("填表说明").append(["整改时限请写到日。"])
    wb.save(path)
    return path


def import_mapping_screen(ws: Any, folder: Path) -> None:
    """The import step of the city's list: sheet, how each column is read, a value for a missing column."""
    from core.excel.importer import read_problem_list
    from core.excel.mappings import MappingMemory
    from ui.dialogs.excel_import import ExcelImportDialog

    folder.mkdir(parents=True, exist_ok=True)
    path = office_problem_list(folder / "县委第二轮巡察反馈问题清单.xlsx")
    memory = MappingMemory(ws.paths.excel_mappings)

    def reader(sheet: Any, mapping: Any, defaults: Any) -> Any:
        with ws.read() as s:
            return read_problem_list(path, session=s, sheet=sheet, mapping=mapping, memory=memory,
                                     defaults=defaults)

    dialog = ExcelImportDialog(path, reader(None, None, None), reader)
    dialog.resize(1100, 680)
    combo = next(c for text, c in dialog.combos if text == "包干股室")
    combo.setCurrentIndex(combo.findData("section"))
    dialog._mapping_changed()
    dialog.default_inputs["source"].setCurrentText("巡察")
    dialog.show_preview(reader(None, dialog.mapping, dialog.defaults))
    dialog.show()
    print(grab(dialog, "import-mapping.png"))
    dialog.close()


def import_similar_screen(win: Any, folder: Path) -> None:
    """The import preview's rows, each with its closest 相似问题; a row chosen, a past task's plan copied into it."""
    import time

    import openpyxl

    from core.excel.importer import read_problem_list
    from ui.dialogs.excel_import import ExcelImportDialog

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "市审计局反馈问题清单.xlsx"
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["序号", "问题描述", "问题来源", "整改类别", "责任单位", "责任人", "整改时限"])
    for i, title in enumerate(["村里账目没有张榜公布", "小车节假日没有封存停放", "灭火器过期没有更换",
                               "局长办公室面积超过标准", "扶持资金改变用途", "国有资产没有盘点",
                               "群众投诉长时间无人答复", "网站系统安全漏洞未修复", "接待超标准吃喝"], 1):
        sheet.append([i, title, "审计", "分阶段整改", "党政办", "王五", "2026-12-31"])
    wb.save(path)
    ws = win.ctx.ws

    def reader(sheet_name: Any, mapping: Any, defaults: Any) -> Any:
        with ws.read() as s:
            return read_problem_list(path, session=s, sheet=sheet_name, mapping=mapping, defaults=defaults)

    dialog = ExcelImportDialog(path, reader(None, None, None), reader, win, ctx=win.ctx)
    dialog.resize(1100, 680)
    dialog.show()
    until = time.monotonic() + 60
    while dialog.suggester.pending and time.monotonic() < until:
        QApplication.processEvents()
        time.sleep(0.05)
    dialog.rows_view.selectRow(1)
    panel = dialog.similar
    k = next((n for n, x in enumerate(panel.suggestions) if x.source == "ledger"), 0)
    panel.list.setCurrentRow(k)
    panel.adopt()
    print(grab(dialog, "import-similar.png"))
    dialog.done(0)


def guide_screens(win: Any, ws: Any, tmp: Path) -> None:
    """The print preview of a report and the 操作指南 (its pictures refreshed from this run's screenshots)."""
    from core.reports.pdf import render_report
    from ui.dialogs.saved_file import print_preview
    from ui.guide import refresh_images, show_guide

    pdf = tmp / "整改报告.pdf"
    with ws.read() as s:
        render_report(s, ws.today, "summary", pdf)
    preview = print_preview(win, pdf)
    if preview is not None:
        preview.resize(*SIZE)
        print(grab(preview, "print-preview.png"))
        preview.close()
    refresh_images(OUT)
    guide = show_guide(win, "import")
    guide.resize(900, 700)
    guide.show_section("import")  # scrolled again at its final size
    print(grab(guide, "guide.png"))
    guide.close()


def grab(widget: QWidget, name: str) -> Path:
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):
        app.processEvents()
    path = OUT / name
    widget.grab().save(str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(allow_abbrev=False)
    p.add_argument("--today", default=date.today().isoformat())
    p.add_argument("--lang", default="zh_CN")
    args = p.parse_args(argv)
    from core.demo import build_demo
    from core.workspace import Workspace
    from ui.app import install_translations, make_application

    app = make_application()
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        install_translations(app, args.lang)
        from ui.dialogs.first_run import FirstRunDialog

        fresh = Workspace.open(Path(tmp) / "fresh", user="陈晓红", today=date.fromisoformat(args.today))
        first = FirstRunDialog(fresh)
        first.code.setText("442000-017")
        first.name.setText("中山市某某镇人民政府")
        first.admin.setText("陈晓红")
        first.set_city_key(FIXTURES / "keys" / "test-city.pub.json")
        first.show()
        OUT.mkdir(parents=True, exist_ok=True)
        print(grab(first, "first-run.png"))
        first.done(0)
        fresh.close()
        ws = Workspace.open(Path(tmp) / "data", user="李志强", today=date.fromisoformat(args.today))
        try:
            build_demo(ws)
            if not exchange_with_the_test_city(ws, Path(tmp) / "usb"):
                add_sample_notices(ws)
            from ui.dialogs.task_editor import TaskEditor
            from ui.main_window import MainWindow

            OUT.mkdir(parents=True, exist_ok=True)
            win = MainWindow(ws)
            win.resize(*SIZE)
            win.show()
            start_duties(win)
            win.banner.dismiss()  # the banner has its own screenshot
            for page in ("dashboard", "ledger", "notices", "exchange", "settings"):
                win.show_page(page)
                print(grab(win, f"{page}.png"))
            win.show_page("ledger")
            win.ledger_page.apply_criteria({"light": "red"})
            print(grab(win, "ledger-red.png"))
            task_id = red_task_with_evidence(ws) or win.ledger_page.model.task_id(0)
            editor = TaskEditor(win.ctx, task_id, win)
            editor.show()
            print(grab(editor, "task-editor.png"))
            for i, name in ((1, "task-editor-nodes.png"), (2, "task-editor-evidence.png"),
                            (3, "task-editor-history.png")):
                editor.tabs.setCurrentIndex(i)
                print(grab(editor, name))
            editor.done(0)
            similar_screen(win)
            attachment_screens(win)
            daily_screens(win, ws)
            identity_screens(win, ws)
            import_mapping_screen(ws, Path(tmp) / "lists")
            import_similar_screen(win, Path(tmp) / "lists")
            section_screens(win, ws, Path(tmp))
            guide_screens(win, ws, Path(tmp))
            win.close()
            from ui import background

            while win.exit_backup_job is not None and win.exit_backup_job in background._running:
                app.processEvents()  # the backup on exit ends before the data folder goes
        finally:
            ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
