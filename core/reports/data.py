"""What reports show, read from the ledger through core (never from the window): plain values only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.ledger.queries import LedgerFilter, LedgerQuery, TaskRow
from core.ledger.tasks import get_task, live_nodes
from core.reports.stamp import ledger_digest
from db.models import Deduction, Evidence, Handover, Node, Notice, Response, Review, Task, Unit


@dataclass
class LedgerData:
    unit_code: str
    unit_name: str
    today: date
    digest: str
    figures: dict[str, Any]
    rows: list[TaskRow]
    activity: dict[str, int] = field(default_factory=dict)
    # task id -> (问题详情, 整改措施, 销号日期 or None)
    extras: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)

    def measures(self, task_id: str) -> str:
        return self.extras.get(task_id, ("", "", None))[1]

    def closed_on(self, task_id: str) -> str | None:
        return self.extras.get(task_id, ("", "", None))[2]


def task_extras(session: Session) -> dict[str, tuple[str, str, str | None]]:
    """Per live task: its description, measures and 销号 date (what the ledger rows do not carry)."""
    q = select(Task.id, Task.description, Task.measures, Task.closed_on).where(Task.deleted.is_(None))
    return {tid: (desc or "", meas or "", closed) for tid, desc, meas, closed in session.execute(q)}


def progress_text(status: str, closed_on: str | None, nodes: list[Any]) -> str:
    """整改进展/完成情况 as a 台账 writes it: the state, then each node done with its date (no names, no notes)."""
    done = [n for n in nodes if n.status != "pending"]
    if status == "closed":
        head = f"已整改完成，{closed_on}销号" if closed_on else "已整改完成并销号"
    elif status == "submitted":
        head = "已完成整改，待上级审核销号"
    elif status == "returned":
        head = "上级审核退回，正在继续整改"
    elif not done:
        head = "正在整改，尚无完成的节点" if status == "in_progress" else "尚未开始整改"
    else:
        head = f"正在整改，已完成{len(done)}/{len(nodes)}个节点"
    return "\n".join([head] + [f"{n.title}：{n.done}完成" for n in done if n.done])


def unit_of(session: Session) -> Unit:
    from core.errors import InputRefused

    unit = session.scalar(select(Unit).limit(1))
    if unit is None:
        raise InputRefused("这个数据文件夹还没有建立本单位的台账。", hint="请先完成首次设置（init）。",
                            window_hint="请先完成首次设置。")
    return unit


def ledger_data(session: Session, today: date, *, details: bool = True) -> LedgerData:
    unit = unit_of(session)
    q = LedgerQuery(session, today)
    rows = q.page(LedgerFilter(sort="deadline"), limit=None, with_details=details)
    live = Task.deleted.is_(None)
    activity = {
        "nodes_done": int(
            session.scalar(
                select(func.count())
                .select_from(Node)
                .join(Task)
                .where(live, Node.deleted.is_(None), Node.status != "pending")
            )
            or 0
        ),
        "nodes_confirmed": int(
            session.scalar(
                select(func.count())
                .select_from(Node)
                .join(Task)
                .where(live, Node.deleted.is_(None), Node.status == "confirmed")
            )
            or 0
        ),
        "nodes_total": int(
            session.scalar(select(func.count()).select_from(Node).join(Task).where(live, Node.deleted.is_(None))) or 0
        ),
        "evidence": int(
            session.scalar(select(func.count()).select_from(Evidence).where(Evidence.deleted.is_(None))) or 0
        ),
        "responses": int(session.scalar(select(func.count()).select_from(Response)) or 0),
        "notices": int(session.scalar(select(func.count()).select_from(Notice)) or 0),
        "handovers": int(session.scalar(select(func.count()).select_from(Handover)) or 0),
        "submitted": int(session.scalar(select(func.count()).where(live, Task.submitted_at.is_not(None))) or 0),
    }
    return LedgerData(
        unit.code, unit.name, today, ledger_digest(session), q.dashboard(), rows, activity, task_extras(session)
    )


@dataclass
class TaskDetail:
    unit_code: str
    unit_name: str
    today: date
    digest: str
    task: dict[str, Any]
    light: tuple[str, str]
    nodes: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    notices: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    handovers: list[dict[str, Any]]
    deductions: list[dict[str, Any]]


def task_detail(session: Session, today: date, task_id: str) -> TaskDetail:
    unit = unit_of(session)
    t = get_task(session, task_id)
    light = LedgerQuery(session, today).light_of(t.id)
    nodes = [
        {
            "seq": n.seq,
            "title": n.title,
            "due": n.due,
            "done": n.done or "",
            "status": n.status,
            "done_by": n.done_by or "",
            "confirmed_by": n.confirmed_by or "",
            "note": n.note,
            "city_result": n.city_result or "",
        }
        for n in live_nodes(t)
    ]
    seqs = {n.id: n.seq for n in t.nodes}
    evidence = [
        {
            "filename": e.filename,
            "size": e.size,
            "sha256": e.sha256,
            "added": e.added[:10],
            "by": e.added_by,
            "node": seqs.get(e.node_id or "", ""),
            "description": e.description,
        }
        for e in session.scalars(
            select(Evidence).where(Evidence.task_id == t.id, Evidence.deleted.is_(None)).order_by(Evidence.added)
        )
    ]
    notices = []
    for n in session.scalars(select(Notice).where(Notice.task_id == t.id).order_by(Notice.issued)):
        responses = [
            {"text": r.text, "responded": r.responded[:10], "by": r.by}
            for r in session.scalars(select(Response).where(Response.notice_id == n.id).order_by(Response.responded))
        ]
        notices.append(
            {
                "id": n.id,
                "level": n.level,
                "title": n.title,
                "text": n.text,
                "issued": n.issued[:10],
                "issuer": n.issuer,
                "respond_by": n.respond_by,
                "state": n.state,
                "closed": (n.closed or "")[:10],
                "responses": responses,
            }
        )
    reviews = [
        {
            "target": r.target,
            "node": seqs.get(r.node_id or "", ""),
            "result": r.result,
            "reviewed": r.reviewed[:10],
            "reviewer": r.reviewer,
            "comment": r.comment,
        }
        for r in session.scalars(select(Review).where(Review.task_id == t.id).order_by(Review.reviewed))
    ]
    handovers = [
        {"date": h.date, "from": h.from_person, "to": h.to_person, "note": h.note, "by": h.by}
        for h in session.scalars(select(Handover).where(Handover.task_id == t.id).order_by(Handover.date))
    ]
    deductions = [
        {
            "kind": d.kind,
            "points": d.points,
            "reason": d.reason,
            "issued": d.issued[:10],
            "reversed": bool(d.reversed_by),
        }
        for d in session.scalars(select(Deduction).where(Deduction.task_id == t.id).order_by(Deduction.issued))
    ]
    task = {
        "id": t.id,
        "city_ref": t.city_ref or "",
        "title": t.title,
        "description": t.description,
        "measures": t.measures,
        "source": t.source,
        "category": t.category,
        "batch": t.batch,
        "leader": t.leader,
        "section": t.section.name if t.section else "",
        "owner": t.owner.name if t.owner else "",
        "deadline": t.deadline,
        "status": t.status,
        "closed_on": t.closed_on or "",
        "review_comment": t.review_comment,
        "created": t.created[:10],
    }
    return TaskDetail(
        unit.code,
        unit.name,
        today,
        ledger_digest(session),
        task,
        (light.color, light.reason),
        nodes,
        evidence,
        notices,
        reviews,
        handovers,
        deductions,
    )


@dataclass
class MonthData:
    unit_code: str
    unit_name: str
    today: date
    digest: str
    period: str
    figures: dict[str, Any]
    months: list[tuple[str, int, int]]  # (YYYY-MM, created, closed) for 12 months ending with the period
    lights: dict[str, int]
    by_source: list[tuple[str, int, int]]  # (source, total, closed)
    due_nodes: list[dict[str, Any]]
    closed_tasks: list[dict[str, Any]]
    points: dict[str, Any] = field(default_factory=dict)  # LedgerQuery.points(): deductions, appeals, at risk


def month_bounds(period: str) -> tuple[str, str]:
    y, m = (int(x) for x in period.split("-"))
    start = date(y, m, 1)
    end = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
    return start.isoformat(), end.isoformat()


def month_data(session: Session, today: date, period: str) -> MonthData:
    unit = unit_of(session)
    start, end = month_bounds(period)
    live = Task.deleted.is_(None)
    q = LedgerQuery(session, today)
    dash = q.dashboard()
    created: Counter[str] = Counter(
        dict(
            session.execute(
                select(func.substr(Task.created, 1, 7), func.count())
                .where(live)
                .group_by(func.substr(Task.created, 1, 7))
            ).all()
        )
    )
    closed: Counter[str] = Counter(
        dict(
            session.execute(
                select(func.substr(Task.closed_on, 1, 7), func.count())
                .where(live, Task.closed_on.is_not(None))
                .group_by(func.substr(Task.closed_on, 1, 7))
            ).all()
        )
    )
    keys = []
    y, m = (int(x) for x in period.split("-"))
    for _ in range(12):
        keys.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    months = [(k, int(created.get(k, 0)), int(closed.get(k, 0))) for k in reversed(keys)]
    in_month = Node.due.between(start, end)
    node_rows = session.execute(
        select(Node.seq, Node.title, Node.due, Node.done, Node.status, Task.title, Task.city_ref)
        .join(Task, Node.task_id == Task.id)
        .where(live, Node.deleted.is_(None), in_month)
        .order_by(Node.due, Task.title)
    ).all()
    due_nodes = [
        {
            "seq": r[0],
            "title": r[1],
            "due": r[2],
            "done": r[3] or "",
            "status": r[4],
            "task": r[5],
            "ref": r[6] or "",
        }
        for r in node_rows
    ]
    closed_rows = session.execute(
        select(Task.title, Task.city_ref, Task.closed_on)
        .where(live, Task.closed_on.between(start, end))
        .order_by(Task.closed_on)
    ).all()
    closed_tasks = [{"title": r[0], "ref": r[1] or "", "closed_on": r[2]} for r in closed_rows]
    done_in_month = int(
        session.scalar(
            select(func.count())
            .select_from(Node)
            .join(Task)
            .where(live, Node.deleted.is_(None), Node.done.between(start, end))
        )
        or 0
    )
    notices_in_month = int(
        session.scalar(select(func.count()).select_from(Notice).where(func.substr(Notice.issued, 1, 7) == period)) or 0
    )
    evidence_in_month = int(
        session.scalar(
            select(func.count())
            .select_from(Evidence)
            .where(Evidence.deleted.is_(None), func.substr(Evidence.added, 1, 7) == period)
        )
        or 0
    )
    figures = {
        "created": int(created.get(period, 0)),
        "closed": int(closed.get(period, 0)),
        "nodes_due": len(due_nodes),
        "nodes_due_done": sum(1 for n in due_nodes if n["status"] != "pending"),
        "nodes_done": done_in_month,
        "notices": notices_in_month,
        "evidence": evidence_in_month,
        "total": dash["total"],
        "total_closed": dash["closed"],
        "completion_rate": dash["completion_rate"],
    }
    by_source = sorted(
        ((k, v, int(dash["closed_by_source"].get(k, 0))) for k, v in dash["by_source"].items()),
        key=lambda x: -x[1],
    )
    return MonthData(
        unit.code,
        unit.name,
        today,
        ledger_digest(session),
        period,
        figures,
        months,
        dash["by_light"],
        by_source,
        due_nodes,
        closed_tasks,
        q.points(),
    )
