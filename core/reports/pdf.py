"""PDF reports: 整改报告 (summary, GB/T 9704-2012), 台账 (ledger), single task, 月报 (monthly), simple tables.

Every renderer takes plain data from core.reports.data and a FontSet, writes to a temporary file,
flushes it and renames it into place, so a failed report never leaves half a file behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from core import enums
from core.reports import data as D
from core.reports import layout as L
from core.reports import summary as S
from core.reports.data import LedgerData, MonthData, TaskDetail
from core.reports.fonts import FontSet, load_fonts
from core.reports.output import write_atomic
from core.reports.proof import Seal
from core.reports.stamp import Stamp
from core.reports.summary import cn_date, percent

KINDS = {
    "summary": "整改报告",
    "ledger": "整改台账",
    "task": "整改任务情况",
    "monthly": "整改工作月报",
    "public": "整改落实情况公示",
}
PLAIN_MARGIN = 20 * mm


_SPACE_BY_CJK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+|[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])")


def tidy(text: str) -> str:
    """No spaces between Chinese characters and numbers in running text (逾期 17 天 -> 逾期17天)."""
    return _SPACE_BY_CJK.sub("", text)


# -- the document ---------------------------------------------------------------------------
class ReportDoc(BaseDocTemplate):
    """Three page templates: the GB/T 9704 portrait grid, landscape for wide tables, plain portrait."""

    def __init__(
        self,
        path: Path,
        fonts: FontSet,
        *,
        title: str,
        subject: str,
        author: str,
        keywords: str,
        first: str = "official",
    ) -> None:
        super().__init__(
            str(path),
            pagesize=A4,
            title=title,
            subject=subject,
            author=author,
            keywords=keywords,
            creator="RectiDesk 整改通",
            initialFontName=fonts.font("song"),
            initialFontSize=12,
            leftMargin=L.LEFT_MARGIN,
            rightMargin=L.PAGE_W - L.LEFT_MARGIN - L.BLOCK_W,
            topMargin=L.TOP_MARGIN,
            bottomMargin=L.BLOCK_BOTTOM,
        )
        numbers = L.page_number_drawer(fonts)
        official = _template("official", A4, numbers, L.LEFT_MARGIN, L.BLOCK_BOTTOM, L.BLOCK_W, L.BLOCK_H + 0.01)
        land_h = L.LAND_H - 2 * L.LAND_MARGIN - 8 * mm
        wide = _template(
            "landscape",
            landscape(A4),
            numbers,
            L.LAND_MARGIN,
            L.LAND_MARGIN + 8 * mm,
            L.LAND_W - 2 * L.LAND_MARGIN,
            land_h,
        )
        plain = _template(
            "plain",
            A4,
            numbers,
            PLAIN_MARGIN,
            PLAIN_MARGIN + 8 * mm,
            L.PAGE_W - 2 * PLAIN_MARGIN,
            L.PAGE_H - 2 * PLAIN_MARGIN - 8 * mm,
        )
        order = {
            "official": [official, wide, plain],
            "landscape": [wide, official, plain],
            "plain": [plain, official, wide],
        }[first]
        self.addPageTemplates(order)


def _template(
    name: str, size: tuple[float, float], on_page: Callable[..., None], x: float, y: float, width: float, height: float
) -> PageTemplate:
    frame = Frame(x, y, width, height, id=name, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    return PageTemplate(name, pagesize=size, onPage=on_page, frames=[frame])


def _doc(
    tmp: Path, fonts: FontSet, title: str, kind: str, unit_name: str, stamp: Stamp | None, first: str
) -> ReportDoc:
    return ReportDoc(
        tmp,
        fonts,
        title=title,
        subject=KINDS.get(kind, kind),
        author=unit_name,
        keywords=stamp.payload() if stamp else "",
        first=first,
    )


# -- small building blocks ------------------------------------------------------------------
def _style(
    fonts: FontSet,
    role: str,
    size: float,
    *,
    align: int = 0,
    leading: float | None = None,
    space_before: float = 0,
    space_after: float = 0,
) -> ParagraphStyle:
    return ParagraphStyle(
        f"{role}-{size}-{align}",
        fontName=fonts.font(role),
        fontSize=size,
        leading=leading or size * 1.5,
        alignment=align,
        wordWrap="CJK",
        spaceBefore=space_before,
        spaceAfter=space_after,
    )


def para(fonts: FontSet, text: str, role: str = "song", size: float = 12, **kw: Any) -> Paragraph:
    return Paragraph(fonts.markup(text, role).replace("\n", "<br/>"), _style(fonts, role, size, **kw))


class StampBlock(Flowable):
    """The QR code with the report's stamp and its words beside it, after the content, inside the text block.

    Never in a margin (the bottom margin holds the page number and is cut by some printers): where the
    full size does not fit, a smaller code (down to 16 mm) does; where neither fits, it starts the next page."""

    SMALL = 15 * mm  # still read by a phone: about 0.3 mm per module
    PAD = 3 * mm  # above the code, apart from the content

    def __init__(self, fonts: FontSet, stamp: Stamp, size: float = 28 * mm) -> None:
        super().__init__()
        self.fonts = fonts
        self.stamp = stamp
        self.size = size
        self._drawn = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self._drawn = max(self.SMALL, min(self.size, availHeight - self.PAD))
        return availWidth, self._drawn + self.PAD

    def draw(self) -> None:
        self._draw_at(self.width - self._drawn, 0, self._drawn, text_left=True)

    def _draw_at(self, x: float, y: float, size: float, *, text_left: bool) -> None:
        widget = QrCodeWidget(self.stamp.payload(), barLevel="M", barBorder=2)
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.initialFontName = self.fonts.font("song")  # else ReportLab adds an unembedded Helvetica
        drawing.add(widget)
        drawing.drawOn(self.canv, x, y)
        lines = [
            "报告校验码（扫码或用“核验报告”功能核对台账是否变动）",
            f"单位代码：{self.stamp.unit_code}　生成日期：{self.stamp.date}",
            f"台账摘要 SHA-256：{self.stamp.sha256[:32]}",
            f"{self.stamp.sha256[32:]}",
        ]
        step = min(11.0, (size - 8) / (len(lines) - 1))  # the words stay beside the code, however small
        ty = y + size - 8
        for line in lines:
            width = self.fonts.string_width(line, "song", 8)
            cx = x - 3 * mm - width if text_left else x + size + 3 * mm
            for name, chunk in self.fonts.runs(line, "song"):
                self.canv.setFont(name, 8)
                self.canv.drawString(cx, ty, chunk)
                cx += L.pdfmetrics.stringWidth(chunk, name, 8)
            ty -= step


def _stamp(unit_code: str, today: date, kind: str, digest: str) -> Stamp:
    return Stamp(unit_code, today.isoformat(), kind, digest)


def _light(light: str) -> str:
    return enums.label("light", light)


# -- 整改报告 (summary) -----------------------------------------------------------------------
def official_story(blocks: Sequence[S.Block], fonts: FontSet) -> list[Flowable]:
    """The blocks of a 公文 on the GB/T 9704 grid; a heading is never left alone at a page foot (as Word's
    keep-with-next: when fewer than the heading and two lines of what follows fit, it starts the next page)."""
    story: list[Flowable] = []
    signature = [b.text for b in blocks if b.role == "signature"]
    for block in blocks:
        role, text = block.role, block.text
        if role == "title":
            story.append(L.GridText(text, fonts, "title", size=L.SIZE_2, indent_chars=0, align="center"))
        elif role == "blank":
            story.append(L.GridSpacer())
        elif role == "recipient":  # §7.3.2: under the title, flush left
            story.append(L.GridText(text, fonts, "fang", indent_chars=0, align="left"))
        elif role in ("h1", "h2"):
            story.append(CondPageBreak(3 * L.GRID_LEADING + 0.5))
            story.append(L.GridText(text, fonts, "hei" if role == "h1" else "kai"))
        elif role == "annex":
            story.append(L.GridText(text, fonts, "fang"))
        elif role == "body":
            story.append(L.GridText(tidy(text), fonts, "fang"))
    if len(signature) == 2:
        story.append(CondPageBreak(2 * L.GRID_LEADING + 0.5))
        story.extend(_signature(fonts, signature[0], signature[1]))
    return story


def summary_story(data: LedgerData, fonts: FontSet, recipient: str = S.DEFAULT_RECIPIENT) -> list[Flowable]:
    story = official_story(S.summary_blocks(data, recipient), fonts)
    story.append(NextPageTemplate("landscape"))
    story.append(PageBreak())
    story.append(para(fonts, "附件", "hei", L.SIZE_3, leading=L.SIZE_3 * 1.6))
    story.append(para(fonts, "整改问题清单", "title", 20, align=1, leading=32, space_after=6))
    story.append(ledger_table(data, fonts))
    return story


def _signature(fonts: FontSet, unit_name: str, date_text: str) -> list[Flowable]:
    """GB/T 9704 §7.3.5.2: the unit right-aligned two characters in; the date below, starting two characters
    further right (or right-aligned two characters in when it is the longer one)."""
    cell = L.GRID_CELL
    name_w = L.GridText(unit_name, fonts, "fang").natural_width()
    date_w = L.GridText(date_text, fonts, "fang").natural_width()
    right = L.BLOCK_W - 2 * cell
    name_x = right - name_w
    date_x = name_x + 2 * cell
    if date_x + date_w > right:
        date_x = right - date_w
        name_x = date_x - 2 * cell
    return [
        L.GridText(unit_name, fonts, "fang", indent_chars=0, align="left", left_pt=max(0.0, name_x)),
        L.GridText(date_text, fonts, "fang", indent_chars=0, align="left", left_pt=max(0.0, date_x)),
    ]


# Every ledger-like table opens with the same six columns (their cells: `_row_cells`).
_FIRST_COLUMNS = ("序号", "编号", "问题", "来源", "类别", "责任科室")
LEDGER_HEADERS = (*_FIRST_COLUMNS, "责任人", "整改期限", "下一节点", "状态", "预警灯及原因")
LEDGER_WIDTHS_MM = (11, 30, 58, 16, 18, 20, 14, 21, 21, 17, 58)
# The ledger PDF (整改台账) also carries what a city's 台账 template has: 整改措施 and 完成情况.
FULL_HEADERS = (*_FIRST_COLUMNS, "责任人", "整改期限", "整改措施", "状态", "整改进展/完成情况", "预警灯及原因")
FULL_WIDTHS_MM = (10, 28, 42, 13, 14, 17, 13, 22, 46, 15, 40, 38)
# The 公示 version: no person's name, no notes, no light reasons (internal); the 责任科室 stays.
PUBLIC_HEADERS = (*_FIRST_COLUMNS, "整改措施", "整改期限", "整改状态", "整改进展/完成情况")
PUBLIC_WIDTHS_MM = (10, 30, 58, 15, 16, 20, 58, 23, 17, 48)


def _scaled(widths_mm: Sequence[float], width: float) -> list[float]:
    """Column widths in points: the proportions of `widths_mm`, scaled to fill `width`."""
    scale = width / (sum(widths_mm) * mm)
    return [w * mm * scale for w in widths_mm]


def _row_cells(data: LedgerData, i: int, r: Any) -> dict[str, Any]:
    """One ledger row's cells by column header: every ledger-like table takes its columns from here."""
    status = enums.label("status", r.status)
    return {
        "序号": str(i), "编号": r.city_ref or "", "问题": r.title, "来源": enums.label("source", r.source),
        "类别": enums.label("category", r.category), "责任科室": r.section, "责任人": r.owner,
        "整改期限": r.deadline, "下一节点": r.next_due or "", "整改措施": data.measures(r.id), "状态": status,
        "整改状态": status, "整改进展/完成情况": D.progress_text(r.status, data.closed_on(r.id), r.nodes),
    }


