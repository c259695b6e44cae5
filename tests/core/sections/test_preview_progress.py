"""The unit's preview of a section report (verified whole, nothing applied) and each section's progress."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from core.errors import PackageRejected
from tests.core.exchange.exchkit import dump
from tests.core.sections.test_sections import _open, _reported, _send, _trusted, desks  # noqa: F401


def _evidence_at_desk(d, tmp_path: Path) -> Path:  # noqa: ANN001
    voucher = tmp_path / "拨付凭证.pdf"
    voucher.write_bytes(b"%PDF-1.4 voucher\n" * 100)
    assert d["cli"]("evidence", "add", d["ids"][0], str(voucher), "--node", "1", data=d["desk"])[0] == 0
    return voucher


def test_preview_lists_tasks_nodes_and_files_and_changes_nothing(desks, tmp_path) -> None:  # noqa: ANN001, F811
    from core.sections.preview import preview_report
    from core.sections.report import import_report

    pkg = _send(desks)
    _trusted(desks)
    assert desks["cli"]("import", str(pkg), data=desks["desk"])[0] == 0
    assert desks["cli"]("--today", "2026-04-15", "node", "done", desks["ids"][0], "1", "--note", "方案已印发",
                        data=desks["desk"])[0] == 0
    _evidence_at_desk(desks, tmp_path)
    back = tmp_path / "back"
    back.mkdir()
    assert desks["cli"]("export", str(back), data=desks["desk"])[0] == 0
    report = next(back.glob("*_section-report_*.zgb"))
    ws = _open(desks["unit"])
    try:
        before = dump(ws)
        pv = preview_report(ws, report)
        assert dump(ws) == before  # nothing applied, no file taken into the store
        assert pv.section == "财政所" and pv.sequence == 1 and not pv.already
        (task,) = pv.tasks
        assert task.title == "食堂账目不清"
        assert [(n.seq, n.done_by, n.note, n.new) for n in task.nodes] == [(1, "李四", "方案已印发", True)]
        assert [(f.filename, f.size, f.added_by, f.node_seq) for f in task.files] == [
            ("拨付凭证.pdf", 1700, "李四", 1)]
        assert "节点完成 1 个" in pv.headline() and "佐证材料 1 份" in pv.headline()
        import_report(ws, report)
        again = preview_report(ws, report)
        assert again.already and "已经导入过" in again.headline()
    finally:
        ws.close()


def test_preview_refuses_what_the_import_refuses(desks, tmp_path) -> None:  # noqa: ANN001, F811
    from core.sections.preview import preview_report

    (report,) = _reported(desks, tmp_path)
    bad = tmp_path / "tampered.zgb"
    with zipfile.ZipFile(report) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith("records.jsonl"):
                data = data.replace(b'"done"', b'"confirmed"', 1)
            zout.writestr(item, data)
    ws = _open(desks["unit"])
    try:
        before = dump(ws)
        with pytest.raises(PackageRejected, match="数据包"):
            preview_report(ws, bad)
        assert dump(ws) == before
    finally:
        ws.close()


def test_preview_of_a_tasks_package_at_the_desk(desks) -> None:  # noqa: ANN001, F811
    from core.sections.preview import preview_tasks

    pkg = _send(desks)
    _trusted(desks)
    ws = _open(desks["desk"])
    try:
        before = dump(ws)
        pv = preview_tasks(ws, pkg)
        assert dump(ws) == before
        assert sorted(pv.created) == ["专项资金拨付滞后", "食堂账目不清"] and pv.nodes == 4
        assert "新任务 2 条" in pv.headline()
    finally:
        ws.close()


def test_progress_per_section_in_dashboard_json_and_section_list(desks, tmp_path) -> None:  # noqa: ANN001, F811
    (report,) = _reported(desks, tmp_path)
    cli = desks["cli"]
    assert cli("import", str(report), data=desks["unit"])[0] == 0
    code, out, err = cli("--today", "2026-04-15", "dashboard", "--json", data=desks["unit"])
    assert code == 0, err
    sections = {s["code"]: s for s in json.loads(out)["sections"]}
    czs = sections["CZS"]
    assert (czs["tasks"], czs["open_tasks"], czs["nodes_done"], czs["nodes_total"]) == (2, 2, 1, 4)
    assert czs["awaiting_confirmation"] == 1
    assert sum(czs["lights"].values()) == 2
    assert czs["last_report"]["sequence"] == 1 and len(czs["last_report"]["date"]) == 10
    assert sections["DZB"]["last_report"] is None and sections["DZB"]["nodes_done"] == 0
    code, out, _ = cli("section", "list", data=desks["unit"])
    line = next(x for x in out.splitlines() if x.startswith("CZS"))
    assert "节点完成 1/4" in line and "待双人核查 1 个" in line
    code, out, _ = cli("--today", "2026-04-15", "dashboard", data=desks["unit"])
    assert "科室 财政所（CZS）" in out and "最近报送第 1 号" in out
    code, out, _ = cli("dashboard", "--json", data=desks["desk"])
    assert json.loads(out)["sections"] == []
