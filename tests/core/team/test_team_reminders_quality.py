"""Reminders at a given day and the evidence quality flags."""

from __future__ import annotations

import os
from datetime import date, datetime

from teamkit import close_task, make_task

from core.evidence.attach import attach_file
from core.ledger.tasks import complete_node, submit_task
from core.team import quality, rechecks, reminders
from db.models import Notice, Response


def test_reminders_cover_nodes_notices_and_rechecks(team) -> None:  # noqa: ANN001
    with team.session() as s:
        t = make_task(s, owner="王填", nodes=0)
        from core.ledger.tasks import add_node

        add_node(s, "张三", t.id, "已逾期的节点", "2026-04-10")
        add_node(s, "张三", t.id, "临期的节点", "2026-04-17")
        add_node(s, "张三", t.id, "还早的节点", "2026-06-30")
        s.add(Notice(id="N-1", level="red", task_ref="x", task_id=t.id, title="挂牌督办", text="t",
                     issued="2026-04-01T09:00:00+08:00", issuer="市督查室", respond_by="2026-04-20"))
        s.add(Notice(id="N-2", level="yellow", task_ref="x", task_id=t.id, title="已回复的", text="t",
                     issued="2026-04-01T09:00:00+08:00", issuer="市督查室", respond_by="2026-04-20"))
        s.add(Response(id="R-1", notice_id="N-2", text="已整改", responded="2026-04-02T09:00:00+08:00",
                       by="王填"))
        closed = make_task(s, owner="李四", title="去年的问题")
        close_task(s, closed, "2026-01-01")
        rechecks.schedule(s, "张三")
    with team.read() as s:
        r = reminders.collect(s, date(2026, 4, 15))
        assert r.counts == {"node_overdue": 1, "node_due_soon": 1, "notice_awaiting": 1, "recheck_due": 1}
        assert "已逾期 5 天" in r.of_kind("node_overdue")[0].text
        assert r.of_kind("notice_awaiting")[0].ref == "N-1"
        assert "回头看到期 1 项" in r.summary()
        mine = reminders.collect(s, date(2026, 4, 15), owner="李四")
        assert mine.counts == {"node_overdue": 0, "node_due_soon": 0, "notice_awaiting": 0, "recheck_due": 1}
        assert reminders.collect(s, date(2026, 1, 1), owner="李四").summary() == ""


def test_a_limit_lists_the_most_urgent_and_still_counts_all(team) -> None:  # noqa: ANN001
    from core.ledger.tasks import add_node

    with team.session() as s:
        t = make_task(s, owner="王填", nodes=0)
        for i, due in enumerate(("2026-04-01", "2026-03-01", "2026-04-10", "2026-04-16", "2026-04-17")):
            add_node(s, "张三", t.id, f"节点{i}", due)
    with team.read() as s:
        full = reminders.collect(s, date(2026, 4, 15))
        short = reminders.collect(s, date(2026, 4, 15), limit=2)
    assert short.counts == full.counts == {"node_overdue": 3, "node_due_soon": 2, "notice_awaiting": 0,
                                           "recheck_due": 0}
    assert [r.due for r in short.of_kind("node_overdue")] == ["2026-03-01", "2026-04-01"]  # most overdue first
    assert short.more("node_overdue") == 1 and short.more("node_due_soon") == 0 and full.more("node_overdue") == 0
    assert short.summary() == full.summary()


def test_quality_flags_each_rule(team, tmp_path) -> None:  # noqa: ANN001
    old = tmp_path / "旧照片.jpg"
    old.write_bytes(b"old photo")
    stamp = datetime(2025, 12, 1).timestamp()
    os.utime(old, (stamp, stamp))
    shared = tmp_path / "同一张照片.jpg"
    shared.write_bytes(b"the same photo")
    with team.session() as s:
        bare = make_task(s, owner="王填", title="没有佐证", nodes=1)
        complete_node(s, "王填", bare.id, 1, done=date(2026, 5, 20))  # due 2026-05-11: late, no note
        submit_task(s, "王填", bare.id)
        a = make_task(s, title="问题甲", batch="第一轮巡察", section="党政办")
        b = make_task(s, title="问题乙", batch="第二轮巡察", section="城建办")
        c = make_task(s, title="问题丙", batch="第一轮巡察", section="党政办")
        for t in (a, b):
            attach_file(s, team.evidence, "王填", t.id, shared)
        attach_file(s, team.evidence, "王填", c.id, old)  # dated before the task was assigned
        ok = make_task(s, owner="王填", title="好好的", nodes=1)
        attach_file(s, team.evidence, "王填", ok.id, tmp_path / "同一张照片.jpg")
        close_task(s, ok, "2026-04-10")
        for t in (a, b, c, bare, ok):
            t.created = "2026-03-01T09:00:00+08:00"
    with team.read() as s:
        found = quality.flags(s)
    by_kind = {k: sorted(f.task_title for f in found if f.kind == k) for k in quality.KINDS}
    assert by_kind["no_evidence"] == ["没有佐证"]
    assert by_kind["late_without_note"] == ["没有佐证"]
    assert by_kind["evidence_before_assigned"] == ["问题丙"]
    assert by_kind["evidence_reused"] == sorted(["问题甲", "问题乙", "好好的"])
    # the task editor asks for one task's warnings only: exactly that task's share of the full list
    with team.read() as s:
        for tid in {f.task_id for f in found}:
            mine = [(f.kind, f.detail, f.ref) for f in quality.flags(s, tid)]
            assert mine == [(f.kind, f.detail, f.ref) for f in found if f.task_id == tid]


def test_a_shared_document_within_one_batch_and_section_is_not_flagged(team,
                                                                       tmp_path) -> None:  # noqa: ANN001
    rule = tmp_path / "村务公开制度.pdf"
    rule.write_bytes(b"%PDF rule")
    with team.session() as s:
        for i in range(3):
            t = make_task(s, title=f"制度问题{i}", batch="第一轮巡察", section="党政办")
            attach_file(s, team.evidence, "王填", t.id, rule)
    with team.read() as s:
        assert [f for f in quality.flags(s) if f.kind == "evidence_reused"] == []
