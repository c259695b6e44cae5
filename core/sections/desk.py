"""The section desk's side (科室端): set up, trust the unit's key, take in 科室任务包."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.dates import now_ts
from core.errors import InputRefused, PackageRejected
from core.exchange import bag
from core.exchange.importer import accept_parts, gather_parts, remove_kept_parts
from core.exchange.keys import format_key_id, public_file, read_public_file, require_unit_key
from core.ledger.people import person_named
from core.ledger.tasks import TaskInput, create_task, refresh, touch
from core.sections.common import (
    PARENT_OWNER,
    REPORT,
    ROLE_KEY,
    SECTION_CODE_KEY,
    SECTION_NAME_KEY,
    TASKS,
    accepted_in,
    already_logged,
    check_code,
    close_older_keys,
    get_setting,
    is_section_desk,
    key_resolver,
    sequence_check,
    take_key_record,
)
from core.text import clean_text
from core.unit import init_unit
from core.workspace import Workspace
from db.models import FileAck, Key, Node, Notice, ObjectVersion, PackageLog, Section, Setting, Task, Unit


@dataclass
class DeskIdentity:
    unit_code: str
    unit_name: str
    section_code: str
    section_name: str


def init_section_desk(s: Session, unit_code: str, unit_name: str, section_code: str, section_name: str,
                      admin: str) -> DeskIdentity:
    """A fresh data folder becomes the desk of one section of the unit."""
    section_code = check_code(section_code)
    section_name = clean_text(section_name or "").strip()
    if not section_name:
        raise InputRefused("请填写科室名称。", hint="例如：财政所。")
    unit = init_unit(s, unit_code, unit_name, "township", admin)
    for key, value in ((ROLE_KEY, "section"), (SECTION_CODE_KEY, section_code), (SECTION_NAME_KEY, section_name)):
        s.add(Setting(key=key, value=value, source="local"))
    s.add(Section(name=section_name, code=section_code))
    s.flush()
    audit.record(s, admin, "desk.init", "section", section_code,
                 after={"unit": unit.code, "section": section_code, "name": section_name})
    return DeskIdentity(unit.code, unit.name, section_code, section_name)


def desk_identity(s: Session) -> DeskIdentity:
    if not is_section_desk(s):
        raise InputRefused("本机不是科室端。", hint="科室端在首次使用时选择“本机是科室端”建立。")
    unit = s.scalar(select(Unit).limit(1))
    assert unit is not None
    return DeskIdentity(unit.code, unit.name, get_setting(s, SECTION_CODE_KEY) or "",
                        get_setting(s, SECTION_NAME_KEY) or "")


def desk_public_file(s: Session) -> dict[str, Any]:
    """The section desk's public key file: its own key, naming the section it speaks for."""
    me = desk_identity(s)
    data = public_file(require_unit_key(s))
    data.update({"code": me.section_code, "name": me.section_name, "unit_code": me.unit_code,
                 "section": me.section_code})
    return data


def trust_unit(s: Session, actor: str, path: Path) -> Key:
    me = desk_identity(s)
    data = read_public_file(path, owner="unit")
    if data.get("section"):
        raise InputRefused("这是一个科室端的公钥文件，不是本单位的。", hint="请使用单位发来的公钥文件。")
    if data.get("code") != me.unit_code:
        raise InputRefused(f"这不是本单位（{me.unit_code}）的公钥文件（文件标明的单位为“{data.get('code')}”）。")
    existing = s.get(Key, data["key_id"])
    if existing is not None:
        if existing.owner != PARENT_OWNER:
            raise InputRefused("这是本机自己的公钥，不是单位的。")
        return existing
    key = Key(key_id=data["key_id"], owner=PARENT_OWNER, public_key=data["public_key"], valid_from_sequence=1,
              name=str(data.get("name") or ""), code=me.unit_code, added=now_ts())
    s.add(key)
    s.flush()
    audit.record(s, actor, "key.trust", "key", key.key_id, after={"owner": PARENT_OWNER, "unit": me.unit_code})
    return key


@dataclass
class TasksImport:
    sequence: int
    already: bool = False
    waiting: tuple[int, int] | None = None  # (part, of) while the other parts of a group are missing
    created: int = 0
    updated: int = 0
    removed: int = 0
    notices: int = 0
    warnings: list[str] = field(default_factory=list)

    def headline(self) -> str:
        if self.already:
            return f"第 {self.sequence} 号科室任务包已经导入过，没有变化。"
        if self.waiting:
            return (f"第 {self.sequence} 号科室任务包的第 {self.waiting[0]}/{self.waiting[1]} 卷已收下，"
                    "等其余分卷到齐后一并导入。")
        return (f"已导入第 {self.sequence} 号科室任务包：新任务 {self.created} 条，更新 {self.updated} 条，"
                f"收回 {self.removed} 条，督办通知 {self.notices} 份。")


