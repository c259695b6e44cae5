"""Helpers for the team tests: a quick task maker and a closer."""

from __future__ import annotations

from datetime import date

from core import audit
from core.ledger.tasks import NodeInput, TaskInput, complete_node, confirm_node, create_task, refresh
from db.models import Task

PASSWORDS = {"张三": "admin-pass-1", "李审": "review-pass-2", "王填": "clerk-pass-3"}


def make_task(s, owner: str = "李四", *, title: str = "村务公开不及时", nodes: int = 2,  # noqa: ANN001
              deadline: str = "2026-05-31", batch: str = "", section: str = "党政办") -> Task:
    data = TaskInput(title=title, source="巡察", category="立行立改", owner=owner, deadline=deadline,
                     section=section, batch=batch,
                     nodes=[NodeInput(f"节点{i}", f"2026-05-{10 + i:02d}") for i in range(1, nodes + 1)])
    return create_task(s, "张三", data)


def close_task(s, task: Task, closed_on: str, *, doer: str = "王填",
               checker: str = "李审") -> None:  # noqa: ANN001
    """Fill in and confirm every node, then close it as the city's acceptance would."""
    for n in list(task.nodes):
        complete_node(s, doer, task.id, n.seq, done=date(2026, 4, 1), note="已完成")
        confirm_node(s, checker, task.id, n.seq)
    task.review_state = "accepted"
    task.closed_on = closed_on
    refresh(task)
    audit.record(s, "市督查平台", "task.review", "task", task.id, obj=task, task_id=task.id)
