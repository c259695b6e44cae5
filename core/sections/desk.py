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
from core.exchange.keys import public_file, read_public_file, require_unit_key
from core.ledger.people import person_named
from core.ledger.tasks import TaskInput, create_task, refresh
from core.sections.common import (
    PARENT_OWNER,
    ROLE_KEY,
    SECTION_CODE_KEY,
    SECTION_NAME_KEY,
    TASKS,
    accepted_in,
    check_code,
    get_setting,
    is_section_desk,
    key_resolver,
    sequence_check,
)
from core.text import clean_text
from core.unit import init_unit
from core.workspace import Workspace
from db.models import Key, Node, PackageLog, Section, Setting, Task, Unit


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
    created: int = 0
    updated: int = 0
    removed: int = 0
    warnings: list[str] = field(default_factory=list)

    def headline(self) -> str:
        if self.already:
            return f"第 {self.sequence} 号科室任务包已经导入过，没有变化。"
        return (f"已导入第 {self.sequence} 号科室任务包：新任务 {self.created} 条，更新 {self.updated} 条，"
                f"收回 {self.removed} 条。")


def import_tasks(ws: Workspace, path: Path) -> TasksImport:
    """Verify a 科室任务包 completely, then apply it in one transaction (nothing changes when refused)."""
    with ws.session() as s:
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
        already, warnings = sequence_check(pkg, accepted_in(s, TASKS, me.section_code), "科室任务包")
        result = TasksImport(pkg.sequence, already=already, warnings=warnings)
        if already:
            return result
        section = s.scalar(select(Section).where(Section.code == me.section_code))
        nodes_by_task: dict[str, list[dict[str, Any]]] = {}
        for _line, r in pkg.records:
            if r["type"] == "node":
                nodes_by_task.setdefault(r["task_id"], []).append(r)
        for _line, r in pkg.records:
            if r["type"] == "task":
                _apply_task(s, ws.user, r, nodes_by_task.get(r["id"], []), section, result)
            elif r["type"] == "deletion" and r["target_type"] == "task":
                t = s.get(Task, r["target_id"])
                if t is not None and t.deleted is None:
                    t.deleted = now_ts()
                    result.removed += 1
        row = PackageLog(package_id=pkg.package_id, direction="in", package_type=TASKS, unit_code=pkg.unit_code,
                         section_code=me.section_code, sequence=pkg.sequence, group_id=pkg.group_id, part_no=1,
                         part_count=1, digest=pkg.digest, previous_digest=pkg.previous_digest, key_id=pkg.key_id,
                         created=pkg.created, logged=now_ts(), file_name=Path(path).name, size=pkg.size,
                         status="accepted", warnings=warnings,
                         summary={"created": result.created, "updated": result.updated})
        s.add(row)
        audit.record(s, ws.user, "package.import", "package", pkg.package_id,
                     after={"type": TASKS, "sequence": pkg.sequence})
    return result


def _apply_task(s: Session, actor: str, r: dict[str, Any], nodes: list[dict[str, Any]], section: Section | None,
                result: TasksImport) -> None:
    task = s.get(Task, r["id"])
    if task is None:
        data = TaskInput(title=r["title"], source=r["source"], category=r["category"], owner=r.get("owner") or "",
                         deadline=r["deadline"], section=section.name if section else "", leader=r.get("leader", ""),
                         batch=r.get("batch", ""), description=r.get("description", ""))
        task = create_task(s, actor, data, city_ref=r.get("city_ref"), from_city=True, task_id=r["id"])
        result.created += 1
    else:
        task.title, task.deadline = r["title"], r["deadline"]
        task.description = r.get("description", task.description)
        if r.get("owner"):
            task.owner = person_named(s, r["owner"], task.section)
        result.updated += 1
    for n in nodes:
        node = s.get(Node, n["id"])
        if node is None:
            node = Node(id=n["id"], seq=n["seq"], title=n["title"], due=n["due"], status=n["status"],
                        updated=n["updated"], rev=n["rev"], from_city=True, change_no=task.change_no,
                        done=n.get("done"), done_by=n.get("done_by"))
            task.nodes.append(node)
        elif node.status == "pending":  # what the section did is not undone by the unit's older view
            node.title, node.due = n["title"], n["due"]
    s.flush()
    refresh(task)
