"""Importing city feedback: the fixtures as the city sent them, every refusal with no change, §4 rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exchkit import BAD, FB1, FB2, PACKAGES, TS, assignment, dump, feedback, import_ok
from sqlalchemy import select

from core.errors import PackageRejected
from core.exchange.importer import FeedbackImporter
from core.ledger.queries import LedgerQuery
from core.ledger.tasks import complete_node, get_task
from db.models import Deduction, KeptRecord, Notice, ObjectVersion, PackageLog, Review, Setting, Task


def ledger(ws) -> dict:  # noqa: ANN001
    """The user-visible state: tasks with nodes, notices, deductions, settings, kept references."""
    with ws.read() as s:
        tasks = {}
        for t in s.scalars(select(Task)):
            tasks[t.city_ref or t.title] = {
                "title": t.title, "status": t.status, "review_state": t.review_state, "deadline": t.deadline,
                "closed_on": t.closed_on, "comment": t.review_comment,
                "nodes": sorted((n.seq, n.title, n.due, n.status, n.deleted is None) for n in t.nodes)}
        notices = sorted((n.id, n.level, n.state, n.task_id is not None, n.title, tuple(n.attachments))
                         for n in s.scalars(select(Notice)))
        deductions = sorted((d.id, d.points, d.kind, d.task_id is not None) for d in s.scalars(select(Deduction)))
        settings = sorted((r.key, r.value, r.source) for r in s.scalars(select(Setting)))
        kept = s.scalar(select(KeptRecord.id).limit(1))
        reviews = sorted((r.id, r.result, r.target_id, r.task_id is not None) for r in s.scalars(select(Review)))
        refs = {t.id: t.city_ref or t.title for t in s.scalars(select(Task))}  # ids differ between ledgers
        versions = sorted((":".join(refs.get(p, p) for p in k.split(":")), q, ln) for k, q, ln in s.execute(
            select(ObjectVersion.object_key, ObjectVersion.sequence, ObjectVersion.line)))
    return {"tasks": tasks, "notices": notices, "deductions": deductions, "settings": settings, "kept": kept,
            "reviews": reviews, "versions": versions}


def test_feedback_1_applies_settings_assignments_and_a_yellow_notice(unit_ws) -> None:  # noqa: ANN001
    (r,) = import_ok(unit_ws, FB1)
    assert r.status == "accepted" and r.sequence == 1 and not r.warnings
    state = ledger(unit_ws)
    assert set(state["tasks"]) == {"ZS-XC-2026-001", "ZS-SJ-2026-014", "ZS-KH-2026-007"}
    sj = state["tasks"]["ZS-SJ-2026-014"]
    assert [n[:3] for n in sj["nodes"]] == [(1, "制定拨付计划", "2026-03-20"), (2, "完成50%拨付", "2026-04-30"),
                                            (3, "全部拨付并报送凭证", "2026-06-30")]
    assert state["notices"] == [("DB-2026-0031", "yellow", "open", True, "整改进度滞后警示", ())]
    assert ("red_after_days", "10", "city") in state["settings"]
    with unit_ws.read() as s:
        xc = get_task(s, "ZS-XC-2026-001")
        assert xc.from_city and all(n.from_city for n in xc.nodes)


def test_feedback_2_after_1_closes_notice_accepts_task_and_skips_unknown_type(unit_ws) -> None:  # noqa: ANN001
    _, r2 = import_ok(unit_ws, FB1, FB2)
    assert r2.status == "accepted"
    assert any("future_thing" in w for w in r2.warnings)
    assert any("第 1 号报送包" in w for w in r2.warnings)  # an ack for a report this unit never made
    state = ledger(unit_ws)
    xc = state["tasks"]["ZS-XC-2026-001"]
    assert xc["status"] == "closed" and xc["review_state"] == "accepted" and xc["closed_on"] == "2026-04-02"
    notices = {n[0]: n for n in state["notices"]}
    assert notices["DB-2026-0031"][2] == "closed"
    sha = "58848218817ebae4c21d0924d95dd3b2463d3e1f35d74c6a09dbe51f9ea1881e"
    assert notices["DB-2026-0047"][:4] == ("DB-2026-0047", "red", "open", True)
    assert notices["DB-2026-0047"][5] == (sha,)
    assert unit_ws.evidence.has(sha)  # the attached document is in the evidence store
    assert state["deductions"] == [("KF-2026-0009", 0.5, "pre", True)]
    with unit_ws.read() as s:
        from core import counters

        assert counters.peek(s, "report_seq") == 1  # the next report is number 2


def test_lights_after_both_fixtures(unit_ws) -> None:  # noqa: ANN001
    import_ok(unit_ws, FB1, FB2)
    with unit_ws.read() as s:
        lights = LedgerQuery(s, unit_ws.today).all_lights()
        refs = {t.id: t.city_ref for t in s.scalars(select(Task))}
    colors = {refs[k]: v for k, v in lights.items()}
    # 001 closed by the city; 014 under a red notice; 007 on time (node 1 due today)
    assert colors == {"ZS-XC-2026-001": "green", "ZS-SJ-2026-014": "red", "ZS-KH-2026-007": "green"}


def test_order_does_not_matter(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    import_ok(unit_ws, FB1, FB2)
    forward = ledger(unit_ws)
    from core.unit import init_unit
    from core.workspace import Workspace

    other = Workspace.open(tmp_path / "other", user="张三", today=unit_ws.today)
    try:
        from exchkit import CITY_PUB

        from core.exchange import keys

        with other.session() as s:
            init_unit(s, "442000-017", "中山市某某镇人民政府", "township", admin="张三")
            keys.trust_city(s, "张三", CITY_PUB)
        (r2,) = import_ok(other, FB2)
        assert any("还没有" in w for w in r2.warnings)  # references kept, reported
        with other.read() as s:
            assert s.scalar(select(KeptRecord.id).limit(1)) is not None
        (r1,) = import_ok(other, FB1)
        assert any("迟到" in w for w in r1.warnings)
        backward = ledger(other)
    finally:
        other.close()
    assert backward == forward
    assert backward["kept"] is None


REFUSALS = {
    "replay-seq1.zgb": "replay",
    "untrusted-key.zgb": "unknown_key",
    "tampered-records.zgb": "manifest_mismatch",
    "other-unit.zgb": "wrong_unit",
    "zip-slip.zgb": "unsafe_name",
    "not-a-zip.zgb": "not_zip",
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_each_bad_fixture_is_refused_with_its_reason_and_no_change(unit_ws, name: str) -> None:  # noqa: ANN001
    import_ok(unit_ws, FB1, FB2)
    before = dump(unit_ws)
    with pytest.raises(PackageRejected) as info:
        FeedbackImporter(unit_ws).import_file(BAD / name)
    assert info.value.reason_code == REFUSALS[name]
    assert info.value.message and info.value.hint  # words for the clerk, and what to do
    assert dump(unit_ws) == before


def test_all_bad_fixtures_have_a_test() -> None:
    assert {p.name for p in BAD.glob("*.zgb")} == set(REFUSALS)
    assert {p.name for p in PACKAGES.glob("*.zgb")} == {FB1.name, FB2.name}


def test_reimport_says_already_imported_and_changes_nothing(unit_ws) -> None:  # noqa: ANN001
    import_ok(unit_ws, FB1, FB2)
    before = dump(unit_ws)
    (r,) = import_ok(unit_ws, FB1)
    assert r.status == "already" and "已经导入过" in r.headline()
    assert dump(unit_ws) == before


def test_tampered_package_is_refused_even_when_it_claims_an_accepted_sequence(unit_ws) -> None:  # noqa: ANN001
    import_ok(unit_ws, FB1, FB2)
    before = dump(unit_ws)
    with pytest.raises(PackageRejected) as info:
        FeedbackImporter(unit_ws).import_file(BAD / "tampered-records.zgb")
    assert info.value.reason_code == "manifest_mismatch"
    assert dump(unit_ws) == before


def test_without_trust_anchor_the_package_is_refused(workspace) -> None:  # noqa: ANN001
    before = dump(workspace)
    with pytest.raises(PackageRejected) as info:
        FeedbackImporter(workspace).import_file(FB1)
    assert info.value.reason_code == "no_trust_anchor"
    assert dump(workspace) == before


def test_gap_is_accepted_with_missing_numbers_named(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    import_ok(unit_ws, FB1)
    p = feedback(tmp_path, city_key, 5, [assignment("ZS-GAP-1", (1, "节点", "2026-05-01"))], previous="0" * 64)
    (r,) = import_ok(unit_ws, p)
    assert r.status == "accepted"
    assert any("缺少第 2、3、4 号" in w for w in r.warnings)
    with unit_ws.read() as s:
        rows = {r.sequence for r in s.scalars(select(PackageLog))}
    assert rows == {1, 5}


def test_fork_is_accepted_with_a_warning(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    import_ok(unit_ws, FB1)
    p = feedback(tmp_path, city_key, 2, [assignment("ZS-F-1")], previous="a" * 64)
    (r,) = import_ok(unit_ws, p)
    assert any("分叉" in w for w in r.warnings)
    p = feedback(tmp_path, city_key, 3, [assignment("ZS-F-2")], previous="none")
    (r,) = import_ok(unit_ws, p)
    assert any("分叉" in w for w in r.warnings)


def test_late_package_never_overrides_newer_state(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    new = feedback(tmp_path, city_key, 3, [
        assignment("ZS-N-1", (1, "新节点", "2026-07-01"), deadline="2026-07-31"),
        {"type": "notice", "id": "DB-N", "level": "yellow", "task_ref": "ZS-N-1", "title": "新", "text": "t",
         "issued": TS, "issuer": "市", "respond_by": "2026-05-01"},
        {"type": "settings", "id": "S3", "red_after_days": 5}])
    old = feedback(tmp_path, city_key, 2, [
        assignment("ZS-N-1", (1, "旧节点", "2026-05-01"), deadline="2026-05-31"),
        {"type": "notice_closure", "id": "C-old", "notice_id": "DB-N", "closed": TS},
        {"type": "notice", "id": "DB-N", "level": "red", "task_ref": "ZS-N-1", "title": "旧", "text": "t",
         "issued": TS, "issuer": "市", "respond_by": "2026-05-01"},
        {"type": "settings", "id": "S2", "red_after_days": 20, "due_soon_days": 7}])
    import_ok(unit_ws, new)
    (r,) = import_ok(unit_ws, old)
    assert any("迟到" in w for w in r.warnings)
    state = ledger(unit_ws)
    t = state["tasks"]["ZS-N-1"]
    assert t["deadline"] == "2026-07-31" and [n[:3] for n in t["nodes"]] == [(1, "新节点", "2026-07-01")]
    assert state["notices"] == [("DB-N", "yellow", "open", True, "新", ())]
    settings = {k: v for k, v, _ in state["settings"]}
    assert settings["red_after_days"] == "5" and settings["due_soon_days"] == "7"  # per field


def test_newer_notice_reopens_a_closed_one(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    import_ok(unit_ws, FB1, FB2)
    p = feedback(tmp_path, city_key, 3, [
        {"type": "notice", "id": "DB-2026-0031", "level": "yellow", "task_ref": "ZS-XC-2026-001", "title": "再次警示",
         "text": "t", "issued": TS, "issuer": "市", "respond_by": "2026-05-01"}])
    import_ok(unit_ws, p)
    notices = {n[0]: n for n in ledger(unit_ws)["notices"]}
    assert notices["DB-2026-0031"][2] == "open" and notices["DB-2026-0031"][4] == "再次警示"


def test_reassignment_updates_nodes_and_keeps_done_ones(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    import_ok(unit_ws, FB1)
    with unit_ws.session() as s:
        from datetime import date

        complete_node(s, "张三", "ZS-SJ-2026-014", 1, done=date(2026, 3, 19))
        task = get_task(s, "ZS-SJ-2026-014")
        task.owner = None
    p = feedback(tmp_path, city_key, 2, [assignment("ZS-SJ-2026-014", (2, "完成60%拨付", "2026-05-15"),
                                                    (4, "新增节点", "2026-06-15"), owner="李四")])
    (r,) = import_ok(unit_ws, p)
    assert any("第 1 个节点" in w for w in r.warnings)  # dropped but already done: kept, with a warning
    t = ledger(unit_ws)["tasks"]["ZS-SJ-2026-014"]
    live = [n[:4] for n in t["nodes"] if n[4]]
    assert live == [(1, "制定拨付计划", "2026-03-20", "done"), (2, "完成60%拨付", "2026-05-15", "pending"),
                    (4, "新增节点", "2026-06-15", "pending")]
    with unit_ws.read() as s:
        assert get_task(s, "ZS-SJ-2026-014").owner.name == "李四"  # the city's owner fills an empty one


def test_node_review_returned_goes_back_to_pending(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    from datetime import date

    import_ok(unit_ws, FB1)
    with unit_ws.session() as s:
        complete_node(s, "张三", "ZS-XC-2026-001", 1, done=date(2026, 3, 14))
    p = feedback(tmp_path, city_key, 2, [
        {"type": "review", "id": "RV-1", "target": "node", "target_id": "ZS-XC-2026-001#1", "result": "returned",
         "reviewed": TS, "reviewer": "王某", "comment": "照片不清楚"},
        {"type": "review", "id": "RV-2", "target": "task", "target_id": "ZS-KH-2026-007", "result": "returned",
         "reviewed": TS, "reviewer": "王某", "comment": "请补充制度文件"}])
    import_ok(unit_ws, p)
    with unit_ws.read() as s:
        node = get_task(s, "ZS-XC-2026-001").nodes[0]
        assert node.status == "pending" and node.city_result == "returned" and node.city_comment == "照片不清楚"
        kh = get_task(s, "ZS-KH-2026-007")
        assert kh.status == "returned" and kh.review_comment == "请补充制度文件"


def test_deduction_reversal_and_appeal_result(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    from db.models import Appeal

    import_ok(unit_ws, FB1, FB2)
    p = feedback(tmp_path, city_key, 3, [
        {"type": "appeal_result", "id": "AR-1", "appeal_id": "AP-1", "result": "upheld", "decided": TS},
        {"type": "deduction", "id": "KF-R", "task_ref": "ZS-SJ-2026-014", "points": 0.5, "kind": "reversed",
         "reason": "申诉成立", "issued": TS, "reverses": "KF-2026-0009"}])
    (r,) = import_ok(unit_ws, p)
    assert any("AP-1" in w for w in r.warnings)  # the appeal is unknown here: kept
    with unit_ws.session() as s:
        assert s.get(Deduction, "KF-2026-0009").reversed_by == "KF-R"
        s.add(Appeal(id="AP-1", target_type="deduction", target_id="KF-2026-0009", reason="r", filed=TS, by="张三"))
    p = feedback(tmp_path, city_key, 4, [{"type": "settings", "id": "S4"}])
    import_ok(unit_ws, p)  # the kept appeal result is applied once the appeal exists
    with unit_ws.read() as s:
        assert s.get(Appeal, "AP-1").result == "upheld"
        assert s.scalar(select(KeptRecord.id).limit(1)) is None


def test_multi_part_group_applies_only_when_complete(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    from city_desk import GENERATOR

    from core.exchange import bag
    from core.exchange.keys import raw_public
    from core.exchange.records import dump_line, key_id_for

    doc = tmp_path / "doc.txt"
    doc.write_bytes("督办附件".encode() * 100)
    import hashlib

    sha = hashlib.sha256(doc.read_bytes()).hexdigest()
    group = "0f0e0d0c-0000-4000-8000-000000000001"
    records = [assignment("ZS-MP-1"), {"type": "notice", "id": "DB-MP", "level": "red", "task_ref": "ZS-MP-1",
                                       "title": "t", "text": "t", "issued": TS, "issuer": "市",
                                       "respond_by": "2026-05-01", "attachments": [sha]}]
    paths = []
    for k in (1, 2):
        info = {"Source-Organization": "市", "Bagging-Date": "2026-04-01",
                "External-Identifier": f"0f0e0d0c-0000-4000-8000-00000000001{k}", "Bag-Group-Identifier": group,
                "Bag-Count": f"{k} of 2", "Exchange-Format": "zgb/1", "Package-Type": "city-feedback",
                "Unit-Code": "442000-017", "Sequence": "1", "Previous-Package-Digest": "none", "Created": TS,
                "Generator": GENERATOR}
        out = tmp_path / f"part{k}.zgb"
        bag.write_package(out, info=info, records=[b"".join(dump_line(r) for r in records)] if k == 1 else [],
                          files=[bag.SourceFile(sha, doc.stat().st_size, doc)] if k == 2 else [], signer=city_key,
                          key_id=key_id_for(raw_public(city_key)))
        paths.append(out)
    (r,) = import_ok(unit_ws, paths[1])
    assert r.status == "waiting"
    assert ledger(unit_ws)["tasks"] == {}
    assert list(unit_ws.paths.incoming.glob("*.zgb"))
    (r,) = import_ok(unit_ws, paths[1])
    assert r.status == "already"
    (r,) = import_ok(unit_ws, paths[0])
    assert r.status == "accepted" and r.sequence == 1
    assert "ZS-MP-1" in ledger(unit_ws)["tasks"] and unit_ws.evidence.has(sha)
    assert not list(unit_ws.paths.incoming.glob("*.zgb"))
    with unit_ws.read() as s:
        assert {(p.part_no, p.status) for p in s.scalars(select(PackageLog))} == {(1, "accepted"), (2, "accepted")}


def test_city_key_rotation(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from core.exchange.keys import raw_public
    from core.exchange.records import key_id_for

    new = Ed25519PrivateKey.generate()
    raw = raw_public(new)
    rot = {"type": "key", "id": "K2", "alg": "Ed25519", "public_key": base64.b64encode(raw).decode(),
           "key_id": key_id_for(raw), "valid_from_sequence": 3}
    bad_rot = dict(rot, valid_from_sequence=1)
    before = dump(unit_ws)
    p = feedback(tmp_path, city_key, 1, [bad_rot], check=False)
    with pytest.raises(PackageRejected) as info:
        FeedbackImporter(unit_ws).import_file(p)
    assert info.value.reason_code == "rotation_invalid"
    assert dump(unit_ws) == before
    import_ok(unit_ws, feedback(tmp_path, city_key, 1, [rot]))
    # Sequence 2 must still be signed by the old key, 3 and above by the new one.
    with pytest.raises(PackageRejected) as info:
        FeedbackImporter(unit_ws).import_file(feedback(tmp_path, new, 2, [assignment("ZS-K-2")]))
    assert info.value.reason_code == "key_not_valid"
    with pytest.raises(PackageRejected) as info:
        FeedbackImporter(unit_ws).import_file(feedback(tmp_path, city_key, 3, [assignment("ZS-K-3")]))
    assert info.value.reason_code == "key_not_valid"
    import_ok(unit_ws, feedback(tmp_path, new, 3, [assignment("ZS-K-3")]))
    import_ok(unit_ws, feedback(tmp_path, city_key, 2, [assignment("ZS-K-2")]))
    assert {"ZS-K-2", "ZS-K-3"} <= set(ledger(unit_ws)["tasks"])


def test_unknown_key_with_missing_packages_mentions_key_change(unit_ws) -> None:  # noqa: ANN001
    import_ok(unit_ws, FB1)  # #2 is missing, and the untrusted package is #3
    before = dump(unit_ws)
    with pytest.raises(PackageRejected) as info:
        FeedbackImporter(unit_ws).import_file(BAD / "untrusted-key.zgb")
    assert dump(unit_ws) == before
    assert info.value.reason_code == "unknown_key_gap" and "第 2 号" in info.value.message
    assert "密钥更换" in info.value.message


BAD_LINES = [
    ('{"type":"notice","id":"N1"', "不是有效的 JSON"),
    ('{"type":"ack","id":"A","unit_sequence":0,"status":"accepted","received":"2026-04-01T09:00:00+08:00"}',
     "unit_sequence"),
    ('{"type":"assignment","id":"X","title":"t","source":"audit","category":"phased","deadline":"2026-02-30",'
     '"issued":"2026-04-01T09:00:00+08:00"}', "deadline"),
    ('{"type":"review","id":"R","target":"task","target_id":"X","result":"ok","reviewed":"2026-04-01T09:00:00+08:00",'
     '"reviewer":"w"}', "result"),
    ('{"type":"notice_closure","id":"C","notice_id":"N","closed":"2026-04-01 09:00"}', "closed"),
    ('{"type":"deduction","id":"D","task_ref":"X","points":-1,"kind":"pre","reason":"r",'
     '"issued":"2026-04-01T09:00:00+08:00"}', "points"),
    ('{"type":"settings","id":"S","red_after_days":"10"}', "red_after_days"),
    ('{"type":"notice_closure","id":"C","closed":"2026-04-01T09:00:00+08:00"}', "notice_id"),
]


@pytest.mark.parametrize(("line", "word"), BAD_LINES)
def test_a_bad_record_line_refuses_the_package_and_names_the_line(unit_ws, city_key, tmp_path: Path,  # noqa: ANN001
                                                                  line: str, word: str) -> None:
    from city_desk import GENERATOR

    from core.exchange import bag
    from core.exchange.keys import raw_public
    from core.exchange.records import key_id_for

    good = json.dumps(assignment("ZS-OK"), ensure_ascii=False)
    info = {"Source-Organization": "市", "Bagging-Date": "2026-04-01",
            "External-Identifier": "0f0e0d0c-0000-4000-8000-000000000099", "Bag-Count": "1 of 1",
            "Exchange-Format": "zgb/1", "Package-Type": "city-feedback", "Unit-Code": "442000-017",
            "Sequence": "1", "Previous-Package-Digest": "none", "Created": TS, "Generator": GENERATOR}
    out = tmp_path / "bad.zgb"
    bag.write_package(out, info=info, records=[(good + "\n" + line + "\n").encode()], files=[], signer=city_key,
                      key_id=key_id_for(raw_public(city_key)))
    before = dump(unit_ws)
    with pytest.raises(PackageRejected) as exc:
        FeedbackImporter(unit_ws).import_file(out)
    assert exc.value.reason_code == "bad_record"
    assert "第 2 行" in exc.value.message and word in exc.value.message
    assert dump(unit_ws) == before


def test_preview_changes_nothing(unit_ws) -> None:  # noqa: ANN001
    before = dump(unit_ws)
    pv = FeedbackImporter(unit_ws).preview(FB1)
    assert sorted(pv.created_tasks) == ["ZS-KH-2026-007", "ZS-SJ-2026-014", "ZS-XC-2026-001"]
    assert pv.result.summary["notices"] == 1
    assert dump(unit_ws) == before


def test_several_at_once_each_its_own_transaction(unit_ws) -> None:  # noqa: ANN001
    outcomes = FeedbackImporter(unit_ws).import_files([BAD / "not-a-zip.zgb", FB1, BAD / "replay-seq1.zgb", FB2])
    assert [o.ok for o in outcomes] == [False, True, False, True]
    assert ledger(unit_ws)["tasks"]["ZS-XC-2026-001"]["status"] == "closed"


def test_respond_to_a_notice_travels_in_the_next_report(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    from city_desk import verify_report
    from exchkit import PASS

    from core.exchange import keys
    from core.exchange.exporter import ReportExporter
    from core.exchange.notices import mark_read, respond_to_notice

    import_ok(unit_ws, FB1, FB2)
    with unit_ws.session() as s:
        mark_read(s, "张三", "DB-2026-0047")
        respond_to_notice(s, "张三", "DB-2026-0047", "拨付计划已于4月9日报送。")
        with pytest.raises(Exception):  # noqa: B017 - an empty response is refused
            respond_to_notice(s, "张三", "DB-2026-0047", "  ")
    with unit_ws.read() as s:
        assert s.get(Notice, "DB-2026-0047").read_at
    out = tmp_path / "o"
    out.mkdir()
    res = ReportExporter(unit_ws).export(out, passphrase=PASS)
    pub = tmp_path / "u.pub.json"
    with unit_ws.read() as s:
        keys.export_public(s, pub)
    pkg = verify_report(res.paths[0], keys.read_public_file(pub))
    (resp,) = [r for _l, r in pkg.records if r["type"] == "response"]
    assert resp["notice_id"] == "DB-2026-0047" and resp["by"] == "张三"


def test_imports_keep_the_audit_chain_and_rows_consistent(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    """Every row the city changed has its audit entry: `verify` finds nothing edited behind the program."""
    from datetime import date

    from core.verify import verify_workspace

    import_ok(unit_ws, FB2, FB1)
    with unit_ws.session() as s:
        complete_node(s, "张三", "ZS-SJ-2026-014", 1, done=date(2026, 3, 19))
    p = feedback(tmp_path, city_key, 3, [
        assignment("ZS-SJ-2026-014", (2, "改过的节点", "2026-05-15")),
        {"type": "review", "id": "RV-9", "target": "node", "target_id": "ZS-SJ-2026-014#1", "result": "returned",
         "reviewed": TS, "reviewer": "王某"},
        {"type": "review", "id": "RV-10", "target": "task", "target_id": "ZS-KH-2026-007", "result": "accepted",
         "reviewed": TS, "reviewer": "王某"}])
    import_ok(unit_ws, p)
    report = verify_workspace(unit_ws)
    assert report.audit.ok, (report.audit.changed_rows, report.audit.unlogged_rows, report.audit.broken_chain)
    assert report.ok


def test_a_local_node_gives_way_to_a_city_node(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    from core.ledger.tasks import add_node
    from core.verify import verify_workspace

    import_ok(unit_ws, feedback(tmp_path, city_key, 1, [assignment("ZS-L-1", (1, "市节点1", "2026-05-01"))]))
    with unit_ws.session() as s:
        add_node(s, "张三", "ZS-L-1", "本单位加的节点", "2026-05-20")  # takes seq 2
    import_ok(unit_ws, feedback(tmp_path, city_key, 2, [assignment("ZS-L-1", (1, "市节点1", "2026-05-01"),
                                                                   (2, "市节点2", "2026-06-01"))]))
    t = ledger(unit_ws)["tasks"]["ZS-L-1"]
    assert [n[:2] for n in t["nodes"]] == [(1, "市节点1"), (2, "市节点2"), (3, "本单位加的节点")]
    assert verify_workspace(unit_ws).audit.ok


def test_an_assigned_task_has_the_rows_create_task_would_make(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    """The set-based import makes the same task, nodes and audit entries as create_task (ids and times aside)."""
    from core import audit
    from core.exchange.importer import CITY
    from core.ledger.tasks import NodeInput, TaskInput, create_task
    from core.verify import verify_workspace
    from db.models import AuditEntry, Node

    nodes = [(1, "制定方案", "2026-05-01"), (2, "组织实施", "2026-06-01"), (3, "验收总结", "2026-06-30")]
    extra = {"title": " 村级财务公开不及时", "owner": "李四", "batch": "第一批", "description": " 资金拨付情况 "}
    import_ok(unit_ws, feedback(tmp_path, city_key, 1, [assignment("ZS-CMP-1", *nodes, **extra)]))
    with unit_ws.session() as s:
        create_task(s, CITY, TaskInput(source="audit", category="phased", deadline="2026-06-30",
                                       nodes=[NodeInput(t, d) for _s, t, d in nodes], **extra),
                    city_ref="ZS-CMP-2", from_city=True)

    def rows(ref: str) -> tuple[dict, list[dict], list[tuple]]:
        with unit_ws.read() as s:
            task = get_task(s, ref)
            t = {c: getattr(task, c) for c in audit.HASHED_FIELDS["task"] + ("status", "next_due", "rev", "from_city",
                                                                               "search_text")}
            ids = {task.id: "T", ref: "REF"}
            ns = []
            for n in s.scalars(select(Node).where(Node.task_id == task.id).order_by(Node.seq)):
                ids[n.id] = f"N{n.seq}"
                ns.append({c: getattr(n, c) for c in audit.HASHED_FIELDS["node"] + ("rev", "from_city", "city_comment")}
                          | {"same_change_no": n.change_no == task.change_no, "same_time": n.updated == task.created})
            entries = []
            for e in s.scalars(select(AuditEntry).where(AuditEntry.task_id == task.id).order_by(AuditEntry.id)):
                summary = e.summary
                for old, new in ids.items():
                    summary = summary.replace(old, new)
                entries.append((e.user, e.action, e.entity_type, ids[e.entity_id], summary))

        def norm(d: dict) -> dict:
            return {k: ids.get(v, v.replace(ref.lower(), "ref") if k == "search_text" else v)
                    if isinstance(v, str) else v for k, v in d.items()}
        return norm(t), [norm(n) for n in ns], entries

    imported, made = rows("ZS-CMP-1"), rows("ZS-CMP-2")
    assert imported[0]["status"] == "open" and imported[0]["next_due"] == "2026-05-01"
    assert imported[0]["description"] == "资金拨付情况" and imported[0]["owner_id"] is not None
    assert [n["seq"] for n in imported[1]] == [1, 2, 3] and all(n["same_change_no"] for n in imported[1])
    assert [e[1] for e in imported[2]] == ["task.create", "node.create", "node.create", "node.create"]
    assert imported == made
    assert verify_workspace(unit_ws).audit.ok  # the bulk entries continue the same hash chain


def test_a_day_of_imports_checks_the_database_once_not_per_package(unit_ws, monkeypatch) -> None:  # noqa: ANN001
    """The full integrity_check reads every page (16 s at 100,000 tasks): before the first import while the folder
    is open, not before every package (bench/longuse_bench.py grew 16 → 40 ms per package with it)."""
    import core.dbcheck

    calls: list[bool] = []
    real = core.dbcheck.problems

    def counting(db, *, quick: bool = False, limit: int = 20):  # noqa: ANN001, ANN202
        calls.append(quick)
        return real(db, quick=quick, limit=limit)

    monkeypatch.setattr(core.dbcheck, "problems", counting)
    for path in (FB1, FB2):
        assert FeedbackImporter(unit_ws).import_file(path).status == "accepted"
    assert calls == [False]
