"""相似问题 per row of a problem list: each row's similar past tasks, and a suggestion's measures and nodes copied
into that row's import (the task arrives with them)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from core.errors import InputRefused
from core.excel.importer import import_problem_list, read_problem_list, row_plan, row_problems, set_row_plan
from core.ledger.tasks import NodeInput, TaskInput, create_task, get_task, live_nodes
from core.measures.similar import SimilarIndex, suggest_many
from db.models import Task
from tests.core.measures.families import NEW, PAST

HEADER = ["序号", "问题描述", "问题来源", "整改类别", "责任人", "整改时限", "整改措施"]


@pytest.fixture
def past(workspace):  # noqa: ANN001, ANN201
    """Past tasks of a dozen families, each with its family's measures and two nodes; the first of each closed."""
    with workspace.session() as s:
        for family, titles in PAST.items():
            for i, title in enumerate(titles):
                t = create_task(s, "张三", TaskInput(
                    title=title, source="inspection", category="phased", owner="李四", deadline="2026-06-30",
                    measures=f"{family}的整改措施：清查、整改、建章立制。",
                    nodes=[NodeInput(f"{family}清查", "2026-03-11"), NodeInput(f"{family}建制度", "2026-04-30")]))
                t.created = "2026-03-01T09:00:00+08:00"
                if i == 0:
                    t.review_state, t.status, t.closed_on = "accepted", "closed", "2026-05-01"
    return workspace


def _list(path: Path, titles: list[str], measures: str = "") -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    for i, title in enumerate(titles, 1):
        wb.active.append([i, title, "巡察", "分阶段整改", "王五", "2026-09-30", measures])
    wb.save(path)
    return path


def _similar(ws, preview):  # noqa: ANN001, ANN202
    problems = row_problems(preview)
    with ws.read() as s:
        found = suggest_many(s, SimilarIndex(ws.paths.similar_index), [(t, d) for _, t, d in problems], limit=5)
    return {row: f for (row, _, _), f in zip(problems, found, strict=True)}


def test_each_row_of_a_list_finds_the_past_problem_it_rephrases(past, tmp_path: Path) -> None:  # noqa: ANN001
    titles = [t for family in NEW for t in NEW[family][:1]]
    preview = read_problem_list(_list(tmp_path / "清单.xlsx", titles))
    similar = _similar(past, preview)
    families = list(NEW)
    hits = 0
    for k, row in enumerate(r.row for r in preview.importable):
        ledger = [x for x in similar[row] if x.source == "ledger"][:3]
        hits += any(families[k] in x.measures for x in ledger)
    assert hits >= len(families) - 1  # nearly all: "村里账目没有张榜公布" meets 村级财务收支未按季度公开 …
    first = similar[preview.importable[0].row]
    assert first[0].source == "ledger" and first[0].title in PAST["财务公开"]


@pytest.mark.parametrize("rows", [3, 60])  # one by one, and the bulk path of a long list
def test_copying_a_suggestion_gives_that_rows_task_its_measures_and_nodes(past, tmp_path: Path,  # noqa: ANN001
                                                                          rows: int) -> None:
    titles = ["小车节假日没有封存停放"] + [f"第{i}个别的问题" for i in range(rows - 1)]
    preview = read_problem_list(_list(tmp_path / "清单.xlsx", titles, measures="先行自查"))
    best = _similar(past, preview)[2][0]
    assert best.title in PAST["公务用车"]
    set_row_plan(preview, 2, row_plan(best, past.today))
    with past.session() as s:
        ids = import_problem_list(s, past.user, preview)
    assert len(ids) == rows
    with past.read() as s:
        by_title = {t.title: t for t in s.scalars(select(Task))}
        task = get_task(s, by_title["小车节假日没有封存停放"].id)
        assert task.measures == "先行自查\n公务用车的整改措施：清查、整改、建章立制。"
        nodes = live_nodes(task)
        # the past task's plan, due as many days from today (2026-04-15) as it was after that task was created
        assert [(n.title, n.due) for n in nodes] == [("公务用车清查", "2026-04-25"), ("公务用车建制度", "2026-06-14")]
        other = get_task(s, by_title["第0个别的问题"].id)
        assert task.deadline == "2026-09-30"
        assert other.measures == "先行自查" and live_nodes(other) == []


def test_a_plan_can_be_taken_back_and_only_an_imported_row_takes_one(past, tmp_path: Path) -> None:  # noqa: ANN001
    preview = read_problem_list(_list(tmp_path / "清单.xlsx", ["小车节假日没有封存停放", ""]))
    best = _similar(past, preview)[2][0]
    from datetime import date

    late = row_plan(best, date(2026, 9, 1))  # its second node would fall after the row's 整改时限 2026-09-30
    set_row_plan(preview, 2, late)
    assert [n.due for n in preview.importable[0].task_input().nodes] == [late.nodes[0].due, "2026-09-30"]
    set_row_plan(preview, 2, row_plan(best, past.today))
    set_row_plan(preview, 2, None)
    assert preview.importable[0].task_input() == preview.importable[0].data
    with pytest.raises(InputRefused, match="第 3 行不会导入"):
        set_row_plan(preview, 3, row_plan(best, past.today))


def test_import_excel_on_the_command_line_suggests_per_row_and_adopts(past, cli, data_dir: Path,  # noqa: ANN001
                                                                     tmp_path: Path) -> None:
    from core.workspace import Workspace

    past.close()  # the command line opens the folder itself
    book = _list(tmp_path / "清单.xlsx", ["小车节假日没有封存停放", "灭火器过期没有更换"])
    code, out, _ = cli("import-excel", str(book), "--dry-run", "--json", "--suggest")
    assert code == 0
    data = json.loads(out)
    assert [r["row"] for r in data["suggestions"]] == [2, 3]
    top = data["suggestions"][0]["suggestions"]
    assert 1 <= len(top) <= 3 and top[0]["title"] in PAST["公务用车"] and top[0]["nodes"]
    fire = data["suggestions"][1]["suggestions"]
    assert fire[0]["title"] in PAST["安全生产"] or fire[0].get("family") == "安全生产"
    n = next(i for i, x in enumerate(fire, 1) if x["source"] == "ledger")  # the past task among the three
    assert fire[n - 1]["title"] in PAST["安全生产"]
    code, out, _ = cli("import-excel", str(book), "--adopt", f"3:{n}", "--json")
    assert code == 0
    assert json.loads(out)["adopted"] == [{"row": 3, "from": fire[n - 1]["title"]}]
    ws = Workspace.open(data_dir, user="张三")
    try:
        with ws.read() as s:
            task = s.scalars(select(Task).where(Task.title == "灭火器过期没有更换")).one()
            assert "安全生产的整改措施" in task.measures
            assert [n.title for n in live_nodes(task)] == ["安全生产清查", "安全生产建制度"]
            other = s.scalars(select(Task).where(Task.title == "小车节假日没有封存停放")).one()
            assert other.measures == "" and live_nodes(other) == []
    finally:
        ws.close()
    code, _, err = cli("import-excel", str(book), "--adopt", "x:1", "--dry-run")
    assert code == 2 and "行号" in err
