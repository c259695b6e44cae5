"""The unit's side: which sections run a desk, their trusted keys, and `section send` (科室任务包)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, counters, places
from core import settings as settings_mod
from core.dates import now_ts, parse_date
from core.errors import InputRefused, NotFound
from core.exchange import bag
from core.exchange.exporter import _clean, _deletion, _node_record, _task_record
from core.exchange.keys import pending_unit_key, public_file, read_public_file, signing_key, write_json_atomic
from core.exchange.records import dump_line
from core.ledger.lights import LightRule
from core.sections.common import (
    REPORT,
    SECTION_OWNER,
    TASKS,
    accepted_in,
    check_code,
    is_section_desk,
    out_counter,
    write_checked,
)
from core.text import clean_text
from core.workspace import Workspace
from db.models import Key, Node, Notice, PackageLog, Section, SectionSent, Task, Unit


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
        raise NotFound(f"没有代码为“{code}”的科室。", hint="请先用 section add 登记科室，或用 section list 查看。",
                       window_hint=f"请先在 {places.SECTIONS} 中登记科室。")
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
    replaced = False
    for old in s.scalars(select(Key).where(Key.owner == SECTION_OWNER, Key.code == section.code)):
        s.delete(old)  # one trusted key per section; the newest replaces it
        replaced = True
    if replaced:  # a new desk (a new PC, a reinstall): it holds nothing yet, the next package carries everything
        for sent in s.scalars(select(SectionSent).where(SectionSent.section_code == section.code)):
            s.delete(sent)
        for row in s.scalars(select(PackageLog).where(PackageLog.direction == "out", PackageLog.package_type == TASKS,
                                                      PackageLog.section_code == section.code,
                                                      PackageLog.status == "acknowledged")):
            row.status = "sent"
    key = Key(key_id=data["key_id"], owner=SECTION_OWNER, public_key=data["public_key"], valid_from_sequence=1,
              name=section.name, code=section.code, added=now_ts())
    s.add(key)
    s.flush()
    audit.record(s, actor, "key.trust", "key", key.key_id, after={"owner": SECTION_OWNER, "section": section.code})
    return key


UNIT_ORIGIN = "unit"  # Notice.origin of the unit's own 督办 to a section
TAKEN = "taken"  # SectionSent.fingerprint once the section was told the object is taken back
DEFAULT_NOTICE_DAYS = 7


def open_section_tasks(s: Session, code: str) -> list[tuple[str, str, str]]:
    """(id, title, deadline) of the section's tasks not yet closed: what the unit may 督办 (send_unit_notice)."""
    section = section_by_code(s, code)
    rows = s.execute(select(Task.id, Task.title, Task.deadline).where(
        Task.section_id == section.id, Task.deleted.is_(None), Task.status != "closed").order_by(Task.deadline,
                                                                                                Task.title))
    return [(r.id, r.title, r.deadline or "") for r in rows]


def send_unit_notice(session: Session, actor: str, section_code: str, task_ids: list[str], text: str,
                     due: str | None = None, *, today: date | None = None) -> list[Notice]:
    """The unit's own 督办 to a section: one notice per task (the section's tasks only), answered by `due`
    (default: in 7 days from `today`, the workspace's day). Stored at once; it travels in the section's next
    科室任务包 and never to the city."""
    _not_at_section_desk(session)
    today = today or date.today()
    section = section_by_code(session, section_code)
    body = clean_text(text or "").strip()
    if not body:
        raise InputRefused("督办内容不能为空。", hint="请写明要求该科室做什么、何时反馈。", field="text")
    if len(body) > 20_000:
        raise InputRefused("督办内容过长（最多 20000 字）。", field="text")
    ids = list(dict.fromkeys(t.strip() for t in task_ids or [] if t and t.strip()))
    if not ids:
        raise InputRefused("请至少选择一条任务。", hint="督办通知针对该科室的具体任务。", field="task")
    day = parse_date(due, "反馈期限") if due else today + timedelta(days=DEFAULT_NOTICE_DAYS)
    if day < today:
        raise InputRefused(f"反馈期限 {day.isoformat()} 已经过去。", hint="请填写今天或以后的日期。", field="due")
    tasks = []
    for tid in ids:
        task = session.get(Task, tid)
        if task is None or task.deleted:
            raise NotFound(f"找不到编号为“{tid}”的任务。", hint="请在整改台账中查看任务编号。")
        if task.section_id != section.id or task.status == "closed":
            raise InputRefused(f"任务“{task.title}”不是交给“{section.name}”办理的未销号任务，不能向该科室督办。",
                               hint="只能督办交给该科室、尚未销号的任务。")
        tasks.append(task)
    unit = session.scalar(select(Unit).limit(1))
    issuer = f"{unit.name if unit else '本单位'}（{actor}）"
    issued = now_ts()
    out = []
    for task in tasks:
        notice = Notice(id=f"U-{uuid.uuid4()}", level="yellow", task_ref=task.id, node_ref=None, task_id=task.id,
                        node_id=None, title=f"内部督办：{task.title}"[:200], text=body, issued=issued, issuer=issuer,
                        respond_by=day.isoformat(), attachments=[], state="open", closed=None, closure_comment="",
                        read_at=None, content_seq=0, state_seq=0, state_line=0, origin=UNIT_ORIGIN,
                        section_code=section.code)
        session.add(notice)
        out.append(notice)
    session.flush()
    for notice in out:
        audit.record(session, actor, "notice.send.section", "notice", notice.id,
                     after={"section": section.code, "respond_by": notice.respond_by}, task_id=notice.task_id)
    return out


