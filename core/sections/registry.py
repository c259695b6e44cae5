"""The unit's side: which sections run a desk, their trusted keys, and `section send` (科室任务包)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, counters
from core import settings as settings_mod
from core.dates import now_ts
from core.errors import InputRefused, NotFound
from core.exchange import bag
from core.exchange.exporter import _node_record, _task_record
from core.exchange.keys import public_file, read_public_file, signing_key, write_json_atomic
from core.ledger.lights import LightRule
from core.sections.common import SECTION_OWNER, TASKS, check_code, is_section_desk, out_counter, write_checked
from core.text import clean_text
from core.workspace import Workspace
from db.models import Key, Node, PackageLog, Section, Task


@dataclass
class SectionRow:
    code: str | None
    name: str
    open_tasks: int
    key_id: str | None
    last_sent: int


def _not_at_section_desk(s: Session) -> None:
    if is_section_desk(s):
        raise InputRefused("本机是科室端，不能登记或向下发送科室任务。", hint="请在本单位的整改通中操作。")


def add_section(s: Session, actor: str, code: str, name: str) -> Section:
    """Give a section (new, or one already named as 责任科室) its code: it may then run a section desk."""
    _not_at_section_desk(s)
    code = check_code(code)
    name = clean_text(name or "").strip()
    if not name:
        raise InputRefused("请填写科室名称。")
    taken = s.scalar(select(Section).where(Section.code == code))
    if taken is not None and taken.name != name:
        raise InputRefused(f"科室代码“{code}”已经给了“{taken.name}”。", hint="请换一个代码。")
    section = s.scalar(select(Section).where(Section.name == name))
    if section is None:
        section = Section(name=name)
        s.add(section)
    elif section.code and section.code != code:
        raise InputRefused(f"“{name}”已有科室代码“{section.code}”。")
    section.code = code
    s.flush()
    audit.record(s, actor, "section.add", "section", code, after={"code": code, "name": name})
    return section


def section_by_code(s: Session, code: str) -> Section:
    section = s.scalar(select(Section).where(Section.code == (code or "").strip()))
    if section is None:
        raise NotFound(f"没有代码为“{code}”的科室。", hint="请先用 section add 登记科室，或用 section list 查看。")
    return section


def list_sections(s: Session) -> list[SectionRow]:
    out = []
    for sec in s.scalars(select(Section).order_by(Section.code.is_(None), Section.code, Section.name)):
        n = s.scalar(select(func.count()).select_from(Task).where(
            Task.section_id == sec.id, Task.deleted.is_(None), Task.status != "closed")) or 0
        key = s.scalar(select(Key).where(Key.owner == SECTION_OWNER, Key.code == sec.code)) if sec.code else None
        last = counters.peek(s, out_counter(sec.code)) if sec.code else 0
        out.append(SectionRow(sec.code, sec.name, n, key.key_id if key else None, last))
    return out


def trust_section(s: Session, actor: str, code: str, path: Path) -> Key:
    section = section_by_code(s, code)
    data = read_public_file(path, owner="unit")
    if data.get("section") != section.code:
        raise InputRefused(f"这不是科室“{section.name}”（{section.code}）的公钥文件"
                           f"（文件标明的科室为“{data.get('section') or '无'}”）。",
                           hint="请使用该科室的科室端导出的公钥文件。")
    existing = s.get(Key, data["key_id"])
    if existing is not None:
        if existing.owner != SECTION_OWNER or existing.code != section.code:
            raise InputRefused("这把密钥已经登记为别的用途，不能作为科室的公钥。")
        return existing
    for old in s.scalars(select(Key).where(Key.owner == SECTION_OWNER, Key.code == section.code)):
        s.delete(old)  # one trusted key per section; the newest replaces it
    key = Key(key_id=data["key_id"], owner=SECTION_OWNER, public_key=data["public_key"], valid_from_sequence=1,
              name=section.name, code=section.code, added=now_ts())
    s.add(key)
    s.flush()
    audit.record(s, actor, "key.trust", "key", key.key_id, after={"owner": SECTION_OWNER, "section": section.code})
    return key


@dataclass
class SendResult:
    sequence: int
    path: Path
    tasks: int
    nodes: int
    public_key_file: Path | None


def send_tasks(ws: Workspace, code: str, out_dir: Path, passphrase: str) -> SendResult:
    """Write the signed 科室任务包 of one section's open tasks and nodes (and the unit's key file the first time)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise InputRefused(f"找不到文件夹“{out_dir}”。", hint="请插好U盘，或选择一个已有的文件夹。")
    tmp: Path | None = None
    try:
        with ws.session() as s:
            _not_at_section_desk(s)
            unit = ws.require_unit(s)
            section = section_by_code(s, code)
            key, private = signing_key(s, passphrase)
            seq = counters.bump(s, out_counter(section.code or ""))
            rule = LightRule(settings_mod.thresholds(s), ws.today)
            records = [{"type": "unit", "id": unit.code, "name": unit.name, "level": unit.level}]
            tasks = list(s.scalars(select(Task).where(Task.section_id == section.id, Task.deleted.is_(None),
                                                      Task.status != "closed").order_by(Task.deadline, Task.id)))
            nodes = 0
            for t in tasks:
                records.append(_task_record(t, rule, []))
            for t in tasks:
                for n in s.scalars(select(Node).where(Node.task_id == t.id, Node.deleted.is_(None))
                                   .order_by(Node.seq)):
                    records.append(_node_record(n))
                    nodes += 1
            prev = s.scalar(select(PackageLog).where(PackageLog.direction == "out", PackageLog.package_type == TASKS,
                                                     PackageLog.section_code == section.code,
                                                     PackageLog.sequence == seq - 1))
            previous = prev.digest if prev else "none"
            first = s.scalar(select(PackageLog.package_id).where(
                PackageLog.direction == "out", PackageLog.package_type == TASKS,
                PackageLog.section_code == section.code).limit(1)) is None
            tmp, target = write_checked(
                s, out_dir=out_dir, package_type=TASKS, unit_code=unit.code, section_code=section.code or "",
                source=unit.name, seq=seq, previous=previous, records=records, files=[], signer=private,
                key_id=key.key_id, summary={"tasks": len(tasks), "nodes": nodes}, what="科室任务包", retry="重新发送")
            audit.record(s, ws.user, "section.send", "section", section.code or "",
                         after={"sequence": seq, "tasks": len(tasks), "nodes": nodes})
            public = public_file(key)
        bag.publish_package(tmp, target)
        tmp = None
    finally:
        if tmp is not None:
            bag.remove_quietly(tmp)
    pub = None
    if first:
        pub = out_dir / f"{unit.code}.pub.json"
        write_json_atomic(pub, public)
    return SendResult(seq, target, len(tasks), nodes, pub)
