"""Exporting the ledger to Excel in the city's layout, and importing it back with every field kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from core.excel.columns import CITY_COLUMNS
from core.excel.exporter import export_ledger
from core.excel.importer import import_problem_list, read_problem_list
from core.workspace import Workspace
from db.models import Task
from tests.conftest import FIXTURES

TODAY = date(2026, 4, 15)


def _snapshot(ws: Workspace) -> list[tuple]:
    with ws.read() as s:
        out = []
        for t in s.scalars(select(Task).where(Task.deleted.is_(None))):
            nodes = tuple((n.title, n.due) for n in t.nodes if n.deleted is None)
            out.append(
                (
                    t.title,
                    t.description,
                    t.measures,
                    t.source,
                    t.category,
                    t.batch,
                    t.leader,
                    t.section.name if t.section else "",
                    t.owner.name if t.owner else "",
                    t.deadline,
                    t.city_ref,
                    nodes,
                )
            )
        return sorted(out, key=lambda x: (x[0], x[5]))


@pytest.fixture(scope="module")
def demo_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from core.demo import build_demo

    root = tmp_path_factory.mktemp("excel")
    ws = Workspace.open(root / "data", user="陈晓红", today=TODAY)
    try:
        build_demo(ws)
        with ws.read() as s:
            path, count = export_ledger(s, TODAY, root / "台账.xlsx")
        assert count == 60
    finally:
        ws.close()
    return root / "data", path


def test_round_trip_keeps_every_field(demo_export, tmp_path: Path) -> None:  # noqa: ANN001
    from core.unit import init_unit

    data_dir, xlsx = demo_export
    source = Workspace.open(data_dir, today=TODAY)
    try:
        before = _snapshot(source)
    finally:
        source.close()
    target = Workspace.open(tmp_path / "other", user="张三", today=TODAY)
    try:
        with target.session() as s:
            init_unit(s, "442000-017", "中山市某某镇人民政府", "township", admin="张三")
        with target.read() as s:
            preview = read_problem_list(xlsx, session=s)
        assert not preview.errors
        with target.session() as s:
            assert len(import_problem_list(s, "张三", preview)) == 60
        after = _snapshot(target)
    finally:
        target.close()
    assert after == before
    assert any(row[11] for row in after) and any(row[10] for row in after) and any(row[1] for row in after)


def test_layout_matches_the_city_sheet_and_prints_well(demo_export) -> None:  # noqa: ANN001
    data_dir, xlsx = demo_export
    city = openpyxl.load_workbook(FIXTURES / "excel" / "problem-list-sample.xlsx").active
    city_header = [c.value for c in city[2]]
    wb = openpyxl.load_workbook(xlsx)
    sheet = wb["整改清单"]
    header = [c.value for c in sheet[2]]
    assert header[: len(city_header)] == city_header == [label for _, label in CITY_COLUMNS]
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:U62"  # the city's 11 columns, 9 of ours and 完成日期
    assert header[-4:] == ["整改进展/完成情况", "销号日期", "责任单位", "完成日期"]
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == "9"  # A4
    # one page wide, as many pages long as the rows need (Excel, WPS and LibreOffice read the same fields)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert "&P" in sheet.oddFooter.center.text
    # a multi-line cell wraps and its row is tall enough for the second line
    progress_col = header.index("整改进展/完成情况") + 1
    tall = [r for r in range(3, 63) if "\n" in str(sheet.cell(row=r, column=progress_col).value or "")]
    assert tall
    for r in tall:
        cell = sheet.cell(row=r, column=progress_col)
        assert cell.alignment.wrap_text
        assert sheet.row_dimensions[r].height >= 2 * 13.5
    closed = [sheet.cell(row=r, column=header.index("销号日期") + 1) for r in range(3, 63)]
    assert sum(1 for c in closed if c.is_date) == 14
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    assert widths["D"] >= 30  # 问题描述 fits Chinese text
    assert widths["A"] < 10
    light_col = header.index("预警灯") + 1
    fills = {}
    for row in sheet.iter_rows(min_row=3, min_col=light_col, max_col=light_col):
        fills.setdefault(row[0].value, set()).add(row[0].fill.fgColor.rgb)
    assert set(fills) == {"红灯", "黄灯", "绿灯"}
    assert all(len(v) == 1 for v in fills.values()) and len({next(iter(v)) for v in fills.values()}) == 3
    deadline = sheet.cell(row=3, column=header.index("整改时限") + 1)
    assert deadline.is_date and deadline.number_format == "yyyy-mm-dd"
    figures = wb["统计"]
    values = {r[0].value: r[1].value for r in figures.iter_rows(min_row=1) if r and r[0].value}
    assert values["整改任务总数"] == 60 and values["已销号"] == 14
    assert values["红灯"] == 16


def test_cli_export_excel(cli, workspace, tmp_path: Path) -> None:  # noqa: ANN001
    workspace.close()
    code, out, _ = cli("import-excel", str(FIXTURES / "excel" / "problem-list-sample.xlsx"))
    assert code == 0
    code, out, _ = cli("--today", "2026-04-15", "export-excel", str(tmp_path / "out.xlsx"))
    assert code == 0 and "已导出 9 条" in out
    code, out, _ = cli("import-excel", str(tmp_path / "out.xlsx"), "--dry-run")
    assert code == 0 and "可导入 0 条" in out  # all nine are recognised as already in the ledger


def test_unwritable_target_is_a_plain_refusal(cli, workspace, tmp_path: Path) -> None:  # noqa: ANN001
    workspace.close()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = cli("export-excel", str(blocker / "out.xlsx"))
    assert code == 3 and "无法写入" in err
    code, _, err = cli("report", str(blocker / "out.pdf"))
    assert code == 3 and "无法写入" in err


def test_text_that_looks_like_a_formula_stays_text(workspace: Workspace, tmp_path: Path) -> None:
    """A title or name starting with "=" is exported as text: it neither runs in Excel nor reads back empty."""
    from core.ledger.tasks import TaskInput, create_task

    title = '=HYPERLINK("http://example.invalid","点此查看")'
    with workspace.session() as s:
        create_task(s, "张三", TaskInput(title=title, source="inspection", category="immediate", owner="=王五",
                                        deadline="2026-12-31", measures="=1+1"))
    with workspace.read() as s:
        path, _ = export_ledger(s, TODAY, tmp_path / "台账.xlsx")
    sheet = openpyxl.load_workbook(path).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert {c.value for c in cells} >= {title, "=王五", "=1+1"}
    assert all(c.data_type == "s" for c in cells)
    with workspace.read() as s:
        preview = read_problem_list(path, session=s)
    assert [(r.data.title, r.data.owner, r.data.measures) for r in preview.rows if r.data] == [(title, "=王五", "=1+1")]


def test_control_characters_from_the_city_do_not_break_the_export(workspace: Workspace, tmp_path: Path) -> None:
    """A title with Word's \\v line break or other control characters (as a city package may carry) exports."""
    from core.ledger.tasks import TaskInput, create_task

    with workspace.session() as s:
        task = create_task(s, "张三", TaskInput(title="占位", source="inspection", category="immediate",
                                               owner="王五", deadline="2026-12-31"))
        task.title = "第一行\x0b第二行\x01尾"  # stored as the city sent it, bypassing the clerk's input checks
    with workspace.read() as s:
        path, count = export_ledger(s, TODAY, tmp_path / "台账.xlsx")
    assert count == 1
    titles = [c.value for row in openpyxl.load_workbook(path).active.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith("第一行")]
    assert titles == ["第一行\n第二行尾"]