def _rows_table(data: LedgerData, fonts: FontSet, headers: Sequence[str], widths_mm: Sequence[float],
                width: float | None, size: float, total: list[str], last: str = "") -> Flowable:
    """A row per task with the columns `headers` names, and a 合计 row: `total`'s third cell spans the columns
    up to the last one, which holds `last` (or is spanned too when there is none)."""
    widths = _scaled(widths_mm, width or (L.LAND_W - 2 * L.LAND_MARGIN))
    make = L.CellMaker(fonts, widths, "song", size)
    rows = []
    for i, r in enumerate(data.rows, start=1):
        cells = _row_cells(data, i, r)
        if "预警灯及原因" in headers:
            cells["预警灯及原因"] = make.rich(L.light_markup(fonts, r.light, _light(r.light), tidy(r.light_reason)))
        rows.append([cells[h] for h in headers])
    total = total + [""] * (len(headers) - len(total) - bool(last)) + ([last] if last else [])
    table = L.data_table(fonts, headers, rows, widths, size=size, total_row=total)
    table.setStyle(TableStyle([("SPAN", (2, -1), (-2 if last else -1, -1)), ("ALIGN", (0, 0), (0, -1), "CENTER")]))
    return table


def ledger_table(data: LedgerData, fonts: FontSet, width: float | None = None, *, full: bool = False) -> Flowable:
    f = data.figures
    lights = f["by_light"]
    total = ["合计", f"{f['total']}项", f"已销号{f['closed']}项，完成率{percent(f['completion_rate'])}"]
    last = f"红灯{lights['red']} 黄灯{lights['yellow']} 绿灯{lights['green']}"
    if full:
        return _rows_table(data, fonts, FULL_HEADERS, FULL_WIDTHS_MM, width, 8.5, total, last)
    return _rows_table(data, fonts, LEDGER_HEADERS, LEDGER_WIDTHS_MM, width, 9, total, last)


