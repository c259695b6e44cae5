"""回头看: scheduled 3 and 6 months after closing, listed when due, a failure reopens the task."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from teamkit import close_task, make_task

from core.errors import InputRefused, PermissionDenied
from core.team import rechecks
from db.models import AuditEntry, Evidence, Recheck, Task


def test_add_months_clamps_to_the_month_end() -> None:
    assert rechecks.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert rechecks.add_months(date(2026, 1, 15), 3) == date(2026, 4, 15)


def _closed(team, closed_on: str = "2026-01-10") -> str:  # noqa: ANN001
    with team.session() as s:
        t = make_task(s, owner="王填")
        close_task(s, t, closed_on)
        return t.id


def test_schedule_gives_each_closed_task_its_two_dates_once(team) -> None:  # noqa: ANN001
    tid = _closed(team)
    other = _closed(team, "2026-02-28")
    with team.session() as s:
        make_task(s, title="仍在整改")
        created = rechecks.schedule(s, "张三")
        assert sorted((r.task_id, r.due) for r in created) == sorted(
            [(tid, "2026-04-10"), (tid, "2026-07-10"), (other, "2026-05-28"), (other, "2026-08-28")])
        assert rechecks.schedule(s, "张三") == []  # idempotent
    with team.read() as s:
        due = rechecks.list_rechecks(s, date(2026, 4, 15))
        assert [(r.task_id, r.due, r.overdue_days) for r in due] == [(tid, "2026-04-10", 5)]
        assert len(rechecks.list_rechecks(s, date(2026, 4, 15), state="pending")) == 4
        assert rechecks.due_count(s, date(2026, 5, 28)) == 2


def test_months_follow_the_settings(team) -> None:  # noqa: ANN001
    from core.team.users import set_setting

    _closed(team)
    with team.session() as s:
        set_setting(s, "张三", "recheck_first_months", 1)
        set_setting(s, "张三", "recheck_second_months", 12)
        assert sorted(r.due for r in rechecks.schedule(s, "张三")) == ["2026-02-10", "2027-01-10"]


def test_passed_recheck_records_result_and_evidence(team, tmp_path) -> None:  # noqa: ANN001
    tid = _closed(team)
    photo = tmp_path / "回头看现场.jpg"
    photo.write_bytes(b"\xff\xd8 photo")
    with team.session() as s:
        rechecks.schedule(s, "张三")
        row = rechecks.record(s, team.evidence, "李审", tid, "通过", today=date(2026, 4, 15), note="未反弹",
                              evidence=[photo])
        rid, ev_ids = row.id, list(row.evidence_ids)
    with team.read() as s:
        r = s.get(Recheck, rid)
        assert (r.result, r.done, r.by, r.note) == ("passed", "2026-04-15", "李审", "未反弹")
        assert s.get(Evidence, ev_ids[0]).task_id == tid
        assert s.get(Task, tid).status == "closed"
        assert len(rechecks.list_rechecks(s, date(2026, 4, 15))) == 0


def test_failed_recheck_reopens_the_task_with_its_reason(team) -> None:  # noqa: ANN001
    tid = _closed(team)
    with team.session() as s:
        rechecks.schedule(s, "张三")
        before_change = s.get(Task, tid).change_no
    with pytest.raises(InputRefused, match="原因"), team.session() as s:
        rechecks.record(s, team.evidence, "李审", tid, "未通过", today=date(2026, 4, 15))
    with team.session() as s:
        rechecks.record(s, team.evidence, "李审", tid, "failed", today=date(2026, 4, 15),
                        note="现场再次发现乱堆放")
    with team.read() as s:
        t = s.get(Task, tid)
        assert t.status != "closed" and t.closed_on is None
        assert t.review_state is None and t.submitted_at is None
        assert "乱堆放" in t.review_comment
        assert t.change_no > before_change  # travels in the next report
        results = sorted(r.result for r in s.scalars(select(Recheck).where(Recheck.task_id == tid)))
        assert results == ["cancelled", "failed"]  # the 6-month one belonged to the old closing
        assert s.scalar(select(AuditEntry.user).where(AuditEntry.action == "task.reopen")) == "李审"
    # closed again later: it gets a fresh pair of re-checks
    with team.session() as s:
        t = s.get(Task, tid)
        t.review_state, t.closed_on = "accepted", "2026-05-20"
        from core.ledger.tasks import refresh

        refresh(t)
        assert sorted(r.due for r in rechecks.schedule(s, "张三")) == ["2026-08-20", "2026-11-20"]


def test_only_a_reviewer_records_rechecks(team) -> None:  # noqa: ANN001
    tid = _closed(team)
    with team.session() as s:
        rechecks.schedule(s, "张三")
    with pytest.raises(PermissionDenied), team.session() as s:
        rechecks.record(s, team.evidence, "王填", tid, "通过", today=date(2026, 4, 15))
