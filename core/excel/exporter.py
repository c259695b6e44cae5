"""Export the ledger as an Excel workbook in the city's own layout, so that it imports back unchanged.

Sheet 1 (整改清单): a title row, the header row (the city's columns first, then 问题编号, 问题详情,
整改节点, 整改状态, 预警灯, 预警原因), one row per task; the light as a cell fill; frozen header,
auto-filter, widths that fit Chinese text, A4 landscape with the header repeated on every printed page.

Printing (checked with LibreOffice by tools/check_print_layout.py): one page wide and as many pages long as
the rows need. All 21 columns on one A4 width print at 28 %, unreadable; so the detail columns kept for the
round trip and the city (问题编号, 问题详情, 整改节点, 预警原因, 责任单位, 完成日期) are a collapsed column
group — hidden on paper and on screen until the clerk clicks the group's “+” — and the short columns wrap
in narrower widths: the rest prints at about 55 %. Row heights fit the printed columns' lines.
Sheet 2 (统计): the figures. Written in openpyxl's streaming mode: 10,000 rows in a few seconds.
"""

from __future__ import annotations

from copy import copy
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import enums
from core.excel.columns import CITY_COLUMNS, EXTRA_COLUMNS, PUBLIC_COLUMNS, STATE_COLUMNS, node_line
from core.ledger.queries import LedgerFilter, LedgerQuery
from core.reports.data import progress_text, unit_of
from core.reports.output import write_atomic
from db.models import Task

FILLS = {
    "red": PatternFill("solid", fgColor="F4B6B6"),
    "yellow": PatternFill("solid", fgColor="FFE699"),
    "green": PatternFill("solid", fgColor="C6E0B4"),
}
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "宋体"
WRAP_COLUMNS = {"title", "measures", "description", "nodes", "light_reason", "note", "progress", "source", "batch",
                "section", "leader", "status", "unit"}
MAX_WIDTH = {"title": 30, "measures": 26, "description": 30, "nodes": 32, "light_reason": 30, "note": 16,
             "progress": 24, "source": 10, "batch": 14, "section": 12, "leader": 8, "status": 12, "unit": 14}
# Not printed (a collapsed column group): kept for the round trip and the city, not what a leader reads.
PRINT_HIDDEN = {"city_ref", "description", "nodes", "light_reason", "unit", "completed"}



def _cell(ws: Any, value: Any) -> WriteOnlyCell:
    """A cell holding `value`: text starting with "=" stays text, never becomes a formula (a title like
    “=HYPERLINK(…)” would run when the city opens the sheet, and read back as empty)."""
    if isinstance(value, str):  # control characters (e.g. from the city's package) are illegal in a sheet
        value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\x0b", "\n"))
    c = WriteOnlyCell(ws, value)
    if isinstance(value, str) and value.startswith("="):
        c.data_type = "s"
    return c