def public_table(data: LedgerData, fonts: FontSet, width: float | None = None) -> Flowable:
    f = data.figures
    total = ["合计", f"{f['total']}项", f"已整改完成并销号{f['closed']}项，完成率{percent(f['completion_rate'])}"]
    return _rows_table(data, fonts, PUBLIC_HEADERS, PUBLIC_WIDTHS_MM, width, 9, total)


def _write(
    path: Path, build: Callable[[Path], object], stamp: Stamp, seal: Seal | None, reason: str
) -> Path:
    """Build the PDF into a temporary file, seal it (signature, hash) and rename it into place."""

    def go(tmp: Path) -> None:
        build(tmp)
        if seal is not None:
            seal(tmp, stamp, reason)

    return write_atomic(path, go)


def _landscape_table(data: LedgerData, path: Path, fonts: FontSet | None, seal: Seal | None, *, kind: str,
                     title: str, subtitle: str, table: Callable[[FontSet], Flowable], author: str) -> Path:
    """A landscape list of the ledger (公示, 台账): title, one line of figures, the table, the stamp."""
    fonts = fonts or load_fonts()
    stamp = _stamp(data.unit_code, data.today, kind, data.digest)
    story: list[Flowable] = [
        para(fonts, title, "title", 20, align=1, leading=30),
        para(fonts, subtitle, "song", 10.5, align=1, leading=16, space_after=6),
        table(fonts),
        StampBlock(fonts, stamp),
    ]
    return _write(
        path,
        lambda tmp: _doc(tmp, fonts, title, kind, author, stamp, "landscape").build(story),
        stamp,
        seal,
        title,
    )


