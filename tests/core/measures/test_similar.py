"""相似问题: the library loads, rephrased problems find their family, suggestions carry measures and node plans."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from core.ledger.tasks import NodeInput, TaskInput, create_task, delete_task, edit_task
from core.measures.library import PlanNode, add_own_entry, parse_library, starter_library
from core.measures.similar import SimilarIndex, default_reader, plan_from, suggest
from tests.core.measures.families import NEW, PAST

FAMILY_OF: dict[str, str] = {}


@pytest.fixture
def past(workspace):  # noqa: ANN001, ANN201
    """A ledger of past tasks in a dozen families, each with measures and two nodes; the first of each closed."""
    with workspace.session() as s:
        for family, titles in PAST.items():
            for i, title in enumerate(titles):
                t = create_task(s, "张三", TaskInput(
                    title=title, source="inspection", category="phased", owner="李四", deadline="2026-06-30",
                    description=f"{title}，群众有意见。", measures=f"{family}的整改措施：清查、整改、建章立制。",
                    nodes=[NodeInput(f"{family}清查", "2026-05-10"), NodeInput(f"{family}建制度", "2026-06-20")]))
                FAMILY_OF[t.id] = family
                t.created = "2026-03-01T09:00:00+08:00"
                if i == 0:
                    t.review_state, t.status, t.closed_on = "accepted", "closed", "2026-06-25"
    return workspace


def _index(ws) -> SimilarIndex:  # noqa: ANN001
    return SimilarIndex(ws.paths.similar_index)


def test_the_starter_library_loads_validates_and_covers_the_common_problem_types() -> None:
    lib = starter_library()
    assert lib.version and len(lib.entries) >= 12
    families = {e.family for e in lib.entries}
    for family in ("财务公开", "公务用车", "办公用房", "专项资金", "工程结算", "固定资产", "干部档案", "安全生产",
                   "信访", "耕地保护", "政务服务", "网络安全"):
        assert family in families
    assert all(e.measures and e.nodes for e in lib.entries)
    reader = default_reader()
    for a, b in (("小车", "公车"), ("张榜", "公开"), ("财产", "资产"), ("清点", "盘点"), ("灭火器", "消防")):
        assert set(reader.tokens(a)) & set(reader.tokens(b)), (a, b)


def test_a_broken_library_file_is_refused_whole() -> None:
    good = json.loads(Path("resources/measures/library.json").read_text(encoding="utf-8"))
    for broken in ({**good, "format": "x"},
                   {**good, "entries": [*good["entries"], good["entries"][0]]},  # id twice
                   {**good, "entries": [{**good["entries"][0], "id": "z", "nodes": [{"title": "a", "days": -1}]}]}):
        with pytest.raises(ValueError):
            parse_library(broken)


def test_a_problem_in_other_words_finds_its_family_among_the_first_three(past) -> None:  # noqa: ANN001
    index = _index(past)
    misses = []
    with past.session() as s:
        for family, queries in NEW.items():
            for q in queries:
                ledger = [x for x in suggest(s, index, q, limit=10) if x.source == "ledger"][:3]
                if family not in {FAMILY_OF[x.task_id] for x in ledger}:
                    misses.append((q, family, [x.title for x in ledger]))
    total = sum(len(v) for v in NEW.values())
    assert len(misses) <= total // 12, misses  # nearly all: at most one in twelve missed


def test_plain_substring_matching_would_not_be_enough(past) -> None:  # noqa: ANN001
    """What the synonyms and pairs buy: a LIKE on the whole wording finds almost none of the rephrased problems."""
    from sqlalchemy import select

    from db.models import Task

    with past.session() as s:
        hits = sum(1 for qs in NEW.values() for q in qs
                   if s.scalar(select(Task.id).where(Task.title.contains(q)).limit(1)))
    assert hits <= 2


def test_closed_tasks_come_first_and_carry_measures_nodes_and_time_taken(past) -> None:  # noqa: ANN001
    with past.session() as s:
        best = [x for x in suggest(s, _index(past), "村里账目没有张榜公布", limit=10) if x.source == "ledger"]
    assert best[0].status == "closed" and FAMILY_OF[best[0].task_id] == "财务公开"
    assert "财务公开的整改措施" in best[0].measures
    assert [n.title for n in best[0].nodes] == ["财务公开清查", "财务公开建制度"]
    assert best[0].took_days == 116  # 2026-03-01 → 销号 2026-06-25
    assert [n.days for n in best[0].nodes] == [70, 111]
    plan = plan_from(best[0], date(2026, 12, 1))
    assert [t for t, _ in plan] == ["财务公开清查", "财务公开建制度"] and plan[0][1] >= date(2026, 12, 1)


def test_full_width_text_and_spacing_find_the_same(past) -> None:  # noqa: ANN001
    with past.session() as s:
        plain = [x.task_id for x in suggest(s, _index(past), "门户网站存在高危漏洞 12345", limit=5)]
        wide = [x.task_id for x in suggest(s, _index(past), "门户网站　存在高危漏洞　１２３４５", limit=5)]
    assert plain == wide and plain


def test_the_index_follows_edits_and_deletions_and_skips_the_task_being_edited(past) -> None:  # noqa: ANN001
    index = _index(past)
    with past.session() as s:
        first = next(x for x in suggest(s, index, "业务系统使用弱口令")
                     if x.source == "ledger" and x.status != "closed")
        assert FAMILY_OF[first.task_id] == "网络安全"
        edit_task(s, "张三", first.task_id, TaskInput(title="食堂卫生检查不合格"))
    with past.session() as s:
        assert first.task_id in {x.task_id for x in suggest(s, index, "食堂卫生检查不合格")}
        assert first.task_id not in {x.task_id for x in suggest(s, index, "食堂卫生检查不合格",
                                                                  exclude_task=first.task_id)}
        delete_task(s, "张三", first.task_id)
    with past.session() as s:
        assert first.task_id not in {x.task_id for x in suggest(s, index, "食堂卫生检查不合格")}


def test_a_damaged_index_is_rebuilt_from_the_ledger(past) -> None:  # noqa: ANN001
    index = _index(past)
    with past.session() as s:
        suggest(s, index, "公车私用")
    index.path.write_bytes(b"not a database at all" * 100)
    with past.session() as s:
        assert suggest(s, index, "公车私用")


def test_the_units_own_entries_are_suggested_beside_the_starter_library(past) -> None:  # noqa: ANN001
    with past.session() as s:
        eid = add_own_entry(s, "张三", title="鱼塘承包合同未公开招标", family="集体资产发包",
                            measures="重新公开发包", nodes=[PlanNode("制定发包方案", 10)])
    with past.session() as s:
        found = [x for x in suggest(s, _index(past), "鱼塘发包没有招标") if x.source == "library"]
    assert found[0].entry_id == eid and found[0].own and found[0].nodes == [PlanNode("制定发包方案", 10)]


def test_suggest_on_the_command_line_prints_json_best_first(past, cli) -> None:  # noqa: ANN001
    past.close()  # the command line opens the folder itself
    code, out, _ = cli("suggest", "--title", "小车节假日没有封存", "--limit", "4", "--json")
    assert code == 0
    rows = json.loads(out)["suggestions"]
    assert 0 < len(rows) <= 4
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert {r["source"] for r in rows} <= {"ledger", "library"}
    ledger = [r for r in rows if r["source"] == "ledger"]
    assert ledger and all(r["task_id"] for r in ledger) and all(isinstance(r["nodes"], list) for r in rows)
    assert FAMILY_OF[ledger[0]["task_id"]] == "公务用车"


def test_the_units_own_library_on_the_command_line(past, cli) -> None:  # noqa: ANN001
    past.close()
    code, out, _ = cli("measures", "add", "--title", "鱼塘承包合同未公开招标", "--measures", "重新公开发包",
                       "--node", "制定发包方案@10", "--node", "公开招标@30")
    assert code == 0
    eid = out.strip()
    code, out, _ = cli("suggest", "--title", "鱼塘发包没有招标", "--json")
    first = next(r for r in json.loads(out)["suggestions"] if r["source"] == "library")
    assert first["entry_id"] == eid and first["nodes"] == [{"title": "制定发包方案", "days": 10},
                                                          {"title": "公开招标", "days": 30}]
    code, _, err = cli("measures", "add", "--title", "x", "--measures", "y", "--node", "没有天数")
    assert code == 3 and "名称@天数" in err
    assert cli("measures", "remove", eid)[0] == 0
    code, out, _ = cli("measures", "list", "--json")
    assert eid not in out and json.loads(out)["version"]


def test_generic_phrases_of_a_finding_do_not_decide_its_family() -> None:
    """"…整改不到位" and "答复不到位" share only the words that say something is wrong: no match on them."""
    reader = default_reader()
    a, b = set(reader.tokens("乱占耕地问题整改不到位")), set(reader.tokens("12345热线诉求答复不到位"))
    assert not a & b
    assert set(reader.tokens("宴请未按规定审批")) & set(reader.tokens("公务接待无公函"))  # 宴请 ~ 接待


def test_the_ledgers_own_history_is_not_pushed_out_by_the_library(past) -> None:  # noqa: ANN001
    """The library's short texts score high; the unit's own past tasks still take at least half the places."""
    with past.session() as s:
        found = suggest(s, _index(past), "国有资产没有盘点", limit=4)
    ledger = [x for x in found if x.source == "ledger"]
    assert len(ledger) >= 2 and FAMILY_OF[ledger[0].task_id] == "固定资产"
