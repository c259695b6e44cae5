"""An .xlsx with the XML quirks WPS (and Excel for Chinese text) write, built by hand: rich-text shared strings with
a line break in a run, phonetic guides (<rPh>) inside a shared string, formulas with their cached values (序号 as
=ROW()-1, a name joined by a formula), 序号 stored as text, no <dimension>, the 1904 date system, and the merged
ranges listed last-column-first. Read by both readers (calamine, and openpyxl streaming for a huge sheet)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from core.excel.importer import read_problem_list
from tests.reliability import hostile_kit as hk

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<workbookPr date1904="1"/><sheets><sheet name="问题清单" sheetId="1" r:id="rId1"/></sheets></workbook>')
STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          f'<styleSheet {NS}><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
          '</fill></fills><borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
SHARED = [
    "<si><t>序号</t></si>", "<si><t>问题来源</t></si>", "<si><t>问题描述</t></si>", "<si><t>整改类别</t></si>",
    "<si><t>责任单位</t></si>",
    '<si><t>责任人</t><rPh sb="0" eb="3"><t>ze ren ren</t></rPh><phoneticPr fontId="0" type="noConversion"/></si>',
    '<si><r><t>整改</t></r><r><rPr><b/><sz val="11"/></rPr><t xml:space="preserve">\n时限</t></r></si>',
    "<si><t>村务公开不及时</t></si>", "<si><t>食堂采购无台账</t></si>", "<si><t>2</t></si>",
]


def _serial_1904(day: date) -> int:
    return (day - date(1904, 1, 1)).days


def _s(ref: str, index: int) -> str:
    return f'<c r="{ref}" t="s"><v>{index}</v></c>'


def _t(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def wps_book(path: Path) -> Path:
    rows = [
        '<row r="1">' + "".join(_s(f"{c}1", i) for i, c in enumerate("ABCDEFG")) + "</row>",
        '<row r="2"><c r="A2"><f>ROW()-1</f><v>1</v></c>' + _t("B2", "巡察") + _s("C2", 7) + _t("D2", "立行立改")
        + _t("E2", "党政办") + '<c r="F2" t="str"><f>"李"&amp;"四"</f><v>李四</v></c>'
        + f'<c r="G2" s="1"><v>{_serial_1904(date(2026, 6, 30))}</v></c></row>',
        '<row r="3">' + _s("A3", 9) + '<c r="B3"/>' + _s("C3", 8) + _t("D3", "分阶段整改")
        + '<c r="E3"/><c r="F3"/><c r="G3" s="1"/></row>',
        '<row r="4"><c r="A4"><f>ROW()-1</f><v>3</v></c>' + _t("B4", "审计") + _t("C4", "专项资金拨付滞后")
        + _t("D4", "分阶段整改") + _t("E4", "财政所") + _t("F4", "王五") + _t("G4", "2026.09.30") + "</row>",
    ]
    merges = '<mergeCells count="4"><mergeCell ref="G2:G3"/><mergeCell ref="F2:F3"/><mergeCell ref="E2:E3"/>' \
             '<mergeCell ref="B2:B3"/></mergeCells>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", hk._CT)
        z.writestr("_rels/.rels", hk._RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", hk._WB_RELS)
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{len(SHARED)}" '
                                           f'uniqueCount="{len(SHARED)}">' + "".join(SHARED) + "</sst>")
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
                   + "".join(rows) + "</sheetData>" + merges + "</worksheet>")
    return path


@pytest.mark.parametrize("streamed", [False, True])
def test_a_list_with_the_xml_quirks_of_wps_reads_right(tmp_path: Path, streamed: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    if streamed:
        from core.excel import readers

        monkeypatch.setattr(readers, "CALAMINE_SHEET_BYTES", 100)
    preview = read_problem_list(wps_book(tmp_path / "wps.xlsx"))
    assert preview.errors == [] and preview.unrecognised == []
    assert preview.columns["owner"] == "责任人"  # not "责任人ze ren ren": the phonetic guide is no text
    assert preview.columns["deadline"] == "整改时限"
    got = [(r.row, r.data.title, r.data.source, r.data.section, r.data.owner, r.data.deadline)
           for r in preview.importable if r.data]
    assert got == [
        (2, "村务公开不及时", "inspection", "党政办", "李四", "2026-06-30"),  # a 1904 date serial
        (3, "食堂采购无台账", "inspection", "党政办", "李四", "2026-06-30"),  # the merged block, listed last
        (4, "专项资金拨付滞后", "audit", "财政所", "王五", "2026-09-30"),
    ]
