"""Reminders at a given day: nodes due soon, overdue nodes, notices waiting for a response, re-checks due.

Plain data for the window (at start and once a day, tray notification) and the `reminders` command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import settings
from core.ledger.queries import awaits_us
from core.sqltypes import AnySelect
from core.team.rechecks import list_rechecks
from db.models import Node, Notice, Person, Response, Task

KINDS = {
    "node_overdue": "节点已逾期",
    "node_due_soon": "节点临近期限",
    "notice_awaiting": "督办通知待反馈",
    "recheck_due": "回头看到期",
}


@dataclass
class Reminder:
    kind: str
    task_id: str | None
    task_ref: str | None
    task_title: str
    due: str
    days: int  # >0 days overdue, <=0 days left
    owner: str
    text: str
    ref: str = ""  # node seq, notice id or re-check id

    def as_json(self) -> dict[str, object]:
        return {**self.__dict__, "kind_label": KINDS[self.kind]}


@dataclass
class Reminders:
    today: str
    items: list[Reminder] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)  # per kind, also beyond a `limit` on the items

    def of_kind(self, kind: str) -> list[Reminder]:
        return [r for r in self.items if r.kind == kind]

    @property
    def counts(self) -> dict[str, int]:
        return {k: self.totals.get(k, len(self.of_kind(k))) for k in KINDS}

    def more(self, kind: str) -> int:
        """How many of this kind are counted but not listed (the most urgent are listed)."""
        return self.counts[kind] - len(self.of_kind(kind))

    def summary(self) -> str:
        """One line for a tray notification; empty when there is nothing to remind."""
        parts = [f"{KINDS[k]} {n} 项" for k, n in self.counts.items() if n]
        return "；".join(parts)

    def as_json(self) -> dict[str, object]:
        return {"today": self.today, "counts": self.counts, "items": [r.as_json() for r in self.items]}


def collect(session: Session, today: date, *, owner: str | None = None, limit: int | None = None) -> Reminders:
    """Everything that needs attention on `today`, most urgent first within each kind.

    With `limit`, each kind lists only its `limit` most urgent items, while `counts` still gives every
    one (the window: a list of 50,000 overdue nodes helps nobody and takes seconds to build).
    Re-checks are those already scheduled: call core.team.rechecks.schedule first (the CLI does; the
    window does at start and after importing feedback) so tasks the city just closed are included.
    """
    soon = (today + timedelta(days=settings.get_int(session, "due_soon_days"))).isoformat()
    day = today.isoformat()
    out = Reminders(day)

    def days(due: str) -> int:
        return (today - date.fromisoformat(due)).days

    def listed(q: AnySelect, kind: str) -> AnySelect:
        """Count the whole kind in SQL; keep the first `limit` rows of the list."""
        if limit is None:
            return q
        out.totals[kind] = int(session.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0)
        return q.limit(limit)

    nodes = (select(Node.seq, Node.title, Node.due, Task.id, Task.city_ref, Task.title, Person.name)
             .join(Task, Task.id == Node.task_id).outerjoin(Person, Person.id == Task.owner_id)
             .where(Node.deleted.is_(None), Node.status == "pending", Task.deleted.is_(None),
                    Task.status != "closed")
             .order_by(Node.due, Task.id, Node.seq))
    if owner:
        nodes = nodes.where(Person.name == owner)
    for kind, q in (("node_overdue", nodes.where(Node.due < day)),
                    ("node_due_soon", nodes.where(Node.due >= day, Node.due <= soon))):
        for seq, ntitle, due, tid, ref, title, who in session.execute(listed(q, kind)):
            n = days(due)
            when = f"已逾期 {n} 天" if n > 0 else ("今天到期" if n == 0 else f"还有 {-n} 天到期")
            out.items.append(Reminder(kind, tid, ref, title, due, n, who or "",
                                      f"节点{seq}“{ntitle}”{when}（期限 {due}）", str(seq)))

    answered = select(Response.notice_id)
    nq = (select(Notice, Task.city_ref, Task.title, Person.name).outerjoin(Task, Task.id == Notice.task_id)
          .outerjoin(Person, Person.id == Task.owner_id)
          .where(Notice.state == "open", ~Notice.id.in_(answered), awaits_us())
          .order_by(Notice.respond_by, Notice.id))
    if owner:
        nq = nq.where(Person.name == owner)
    for notice, ref, title, who in session.execute(listed(nq, "notice_awaiting")):
        n = days(notice.respond_by)
        level = "挂牌督办" if notice.level == "red" else "滞后警示"
        when = f"反馈已超期 {n} 天" if n > 0 else f"请于 {notice.respond_by} 前反馈"
        out.items.append(Reminder("notice_awaiting", notice.task_id, ref or notice.task_ref,
                                  title or notice.title,
                                  notice.respond_by, n, who or "", f"{level}通知“{notice.title}”{when}",
                                  notice.id))

    rechecks = []
    for r in list_rechecks(session, today, state="due"):
        task = session.get(Task, r.task_id)
        who = task.owner.name if task is not None and task.owner is not None else ""
        if owner and who != owner:
            continue
        when = f"已超过 {r.overdue_days} 天" if r.overdue_days else "今天到期"
        rechecks.append(Reminder("recheck_due", r.task_id, r.city_ref, r.title, r.due, r.overdue_days, who,
                                 f"销号于 {r.closed_on} 的任务应回头看（{r.due}，{when}）", r.id))
    if limit is not None:
        out.totals["recheck_due"] = len(rechecks)
        rechecks = rechecks[:limit]
    out.items.extend(rechecks)
    return out
