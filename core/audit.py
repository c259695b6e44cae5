"""Audit log: who changed what, when; a hash chain so edits behind the program's back are detected."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.dates import now_ts
from db.models import AuditEntry, Evidence, Node, Task

GENESIS = "0" * 64

# The content a user or the city set; derived columns (status rollups, search text) are left out.
HASHED_FIELDS: dict[str, tuple[str, ...]] = {
    "task": ("id", "city_ref", "title", "description", "measures", "source", "category", "batch", "leader",
             "section_id", "owner_id", "deadline", "review_state", "review_comment", "closed_on", "deleted"),
    "node": ("id", "task_id", "seq", "title", "due", "done", "status", "note", "done_by", "confirmed_by",
             "city_result", "deleted"),
    "evidence": ("id", "task_id", "node_id", "sha256", "filename", "size", "media_type", "description",
                 "deleted"),
}
MODELS = {"task": Task, "node": Node, "evidence": Evidence}


def row_digest(entity_type: str, obj: Any) -> str:
    fields = HASHED_FIELDS.get(entity_type)
    if fields is None or obj is None:
        return ""
    data = {f: getattr(obj, f) for f in fields}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def snapshot(entity_type: str, obj: Any) -> dict[str, Any]:
    fields = HASHED_FIELDS.get(entity_type, ())
    return {f: getattr(obj, f) for f in fields if f not in ("id", "deleted")}


def _entry_hash(prev: str, at: str, user: str, action: str, etype: str, eid: str, summary: str,
                row_hash: str) -> str:
    payload = "\x1f".join((prev, at, user, action, etype, eid, summary, row_hash))
    return hashlib.sha256(payload.encode()).hexdigest()


def _last_hash(session: Session) -> str:
    info = session.info
    if "audit_last_hash" not in info:
        last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
        info["audit_last_hash"] = last or GENESIS
    return str(info["audit_last_hash"])


def record(session: Session, user: str, action: str, entity_type: str, entity_id: str, *,
           obj: Any = None, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           task_id: str | None = None, flush: bool = True) -> AuditEntry:
    """Append one entry. `obj` is the changed row (flushed), so the entry pins its current content.

    `flush=False` is for bulk work (feedback import) whose rows already hold every hashed field in Python.
    """
    if obj is not None:
        if flush:
            session.flush()
        if after is None:
            after = snapshot(entity_type, obj)
    changes: dict[str, Any] = {}
    if before is not None and after is not None:
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        summary_obj: dict[str, Any] = {"changes": changes}
    else:
        summary_obj = {"after": after} if after is not None else {}
    summary = json.dumps(summary_obj, ensure_ascii=False, sort_keys=True, default=str)
    at = now_ts()
    prev = _last_hash(session)
    rh = row_digest(entity_type, obj)
    entry = AuditEntry(at=at, user=user or "", action=action, entity_type=entity_type, entity_id=entity_id,
                       task_id=task_id, summary=summary, row_hash=rh, prev_hash=prev,
                       hash=_entry_hash(prev, at, user or "", action, entity_type, entity_id, summary, rh))
    session.add(entry)
    session.info["audit_last_hash"] = entry.hash
    return entry


def forget_cache(session: Session) -> None:
    session.info.pop("audit_last_hash", None)


@dataclass
class AuditProblems:
    broken_chain: list[int] = field(default_factory=list)  # audit entry ids whose hash does not hold
    changed_rows: list[tuple[str, str]] = field(default_factory=list)  # (entity type, id) edited outside
    unlogged_rows: list[tuple[str, str]] = field(default_factory=list)  # rows with no audit entry at all

    @property
    def ok(self) -> bool:
        return not (self.broken_chain or self.changed_rows or self.unlogged_rows)


def verify(session: Session) -> AuditProblems:
    """Re-check the chain, then compare each audited row with the hash its last entry pinned."""
    problems = AuditProblems()
    prev = GENESIS
    last_row_hash: dict[tuple[str, str], str] = {}
    q = select(AuditEntry.id, AuditEntry.at, AuditEntry.user, AuditEntry.action, AuditEntry.entity_type,
               AuditEntry.entity_id, AuditEntry.summary, AuditEntry.row_hash, AuditEntry.prev_hash,
               AuditEntry.hash).order_by(AuditEntry.id)
    for eid, at, user, action, etype, ent_id, summary, rh, prev_hash, h in session.execute(q):
        if prev_hash != prev or _entry_hash(prev_hash, at, user, action, etype, ent_id, summary, rh) != h:
            problems.broken_chain.append(eid)
        prev = h
        if rh:
            last_row_hash[(etype, ent_id)] = rh
    for etype, model in MODELS.items():
        cols = [getattr(model, f) for f in HASHED_FIELDS[etype]]
        for row in session.execute(select(*cols)):
            obj = _RowView(HASHED_FIELDS[etype], row)
            key = (etype, str(getattr(obj, "id")))  # noqa: B009 - set by _RowView from the row
            pinned = last_row_hash.get(key)
            if pinned is None:
                problems.unlogged_rows.append(key)
            elif pinned != row_digest(etype, obj):
                problems.changed_rows.append(key)
    return problems


class _RowView:
    def __init__(self, fields: tuple[str, ...], row: Any) -> None:
        for name, value in zip(fields, row, strict=True):
            setattr(self, name, value)


def pending_entry(user: str, action: str, entity_type: str, entity_id: str, *, obj: Any = None,
                  before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
                  task_id: str | None = None, at: str | None = None) -> dict[str, Any]:
    """One entry as `record` would write it, with its row hash pinned now; `record_many` chains and inserts it.

    `obj` may be any object holding the hashed fields (an ORM row or a plain row of a bulk import).
    """
    if obj is not None and after is None:
        after = snapshot(entity_type, obj)
    if before is not None and after is not None:
        summary_obj: dict[str, Any] = {"changes": {k: [before.get(k), v] for k, v in after.items()
                                                   if before.get(k) != v}}
    else:
        summary_obj = {"after": after} if after is not None else {}
    return {"at": at or now_ts(), "user": user or "", "action": action, "entity_type": entity_type,
            "entity_id": entity_id, "task_id": task_id, "row_hash": row_digest(entity_type, obj),
            "summary": json.dumps(summary_obj, ensure_ascii=False, sort_keys=True, default=str)}


def record_many(session: Session, entries: list[dict[str, Any]]) -> int:
    """Append entries made by `pending_entry`, in order, in one set-based insert; the same chain as `record`.

    Pending ORM entries are flushed first, so every entry `record` made earlier keeps a lower id.
    """
    if not entries:
        return 0
    session.flush()
    prev = _last_hash(session)
    for e in entries:  # completed in place: no second copy of a large batch
        e["prev_hash"] = prev
        e["hash"] = prev = _entry_hash(prev, e["at"], e["user"], e["action"], e["entity_type"], e["entity_id"],
                                       e["summary"], e["row_hash"])
    session.connection().exec_driver_sql(  # one executemany on the driver: no per-row statement work
        'INSERT INTO audit_log (at, "user", action, entity_type, entity_id, task_id, summary, row_hash, prev_hash, '
        "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(e["at"], e["user"], e["action"], e["entity_type"], e["entity_id"], e["task_id"], e["summary"],
          e["row_hash"], e["prev_hash"], e["hash"]) for e in entries])
    session.info["audit_last_hash"] = prev
    return len(entries)
