"""Page layout for official documents (GB/T 9704-2012) and wide tables: grids, page numbers, tables.

The body of a 公文 sits on a grid of 22 lines × 28 characters in a 156 × 225 mm text block. `GridText`
lays Chinese text on that grid itself (ReportLab's Paragraph has no character spacing, and 28 characters
of 16 pt are 2 mm wider than 156 mm, so Word-style grid snapping needs a spacing of −0.2 pt): it breaks
lines so that none starts with closing punctuation nor ends with opening punctuation, keeps Latin words
and numbers whole, justifies full lines and splits across pages line by line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import ALL_CANNOT_START
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, LongTable, Paragraph, TableStyle
from reportlab.platypus import paragraph as _rl_paragraph

from core.reports.fonts import FontSet

# GB/T 9704-2012 §5.2: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; §5.2.2: 22 lines × 28 characters.
PAGE_W, PAGE_H = A4
TOP_MARGIN = 37 * mm
LEFT_MARGIN = 28 * mm
BLOCK_W = 156 * mm
BLOCK_H = 225 * mm
BLOCK_BOTTOM = PAGE_H - TOP_MARGIN - BLOCK_H
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
GRID_LEADING = BLOCK_H / LINES_PER_PAGE
GRID_CELL = BLOCK_W / CHARS_PER_LINE
SIZE_2 = 22.0  # 二号: the title
SIZE_3 = 16.0  # 三号: the body and headings
SIZE_4 = 14.0  # 四号: page numbers
SIZE_5 = 10.5  # 五号: tables

# Wide tables (ledger, appendices): A4 landscape with 20 mm margins.
LAND_W, LAND_H = landscape(A4)
LAND_MARGIN = 18 * mm

# GB/T 15834 punctuation that may not start a line (避头) or end one (避尾); ReportLab's own list is
# Japanese and misses the full-width comma, colon, semicolon and closing quotes.
CANNOT_START = set(ALL_CANNOT_START) | set("，。、；：！？）》」』】〕］｝〉”’…％‰℃,.;:!?)]}")
CANNOT_END = "‘“（［｛〔〈《「『【([{"
# Table cells use ReportLab's CJK wrapping, which reads these module globals: give them the full list.
_rl_paragraph.ALL_CANNOT_START = _rl_textsplit.ALL_CANNOT_START = "".join(sorted(CANNOT_START))
_TOKEN = re.compile(r"[A-Za-z0-9_.,:;%/+#&'@\-]+|\s+|.", re.S)

LIGHT_COLORS = {
    "red": colors.HexColor("#D32F2F"),
    "yellow": colors.HexColor("#F2A900"),
    "green": colors.HexColor("#2E7D32"),
}


class GridText(Flowable):
    """One paragraph of Chinese text on the document grid (lines of `leading`, characters of `cell`)."""

    def __init__(
        self,
        text: str,
        fonts: FontSet,
        role: str = "fang",
        *,
        size: float = SIZE_3,
        leading: float = GRID_LEADING,
        cell: float | None = None,
        indent_chars: float = 2,
        align: str = "justify",
        left_pt: float = 0.0,
        right_pt: float = 0.0,
        color: Any = colors.black,
    ) -> None:
        super().__init__()
        self.text = text
        self.fonts = fonts
        self.role = role
        self.size = size
        self.leading = leading
        self.cell = cell if cell is not None else (GRID_CELL if size == SIZE_3 else size)
        self.indent_chars = indent_chars
        self.align = align
        self.left_pt = left_pt
        self.right_pt = right_pt
        self.color = color
        self._lines: list[list[str]] | None = None
        self._width = 0.0

    # -- layout -----------------------------------------------------------------------------
    def _tok_width(self, tok: str) -> float:
        cs = self.cell - self.size
        return sum(
            pdfmetrics.stringWidth(chunk, name, self.size) + cs * len(chunk)
            for name, chunk in self.fonts.runs(tok, self.role)
        )

    def natural_width(self) -> float:
        """The width of the text on one line (digits and Latin letters are narrower than a grid cell)."""
        return sum(self._tok_width(tok) for tok in _TOKEN.findall(self.text))

    def _layout(self, width: float) -> list[list[str]]:
        avail = width - self.left_pt - self.right_pt
        lines: list[list[str]] = []
        line: list[str] = []
        used = self.indent_chars * self.cell
        tokens: list[str] = []
        for tok in _TOKEN.findall(self.text.replace("\n", " ")):
            # a Latin "word" wider than the line (a long file name or hash) is broken anywhere
            tokens.extend(tok if len(tok) > 1 and self._tok_width(tok) > avail / 2 else [tok])
        for tok in tokens:
            if tok.isspace() and not line:
                continue
            w = self._tok_width(tok)
            if used + w <= avail + 0.01 or not line:
                line.append(tok)
                used += w
                continue
            carry: list[str] = []
            # 避头: closing punctuation may not start a line, so take the last character down with it.
            if tok[0] in CANNOT_START:
                while len(line) > 1:
                    carry.insert(0, line.pop())
                    if carry[0][0] not in CANNOT_START:
                        break
            # 避尾: opening punctuation may not end a line.
            while len(line) > 1 and line[-1][-1] in CANNOT_END:
                carry.insert(0, line.pop())
            while line and line[-1].isspace():
                line.pop()
            lines.append(line)
            line = [*carry, tok]
            used = sum(self._tok_width(t) for t in line)
        if line:
            lines.append(line)
        return lines or [[]]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803, ARG002
        if self._lines is None or abs(self._width - availWidth) > 0.01:
            self._lines = self._layout(availWidth)
            self._width = availWidth
            if self.align == "center" and len(self._lines) > 1:
                # A title on several lines is balanced (GB/T 9704 梯形/菱形), not one full line and a stub.
                total = sum(self._tok_width(t) for line in self._lines for t in line)
                target = total / len(self._lines) + self.cell
                balanced = self._layout(target + self.left_pt + self.right_pt)
                if len(balanced) == len(self._lines):
                    self._lines = balanced
        return availWidth, len(self._lines) * self.leading

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        assert self._lines is not None
        fit = int((availHeight + 0.01) // self.leading)
        if fit <= 0:
            return []
        if fit >= len(self._lines):
            return [self]
        return [self._part(self._lines[:fit], first=True), self._part(self._lines[fit:], first=False)]

    def _part(self, lines: list[list[str]], first: bool) -> GridText:
        part = GridText(
            self.text,
            self.fonts,
            self.role,
            size=self.size,
            leading=self.leading,
            cell=self.cell,
            indent_chars=self.indent_chars if first else 0,
            align=self.align,
            left_pt=self.left_pt,
            right_pt=self.right_pt,
            color=self.color,
        )
        part._lines = lines
        part._width = self._width
        part._continued = not first
        return part

    # -- drawing ----------------------------------------------------------------------------
    def draw(self) -> None:
        assert self._lines is not None
        canv = self.canv
        canv.setFillColor(self.color)
        avail = self._width - self.left_pt - self.right_pt
        base_cs = self.cell - self.size
        continued = getattr(self, "_continued", False)
        height = len(self._lines) * self.leading
        for i, line in enumerate(self._lines):
            text = "".join(line)
            first_line = i == 0 and not continued
            indent = self.indent_chars * self.cell if first_line else 0.0
            natural = sum(self._tok_width(t) for t in line)
            cs = base_cs
            x = self.left_pt + indent
            last = i == len(self._lines) - 1
            if self.align == "justify" and not last and len(text) > 1:
                cs += max(0.0, avail - indent - natural) / (len(text) - 1)
            elif self.align == "center":
                x = self.left_pt + (avail - natural + base_cs) / 2
            elif self.align == "right":
                x = self.left_pt + avail - natural + base_cs
            y = height - (i + 1) * self.leading + (self.leading - self.size) / 2 + 0.12 * self.size
            # Each character placed at its grid position: the same in every viewer and text extractor
            # (character spacing across font-subset switches is read differently by some of them).
            t = canv.beginText()
            for name, chunk in self.fonts.runs(text, self.role):
                t.setFont(name, self.size)
                for ch in chunk:
                    t.setTextOrigin(x, y)
                    t.textOut(ch)
                    x += pdfmetrics.stringWidth(ch, name, self.size) + cs
            canv.drawText(t)


def grid_paragraphs(text: str, fonts: FontSet, role: str = "fang", **kw: Any) -> list[Flowable]:
    """Each line of `text` as its own grid paragraph (blank lines dropped)."""
    return [GridText(p.strip(), fonts, role, **kw) for p in text.split("\n") if p.strip()]


class GridSpacer(Flowable):
    """An empty grid line (it disappears at the top of a page, as in Word)."""

    def __init__(self, lines: int = 1, leading: float = GRID_LEADING) -> None:
        super().__init__()
        self.height = lines * leading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803, ARG002
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803, ARG002
        return []

    def draw(self) -> None:
        return None


def page_number_drawer(fonts: FontSet) -> Callable[[Canvas, Any], None]:
    """GB/T 9704 §7.5: "— n —" in 4号 宋体, 7 mm below the text block; odd pages right, even pages left.

    Landscape table pages (§7.4 横排表格): the number stands at the table's left side, turned with the
    page — odd pages in the lower left corner, even pages in the upper left corner."""

    def draw(canv: Canvas, doc: Any) -> None:  # noqa: ARG001 - ReportLab's onPage signature
        n = canv.getPageNumber()
        text = f"— {n} —"
        width_page, height_page = canv._pagesize
        w = fonts.string_width(text, "song", SIZE_4)
        canv.saveState()
        canv.setFillColor(colors.black)
        if width_page > PAGE_W + 1:  # landscape: rotated, along the left edge
            x_line = LAND_MARGIN - 7 * mm
            y = LAND_MARGIN if n % 2 else height_page - LAND_MARGIN - w
            canv.translate(x_line, y)
            canv.rotate(90)
            x, y = 0.0, 0.0
        else:
            y = BLOCK_BOTTOM - 7 * mm - 0.35 * SIZE_4
            x = LEFT_MARGIN + BLOCK_W - SIZE_4 - w if n % 2 else LEFT_MARGIN + SIZE_4
        for name, chunk in fonts.runs(text, "song"):
            canv.setFont(name, SIZE_4)
            canv.drawString(x, y, chunk)
            x += pdfmetrics.stringWidth(chunk, name, SIZE_4)
        canv.restoreState()

    return draw


# -- tables ---------------------------------------------------------------------------------
def cell_style(fonts: FontSet, role: str = "song", size: float = SIZE_5, align: int = 0) -> ParagraphStyle:
    return ParagraphStyle(
        f"cell-{role}-{size}-{align}",
        fontName=fonts.font(role),
        fontSize=size,
        leading=size * 1.3,
        wordWrap="CJK",
        alignment=align,
    )


class CellMaker:
    """Turns cell values into what a Table draws: plain strings when they fit, wrapped Paragraphs else."""

    def __init__(
        self,
        fonts: FontSet,
        widths: Sequence[float],
        role: str = "song",
        size: float = SIZE_5,
        padding: float = 6.0,
    ) -> None:
        self.fonts = fonts
        self.widths = widths
        self.role = role
        self.size = size
        self.padding = padding
        self.font = fonts.font(role)
        self.style = cell_style(fonts, role, size)

    def __call__(self, value: Any, col: int) -> Any:
        if isinstance(value, Flowable):
            return value
        text = "" if value is None else str(value)
        if (
            "\n" not in text
            and self.fonts.covers(text, self.role)
            and pdfmetrics.stringWidth(text, self.font, self.size) <= self.widths[col] - self.padding
        ):
            return text
        return Paragraph(self.fonts.markup(text, self.role).replace("\n", "<br/>"), self.style)

    def rich(self, markup: str) -> Paragraph:
        return Paragraph(markup, self.style)


def light_markup(fonts: FontSet, light: str, label: str, reason: str) -> str:
    """A coloured mark ● with the light's name and its reason, for a table cell."""
    color = LIGHT_COLORS.get(light, colors.grey).hexval()[2:]
    mark = fonts.markup("●", "song")
    return f'<font color="#{color}">{mark}</font> {fonts.markup(label, "song")}：{fonts.markup(reason, "song")}'


