"""内部督办, the rest of the exchange: notices down (the city's and the unit's own), responses up, only what
changed in either direction (receipts both ways), tasks taken back, packages in parts, and hostile records —
each refused whole with nothing changed, or warned (docs/section-exchange.md §5–§6)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.core.exchange.exchkit import PASS, dump
from tests.core.sections.test_sections import _open, _send, _trusted

UNIT_CODE = "442000-017"


def _rows(path: Path, model: Any, *where: Any) -> list[Any]:
    ws = _open(path)
    try:
        with ws.read() as s:
            rows = list(s.scalars(select(model).where(*where)))
            s.expunge_all()
            return rows
    finally:
        ws.close()


def _records(pkg: Path) -> list[dict[str, Any]]:
    """What a package carries, read without trusting anyone (the tests' view of the wire)."""
    import zipfile

    from core.exchange import bag
    from core.exchange.records import parse_lines

    with zipfile.ZipFile(pkg) as z:
        name = next(n for n in z.namelist() if n.endswith("data/records.jsonl"))
        info = bag.parse_info(z.read(name.replace("data/records.jsonl", "bag-info.txt")))
        lines = z.read(name).splitlines(keepends=True)
    return [r for _n, r, _k in parse_lines(lines, info["Package-Type"], int(info["Sequence"]))]


def _import(d, pkg: Path, where: str = "desk") -> str:  # noqa: ANN001
    code, out, err = d["cli"]("import", str(pkg), data=d[where])
    assert code == 0, err
    return out


def _report(d, tmp_path: Path, *extra: str) -> list[Path]:  # noqa: ANN001
    back = tmp_path / f"back-{uuid.uuid4().hex[:6]}"
    back.mkdir()
    code, out, err = d["cli"]("export", str(back), *extra, data=d["desk"])
    assert code == 0, err
    return sorted(back.glob("*_section-report_*.zgb"))


def _city_notice(path: Path, task_id: str, nid: str = "ZS-DB-2026-001", level: str = "red") -> None:
    """A city 督办通知 on a task, as a feedback import leaves it at the unit."""
    from db.models import Notice

    ws = _open(path)
    try:
        with ws.session() as s:
            s.add(Notice(id=nid, level=level, task_ref=task_id, task_id=task_id, title="挂牌督办：食堂账目",
                         text="请于月底前完成整改并反馈。", issued="2026-04-10T09:00:00+08:00", issuer="市督查室",
                         respond_by="2026-04-30", attachments=[], state="open"))
    finally:
        ws.close()


def _started(d) -> Path:  # noqa: ANN001
    pkg = _send(d)
    _trusted(d)
    assert "新任务 2 条" in _import(d, pkg)
    return pkg


# -- notices down, responses up ---------------------------------------------------------------------------

def test_the_units_own_notice_travels_and_the_sections_answer_comes_back(desks, tmp_path) -> None:  # noqa: ANN001
    from db.models import Notice, Response

    d, cli = desks, desks["cli"]
    _started(d)
    code, out, err = cli("section", "notify", "CZS", "--task", d["ids"][0], "--text", "请本周内报送拨付凭证。",
                         "--due", "2099-01-31", data=d["unit"])
    assert code == 0, err
    nid = out.splitlines()[0]
    assert "内部督办通知 1 份" in out and "2099-01-31" in out
    import json

    code, out, _ = cli("dashboard", "--json", data=d["unit"])
    assert json.loads(out)["notices_awaiting_response"] == 0  # the section answers it, not the unit
    code, _, err = cli("section", "notify", "CZS", "--task", d["ids"][2], "--text", "x", data=d["unit"])
    assert code == 3 and "不是交给“财政所”" in err  # 党政办's task
    assert "督办通知 1 份" in _import(d, _send(d))
    code, out, _ = cli("notices", data=d["desk"])
    assert nid in out and "请本周内报送拨付凭证" not in out and "内部督办" in out and "未读" in out
    code, out, err = cli("--user", "李四", "respond", nid, "凭证已整理，明日报送。", data=d["desk"])
    assert code == 0 and "交本单位" in out, err
    (report,) = _report(d, tmp_path)
    assert "督办反馈 1 条" in _import(d, report, "unit")
    (resp,) = _rows(d["unit"], Response)
    assert (resp.notice_id, resp.by, resp.section_code, resp.text) == (nid, "李四", "CZS", "凭证已整理，明日报送。")
    code, out, _ = cli("notices", data=d["unit"])
    assert "李四（财政所）：凭证已整理" in out and "已反馈" in out
    # the unit's own 督办 never reaches the city, nor colours what the city is told
    from core.exchange.exporter import ReportExporter

    ws = _open(d["unit"])
    try:
        assert "response" not in ReportExporter(ws).plan().counts
    finally:
        ws.close()
    assert _rows(d["unit"], Notice)[0].origin == "unit"


def test_the_citys_notice_on_a_sections_task_goes_down_and_its_answer_goes_up(desks, tmp_path) -> None:  # noqa: ANN001
    from db.models import Notice

    d, cli = desks, desks["cli"]
    _city_notice(d["unit"], d["ids"][0])
    _city_notice(d["unit"], d["ids"][2], "ZS-DB-2026-002")  # on 党政办's task: not for 财政所
    assert "督办通知 1 份" in _import(d, _started_pkg(d))
    (notice,) = _rows(d["desk"], Notice)
    assert (notice.id, notice.level, notice.task_id) == ("ZS-DB-2026-001", "red", d["ids"][0])
    code, out, _ = cli("ledger", data=d["desk"])
    assert code == 0 and "红" in out  # the city's red notice lights the task at the desk too
    assert cli("--user", "李四", "respond", "ZS-DB-2026-001", "已完成整改。", data=d["desk"])[0] == 0
    (report,) = _report(d, tmp_path)
    _import(d, report, "unit")
    from core.exchange.exporter import ReportExporter

    ws = _open(d["unit"])
    try:
        assert ReportExporter(ws).plan().counts.get("response") == 1  # the city's notice: answered to the city
    finally:
        ws.close()
    # the city closes it: the closure follows to the section
    ws = _open(d["unit"])
    try:
        with ws.session() as s:
            n = s.get(Notice, "ZS-DB-2026-001")
            n.state, n.closed = "closed", "2026-04-20T10:00:00+08:00"
    finally:
        ws.close()
    _import(d, _send(d))
    assert _rows(d["desk"], Notice)[0].state == "closed"


def _started_pkg(d) -> Path:  # noqa: ANN001
    pkg = _send(d)
    _trusted(d)
    return pkg


def test_a_response_to_a_notice_not_sent_to_the_section_refuses_the_report(desks, tmp_path) -> None:  # noqa: ANN001
    from db.models import Notice

    d, cli = desks, desks["cli"]
    _city_notice(d["unit"], d["ids"][2], "ZS-DB-2026-009")  # 党政办's
    _started(d)
    ws = _open(d["desk"])  # the desk's ledger is tampered with: it holds a notice it was never sent
    try:
        with ws.session() as s:
            s.add(Notice(id="ZS-DB-2026-009", level="red", task_ref=d["ids"][0], task_id=d["ids"][0], title="伪造",
                         text="x", issued="2026-04-10T09:00:00+08:00", issuer="?", respond_by="2026-04-30",
                         attachments=[], state="open"))
    finally:
        ws.close()
    assert cli("--user", "李四", "respond", "ZS-DB-2026-009", "已整改。", data=d["desk"])[0] == 0
    assert cli("--today", "2026-04-15", "node", "done", d["ids"][0], "1", data=d["desk"])[0] == 0
    (report,) = _report(d, tmp_path)
    _unit_refuses(d, report, "没有发给“财政所”")


# -- only what changed; receipts both ways; tasks taken back ------------------------------------------------

def test_later_packages_carry_only_what_the_section_has_not_received(desks, tmp_path) -> None:  # noqa: ANN001
    d, cli = desks, desks["cli"]
    first = _started(d)
    assert {r["type"] for r in _records(first)} >= {"task", "node", "receipt"}
    again = _send(d)  # no receipt yet: everything again (the first may be lost)
    assert sum(r["type"] == "task" for r in _records(again)) == 2
    _import(d, again)
    (report,) = _report(d, tmp_path)
    receipt = next(r for r in _records(report) if r["type"] == "receipt")
    assert receipt["accepted"] == [1, 2]
    _import(d, report, "unit")
    quiet = _send(d)
    assert [r["type"] for r in _records(quiet)] == ["unit", "receipt"]
    assert next(r for r in _records(quiet) if r["type"] == "receipt")["accepted"] == [1]
    code, _, err = cli("task", "edit", d["ids"][1], "--deadline", "2026-07-31", data=d["unit"])
    assert code == 0, err
    changed = _send(d)
    tasks = [r for r in _records(changed) if r["type"] == "task"]
    assert [(t["id"], t["deadline"]) for t in tasks] == [(d["ids"][1], "2026-07-31")]
    assert "更新 1 条" in _import(d, changed)
    from db.models import Task

    assert {t.id: t.deadline for t in _rows(d["desk"], Task)}[d["ids"][1]] == "2026-07-31"


def test_section_reports_carry_only_what_the_unit_has_not_acknowledged(desks, tmp_path) -> None:  # noqa: ANN001
    d, cli = desks, desks["cli"]
    _started(d)
    photo = tmp_path / "凭证.pdf"
    photo.write_bytes(b"%PDF-1.4 voucher\n")
    assert cli("--today", "2026-04-15", "node", "done", d["ids"][0], "1", data=d["desk"])[0] == 0
    assert cli("evidence", "add", d["ids"][0], str(photo), "--node", "1", data=d["desk"])[0] == 0
    (one,) = _report(d, tmp_path)
    (two,) = _report(d, tmp_path)  # the unit has not answered yet: repeated, file and all
    for pkg in (one, two):
        kinds = [r["type"] for r in _records(pkg)]
        assert kinds.count("node") == 1 and kinds.count("evidence") == 1
        assert next(r for r in _records(pkg) if r["type"] == "evidence")["included"] is True
    _import(d, one, "unit")
    _import(d, two, "unit")
    _import(d, _send(d))  # its receipt names reports 1 and 2
    (three,) = _report(d, tmp_path)
    assert [r["type"] for r in _records(three)] == ["receipt"]
    assert cli("--today", "2026-04-16", "node", "done", d["ids"][0], "2", data=d["desk"])[0] == 0
    (four,) = _report(d, tmp_path)
    nodes = [r for r in _records(four) if r["type"] == "node"]
    assert [n["seq"] for n in nodes] == [2] and not [r for r in _records(four) if r["type"] == "evidence"]


def test_a_task_taken_back_leaves_the_desk_and_a_late_package_does_not_bring_it_back(desks) -> None:  # noqa: ANN001
    from db.models import Task

    d, cli = desks, desks["cli"]
    first = _send(d)
    _trusted(d)
    code, _, err = cli("task", "edit", d["ids"][1], "--section", "党政办", data=d["unit"])
    assert code == 0, err
    second = _send(d)
    dels = [r for r in _records(second) if r["type"] == "deletion"]
    assert [(x["target_type"], x["target_id"]) for x in dels] == [("task", d["ids"][1])]
    out = _import(d, second)  # before the first: a gap, and a task it never had
    assert "缺少第 1 号" in out and "没有收到过" in out
    out = _import(d, first)  # late: the task taken back in Sequence 2 stays taken back
    code, out, _ = cli("ledger", data=d["desk"])
    assert "食堂账目不清" in out and "专项资金拨付滞后" not in out
    third = _send(d)  # the section received the deletion? not yet (no report): it goes again
    assert [r["target_id"] for r in _records(third) if r["type"] == "deletion"] == [d["ids"][1]]
    # a task deleted at the unit goes the same way; the desk keeps it as taken back, not destroyed
    code, _, err = d["cli"]("task", "delete", d["ids"][0], data=d["unit"])
    assert code == 0, err
    pkg = _send(d)
    assert {r["target_id"] for r in _records(pkg) if r["type"] == "deletion"} == {d["ids"][0], d["ids"][1]}
    _import(d, third)
    assert "收回 1 条" in _import(d, pkg)
    kept = {t.id: t.deleted for t in _rows(d["desk"], Task)}
    assert kept[d["ids"][0]] is not None and d["ids"][1] not in kept  # 已收回, kept; the other never arrived


# -- packages in parts -------------------------------------------------------------------------------------

def test_a_large_section_report_goes_in_parts_and_applies_when_all_are_in(desks, tmp_path) -> None:  # noqa: ANN001
    from db.models import Evidence

    d, cli = desks, desks["cli"]
    _started(d)
    for i in range(3):
        f = tmp_path / f"照片{i}.jpg"
        f.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(600_000))
        assert cli("evidence", "add", d["ids"][0], str(f), data=d["desk"])[0] == 0
    parts = _report(d, tmp_path, "--volume-mb", "1")
    assert len(parts) >= 2 and all("_part0" in p.name for p in parts)
    out = _import(d, parts[-1], "unit")
    assert "已收下" in out
    assert _rows(d["unit"], Evidence) == []
    for p in parts[:-1]:
        out = _import(d, p, "unit")
    assert "佐证材料 3 份" in out
    assert len(_rows(d["unit"], Evidence)) == 3
    ws = _open(d["unit"])
    try:
        assert list(ws.paths.incoming.glob("*.zgb")) == []
    finally:
        ws.close()


