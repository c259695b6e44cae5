"""Problem lists as offices really send them: merged blocks, .xls, .ods, GBK CSV, header notes, missing columns,
typo years, two sheets; and a 台账 kept in Excel moving in with its state (export -> import round trip)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import xlwt
from sqlalchemy import select

from core.errors import InputRefused
from core.excel.columns import header_key
from core.excel.importer import MAX_ROW_ERRORS, import_problem_list, read_problem_list
from db.models import Task
from tests.reliability import hostile_kit as hk

HEADER = ["序号", "问题来源", "问题描述", "整改类别", "责任单位", "责任人", "整改时限"]
ROWS = [
    [1, "巡察", "村务公开不及时", "立行立改", "党政办", "李四", "2026-06-30"],
    [2, None, "食堂采购无台账", "分阶段整改", None, None, None],
    [3, None, "消防通道堵塞", "立行立改", None, None, None],
    [4, "审计", "专项资金拨付滞后", "分阶段整改", "财政所", "王五", "2026-09-30"],
]


def _merged_xlsx(path: Path) -> Path:
    """Rows 3-5 share 问题来源, 责任单位, 责任人 and 整改时限: merged over the block, as offices do."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(["2026年第一轮巡察反馈问题整改清单"])
    ws.merge_cells("A1:G1")
    ws.append(HEADER)
    for r in ROWS:
        ws.append(r)
    for col in "BEFG":
        ws.merge_cells(f"{col}3:{col}5")
    wb.save(path)
    return path


def _titles(ws) -> dict[str, Task]:  # noqa: ANN001
    with ws.read() as s:
        return {t.title: (t.source, t.section.name if t.section else "", t.owner.name if t.owner else "", t.deadline)
                for t in s.scalars(select(Task).where(Task.deleted.is_(None)))}


def _expect_block(tasks: dict) -> None:  # noqa: ANN001
    assert tasks["食堂采购无台账"] == ("inspection", "党政办", "李四", "2026-06-30")
    assert tasks["消防通道堵塞"] == ("inspection", "党政办", "李四", "2026-06-30")
    assert tasks["专项资金拨付滞后"] == ("audit", "财政所", "王五", "2026-09-30")


