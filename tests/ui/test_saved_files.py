"""File dialogs start where the user last was (or Documents); a saved report offers print preview, open, folder."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from tests.conftest import ROOT


def test_a_file_dialog_starts_in_documents_then_where_the_user_last_was(tmp_path: Path, qapp: Any,  # noqa: ARG001
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs import file_dialogs

    asked: list[str] = []
    chosen = tmp_path / "U盘" / "报告.pdf"
    chosen.parent.mkdir()

    def save(_parent: Any, _title: str, start: str, _filters: str) -> tuple[str, str]:
        asked.append(start)
        return str(chosen), ""

    monkeypatch.setattr(file_dialogs.QFileDialog, "getSaveFileName", save)
    assert file_dialogs.save_file(None, "reports", "保存", "整改报告.pdf") == chosen
    assert Path(asked[0]) == file_dialogs.documents() / "整改报告.pdf"
    assert not Path(asked[0]).is_relative_to(ROOT)  # never the program's own folder
    file_dialogs.save_file(None, "reports", "保存", "台账.xlsx")
    assert Path(asked[1]) == chosen.parent / "台账.xlsx"
    assert file_dialogs.start_folder("feedback") == file_dialogs.documents()  # remembered per purpose


def test_every_file_dialog_goes_through_the_one_wrapper() -> None:
    users = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.name == "file_dialogs.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "QFileDialog":
                users.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not users, users


def _pdf(ctx: Any, tmp_path: Path) -> Path:
    from core.reports.pdf import render_report

    out = tmp_path / "整改报告.pdf"
    with ctx.ws.read() as s:
        render_report(s, ctx.ws.today, "summary", out)
    return out


def test_the_saved_box_opens_the_file_or_its_folder(ctx: Any, tmp_path: Path, qtbot: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.saved_file import SavedFileBox

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    pdf = _pdf(ctx, tmp_path)
    box = SavedFileBox(None, "PDF 报告", f"报告已生成：{pdf}", pdf)
    qtbot.addWidget(box)
    assert [b.text() for b in (box.print_button, box.open_button, box.folder_button)] == [
        "打印预览…", "打开文件", "打开所在文件夹"]
    box.act(box.open_button)
    box.act(box.folder_button)
    assert [Path(u.toLocalFile()) for u in opened] == [pdf, pdf.parent]
    excel = SavedFileBox(None, "导出 Excel", "…", tmp_path / "台账.xlsx")
    qtbot.addWidget(excel)
    assert excel.print_button is None  # a spreadsheet is printed from Excel or WPS


def test_print_preview_shows_and_prints_every_page_of_the_report(ctx: Any, tmp_path: Path, qtbot: Any) -> None:
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from ui.dialogs.saved_file import paint_pages, pdf_pages, print_preview

    pdf = _pdf(ctx, tmp_path)
    dialog = print_preview(None, pdf)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, QPrintPreviewDialog) and dialog.isVisible()
    dialog.resize(900, 700)  # the preview paints the pages (its printer must outlive print_preview)
    assert not dialog.grab().isNull()
    dialog.close()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # 打印 to a PDF printer: the same pages come out
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    doc = pdf_pages(pdf)
    paint_pages(doc, printer)
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == len(PdfReader(pdf).pages) == len(doc)
    doc.close()


def test_making_a_report_offers_the_print_preview(window: Any, qtbot: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs import saved_file

    shown: list[Any] = []
    monkeypatch.setattr(saved_file.SavedFileBox, "run", lambda box: shown.append(box))  # noqa: PLW0108 - a method
    window.show_page("exchange")
    box = window.exchange_page.reports
    box.make_pdf(tmp_path / "月报.pdf", "summary")
    with qtbot.waitSignal(box.last_job.done, timeout=60_000):
        pass
    assert shown and shown[0].print_button is not None and shown[0].path == tmp_path / "月报.pdf"
