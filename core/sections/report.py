"""The section report (科室报送包): written by a section desk, taken in by the unit (docs/section-exchange.md §5–6)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit, counters
from core import settings as settings_mod
from core.errors import InputRefused, PackageRejected
from core.exchange import bag
from core.exchange.exporter import _node_record, evidence_delta, response_delta, watermark
from core.exchange.importer import accept_parts, gather_parts, remove_kept_parts
from core.exchange.keys import format_key_id, pending_unit_key, signing_key, write_json_atomic
from core.ledger.tasks import refresh, touch
from core.sections.common import (
    REPORT,
    SECTION_OWNER,
    TASKS,
    accepted_in,
    already_logged,
    close_older_keys,
    is_section_desk,
    key_resolver,
    out_counter,
    sequence_check,
    take_key_record,
    write_checked,
)
from core.workspace import Workspace
from db.models import Evidence, Key, Node, Notice, PackageLog, Response, Section, SectionSent, Task


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
    responses: int = 0
    paths: list[Path] = field(default_factory=list)


def export_report(ws: Workspace, out_dir: Path, passphrase: str, *, volume_mb: int | None = None) -> ReportResult:
    """The section desk's 报送单位: what the unit has not acknowledged yet (its receipts in 科室任务包) — nodes
    done, evidence with the files the unit lacks, responses to notices — signed, in parts when large."""
    from core.sections.desk import desk_identity, desk_public_file

    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise InputRefused(f"找不到文件夹“{out_dir}”。", hint="请插好U盘，或选择一个已有的文件夹。")
    written: list[tuple[Path, Path]] = []
    try:
        with ws.session() as s:
            me = desk_identity(s)
            key, private = signing_key(s, passphrase)
            seq = counters.bump(s, out_counter(me.section_code))
            mark = watermark(s, REPORT)
            held = set(s.scalars(select(Task.id).where(Task.deleted.is_(None))))
            records: list[dict[str, Any]] = []
            nodes = list(s.scalars(select(Node).join(Task).where(
                Node.deleted.is_(None), Task.deleted.is_(None), Node.status != "pending",
                Node.change_no > mark).order_by(Node.task_id, Node.seq)))
            for n in nodes:
                r = _node_record(n)
                r.pop("confirmed_by", None)
                r["status"] = "done"  # 双人核查 stays with the unit
                records.append(r)
            evs, files, _deleted = evidence_delta(s, ws, mark, held)  # the unit keeps what it was given
            records.extend(evs)
            answerable = select(Notice.id).where((Notice.task_id.in_(held)))
            responses = [r for r in response_delta(s, mark, city=False)
                         if s.scalar(answerable.where(Notice.id == r["notice_id"])) is not None]
            records.extend(responses)
            pending = pending_unit_key(s)  # `keys rotate` at the desk: announced here, used from the next report
            if pending is not None:
                records.append({"type": "key", "id": f"key-{pending.key_id}", "alg": "Ed25519",
                                "public_key": pending.public_key, "key_id": pending.key_id,
                                "valid_from_sequence": seq + 1})
            accepted = sorted(accepted_in(s, TASKS, me.section_code))
            records.append({"type": "receipt", "id": f"receipt-{seq}", "accepted": accepted,
                            "missing": [n for n in range(1, max(accepted, default=0)) if n not in accepted][-1000:]})
            prev = s.scalar(select(PackageLog).where(PackageLog.direction == "out", PackageLog.package_type == REPORT,
                                                     PackageLog.sequence == seq - 1, PackageLog.part_no == 1))
            previous = (prev.group_digest or prev.digest) if prev else "none"
            first = prev is None and seq == 1
            summary = {"nodes": len(nodes), "evidence": len(evs), "responses": len(responses)}
            written = write_checked(
                s, out_dir=out_dir, package_type=REPORT, unit_code=me.unit_code, section_code=me.section_code,
                source=f"{me.unit_name} {me.section_name}", seq=seq, previous=previous, records=records,
                files=files, signer=private, key_id=key.key_id, summary=summary, what="科室报送包",
                retry="重新导出", limit=(volume_mb or settings_mod.get_int(s, "volume_limit_mb")) * 1_000_000,
                max_change_no=counters.peek(s, "change"))
            if pending is not None:
                key.valid_to_sequence = seq + 1
                pending.valid_from_sequence, pending.announced_in = seq + 1, seq
            audit.record(s, ws.user, "section.report", "section", me.section_code, after={"sequence": seq, **summary})
            public = desk_public_file(s)
        paths = bag.publish_all(written)
        written = []
    finally:
        for tmp, _target in written:
            bag.remove_quietly(tmp)
    result = ReportResult(seq, paths[0], len(nodes), len(evs), responses=len(responses), paths=paths)
    if first:
        result.public_key_file = out_dir / f"{me.unit_code}_{me.section_code}.pub.json"
        write_json_atomic(result.public_key_file, public)
    return result


@dataclass
class ReportImport:
    sequence: int
    section: str
    already: bool = False
    waiting: tuple[int, int] | None = None
    nodes: int = 0
    evidence: int = 0
    responses: int = 0
    warnings: list[str] = field(default_factory=list)

    def headline(self) -> str:
        if self.already:
            return f"{self.section}的第 {self.sequence} 号科室报送包已经导入过，没有变化。"
        if self.waiting:
            return (f"{self.section}的第 {self.sequence} 号科室报送包的第 {self.waiting[0]}/{self.waiting[1]} 卷"
                    "已收下，等其余分卷到齐后一并导入。")
        return (f"已导入{self.section}的第 {self.sequence} 号科室报送包：节点完成 {self.nodes} 个（待本单位核查），"
                f"佐证材料 {self.evidence} 份，督办反馈 {self.responses} 条。")


def _refuse(message: str, code: str = "not_handed") -> PackageRejected:
    return PackageRejected(message, reason_code=code,
                           hint="整个数据包没有导入。请电话向该科室核实，并索取一份新的数据包。")


@dataclass
class CheckedReport:
    """A section report verified whole (signature, section, sequence, every record within its tasks): what
    `import_report` applies and `core.sections.preview.preview_report` shows."""

    pkg: bag.Package
    section: Section
    already: bool
    warnings: list[str]
    plan: list[tuple[str, dict[str, Any], Any]]
    resolver: Any = None
    unit_code: str = ""


def check_report(ws: Workspace, s: Session, path: Path) -> CheckedReport:
    """Every check of a section report at the unit before its parts are gathered; nothing is changed
    (docs/section-exchange.md §6). `plan` is the records' check (`_check`) of a single-part package."""
    if is_section_desk(s):
        raise InputRefused("科室端不导入科室报送包。")
    unit = ws.require_unit(s)
    resolver = key_resolver(s, SECTION_OWNER, None, "科室")
    pkg = bag.read_package(path, expected_type=REPORT, expected_unit=unit.code, key_for=resolver)
    code = pkg.info.get("Section-Code", "")
    section = s.scalar(select(Section).where(Section.code == code)) if code else None
    if section is None:
        raise _refuse(f"数据包来自科室“{code or '（未标明）'}”，本单位没有登记这个科室。", "unknown_section")
    signer = s.get(Key, pkg.key_id)
    if signer is None or signer.code != section.code:
        raise _refuse(f"数据包自称来自“{section.name}”，却由另一个科室的密钥签名。", "unknown_key")
    checked = CheckedReport(pkg, section, True, [], [], resolver, unit.code)
    if already_logged(s, pkg):
        return checked
    checked.already, checked.warnings = sequence_check(pkg, accepted_in(s, REPORT, section.code or ""),
                                                       f"{section.name}报送包")
    if not checked.already and pkg.part_count == 1:
        checked.plan = _check(s, ws, section, pkg.records, {sha: pkg for sha in pkg.files})
    return checked