def render_public(data: LedgerData, path: Path, fonts: FontSet | None = None, seal: Seal | None = None) -> Path:
    """整改落实情况公示: every problem with its source, measures, deadline and state, for publishing —
    no person's name (责任人, 责任领导, users), no evidence hashes, notes or history."""
    f = data.figures
    return _landscape_table(
        data, path, fonts, seal, kind="public", title=f"{data.unit_name}整改落实情况公示",
        subtitle=f"截至{cn_date(data.today)}，共{f['total']}个问题，已整改完成并销号{f['closed']}个",
        table=lambda fs: public_table(data, fs), author="",
    )


def render_summary(
    data: LedgerData,
    path: Path,
    fonts: FontSet | None = None,
    seal: Seal | None = None,
    recipient: str = S.DEFAULT_RECIPIENT,
) -> Path:
    fonts = fonts or load_fonts()
    stamp = _stamp(data.unit_code, data.today, "summary", data.digest)
    story = summary_story(data, fonts, recipient)
    story.append(StampBlock(fonts, stamp))
    title = S.title_of(data)
    return _write(
        path,
        lambda tmp: _doc(tmp, fonts, title, "summary", data.unit_name, stamp, "official").build(story),
        stamp,
        seal,
        title,
    )


# -- 台账 (ledger) -----------------------------------------------------------------------------
def render_ledger(data: LedgerData, path: Path, fonts: FontSet | None = None, seal: Seal | None = None) -> Path:
    day = cn_date(data.today)
    return _landscape_table(
        data, path, fonts, seal, kind="ledger", title=f"{data.unit_name}整改台账",
        subtitle=f"截至{day}　共{data.figures['total']}项　预警灯按{day}计算",
        table=lambda fs: ledger_table(data, fs, full=True), author=data.unit_name,
    )


# -- single task ------------------------------------------------------------------------------
def _section(fonts: FontSet, text: str) -> Paragraph:
    return para(fonts, text, "hei", 13, leading=20, space_before=8, space_after=4)