# -- hostile packages: refused whole, nothing changed (or warned) -------------------------------------------

def _forge(d, where: str, ptype: str, seq: int, records: list[dict[str, Any]], section: str = "CZS",  # noqa: ANN001
           signer: tuple[Any, str] | None = None) -> Path:
    """A package signed by the key of data folder `where` (a trusted sender), with the records given."""
    from core.dates import now_ts
    from core.exchange import bag
    from core.exchange.keys import signing_key
    from core.exchange.records import dump_line

    ws = _open(d[where])
    try:
        with ws.read() as s:
            key, private = signing_key(s, PASS)
            key_id = key.key_id
    finally:
        ws.close()
    if signer is not None:
        private, key_id = signer
    created = now_ts()
    pid = str(uuid.uuid4())
    info = {"Source-Organization": "某某", "Bagging-Date": created[:10], "External-Identifier": pid,
            "Bag-Count": "1 of 1", "Exchange-Format": "zgb/1", "Package-Type": ptype, "Unit-Code": UNIT_CODE,
            "Section-Code": section, "Sequence": str(seq), "Previous-Package-Digest": "none", "Created": created,
            "Generator": "test"}
    target = d["stick"] / f"forged-{pid[:8]}.zgb"
    body = b"".join(dump_line(r) for r in records)
    bag.write_package(target, info=info, records=[body], files=[], signer=private, key_id=key_id)
    return target


