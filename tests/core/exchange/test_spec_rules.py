"""Spec exchange-v1 §3–§6 read line by line: each MUST has a test that fails without it."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from exchkit import TS, assignment, dump, feedback, import_ok
from sqlalchemy import func, select

from core.errors import PackageRejected
from core.exchange.importer import FeedbackImporter
from core.ledger.tasks import get_task
from db.models import AuditEntry, Deduction, Notice, PackageLog, Review


def signed(folder: Path, key, seq: int, records: list[dict[str, Any]], *, pid: str | None = None,  # noqa: ANN001
           previous: str = "none", part: tuple[int, int] = (1, 1), group: str | None = None,
           files: list[Path] = ()) -> Path:
    """A feedback bag written by hand, for what the reference peer does not make (fixed ids, parts)."""
    import uuid

    from city_desk import GENERATOR

    from core.exchange import bag
    from core.exchange.keys import raw_public
    from core.exchange.records import dump_line, key_id_for

    pid = pid or str(uuid.uuid4())
    info = {"Source-Organization": "市", "Bagging-Date": "2026-04-01", "External-Identifier": pid}
    if group:
        info["Bag-Group-Identifier"] = group
    info.update({"Bag-Count": f"{part[0]} of {part[1]}", "Exchange-Format": "zgb/1", "Package-Type": "city-feedback",
                 "Unit-Code": "442000-017", "Sequence": str(seq), "Previous-Package-Digest": previous,
                 "Created": TS, "Generator": GENERATOR})
    sources = [bag.SourceFile(hashlib.sha256(f.read_bytes()).hexdigest(), f.stat().st_size, f) for f in files]
    out = folder / f"{pid}.zgb"
    bag.write_package(out, info=info, records=[b"".join(dump_line(r) for r in records)], files=sources,
                      signer=key, key_id=key_id_for(raw_public(key)))
    return out


def notice(nid: str, ref: str, title: str = "督办", **extra: Any) -> dict[str, Any]:
    return {"type": "notice", "id": nid, "level": "red", "task_ref": ref, "title": title, "text": "t", "issued": TS,
            "issuer": "市", "respond_by": "2026-05-01", **extra}


def closure(cid: str, nid: str) -> dict[str, Any]:
    return {"type": "notice_closure", "id": cid, "notice_id": nid, "closed": TS}


def notice_state(ws, nid: str) -> tuple[str, str]:  # noqa: ANN001
    with ws.read() as s:
        n = s.get(Notice, nid)
        return n.state, n.title


def refused(ws, path: Path) -> PackageRejected:  # noqa: ANN001
    before = dump(ws)
    with pytest.raises(PackageRejected) as info:
        FeedbackImporter(ws).import_file(path)
    assert dump(ws) == before
    return info.value


# -- §4 Sequence rules -------------------------------------------------------------------------------

def test_same_package_id_with_other_content_is_a_replay(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    pid = "0f0e0d0c-0000-4000-8000-0000000000c1"
    import_ok(unit_ws, signed(tmp_path, city_key, 1, [assignment("ZS-R-1")], pid=pid))
    (tmp_path / "again").mkdir()
    other = signed(tmp_path / "again", city_key, 2, [assignment("ZS-R-2")], pid=pid)
    exc = refused(unit_ws, other)
    assert exc.reason_code == "replay" and pid in exc.message


def test_a_chained_package_has_no_fork_warning(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    (r1,) = import_ok(unit_ws, signed(tmp_path, city_key, 1, [assignment("ZS-C-1")]))
    with unit_ws.read() as s:
        digest = s.scalar(select(PackageLog.digest).where(PackageLog.sequence == 1))
    (r2,) = import_ok(unit_ws, signed(tmp_path, city_key, 2, [assignment("ZS-C-2")], previous=digest))
    assert r1.warnings == [] and r2.warnings == []
    (r3,) = import_ok(unit_ws, signed(tmp_path, city_key, 3, [assignment("ZS-C-3")], previous="b" * 64))
    assert any("分叉" in w for w in r3.warnings)


# -- §4 newer wins -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("lines", "state"), [
    (["notice", "closure"], "closed"),
    (["closure", "notice"], "open"),  # within one package the later line wins
])
def test_within_a_package_the_later_line_wins(unit_ws, city_key, tmp_path: Path, lines, state) -> None:  # noqa: ANN001
    import_ok(unit_ws, signed(tmp_path, city_key, 1, [assignment("ZS-W-1"), notice("DB-W", "ZS-W-1")]))
    recs = {"notice": notice("DB-W", "ZS-W-1", "再次督办"), "closure": closure("C-W", "DB-W")}
    import_ok(unit_ws, signed(tmp_path, city_key, 2, [recs[k] for k in lines]))
    assert notice_state(unit_ws, "DB-W") == (state, "再次督办")


def test_a_late_notice_never_reopens_a_newer_closure(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    import_ok(unit_ws, signed(tmp_path, city_key, 1, [assignment("ZS-L-1")]))
    (r3,) = import_ok(unit_ws, signed(tmp_path, city_key, 3, [closure("C-L", "DB-L")]))
    assert r3.summary.get("kept") == 1  # the notice is not here yet: the closure waits
    (r2,) = import_ok(unit_ws, signed(tmp_path, city_key, 2, [notice("DB-L", "ZS-L-1", "迟到的通知")]))
    assert any("迟到" in w for w in r2.warnings)
    assert notice_state(unit_ws, "DB-L") == ("closed", "迟到的通知")  # content from the notice, state from seq 3


def test_a_notice_resent_in_a_newer_package_reopens_it(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    import_ok(unit_ws, signed(tmp_path, city_key, 1, [assignment("ZS-O-1"), notice("DB-O", "ZS-O-1"),
                                                      closure("C-O", "DB-O")]))
    assert notice_state(unit_ws, "DB-O")[0] == "closed"
    import_ok(unit_ws, signed(tmp_path, city_key, 2, [notice("DB-O", "ZS-O-1", "重新督办")]))
    assert notice_state(unit_ws, "DB-O") == ("open", "重新督办")


def test_a_late_review_never_overrides_a_newer_one(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    def review(rid: str, result: str) -> dict[str, Any]:
        return {"type": "review", "id": rid, "target": "task", "target_id": "ZS-V-1", "result": result,
                "reviewed": TS, "reviewer": "王某", "comment": result}

    import_ok(unit_ws, signed(tmp_path, city_key, 1, [assignment("ZS-V-1")]))
    import_ok(unit_ws, signed(tmp_path, city_key, 3, [review("RV-new", "accepted")]))
    (r,) = import_ok(unit_ws, signed(tmp_path, city_key, 2, [review("RV-old", "returned")]))
    assert r.summary.get("older_skipped") == 1
    with unit_ws.read() as s:
        task = get_task(s, "ZS-V-1")
        assert (task.status, task.review_state) == ("closed", "accepted")
        assert s.get(Review, "RV-old") is not None  # the record itself is kept for the history


def test_a_deduction_is_applied_once_by_id(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    ded = {"type": "deduction", "id": "KF-1", "task_ref": "ZS-D-1", "points": 1.0, "kind": "pre", "reason": "r",
           "issued": TS}
    import_ok(unit_ws, signed(tmp_path, city_key, 1, [assignment("ZS-D-1"), ded]))
    import_ok(unit_ws, signed(tmp_path, city_key, 2, [dict(ded, points=3.0, kind="final")]))
    with unit_ws.read() as s:
        rows = [(d.id, d.points, d.kind) for d in s.scalars(select(Deduction))]
        logged = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "deduction.receive"))
    assert rows == [("KF-1", 1.0, "pre")] and logged == 1


def test_a_reversal_arriving_first_cancels_the_deduction_when_it_comes(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    rev = {"type": "deduction", "id": "KF-R", "task_ref": "ZS-D-2", "points": 2.0, "kind": "reversed",
           "reason": "申诉成立", "issued": TS, "reverses": "KF-2"}
    ded = {"type": "deduction", "id": "KF-2", "task_ref": "ZS-D-2", "points": 2.0, "kind": "final", "reason": "r",
           "issued": TS}
    (r,) = import_ok(unit_ws, signed(tmp_path, city_key, 2, [assignment("ZS-D-2"), rev]))
    assert any("KF-2" in w for w in r.warnings)
    import_ok(unit_ws, signed(tmp_path, city_key, 1, [ded]))
    with unit_ws.read() as s:
        assert s.get(Deduction, "KF-2").reversed_by == "KF-R"


# -- §5 effects -------------------------------------------------------------------------------------

def test_an_ack_for_a_report_never_made_moves_the_next_sequence(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    from exchkit import PASS

    from core.exchange.exporter import ReportExporter

    out = tmp_path / "o"
    out.mkdir()
    ReportExporter(unit_ws).export(out, passphrase=PASS)  # report 1, not acknowledged
    ack = {"type": "ack", "id": "A-5", "unit_sequence": 5, "status": "accepted", "received": TS}
    (r,) = import_ok(unit_ws, signed(tmp_path, city_key, 1, [ack]))
    assert any("第 5 号" in w for w in r.warnings)
    res = ReportExporter(unit_ws).export(out, passphrase=PASS)
    assert res.sequence == 6  # above the acknowledged one
    with unit_ws.read() as s:
        statuses = dict(s.execute(select(PackageLog.sequence, PackageLog.status).where(
            PackageLog.direction == "out")).all())
    assert statuses == {1: "sent", 6: "sent"}  # the ack was applied to no report


def test_a_notice_attachment_not_carried_is_a_warning(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    sha = hashlib.sha256(b"absent").hexdigest()
    (r,) = import_ok(unit_ws, signed(tmp_path, city_key, 1, [assignment("ZS-A-1"),
                                                           notice("DB-A", "ZS-A-1", attachments=[sha])]))
    assert any(sha[:12] in w for w in r.warnings)
    assert notice_state(unit_ws, "DB-A")[0] == "open"


# -- §6 multi-part ---------------------------------------------------------------------------------------

def test_three_parts_in_any_order_over_separate_imports(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    docs = []
    for i in (1, 2):
        f = tmp_path / f"doc{i}.txt"
        f.write_bytes(f"附件{i}".encode() * 50)
        docs.append(f)
    shas = [hashlib.sha256(f.read_bytes()).hexdigest() for f in docs]
    group = "0f0e0d0c-0000-4000-8000-0000000000d0"
    recs = [assignment("ZS-P-1"), notice("DB-P", "ZS-P-1", attachments=shas)]
    parts = [signed(tmp_path, city_key, 1, recs if k == 1 else [], part=(k, 3), group=group,
                    files=[docs[k - 2]] if k > 1 else []) for k in (1, 2, 3)]
    before = dump(unit_ws)
    for k in (3, 1):
        (r,) = import_ok(unit_ws, parts[k - 1])
        assert r.status == "waiting"
        after = dump(unit_ws)
        assert after["tasks"] == before["tasks"] and after["notices"] == before["notices"]
        assert not any(shas[0] in f or shas[1] in f for f in after["files"] if f.startswith("evidence"))
    with unit_ws.read() as s:  # until every part is there, the Sequence is not accepted
        assert s.scalar(select(PackageLog.package_id).where(PackageLog.status == "accepted")) is None
    (r,) = import_ok(unit_ws, parts[1])
    assert r.status == "accepted" and r.sequence == 1
    assert all(unit_ws.evidence.has(sha) for sha in shas)
    assert notice_state(unit_ws, "DB-P")[0] == "open"
    with unit_ws.read() as s:
        assert sorted(s.scalars(select(PackageLog.status))) == ["accepted"] * 3
    (r,) = import_ok(unit_ws, parts[0])
    assert r.status == "already"


def test_records_in_a_later_part_are_not_silently_dropped(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    group = "0f0e0d0c-0000-4000-8000-0000000000d1"
    p1 = signed(tmp_path, city_key, 1, [assignment("ZS-Q-1")], part=(1, 2), group=group)
    p2 = signed(tmp_path, city_key, 1, [assignment("ZS-Q-2")], part=(2, 2), group=group)
    import_ok(unit_ws, p1)
    (r,) = import_ok(unit_ws, p2)
    assert r.status == "accepted"
    assert any("第 2 卷" in w for w in r.warnings)  # §6: only part 1 carries records; the user is told


# -- §3 rotation boundaries -------------------------------------------------------------------------------

def test_rotation_takes_effect_exactly_at_v(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from core.exchange.keys import raw_public
    from core.exchange.records import key_id_for

    new = Ed25519PrivateKey.generate()
    raw = raw_public(new)
    rot = {"type": "key", "id": "K", "alg": "Ed25519", "public_key": base64.b64encode(raw).decode(),
           "key_id": key_id_for(raw), "valid_from_sequence": 2}  # V = carrier + 1: the smallest allowed
    import_ok(unit_ws, signed(tmp_path, city_key, 1, [rot]))
    assert refused(unit_ws, signed(tmp_path, city_key, 2, [assignment("ZS-K-1")])).reason_code == "key_not_valid"
    import_ok(unit_ws, signed(tmp_path, new, 2, [assignment("ZS-K-1")]))
    with unit_ws.read() as s:
        assert get_task(s, "ZS-K-1").from_city


def test_unknown_key_after_a_gap_names_a_possible_key_change(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    stranger = Ed25519PrivateKey.generate()
    exc = refused(unit_ws, feedback(tmp_path, stranger, 3, [assignment("ZS-U-1")]))
    assert exc.reason_code == "unknown_key_gap" and "1、2" in exc.message and "密钥更换" in exc.message
    import_ok(unit_ws, feedback(tmp_path, city_key, 1, [assignment("ZS-U-0")]))
    import_ok(unit_ws, feedback(tmp_path, city_key, 2, [assignment("ZS-U-2")]))
    exc = refused(unit_ws, feedback(tmp_path, stranger, 3, [assignment("ZS-U-1")]))
    assert exc.reason_code == "unknown_key"  # nothing missing: simply an untrusted key


def test_the_file_name_is_not_trusted(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    p = signed(tmp_path, city_key, 1, [assignment("ZS-N-1")])
    misleading = p.rename(tmp_path / "442000-099_city-feedback_000009_part02.zgb")
    (r,) = import_ok(unit_ws, misleading)
    assert (r.status, r.sequence, r.part) == ("accepted", 1, (1, 1))


def test_records_over_the_volume_limit_stay_in_part_1_and_the_user_is_told(unit_ws, tmp_path: Path) -> None:  # noqa: ANN001
    from exchkit import PASS

    from core.exchange.exporter import ReportExporter
    from core.ledger.tasks import TaskInput, create_task

    with unit_ws.session() as s:
        for i in range(16):  # each within a record line's 1 MiB (spec §5), together over the volume
            create_task(s, "张三", TaskInput(title=f"情况说明很长{i}", source="audit", category="phased",
                                            deadline="2026-06-30",
                                            description=base64.b64encode(os.urandom(75_000)).decode()))
    out = tmp_path / "o"
    out.mkdir()
    res = ReportExporter(unit_ws).export(out, passphrase=PASS, volume_mb=1)
    assert len(res.paths) == 1 and res.paths[0].stat().st_size > 1_000_000
    assert any("超过分卷大小" in w for w in res.warnings)


def test_a_late_ack_never_overrides_a_newer_one(unit_ws, city_key, tmp_path: Path) -> None:  # noqa: ANN001
    from exchkit import PASS

    from core.exchange.exporter import ReportExporter

    out = tmp_path / "o"
    out.mkdir()
    ReportExporter(unit_ws).export(out, passphrase=PASS)
    ack = {"type": "ack", "id": "A-1", "unit_sequence": 1, "status": "accepted", "received": TS}
    import_ok(unit_ws, signed(tmp_path, city_key, 2, [ack]))
    import_ok(unit_ws, signed(tmp_path, city_key, 1, [dict(ack, id="A-0", status="rejected", reason="旧回执")]))
    with unit_ws.read() as s:
        row = s.scalar(select(PackageLog).where(PackageLog.direction == "out"))
        assert (row.status, row.ack_reason) == ("acknowledged", "")


def test_a_node_returned_by_the_city_puts_a_submitted_task_back_in_progress(unit_ws, city_key,  # noqa: ANN001
                                                                              tmp_path: Path) -> None:
    from datetime import date

    from core.ledger.tasks import complete_node, submit_task

    import_ok(unit_ws, signed(tmp_path, city_key, 1, [assignment("ZS-B-1", (1, "唯一节点", "2026-05-01"))]))
    with unit_ws.session() as s:
        complete_node(s, "张三", "ZS-B-1", 1, done=date(2026, 4, 10))
        assert submit_task(s, "张三", "ZS-B-1").status == "submitted"
    import_ok(unit_ws, signed(tmp_path, city_key, 2, [
        {"type": "review", "id": "R-B", "target": "node", "target_id": "ZS-B-1#1", "result": "returned",
         "reviewed": TS, "reviewer": "王某", "comment": "材料不全"}]))
    with unit_ws.read() as s:
        task = get_task(s, "ZS-B-1")
        assert task.nodes[0].status == "pending" and task.status == "in_progress"  # not back to "open"
