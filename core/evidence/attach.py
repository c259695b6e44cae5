"""Attaching evidence files to tasks and nodes, and removing them (tombstones, the file stays stored)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from core import audit
from core.dates import now_ts
from core.errors import InputRefused, NotFound
from core.evidence.store import EvidenceStore, media_type_for
from core.ledger.tasks import check_undoable, get_node, get_task, refresh, touch
from core.text import file_name, long_text
from db.models import Evidence


def attach_file(session: Session, store: EvidenceStore, actor: str, task_id: str, source: Path, *,
                node_seq: int | None = None, description: str = "") -> Evidence:
    task = get_task(session, task_id)
    node = get_node(task, node_seq) if node_seq is not None else None
    if not source.exists():
        raise InputRefused(f"找不到文件“{source}”。", hint="请检查文件路径是否正确。")
    if not source.is_file():
        raise InputRefused(f"“{source}”不是一个文件。", hint="请选择具体的文件。")
    try:
        info = source.stat()
        file_date: str | None = date.fromtimestamp(info.st_mtime).isoformat()
    except (OSError, ValueError, OverflowError):
        info, file_date = None, None
    if info is not None and info.st_size == 0:
        # A failed scan, or a cloud-drive placeholder not yet downloaded: worthless to the city.
        raise InputRefused(f"文件“{source.name}”是空的（0 字节），不能作为佐证材料。",
                           hint="请确认扫描或下载已经完成，打开看一下内容后再添加。")
    description = long_text(description, "佐证材料说明", field="description")  # checked before the file is stored
    stored = store.add_file(source)
    ev = Evidence(id=str(uuid.uuid4()), task_id=task.id, node_id=node.id if node else None, sha256=stored.sha256,
                  filename=file_name(source.name), size=stored.size, media_type=media_type_for(source.name),
                  description=description, added=now_ts(), added_by=actor, file_date=file_date)
    session.add(ev)
    touch(session, ev)
    if task.status == "open":
        refresh(task)
    audit.record(session, actor, "evidence.add", "evidence", ev.id, obj=ev, task_id=task.id)
    return ev


def remove_evidence(session: Session, actor: str, evidence_id: str) -> Evidence:
    ev = session.get(Evidence, evidence_id)
    if ev is None or ev.deleted:
        raise NotFound(f"找不到编号为“{evidence_id}”的佐证材料。")
    ev.deleted = now_ts()
    touch(session, ev)
    audit.record(session, actor, "evidence.delete", "evidence", ev.id, obj=ev, task_id=ev.task_id)
    return ev




def restore_evidence(session: Session, actor: str, evidence_id: str) -> Evidence:
    """撤销移除: the file removed by mistake is attached again, while no report carried the removal."""
    ev = session.get(Evidence, evidence_id)
    if ev is None:
        raise NotFound(f"找不到编号为“{evidence_id}”的佐证材料。")
    if not ev.deleted:
        raise InputRefused(f"佐证材料“{ev.filename}”没有被移除，无需撤销。")
    task = get_task(session, ev.task_id)
    check_undoable(session, "evidence", ev.id, "evidence.delete", ev.change_no, f"移除佐证材料“{ev.filename}”")
    ev.deleted = None
    touch(session, ev)
    if task.status == "open":
        refresh(task)
    audit.record(session, actor, "evidence.restore", "evidence", ev.id, obj=ev, task_id=ev.task_id)
    return ev