@dataclass
class SendResult:
    sequence: int
    path: Path
    tasks: int
    nodes: int
    public_key_file: Path | None
    notices: int = 0
    removed: int = 0
    paths: list[Path] = field(default_factory=list)


@dataclass
class _Item:
    kind: str  # task | node | notice
    id: str
    task_id: str
    records: list[dict[str, Any]]
    fingerprint: str = ""


def _fingerprint(records: list[dict[str, Any]]) -> str:
    h = hashlib.sha256()
    for r in records:
        h.update(dump_line({k: v for k, v in r.items() if k != "light"}))  # the light follows the date
    return h.hexdigest()


def _notice_records(n: Notice, node_ids: set[str]) -> list[dict[str, Any]]:
    out = [_clean({"type": "notice", "id": n.id, "level": n.level, "task_ref": n.task_id, "title": n.title,
                   "text": n.text, "issued": n.issued, "issuer": n.issuer, "respond_by": n.respond_by,
                   "node_ref": n.node_id if n.node_id in node_ids else None,
                   "attachments": list(n.attachments or []) or None})]
    if n.state == "closed":
        out.append(_clean({"type": "notice_closure", "id": f"closure-{n.id}", "notice_id": n.id,
                           "closed": n.closed or n.issued, "comment": n.closure_comment or None}))
    return out


def section_items(s: Session, ws: Workspace, section: Section) -> list[_Item]:
    """Everything the section should hold now: its open tasks, their nodes, the notices on them."""
    rule = LightRule(settings_mod.thresholds(s), ws.today)
    items: list[_Item] = []
    tasks = list(s.scalars(select(Task).where(Task.section_id == section.id, Task.deleted.is_(None),
                                              Task.status != "closed").order_by(Task.deadline, Task.id)))
    ids = [t.id for t in tasks]
    for t in tasks:
        items.append(_Item("task", t.id, t.id, [_task_record(t, rule, [])]))
    node_ids: set[str] = set()
    for t in tasks:
        for n in s.scalars(select(Node).where(Node.task_id == t.id, Node.deleted.is_(None)).order_by(Node.seq)):
            items.append(_Item("node", n.id, t.id, [_node_record(n)]))
            node_ids.add(n.id)
    if ids:
        q = select(Notice).where(Notice.task_id.in_(ids), Notice.origin.is_(None) | (
            (Notice.origin == UNIT_ORIGIN) & (Notice.section_code == section.code))).order_by(Notice.issued, Notice.id)
        for notice in s.scalars(q):
            items.append(_Item("notice", notice.id, str(notice.task_id), _notice_records(notice, node_ids)))
    for item in items:
        item.fingerprint = _fingerprint(item.records)
    return items