UNIT_LINE = {"type": "unit", "id": UNIT_CODE, "name": "某某镇", "level": "township"}


def _desk_refuses(d, pkg: Path, words: str) -> None:  # noqa: ANN001
    ws = _open(d["desk"])
    try:
        before = dump(ws)
    finally:
        ws.close()
    code, _, err = d["cli"]("import", str(pkg), data=d["desk"])
    assert code == 3 and "被拒收" in err and words in err, err
    ws = _open(d["desk"])
    try:
        assert dump(ws) == before
    finally:
        ws.close()


def _unit_refuses(d, pkg: Path, words: str) -> None:  # noqa: ANN001
    ws = _open(d["unit"])
    try:
        before = dump(ws)
    finally:
        ws.close()
    code, _, err = d["cli"]("import", str(pkg), data=d["unit"])
    assert code == 3 and "被拒收" in err and words in err, err
    ws = _open(d["unit"])
    try:
        assert dump(ws) == before
    finally:
        ws.close()


def _notice(task_id: str, **kw: Any) -> dict[str, Any]:
    return {"type": "notice", "id": "N-1", "level": "red", "task_ref": task_id, "title": "t", "text": "x",
            "issued": "2026-04-10T09:00:00+08:00", "issuer": "某某镇", "respond_by": "2026-04-30", **kw}