def display_width(text: str) -> int:
    """Width in Excel character units: a Chinese character takes two."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def node_lines(nodes: list[Any]) -> str:
    """One line per node, with its completion once done (the import reads it back: core.excel.columns)."""
    return "\n".join(node_line(n.title, n.due, n.status, n.done) for n in nodes)


def ledger_rows(session: Session, today: date) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    unit = unit_of(session)
    q = LedgerQuery(session, today)
    rows = q.page(LedgerFilter(sort="deadline"), limit=None, with_details=True)
    extra = {
        tid: (desc, meas, submitted, closed)
        for tid, desc, meas, submitted, closed in session.execute(
            select(Task.id, Task.description, Task.measures, Task.submitted_at, Task.closed_on)
            .where(Task.deleted.is_(None))
        )
    }
    out = []
    for i, r in enumerate(rows, start=1):
        desc, meas, submitted, closed = extra.get(r.id, ("", "", None, None))
        out.append(
            {
                "seq": i,
                "source": enums.label("source", r.source),
                "batch": r.batch,
                "title": r.title,
                "category": enums.label("category", r.category),
                "leader": r.leader,
                "section": r.section,
                "owner": r.owner,
                "deadline": date.fromisoformat(r.deadline),
                "measures": meas,
                "note": "",
                "city_ref": r.city_ref or "",
                "description": desc,
                "nodes": node_lines(r.nodes),
                "status": enums.label("status", r.status),
                "light": enums.label("light", r.light),
                "light_reason": r.light_reason,
                "completed": date.fromisoformat(submitted[:10]) if submitted else None,
                "progress": progress_text(r.status, closed, r.nodes),
                "closed_on": date.fromisoformat(closed) if closed else None,
                "unit": unit.name,
                "_light": r.light,
            }
        )
    return out, q.dashboard()


LINE_HEIGHT = 13.5  # points per line of 10-pt 宋体 in Excel, WPS and LibreOffice
MAX_ROW_HEIGHT = 409  # Excel's limit


def row_height(row: dict[str, Any], wrap_keys: list[str], widths: dict[str, int]) -> float | None:
    """The height that shows every line of the wrapped cells (None: one line, the default height)."""
    lines = 1
    for key in wrap_keys:
        text = row[key]
        if not text:
            continue
        per_line = max(1, int(widths[key] - 1.5))
        # display width without a Python loop per character: UTF-8 takes 3 bytes for a Chinese character
        # (2 columns) and 1 for a Latin one (1 column), so (bytes + characters) / 2 is the width
        n = sum(max(1, -(-((len(part.encode()) + len(part)) // 2) // per_line)) for part in str(text).split("\n"))
        lines = max(lines, n)
    return None if lines == 1 else min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3)


def export_ledger(session: Session, today: date, path: Path, *, public: bool = False) -> tuple[Path, int]:
    """The ledger as a workbook; `public`: the 公示 version (no person's name, no internal notes)."""
    unit = unit_of(session)
    rows, figures = ledger_rows(session, today)
    columns = PUBLIC_COLUMNS if public else CITY_COLUMNS + EXTRA_COLUMNS + STATE_COLUMNS
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("整改清单（公示）" if public else "整改清单")
    widths = {key: display_width(label) + 2 for key, label in columns}
    for row in rows[:500]:  # widths from a sample: enough to fit, cheap for 10,000 rows
        for key, _ in columns:
            value = row[key]
            text = value.isoformat() if isinstance(value, date) else str(value if value is not None else "")
            longest = max((display_width(part) for part in text.split("\n")), default=0)
            widths[key] = max(widths[key], min(longest + 2, MAX_WIDTH.get(key, 24)))
    hidden = set() if public else PRINT_HIDDEN  # the 公示 version's few columns all print
    for i, (key, _) in enumerate(columns, start=1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = widths[key]
        if key in hidden:
            dim.hidden, dim.outlineLevel = True, 1
        elif i > 1 and columns[i - 2][0] in hidden:
            dim.collapsed = True  # the group's “+” sits on the column after it (summaryRight)
    if hidden & {key for key, _ in columns}:
        # Excel and WPS show the group's buttons only with the sheet's outlineLevelCol, which openpyxl writes
        # from max_outline before it computes it (from the columns, written after): set it ahead.
        ws.column_dimensions.max_outline = 1
        if columns[-1][0] in hidden:
            ws.column_dimensions[get_column_letter(len(columns) + 1)].collapsed = True
    last_col = get_column_letter(len(columns))
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last_col}{len(rows) + 2}"
    # Printing: A4 landscape, one page wide and as many long as needed, the title and header on every page.
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.merged_cells.ranges.add(f"A1:{last_col}1")

    heading = f"{unit.name}{'整改落实情况公示' if public else '整改问题清单'}（截至{today.isoformat()}）"
    title = _cell(ws, heading)
    title.font = Font(name=FONT, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.append([title])
    header = []
    for _, label in columns:
        c = _cell(ws, label)
        c.font = Font(name=FONT, bold=True)
        c.fill = HEADER_FILL
        c.border = BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(c)
    ws.append(header)
    # Styling each cell through openpyxl's descriptors hashes the style objects every time (most of the
    # export's time for 10,000 rows): style one template cell per kind and copy its style index array.
    body_font = Font(name=FONT, size=10)
    wrap = Alignment(vertical="top", wrap_text=True)
    plain = Alignment(vertical="top")

    def template(alignment: Alignment, fill: PatternFill | None = None, number_format: str = "") -> Any:
        c = _cell(ws, None)
        c.font, c.border, c.alignment = body_font, BORDER, alignment
        if fill is not None:
            c.fill = fill
        if number_format:
            c.number_format = number_format
        return c._style

    styles = {key: template(wrap if key in WRAP_COLUMNS else plain) for key, _ in columns}
    for key in ("deadline", "completed", "closed_on"):
        if key in styles:
            styles[key] = template(plain, number_format="yyyy-mm-dd")
    light_styles = {k: template(plain, fill) for k, fill in FILLS.items()}
    keys = [key for key, _ in columns]
    wrap_keys = [key for key in keys if key in WRAP_COLUMNS and key not in hidden]
    for n, row in enumerate(rows, start=3):
        cells: list[Any] = []
        for key in keys:
            value = row[key]
            if value == "" or value is None:
                cells.append(None)  # empty cells cost nothing; the printed grid comes from gridLines
                continue
            c = _cell(ws, value)
            c._style = copy(light_styles.get(row["_light"], styles[key]) if key == "light" else styles[key])
            cells.append(c)
        height = row_height(row, wrap_keys, widths)
        if height is not None:
            ws.row_dimensions[n].height = height
        ws.append(cells)
    _figures_sheet(wb, unit.name, today, figures)
    return write_atomic(Path(path), wb.save), len(rows)


def _figures_sheet(wb: Workbook, unit_name: str, today: date, f: dict[str, Any]) -> None:
    ws = wb.create_sheet("统计")
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 12
    bold = Font(name=FONT, bold=True)

    def line(*values: Any, strong: bool = False, fill: PatternFill | None = None) -> None:
        cells = []
        for v in values:
            c = _cell(ws, v)
            c.font = bold if strong else Font(name=FONT)
            if fill is not None:
                c.fill = fill
            cells.append(c)
        ws.append(cells)

    line(f"{unit_name}整改工作统计（截至{today.isoformat()}）", strong=True)
    line()
    line("项目", "数量", strong=True, fill=HEADER_FILL)
    line("整改任务总数", f["total"])
    line("已销号", f["closed"])
    c_rate = _cell(ws, f["completion_rate"])
    c_rate.number_format = "0.0%"
    ws.append([_cell(ws, "整改完成率"), c_rate])
    line("逾期未完成任务", f["overdue_tasks"])
    line("逾期未完成节点", f["overdue_nodes"])
    line()
    line("预警灯", "数量", strong=True, fill=HEADER_FILL)
    for k in ("red", "yellow", "green"):
        line(enums.label("light", k), f["by_light"][k], fill=FILLS[k])
    line()
    line("状态", "数量", strong=True, fill=HEADER_FILL)
    for k, v in f["by_status"].items():
        line(enums.label("status", k), v)
    line()
    line("问题来源", "任务数", "已销号", strong=True, fill=HEADER_FILL)
    for k, v in sorted(f["by_source"].items(), key=lambda kv: -kv[1]):
        line(enums.label("source", k), v, f["closed_by_source"].get(k, 0))
    line()
    line("整改类别", "任务数", strong=True, fill=HEADER_FILL)
    for k, v in sorted(f["by_category"].items(), key=lambda kv: -kv[1]):
        line(enums.label("category", k), v)
