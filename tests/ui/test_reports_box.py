"""Reports and spreadsheets from the window: PDF and Excel written by core in the background; the city's
Excel problem list previewed row by row before the correct rows are imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests_ui_paths import FIXTURES


def _wait(qtbot: Any, job: Any) -> None:
    with qtbot.waitSignal(job.done, timeout=60000):
        pass


def test_pdf_report_is_written(window: Any, qtbot: Any, messages: list[str], tmp_path: Path) -> None:
    box = window.exchange_page.reports
    out = tmp_path / "整改报告.pdf"
    box.make_pdf(out, "summary")
    _wait(qtbot, box.last_job)
    assert out.exists() and out.read_bytes().startswith(b"%PDF")
    assert str(out) in messages[-1]


def test_task_report_from_the_editor(ctx: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from ui.dialogs import file_dialogs, task_editor
    from ui.models.ledger_model import LedgerModel

    out = tmp_path / "task.pdf"
    monkeypatch.setattr(file_dialogs.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), ""))
    task_id = LedgerModel(ctx.ws.read, ctx.ws.today).task_id(0)
    editor = task_editor.TaskEditor(ctx, task_id)
    qtbot.addWidget(editor)
    editor.task_pdf()
    _wait(qtbot, editor.last_job)
    assert out.exists() and out.stat().st_size > 1000


def test_ledger_to_excel(window: Any, qtbot: Any, messages: list[str], tmp_path: Path) -> None:
    box = window.exchange_page.reports
    out = tmp_path / "台账.xlsx"
    box.export_excel(out)
    _wait(qtbot, box.last_job)
    assert out.exists()
    assert messages[-1].startswith("已导出 60 条任务")


def test_city_problem_list_preview_then_import(workspace: Any, qtbot: Any, messages: list[str],
                                              monkeypatch: Any) -> None:
    from ui.dialogs import excel_import
    from ui.main_window import MainWindow

    shown: list[Any] = []
    monkeypatch.setattr(excel_import.ExcelImportDialog, "exec", lambda d: shown.append(d) or 1)
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    box = win.exchange_page.reports
    box.import_excel(FIXTURES / "excel" / "problem-list-sample.xlsx")
    _wait(qtbot, box.last_job)
    preview = shown[0].summary.toPlainText()
    assert "9 条可以导入" in preview
    assert preview.count("第 ") >= 3  # each refused row with its row number
    _wait(qtbot, box.last_job)  # the import itself, off the GUI thread
    assert messages[-1] == "已导入 9 条任务。"
    assert win.ledger_page.model.rowCount() == 9


def test_mapping_step_maps_a_column_gives_a_missing_one_a_value_and_remembers(
        workspace: Any, qtbot: Any, messages: list[str], monkeypatch: Any, tmp_path: Path) -> None:
    import openpyxl

    from ui.dialogs import excel_import
    from ui.main_window import MainWindow

    wb = openpyxl.Workbook()
    wb.active.append(["序号", "问题描述", "包干股室", "责任人", "整改时限", "整改类别"])
    wb.active.append([1, "河道保洁不到位", "农业办", "赵六", "2026-07-31", "立行立改"])
    wb.save(tmp_path / "清单.xlsx")
    dialogs: list[Any] = []

    def exec_(d: Any) -> int:
        dialogs.append(d)
        if len(dialogs) == 1:
            assert "包干股室" in d.summary.toPlainText() and not d.import_button.isEnabled()
            combo = next(c for text, c in d.combos if text == "包干股室")
            combo.setCurrentIndex(combo.findData("section"))
            d._mapping_changed()
            d.default_inputs["source"].setCurrentText("审计")
            d.accept()  # changed: reads again first, does not import yet
            assert not d.result()
            with qtbot.waitSignal(d.last_job.done, timeout=60000):
                pass
            assert d.import_button.isEnabled() and "可以导入" in d.summary.toPlainText()
        return 1

    monkeypatch.setattr(excel_import.ExcelImportDialog, "exec", exec_)
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    box = win.exchange_page.reports
    box.import_excel(tmp_path / "清单.xlsx")
    _wait(qtbot, box.last_job)
    _wait(qtbot, box.last_job)
    assert messages[-1] == "已导入 1 条任务。"
    wb.active.cell(2, 2).value = "另一个问题"  # the next list from the same sender
    wb.save(tmp_path / "下一份.xlsx")
    box.import_excel(tmp_path / "下一份.xlsx")
    _wait(qtbot, box.last_job)
    second = dialogs[-1].preview
    assert second.columns.get("section") == "包干股室" and "包干股室" not in second.unrecognised
    assert second.defaults == {"source": "审计"}  # the value given for the missing column, offered again


def test_a_report_is_signed_with_the_passphrase_asked_and_verifies(window: Any, qtbot: Any, messages: list[str],
                                                                   tmp_path: Path, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QDialog

    from core.exchange.keys import create_unit_key
    from ui.dialogs.key_dialogs import AskPassphraseDialog

    with window.ctx.ws.session() as s:
        create_unit_key(s, "李志强", "window-passphrase")
    monkeypatch.delenv("RECTIDESK_PASSPHRASE", raising=False)
    asked: list[str] = []

    def type_twice(dialog: AskPassphraseDialog) -> int:
        """The export's own prompt: a wrong passphrase is said in place and asked again."""
        dialog.field.setText("不对的口令")
        dialog.accept()
        asked.append(dialog.error.text())
        assert QDialog.result(dialog) != QDialog.DialogCode.Accepted
        dialog.field.setText("window-passphrase")
        dialog.accept()
        return int(QDialog.result(dialog))

    monkeypatch.setattr(AskPassphraseDialog, "exec", type_twice)
    box = window.exchange_page.reports
    out = tmp_path / "整改报告.pdf"
    box.make_pdf(out, "summary")
    _wait(qtbot, box.last_job)
    assert asked and "密钥密码不对" in asked[0]
    assert out.read_bytes().count(b"%%EOF") == 2  # the signature is an incremental update
    assert "已用本单位密钥签名并登记" in messages[-1]
    box.verify_pdf(out)
    _wait(qtbot, box.last_job)
    assert "原件" in messages[-1] and "数字签名完好" in messages[-1]
    changed = tmp_path / "改过.pdf"
    changed.write_bytes(out.read_bytes() + b"% edited\n%%EOF\n")
    box.verify_pdf(changed)
    _wait(qtbot, box.last_job)
    assert "不是本单位生成的报告原件" in messages[-1]


