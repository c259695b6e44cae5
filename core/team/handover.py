"""交接 (against “新官不理旧账”): every open task of a person passes to a successor in one action.

Each task keeps its history (the audit log follows the task id, not the owner), and one Handover row per
task carries a change number so the next unit-report sends it to the city (spec `handover` record).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, places
from core.counters import next_change_no
from core.errors import InputRefused, NotFound
from core.ledger.people import person_named
from core.ledger.tasks import refresh, touch
from core.team.users import require_role
from core.text import long_text
from db.models import Handover, Person, Task


@dataclass
class HandoverItem:
    task_id: str
    city_ref: str | None
    title: str
    status: str
    deadline: str
    next_due: str | None


@dataclass
class HandoverResult:
    from_person: str
    to_person: str
    date: str
    note: str
    by: str
    marked_left: bool
    items: list[HandoverItem] = field(default_factory=list)
    handover_ids: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"from": self.from_person, "to": self.to_person, "date": self.date, "note": self.note,
                "by": self.by, "marked_left": self.marked_left, "count": len(self.items),
                "tasks": [i.__dict__ for i in self.items], "handover_ids": self.handover_ids}


def open_tasks_of(session: Session, person: Person) -> list[Task]:
    return list(session.scalars(
        select(Task).where(Task.owner_id == person.id, Task.deleted.is_(None), Task.status != "closed")
        .order_by(Task.deadline, Task.id)))


def hand_over(session: Session, actor: str, from_name: str, to_name: str, *, today: date, note: str = "",
              mark_left: bool = False, new_person: bool = False) -> HandoverResult:
    """Move all open tasks of `from_name` to `to_name` inside the caller's one transaction."""
    require_role(session, actor, "admin", action="办理交接")
    from_name, to_name = (from_name or "").strip(), (to_name or "").strip()
    giver = session.scalar(select(Person).where(Person.name == from_name))
    if giver is None:
        raise NotFound(f"没有名为“{from_name}”的责任人。", hint="请检查交出人的姓名。")
    if not to_name:
        raise InputRefused("请写明接手人。", field="to")
    if to_name == from_name:
        raise InputRefused("交出人和接手人是同一个人。", hint="请写明接手的同事。", field="to")
    taker = session.scalar(select(Person).where(Person.name == to_name))
    if taker is None:
        if not new_person:
            raise NotFound(f"没有名为“{to_name}”的责任人。",
                           hint="请检查接手人的姓名；如是新来的同事，请加 --new-person 一并登记。",
                           window_hint=f"请检查接手人的姓名；如是新来的同事，请先点 {places.ADD_USER} 登记。")
        taker = person_named(session, to_name, giver.section)
        assert taker is not None
    if not taker.active:
        raise InputRefused(f"接手人“{to_name}”已离岗，不能接手任务。", hint="请选择在岗的同事。", field="to")
    tasks = open_tasks_of(session, giver)
    if not tasks and not mark_left:
        raise InputRefused(f"“{from_name}”名下没有未销号的任务，无需交接。")
    if mark_left and giver.active and giver.role == "admin" and not session.scalar(select(Person.id).where(
            Person.role == "admin", Person.active.is_(True), Person.id != giver.id).limit(1)):
        raise InputRefused(f"“{from_name}”是本单位最后一位管理员，不能登记为离岗。",
                           hint="请先把另一位用户设为管理员。")
    day = today.isoformat()
    result = HandoverResult(from_name, to_name, day, long_text(note, "交接说明", field="note"), actor, mark_left)
    for task in tasks:
        before = audit.snapshot("task", task)
        task.owner = taker
        touch(session, task)
        refresh(task)
        row = Handover(id=str(uuid.uuid4()), task_id=task.id, from_person=from_name, to_person=to_name,
                       date=day,
                       note=result.note, by=actor, change_no=next_change_no(session))
        session.add(row)
        audit.record(session, actor, "task.handover", "task", task.id, obj=task, before=before,
                     task_id=task.id)
        result.items.append(HandoverItem(task.id, task.city_ref, task.title, task.status, task.deadline,
                                         task.next_due))
        result.handover_ids.append(row.id)
    if mark_left and giver.active:
        giver.active = False
        giver.left_on = day
        audit.record(session, actor, "person.left", "person", str(giver.id),
                     after={"name": giver.name, "left_on": day})
    return result


@dataclass
class HandoverRecord:
    id: str
    task_id: str
    city_ref: str | None
    title: str
    from_person: str
    to_person: str
    date: str
    note: str
    by: str
    change_no: int


def list_handovers(session: Session, *, person: str | None = None,
                   on: str | None = None) -> list[HandoverRecord]:
    """Handover records, newest first; `person` matches either side, `on` a date (YYYY-MM-DD)."""
    q = select(Handover, Task.city_ref, Task.title).join(Task, Task.id == Handover.task_id)
    if person:
        q = q.where((Handover.from_person == person) | (Handover.to_person == person))
    if on:
        q = q.where(Handover.date == on)
    q = q.order_by(Handover.change_no.desc())
    return [HandoverRecord(h.id, h.task_id, ref, title, h.from_person, h.to_person, h.date, h.note, h.by,
                           h.change_no) for h, ref, title in session.execute(q)]


def handover_list_pdf(session: Session, path: Path, *, from_person: str, on: str,
                      to_person: str | None = None,
                      author: str = "") -> Path:
    """交接清单: the tasks handed over by `from_person` on `on`, with their state today, for signing."""
    from core import enums
    from core.reports.pdf import render_table_document
    from db.models import Evidence, Unit

    records = [r for r in list_handovers(session, person=from_person, on=on)
               if r.from_person == from_person and (to_person is None or r.to_person == to_person)]
    if not records:
        raise NotFound(f"没有找到“{from_person}”在 {on} 的交接记录。", hint="请检查姓名和交接日期。")
    records.sort(key=lambda r: r.change_no)
    rows = []
    for i, r in enumerate(records, start=1):
        task = session.get(Task, r.task_id)
        assert task is not None
        live = [n for n in task.nodes if n.deleted is None]
        done = sum(1 for n in live if n.status != "pending")
        files = session.scalar(select(func.count()).select_from(Evidence).where(
            Evidence.task_id == task.id, Evidence.deleted.is_(None))) or 0
        rows.append([str(i), task.city_ref or task.id[:8], task.title, enums.label("source", task.source),
                     task.deadline, enums.label("status", task.status), f"{done}/{len(live)}",
                     task.next_due or "—", str(files)])
    unit = session.scalar(select(Unit).limit(1))
    receivers = "、".join(sorted({r.to_person for r in records}))
    notes = [f"共 {len(records)} 条未销号整改任务。各任务的整改记录、佐证材料和操作日志随任务一并移交，"
             "接收人自交接之日起对上述任务的整改负责。"]
    if records[0].note:
        notes.insert(0, f"交接说明：{records[0].note}")
    return render_table_document(
        path, "整改任务交接清单",
        ["序号", "编号", "整改任务", "来源", "整改期限", "状态", "节点完成", "下一节点期限", "佐证"],
        rows,
        subtitle=f"{unit.name if unit else ''}　移交人：{from_person}　接收人：{receivers}　交接日期：{on}",
        widths_mm=[10, 28, 80, 18, 22, 20, 16, 24, 12], landscape_pages=True, notes=notes,
        signatures=("移交人", "接收人", "监交人"), author=author)
