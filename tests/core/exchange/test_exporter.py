"""Exporting the unit report: delta and full, evidence, deletions, parts, failures, and the city's view."""

from __future__ import annotations

import os
import shutil
import zipfile
from datetime import date
from pathlib import Path

import bagit
import pytest
from city_desk import auto_records, verify_report
from exchkit import FB1, FB2, PASS, dump, feedback, import_ok
from sqlalchemy import select

from core.errors import InputRefused, UserError
from core.evidence.attach import attach_file
from core.exchange import keys
from core.exchange.exporter import ReportExporter
from core.ledger.tasks import TaskInput, complete_node, create_task, delete_task
from db.models import FileAck, PackageLog


def export(ws, out: Path, **kw):  # noqa: ANN001, ANN201
    out.mkdir(exist_ok=True)
    return ReportExporter(ws).export(out, passphrase=PASS, **kw)


def unit_pub(ws, tmp_path: Path) -> dict:  # noqa: ANN001
    path = tmp_path / "unit.pub.json"
    with ws.read() as s:
        keys.export_public(s, path)
    return keys.read_public_file(path, owner="unit")


def local_task(ws, title: str = "村务公开不及时", evidence: Path | None = None) -> str:  # noqa: ANN001
    with ws.session() as s:
        t = create_task(s, "张三", TaskInput(title=title, source="巡察", category="立行立改", owner="李四",
                                            deadline="2026-03-31", nodes=[]))
        tid = t.id
        if evidence is not None:
            attach_file(s, ws.evidence, "张三", tid, evidence)
    return tid


def records_of(path: Path, pub: dict) -> list[dict]:
    return [r for _l, r in verify_report(path, pub).records]