def import_report(ws: Workspace, path: Path) -> ReportImport:
    """The unit takes a section report: verified whole, every record within that section's tasks, then applied."""
    path = Path(path)
    created_files: list[Path] = []
    try:
        with ws.session() as s:
            checked = check_report(ws, s, path)
            pkg, section = checked.pkg, checked.section
            result = ReportImport(pkg.sequence, section.name, already=checked.already, warnings=checked.warnings)
            if checked.already:
                return result
            resolver, unit_code = checked.resolver, checked.unit_code

            def reverify(p: Path) -> bag.Package:
                return bag.read_package(p, expected_type=REPORT, expected_unit=unit_code, key_for=resolver)

            ws.ensure_sound()  # never write an import into a damaged database (as for city feedback)
            parts = gather_parts(s, ws, pkg, path, created_files, False, reverify, section.name, section.code)
            if parts is None:
                result.waiting = (pkg.part_no, pkg.part_count)
                return result
            files = {sha: p for p in parts for sha in p.files}
            for p in parts[1:]:
                if p.records:
                    raise _refuse(f"第 {p.part_no} 卷带有记录：按交换格式只有第 1 卷带记录。", "bad_record")
            for line, typ in parts[0].unknown:
                result.warnings.append(f"第 {line} 行是本程序不认识的记录类型“{typ}”，已跳过。")
            plan = _check(s, ws, section, parts[0].records, files)
            _apply(s, ws, section, plan, files, result, created_files)
            close_older_keys(s, SECTION_OWNER, section.code or "", pkg.key_id, pkg.sequence)
            accept_parts(s, pkg, path, parts[0].digest, result.warnings,
                         {"nodes": result.nodes, "evidence": result.evidence, "responses": result.responses},
                         section.code)
            audit.record(s, ws.user, "package.import", "package", pkg.package_id,
                         after={"type": REPORT, "section": section.code, "sequence": pkg.sequence})
    except BaseException:
        for f in created_files:
            bag.remove_quietly(f)
        raise
    remove_kept_parts(ws, pkg)
    return result


