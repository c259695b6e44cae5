"""回头看: a closed (销号) task is looked at again some months later; a failed look reopens it.

A task gets its re-checks for its current closing (rows due after `closed_on`); `schedule` is
idempotent, so the window may call it at start and the importer after the city closes tasks.
A failed re-check reopens the task (the task change travels in the next report) and cancels the
other pending re-checks of that closing.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, places, settings
from core.errors import InputRefused, NotFound
from core.evidence.store import EvidenceStore
from core.ledger.tasks import get_task, refresh, touch
from core.team.users import require_role
from db.models import Recheck, Task

RESULTS = {"passed": "通过", "failed": "未通过", "cancelled": "已取消"}
_RESULT_WORDS = {"passed": "passed", "pass": "passed", "通过": "passed", "合格": "passed",
                 "failed": "failed", "fail": "failed", "未通过": "failed", "不通过": "failed",
                 "反弹": "failed"}


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the last day of a shorter month."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _record_view(r: Recheck) -> dict[str, object]:
    return {"task_id": r.task_id, "due": r.due, "done": r.done, "result": r.result, "note": r.note,
            "by": r.by, "evidence_ids": list(r.evidence_ids or [])}


def schedule(session: Session, actor: str) -> list[Recheck]:
    """Give every closed task that has none for its current closing its two re-check dates."""
    first = settings.get_int(session, "recheck_first_months")
    second = settings.get_int(session, "recheck_second_months")
    months = sorted({first, second})
    planned = select(Recheck.task_id).where(
        Recheck.task_id == Task.id, Recheck.due > Task.closed_on,
        (Recheck.result.is_(None)) | (Recheck.result != "cancelled"))
    tasks = session.scalars(select(Task).where(
        Task.deleted.is_(None), Task.status == "closed", Task.closed_on.is_not(None), ~planned.exists()))
    created = []
    for task in tasks:
        closed = date.fromisoformat(str(task.closed_on))
        for m in months:
            row = Recheck(id=str(uuid.uuid4()), task_id=task.id, due=add_months(closed, m).isoformat(),
                          note="", evidence_ids=[])
            session.add(row)
            session.flush()
            audit.record(session, actor, "recheck.schedule", "recheck", row.id, after=_record_view(row),
                         task_id=task.id)
            created.append(row)
    return created


@dataclass
class RecheckRow:
    id: str
    task_id: str
    city_ref: str | None
    title: str
    closed_on: str | None
    due: str
    done: str | None
    result: str | None
    note: str
    by: str | None
    overdue_days: int

    @property
    def result_label(self) -> str:
        return RESULTS.get(self.result or "", "待回头看")

    def as_json(self) -> dict[str, object]:
        return {**self.__dict__, "result_label": self.result_label}


def list_rechecks(session: Session, today: date, *, state: str = "due",
                  within_days: int = 0) -> list[RecheckRow]:
    """`due`: pending and due by today + within_days; `pending`: not yet done; `all`: every re-check."""
    q = (select(Recheck, Task.city_ref, Task.title, Task.closed_on)
         .join(Task, Task.id == Recheck.task_id).where(Task.deleted.is_(None)))
    if state in ("due", "pending"):
        q = q.where(Recheck.result.is_(None))
    if state == "due":
        q = q.where(Recheck.due <= date.fromordinal(today.toordinal() + within_days).isoformat())
    elif state not in ("pending", "all"):
        raise InputRefused(f"回头看列表“{state}”无法识别。",
                           hint="可用：due（到期）、pending（未做）、all（全部）。")
    q = q.order_by(Recheck.due, Task.id)
    return [RecheckRow(r.id, r.task_id, ref, title, closed, r.due, r.done, r.result, r.note, r.by,
                       max(0, (today - date.fromisoformat(r.due)).days))
            for r, ref, title, closed in session.execute(q)]


def due_count(session: Session, today: date) -> int:
    """For the dashboard: re-checks due by today and not yet recorded."""
    return len(list_rechecks(session, today, state="due"))


def _find_pending(session: Session, ref: str) -> Recheck:
    row = session.get(Recheck, ref)
    if row is not None:
        if row.result is not None:
            raise InputRefused(f"这次回头看已经登记过结果（{RESULTS.get(row.result, row.result)}）。")
        return row
    task = get_task(session, ref)
    row = session.scalar(select(Recheck).where(Recheck.task_id == task.id, Recheck.result.is_(None))
                         .order_by(Recheck.due).limit(1))
    if row is None:
        raise NotFound(f"任务“{task.title}”没有待做的回头看。",
                       hint="任务销号后才安排回头看；可用 recheck list --all 查看。",
                       window_hint=f"任务销号后才安排回头看；可点 {places.RECHECKS} 查看。")
    return row


def record(session: Session, store: EvidenceStore, actor: str, ref: str, result: str, *, today: date,
           note: str = "", evidence: list[Path] | None = None) -> Recheck:
    """Record a re-check (by its id, or the task's earliest pending one); failed reopens the task."""
    from core.evidence.attach import attach_file

    require_role(session, actor, "reviewer", action="登记回头看结果")
    outcome = _RESULT_WORDS.get((result or "").strip().lower())
    if outcome is None:
        raise InputRefused(f"回头看结果“{result}”无法识别。", hint="请写 通过（passed）或 未通过（failed）。")
    if outcome == "failed" and not note.strip():
        raise InputRefused("回头看未通过时必须写明原因。", hint="例如：问题出现反弹，现场再次发现乱堆放。",
                           field="note")
    row = _find_pending(session, ref)
    task = session.get(Task, row.task_id)
    assert task is not None
    before = _record_view(row)
    ids = [attach_file(session, store, actor, task.id, Path(f), description="回头看佐证").id
           for f in evidence or []]
    row.done = today.isoformat()
    row.result = outcome
    row.note = note.strip()
    row.by = actor
    row.evidence_ids = list(row.evidence_ids or []) + ids
    session.flush()
    audit.record(session, actor, f"recheck.{outcome}", "recheck", row.id, before=before,
                 after=_record_view(row),
                 task_id=task.id)
    if outcome == "failed":
        _reopen(session, actor, task, row, today)
    return row


def _reopen(session: Session, actor: str, task: Task, failed: Recheck, today: date) -> None:
    before = audit.snapshot("task", task)
    task.review_state = None
    task.review_comment = f"回头看未通过（{today.isoformat()}）：{failed.note}"
    task.closed_on = None
    task.submitted_at = None
    touch(session, task)
    refresh(task)
    audit.record(session, actor, "task.reopen", "task", task.id, obj=task, before=before, task_id=task.id)
    for other in session.scalars(select(Recheck).where(Recheck.task_id == task.id, Recheck.result.is_(None),
                                                       Recheck.id != failed.id)):
        other.result = "cancelled"
        other.done = today.isoformat()
        other.note = "任务因回头看未通过已重新打开"
        audit.record(session, actor, "recheck.cancel", "recheck", other.id, after=_record_view(other),
                     task_id=task.id)


def add_recheck(session: Session, actor: str, task_ref: str, due: date) -> Recheck:
    """An extra re-check on a chosen date (the default two come from `schedule`)."""
    require_role(session, actor, "reviewer", action="安排回头看")
    task = get_task(session, task_ref)
    if task.status != "closed" or not task.closed_on:
        raise InputRefused(f"任务“{task.title}”还没有销号，不需要回头看。")
    if due.isoformat() <= task.closed_on:
        raise InputRefused(f"回头看日期必须晚于销号日期 {task.closed_on}。")
    row = Recheck(id=str(uuid.uuid4()), task_id=task.id, due=due.isoformat(), note="", evidence_ids=[])
    session.add(row)
    session.flush()
    audit.record(session, actor, "recheck.schedule", "recheck", row.id, after=_record_view(row),
                 task_id=task.id)
    return row
