"""Problem lists saved by LibreOffice Calc (.xlsx, .xls, .ods, and an .xlsx in the 1904 date system): the files in
tests/data/sheets were made by tools/make_office_sheets.py — a notes sheet first, a merged title row, header
cells with line breaks and notes, merged blocks, dates as date cells in two formats and as text, 序号 as text —
and saved by LibreOffice 7.4. They are committed, so these tests run without LibreOffice."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from core.excel.importer import import_problem_list, read_problem_list
from db.models import Task

SHEETS = Path(__file__).resolve().parents[2] / "data" / "sheets"
FILES = ["libreoffice-saved.xlsx", "libreoffice-saved.xls", "libreoffice-saved.ods", "libreoffice-saved-1904.xlsx"]
EXPECTED = {  # title -> (source, 责任科室, 责任人, 整改时限): the merged blocks fill every row they span
    "村级财务公开不及时，部分村未按季度公开收支": ("inspection", "党政办", "李四", "2026-06-30"),
    "食堂采购无台账": ("inspection", "党政办", "李四", "2026-06-30"),
    "消防通道被杂物堵塞": ("inspection", "党政办", "李四", "2026-06-30"),
    "专项资金拨付滞后": ("audit", "财政所", "王五", "2026-09-30"),  # typed as text: 2026年9月30日
    "防汛物资储备不足": ("supervision", "应急办", "赵六", "2026-12-31"),  # a date cell shown as 2026年12月31日
    "应急预案未及时修订": ("supervision", "应急办", "赵六", "2026-12-31"),
}


def test_the_files_were_saved_by_libreoffice() -> None:
    for name in FILES:
        path = SHEETS / name
        if path.suffix == ".xls":
            assert path.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE2 (Excel 97) file
            continue
        with zipfile.ZipFile(path) as z:
            meta = z.read("docProps/app.xml" if path.suffix == ".xlsx" else "meta.xml").decode()
        assert "LibreOffice" in meta, name
    with zipfile.ZipFile(SHEETS / "libreoffice-saved-1904.xlsx") as z:
        assert 'date1904="true"' in z.read("xl/workbook.xml").decode()


@pytest.mark.parametrize(("name", "streamed"),  # only an .xlsx has the streamed path of very large sheets
                         [(n, False) for n in FILES] + [(n, True) for n in FILES if n.endswith(".xlsx")])
def test_a_libreoffice_saved_list_reads_with_merges_headers_and_dates(name: str, streamed: bool,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    if streamed:
        from core.excel import readers

        monkeypatch.setattr(readers, "CALAMINE_SHEET_BYTES", 100)  # the path of a very large sheet
    preview = read_problem_list(SHEETS / name)
    assert preview.sheets == ["填表说明", "反馈问题", "第二轮"] and preview.sheet == "反馈问题"
    assert preview.header_row == 3 and preview.unrecognised == [] and preview.errors == []
    assert preview.columns["owner"] == "责任人（签字）" and preview.columns["deadline"] == "整改时限"
    assert preview.columns["section"] == "责任单位（科室）"
    got = {r.data.title: (r.data.source, r.data.section, r.data.owner, r.data.deadline)
           for r in preview.importable if r.data}
    assert got == EXPECTED
    first = preview.importable[0].data
    assert first.measures == "1. 逐村督促公开\n2. 建立季度公开制度"  # a line break inside a cell stays
    assert preview.importable[2].data.description == "备注：已清理"
    second = read_problem_list(SHEETS / name, sheet="第二轮")
    assert [(r.data.title, r.data.deadline) for r in second.importable] == [("群众反映路灯长期不亮", "2027-03-31")]


@pytest.mark.parametrize("name", FILES)
def test_a_libreoffice_saved_list_imports_every_row(workspace, name: str) -> None:  # noqa: ANN001
    with workspace.read() as s:
        preview = read_problem_list(SHEETS / name, session=s)
    with workspace.session() as s:
        assert len(import_problem_list(s, workspace.user, preview)) == 6
    with workspace.read() as s:
        tasks = {t.title: (t.source, t.section.name, t.owner.name, t.deadline)
                 for t in s.scalars(select(Task).where(Task.deleted.is_(None)))}
    assert tasks == EXPECTED
