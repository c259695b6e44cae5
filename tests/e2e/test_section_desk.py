"""内部督办 end to end, three data folders: the city assigns, the unit hands two tasks to 财政所, the section
completes a node with evidence and reports, the unit confirms with a second person and exports, and the
city's verifier accepts a report naming the section's person as done_by."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.core.exchange.exchkit import FB1, PASS, dump

UNIT = ("--unit-code", "442000-017", "--unit-name", "中山市某某镇人民政府")


def _ws(path: Path):  # noqa: ANN202
    from core.workspace import Workspace

    return Workspace.open(path, today=date(2026, 4, 15))


def _city_tasks(path: Path) -> list[str]:
    from sqlalchemy import select

    from db.models import Task

    ws = _ws(path)
    try:
        with ws.read() as s:
            return list(s.scalars(select(Task.id).where(Task.from_city.is_(True)).order_by(Task.deadline, Task.id)))
    finally:
        ws.close()


def test_city_unit_section_and_back(cli, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("RECTIDESK_PASSPHRASE", PASS)
    monkeypatch.setenv("RECTIDESK_NEW_PASSWORD", "审核人口令2026")
    unit, desk, stick, city = tmp_path / "unit", tmp_path / "desk", tmp_path / "stick", tmp_path / "city"
    stick.mkdir()
    city.mkdir()
    from tests.core.exchange.exchkit import CITY_PUB

    # the city assigns (its feedback package), the unit takes it in
    assert cli("init", *UNIT, "--admin", "张三", data=unit)[0] == 0
    assert cli("keys", "trust-city", str(CITY_PUB), data=unit)[0] == 0
    code, out, err = cli("--today", "2026-04-15", "import", str(FB1), data=unit)
    assert code == 0, err
    tasks = _city_tasks(unit)
    assert len(tasks) >= 2
    # the unit hands two of them to 财政所
    for tid in tasks[:2]:
        assert cli("--user", "张三", "task", "edit", tid, "--section", "财政所", data=unit)[0] == 0
    assert cli("--user", "张三", "section", "add", "CZS", "--name", "财政所", data=unit)[0] == 0
    # the section desk is set up, keys cross once, the tasks go down
    assert cli("init", *UNIT, "--section", "CZS", "--section-name", "财政所", "--admin", "李四", data=desk)[0] == 0
    assert cli("keys", "export-public", str(stick / "CZS.pub.json"), data=desk)[0] == 0
    assert cli("--user", "张三", "section", "trust", "CZS", str(stick / "CZS.pub.json"), data=unit)[0] == 0
    code, out, err = cli("--user", "张三", "section", "send", "CZS", str(stick), data=unit)
    assert code == 0, err
    assert cli("keys", "trust-unit", str(stick / "442000-017.pub.json"), data=desk)[0] == 0
    code, _, err = cli("--user", "张三", "section", "notify", "CZS", "--task", tasks[1], "--text", "请加快拨付进度。",
                       data=unit)
    assert code == 0, err  # the unit's own 督办, beside the city's notice on tasks[0]
    code, out, err = cli("--user", "张三", "section", "send", "CZS", str(stick), data=unit)
    assert code == 0, err
    package = Path(out.splitlines()[0])
    code, out, err = cli("import", str(package), data=desk)
    assert code == 0 and "新任务 2 条" in out and "督办通知 2 份" in out, out + err
    code, out, _ = cli("notices", data=desk)
    assert "DB-2026-0031" in out and "内部督办" in out
    code, _, err = cli("--user", "李四", "respond", "DB-2026-0031", "资金已拨付，凭证附后。", data=desk)
    assert code == 0, err
    # the section does its node, with evidence, and reports
    photo = tmp_path / "拨付凭证.pdf"
    photo.write_bytes(b"%PDF-1.4 voucher\n")
    code, _, err = cli("--today", "2026-04-15", "node", "done", tasks[0], "1", "--note", "已拨付", data=desk)
    assert code == 0, err
    code, _, err = cli("evidence", "add", tasks[0], str(photo), "--node", "1", data=desk)
    assert code == 0, err
    back = tmp_path / "back"
    back.mkdir()
    code, out, err = cli("export", str(back), data=desk)
    assert code == 0 and "科室报送包" in out, out + err
    report = next(back.glob("*_section-report_*.zgb"))
    assert (back / "442000-017_CZS.pub.json").exists()
    # the unit takes the report in: done, awaiting its own 双人核查
    code, out, err = cli("--user", "张三", "import", str(report), data=unit)
    assert code == 0 and "节点完成 1 个" in out and "佐证材料 1 份" in out and "督办反馈 1 条" in out, out + err
    code, out, err = cli("--user", "张三", "import", str(report), data=unit)
    assert code == 0 and "已经导入过" in out
    assert cli("--user", "张三", "user", "passwd", "张三", data=unit)[0] == 0
    monkeypatch.setenv("RECTIDESK_PASSWORD", "审核人口令2026")  # the same for both, for brevity
    code, out, err = cli("--user", "张三", "user", "add", "陈审核", "--role", "reviewer", data=unit)
    assert code == 0, err
    code, _, err = cli("--user", "陈审核", "node", "confirm", tasks[0], "1", data=unit)
    assert code == 0, err
    code, out, err = cli("--user", "张三", "export", str(city), data=unit)
    assert code == 0, err
    # the city's own verifier accepts it, and the node names the section's person
    from city_desk import verify_report

    from core.exchange.keys import read_public_file

    pkg = verify_report(next(city.glob("*.zgb")), read_public_file(city / "442000-017.pub.json", owner="unit"))
    nodes = [r for _l, r in pkg.records if r["type"] == "node" and r["task_id"] == tasks[0] and r["seq"] == 1]
    assert nodes and nodes[0]["done_by"] == "李四" and nodes[0]["confirmed_by"] == "陈审核"
    assert any(r["type"] == "evidence" and r["added_by"] == "李四" for _l, r in pkg.records)
    # the section's answer to the city's notice reaches the city; the unit's own 督办 does not
    responses = [r for _l, r in pkg.records if r["type"] == "response"]
    assert [(r["notice_id"], r["by"]) for r in responses] == [("DB-2026-0031", "李四")]


def test_report_touching_another_sections_task_refused_whole(cli, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """The desk's own ledger is tampered so it reports on a task it was not given: the unit refuses it all."""
    monkeypatch.setenv("RECTIDESK_PASSPHRASE", PASS)
    unit, desk, stick = tmp_path / "unit", tmp_path / "desk", tmp_path / "stick"
    stick.mkdir()
    assert cli("init", *UNIT, "--admin", "张三", data=unit)[0] == 0
    ids = []
    for section in ("财政所", "党政办"):
        code, out, _ = cli("task", "add", "--title", f"{section}问题", "--source", "巡察", "--category", "分阶段整改",
                           "--owner", "王五", "--deadline", "2026-06-30", "--section", section,
                           "--node", "完成整改@2026-06-20", data=unit)
        ids.append(out.strip().splitlines()[-1])
    assert cli("section", "add", "CZS", "--name", "财政所", data=unit)[0] == 0
    assert cli("init", *UNIT, "--section", "CZS", "--section-name", "财政所", "--admin", "李四", data=desk)[0] == 0
    assert cli("keys", "export-public", str(stick / "CZS.pub.json"), data=desk)[0] == 0
    assert cli("section", "trust", "CZS", str(stick / "CZS.pub.json"), data=unit)[0] == 0
    code, out, _ = cli("section", "send", "CZS", str(stick), data=unit)
    assert cli("keys", "trust-unit", str(stick / "442000-017.pub.json"), data=desk)[0] == 0
    assert cli("import", out.splitlines()[0], data=desk)[0] == 0
    # the other section's task (same id) appears at this desk by other means, and is reported on
    from core.ledger.tasks import TaskInput, create_task

    ws = _ws(desk)
    try:
        with ws.session() as s:
            create_task(s, "李四", TaskInput(title="党政办问题", source="巡察", category="分阶段整改", owner="王五",
                                            deadline="2026-06-30"), task_id=ids[1])
    finally:
        ws.close()
    assert cli("evidence", "add", ids[1], str(stick / "CZS.pub.json"), data=desk)[0] == 0
    assert cli("--today", "2026-04-15", "node", "done", ids[0], "1", data=desk)[0] == 0
    back = tmp_path / "back"
    back.mkdir()
    assert cli("export", str(back), data=desk)[0] == 0
    ws = _ws(unit)
    try:
        before = dump(ws)
    finally:
        ws.close()
    code, _, err = cli("import", str(next(back.glob("*.zgb"))), data=unit)
    assert code == 3 and "没有交给“财政所”" in err and "整个数据包" in err
    ws = _ws(unit)
    try:
        assert dump(ws) == before
    finally:
        ws.close()