def test_desk_refuses_notices_and_nodes_on_tasks_it_was_not_given(desks) -> None:  # noqa: ANN001
    d = desks
    _started(d)
    _desk_refuses(d, _forge(d, "unit", "section-tasks", 2, [UNIT_LINE, _notice(d["ids"][2])]), "没有交给本科室")
    node = {"type": "node", "id": str(uuid.uuid4()), "task_id": d["ids"][2], "seq": 1, "title": "x",
            "due": "2026-05-01", "status": "pending", "rev": 1, "updated": "2026-04-10T09:00:00+08:00"}
    _desk_refuses(d, _forge(d, "unit", "section-tasks", 2, [UNIT_LINE, node]), "没有交给本科室")
    closure = {"type": "notice_closure", "id": "c1", "notice_id": "N-404", "closed": "2026-04-10T09:00:00+08:00"}
    _desk_refuses(d, _forge(d, "unit", "section-tasks", 2, [UNIT_LINE, closure]), "没有收到过")
    ev = {"type": "deletion", "id": "d1", "target_type": "evidence", "target_id": "e1"}
    _desk_refuses(d, _forge(d, "unit", "section-tasks", 2, [UNIT_LINE, ev]), "佐证材料")


def test_desk_refuses_values_out_of_the_specs_ranges(desks) -> None:  # noqa: ANN001
    d = desks
    _started(d)
    for bad, words in (({"respond_by": "2026-02-30"}, "respond_by"), ({"level": "purple"}, "level"),
                       ({"issued": "1999-04-10T09:00:00+08:00"}, "issued"), ({"task_ref": "a/b"}, "斜杠"),
                       ({"title": "x\x07y"}, "控制字符")):
        _desk_refuses(d, _forge(d, "unit", "section-tasks", 2, [UNIT_LINE, _notice(d["ids"][0], **bad)]), words)
    gone = {"type": "deletion", "id": "d1", "target_type": "person", "target_id": "x"}
    _desk_refuses(d, _forge(d, "unit", "section-tasks", 2, [UNIT_LINE, gone]), "target_type")


