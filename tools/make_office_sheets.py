"""The problem lists as LibreOffice saves them (tests/data/sheets/libreoffice-saved.xlsx, .xls, .ods, and
libreoffice-saved-1904.xlsx in the 1904 date system).

An office's list is built the way offices make them — a notes sheet first, a merged title row, a 填报单位 line,
header cells with line breaks and notes (整改\\n时限, 责任人\\n（签字）, 责任单位（科室）), blocks of rows sharing
a merged 问题来源, 责任单位, 责任人 and 整改时限, dates as date cells in two number formats and as typed text,
序号 stored as text, and a second list on a third sheet — and LibreOffice Calc saves it in each format.
The files are committed (LibreOffice is not in CI); tests/core/excel/test_libreoffice_sheets.py reads them.

Usage: uv run python tools/make_office_sheets.py [OUT_DIR]   (needs LibreOffice: soffice)
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment
from openpyxl.utils.datetime import CALENDAR_MAC_1904

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.libreoffice import convert, soffice  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "sheets"
STEM = "libreoffice-saved"
HEADER = ["序号", "问题\n来源", "问题描述", "整改\n类别", "责任单位（科室）", "责任人\n（签字）", "整改\n时限",
          "整改措施", "备注"]
ISO = "yyyy-mm-dd"
CHINESE_DATE = 'yyyy"年"m"月"d"日"'


def build(path: Path, mac_1904: bool = False) -> Path:
    """The office's list; `mac_1904`: in the 1904 date system (a workbook first made on a Mac, kept so by
    LibreOffice: its date cells count days from 1904-01-01)."""
    wb = openpyxl.Workbook()
    if mac_1904:
        wb.epoch = CALENDAR_MAC_1904
    notes = wb.active
    notes.title = "填表说明"
    for line in ("填表说明", "1. 整改时限写到日。", "2. 同一单位、同一责任人的问题可合并单元格。"):
        notes.append([line])
    ws = wb.create_sheet("反馈问题")
    ws.append(["2026年县委第二轮巡察反馈问题整改清单"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位：某某镇（盖章）", None, None, None, None, None, "填报日期：2026年11月20日"])
    ws.append(HEADER)
    for cell in ws[3]:
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    rows = [
        ["1", "巡察", "村级财务公开不及时，部分村未按季度公开收支", "立行立改", "党政办", "李四",
         datetime(2026, 6, 30), "1. 逐村督促公开\n2. 建立季度公开制度", None],
        ["2", None, "食堂采购无台账", "分阶段整改", None, None, None, "建立采购台账", None],
        ["3", None, "消防通道被杂物堵塞", "立行立改", None, None, None, "清理并设立标识", "已清理"],
        [4, "审计", "专项资金拨付滞后", "分阶段整改", "财政所", "王五", "2026年9月30日", "明确拨付时限", None],
        [5, "督查", "防汛物资储备不足", "分阶段整改", "应急办", "赵六", datetime(2026, 12, 31), "补充储备", None],
        [6, None, "应急预案未及时修订", "立行立改", None, None, None, "修订预案", None],
    ]
    for r in rows:
        ws.append(r)
    ws["G4"].number_format = ISO
    ws["G8"].number_format = CHINESE_DATE
    ws["H4"].alignment = Alignment(wrap_text=True)
    for col in "BEFG":
        ws.merge_cells(f"{col}4:{col}6")
        ws.merge_cells(f"{col}8:{col}9")
    second = wb.create_sheet("第二轮")
    second.append(["序号", "问题来源", "问题描述", "整改类别", "责任单位", "责任人", "整改时限"])
    second.append([1, "信访", "群众反映路灯长期不亮", "立行立改", "城建办", "钱七", datetime(2027, 3, 31)])
    second["G2"].number_format = ISO
    wb.save(path)
    return path


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT
    if soffice() is None:
        print("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        source = build(Path(tmp) / f"{STEM}.xlsx")
        for fmt in ("xlsx", "xls", "ods"):
            print(convert(source, fmt, out))
        print(convert(build(Path(tmp) / f"{STEM}-1904.xlsx", mac_1904=True), "xlsx", out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
