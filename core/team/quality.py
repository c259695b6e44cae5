"""Evidence quality flags: warnings (never refusals) a reviewer should look at before the city does.

- a task submitted or closed without any evidence;
- evidence whose file is dated before the problem was assigned (the task was created);
- the same file (by SHA-256) used for unrelated tasks: tasks count as related when they share a
  non-empty batch and the same section (one rule document for one round's problems is normal,
  one photo for two different problems is not);
- a node marked done after its due date without a note explaining the delay.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, select, true
from sqlalchemy.orm import Session

from db.models import Evidence, Node, Task

KINDS = {
    "no_evidence": "申请销号或已销号但没有佐证材料",
    "evidence_before_assigned": "佐证材料日期早于问题交办日期",
    "evidence_reused": "同一文件用作不相关任务的佐证",
    "late_without_note": "节点逾期完成但没有说明",
}


@dataclass
class QualityFlag:
    kind: str
    task_id: str
    task_ref: str | None
    task_title: str
    detail: str
    ref: str = ""  # evidence id, node seq or sha256

    def as_json(self) -> dict[str, object]:
        return {**self.__dict__, "kind_label": KINDS[self.kind]}


def flags(session: Session, task_id: str | None = None) -> list[QualityFlag]:
    """Every warning, or (with `task_id`) only one task's, found with queries limited to that task."""
    out: list[QualityFlag] = []
    live_ev = Evidence.deleted.is_(None)
    live_task = Task.deleted.is_(None) if task_id is None else and_(Task.deleted.is_(None), Task.id == task_id)
    reused_scope = true() if task_id is None else Evidence.sha256.in_(
        select(Evidence.sha256).where(Evidence.task_id == task_id, live_ev))

    with_evidence = select(Evidence.task_id).where(live_ev)
    for t in session.scalars(select(Task).where(
            live_task, (Task.status.in_(("submitted", "closed"))) | Task.submitted_at.is_not(None),
            ~Task.id.in_(with_evidence)).order_by(Task.deadline, Task.id)):
        what = "已销号" if t.status == "closed" else "已申请销号"
        out.append(QualityFlag("no_evidence", t.id, t.city_ref, t.title, f"{what}，但没有上传任何佐证材料"))

    for ev, tid, ref, title, created in session.execute(
            select(Evidence, Task.id, Task.city_ref, Task.title, Task.created)
            .join(Task, Task.id == Evidence.task_id)
            .where(live_ev, live_task, Evidence.file_date.is_not(None)).order_by(Task.id, Evidence.added)):
        assigned = (created or "")[:10]
        if ev.file_date and assigned and ev.file_date < assigned:
            out.append(QualityFlag("evidence_before_assigned", tid, ref, title,
                                   f"“{ev.filename}”的文件日期 {ev.file_date} 早于问题交办日期 {assigned}",
                                   ev.id))

    users: dict[str, dict[str, tuple[str | None, str, str, int | None, str]]] = defaultdict(dict)
    for sha, tid, ref, title, batch, section, filename in session.execute(
            select(Evidence.sha256, Task.id, Task.city_ref, Task.title, Task.batch, Task.section_id,
                   Evidence.filename)
            .join(Task, Task.id == Evidence.task_id)
            .where(live_ev, Task.deleted.is_(None), reused_scope).order_by(Task.id)):
        users[sha].setdefault(tid, (ref, title, batch, section, filename))
    for sha, tasks in users.items():
        if len(tasks) < 2:
            continue
        groups = {(b, s) if b else ("", tid) for tid, (_r, _t, b, s, _f) in tasks.items()}
        if len(groups) < 2:
            continue
        for tid, (ref, title, _b, _s, filename) in tasks.items():
            if task_id is not None and tid != task_id:
                continue
            others = [tasks[o][1] for o in tasks if o != tid]
            detail = f"“{filename}”同时用作{len(others)}条其他任务的佐证：" + "；".join(others[:3])
            out.append(QualityFlag("evidence_reused", tid, ref, title, detail, sha))

    for node, tid, ref, title in session.execute(
            select(Node, Task.id, Task.city_ref, Task.title).join(Task, Task.id == Node.task_id)
            .where(Node.deleted.is_(None), live_task, Node.status != "pending", Node.done.is_not(None),
                   Node.done > Node.due).order_by(Task.id, Node.seq)):
        if not (node.note or "").strip():
            out.append(QualityFlag("late_without_note", tid, ref, title,
                                   f"节点{node.seq}“{node.title}”期限 {node.due}，"
                                   f"{node.done} 才完成，没有写明原因",
                                   str(node.seq)))
    return out


def counts(found: list[QualityFlag]) -> dict[str, int]:
    return {k: sum(1 for f in found if f.kind == k) for k in KINDS}