def test_word_draft_public_excel_and_public_pdf(window: Any, qtbot: Any, messages: list[str], tmp_path: Path) -> None:
    import openpyxl
    from docx import Document

    box = window.exchange_page.reports
    draft = tmp_path / "草稿.docx"
    box.make_word(draft)
    _wait(qtbot, box.last_job)
    assert Document(str(draft)).paragraphs[2].text == "市督查室："
    assert "已生成 Word 草稿" in messages[-1] and "不签名" in messages[-1]
    public = tmp_path / "公示.xlsx"
    box.export_excel(public, public=True)
    _wait(qtbot, box.last_job)
    header = [c.value for c in openpyxl.load_workbook(public).worksheets[0][2]]
    assert "责任人" not in header and "责任领导" not in header and "责任科室" in header
    assert box.kind.findData("public") >= 0
    out = tmp_path / "公示.pdf"
    box.make_pdf(out, "public")
    _wait(qtbot, box.last_job)
    assert out.is_file()


def test_the_box_says_which_standard_fonts_are_missing(window: Any, qtbot: Any, monkeypatch: Any) -> None:
    from core.reports import fonts

    monkeypatch.setattr(fonts, "missing_standard_faces", lambda: ["方正小标宋简体", "仿宋_GB2312"])
    box = window.exchange_page.reports
    box.check_fonts()
    qtbot.waitUntil(lambda: box.font_note.isVisibleTo(box), timeout=10000)
    assert "方正小标宋简体、仿宋_GB2312" in box.font_note.text() and "本机没有" in box.font_note.text()


def test_recipient_is_edited_in_the_settings(window: Any, messages: list[str]) -> None:
    from core.reports.summary import recipient

    page = window.settings_page if hasattr(window, "settings_page") else None
    if page is None:
        from ui.pages.settings import SettingsPage

        page = SettingsPage(window.ctx)
    page.refresh()
    assert page.recipient.text() == "市督查室"
    page.recipient.setText("市委巡察办")
    page.save_recipient()  # 李志强 is a reviewer: the admin's setting is refused, nothing changes
    assert window.ctx.read(recipient) == "市督查室" and "不能修改设置" in messages[-1] or "修改设置" in messages[-1]
    window.ctx.ws.set_user("陈晓红")
    page.save_recipient()
    assert window.ctx.read(recipient) == "市委巡察办"
