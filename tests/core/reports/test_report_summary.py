"""The summary's words: a large ledger's report stays a report (the lists go to the annex)."""

from __future__ import annotations

from datetime import date

from core.ledger.rows import TaskRow
from core.reports.data import LedgerData
from core.reports.summary import LISTED_IN_BODY, summary_blocks


def _data(n: int) -> LedgerData:
    rows = [
        TaskRow(id=f"t{i}", city_ref=f"ZS-{i:04d}", title=f"第{i}号问题整改不到位", source="inspection",
                category="phased", status="in_progress", light="red" if i % 3 else "yellow", deadline="2026-03-31",
                next_due=None, owner=f"责任人{i}", section=f"科室{i % 7}", batch="", leader="",
                light_reason="整改期限已逾期15天")
        for i in range(n)
    ]
    figures = {
        "total": n, "closed": 0, "completion_rate": 0.0,
        "by_status": {"open": 0, "in_progress": n, "returned": 0, "submitted": 0, "closed": 0},
        "by_light": {"red": sum(r.light == "red" for r in rows), "yellow": sum(r.light == "yellow" for r in rows),
                     "green": 0},
        "overdue_tasks": n, "overdue_nodes": 0, "due_soon_nodes": 0, "open_notices": {"red": 0, "yellow": 0},
        "by_source": {"inspection": n}, "closed_by_source": {}, "by_category": {"phased": n},
        "deductions": {"pre": 0, "final": 0},
    }
    activity = dict.fromkeys(("nodes_total", "nodes_done", "nodes_confirmed", "evidence", "notices", "responses",
                              "handovers", "submitted"), 0)
    return LedgerData("442000-017", "某镇人民政府", date(2026, 4, 15), "0" * 64, figures, rows, activity)


def test_with_1000_tasks_the_body_names_none_of_them() -> None:
    blocks = summary_blocks(_data(1000))
    body = "\n".join(b.text for b in blocks)
    assert "第1号问题" not in body and "第999号问题" not in body and "责任人" not in body.replace("责任人和", "")
    assert "详见附件" in body and "科室" in body
    assert len(blocks) < 30  # a few pages for a leader, whatever the ledger's size


def test_a_few_urgent_tasks_are_named_one_by_one() -> None:
    body = "\n".join(b.text for b in summary_blocks(_data(LISTED_IN_BODY)))
    assert all(f"第{i}号问题" in body for i in range(LISTED_IN_BODY))