def send_tasks(ws: Workspace, code: str, out_dir: Path, passphrase: str, *,
               volume_mb: int | None = None) -> SendResult:
    """Write the signed 科室任务包 of one section: what changed since the packages the section has received
    (all of it the first time), the notices on its tasks, deletions of tasks taken back, the receipt of its
    reports; with the unit's key file the first time."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise InputRefused(f"找不到文件夹“{out_dir}”。", hint="请插好U盘，或选择一个已有的文件夹。")
    written: list[tuple[Path, Path]] = []
    try:
        with ws.session() as s:
            _not_at_section_desk(s)
            unit = ws.require_unit(s)
            section = section_by_code(s, code)
            sc = section.code or ""
            key, private = signing_key(s, passphrase)
            seq = counters.bump(s, out_counter(sc))
            received = set(s.scalars(select(PackageLog.sequence).where(
                PackageLog.direction == "out", PackageLog.package_type == TASKS, PackageLog.section_code == sc,
                PackageLog.status == "acknowledged")))
            sent = {(r.kind, r.object_id): r for r in s.scalars(select(SectionSent).where(
                SectionSent.section_code == sc))}
            items = section_items(s, ws, section)
            current = {(i.kind, i.id) for i in items}
            live_tasks = {i.id for i in items if i.kind == "task"}
            groups: dict[str, list[dict[str, Any]]] = {"task": [], "node": [], "notice": [], "tail": []}
            counts = {"task": 0, "node": 0, "notice": 0, "deletion": 0}
            for item in items:
                row = sent.get((item.kind, item.id))
                if row is not None and row.fingerprint == item.fingerprint and row.sequence in received:
                    continue  # the section holds it as it is
                groups[item.kind].extend(item.records)
                counts[item.kind] += 1
                if row is None:
                    s.add(SectionSent(section_code=sc, kind=item.kind, object_id=item.id,
                                      fingerprint=item.fingerprint, sequence=seq))
                else:
                    row.fingerprint, row.sequence = item.fingerprint, seq
            gone = [k[1] for k in sent if k[0] == "node" and k not in current]
            node_task = {a: b for a, b in s.execute(select(Node.id, Node.task_id).where(Node.id.in_(gone)))}
            for (kind, oid), row in sorted(sent.items()):
                if (kind, oid) in current:
                    continue
                if kind == "key":
                    continue
                if kind == "notice" or (kind == "node" and node_task.get(oid) not in live_tasks):
                    s.delete(row)  # gone with its task (whose deletion says so), or no longer the section's
                    continue
                if row.fingerprint == TAKEN and row.sequence in received:
                    continue
                groups["tail"].append(_deletion(kind, oid))
                counts["deletion"] += kind == "task"
                row.fingerprint, row.sequence = TAKEN, seq
            pending = pending_unit_key(s)  # `keys rotate`: each section is told the next key until it has it
            if pending is not None:
                row = sent.get(("key", pending.key_id))
                if row is None or row.sequence not in received:
                    groups["tail"].append({"type": "key", "id": f"key-{pending.key_id}", "alg": "Ed25519",
                                               "public_key": pending.public_key, "key_id": pending.key_id,
                                               "valid_from_sequence": seq + 1})
                    if row is None:
                        s.add(SectionSent(section_code=sc, kind="key", object_id=pending.key_id,
                                          fingerprint=pending.key_id, sequence=seq))
                    else:
                        row.sequence = seq
            reports = sorted(accepted_in(s, REPORT, sc))
            records: list[dict[str, Any]] = [{"type": "unit", "id": unit.code, "name": unit.name,
                                              "level": unit.level}]
            for kind in ("task", "node", "notice", "tail"):  # tail: deletions, then the key record
                records.extend(groups[kind])
            records.append({"type": "receipt", "id": f"receipt-{seq}", "accepted": reports,
                            "missing": [n for n in range(1, max(reports, default=0)) if n not in reports][-1000:]})
            files = _attachment_files(ws, groups["notice"])
            prev = s.scalar(select(PackageLog).where(PackageLog.direction == "out", PackageLog.package_type == TASKS,
                                                     PackageLog.section_code == sc, PackageLog.sequence == seq - 1,
                                                     PackageLog.part_no == 1))
            previous = (prev.group_digest or prev.digest) if prev else "none"
            last_key = s.scalar(select(PackageLog.key_id).where(
                PackageLog.direction == "out", PackageLog.package_type == TASKS,
                PackageLog.section_code == sc).order_by(PackageLog.sequence.desc()).limit(1))
            first = last_key != key.key_id  # the first package, or one signed by a key never announced to it
            summary = {"tasks": counts["task"], "nodes": counts["node"], "notices": counts["notice"],
                       "removed": counts["deletion"]}
            written = write_checked(
                s, out_dir=out_dir, package_type=TASKS, unit_code=unit.code, section_code=sc,
                source=unit.name, seq=seq, previous=previous, records=records, files=files, signer=private,
                key_id=key.key_id, summary=summary, what="科室任务包", retry="重新发送",
                limit=(volume_mb or settings_mod.get_int(s, "volume_limit_mb")) * 1_000_000)
            audit.record(s, ws.user, "section.send", "section", sc, after={"sequence": seq, **summary})
            public = public_file(key)
        paths = bag.publish_all(written)
        written = []
    finally:
        for tmp, _target in written:
            bag.remove_quietly(tmp)
    pub = None
    if first:
        pub = out_dir / f"{unit.code}.pub.json"
        write_json_atomic(pub, public)
    return SendResult(seq, paths[0], counts["task"], counts["node"], pub, counts["notice"], counts["deletion"], paths)


def _attachment_files(ws: Workspace, notices: list[dict[str, Any]]) -> list[bag.SourceFile]:
    """The city's files attached to the notices going down (those this unit holds; the others are named only)."""
    out: dict[str, bag.SourceFile] = {}
    for r in notices:
        for sha in r.get("attachments") or []:
            if sha not in out and ws.evidence.has(sha):
                path = ws.evidence.path_for(sha)
                out[sha] = bag.SourceFile(sha, path.stat().st_size, path)
    return list(out.values())
