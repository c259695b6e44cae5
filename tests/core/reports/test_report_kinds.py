"""The ledger, single-task and monthly reports, the table document, line breaking, and verify-report."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pypdf import PdfReader

from core.reports.fonts import load_fonts
from core.reports.layout import BLOCK_W, CHARS_PER_LINE, GridText


def _pages_text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def test_ledger_is_landscape_with_repeated_header_coloured_lights_and_totals(demo_reports) -> None:  # noqa: ANN001
    with pdfplumber.open(demo_reports.ledger) as pdf:
        assert len(pdf.pages) >= 3
        assert all(p.width > p.height for p in pdf.pages)
        for p in pdf.pages:
            if "●" in p.extract_text():  # every page of the table (the stamp may stand on a page of its own)
                assert "序号 编号 问题 来源 类别" in p.extract_text()
        marks = [c for p in pdf.pages for c in p.chars if c["text"] == "●"]
        colours = {tuple(round(x, 2) for x in c["non_stroking_color"]) for c in marks}
        last = "".join(p.extract_text() for p in pdf.pages[-2:])
    assert len(marks) == 60
    assert len(colours) == 3  # red, yellow and green marks
    assert "合计 60项" in last and "红灯16 黄灯1 绿灯43" in last.replace("：", "")
    assert "逾期" in "".join(_pages_text(demo_reports.ledger))


def test_task_report_lists_nodes_evidence_with_sha256(demo_reports) -> None:  # noqa: ANN001
    from sqlalchemy import select

    from core.workspace import Workspace
    from db.models import Evidence, Node

    ws = Workspace.open(demo_reports.data_dir)
    try:
        with ws.read() as s:
            shas = list(s.scalars(select(Evidence.sha256).where(Evidence.task_id == demo_reports.task_id)))
            nodes = list(s.scalars(select(Node.title).where(Node.task_id == demo_reports.task_id)))
    finally:
        ws.close()
    text = "".join(_pages_text(demo_reports.task)).replace("\n", "")
    for title in ("整改任务情况", "整改节点", "佐证材料", "督办通知及反馈", "审核结果", "责任交接"):
        assert title in text
    with pdfplumber.open(demo_reports.task) as pdf:
        page = pdf.pages[0]
        header = next(w for w in page.extract_words() if w["text"] == "SHA-256")
        column = page.crop((header["x0"] - 2, header["top"], page.width, page.height)).extract_text()
    column = column.replace("\n", "").replace(" ", "")
    assert shas
    for sha in shas:
        assert sha in column
    for node in nodes:
        assert node in text


def test_monthly_report_has_figures_and_charts(demo_reports) -> None:  # noqa: ANN001
    with pdfplumber.open(demo_reports.monthly) as pdf:
        first = pdf.pages[0]
        text = first.extract_text()
        bars = [r for r in first.rects if r["height"] > 2 and r["width"] > 3]
    assert "整改工作月报" in text and "（2026年4月）" in text
    assert "近12个月新增与销号任务数" in text and "红灯 16项" in text
    assert len(bars) >= 10  # the bar charts
    assert "本月到期节点" in "".join(_pages_text(demo_reports.monthly))


def test_no_grid_line_starts_with_closing_punctuation_or_ends_with_opening() -> None:
    fonts = load_fonts()
    # 26 characters fill the indented first line, so the comma would start line 2 without 避头.
    text = "甲" * 26 + "，" + "乙" * 25 + "（丙）" + "丁" * 30 + "。"
    para = GridText(text, fonts, "fang")
    para.wrap(BLOCK_W, 10_000)
    lines = ["".join(line) for line in para._lines or []]
    assert all(line[0] not in "，。）" for line in lines)
    assert all(line[-1] != "（" for line in lines)
    assert lines[0] == "甲" * 25  # one character went down with the comma
    assert len(GridText("字" * 100, fonts, "fang")._layout(BLOCK_W)[1]) == CHARS_PER_LINE


def test_table_document_for_other_features(tmp_path: Path) -> None:
    from core.reports.pdf import render_table_document

    rows = [[i, f"整改任务{i}：堃", "张三", "李四", "2026-04-15"] for i in range(1, 80)]
    out = render_table_document(
        tmp_path / "交接清单.pdf",
        "整改任务交接清单",
        ["序号", "任务", "移交人", "接收人", "日期"],
        rows,
        subtitle="中山市某某镇人民政府",
        widths_mm=[10, 80, 25, 25, 25],
        signatures=("移交人", "接收人", "监交人"),
    )
    pages = _pages_text(out)
    assert len(pages) >= 2
    assert all("序号 任务 移交人 接收人 日期" in p for p in pages)
    assert "整改任务79：堃" in pages[-1] and "监交人（签字）" in pages[-1]
    for page in PdfReader(str(out)).pages:
        for ref in page["/Resources"]["/Font"].values():
            assert "+" in str(ref.get_object()["/BaseFont"])


def test_cli_report_and_verify_report(cli, workspace, tmp_path: Path) -> None:  # noqa: ANN001
    workspace.close()
    add = [
        "task",
        "add",
        "--title",
        "公务用车登记不规范",
        "--source",
        "巡察",
        "--category",
        "立行立改",
        "--owner",
        "李娜",
        "--deadline",
        "2026-05-31",
    ]
    assert cli("--today", "2026-04-15", *add)[0] == 0
    out = tmp_path / "报告.pdf"
    code, said, _ = cli("--today", "2026-04-15", "report", str(out))
    assert code == 0 and out.is_file() and "整改报告" in said
    code, said, _ = cli("verify-report", str(out))
    assert code == 0 and "一致" in said and "不一致" not in said
    assert cli("--today", "2026-04-15", *add[:3], "信访件办理超期", *add[4:])[0] == 0
    code, said, _ = cli("verify-report", str(out))
    assert code == 3 and "不一致" in said
    bogus = tmp_path / "other.pdf"
    bogus.write_bytes(b"%PDF-1.4 nothing here")
    code, _, err = cli("verify-report", str(bogus))
    assert code == 3 and "不是本软件生成的整改报告" in err


def test_cli_report_kinds_and_bad_arguments(cli, workspace, tmp_path: Path) -> None:  # noqa: ANN001
    workspace.close()
    code, _, err = cli("report", str(tmp_path / "t.pdf"), "--kind", "task")
    assert code == 2 and "--task" in err
    code, _, err = cli("report", str(tmp_path / "t.pdf"), "--kind", "task", "--task", "nope")
    assert code == 3 and "找不到" in err
    code, _, err = cli("report", str(tmp_path / "m.pdf"), "--kind", "monthly", "--period", "2026-13")
    assert code == 2
    code, said, _ = cli("--today", "2026-04-15", "report", str(tmp_path / "m.pdf"), "--kind", "monthly")
    assert code == 0 and (tmp_path / "m.pdf").is_file()
    assert not list(tmp_path.glob(".*.tmp"))


def test_table_cells_do_not_start_a_line_with_a_comma(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from core.reports.layout import cell_style

    fonts = load_fonts()
    for n in (7, 8, 9):  # the frame's padding leaves room for n - 2 characters: the comma comes next
        width = pdfmetrics.stringWidth("甲" * n, fonts.font("song"), 10) + 0.5
        out = tmp_path / f"cell{n}.pdf"
        doc = SimpleDocTemplate(
            str(out), pagesize=(width + 40, 300), leftMargin=20, rightMargin=20, initialFontName=fonts.font("song")
        )
        doc.build([Paragraph("甲" * (n - 2) + "，乙丙丁戊己庚辛壬癸。", cell_style(fonts, "song", 10))])
        lines = _pages_text(out)[0].splitlines()
        assert len(lines) >= 2
        assert not any(line.startswith("，") for line in lines), lines


def test_a_task_longer_than_a_page_continues_on_the_next(cli, workspace, tmp_path: Path) -> None:  # noqa: ANN001
    """整改措施 of several pages: the ledger row continues on the next page (it used to stop the report)."""
    from core.ledger.tasks import TaskInput, create_task

    long_text = "按照问题清单逐项明确整改措施、责任人和整改时限，建立台账，挂图作战。" * 120
    with workspace.session() as s:
        task_id = create_task(s, "张三", TaskInput(title=long_text[:2000], source="inspection", category="phased",
                                                   owner="王五", deadline="2026-12-31", description=long_text,
                                                   measures=long_text)).id
    workspace.close()
    for kind in ("summary", "ledger", "monthly"):
        code, _, err = cli("report", str(tmp_path / f"{kind}.pdf"), "--kind", kind)
        assert code == 0, err
    code, _, err = cli("report", str(tmp_path / "task.pdf"), "--kind", "task", "--task", task_id)
    assert code == 0, err
    assert len(PdfReader(tmp_path / "ledger.pdf").pages) >= 2