def _check(s: Any, ws: Workspace, section: Section, records: list[tuple[int, dict[str, Any]]],
           files: dict[str, bag.Package]) -> list[tuple[str, dict[str, Any], Any]]:
    """Every refusal before the first change: anything outside what the unit gave this section refuses it all."""
    def handed(task_id: str, line: int) -> Task:
        task = s.get(Task, task_id)
        if task is None or task.deleted or task.section_id != section.id:
            raise _refuse(f"数据包第 {line} 行涉及一条没有交给“{section.name}”的任务，整个数据包被拒收。")
        return task

    sent_notices = set(s.scalars(select(SectionSent.object_id).where(
        SectionSent.section_code == section.code, SectionSent.kind == "notice")))
    evidence_here = {r["id"]: r["task_id"] for _l, r in records if r["type"] == "evidence"}
    plan: list[tuple[str, dict[str, Any], Any]] = []
    for line, r in records:
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
            if r.get("node_id"):
                node = s.get(Node, r["node_id"])
                if node is None or node.task_id != r["task_id"]:
                    raise _refuse(f"数据包第 {line} 行的佐证材料指向一个不属于该任务的节点。")
            if r["sha256"] not in files and not ws.evidence.has(r["sha256"]):
                raise _refuse(f"数据包第 {line} 行的佐证材料文件不在包中。", "missing_payload")
            old = s.get(Evidence, r["id"])
            if old is not None and old.task_id != r["task_id"]:
                raise _refuse(f"数据包第 {line} 行的佐证材料编号已属于另一条任务。", "bad_record")
            plan.append(("evidence", r, old))
        elif r["type"] == "response":
            notice = s.get(Notice, r["notice_id"])
            if notice is None or r["notice_id"] not in sent_notices:
                raise _refuse(f"数据包第 {line} 行反馈的督办通知没有发给“{section.name}”，整个数据包被拒收。")
            if notice.task_id is not None:
                handed(notice.task_id, line)
            for eid in r.get("evidence_ids") or []:
                ev = s.get(Evidence, eid)
                owner = evidence_here.get(eid) or (ev.task_id if ev is not None and not ev.deleted else None)
                if owner is None:
                    raise _refuse(f"数据包第 {line} 行的反馈引用的佐证材料 {eid} 不在包中，本单位也没有。")
                handed(owner, line)
            old_resp = s.get(Response, r["id"])
            if old_resp is not None and (old_resp.notice_id != r["notice_id"] or old_resp.section_code != section.code):
                raise _refuse(f"数据包第 {line} 行的反馈编号已被另一条反馈使用。", "bad_record")
            plan.append(("response", r, old_resp))
        elif r["type"] == "receipt":
            plan.append(("receipt", r, None))
        elif r["type"] == "key":
            plan.append(("key", r, take_key_record(s, r, SECTION_OWNER, section.code or "", section.name, line)))
    return plan