def test_the_detail_columns_are_a_collapsed_group_so_the_rest_prints_readably(demo_export) -> None:  # noqa: ANN001
    """Measured with LibreOffice (tools/check_print_layout.py): every column on one A4 width printed at 28 %;
    with the detail columns grouped away and the short ones wrapping, 54 %, five pages for the demo's 60 tasks."""
    _, xlsx = demo_export
    sheet = openpyxl.load_workbook(xlsx)["整改清单"]
    header = [c.value for c in sheet[2]]
    letter = openpyxl.utils.get_column_letter
    dims = {label: sheet.column_dimensions[letter(i)] for i, label in enumerate(header, start=1)}
    hidden = {label for label, d in dims.items() if d.hidden}
    assert hidden == {"问题编号", "问题详情", "整改节点", "预警原因", "责任单位", "完成日期"}
    assert all(dims[label].outlineLevel == 1 for label in hidden)
    assert sheet.sheet_format.outlineLevelCol == 1  # Excel and WPS show the group's “+” only with it
    assert dims["整改状态"].collapsed  # the button after 问题编号…整改节点
    assert sum(d.width for label, d in dims.items() if label not in hidden) <= 230  # all 21 columns: 381
    # the hidden columns still hold everything (the round trip reads them)
    nodes = header.index("整改节点") + 1
    assert sum(1 for r in range(3, 63) if sheet.cell(r, nodes).value) > 30


def test_the_public_version_prints_every_column(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "d", user="李志强", today=date(2026, 11, 23))
    try:
        from core.demo import build_demo

        build_demo(ws)
        with ws.read() as s:
            path, _ = export_ledger(s, ws.today, tmp_path / "公示.xlsx", public=True)
    finally:
        ws.close()
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert not any(d.hidden for d in sheet.column_dimensions.values())