def test_desk_warns_of_a_deletion_of_a_task_it_was_never_given_and_changes_nothing_else(desks) -> None:  # noqa: ANN001
    from db.models import Task

    d = desks
    _started(d)
    before = sorted((t.id, t.deleted) for t in _rows(d["desk"], Task))
    gone = {"type": "deletion", "id": "d1", "target_type": "task", "target_id": d["ids"][2]}
    out = _import(d, _forge(d, "unit", "section-tasks", 2, [UNIT_LINE, gone]))
    assert "没有收到过" in out and "收回 0 条" in out
    assert sorted((t.id, t.deleted) for t in _rows(d["desk"], Task)) == before


def _node_done(d, tmp_path: Path) -> list[Path]:  # noqa: ANN001
    _started(d)
    assert d["cli"]("--today", "2026-04-15", "node", "done", d["ids"][0], "1", data=d["desk"])[0] == 0
    return _report(d, tmp_path)


def test_unit_refuses_hostile_section_reports(desks, tmp_path) -> None:  # noqa: ANN001
    d = desks
    _node_done(d, tmp_path)
    resp = {"type": "response", "id": str(uuid.uuid4()), "notice_id": "ZS-DB-2026-404", "text": "已整改",
            "responded": "2026-04-15T09:00:00+08:00", "by": "李四"}
    _unit_refuses(d, _forge(d, "desk", "section-report", 1, [resp]), "没有发给“财政所”")
    ev = {"type": "evidence", "id": str(uuid.uuid4()), "task_id": d["ids"][2], "filename": "a.pdf",
          "sha256": "0" * 64, "size": 1, "media_type": "application/pdf", "added": "2026-04-15T09:00:00+08:00",
          "added_by": "李四", "included": False}
    _unit_refuses(d, _forge(d, "desk", "section-report", 1, [ev]), "没有交给“财政所”")
    node = {"type": "node", "id": str(uuid.uuid4()), "task_id": d["ids"][0], "seq": 2_000_000, "title": "x",
            "due": "2026-05-01", "status": "done", "rev": 1, "updated": "2026-04-10T09:00:00+08:00"}
    _unit_refuses(d, _forge(d, "desk", "section-report", 1, [node]), "seq")
    for bad, words in (({"responded": "2026-04-15 09:00"}, "responded"), ({"text": "a\x00b"}, "控制字符"),
                       ({"evidence_ids": "e1"}, "evidence_ids")):
        _unit_refuses(d, _forge(d, "desk", "section-report", 1, [{**resp, **bad}]), words)
    receipt = {"type": "receipt", "id": "r", "accepted": [0], "missing": []}
    _unit_refuses(d, _forge(d, "desk", "section-report", 1, [receipt]), "accepted")
    _unit_refuses(d, _forge(d, "desk", "section-report", 1, [], section="DZB"), "另一个科室的密钥")
    _unit_refuses(d, _forge(d, "unit", "section-report", 1, []), "不信任的密钥")  # the unit's own key