def _apply(s: Any, ws: Workspace, section: Section, plan: list[tuple[str, dict[str, Any], Any]],
           files: dict[str, bag.Package], result: ReportImport, created_files: list[Path]) -> None:
    from core.counters import next_change_no

    for kind, r, obj in plan:
        if kind == "node":
            node = obj
            if node.status != "pending" or r["status"] != "done":
                continue  # already done here, or confirmed by the unit: the unit's state stands
            node.status, node.done, node.done_by = "done", r.get("done"), r.get("done_by")
            node.note = r.get("note", node.note)
            touch(s, node)
            refresh(node.task)
            audit.record(s, ws.user, "node.done.section", "node", node.id, obj=node, task_id=node.task_id)
            result.nodes += 1
        elif kind == "evidence" and obj is None:
            sha = r["sha256"]
            if sha in files and not ws.evidence.has(sha):
                stored = ws.evidence.add_stream(bag.file_reader(files[sha], sha), expected_sha256=sha)
                if not stored.existed:
                    created_files.append(ws.evidence.path_for(sha))
            ev = Evidence(id=r["id"], task_id=r["task_id"], node_id=r.get("node_id"), sha256=sha,
                          filename=r["filename"], size=r["size"], media_type=r["media_type"],
                          description=(r.get("description") or "") + f"（来自{section.name}，{r['added_by']}）",
                          added=r["added"], added_by=r["added_by"])
            s.add(ev)
            touch(s, ev)
            result.evidence += 1
        elif kind == "response" and obj is None:
            resp = Response(id=r["id"], notice_id=r["notice_id"], text=r["text"], responded=r["responded"],
                            by=r["by"], evidence_ids=list(r.get("evidence_ids") or []),
                            change_no=next_change_no(s), section_code=section.code)
            s.add(resp)
            notice = s.get(Notice, r["notice_id"])
            if notice is not None and notice.read_at is None:
                notice.read_at = r["responded"]
            s.flush()
            audit.record(s, ws.user, "notice.respond.section", "response", resp.id,
                         after={"notice_id": resp.notice_id, "section": section.code, "by": resp.by},
                         task_id=notice.task_id if notice else None)
            result.responses += 1
        elif kind == "key" and obj is not None:
            s.add(obj)
            s.flush()
            audit.record(s, ws.user, "key.rotate.section", "key", obj.key_id,
                         after={"owner": SECTION_OWNER, "section": section.code, "valid_from": obj.valid_from_sequence})
            result.warnings.append(f"{section.name}更换了签名密钥（新密钥 {format_key_id(obj.key_id)}，"
                                   f"自第 {obj.valid_from_sequence} 号科室报送包起使用）。")
        elif kind == "receipt":
            # the section holds these 科室任务包: what they carried is not sent again unless it changes
            for row in s.scalars(select(PackageLog).where(
                    PackageLog.direction == "out", PackageLog.package_type == TASKS,
                    PackageLog.section_code == section.code, PackageLog.sequence.in_(r["accepted"]),
                    PackageLog.status == "sent")):
                row.status = "acknowledged"
