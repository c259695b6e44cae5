"""The Word draft of the 整改报告: the same words as the PDF, in GB/T 9704 styles, read back with python-docx."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt


def _east_asia(style) -> str:  # noqa: ANN001
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_word_draft_styles_page_and_margins(cli, demo_reports, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "整改报告.docx"
    code, said, err = cli("--today", "2026-04-15", "--user", "陈晓红", "report", str(out), data=demo_reports.data_dir)
    assert code == 0, err
    assert "Word 草稿" in said
    doc = Document(str(out))
    first = doc.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert first.orientation == WD_ORIENT.PORTRAIT
    margins = [first.top_margin, first.bottom_margin, first.left_margin, first.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    assert abs(first.page_width - first.left_margin - first.right_margin - Mm(156)) < Mm(0.1)
    annex = doc.sections[-1]
    assert annex.orientation == WD_ORIENT.LANDSCAPE and round(annex.page_width.mm) == 297

    normal = doc.styles["Normal"]
    assert _east_asia(normal) == "仿宋_GB2312" and normal.font.size == Pt(16)  # 三号
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Pt(28)
    title = doc.styles["公文标题"]
    assert _east_asia(title) == "方正小标宋简体" and title.font.size == Pt(22)  # 二号
    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _east_asia(doc.styles["一级标题"]) == "黑体" and _east_asia(doc.styles["二级标题"]) == "楷体_GB2312"
    assert doc.styles["一级标题"].paragraph_format.keep_with_next
    assert doc.styles["二级标题"].paragraph_format.keep_with_next
    assert doc.styles["公文正文"].paragraph_format.first_line_indent == Pt(32)  # 首行缩进二字

    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    texts = [t for _, t in paras]
    assert paras[0] == ("公文标题", "中山市某某镇人民政府关于整改工作进展情况的报告")
    assert paras[2] == ("主送机关", "市督查室：")
    assert ("一级标题", "一、整改工作开展情况") in paras and ("二级标题", "（一）总体情况") in paras
    i = texts.index("中山市某某镇人民政府")
    assert texts[i + 1] == "2026年4月15日" and texts[i - 1] == "" and texts[i - 2] == "附件：整改问题清单"
    sig = doc.paragraphs[i]
    assert sig.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert sig.paragraph_format.right_indent == Pt(32)  # 右空二字
    # page numbers: a PAGE field, odd right, even left
    assert doc.settings.odd_and_even_pages_header_footer
    assert "PAGE" in first.footer._element.xml and "PAGE" in first.even_page_footer._element.xml
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "编号", "问题"]
    assert len(table.rows) == 61


def test_word_draft_only_for_the_summary(cli, workspace, tmp_path: Path) -> None:  # noqa: ANN001
    workspace.close()
    code, _, err = cli("report", str(tmp_path / "x.docx"), "--kind", "ledger")
    assert code == 2 and "Word 草稿" in err


def test_recipient_setting_reaches_both_the_pdf_and_the_draft(cli, workspace, tmp_path: Path) -> None:  # noqa: ANN001
    import pdfplumber

    workspace.close()
    assert cli("report-recipient")[1].strip() == "市督查室"
    code, said, _ = cli("--user", "张三", "report-recipient", "市委巡察办")
    assert code == 0 and "市委巡察办" in said
    assert cli("--today", "2026-04-15", "report", str(tmp_path / "r.pdf"))[0] == 0
    with pdfplumber.open(tmp_path / "r.pdf") as pdf:
        assert "市委巡察办：" in pdf.pages[0].extract_text()
    assert cli("--today", "2026-04-15", "report", str(tmp_path / "r.docx"))[0] == 0
    assert Document(str(tmp_path / "r.docx")).paragraphs[2].text == "市委巡察办："
    assert cli("--user", "张三", "report-recipient", "")[0] == 0
    assert cli("report-recipient")[1].strip() == "市督查室"
