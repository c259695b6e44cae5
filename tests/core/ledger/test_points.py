"""What the deductions cost: 预扣分 and 扣分 with reversed ones apart, pending appeals, red tasks at risk."""

from __future__ import annotations

import json

from core.ledger.queries import LedgerQuery
from core.ledger.tasks import TaskInput, create_task
from db.models import Appeal, Deduction, Notice


def _ledger(ws):  # noqa: ANN001, ANN202
    with ws.session() as s:
        red = create_task(s, "张三", TaskInput(title="食堂采购未公开招标", source="audit", category="phased",
                                              owner="李四", deadline="2026-03-01"))  # 45 days overdue: red
        calm = create_task(s, "张三", TaskInput(title="制度未上墙", source="audit", category="immediate",
                                               owner="李四", deadline="2026-12-01"))
        s.add_all([
            Deduction(id="KF-1", task_ref=red.id, task_id=red.id, points=0.5, kind="pre", reason="进度滞后",
                      issued="2026-04-01T09:00:00+08:00"),
            Deduction(id="KF-2", task_ref=red.id, task_id=red.id, points=1.0, kind="final", reason="逾期未整改",
                      issued="2026-04-05T09:00:00+08:00", reversed_by="KF-3"),
            Deduction(id="KF-3", task_ref=red.id, task_id=red.id, points=1.0, kind="reversed", reason="申诉成立",
                      issued="2026-04-10T09:00:00+08:00", reverses="KF-2"),
            Deduction(id="KF-4", task_ref=calm.id, task_id=calm.id, points=2.0, kind="final", reason="台账不实",
                      issued="2026-04-12T09:00:00+08:00"),
            Appeal(id="SS-1", target_type="deduction", target_id="KF-4", task_id=calm.id, reason="已整改到位",
                   filed="2026-04-13T09:00:00+08:00", by="张三"),
            Appeal(id="SS-2", target_type="deduction", target_id="KF-2", task_id=red.id, reason="客观原因",
                   filed="2026-04-06T09:00:00+08:00", by="张三", result="upheld"),
        ])
        return red.id, calm.id


def test_points_lists_deductions_reversals_pending_appeals_and_red_tasks_at_risk(workspace) -> None:  # noqa: ANN001
    red, calm = _ledger(workspace)
    with workspace.read() as s:
        p = LedgerQuery(s, workspace.today).points()
    assert p["totals"] == {"pre": 0.5, "final": 2.0, "reversed": 1.0}
    kinds = {d["id"]: (d["kind"], d["reversed"]) for d in p["deductions"]}
    assert kinds == {"KF-1": ("pre", False), "KF-2": ("final", True), "KF-4": ("final", False)}
    assert [a["id"] for a in p["appeals_pending"]] == ["SS-1"] and p["appeals_pending"][0]["task_title"] == "制度未上墙"
    assert [r["task_id"] for r in p["red_at_risk"]] == [red] and p["red_at_risk_count"] == 1


def test_a_red_notice_puts_a_task_at_risk_until_it_is_closed(workspace) -> None:  # noqa: ANN001
    _red, calm = _ledger(workspace)
    with workspace.session() as s:
        s.add(Notice(id="DB-9", level="red", task_ref=calm, task_id=calm, title="挂牌督办", text="加快",
                     issued="2026-04-14T09:00:00+08:00", issuer="市督查室", respond_by="2026-04-30",
                     attachments=[], state="open", closure_comment="", content_seq=1, state_seq=1, state_line=1))
    with workspace.read() as s:
        assert LedgerQuery(s, workspace.today).points()["red_at_risk_count"] == 2


def test_dashboard_json_carries_the_totals(workspace, cli) -> None:  # noqa: ANN001
    _ledger(workspace)
    workspace.close()
    code, out, _ = cli("--today", "2026-04-15", "dashboard", "--json")
    d = json.loads(out)
    assert code == 0
    assert d["deductions"] == {"pre": 0.5, "final": 2.0, "reversed": 1.0}
    assert d["appeals_pending"] == 1 and d["red_tasks_at_risk"] == 1
    code, out, _ = cli("--today", "2026-04-15", "dashboard")
    assert "预扣分 0.5 分，扣分 2 分（已撤销 1 分）" in out and "待市平台答复的申诉 1 件" in out



def test_the_monthly_report_lists_the_deductions(workspace, cli, tmp_path) -> None:  # noqa: ANN001
    import pdfplumber

    _ledger(workspace)
    workspace.close()
    out = tmp_path / "月报.pdf"
    code, _, err = cli("--today", "2026-04-15", "report", str(out), "--kind", "monthly", "--period", "2026-04")
    assert code == 0, err
    with pdfplumber.open(out) as pdf:
        text = "".join((p.extract_text() or "") for p in pdf.pages).replace("\n", "")
    assert "五、扣分与申诉" in text and "预扣分0.5分、扣分2分（已撤销1分" in text
    assert "逾期未整改" in text and "1（已撤销）" in text and "待市平台答复的申诉1件" in text
