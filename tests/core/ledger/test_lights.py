"""The light rule of spec §7 at every boundary, and the SQL form agreeing with it."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

import pytest

from core.ledger.lights import LightRule, OpenNotice, PendingDate
from core.ledger.queries import LedgerFilter, LedgerQuery
from core.settings import Thresholds
from db.models import Notice, Task

TODAY = date(2026, 4, 15)


def ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


FUTURE = ago(-30)
RULE = LightRule(Thresholds(yellow_after_days=0, red_after_days=10), TODAY)


@pytest.mark.parametrize(
    ("status", "deadline", "pending", "notices", "color"),
    [
        # deadline only
        ("open", FUTURE, [], [], "green"),
        ("open", ago(0), [], [], "green"),  # due today: n = 0
        ("open", ago(1), [], [], "yellow"),  # 1 day overdue
        ("open", ago(10), [], [], "yellow"),  # n = r: still yellow
        ("open", ago(11), [], [], "red"),  # n = r + 1
        # an unfinished node makes the task late even before its deadline
        ("in_progress", FUTURE, [ago(1)], [], "yellow"),
        ("in_progress", FUTURE, [ago(11)], [], "red"),
        ("in_progress", FUTURE, [ago(0)], [], "green"),
        # submitted: the deadline no longer counts
        ("submitted", ago(30), [], [], "green"),
        # notices
        ("open", FUTURE, [], [OpenNotice("N1", "yellow")], "yellow"),
        ("open", FUTURE, [], [OpenNotice("N1", "red")], "red"),
        ("open", ago(11), [], [OpenNotice("N1", "yellow")], "red"),  # overdue beyond r beats a yellow notice
        ("open", ago(3), [], [OpenNotice("N1", "yellow"), OpenNotice("N2", "red")], "red"),
        # closed tasks are green unless a notice on them is open
        ("closed", ago(100), [], [], "green"),
        ("closed", ago(100), [ago(100)], [], "green"),
        ("closed", FUTURE, [], [OpenNotice("N1", "yellow")], "yellow"),
        ("closed", FUTURE, [], [OpenNotice("N1", "red")], "red"),
    ],
)
def test_light_rule_table(status: str, deadline: str, pending: list[str], notices: list[OpenNotice],
                          color: str) -> None:
    light = RULE.for_task(status, deadline, [PendingDate(d, "节点") for d in pending], notices)
    assert light.color == color
    assert light.reason  # every light can say why


@pytest.mark.parametrize(("y", "n", "color"), [(0, 1, "yellow"), (3, 3, "green"), (3, 4, "yellow"),
                                               (3, 10, "yellow"), (3, 11, "red")])
def test_yellow_after_days_threshold(y: int, n: int, color: str) -> None:
    rule = LightRule(Thresholds(yellow_after_days=y, red_after_days=10), TODAY)
    assert rule.for_task("open", ago(n), [], []).color == color


def test_reason_names_the_late_node_and_days() -> None:
    light = RULE.for_task("in_progress", FUTURE, [PendingDate(ago(12), "节点2“制定方案”")], [])
    assert light.color == "red"
    assert "节点2“制定方案”" in light.reason and "12" in light.reason


def test_reason_names_the_notice() -> None:
    light = RULE.for_task("open", FUTURE, [], [OpenNotice("DB-2026-003", "red")])
    assert "DB-2026-003" in light.reason


def test_sql_lights_equal_python_rule(workspace) -> None:  # noqa: ANN001
    """The set-based light of 300 random tasks is exactly the one-task rule's."""
    rng = random.Random(7)
    statuses = ["open", "in_progress", "submitted", "returned", "closed"]
    with workspace.session() as s:
        for i in range(300):
            t = Task(id=str(uuid.uuid4()), title=f"任务{i}", source="audit", category="phased",
                     deadline=ago(rng.randint(-20, 25)), status=rng.choice(statuses),
                     next_due=rng.choice([None, ago(rng.randint(-5, 25))]), created="x", updated="x")
            s.add(t)
            s.flush()
            if rng.random() < 0.15:
                s.add(Notice(id=f"N{i}", level=rng.choice(["red", "yellow"]), task_ref=t.id, task_id=t.id,
                             title="t", text="t", issued="x", issuer="x", respond_by=ago(0),
                             state=rng.choice(["open", "closed"])))
    with workspace.read() as s:
        q = LedgerQuery(s, TODAY)
        sql = q.all_lights()
        notices = q.open_notices(list(sql))
        for t in s.query(Task):
            pending = [PendingDate(t.next_due, "节点")] if t.next_due else []
            expected = q.rule.for_task(t.status, t.deadline, pending, notices.get(t.id, []))
            assert sql[t.id] == expected.color, (t.status, t.deadline, t.next_due)
        # filtering by light in SQL finds the same tasks
        reds = {r.id for r in q.page(LedgerFilter(light="red"), limit=None, with_details=False)}
        assert reds == {k for k, v in sql.items() if v == "red"}