def render_task(data: TaskDetail, path: Path, fonts: FontSet | None = None, seal: Seal | None = None) -> Path:
    fonts = fonts or load_fonts()
    stamp = _stamp(data.unit_code, data.today, "task", data.digest)
    t = data.task
    width = L.PAGE_W - 2 * PLAIN_MARGIN
    story: list[Flowable] = [
        para(fonts, "整改任务情况", "title", 20, align=1, leading=30),
        para(fonts, t["title"], "kai", 14, align=1, leading=22, space_after=8),
    ]
    fields = [
        ("编号", t["city_ref"] or t["id"]),
        ("问题来源", enums.label("source", t["source"])),
        ("整改类别", enums.label("category", t["category"])),
        ("批次", t["batch"]),
        ("责任领导", t["leader"]),
        ("责任科室", t["section"]),
        ("责任人", t["owner"]),
        ("整改期限", t["deadline"]),
        ("状态", enums.label("status", t["status"])),
        ("销号日期", t["closed_on"]),
        ("登记日期", t["created"]),
    ]
    kv_widths = [26 * mm, width / 2 - 26 * mm] * 2
    make = L.CellMaker(fonts, kv_widths, "song", 10.5)
    kv_rows = []
    for i in range(0, len(fields), 2):
        pair = fields[i : i + 2] + ([("", "")] if i + 1 >= len(fields) else [])
        kv_rows.append([make(pair[0][0], 0), make(pair[0][1], 1), make(pair[1][0], 2), make(pair[1][1], 3)])
    light_color, reason = data.light
    kv_rows.append(
        [
            make("预警灯", 0),
            make.rich(L.light_markup(fonts, light_color, _light(light_color), tidy(reason))),
            "",
            "",
        ]
    )
    kv = Table(kv_rows, colWidths=kv_widths)
    kv.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONT", (0, 0), (-1, -1), fonts.font("song"), 10.5),
                ("FONT", (0, 0), (0, -1), fonts.font("hei"), 10.5),
                ("FONT", (2, 0), (2, -1), fonts.font("hei"), 10.5),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F0F0F0")),
                ("BACKGROUND", (2, 0), (2, -2), colors.HexColor("#F0F0F0")),
                ("SPAN", (1, -1), (3, -1)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story.append(kv)
    story.append(_section(fonts, "一、问题描述"))
    story.append(para(fonts, t["description"] or t["title"], "song", 11, leading=18))
    story.append(_section(fonts, "二、整改措施"))
    story.append(para(fonts, t["measures"] or "（未填写）", "song", 11, leading=18))
    if t["review_comment"]:
        story.append(para(fonts, f"审核意见：{t['review_comment']}", "song", 11, leading=18))
    story.append(_section(fonts, "三、整改节点"))
    node_rows = [
        [
            n["seq"],
            n["title"],
            n["due"],
            n["done"],
            _node_status(n["status"]),
            n["done_by"],
            n["confirmed_by"],
            n["note"] + (f"（市平台：{n['city_result']}）" if n["city_result"] else ""),
        ]
        for n in data.nodes
    ]
    story.append(
        _table_or_none(
            fonts,
            ("序号", "节点", "期限", "完成日期", "状态", "填报人", "核查人", "说明"),
            node_rows,
            (10, 40, 20, 20, 16, 16, 16, 32),
            width,
        )
    )
    story.append(_section(fonts, "四、佐证材料"))
    ev_rows = [
        [i, e["filename"], e["node"], _size(e["size"]), e["added"], e["by"], e["sha256"]]
        for i, e in enumerate(data.evidence, start=1)
    ]
    story.append(
        _table_or_none(
            fonts,
            ("序号", "文件名", "节点", "大小", "添加日期", "添加人", "SHA-256"),
            ev_rows,
            (10, 42, 10, 16, 20, 16, 56),
            width,
            size=8.5,
        )
    )
    story.append(_section(fonts, "五、督办通知及反馈"))
    notice_rows = []
    for n in data.notices:
        replies = "\n".join(f"{r['responded']} {r['by']}：{r['text']}" for r in n["responses"]) or "尚未反馈"
        notice_rows.append(
            [
                n["id"],
                enums.NOTICE_LEVELS.get(n["level"], n["level"]),
                n["issued"],
                f"{n['title']}\n{n['text']}",
                n["respond_by"],
                "已办结" + (f"（{n['closed']}）" if n["closed"] else "") if n["state"] == "closed" else "未办结",
                replies,
            ]
        )
    story.append(
        _table_or_none(
            fonts,
            ("编号", "级别", "下发日期", "内容", "反馈期限", "状态", "本单位反馈"),
            notice_rows,
            (22, 16, 18, 50, 18, 18, 40),
            width,
        )
    )
    story.append(_section(fonts, "六、审核结果"))
    review_rows = [
        [
            r["reviewed"],
            "任务" if r["target"] == "task" else f"节点{r['node']}",
            {"accepted": "通过", "returned": "退回"}.get(r["result"], r["result"]),
            r["reviewer"],
            r["comment"],
        ]
        for r in data.reviews
    ]
    if data.deductions:
        for d in data.deductions:
            review_rows.append(
                [
                    d["issued"],
                    "扣分",
                    f"{enums.DEDUCTION_KINDS.get(d['kind'], d['kind'])}"
                    f" {d['points']:g}分" + ("（已撤销）" if d["reversed"] else ""),
                    "",
                    d["reason"],
                ]
            )
    story.append(
        _table_or_none(fonts, ("日期", "对象", "结果", "审核单位", "意见"), review_rows, (22, 18, 22, 40, 80), width)
    )
    story.append(_section(fonts, "七、责任交接"))
    ho_rows = [[h["date"], h["from"], h["to"], h["by"], h["note"]] for h in data.handovers]
    story.append(
        _table_or_none(fonts, ("日期", "移交人", "接收人", "经办人", "说明"), ho_rows, (22, 24, 24, 24, 80), width)
    )
    story.append(StampBlock(fonts, stamp))
    title = f"整改任务情况：{t['title']}"
    return _write(
        path,
        lambda tmp: _doc(tmp, fonts, title, "task", data.unit_name, stamp, "plain").build(story),
        stamp,
        seal,
        title,
    )


def _node_status(status: str) -> str:
    return enums.NODE_STATUSES.get(status, status)


def _size(n: int) -> str:
    from core.text import human_size

    return human_size(n)


def _table_or_none(
    fonts: FontSet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths_mm: Sequence[float],
    width: float,
    size: float = 9.5,
) -> Flowable:
    if not rows:
        return para(fonts, "无。", "song", 11, leading=18)
    return L.data_table(fonts, headers, rows, _scaled(widths_mm, width), size=size)


# -- 月报 (monthly) ------------------------------------------------------------------------------
def _drawing(fonts: FontSet, width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    d.initialFontName = fonts.font("song")  # else ReportLab adds an unembedded Helvetica
    return d


def _label(fonts: FontSet, x: float, y: float, text: str, role: str = "hei", size: float = 11) -> String:
    """A chart caption in one font that has every one of its characters."""
    name, safe = fonts.safe_text(text, role)
    return String(x, y, safe, fontName=name, fontSize=size)


def _chart_font(fonts: FontSet) -> str:
    return fonts.font("song")


def months_chart(data: MonthData, fonts: FontSet, width: float) -> Drawing:
    d = _drawing(fonts, width, 70 * mm)
    font = _chart_font(fonts)
    d.add(_label(fonts, 0, 66 * mm, "近12个月新增与销号任务数"))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 28, width - 120, 54 * mm
    chart.data = [[m[1] for m in data.months], [m[2] for m in data.months]]
    chart.categoryAxis.categoryNames = [f"{int(m[0][5:])}月" for m in data.months]
    _style_axes(chart, font)
    chart.bars[0].fillColor = colors.HexColor("#5B7DB1")
    chart.bars[1].fillColor = colors.HexColor("#2E7D32")
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 80, 50 * mm
    legend.fontName = font
    legend.fontSize = 9
    legend.colorNamePairs = [(colors.HexColor("#5B7DB1"), "新增"), (colors.HexColor("#2E7D32"), "销号")]
    d.add(legend)
    return d


def _style_axes(chart: VerticalBarChart | HorizontalBarChart, font: str) -> None:
    """Both bar charts: axis labels in the Chinese face at 8 pt, counting from zero."""
    for labels in (chart.categoryAxis.labels, chart.valueAxis.labels):
        labels.fontName = font
        labels.fontSize = 8
    chart.valueAxis.valueMin = 0


def lights_chart(data: MonthData, fonts: FontSet, width: float) -> Drawing:
    d = _drawing(fonts, width, 62 * mm)
    font = _chart_font(fonts)
    d.add(_label(fonts, 0, 58 * mm, "预警灯分布（按报告日期）"))
    values = [data.lights.get(k, 0) for k in ("red", "yellow", "green")]
    if sum(values):
        pie = Pie()
        pie.x, pie.y, pie.width, pie.height = 20, 8, 44 * mm, 44 * mm
        pie.data = [v or 0.0001 for v in values]
        pie.labels = None
        for i, k in enumerate(("red", "yellow", "green")):
            pie.slices[i].fillColor = L.LIGHT_COLORS[k]
            pie.slices[i].strokeColor = colors.white
        d.add(pie)
    legend = Legend()
    legend.x, legend.y = 60 * mm, 42 * mm
    legend.fontName = font
    legend.fontSize = 10
    legend.colorNamePairs = [
        (L.LIGHT_COLORS[k], f"{_light(k)} {v}项") for k, v in zip(("red", "yellow", "green"), values, strict=True)
    ]
    d.add(legend)
    sources = data.by_source[:6]
    if sources:
        bars = HorizontalBarChart()
        bars.x, bars.y, bars.width, bars.height = width / 2 + 50, 8, width / 2 - 70, 44 * mm
        bars.data = [[s[1] for s in sources], [s[2] for s in sources]]
        bars.categoryAxis.categoryNames = [fonts.safe_text(enums.label("source", s[0]), "song")[1] for s in sources]
        _style_axes(bars, font)
        bars.bars[0].fillColor = colors.HexColor("#9E9E9E")
        bars.bars[1].fillColor = colors.HexColor("#2E7D32")
        d.add(bars)
        d.add(_label(fonts, width / 2 + 10, 58 * mm, "按来源：任务数（灰）与已完成（绿）"))
    return d


def render_monthly(data: MonthData, path: Path, fonts: FontSet | None = None, seal: Seal | None = None) -> Path:
    fonts = fonts or load_fonts()
    stamp = _stamp(data.unit_code, data.today, "monthly", data.digest)
    y, m = data.period.split("-")
    width = L.PAGE_W - 2 * PLAIN_MARGIN
    f = data.figures
    title = f"{data.unit_name}整改工作月报"
    story: list[Flowable] = [
        para(fonts, title, "title", 20, align=1, leading=30),
        para(fonts, f"（{int(y)}年{int(m)}月）", "kai", 14, align=1, leading=22, space_after=8),
        _section(fonts, "一、本月进展"),
        para(
            fonts,
            f"本月新增整改任务{f['created']}项，销号{f['closed']}项；本月到期节点{f['nodes_due']}个，"
            f"已完成{f['nodes_due_done']}个；本月填报完成节点{f['nodes_done']}个，上传佐证材料"
            f"{f['evidence']}份，收到督办通知{f['notices']}份。截至{cn_date(data.today)}，累计承担整改任务"
            f"{f['total']}项，已销号{f['total_closed']}项，整改完成率{percent(f['completion_rate'])}。",
            "song",
            11,
            leading=19,
        ),
        _section(fonts, "二、图表"),
        months_chart(data, fonts, width),
        Spacer(1, 4 * mm),
        lights_chart(data, fonts, width),
        _section(fonts, "三、本月到期节点"),
    ]
    rows = [
        [n["due"], n["task"], f"{n['seq']}. {n['title']}", n["done"], _node_status(n["status"])] for n in data.due_nodes
    ]
    story.append(
        _table_or_none(fonts, ("期限", "整改任务", "节点", "完成日期", "状态"), rows, (20, 70, 50, 20, 18), width)
    )
    story.append(_section(fonts, "四、本月销号任务"))
    rows = [[c["closed_on"], c["ref"], c["title"]] for c in data.closed_tasks]
    story.append(_table_or_none(fonts, ("销号日期", "编号", "整改任务"), rows, (22, 30, 120), width))
    story += _points_section(fonts, data.points, width)
    story.append(StampBlock(fonts, stamp))
    return _write(
        path,
        lambda tmp: _doc(tmp, fonts, f"{title}（{data.period}）", "monthly", data.unit_name, stamp, "plain").build(
            story
        ),
        stamp,
        seal,
        title,
    )


def _points_section(fonts: FontSet, points: dict[str, Any], width: float) -> list[Flowable]:
    """五、扣分与申诉: the city's deductions (a reversed one marked and not counted), pending appeals, red tasks."""
    if not points:
        return []
    t = points["totals"]
    out: list[Flowable] = [
        _section(fonts, "五、扣分与申诉"),
        para(fonts, f"市平台累计预扣分{t['pre']:g}分、扣分{t['final']:g}分（已撤销{t['reversed']:g}分，不计入）；"
                    f"待市平台答复的申诉{len(points['appeals_pending'])}件；未销号的红灯任务"
                    f"{points['red_at_risk_count']}项，有继续扣分的风险。", "song", 11, leading=19),
    ]
    rows = [[d["issued"], enums.DEDUCTION_KINDS.get(d["kind"], d["kind"]),
             f"{d['points']:g}" + ("（已撤销）" if d["reversed"] else ""), d["task_title"] or d["task_ref"],
             d["reason"]] for d in points["deductions"]]
    out.append(_table_or_none(fonts, ("日期", "类型", "分值", "整改任务", "原因"), rows, (22, 16, 22, 60, 52), width))
    return out


# -- a plain table document (交接清单 and the like) --------------------------------------------
def render_table_document(
    path: Path,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    subtitle: str = "",
    widths_mm: Sequence[float] | None = None,
    landscape_pages: bool = False,
    notes: Sequence[str] = (),
    signatures: Sequence[str] = (),
    author: str = "",
    font_size: float = 10.5,
) -> Path:
    """A titled table with the report fonts (embedded, no missing glyphs), header repeated on each page,
    optional note lines below and signature blanks (e.g. ("移交人", "接收人", "监交人"))."""
    fonts = load_fonts()
    width = (L.LAND_W - 2 * L.LAND_MARGIN) if landscape_pages else (L.PAGE_W - 2 * PLAIN_MARGIN)
    ws = list(widths_mm) if widths_mm else [1.0] * len(headers)
    scale = width / sum(ws)
    story: list[Flowable] = [para(fonts, title, "title", 20, align=1, leading=30)]
    if subtitle:
        story.append(para(fonts, subtitle, "kai", 12, align=1, leading=20, space_after=6))
    story.append(
        L.data_table(fonts, headers, rows, [w * scale for w in ws], size=font_size)
        if rows
        else para(fonts, "无。", "song", 11)
    )
    for line in notes:
        story.append(para(fonts, line, "song", 11, leading=18, space_before=4))
    if signatures:
        cells = [f"{s}（签字）：" for s in signatures]
        sig = Table(
            [cells, ["日期：" for _ in signatures]],
            colWidths=[width / len(signatures)] * len(signatures),
            rowHeights=[14 * mm, 8 * mm],
        )
        sig.setStyle(
            TableStyle([("FONT", (0, 0), (-1, -1), fonts.font("song"), 11), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
        )
        story.append(Spacer(1, 10 * mm))
        story.append(sig)
    return write_atomic(
        path,
        lambda tmp: _doc(tmp, fonts, title, "table", author, None, "landscape" if landscape_pages else "plain").build(
            story
        ),
    )


# -- entry point ----------------------------------------------------------------------------------
def render_report(
    session: Any,
    today: date,
    kind: str,
    path: Path,
    *,
    task_id: str | None = None,
    period: str | None = None,
    seal: Seal | None = None,
) -> tuple[Path, FontSet]:
    """Gather the data for `kind` from the ledger and render it; returns the path and the fonts used."""
    from core.errors import UsageError

    fonts = load_fonts()
    fonts.missing.clear()
    if kind == "summary":
        render_summary(D.ledger_data(session, today), path, fonts, seal, S.recipient(session))
    elif kind == "ledger":
        render_ledger(D.ledger_data(session, today), path, fonts, seal)
    elif kind == "public":
        render_public(D.ledger_data(session, today), path, fonts, seal)
    elif kind == "task":
        if not task_id:
            raise UsageError("生成单个任务的报告需要指定任务。", hint="请用 --task 指定任务编号。",
                             window_hint="请先在整改台账中选中一条任务。")
        render_task(D.task_detail(session, today, task_id), path, fonts, seal)
    elif kind == "monthly":
        if period and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
            raise UsageError(f"月份“{period}”格式不对。", hint="请写成 年-月，例如 2026-04。")
        render_monthly(D.month_data(session, today, period or today.strftime("%Y-%m")), path, fonts, seal)
    else:
        raise UsageError(f"没有“{kind}”这种报告。", hint="可选：summary、ledger、task、monthly、public。")
    return Path(path), fonts