LONG_CELL = 600  # characters: a cell that may need more than a page


def data_table(
    fonts: FontSet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    size: float = SIZE_5,
    total_row: Sequence[Any] | None = None,
    fills: dict[int, Any] | None = None,
) -> LongTable:
    """A table with a 黑体 header repeated on every page; long cells wrap, Chinese style."""
    make = CellMaker(fonts, widths, "song", size)
    head = CellMaker(fonts, widths, "hei", size)
    data: list[list[Any]] = [[head(h, i) for i, h in enumerate(headers)]]
    for row in rows:
        data.append([make(v, i) for i, v in enumerate(row)])
    if total_row is not None:
        data.append([head(v, i) for i, v in enumerate(total_row)])
    # splitInRow: a row taller than a page (a long 整改措施) continues on the next page instead of failing.
    # Only then: ReportLab splitting ordinary rows at a page foot repeats the header above the stub.
    tall = any(len(str(v)) > LONG_CELL for row in rows for v in row if not isinstance(v, Flowable))
    table = LongTable(data, colWidths=list(widths), repeatRows=1, splitInRow=1 if tall else 0)
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, 0), fonts.font("hei"), size),
        ("FONT", (0, 1), (-1, -1), fonts.font("song"), size),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row is not None:
        style.append(("FONT", (0, -1), (-1, -1), fonts.font("hei"), size))
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F4F4F4")))
    for row_index, color in (fills or {}).items():
        style.append(("BACKGROUND", (0, row_index), (-1, row_index), color))
    table.setStyle(TableStyle(style))
    return table