# -- key rotation of a desk (spec §3): announced in a package signed by the old key ------------------------------

def _forge_with_old_key(d, where: str, ptype: str, seq: int, records: list[dict[str, Any]]) -> Path:  # noqa: ANN001
    """A package signed by the data folder's first key, after it was replaced."""
    from core.exchange.keys import decrypt
    from db.models import Key

    ws = _open(d[where])
    try:
        with ws.read() as s:
            old = s.scalar(select(Key).where(Key.owner == "unit", Key.valid_to_sequence.is_not(None)))
            assert old is not None
            private, key_id = decrypt(old.private_pem or "", PASS), old.key_id
    finally:
        ws.close()
    return _forge(d, where, ptype, seq, records, signer=(private, key_id))


def test_a_section_desks_new_key_reaches_the_unit_and_the_old_one_signs_no_more(desks, tmp_path) -> None:  # noqa: ANN001
    from db.models import Key

    d, cli = desks, desks["cli"]
    _started(d)
    code, out, err = cli("keys", "rotate", data=d["desk"])
    assert code == 0 and "通知本单位" in out, err
    (one,) = _report(d, tmp_path)
    assert [r["valid_from_sequence"] for r in _records(one) if r["type"] == "key"] == [2]
    assert "更换了签名密钥" in _import(d, one, "unit")
    assert cli("--today", "2026-04-15", "node", "done", d["ids"][0], "1", data=d["desk"])[0] == 0
    (two,) = _report(d, tmp_path)  # signed by the new key
    assert "节点完成 1 个" in _import(d, two, "unit")
    keys = sorted((k.valid_from_sequence, k.valid_to_sequence) for k in _rows(d["unit"], Key, Key.owner == "section"))
    assert keys == [(1, 2), (2, None)]
    _unit_refuses(d, _forge_with_old_key(d, "desk", "section-report", 3, []), "密钥已经更换")


def test_the_units_new_key_reaches_its_sections_before_it_signs_for_them(desks, tmp_path) -> None:  # noqa: ANN001
    from db.models import Key

    d, cli = desks, desks["cli"]
    _started(d)
    assert cli("keys", "rotate", data=d["unit"])[0] == 0
    announcing = _send(d)
    assert [r["valid_from_sequence"] for r in _records(announcing) if r["type"] == "key"] == [3]
    assert "单位更换了签名密钥" in _import(d, announcing)
    city = tmp_path / "city"
    city.mkdir()
    code, _, err = cli("export", str(city), data=d["unit"])  # the city report switches the unit to its new key
    assert code == 0, err
    signed_new = _send(d)
    assert not [r for r in _records(signed_new) if r["type"] == "key"]
    _import(d, signed_new)
    keys = sorted((k.valid_from_sequence, k.valid_to_sequence) for k in _rows(d["desk"], Key, Key.owner == "parent"))
    assert keys == [(1, 3), (3, None)]
    _desk_refuses(d, _forge_with_old_key(d, "unit", "section-tasks", 4, [UNIT_LINE]), "密钥已经更换")