def test_export_verifies_as_the_city_and_as_bagit(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    ev = tmp_path / "照片.jpg"
    ev.write_bytes(os.urandom(5000))
    local_task(unit_ws, evidence=ev)
    import_ok(unit_ws, FB1)
    res = export(unit_ws, tmp_path / "out")
    (path,) = res.paths
    assert path.name == "442000-017_unit-report_000001.zgb"
    pub = unit_pub(unit_ws, tmp_path)
    pkg = verify_report(path, pub)
    types = [r["type"] for _l, r in pkg.records]
    assert types[0] == "unit" and types[-1] == "receipt"
    assert types.count("task") == 4 and types.count("evidence") == 1
    assert len(pkg.files) == 1
    receipt = pkg.records[-1][1]
    assert receipt["accepted"] == [1] and receipt["missing"] == []
    ex = tmp_path / "unzipped"
    with zipfile.ZipFile(path) as z:
        z.extractall(ex)
    bag_dir = next(ex.iterdir())
    b = bagit.Bag(str(bag_dir))
    b.validate()  # an independent BagIt validator accepts it
    assert b.info["Package-Type"] == "unit-report"
    with unit_ws.read() as s:
        row = s.scalar(select(PackageLog).where(PackageLog.direction == "out"))
        assert row.status == "sent" and row.sequence == 1 and row.previous_digest == "none"


def test_delta_after_ack_and_evidence_not_resent(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    ev = tmp_path / "a.pdf"
    ev.write_bytes(b"%PDF-1.4 evidence")
    tid = local_task(unit_ws, evidence=ev)
    other = local_task(unit_ws, "第二个任务")
    pub = unit_pub(unit_ws, tmp_path)
    first = export(unit_ws, tmp_path / "o1")
    # Not yet acknowledged: the next report repeats everything.
    second = export(unit_ws, tmp_path / "o2")
    r2 = records_of(second.paths[0], pub)
    assert sum(r["type"] == "task" for r in r2) == 2 and second.files == 1
    assert second.sequence == 2
    with unit_ws.read() as s:
        row2 = s.scalar(select(PackageLog).where(PackageLog.sequence == 2))
        assert row2.previous_digest == first.digest
    ack = {"type": "ack", "id": "ACK-2", "unit_sequence": 2, "status": "accepted",
           "received": "2026-04-10T09:00:00+08:00"}
    import_ok(unit_ws, feedback(tmp_path, city_key, 1, [ack]))
    with unit_ws.read() as s:
        assert s.scalar(select(FileAck.report_seq)) == 2
    with unit_ws.session() as s:
        delete_task(s, "张三", other)
    third = export(unit_ws, tmp_path / "o3")
    r3 = records_of(third.paths[0], pub)
    assert [r["type"] for r in r3] == ["unit", "deletion", "receipt"]
    assert r3[1]["target_type"] == "task" and r3[1]["target_id"] == other
    assert third.files == 0
    full = export(unit_ws, tmp_path / "o4", full=True)
    rf = records_of(full.paths[0], pub)
    evid = [r for r in rf if r["type"] == "evidence"]
    assert len(evid) == 1 and evid[0]["included"] is False and full.files == 0  # acknowledged file not resent
    assert any(r["type"] == "task" and r["id"] == tid for r in rf)


def test_rejected_ack_means_the_next_report_repeats(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    local_task(unit_ws)
    pub = unit_pub(unit_ws, tmp_path)
    export(unit_ws, tmp_path / "o1")
    ack = {"type": "ack", "id": "ACK-1", "unit_sequence": 1, "status": "rejected",
           "received": "2026-04-10T09:00:00+08:00", "reason": "缺少佐证"}
    (r,) = import_ok(unit_ws, feedback(tmp_path, city_key, 1, [ack]))
    assert any("缺少佐证" in w for w in r.warnings)
    second = export(unit_ws, tmp_path / "o2")
    assert sum(x["type"] == "task" for x in records_of(second.paths[0], pub)) == 1
    with unit_ws.read() as s:
        assert s.scalar(select(PackageLog.status).where(PackageLog.sequence == 1)) == "rejected"


def test_multi_part_export(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    for i in range(3):
        f = tmp_path / f"photo{i}.jpg"
        f.write_bytes(os.urandom(600_000))
        local_task(unit_ws, f"任务{i}", evidence=f)
    big = tmp_path / "big.jpg"
    big.write_bytes(os.urandom(1_300_000))
    local_task(unit_ws, "大文件", evidence=big)
    res = export(unit_ws, tmp_path / "out", volume_mb=1)
    assert len(res.paths) >= 3
    assert [p.name for p in res.paths][:2] == ["442000-017_unit-report_000001_part01.zgb",
                                                "442000-017_unit-report_000001_part02.zgb"]
    assert any("单独成卷" in w for w in res.warnings)  # a file over the limit travels alone
    pub = unit_pub(unit_ws, tmp_path)
    pkgs = [verify_report(p, pub) for p in res.paths]
    assert len({p.group_id for p in pkgs}) == 1 and len({p.package_id for p in pkgs}) == len(pkgs)
    assert {p.sequence for p in pkgs} == {1}
    assert sum(len(p.files) for p in pkgs) == 4
    assert [r["type"] for _l, r in pkgs[1].records] == ["unit"]
    assert sum(r["type"] == "task" for _l, r in pkgs[0].records) == 4
    for p in res.paths:
        if p.stat().st_size > 1_000_000:
            assert len(verify_report(p, pub).files) == 1


def test_failed_write_leaves_nothing(unit_ws, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    ev = tmp_path / "a.jpg"
    ev.write_bytes(os.urandom(10_000))
    local_task(unit_ws, evidence=ev)
    out = tmp_path / "stick"
    out.mkdir()
    before = dump(unit_ws)
    import errno

    import core.exchange.bag as bagmod

    real = bagmod._copy_into

    def pulled_out(*a, **k):  # noqa: ANN002, ANN003, ANN202
        real(*a, **k)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bagmod, "_copy_into", pulled_out)
    with pytest.raises(UserError) as info:
        ReportExporter(unit_ws).export(out, passphrase=PASS)
    assert "空间不足" in info.value.message
    assert list(out.iterdir()) == []  # no half package, not even a temp file
    assert dump(unit_ws) == before  # Sequence and package log unchanged


def test_corrupt_written_file_is_detected_and_removed(unit_ws, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    local_task(unit_ws)
    out = tmp_path / "stick"
    out.mkdir()
    before = dump(unit_ws)
    import core.exchange.bag as bagmod

    real = bagmod.write_package

    def flaky(target, **kw):  # noqa: ANN001, ANN003, ANN202
        wp = real(target, **kw)
        data = bytearray(wp.path.read_bytes())
        data[len(data) // 3] ^= 0xFF
        wp.path.write_bytes(bytes(data))
        return wp

    monkeypatch.setattr(bagmod, "write_package", flaky)
    with pytest.raises(UserError) as info:
        ReportExporter(unit_ws).export(out, passphrase=PASS)
    assert "复核未通过" in info.value.message
    assert list(out.iterdir()) == []
    assert dump(unit_ws) == before


def test_read_only_folder_is_a_clear_message(unit_ws, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import builtins
    import errno

    import core.exchange.bag as bagmod

    local_task(unit_ws)
    out = tmp_path / "ro"
    out.mkdir()
    before = dump(unit_ws)

    def read_only(path, mode="r", *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        if "w" in mode and Path(path).parent == out:
            raise PermissionError(errno.EROFS, "Read-only file system", str(path))
        return builtins.open(path, mode, *a, **k)

    monkeypatch.setattr(bagmod, "open", read_only, raising=False)
    with pytest.raises(UserError) as info:
        ReportExporter(unit_ws).export(out, passphrase=PASS)
    assert "只读" in info.value.message and info.value.hint
    assert list(out.iterdir()) == [] and dump(unit_ws) == before


def test_wrong_passphrase_exports_nothing(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    local_task(unit_ws)
    out = tmp_path / "o"
    out.mkdir()
    before = dump(unit_ws)
    with pytest.raises(InputRefused):
        ReportExporter(unit_ws).export(out, passphrase="nope nope")
    assert list(out.iterdir()) == [] and dump(unit_ws) == before


def test_unit_key_rotation_announced_then_used(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    local_task(unit_ws)
    old_pub = unit_pub(unit_ws, tmp_path)
    with unit_ws.session() as s:
        new = keys.rotate_unit_key(s, "张三", PASS, "new passphrase")
        new_id = new.key_id
    first = export(unit_ws, tmp_path / "o1")
    recs = records_of(first.paths[0], old_pub)  # still signed by the old key
    (key_rec,) = [r for r in recs if r["type"] == "key"]
    assert key_rec["key_id"] == new_id and key_rec["valid_from_sequence"] == 2
    with pytest.raises(InputRefused):
        ReportExporter(unit_ws).export(tmp_path / "o1", passphrase=PASS)  # the old passphrase is retired
    second = ReportExporter(unit_ws).export(tmp_path / "o1", passphrase="new passphrase")
    new_pub = dict(old_pub, key_id=key_rec["key_id"], public_key=key_rec["public_key"])
    pkg = verify_report(second.paths[0], new_pub)
    assert pkg.key_id == new_id and not any(r["type"] == "key" for _l, r in pkg.records)


def test_round_trip_with_the_city_desk(unit_ws, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """export -> city_desk verify -> city_desk feedback --auto-from -> import -> lights and notices."""
    import city_desk

    from core.ledger.queries import LedgerQuery
    from db.models import Notice, Task

    import_ok(unit_ws, FB1, FB2)
    with unit_ws.session() as s:
        complete_node(s, "张三", "ZS-KH-2026-007", 1, done=date(2026, 4, 14))
    local_task(unit_ws, "逾期的本地任务")  # deadline 2026-03-31: 15 days overdue on 2026-04-15
    out = tmp_path / "stick"
    res = export(unit_ws, out)
    pub_path = tmp_path / "unit.pub.json"
    with unit_ws.read() as s:
        keys.export_public(s, pub_path)
    report = res.paths[0]
    assert city_desk.main(["verify", str(report), "--unit-key", str(pub_path)]) == 0
    assert "核验通过" in capsys.readouterr().out
    fb = tmp_path / "fb3.zgb"
    assert city_desk.main(["feedback", "--key", str(Path(FB1).parents[1] / "keys" / "test-city.key.pem"),
                           "--unit-code", "442000-017", "--seq", "3", "--auto-from", str(report),
                           "--unit-key", str(pub_path), "--today", "2026-04-15", "--previous-digest",
                           "b33dc0789734e018" + "0" * 48, str(fb)]) == 0
    (r,) = import_ok(unit_ws, fb)
    assert r.summary.get("acks") == 1
    with unit_ws.read() as s:
        assert s.scalar(select(PackageLog.status).where(PackageLog.direction == "out")) == "acknowledged"
        red = [n.task_ref for n in s.scalars(select(Notice).where(Notice.level == "red", Notice.state == "open"))]
        lights = LedgerQuery(s, unit_ws.today).all_lights()
        titles = {t.id: t.title for t in s.scalars(select(Task))}
    by_title = {titles[k]: v for k, v in lights.items()}
    assert by_title["逾期的本地任务"] == "red" and by_title["专项资金拨付滞后"] == "red"
    assert by_title["政务服务事项办理超时"] == "green" and by_title["村级财务公开不及时"] == "green"
    assert "ZS-SJ-2026-014" in red and len(red) == 3  # the fixture's red notice and two from the city desk
    # The next delta is smaller: nothing changed since the acknowledged report but the receipt.
    nxt = export(unit_ws, tmp_path / "again")
    assert nxt.counts == {"unit": 1, "receipt": 1}


def test_auto_records_only_for_tasks_beyond_red(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    local_task(unit_ws, "逾期的本地任务")
    res = export(unit_ws, tmp_path / "o")
    pkg = verify_report(res.paths[0], unit_pub(unit_ws, tmp_path))
    recs = auto_records(pkg, date(2026, 4, 10), 10)  # 10 days overdue: not beyond 10
    assert [r["type"] for r in recs] == ["ack"]
    recs = auto_records(pkg, date(2026, 4, 11), 10)
    assert [r["type"] for r in recs] == ["ack", "notice"]


def test_export_cli_prints_every_file(cli, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    monkeypatch.setenv("RECTIDESK_PASSPHRASE", PASS)
    assert cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三")[0] == 0
    out = tmp_path / "stick"
    out.mkdir()
    code, stdout, err = cli("export", str(out))
    assert code == 0, err
    assert str(out / "442000-017_unit-report_000001.zgb") in stdout
    assert str(out / "442000-017.pub.json") in stdout  # the first report carries the registration key file
    assert keys.read_public_file(out / "442000-017.pub.json", owner="unit")
    code, stdout, _ = cli("packages", "--json")
    assert code == 0 and '"direction": "out"' in stdout
    shutil.rmtree(out)


def test_handover_travels_as_a_valid_record(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    from core.team.handover import hand_over

    local_task(unit_ws)  # owner 李四
    with unit_ws.session() as s:
        hand_over(s, "张三", "李四", "王五", today=date(2026, 4, 15), note="调岗", new_person=True)
    res = export(unit_ws, tmp_path / "o")
    recs = records_of(res.paths[0], unit_pub(unit_ws, tmp_path))
    (h,) = [r for r in recs if r["type"] == "handover"]
    assert (h["from"], h["to"], h["date"]) == ("李四", "王五", "2026-04-15")
    (t,) = [r for r in recs if r["type"] == "task"]
    assert t["owner"] == "王五"


def test_plan_shows_what_the_next_report_carries(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    ev = tmp_path / "a.jpg"
    ev.write_bytes(b"x" * 1000)
    local_task(unit_ws, evidence=ev)
    before = dump(unit_ws)
    plan = ReportExporter(unit_ws).plan()
    assert plan.sequence == 1 and plan.counts["task"] == 1 and plan.files == 1 and plan.file_bytes == 1000
    assert dump(unit_ws) == before


def test_target_failing_after_the_report_is_recorded_undoes_it(unit_ws, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The stick fails while the verified, recorded report gets its real name: nothing of it stays anywhere,
    and the next export uses the same Sequence (the city never saw it)."""
    import core.exchange.bag as bagmod

    local_task(unit_ws)
    out = tmp_path / "stick"
    out.mkdir()
    before = dump(unit_ws)

    def pulled(tmp, target):  # noqa: ANN001, ANN202, ARG001
        raise UserError("U盘已被拔出。")

    monkeypatch.setattr(bagmod, "publish_package", pulled)
    with pytest.raises(UserError):
        ReportExporter(unit_ws).export(out, passphrase=PASS)
    assert list(out.iterdir()) == []
    after = dump(unit_ws)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in before.items() if k != "audit_log"}
    monkeypatch.undo()
    result = ReportExporter(unit_ws).export(out, passphrase=PASS)
    assert result.sequence == 1 and all(p.exists() for p in result.paths)


def test_very_repetitive_records_do_not_look_like_a_zip_bomb(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    """A huge, repetitive description deflates beyond §8's 200:1; the export stores it instead of refusing itself."""
    from core.ledger.tasks import TaskInput, create_task

    with unit_ws.session() as s:
        for i in range(30):
            create_task(s, "张三", TaskInput(title=f"重复{i}", source="audit", category="phased", owner="李四",
                                             deadline="2026-06-30", description="同" * 100_000))
    out = tmp_path / "stick"
    out.mkdir()
    result = ReportExporter(unit_ws).export(out, passphrase=PASS)
    assert result.paths and result.paths[0].stat().st_size > 3 * 30 * 100_000


def test_a_description_too_long_for_one_record_line_is_refused_when_typed(unit_ws) -> None:  # noqa: ANN001
    """Spec §5: a record line is at most 1 MiB, so the ledger keeps a task's text within it."""
    from core.errors import InputRefused
    from core.ledger.tasks import TaskInput, create_task

    with unit_ws.session() as s, pytest.raises(InputRefused) as exc:
        create_task(s, "张三", TaskInput(title="重复", source="audit", category="phased", owner="李四",
                                         deadline="2026-06-30", description="同" * 3_000_000))
    assert "问题描述太长" in exc.value.message
