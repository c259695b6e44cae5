"""The section report (科室报送包): written by a section desk, taken in by the unit (docs/section-exchange.md §5–6)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core import audit, counters
from core.dates import now_ts
from core.errors import InputRefused, PackageRejected
from core.exchange import bag
from core.exchange.exporter import _evidence_record, _node_record
from core.exchange.keys import signing_key, write_json_atomic
from core.ledger.tasks import refresh, touch
from core.sections.common import (
    REPORT,
    SECTION_OWNER,
    TASKS,
    accepted_in,
    is_section_desk,
    key_resolver,
    out_counter,
    sequence_check,
    write_checked,
)
from core.workspace import Workspace
from db.models import Evidence, Key, Node, PackageLog, Section, Task


def package_type_of(path: Path) -> str | None:
    """The Package-Type a file claims, to choose its reader (which then verifies everything); None if unreadable."""
    try:
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if n.count("/") == 1 and n.endswith("/bag-info.txt")]
            if len(names) != 1 or z.getinfo(names[0]).file_size > 1_000_000:
                return None
            return bag.parse_info(z.read(names[0])).get("Package-Type")
    except (OSError, zipfile.BadZipFile, PackageRejected, KeyError, ValueError):
        return None


@dataclass
class ReportResult:
    sequence: int
    path: Path
    nodes: int
    evidence: int
    public_key_file: Path | None = None


def export_report(ws: Workspace, out_dir: Path, passphrase: str) -> ReportResult:
    """The section desk's 报送单位: every node it has done and every evidence file of its tasks, signed."""
    from core.sections.desk import desk_identity, desk_public_file

    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise InputRefused(f"找不到文件夹“{out_dir}”。", hint="请插好U盘，或选择一个已有的文件夹。")
    tmp: Path | None = None
    try:
        with ws.session() as s:
            me = desk_identity(s)
            key, private = signing_key(s, passphrase)
            seq = counters.bump(s, out_counter(me.section_code))
            records: list[dict[str, Any]] = []
            nodes = list(s.scalars(select(Node).join(Task).where(
                Node.deleted.is_(None), Task.deleted.is_(None), Node.status != "pending").order_by(Node.task_id,
                                                                                                   Node.seq)))
            for n in nodes:
                r = _node_record(n)
                r.pop("confirmed_by", None)
                r["status"] = "done"  # 双人核查 stays with the unit
                records.append(r)
            files: dict[str, bag.SourceFile] = {}
            evs = list(s.scalars(select(Evidence).join(Task).where(Evidence.deleted.is_(None),
                                                                    Task.deleted.is_(None))))
            for ev in evs:
                records.append(_evidence_record(ev, True))
                files.setdefault(ev.sha256, bag.SourceFile(ev.sha256, ev.size, ws.evidence.path_for(ev.sha256)))
            accepted = sorted(accepted_in(s, TASKS, me.section_code))
            records.append({"type": "receipt", "id": f"receipt-{seq}", "accepted": accepted,
                            "missing": [n for n in range(1, max(accepted, default=0)) if n not in accepted]})
            prev = s.scalar(select(PackageLog).where(PackageLog.direction == "out", PackageLog.package_type == REPORT,
                                                     PackageLog.sequence == seq - 1))
            previous = prev.digest if prev else "none"
            first = prev is None and seq == 1
            tmp, target = write_checked(
                s, out_dir=out_dir, package_type=REPORT, unit_code=me.unit_code, section_code=me.section_code,
                source=f"{me.unit_name} {me.section_name}", seq=seq, previous=previous, records=records,
                files=list(files.values()), signer=private, key_id=key.key_id,
                summary={"nodes": len(nodes), "evidence": len(evs)}, what="科室报送包", retry="重新导出")
            audit.record(s, ws.user, "section.report", "section", me.section_code, after={"sequence": seq})
            public = desk_public_file(s)
        bag.publish_package(tmp, target)
        tmp = None
    finally:
        if tmp is not None:
            bag.remove_quietly(tmp)
    result = ReportResult(seq, target, len(nodes), len(evs))
    if first:
        result.public_key_file = out_dir / f"{me.unit_code}_{me.section_code}.pub.json"
        write_json_atomic(result.public_key_file, public)
    return result


@dataclass
class ReportImport:
    sequence: int
    section: str
    already: bool = False
    nodes: int = 0
    evidence: int = 0
    warnings: list[str] = field(default_factory=list)

    def headline(self) -> str:
        if self.already:
            return f"{self.section}的第 {self.sequence} 号科室报送包已经导入过，没有变化。"
        return (f"已导入{self.section}的第 {self.sequence} 号科室报送包：节点完成 {self.nodes} 个（待本单位核查），"
                f"佐证材料 {self.evidence} 份。")