def _reject(message: str, code: str = "not_handed") -> PackageRejected:
    return PackageRejected(message, reason_code=code,
                           hint="整个数据包没有导入。请电话向单位核实，并索取一份新的数据包。")


def check_tasks(s: Session, path: Path) -> tuple[DeskIdentity, bag.Package, bool, list[str]]:
    """Every check of a 科室任务包 at this desk before its parts are gathered (key, section, first record,
    Sequence); nothing is changed. (identity, package, already imported, warnings)"""
    me = desk_identity(s)
    pkg = bag.read_package(path, expected_type=TASKS, expected_unit=me.unit_code,
                           key_for=key_resolver(s, PARENT_OWNER, None, "本单位"))
    got = pkg.info.get("Section-Code", "")
    if got != me.section_code:
        raise PackageRejected(
            f"这个科室任务包是发给科室“{got or '（未标明）'}”的，不是本科室（{me.section_code}）。",
            reason_code="wrong_section", hint="请确认拿到的是发给本科室的数据包。")
    first = pkg.records[0][1] if pkg.records else None
    if first is None or first["type"] != "unit" or first["id"] != me.unit_code:
        raise PackageRejected("records.jsonl 第 1 行应为本单位（unit）记录。", reason_code="bad_record",
                              hint="请向单位索取一份新的数据包。")
    if already_logged(s, pkg):
        return me, pkg, True, []
    already, warnings = sequence_check(pkg, accepted_in(s, TASKS, me.section_code), "科室任务包")
    return me, pkg, already, warnings


def import_tasks(ws: Workspace, path: Path) -> TasksImport:
    """Verify a 科室任务包 completely, then apply it in one transaction (nothing changes when refused)."""
    path = Path(path)
    created_files: list[Path] = []
    try:
        with ws.session() as s:
            me, pkg, already, warnings = check_tasks(s, path)
            result = TasksImport(pkg.sequence, already=already, warnings=warnings)
            if already:
                return result
            resolver = key_resolver(s, PARENT_OWNER, None, "本单位")

            def reverify(p: Path) -> bag.Package:
                return bag.read_package(p, expected_type=TASKS, expected_unit=me.unit_code, key_for=resolver)

            ws.ensure_sound()  # never write an import into a damaged database (as for city feedback)
            parts = gather_parts(s, ws, pkg, path, created_files, False, reverify, "本单位", me.section_code)
            if parts is None:
                result.waiting = (pkg.part_no, pkg.part_count)
                return result
            applier = _DeskApplier(s, ws, me, pkg.sequence, {sha: p for p in parts for sha in p.files}, result,
                                   created_files)
            applier.check(parts[0].records)
            for line, typ in parts[0].unknown:
                result.warnings.append(f"第 {line} 行是本程序不认识的记录类型“{typ}”，已跳过。")
            for line, r in parts[0].records:
                applier.apply(line, r)
            close_older_keys(s, PARENT_OWNER, me.unit_code, pkg.key_id, pkg.sequence)
            accept_parts(s, pkg, path, parts[0].digest, result.warnings,
                         {"created": result.created, "updated": result.updated, "removed": result.removed,
                          "notices": result.notices}, me.section_code)
            audit.record(s, ws.user, "package.import", "package", pkg.package_id,
                         after={"type": TASKS, "sequence": pkg.sequence})
    except BaseException:
        for f in created_files:
            bag.remove_quietly(f)
        raise
    remove_kept_parts(ws, pkg)
    return result


_RANK = {"pending": 0, "done": 1, "confirmed": 2}


