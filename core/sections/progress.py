"""Each section desk's progress at the unit (工作台, `dashboard --json` "sections", `section list`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.ledger.lights import LightRule
from core.sections.common import REPORT, is_section_desk
from core.settings import thresholds
from db.models import Node, PackageLog, Section, Task


def section_progress(s: Session, today: date) -> list[dict[str, Any]]:
    """For every section with a code (one that runs a desk): tasks handed, open tasks, nodes done of all,
    nodes awaiting the unit's 双人核查, the lights of its tasks, and the last section report received.
    Empty at a section desk (it has no sections of its own)."""
    if is_section_desk(s):
        return []
    sections = list(s.scalars(select(Section).where(Section.code.is_not(None)).order_by(Section.code)))
    if not sections:
        return []
    ids = [sec.id for sec in sections]
    light = LightRule(thresholds(s), today).sql_case()
    tasks: dict[int, dict[str, int]] = {i: {"tasks": 0, "open": 0, "red": 0, "yellow": 0, "green": 0} for i in ids}
    closed_expr = case((Task.status == "closed", 1), else_=0)
    for sid, lt, closed, n in s.execute(
            select(Task.section_id, light, closed_expr, func.count())
            .where(Task.deleted.is_(None), Task.section_id.in_(ids)).group_by(Task.section_id, light, closed_expr)):
        row = tasks[sid]
        row["tasks"] += n
        row["open"] += 0 if closed else n
        row[lt] += n
    nodes: dict[int, tuple[int, int, int]] = {}
    for sid, total, done, awaiting in s.execute(
            select(Task.section_id, func.count(),
                   func.sum(case((Node.status.in_(("done", "confirmed")), 1), else_=0)),
                   func.sum(case((Node.status == "done", 1), else_=0)))
            .join(Task, Node.task_id == Task.id)
            .where(Node.deleted.is_(None), Task.deleted.is_(None), Task.section_id.in_(ids))
            .group_by(Task.section_id)):
        nodes[sid] = (int(total or 0), int(done or 0), int(awaiting or 0))
    last: dict[str, tuple[int, str]] = {}
    for code, seq, created in s.execute(
            select(PackageLog.section_code, PackageLog.sequence, PackageLog.created)
            .where(PackageLog.direction == "in", PackageLog.package_type == REPORT, PackageLog.status == "accepted")
            .order_by(PackageLog.sequence)):
        last[code or ""] = (seq, created)
    out = []
    for sec in sections:
        t = tasks[sec.id]
        total, done, awaiting = nodes.get(sec.id, (0, 0, 0))
        received = last.get(sec.code or "")
        out.append({
            "code": sec.code, "name": sec.name, "tasks": t["tasks"], "open_tasks": t["open"],
            "nodes_done": done, "nodes_total": total, "awaiting_confirmation": awaiting,
            "lights": {k: t[k] for k in ("red", "yellow", "green")},
            "last_report": {"sequence": received[0], "date": received[1][:10]} if received else None,
        })
    return out