def test_merged_cells_fill_every_row_they_span(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    book = _merged_xlsx(tmp_path / "清单.xlsx")
    with workspace.read() as s:
        preview = read_problem_list(book, session=s)
    assert preview.errors == [] and len(preview.importable) == 4 and preview.header_row == 2
    with workspace.session() as s:
        import_problem_list(s, workspace.user, preview)
    _expect_block(_titles(workspace))


def test_merged_cells_of_a_large_sheet_read_by_streaming(workspace, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from core.excel import readers

    monkeypatch.setattr(readers, "CALAMINE_SHEET_BYTES", 100)
    book = _merged_xlsx(tmp_path / "清单.xlsx")
    preview = read_problem_list(book)
    assert preview.errors == [] and len(preview.importable) == 4
    with workspace.session() as s:
        import_problem_list(s, workspace.user, preview)
    _expect_block(_titles(workspace))


def test_old_xls_with_merged_block_and_date_cells(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    wb = xlwt.Workbook(encoding="utf-8")
    sh = wb.add_sheet("Sheet1")
    as_date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, h in enumerate(HEADER):
        sh.write(0, c, h)
    sh.write(1, 0, 1)
    sh.write(1, 2, "村务公开不及时")
    sh.write(1, 3, "立行立改")
    sh.write(2, 0, 2)
    sh.write(2, 2, "食堂采购无台账")
    sh.write(2, 3, "分阶段整改")
    sh.write_merge(1, 2, 1, 1, "巡察")
    sh.write_merge(1, 2, 4, 4, "党政办")
    sh.write_merge(1, 2, 5, 5, "李四")
    sh.write_merge(1, 2, 6, 6, date(2026, 6, 30), as_date)
    sh.write(3, 0, 3)
    for c, v in ((1, "审计"), (2, "账外资金"), (3, "立行立改"), (4, "财政所"), (5, "王五")):
        sh.write(3, c, v)
    sh.write(3, 6, date(2206, 6, 30), as_date)  # a real Excel date cell with a typo year
    path = tmp_path / "清单.xls"
    wb.save(str(path))
    with workspace.read() as s:
        preview = read_problem_list(path, session=s)
    assert preview.kind == "xls"
    assert [(e.row, e.column) for e in preview.errors] == [(4, "整改时限")]
    assert "2206" in preview.errors[0].reason
    with workspace.session() as s:
        import_problem_list(s, workspace.user, preview)
    tasks = _titles(workspace)
    assert tasks["食堂采购无台账"] == ("inspection", "党政办", "李四", "2026-06-30")
    assert "账外资金" not in tasks


def test_ods_with_merged_block(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="清单")

    def cell(value: object, rows: int = 1) -> TableCell:
        attrs = {"valuetype": "string"} if value is not None else {}
        if rows > 1:
            attrs["numberrowsspanned"] = str(rows)
        c = TableCell(**attrs)
        if value is not None:
            c.addElement(P(text=str(value)))
        return c

    for values, spans in ((HEADER, {}), (ROWS[0], {1: 3, 4: 3, 5: 3, 6: 3}), (ROWS[1], "covered"),
                          (ROWS[2], "covered"), (ROWS[3], {})):
        tr = TableRow()
        for c, v in enumerate(values):
            if spans == "covered" and c in (1, 4, 5, 6):
                tr.addElement(CoveredTableCell())
            else:
                tr.addElement(cell(v, spans.get(c, 1) if isinstance(spans, dict) else 1))
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    path = tmp_path / "清单.ods"
    doc.save(str(path))
    with workspace.read() as s:
        preview = read_problem_list(path, session=s)
    assert preview.kind == "ods" and preview.errors == [] and len(preview.importable) == 4
    with workspace.session() as s:
        import_problem_list(s, workspace.user, preview)
    _expect_block(_titles(workspace))


def _csv_text(delimiter: str) -> str:
    lines = [delimiter.join(HEADER)]
    for r in ROWS[:1] + ROWS[3:]:
        lines.append(delimiter.join("" if v is None else str(v) for v in r))
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(("encoding", "delimiter"), [("gbk", ","), ("utf-8-sig", ","), ("utf-8", "\t"),
                                                     ("gb18030", ";"), ("utf-16", "\t")])
def test_csv_in_the_encodings_and_delimiters_offices_save(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = tmp_path / "清单.csv"
    path.write_bytes(_csv_text(delimiter).encode(encoding))
    preview = read_problem_list(path)
    assert preview.kind == "csv" and preview.errors == []
    assert [r.data.title for r in preview.importable if r.data] == ["村务公开不及时", "专项资金拨付滞后"]
    assert preview.importable[1].data.section == "财政所"


@pytest.mark.parametrize(("text", "key"), [("责任人\n（签字）", "owner"), ("责任单位（科室）", "section"),
                                           ("整改\n时限", "deadline"), ("*问题描述", "title"),
                                           ("整改时限要求", "deadline"), ("问题来源(必填)", "source"),
                                           ("备  注", "note"), ("联系电话", None)])
def test_headers_as_people_write_them(text: str, key: str | None) -> None:
    assert header_key(text) == key


def test_header_notes_title_rows_and_an_unrecognised_column(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某某镇巡察反馈问题整改台账"])
    ws.append(["填报单位：某某镇", None, None, "填报日期：2026-04-01"])
    ws.append(["序号", "问题\n来源", "问题描述", "整改类别", "责任单位（科室）", "责任人\n（签字）", "整改\n时限",
               "联系电话"])
    ws.append([1, "巡察", "村务公开不及时", "立行立改", "党政办", "李四", "2026-06-30", "0760-1234"])
    wb.save(tmp_path / "台账.xlsx")
    preview = read_problem_list(tmp_path / "台账.xlsx")
    assert preview.header_row == 3 and preview.errors == []
    assert preview.unrecognised == ["联系电话"]
    assert preview.importable[0].data.owner == "李四" and preview.importable[0].data.section == "党政办"


def _two_sheets(path: Path) -> Path:
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.append(["请按下表填写，整改时限写到日。"])
    first = wb.create_sheet("第一轮")
    first.append(HEADER)
    first.append(ROWS[0])
    second = wb.create_sheet("第二轮")
    second.append(HEADER)
    second.append(ROWS[3])
    wb.save(path)
    return path


def test_several_sheets_the_first_with_a_header_is_read_and_another_can_be_picked(tmp_path: Path) -> None:
    book = _two_sheets(tmp_path / "清单.xlsx")
    preview = read_problem_list(book)
    assert preview.sheet == "第一轮" and preview.sheets == ["填表说明", "第一轮", "第二轮"]
    assert read_problem_list(book, sheet="第二轮").importable[0].data.title == "专项资金拨付滞后"
    assert read_problem_list(book, sheet=3).sheet == "第二轮"
    with pytest.raises(InputRefused, match="没有工作表"):
        read_problem_list(book, sheet="第三轮")
    with pytest.raises(InputRefused, match="找不到问题清单的表头"):
        read_problem_list(book, sheet=1)


def test_cli_sheet_and_defaults_for_missing_columns(cli, tmp_path: Path) -> None:  # noqa: ANN001
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")[0] == 0
    book = _two_sheets(tmp_path / "清单.xlsx")
    code, out, err = cli("import-excel", str(book), "--sheet", "第二轮", "--dry-run")
    assert code == 0, err
    assert "工作表“第二轮”" in out and "可导入 1 条" in out
    # a list without 问题来源 and 整改类别 columns: one value for all rows
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "问题描述", "责任科室", "责任人", "整改时限"])
    wb.active.append([1, "河道保洁不到位", "农业办", "赵六", "2026-07-31"])
    wb.active.append([2, "垃圾分类宣传不足", "农业办", "赵六", "2026-08-31"])
    wb.save(tmp_path / "缺列.xlsx")
    code, out, err = cli("import-excel", str(tmp_path / "缺列.xlsx"))
    assert code == 0 and "表中没有这一列" in out and "已导入 0 条" in out
    code, out, err = cli("import-excel", str(tmp_path / "缺列.xlsx"), "--default", "来源=审计",
                         "--default", "category=分阶段整改")
    assert code == 0, err
    assert "已导入 2 条" in out and "统一填写“审计”" in out
    code, out, err = cli("ledger", "--json")
    tasks = json.loads(out)
    rows = tasks if isinstance(tasks, list) else tasks.get("tasks", tasks.get("rows"))
    mine = [t for t in rows if t["title"] in ("河道保洁不到位", "垃圾分类宣传不足")]
    assert {(t["source"], t["category"]) for t in mine} == {("audit", "phased")}
    code, _, err = cli("import-excel", str(tmp_path / "缺列.xlsx"), "--default", "颜色=红")
    assert code == 2 and "不认识" in err


def test_cli_map_is_remembered_for_the_same_layout(cli, tmp_path: Path, data_dir: Path) -> None:  # noqa: ANN001
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")[0] == 0
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "问题来源", "问题描述", "整改类别", "包干股室", "责任人", "整改时限"])
    wb.active.append([1, "巡察", "村务公开不及时", "立行立改", "党政办", "李四", "2026-06-30"])
    wb.save(tmp_path / "甲.xlsx")
    code, out, _ = cli("import-excel", str(tmp_path / "甲.xlsx"), "--dry-run")
    assert "未识别的列（未导入）：包干股室" in out
    code, out, err = cli("import-excel", str(tmp_path / "甲.xlsx"), "--dry-run", "--map", "包干股室=责任科室")
    assert code == 0 and "未识别" not in out
    assert (data_dir / "excel-mappings.json").is_file()
    wb.active.cell(2, 3).value = "另一个问题"  # the next list from the same sender: same headers
    wb.save(tmp_path / "乙.xlsx")
    code, out, err = cli("import-excel", str(tmp_path / "乙.xlsx"), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["columns"]["section"] == "包干股室" and result["imported"] == 1


def test_typo_years_are_one_rows_error_and_dry_run_counts_what_the_import_does(cli, tmp_path: Path) -> None:  # noqa: ANN001
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")[0] == 0
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([1, "巡察", "正常一", "立行立改", "党政办", "李四", "2026-06-30"])
    ws.append([2, "巡察", "文本2206", "立行立改", "党政办", "李四", "2206-06-30"])
    ws.append([3, "巡察", "文本0206", "立行立改", "党政办", "李四", "0206-06-30"])
    ws.append([4, "巡察", "日期格2206", "立行立改", "党政办", "李四", date(2206, 6, 30)])
    ws.append([5, "巡察", "正常二", "立行立改", "党政办", "李四", date(2026, 9, 30)])
    ws.append([6, "巡察", "正常一", "立行立改", "党政办", "李四", "2026-06-30"])  # the same problem again
    ws.append([7, "巡察", "年份0", "立行立改", "党政办", "李四", "0000年6月"])
    wb.save(tmp_path / "年份.xlsx")
    code, out, err = cli("import-excel", str(tmp_path / "年份.xlsx"), "--dry-run", "--json")
    assert code == 0, err
    dry = json.loads(out)
    assert {(e["row"], e["column"]) for e in dry["errors"]} == {(3, "整改时限"), (4, "整改时限"), (5, "整改时限"),
                                                                  (7, "问题描述"), (8, "整改时限")}
    assert any("2206" in e["reason"] and "年份" in e["reason"] for e in dry["errors"])
    code, out, err = cli("import-excel", str(tmp_path / "年份.xlsx"), "--json")
    done = json.loads(out)
    assert dry["importable"] == done["imported"] == 2
    assert dry["bad_row_count"] == done["bad_row_count"] == 5


def test_row_error_flood_lists_a_bounded_number_and_counts_the_rest(tmp_path: Path) -> None:
    book = hk.error_flood(tmp_path / "洪水.xlsx", rows=3000)
    preview = read_problem_list(book)
    assert len(preview.errors) == MAX_ROW_ERRORS
    assert preview.bad_count == 3000 and preview.more_bad_rows == 3000 - MAX_ROW_ERRORS
    assert any(f"另有 {3000 - MAX_ROW_ERRORS} 行" in n for n in preview.notes)


@pytest.mark.parametrize("make", [hk.undefined_entity, hk.impossible_reference, hk.shared_string_out_of_range])
@pytest.mark.parametrize("limit", [None, 100])
def test_malformed_workbooks_are_not_readable_excel_files(tmp_path: Path, monkeypatch, make, limit) -> None:  # noqa: ANN001
    from core.excel import readers

    if limit:
        monkeypatch.setattr(readers, "CALAMINE_SHEET_BYTES", limit)
    with pytest.raises(InputRefused) as exc:
        read_problem_list(make(tmp_path / "坏.xlsx"))
    assert "不是可读的 Excel 文件" in exc.value.message and exc.value.hint


def test_a_far_cell_or_repeated_cells_never_build_a_huge_sheet(tmp_path: Path) -> None:
    """One valid cell at XFD1048576 (the last cell Excel has) would make calamine build 17 billion cells."""
    row = '<row r="1048576">' + hk._inline("XFD1048576", "x") + "</row>"
    book = hk._xlsx(tmp_path / "远.xlsx", [hk._header_row(), hk._problem_rows(2, 2).encode(), row.encode()])
    assert len(read_problem_list(book).importable) == 2
    sh = xlwt.Workbook().add_sheet("S")
    for c, h in enumerate(HEADER):
        sh.write(0, c, h)
    sh.write(65535, 255, "x")
    sh.get_parent().save(str(tmp_path / "远.xls"))
    assert read_problem_list(tmp_path / "远.xls").importable == []


def test_openpyxl_parses_with_defusedxml() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_round_trip_of_the_demo_ledger_keeps_states_nodes_and_dates(tmp_path: Path) -> None:
    from core.demo import build_demo
    from core.excel.exporter import export_ledger
    from core.unit import init_unit
    from core.workspace import Workspace

    def state(ws: Workspace) -> dict[str, tuple]:
        with ws.read() as s:
            return {t.title: (t.status, t.closed_on, (t.submitted_at or "")[:10], t.deadline,
                              tuple((n.title, n.due, n.status != "pending", n.done)
                                    for n in sorted(t.nodes, key=lambda n: n.seq) if n.deleted is None))
                    for t in s.scalars(select(Task).where(Task.deleted.is_(None)))}

    src = Workspace.open(tmp_path / "a", user="张三", today=date(2026, 4, 15))
    build_demo(src)
    before = state(src)
    with src.read() as s:
        export_ledger(s, src.today, tmp_path / "台账.xlsx")
    src.close()
    dst = Workspace.open(tmp_path / "b", user="张三", today=date(2026, 4, 15))
    with dst.session() as s:
        init_unit(s, "442000-017", "中山市某某镇人民政府", "township", admin="张三")
    with dst.read() as s:
        preview = read_problem_list(tmp_path / "台账.xlsx", session=s)
    assert preview.errors == [] and len(preview.importable) == len(before) == 60
    closed = {t for t, v in before.items() if v[0] == "closed"}
    assert {r.data.title for r in preview.arriving_closed if r.data} == closed and closed
    with dst.session() as s:
        import_problem_list(s, dst.user, preview)
    after = state(dst)
    dst.close()
    assert after == before
    assert len({v[0] for v in after.values()}) >= 4  # 待整改, 整改中, 已完成待审核, 已销号 all came back


@pytest.mark.parametrize("streamed", [False, True])
def test_a_flood_of_bad_rows_stops_checking_and_counts_the_rest(tmp_path: Path, monkeypatch, streamed) -> None:  # noqa: ANN001
    from core.excel import importer, readers

    monkeypatch.setattr(importer, "FLOOD_RUN", 500)
    if streamed:
        monkeypatch.setattr(readers, "CALAMINE_SHEET_BYTES", 100)
    book = hk.error_flood(tmp_path / "洪水.xlsx", rows=3000)
    preview = read_problem_list(book)
    assert len(preview.errors) == MAX_ROW_ERRORS and preview.importable == []
    checked = len(preview.rows) + preview.more_bad_rows
    assert checked == MAX_ROW_ERRORS + 1 and preview.unchecked_rows == 3000 - checked
    assert preview.row_count == 3000
    assert any("已停止检查" in n and f"还有 {3000 - checked} 行" in n for n in preview.notes)


@pytest.mark.parametrize("streamed", [False, True])
def test_a_sheet_as_wps_writes_it_no_dimension_no_cell_references(tmp_path: Path, monkeypatch, streamed) -> None:  # noqa: ANN001
    from core.excel import readers

    if streamed:
        monkeypatch.setattr(readers, "CALAMINE_SHEET_BYTES", 100)

    def row(values: list[str]) -> bytes:
        return ("<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values) + "</row>").encode()

    book = hk._xlsx(tmp_path / "wps.xlsx", [row(hk.HEADER), row(["1", "巡察", "一轮", "问题甲", "立行立改", "李四",
                                                                 "2026-06-30"]),
                                            row(["2", "审计", "一轮", "问题乙", "立行立改", "王五", "2026年7月30日"])])
    preview = read_problem_list(book)
    assert [(r.row, r.data.title, r.data.deadline) for r in preview.importable if r.data] == [
        (2, "问题甲", "2026-06-30"), (3, "问题乙", "2026-07-30")]


def test_a_status_word_of_another_program_imports_the_row_as_open(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append([*HEADER, "整改状态"])
    wb.active.append([*ROWS[0], "推进中"])
    wb.active.append([*ROWS[3], "已销号"])
    wb.save(tmp_path / "状态.xlsx")
    preview = read_problem_list(tmp_path / "状态.xlsx")
    assert preview.errors == [] and len(preview.importable) == 2
    assert [r.row for r in preview.arriving_closed] == [3]
    assert any("推进中" in n and "第 2 行" in n for n in preview.notes)


def test_cli_preview_of_an_exported_ledger_says_which_tasks_arrive_closed(cli, tmp_path: Path) -> None:  # noqa: ANN001
    code, _, err = cli("demo")
    assert code == 0, err
    out_file = tmp_path / "台账.xlsx"
    assert cli("export-excel", str(out_file))[0] == 0
    fresh = tmp_path / "fresh"
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三", data=fresh)[0] == 0
    code, out, err = cli("import-excel", str(out_file), "--dry-run", data=fresh)
    assert code == 0, err
    assert "导入后即为“已销号”" in out and "可导入 60 条" in out
