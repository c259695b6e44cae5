"""The unit's side of a supervision notice (督办通知): reading it and responding (整改情况反馈)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from core import audit
from core.counters import next_change_no
from core.dates import now_ts
from core.errors import InputRefused, NotFound
from core.text import long_text
from db.models import Appeal, Deduction, Evidence, Notice, Response, Review


def _notice(session: Session, notice_id: str) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NotFound(f"找不到编号为“{notice_id}”的督办通知。", hint="请在督办通知列表中查看编号。")
    return notice


def respond_to_notice(session: Session, actor: str, notice_id: str, text: str,
                      evidence_ids: list[str] | None = None) -> Response:
    """A response that travels to the city in the next report (a `response` record)."""
    notice = _notice(session, notice_id)
    text = long_text(text, "反馈内容", field="text")
    if not text:
        raise InputRefused("反馈内容不能为空。", hint="请写明整改情况。", field="text")
    ids = list(evidence_ids or [])
    for eid in ids:
        ev = session.get(Evidence, eid)
        if ev is None or ev.deleted:
            raise NotFound(f"找不到编号为“{eid}”的佐证材料。")
    resp = Response(id=str(uuid.uuid4()), notice_id=notice.id, text=text, responded=now_ts(), by=actor,
                    evidence_ids=ids, change_no=next_change_no(session))
    session.add(resp)
    if notice.read_at is None:
        notice.read_at = resp.responded
    session.flush()
    audit.record(session, actor, "notice.respond", "response", resp.id, after={"notice_id": notice.id},
                 task_id=notice.task_id)
    return resp


def mark_read(session: Session, actor: str, notice_id: str) -> Notice:
    notice = _notice(session, notice_id)
    if notice.read_at is None:
        notice.read_at = now_ts()
        audit.record(session, actor, "notice.read", "notice", notice.id, task_id=notice.task_id)
    return notice


_TARGETS = {"deduction": (Deduction, "扣分"), "review": (Review, "审核结果"), "notice": (Notice, "督办通知")}


def file_appeal(session: Session, actor: str, target_type: str, target_id: str, reason: str,
                evidence_ids: list[str] | None = None) -> Appeal:
    """申诉 / 复核申请 against a deduction, a review or a notice; travels in the next report."""
    if target_type not in _TARGETS:
        raise InputRefused(f"申诉对象“{target_type}”无法识别。",
                           hint="可申诉的有：deduction（扣分）、review（审核结果）、notice（督办通知）。")
    model, word = _TARGETS[target_type]
    target = session.get(model, target_id)
    if target is None:
        raise NotFound(f"找不到编号为“{target_id}”的{word}。")
    reason = long_text(reason, "申诉理由", field="reason")
    if not reason:
        raise InputRefused("申诉理由不能为空。", hint="请写明申诉的事实和理由。", field="reason")
    for eid in evidence_ids or []:
        ev = session.get(Evidence, eid)
        if ev is None or ev.deleted:
            raise NotFound(f"找不到编号为“{eid}”的佐证材料。")
    appeal = Appeal(id=str(uuid.uuid4()), target_type=target_type, target_id=target_id,
                    task_id=getattr(target, "task_id", None), reason=reason, filed=now_ts(), by=actor,
                    evidence_ids=list(evidence_ids or []), comment="", result_seq=0,
                    change_no=next_change_no(session))
    session.add(appeal)
    session.flush()
    audit.record(session, actor, "appeal.file", "appeal", appeal.id,
                 after={"target": f"{target_type}:{target_id}"}, task_id=appeal.task_id)
    return appeal