def _refuse(message: str, code: str = "not_handed") -> PackageRejected:
    return PackageRejected(message, reason_code=code,
                           hint="整个数据包没有导入。请电话向该科室核实，并索取一份新的数据包。")


def import_report(ws: Workspace, path: Path) -> ReportImport:
    """The unit takes a section report: verified whole, every record within that section's tasks, then applied."""
    with ws.session() as s:
        if is_section_desk(s):
            raise InputRefused("科室端不导入科室报送包。")
        unit = ws.require_unit(s)
        pkg = bag.read_package(path, expected_type=REPORT, expected_unit=unit.code,
                               key_for=key_resolver(s, SECTION_OWNER, None, "科室"))
        code = pkg.info.get("Section-Code", "")
        section = s.scalar(select(Section).where(Section.code == code)) if code else None
        if section is None:
            raise _refuse(f"数据包来自科室“{code or '（未标明）'}”，本单位没有登记这个科室。", "unknown_section")
        signer = s.get(Key, pkg.key_id)
        if signer is None or signer.code != section.code:
            raise _refuse(f"数据包自称来自“{section.name}”，却由另一个科室的密钥签名。", "unknown_key")
        already, warnings = sequence_check(pkg, accepted_in(s, REPORT, section.code), f"{section.name}报送包")
        result = ReportImport(pkg.sequence, section.name, already=already, warnings=warnings)
        if already:
            return result

        def handed(task_id: str, line: int) -> Task:
            task = s.get(Task, task_id)
            if task is None or task.deleted or task.section_id != section.id:
                raise _refuse(f"数据包第 {line} 行涉及一条没有交给“{section.name}”的任务，整个数据包被拒收。")
            return task

        plan: list[tuple[str, dict[str, Any], Any]] = []
        for line, r in pkg.records:  # every check first: nothing is changed by a refused package
            if r["type"] == "node":
                node = s.get(Node, r["id"])
                if node is None or node.task_id != r["task_id"]:
                    raise _refuse(f"数据包第 {line} 行的节点不是本单位交给“{section.name}”的。")
                handed(node.task_id, line)
                if r["status"] == "confirmed":
                    raise _refuse(f"数据包第 {line} 行把节点标为已核查：核查只能由本单位进行。", "bad_record")
                plan.append(("node", r, node))
            elif r["type"] == "evidence":
                handed(r["task_id"], line)
                if r.get("node_id") and (s.get(Node, r["node_id"]) is None):
                    raise _refuse(f"数据包第 {line} 行的佐证材料指向一个不存在的节点。")
                if r["sha256"] not in pkg.files and not ws.evidence.has(r["sha256"]):
                    raise _refuse(f"数据包第 {line} 行的佐证材料文件不在包中。", "missing_payload")
                plan.append(("evidence", r, None))
            elif r["type"] in ("response", "key"):
                raise _refuse(f"数据包第 {line} 行的“{r['type']}”记录本版本还不能导入。", "not_supported")
        for kind, r, node in plan:
            if kind == "node":
                if node.status != "pending" or r["status"] != "done":
                    continue  # already done here, or confirmed by the unit: the unit's state stands
                node.status, node.done, node.done_by = "done", r.get("done"), r.get("done_by")
                node.note = r.get("note", node.note)
                touch(s, node)
                refresh(node.task)
                audit.record(s, ws.user, "node.done.section", "node", node.id, obj=node, task_id=node.task_id)
                result.nodes += 1
            elif s.get(Evidence, r["id"]) is None:
                if r["sha256"] in pkg.files:
                    ws.evidence.add_stream(bag.file_reader(pkg, r["sha256"]), expected_sha256=r["sha256"])
                ev = Evidence(id=r["id"], task_id=r["task_id"], node_id=r.get("node_id"), sha256=r["sha256"],
                              filename=r["filename"], size=r["size"], media_type=r["media_type"],
                              description=(r.get("description") or "") + f"（来自{section.name}，{r['added_by']}）",
                              added=r["added"], added_by=r["added_by"])
                s.add(ev)
                touch(s, ev)
                result.evidence += 1
        s.add(PackageLog(package_id=pkg.package_id, direction="in", package_type=REPORT, unit_code=pkg.unit_code,
                         section_code=section.code, sequence=pkg.sequence, group_id=pkg.group_id,
                         digest=pkg.digest, previous_digest=pkg.previous_digest, key_id=pkg.key_id,
                         created=pkg.created, logged=now_ts(), file_name=Path(path).name, size=pkg.size,
                         status="accepted", warnings=warnings,
                         summary={"nodes": result.nodes, "evidence": result.evidence}))
        audit.record(s, ws.user, "package.import", "package", pkg.package_id,
                     after={"type": REPORT, "section": section.code, "sequence": pkg.sequence})
    return result
