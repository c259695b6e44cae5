"""The 整改情况报告 as an editable Word draft (.docx) in the GB/T 9704-2012 styles, for the leader who edits
before signing; the signed PDF stays the record (a draft is neither signed nor registered).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm); body 仿宋_GB2312 三号
with a fixed line spacing of 28 pt (22 lines a page) and a two-character first-line indent; title
方正小标宋简体 二号, centred; level-1 headings 黑体, level-2 楷体_GB2312, kept with what follows; 主送机关
flush left; the signature 右空二字 with one blank line above; page numbers "— n —" in 宋体 四号 at the
outer side (odd pages right, even pages left); the annex table on landscape pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core import enums
from core.reports import summary as S
from core.reports.data import LedgerData
from core.reports.output import write_atomic

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
NUMBER_FONT = "宋体"
STYLE_NAMES = {"title": "公文标题", "recipient": "主送机关", "h1": "一级标题", "h2": "二级标题",
               "body": "公文正文", "annex": "附件说明", "signature": "署名"}


def _fonts(style_or_run: Any, name: str) -> None:
    """Set the face for Chinese and Latin text alike (Word keeps them apart: w:eastAsia)."""
    from docx.oxml.ns import qn

    style_or_run.font.name = name
    rpr = style_or_run.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _styles(doc: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT)
    normal.font.size = Pt(16)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28)
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = True

    def make(key: str, font: str, size: float, *, align: Any = None, indent: bool = False,
             keep: bool = False) -> None:
        style = doc.styles.add_style(STYLE_NAMES[key], WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _fonts(style, font)
        style.font.size = Pt(size)
        f = style.paragraph_format
        if align is not None:
            f.alignment = align
        f.first_line_indent = Pt(32) if indent else Pt(0)
        f.keep_with_next = keep
        if key == "title":
            f.line_spacing = Pt(35)  # 二号 on two lines of the grid

    make("title", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, keep=True)
    make("recipient", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.LEFT)
    make("h1", H1_FONT, 16, indent=True, keep=True)
    make("h2", H2_FONT, 16, indent=True, keep=True)
    make("body", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    make("annex", BODY_FONT, 16, indent=True)
    make("signature", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _page(section: Any, *, landscape: bool = False) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin = section.right_margin = Mm(18)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # the number 7 mm below the 版心 (35 mm − 7 mm)


def _page_number(paragraph: Any) -> None:
    """ "— PAGE —" as a field, in 宋体 四号."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def run(text: str | None = None, field: str | None = None) -> None:
        r = paragraph.add_run(text or "")
        _fonts(r, NUMBER_FONT)
        r.font.size = Pt(14)
        if field:
            for kind in ("begin", None, "end"):
                if kind is None:
                    instr = OxmlElement("w:instrText")
                    instr.set(qn("xml:space"), "preserve")
                    instr.text = field
                    r._r.append(instr)
                    continue
                ch = OxmlElement("w:fldChar")
                ch.set(qn("w:fldCharType"), kind)
                r._r.append(ch)

    run("— ")
    run(field=" PAGE ")
    run(" —")


def _footers(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)  # 一字 from the edge of the 版心
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    _page_number(even)


def build_docx(data: LedgerData, recipient: str = S.DEFAULT_RECIPIENT) -> Any:
    """The python-docx Document of the summary (tests read it back)."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = S.title_of(data)
    doc.core_properties.author = data.unit_name
    doc.core_properties.comments = "整改通生成的草稿；正式报告以签名的 PDF 为准。"
    doc.settings.odd_and_even_pages_header_footer = True
    _styles(doc)
    section = doc.sections[0]
    _page(section)
    _footers(section)
    blocks = S.summary_blocks(data, recipient)
    for i, block in enumerate(blocks):
        if block.role == "blank":
            p = doc.add_paragraph("", style=doc.styles["Normal"])
            # the blank line above the signature stays with it, as does the 附件说明 above that
            p.paragraph_format.keep_with_next = i + 1 < len(blocks) and blocks[i + 1].role == "signature"
            continue
        p = doc.add_paragraph(block.text, style=doc.styles[STYLE_NAMES[block.role]])
        if block.role == "annex":
            p.paragraph_format.keep_with_next = True
        if block.role == "signature":
            p.paragraph_format.right_indent = Pt(32)  # 右空二字
            p.paragraph_format.keep_with_next = block.text == data.unit_name  # the date stays with it
    annex = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(annex, landscape=True)
    h = doc.add_paragraph("附件", style=doc.styles[STYLE_NAMES["h1"]])
    h.paragraph_format.first_line_indent = Pt(0)
    doc.add_paragraph("整改问题清单", style=doc.styles[STYLE_NAMES["title"]])
    _annex_table(doc, data)
    return doc


ANNEX_HEADERS = ("序号", "编号", "问题", "来源", "类别", "责任科室", "责任人", "整改期限", "状态", "预警灯及原因")


def _annex_table(doc: Any, data: LedgerData) -> None:
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(ANNEX_HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ANNEX_HEADERS, strict=True):
        cell.text = text
    rows = [
        (str(i), r.city_ref or "", r.title, enums.label("source", r.source), enums.label("category", r.category),
         r.section, r.owner, r.deadline, enums.label("status", r.status),
         f"{enums.label('light', r.light)}：{r.light_reason}")
        for i, r in enumerate(data.rows, start=1)
    ]
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    # the header repeats on every page; table text in 宋体 五号 with single spacing
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.first_line_indent = Pt(0)
                p.paragraph_format.line_spacing = 1.0
                for r in p.runs:
                    _fonts(r, NUMBER_FONT)
                    r.font.size = Pt(10.5)


def render_summary_docx(data: LedgerData, path: Path, recipient: str = S.DEFAULT_RECIPIENT) -> Path:
    doc = build_docx(data, recipient)
    return write_atomic(Path(path), lambda tmp: doc.save(str(tmp)))


def write_draft(session: Any, today: Any, path: Path) -> Path:
    """The Word draft of the summary report from the ledger as it is today."""
    from core.reports.data import ledger_data

    return render_summary_docx(ledger_data(session, today), path, S.recipient(session))
