"""`verify`: database integrity, the audit chain against the rows, and every evidence file's hash."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.workspace import Workspace
from db.models import AuditEntry, Evidence, Notice


@dataclass
class VerifyReport:
    integrity: str = "ok"
    audit: audit.AuditProblems = field(default_factory=audit.AuditProblems)
    evidence_checked: int = 0
    evidence_missing: list[str] = field(default_factory=list)
    evidence_changed: list[str] = field(default_factory=list)
    attachments_checked: int = 0
    attachments_missing: list[str] = field(default_factory=list)
    attachments_changed: list[str] = field(default_factory=list)
    attachments_never_sent: int = 0  # named by a notice but never delivered (the import warned): not damage

    @property
    def ok(self) -> bool:
        return (self.integrity == "ok" and self.audit.ok and not self.evidence_missing and not self.evidence_changed
                and not self.attachments_missing and not self.attachments_changed)

    def lines(self) -> list[str]:
        out = [f"数据库完整性检查：{'正常' if self.integrity == 'ok' else self.integrity}"]
        a = self.audit
        out.append("操作日志链：" + ("完整" if not a.broken_chain else f"有 {len(a.broken_chain)} 条记录被改动"))
        for etype, eid in a.changed_rows:
            out.append(f"  被绕过程序修改的记录：{_ENTITY.get(etype, etype)} {eid}")
        for etype, eid in a.unlogged_rows:
            out.append(f"  没有操作日志的记录：{_ENTITY.get(etype, etype)} {eid}")
        out.append(f"佐证材料文件：检查 {self.evidence_checked} 个，缺失 {len(self.evidence_missing)} 个，"
                   f"被改动 {len(self.evidence_changed)} 个")
        for sha in self.evidence_missing:
            out.append(f"  缺失：{sha}")
        for sha in self.evidence_changed:
            out.append(f"  内容已改变：{sha}")
        line = (f"督办通知附件：检查 {self.attachments_checked} 个，缺失 {len(self.attachments_missing)} 个，"
                f"被改动 {len(self.attachments_changed)} 个")
        if self.attachments_never_sent:
            line += f"（另有 {self.attachments_never_sent} 个市平台未随通知送达）"
        out.append(line)
        for sha in self.attachments_missing:
            out.append(f"  缺失：{sha}")
        for sha in self.attachments_changed:
            out.append(f"  内容已改变：{sha}")
        out.append("结论：" + ("全部正常" if self.ok else "发现问题，请从备份恢复或联系技术支持"))
        return out


_ENTITY = {"task": "整改任务", "node": "节点", "evidence": "佐证材料"}


def verify_workspace(ws: Workspace) -> VerifyReport:
    from core.dbcheck import problems

    report = VerifyReport()
    damage = problems(ws.paths.database)  # SQLite's full integrity check
    if damage:
        report.integrity = "已损坏（" + "；".join(f[:100] for f in damage[:3]) + "）"
        return report  # the rest would read damaged pages: the clerk needs the backup, not a traceback
    with ws.read() as s:
        report.audit = audit.verify(s)
        shas = set(s.scalars(select(Evidence.sha256).where(Evidence.deleted.is_(None))))
        named = {a for atts in s.scalars(select(Notice.attachments)) for a in (atts or []) if _is_hash(a)}
        delivered = _delivered_attachments(s)
    store = ws.evidence.verify(shas)
    report.evidence_checked = store.checked
    report.evidence_missing = store.missing
    report.evidence_changed = store.changed
    # A notice attachment this ledger once held must still be there, unchanged. One the city never sent
    # (the import said so) cannot be checked; one held before this version kept the list is checked if present.
    held = {a for a in named if a in delivered or a in shas or ws.evidence.has(a)}
    found = ws.evidence.verify(held)
    report.attachments_checked = found.checked
    report.attachments_missing = found.missing
    report.attachments_changed = found.changed
    report.attachments_never_sent = len(named - held)
    return report


def _is_hash(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _delivered_attachments(s: Session) -> set[str]:
    """Every notice attachment an accepted import stored or found (its audit entry lists them)."""
    out: set[str] = set()
    for summary in s.scalars(select(AuditEntry.summary).where(AuditEntry.action == "package.import")):
        try:
            after = json.loads(summary).get("after") or {}
        except (ValueError, AttributeError):
            continue
        out.update(a for a in after.get("attachments", []) if _is_hash(a))
    return out
