"""Importing the city's Excel problem list: the fixture, typed dates, synonyms, duplicates, refusals."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from sqlalchemy import func, select

from core.errors import InputRefused
from core.excel.columns import DateProblem, parse_typed_date
from core.excel.importer import import_problem_list, read_problem_list
from db.models import Task
from tests.conftest import FIXTURES

SAMPLE = FIXTURES / "excel" / "problem-list-sample.xlsx"


def _tasks(ws) -> dict[str, SimpleNamespace]:  # noqa: ANN001
    with ws.read() as s:
        return {
            t.title: SimpleNamespace(
                source=t.source,
                category=t.category,
                deadline=t.deadline,
                owner=t.owner.name if t.owner else "",
                section=t.section.name if t.section else "",
                leader=t.leader,
                batch=t.batch,
                measures=t.measures,
                city_ref=t.city_ref,
            )
            for t in s.scalars(select(Task).where(Task.deleted.is_(None)))
        }


def test_fixture_gives_nine_tasks_and_three_precise_row_errors(workspace) -> None:  # noqa: ANN001
    with workspace.read() as s:
        preview = read_problem_list(SAMPLE, session=s)
    assert preview.header_row == 2  # below the title row
    assert len(preview.rows) == 12 and len(preview.importable) == 9
    assert [r.row for r in preview.bad_rows] == [12, 13, 14]
    errors = {(e.row, e.column) for e in preview.errors}
    assert errors == {(12, "整改时限"), (13, "整改类别"), (14, "问题描述"), (14, "责任人")}
    by_row = {e.row: e.reason for e in preview.errors}
    assert "2026/13/01" in by_row[12] and "马上改" in by_row[13]
    with workspace.session() as s:
        ids = import_problem_list(s, workspace.user, preview)
    assert len(ids) == 9
    tasks = _tasks(workspace)
    assert len(tasks) == 9
    # 序号 2-4 typed their deadline as text in three ways
    assert tasks["专项资金拨付滞后，资金滞留超过6个月"].deadline == "2026-06-30"
    assert tasks["政府采购程序不规范，存在先采购后审批情况"].deadline == "2026-09-30"
    assert tasks["公务用车使用登记不完整"].deadline == "2026-12-31"
    first = tasks["村级财务公开不及时，部分村未按季度公开收支明细"]
    assert (first.source, first.category, first.deadline) == ("audit", "phased", "2026-04-28")
    assert (first.owner, first.section, first.leader) == ("李娜", "财政所", "副镇长 孙某")
    assert first.batch == "2026年市委第一轮巡察" and first.measures == "制定整改方案，明确时限，逐项销号"
    assert tasks["公务用车使用登记不完整"].source == "petition"


def test_importing_the_same_list_twice_creates_no_duplicates(cli, workspace) -> None:  # noqa: ANN001
    workspace.close()
    code, out, _ = cli("import-excel", str(SAMPLE))
    assert code == 0 and "已导入 9 条" in out and "第 12 行【整改时限】" in out
    code, out, _ = cli("import-excel", str(SAMPLE))
    assert code == 0 and "已导入 0 条" in out and "已在台账中" in out
    code, out, _ = cli("ledger", "--json")
    import json

    assert len(json.loads(out)["tasks"]) == 9


def test_dry_run_previews_and_changes_nothing(cli, workspace) -> None:  # noqa: ANN001
    workspace.close()
    code, out, _ = cli("import-excel", str(SAMPLE), "--dry-run", "--json")
    import json

    data = json.loads(out)
    assert code == 0 and data["importable"] == 9 and data["imported"] == 0
    assert data["bad_rows"] == [12, 13, 14]
    assert {"row": 13, "column": "整改类别"}.items() <= data["errors"][1].items()
    code, out, _ = cli("ledger", "--json")
    assert json.loads(out)["tasks"] == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (datetime(2026, 6, 30), date(2026, 6, 30)),
        (46203, date(2026, 6, 30)),  # an Excel serial number in a cell formatted as General
        ("2026年6月30日", date(2026, 6, 30)),
        ("2026.6.30", date(2026, 6, 30)),
        ("2026/6/30", date(2026, 6, 30)),
        ("2026-06-30", date(2026, 6, 30)),
        (" 2026 年 6 月 30 日前 ", date(2026, 6, 30)),
        ("20260630", date(2026, 6, 30)),
        ("2026年6月底", date(2026, 6, 30)),
        ("2026年2月", date(2026, 2, 28)),
    ],
)
def test_typed_dates(typed: object, expected: date) -> None:
    assert parse_typed_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("2026/13/01", "没有13月"), ("2026-02-30", "只有28天"), ("下个月", "看不出"), ("", "未填写"),
     ("长期坚持", "阶段完成时限")],
)
def test_impossible_dates_say_why(typed: str, reason: str) -> None:
    with pytest.raises(DateProblem, match=reason):
        parse_typed_date(typed)


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_synonym_headers_several_title_rows_and_duplicate_rows(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    path = _sheet(
        tmp_path / "list.xlsx",
        [
            ["附件2"],
            ["某某县审计整改问题清单"],
            [],
            ["编号", "存在问题", "来源", "整改方式", "责任单位", "具体责任人", "完成时限（必填）"],
            ["SJ-01", "账外资金未纳入预算", "审计", "立即整改", "财政所", "李娜", "2026年5月31日"],
            ["SJ-02", "往来款长期挂账", "审计整改", "长期整改", "财政所", "王强", "2026.12.31"],
            ["SJ-01", "账外资金未纳入预算（重复行）", "审计", "立即整改", "财政所", "李娜", "2026-05-31"],
            [None, None, None, None, None, None, None],
        ],
    )
    with workspace.read() as s:
        preview = read_problem_list(path, session=s)
    assert preview.header_row == 4
    assert preview.columns["city_ref"] == "编号" and preview.columns["deadline"] == "完成时限（必填）"
    assert len(preview.importable) == 2
    assert [(e.row, e.column) for e in preview.errors] == [(7, "编号")]
    with workspace.session() as s:
        import_problem_list(s, workspace.user, preview)
    tasks = _tasks(workspace)
    assert tasks["账外资金未纳入预算"].city_ref == "SJ-01"
    assert tasks["往来款长期挂账"].category == "long_term"
    with workspace.read() as s:  # identity is the city's 编号: a second import finds both
        again = read_problem_list(path, session=s)
    assert not again.importable and len(again.duplicates) == 2


def test_refusals_exit_3_with_a_plain_message(cli, workspace, tmp_path: Path) -> None:  # noqa: ANN001
    workspace.close()
    text = tmp_path / "notes.xlsx"
    text.write_text("这不是表格", encoding="utf-8")
    code, _, err = cli("import-excel", str(text))
    assert code == 3 and "不是 Excel 表格文件" in err
    # A workbook saved with an opening password, as Excel writes it (encrypted with msoffcrypto-tool).
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = _sheet(tmp_path / "plain.xlsx", [["问题编号", "问题描述"], ["SJ-01", "账外资金"]])
    locked = tmp_path / "locked.xlsx"
    with open(plain, "rb") as src, open(locked, "wb") as dst:
        OOXMLFile(src).encrypt("打开密码123", dst)
    code, _, err = cli("import-excel", str(locked))
    assert code == 3 and "设置了打开密码" in err
    old = tmp_path / "old.xls"  # an OLE header and nothing else: .xls is read, but this one is damaged
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    code, _, err = cli("import-excel", str(old))
    assert code == 3 and "不是可读的 Excel 文件" in err
    no_header = _sheet(tmp_path / "data.xlsx", [["甲", "乙"], [1, 2]])
    code, _, err = cli("import-excel", str(no_header))
    assert code == 3 and "找不到问题清单的表头" in err
    code, _, err = cli("import-excel", str(tmp_path / "missing.xlsx"))
    assert code == 3 and "找不到文件" in err


def test_bad_rows_never_block_or_half_import(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    from core.ledger.tasks import TaskInput, create_task

    path = _sheet(
        tmp_path / "list.xlsx",
        [
            ["问题编号", "问题描述", "问题来源", "整改类别", "责任人", "整改时限"],
            ["A-1", "新问题一", "巡察", "立行立改", "李娜", "2026-05-31"],
            ["A-2", "新问题二", "巡察", "立行立改", "李娜", "2026-05-31"],
        ],
    )
    with workspace.read() as s:
        preview = read_problem_list(path, session=s)
    # Between preview and import someone else registered A-2: the import skips it instead of failing.
    with workspace.session() as s:
        create_task(s, "张三", TaskInput("别处登记", "inspection", "immediate", "李娜", "2026-05-31"), city_ref="A-2")
    with workspace.session() as s:
        ids = import_problem_list(s, workspace.user, preview)
    assert len(ids) == 1
    with workspace.read() as s:
        assert s.scalar(select(func.count()).select_from(Task)) == 2


def test_refused_file_types_raise_input_refused(tmp_path: Path) -> None:
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InputRefused, match=r"\.xls"):
        read_problem_list(old)


def test_large_lists_import_in_bulk_exactly_like_create_task(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    from core import audit
    from core.excel.importer import BULK_FROM
    from core.ledger.tasks import NodeInput, TaskInput, create_task

    header = ["问题编号", "问题描述", "问题来源", "整改类别", "责任科室", "责任人", "整改时限", "整改节点"]
    rows = [
        [
            f"B-{i}",
            f"问题{i}",
            "审计",
            "分阶段整改",
            "财政所",
            f"人员{i % 7}",
            "2026-09-30",
            "制定方案（2026-05-31）\n组织实施（2026-09-30）",
        ]
        for i in range(BULK_FROM + 10)
    ]
    path = _sheet(tmp_path / "big.xlsx", [header, *rows])
    with workspace.read() as s:
        preview = read_problem_list(path, session=s)
    with workspace.session() as s:
        ids = import_problem_list(s, workspace.user, preview)
        one = create_task(
            s,
            workspace.user,
            TaskInput(
                "问题X",
                "audit",
                "phased",
                "人员1",
                "2026-09-30",
                section="财政所",
                nodes=[NodeInput("制定方案", "2026-05-31"), NodeInput("组织实施", "2026-09-30")],
            ),
            city_ref="B-X",
        )
    assert len(ids) == BULK_FROM + 10
    with workspace.read() as s:
        assert audit.verify(s).ok  # the bulk rows are in the audit chain, with the right row hashes
        bulk = s.get(Task, ids[1])
        single = s.get(Task, one.id)

        def fields(t: Task) -> tuple:
            return (
                t.source,
                t.category,
                t.deadline,
                t.status,
                t.next_due,
                t.owner.name,
                t.section.name,
                [(n.seq, n.title, n.due, n.status) for n in t.nodes],
                t.rev,
                t.from_city,
            )

        assert fields(bulk) == fields(single)
        assert bulk.search_text == single.search_text.replace("问题x", "问题1").replace("b-x", "b-1")
        change_nos = sorted(s.scalars(select(Task.change_no)))
        assert len(set(change_nos)) == len(change_nos)  # every task its own change number, for delta exports


def test_an_import_that_fails_midway_leaves_the_ledger_as_it_was(workspace, monkeypatch) -> None:  # noqa: ANN001
    from core.excel import importer

    real = importer.create_task
    calls = []

    def flaky(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 3:
            raise InputRefused("磁盘已满")
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "create_task", flaky)
    with workspace.read() as s:
        preview = read_problem_list(SAMPLE, session=s)
    with pytest.raises(InputRefused), workspace.session() as s:
        import_problem_list(s, workspace.user, preview)
    with workspace.read() as s:
        assert s.scalar(select(func.count()).select_from(Task)) == 0


def test_encrypted_package_name_is_found_across_read_chunks(tmp_path: Path) -> None:
    from core.excel.readers import _ENCRYPTED, _names_encrypted_package

    path = tmp_path / "big-locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * ((1 << 20) - 8 - 10) + _ENCRYPTED + b"\0" * 100)
    assert _names_encrypted_package(path)
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * (3 << 20))
    assert not _names_encrypted_package(path)


def test_excel_error_values_are_row_errors_not_content(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    """A city sheet whose VLOOKUP failed shows #N/A: that is a broken cell to fix, never a task titled “#N/A”."""
    path = _sheet(tmp_path / "list.xlsx", [
        ["问题描述", "问题来源", "整改类别", "责任人", "整改时限"],
        ["#N/A", "审计", "立行立改", "王五", "2026-12-31"],
        ["账外资金未纳入预算", "审计", "立行立改", "王五", "#REF!"],
        ["往来款长期挂账", "审计", "立行立改", "王五", "2026-12-31"],
    ])
    with workspace.read() as s:
        preview = read_problem_list(path, session=s)
    assert [(e.row, e.column) for e in preview.errors] == [(2, "问题描述"), (3, "整改时限")]
    assert all("错误值" in e.reason for e in preview.errors)
    assert [r.data.title for r in preview.importable if r.data] == ["往来款长期挂账"]


def test_a_name_padded_to_line_up_is_the_same_person(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    """Official tables pad two-character names (“王　五”) to line up with three-character ones."""
    from sqlalchemy import select

    from core.excel.importer import import_problem_list
    from db.models import Person

    path = _sheet(tmp_path / "list.xlsx", [
        ["问题描述", "问题来源", "整改类别", "责任人", "整改时限"],
        ["账外资金未纳入预算", "审计", "立行立改", "王　五", "2026-12-31"],
        ["往来款长期挂账", "审计", "立行立改", "王五", "2026-12-31"],
        ["公车登记不规范", "审计", "立行立改", " 王 五 ", "2026-12-31"],
    ])
    with workspace.session() as s:
        import_problem_list(s, "张三", read_problem_list(path, session=s))
    with workspace.read() as s:
        assert [p for p in s.scalars(select(Person.name)) if "五" in p] == ["王五"]