class _DeskApplier:
    """The records of one 科室任务包, checked all first, then applied newer-wins (spec §4) per object."""

    def __init__(self, s: Session, ws: Workspace, me: DeskIdentity, seq: int, files: dict[str, bag.Package],
                 result: TasksImport, created_files: list[Path]) -> None:
        self.s, self.ws, self.me, self.seq = s, ws, me, seq
        self.files, self.result, self.created_files = files, result, created_files
        self.section = s.scalar(select(Section).where(Section.code == me.section_code))
        self.new_keys: list[Key] = []

    def _held(self, task_id: str) -> bool:
        t = self.s.get(Task, task_id)
        return t is not None and t.deleted is None

    def check(self, records: list[tuple[int, dict[str, Any]]]) -> None:
        """Every refusal before the first change: a record about a task this package does not give and this
        desk does not hold refuses the whole package."""
        tasks = {r["id"] for _l, r in records if r["type"] == "task"}
        nodes: dict[str, str] = {r["id"]: r["task_id"] for _l, r in records if r["type"] == "node"}
        notices = {r["id"] for _l, r in records if r["type"] == "notice"}
        for line, r in records:
            kind = r["type"]
            if kind == "task" and r.get("city_ref"):
                other = self.s.scalar(select(Task).where(Task.city_ref == r["city_ref"], Task.id != r["id"]))
                if other is not None:
                    raise _reject(f"数据包第 {line} 行的任务与本机另一条任务的市平台编号相同。", "bad_record")
            elif kind == "node":
                node = self.s.get(Node, r["id"])
                if node is not None and node.task_id != r["task_id"]:
                    raise _reject(f"数据包第 {line} 行的节点属于另一条任务。", "bad_record")
                if r["task_id"] not in tasks and not self._held(r["task_id"]):
                    raise _reject(f"数据包第 {line} 行的节点所属任务没有交给本科室。")
            elif kind == "notice":
                if r["task_ref"] not in tasks and not self._held(r["task_ref"]):
                    raise _reject(f"数据包第 {line} 行的督办通知针对一条没有交给本科室的任务。")
                ref = r.get("node_ref")
                if ref:
                    node = self.s.get(Node, ref)
                    owner = nodes.get(ref) or (node.task_id if node is not None else None)
                    if owner != r["task_ref"]:
                        raise _reject(f"数据包第 {line} 行的督办通知指向不属于该任务的节点。", "bad_record")
            elif kind == "notice_closure":
                n = self.s.get(Notice, r["notice_id"])
                if r["notice_id"] not in notices and n is None:
                    raise _reject(f"数据包第 {line} 行办结的督办通知本科室没有收到过。")
            elif kind == "deletion" and r["target_type"] == "evidence":
                raise _reject(f"数据包第 {line} 行要删除佐证材料：科室任务包不删除科室的佐证材料。", "bad_record")
            elif kind == "key":
                key = take_key_record(self.s, r, PARENT_OWNER, self.me.unit_code, self.me.unit_name, line)
                if key is not None:
                    self.new_keys.append(key)

    def newer(self, key: str, line: int) -> bool:
        v = self.s.get(ObjectVersion, key)
        if v is not None and (v.sequence, v.line) >= (self.seq, line):
            return False
        if v is None:
            self.s.add(ObjectVersion(object_key=key, sequence=self.seq, line=line))
        else:
            v.sequence, v.line = self.seq, line
        return True

    def apply(self, line: int, r: dict[str, Any]) -> None:
        kind = r["type"]
        if kind == "task":
            if self.newer(f"sec:task:{r['id']}", line):
                self._task(r)
        elif kind == "node":
            if self.newer(f"sec:node:{r['id']}", line):
                self._node(r)
        elif kind == "notice":
            if self.newer(f"sec:notice:{r['id']}:content", line):
                self._notice(r)
            if self.newer(f"sec:notice:{r['id']}:state", line):  # a notice sent again is open again (spec §4)
                n = self.s.get(Notice, r["id"])
                if n is not None:
                    n.state, n.closed, n.closure_comment = "open", None, ""
        elif kind == "notice_closure":
            if self.newer(f"sec:notice:{r['notice_id']}:state", line):
                n = self.s.get(Notice, r["notice_id"])
                if n is not None:
                    n.state, n.closed, n.closure_comment = "closed", r["closed"], r.get("comment") or ""
        elif kind == "deletion":
            if self.newer(f"sec:{r['target_type']}:{r['target_id']}", line):
                self._deletion(r)
        elif kind == "receipt":
            self._receipt(r)
        elif kind == "key" and self.newer(f"sec:key:{r['key_id']}", line):
            key = next((k for k in self.new_keys if k.key_id == r["key_id"]), None)
            if key is not None:
                self.s.add(key)
                self.s.flush()
                audit.record(self.s, self.ws.user, "key.rotate.parent", "key", key.key_id,
                             after={"owner": PARENT_OWNER, "valid_from": key.valid_from_sequence})
                self.result.warnings.append(f"单位更换了签名密钥（新密钥 {format_key_id(key.key_id)}，"
                                            f"自第 {key.valid_from_sequence} 号科室任务包起使用）。")

    def _task(self, r: dict[str, Any]) -> None:
        s = self.s
        task = s.get(Task, r["id"])
        if task is None:
            data = TaskInput(title=r["title"], source=r["source"], category=r["category"],
                             owner=r.get("owner") or "", deadline=r["deadline"],
                             section=self.section.name if self.section else "", leader=r.get("leader", ""),
                             batch=r.get("batch", ""), description=r.get("description", ""))
            create_task(s, self.ws.user, data, city_ref=r.get("city_ref"), from_city=True, task_id=r["id"])
            self.result.created += 1
            return
        before = audit.snapshot("task", task)
        if task.deleted is not None:  # handed back to this section after it was taken back
            task.deleted = None
            self.result.created += 1
        else:
            self.result.updated += 1
        task.title, task.deadline = r["title"], r["deadline"]
        task.source, task.category = r["source"], r["category"]
        task.description = r.get("description", task.description)
        task.leader, task.batch = r.get("leader", task.leader), r.get("batch", task.batch)
        if r.get("owner"):
            task.owner = person_named(s, r["owner"], task.section)
        touch(s, task)
        refresh(task)
        audit.record(s, self.ws.user, "task.update.unit", "task", task.id, obj=task, before=before, task_id=task.id)

    def _node(self, r: dict[str, Any]) -> None:
        s = self.s
        task = s.get(Task, r["task_id"])
        if task is None or task.deleted is not None:
            return  # its task was taken back by a newer package (this one arrived late)
        node = s.get(Node, r["id"])
        if node is None:
            node = Node(id=r["id"], seq=r["seq"], title=r["title"], due=r["due"], status=r["status"],
                        updated=r["updated"], rev=r["rev"], from_city=True, change_no=task.change_no,
                        done=r.get("done"), done_by=r.get("done_by"), confirmed_by=r.get("confirmed_by"))
            task.nodes.append(node)
        else:
            node.deleted = None
            if node.status == "pending":  # what the section did is not undone by the unit's older view
                node.title, node.due = r["title"], r["due"]
            if _RANK[r["status"]] > _RANK[node.status]:  # the unit's reviewer confirmed it, or the unit did it
                node.status = r["status"]
                node.done, node.done_by = node.done or r.get("done"), node.done_by or r.get("done_by")
                node.confirmed_by = r.get("confirmed_by")
        s.flush()
        refresh(task)

    def _notice(self, r: dict[str, Any]) -> None:
        n = self.s.get(Notice, r["id"])
        if n is None:
            n = Notice(id=r["id"], read_at=None, content_seq=0, state_seq=0, state_line=0, state="open",
                       closure_comment="", origin=PARENT_OWNER)
            self.s.add(n)
        n.level, n.task_ref, n.node_ref = r["level"], r["task_ref"], r.get("node_ref")
        n.task_id, n.node_id = r["task_ref"], r.get("node_ref")
        n.title, n.text, n.issued, n.issuer, n.respond_by = r["title"], r["text"], r["issued"], r["issuer"], \
            r["respond_by"]
        n.attachments = list(r.get("attachments") or [])
        n.content_seq = self.seq
        for sha in n.attachments:
            pkg = self.files.get(sha)
            if pkg is None:
                if not self.ws.evidence.has(sha):
                    self.result.warnings.append(f"督办通知“{n.title}”的附件 {sha[:12]}… 没有随包送达。")
                continue
            if not self.ws.evidence.has(sha):
                stored = self.ws.evidence.add_stream(bag.file_reader(pkg, sha), expected_sha256=sha)
                if not stored.existed:
                    self.created_files.append(self.ws.evidence.path_for(sha))
        self.result.notices += 1

    def _deletion(self, r: dict[str, Any]) -> None:
        s = self.s
        if r["target_type"] == "task":
            task = s.get(Task, r["target_id"])
            if task is None or task.deleted is not None:
                if task is None:
                    self.result.warnings.append(f"单位收回的任务 {r['target_id']} 本科室没有收到过，无需处理。")
                return
            before = audit.snapshot("task", task)
            task.deleted = now_ts()  # 已收回: kept, as every deleted task, but off this desk's ledger
            touch(s, task)
            audit.record(s, self.ws.user, "task.withdrawn", "task", task.id, obj=task, before=before, task_id=task.id)
            self.result.removed += 1
            return
        node = s.get(Node, r["target_id"])
        if node is None or node.deleted is not None:
            return
        if node.status != "pending":
            self.result.warnings.append(f"单位删除了任务“{node.task.title}”的第 {node.seq} 个节点，但本科室已填报完成，"
                                        "予以保留。")
            return
        node.deleted = now_ts()
        touch(s, node)
        refresh(node.task)
        audit.record(s, self.ws.user, "node.delete", "node", node.id, obj=node, task_id=node.task_id)

    def _receipt(self, r: dict[str, Any]) -> None:
        """The unit has these 科室报送包: they, and the evidence files they carried, are not sent again."""
        acked = set(self.s.scalars(select(FileAck.sha256)))
        for row in self.s.scalars(select(PackageLog).where(
                PackageLog.direction == "out", PackageLog.package_type == REPORT,
                PackageLog.sequence.in_(r["accepted"]), PackageLog.status == "sent")):
            row.status = "acknowledged"
            for sha in (row.summary or {}).get("files", []):
                if sha not in acked:
                    acked.add(sha)
                    self.s.add(FileAck(sha256=sha, report_seq=row.sequence))
