"""The light rule (三色预警), exactly spec §7, with the reason each light has its colour.

`LightRule.for_task` is the rule for one task; `LightRule.sql_case` is the same rule as one SQL
expression over `tasks`, so that 100,000 lights are computed in a single pass. Tests hold both equal.
The expression takes today's cut-off dates as the named parameters `red_cut` and `yellow_cut`, so
that its compiled SQL can be kept and run again another day (`core.ledger.firstpage`). SQLAlchemy
is imported only by the SQL half: the first paint of the window uses this module without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from core.settings import Thresholds

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

FAR_FUTURE = "9999-12-31"


@dataclass(frozen=True)
class PendingDate:
    """A date that can make a task late: an unfinished node's due date or the task's deadline."""

    due: str
    label: str  # e.g. "节点2“制定方案”" or "整改期限"


@dataclass(frozen=True)
class OpenNotice:
    notice_id: str
    level: str  # red | yellow
    title: str = ""


@dataclass(frozen=True)
class Light:
    color: str  # green | yellow | red
    reason: str
    overdue_days: int = 0


class LightRule:
    def __init__(self, thresholds: Thresholds, today: date) -> None:
        self.t = thresholds
        self.today = today

    def overdue(self, due: str) -> int:
        return (self.today - date.fromisoformat(due)).days

    def for_task(self, status: str, deadline: str, pending_nodes: Sequence[PendingDate],
                 notices: Sequence[OpenNotice]) -> Light:
        red_notice = next((n for n in notices if n.level == "red"), None)
        yellow_notice = next((n for n in notices if n.level == "yellow"), None)
        if red_notice:
            return Light("red", f"挂牌督办：红色督办通知 {red_notice.notice_id} 尚未办结")
        if status == "closed":
            if yellow_notice:
                return Light("yellow", f"已销号，但黄色预警通知 {yellow_notice.notice_id} 尚未办结")
            return Light("green", "已销号")
        dates: list[PendingDate] = list(pending_nodes)
        if status not in ("submitted", "closed"):
            dates.append(PendingDate(deadline, "整改期限"))
        worst = min(dates, key=lambda d: d.due, default=None)
        n = self.overdue(worst.due) if worst else 0
        r, y = self.t.red_after_days, self.t.yellow_after_days
        if worst is not None and n > r:
            return Light("red", f"{worst.label}已逾期 {n} 天（超过红灯界限 {r} 天）", n)
        if yellow_notice:
            return Light("yellow", f"黄色预警通知 {yellow_notice.notice_id} 尚未办结", max(n, 0))
        if worst is not None and n >= 1 and n > y:
            return Light("yellow", f"{worst.label}已逾期 {n} 天", n)
        if worst is not None and n >= 1:
            return Light("green", f"{worst.label}逾期 {n} 天，未超过黄灯界限 {y} 天", n)
        if status == "submitted":
            return Light("green", "已完成，等待审核销号")
        return Light("green", "按期推进")

    # -- the same rule, set-based ------------------------------------------------------------
    def cutoffs(self) -> tuple[str, str]:
        """Due dates on or before these make a task red / yellow (n > r; n >= 1 and n > y)."""
        red_cut = self.today - timedelta(days=self.t.red_after_days + 1)
        yellow_cut = self.today - timedelta(days=max(1, self.t.yellow_after_days + 1))
        return red_cut.isoformat(), yellow_cut.isoformat()

    def cutoff_params(self) -> dict[str, str]:
        """The values of the named parameters in `sql_case`."""
        red_cut, yellow_cut = self.cutoffs()
        return {"red_cut": red_cut, "yellow_cut": yellow_cut}

    @staticmethod
    def worst_due_sql() -> ColumnElement[str]:
        from sqlalchemy import String, case, func, literal

        from db.models import Task

        eff_deadline = case((Task.status.in_(("submitted", "closed")), literal(FAR_FUTURE)),
                            else_=Task.deadline)
        return func.min(func.coalesce(Task.next_due, FAR_FUTURE), eff_deadline, type_=String)

    def sql_case(self) -> ColumnElement[str]:
        from sqlalchemy import String, and_, bindparam, case, literal, or_, select

        from db.models import Notice, Task

        cut = self.cutoff_params()
        red_cut = bindparam("red_cut", cut["red_cut"], type_=String)
        yellow_cut = bindparam("yellow_cut", cut["yellow_cut"], type_=String)
        worst = self.worst_due_sql()
        red_tasks = select(Notice.task_id).where(Notice.state == "open", Notice.level == "red",
                                                 Notice.task_id.is_not(None))
        yellow_tasks = select(Notice.task_id).where(Notice.state == "open", Notice.level == "yellow",
                                                    Notice.task_id.is_not(None))
        has_red = Task.id.in_(red_tasks)
        has_yellow = Task.id.in_(yellow_tasks)
        return case(
            (has_red, literal("red")),
            (Task.status == "closed", case((has_yellow, literal("yellow")), else_=literal("green"))),
            (worst <= red_cut, literal("red")),
            (or_(has_yellow, and_(worst <= yellow_cut)), literal("yellow")),
            else_=literal("green"),
        )