def test_a_key_record_naming_a_key_trusted_for_something_else_refuses_the_package(desks) -> None:  # noqa: ANN001
    from db.models import Key

    d = desks
    _started(d)
    (own,) = _rows(d["desk"], Key, Key.owner == "unit")  # the desk's own key, announced as the unit's next
    record = {"type": "key", "id": "k", "alg": "Ed25519", "public_key": own.public_key, "key_id": own.key_id,
              "valid_from_sequence": 5}
    _desk_refuses(d, _forge(d, "unit", "section-tasks", 2, [UNIT_LINE, record]), "别的用途")
    record["valid_from_sequence"] = 2
    _desk_refuses(d, _forge(d, "unit", "section-tasks", 2, [UNIT_LINE, record]), "生效序号")


def test_a_new_desk_key_for_the_section_makes_the_next_package_carry_everything(desks, tmp_path) -> None:  # noqa: ANN001
    d, cli = desks, desks["cli"]
    _started(d)
    (report,) = _report(d, tmp_path)
    _import(d, report, "unit")
    assert [r["type"] for r in _records(_send(d))] == ["unit", "receipt"]
    other = tmp_path / "new-pc"
    assert cli("init", "--unit-code", UNIT_CODE, "--unit-name", "中山市某某镇人民政府", "--section", "CZS",
               "--section-name", "财政所", "--admin", "李四", data=other)[0] == 0
    assert cli("keys", "export-public", str(tmp_path / "new.pub.json"), data=other)[0] == 0
    assert cli("section", "trust", "CZS", str(tmp_path / "new.pub.json"), data=d["unit"])[0] == 0
    assert sum(r["type"] == "task" for r in _records(_send(d))) == 2


def test_the_citys_notice_attachments_go_down_in_parts(desks, tmp_path) -> None:  # noqa: ANN001
    from db.models import Notice

    d = desks
    _city_notice(d["unit"], d["ids"][0])
    shas = []
    ws = _open(d["unit"])  # the files and the notice naming them in one go (an unnamed file is swept as orphaned)
    try:
        for i in range(3):
            f = tmp_path / f"督办单{i}.pdf"
            f.write_bytes(b"%PDF-1.4\n" + os.urandom(600_000))
            shas.append(ws.evidence.add_file(f).sha256)
        with ws.session() as s:
            s.get(Notice, "ZS-DB-2026-001").attachments = shas  # type: ignore[union-attr]
    finally:
        ws.close()
    code, out, err = d["cli"]("section", "send", "CZS", str(d["stick"]), "--volume-mb", "1", data=d["unit"])
    assert code == 0 and "共 " in out, err
    parts = sorted(d["stick"].glob("*_section-tasks_000001_part*.zgb"))
    assert len(parts) >= 2
    _trusted(d)
    for p in parts[1:]:
        assert "已收下" in _import(d, p)
    assert _rows(d["desk"], Notice) == []
    assert "督办通知 1 份" in _import(d, parts[0])
    ws = _open(d["desk"])
    try:
        assert all(ws.evidence.has(sha) for sha in shas)
        assert list(ws.paths.incoming.glob("*.zgb")) == []
    finally:
        ws.close()
    (notice,) = _rows(d["desk"], Notice)
    assert notice.attachments == shas


def test_a_response_the_unit_would_refuse_is_never_written(desks, tmp_path) -> None:  # noqa: ANN001
    """A control character in a response (typed around the checks): the desk says which, and writes nothing."""
    from db.models import Response

    d, cli = desks, desks["cli"]
    _city_notice(d["unit"], d["ids"][0])
    _started(d)
    assert cli("--user", "李四", "respond", "ZS-DB-2026-001", "已整改。", data=d["desk"])[0] == 0
    ws = _open(d["desk"])
    try:
        with ws.session() as s:
            s.scalars(select(Response)).one().text = "已整改\x1b。"
    finally:
        ws.close()
    back = tmp_path / "back"
    back.mkdir()
    code, _, err = cli("export", str(back), data=d["desk"])
    assert code == 3 and "无法导出" in err, err
    assert list(back.iterdir()) == []
