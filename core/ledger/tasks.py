"""Task and node operations: create, edit, delete (tombstones), complete, two-person confirm, submit.

Every operation takes the session of one unit of work and the acting user, checks its input first
(nothing is changed when it refuses), and writes the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit, enums, places
from core.counters import next_change_no
from core.dates import now_ts, parse_date
from core.errors import InputRefused, NotFound, PermissionDenied, UserError
from core.ledger.people import person_named, section_named
from core.text import clean_text, long_text
from db.models import Evidence, Node, Person, Task


@dataclass
class NodeInput:
    title: str
    due: str


@dataclass
class TaskInput:
    title: str = ""
    source: str = ""
    category: str = ""
    owner: str = ""
    deadline: str = ""
    section: str = ""
    leader: str = ""
    batch: str = ""
    description: str = ""
    measures: str = ""
    nodes: list[NodeInput] = field(default_factory=list)


def parse_node_spec(spec: str) -> NodeInput:
    """`TITLE@YYYY-MM-DD` as typed on the command line."""
    title, sep, due = spec.rpartition("@")
    if not sep or not title.strip():
        raise InputRefused(f"节点“{spec}”格式不对。", hint="请写成 节点名称@年-月-日，例如 制定方案@2026-05-31。")
    parse_date(due, "节点期限")
    return NodeInput(title.strip(), due.strip())


TEXT_FIELDS = ("title", "source", "category", "owner", "deadline", "section", "leader", "batch", "description",
               "measures")


# Long enough for any real text; short enough that a task always travels in one record line (spec §5: 1 MiB).
TEXT_LIMITS = {"description": 100_000, "measures": 100_000}
TEXT_LIMIT = 2_000
_FIELD_WORDS = {"title": "标题", "description": "问题描述", "measures": "整改措施", "owner": "责任人",
                "section": "责任科室", "leader": "分管领导", "batch": "批次", "source": "问题来源",
                "category": "整改类别", "deadline": "整改期限"}


def _check_length(name: str, value: str) -> None:
    limit = TEXT_LIMITS.get(name, TEXT_LIMIT)
    if len(value) > limit:
        raise InputRefused(f"{_FIELD_WORDS.get(name, name)}太长（{len(value)} 个字，最多 {limit} 个字）。",
                           hint="请精简文字，详细材料可作为佐证材料附上。", field=name)


@contextmanager
def _field(name: str) -> Iterator[None]:
    """A refusal raised inside names the input to fix (a form marks it)."""
    try:
        yield
    except UserError as exc:
        exc.field = exc.field or name
        raise


def _check(data: TaskInput, partial: bool = False) -> dict[str, Any]:
    """The fields to store; `data` itself is cleaned in place (callers read its owner, section and nodes)."""
    for name in TEXT_FIELDS:
        setattr(data, name, clean_text(getattr(data, name)))
        _check_length(name, getattr(data, name))
    for n in data.nodes:
        n.title = clean_text(n.title)
        _check_length("title", n.title)
    out: dict[str, Any] = {}
    if not partial or data.title:
        if not data.title.strip():
            raise InputRefused("整改任务的标题不能为空。", hint="请用一句话写明问题。", field="title")
        out["title"] = data.title.strip()
    with _field("source"):
        if not partial or data.source:
            out["source"] = enums.parse("source", data.source)
    with _field("category"):
        if not partial or data.category:
            out["category"] = enums.parse("category", data.category)
    with _field("deadline"):
        if not partial or data.deadline:
            out["deadline"] = parse_date(data.deadline, "整改期限").isoformat()
    for name in ("leader", "batch", "description", "measures"):
        value = getattr(data, name)
        if not partial or value:
            out[name] = value.strip()
    for n in data.nodes:
        parse_date(n.due, "节点期限")
        if not n.title.strip():
            raise InputRefused("节点名称不能为空。")
    return out


def get_task(session: Session, task_id: str) -> Task:
    task = session.get(Task, task_id)
    if task is None or task.deleted:
        task = session.scalar(select(Task).where(Task.city_ref == task_id, Task.deleted.is_(None)))
    if task is None:
        raise NotFound(f"找不到编号为“{task_id}”的整改任务。", hint="可用 ledger 命令查看任务编号。",
                       window_hint=f"请在 {places.LEDGER} 中查看任务编号。")
    return task


def live_nodes(task: Task) -> list[Node]:
    return [n for n in task.nodes if n.deleted is None]


def get_node(task: Task, seq: int) -> Node:
    for n in live_nodes(task):
        if n.seq == seq:
            return n
    raise NotFound(f"任务“{task.title}”没有第 {seq} 个节点。", hint="请检查节点序号。")


def touch(session: Session, obj: Task | Node | Evidence) -> None:
    obj.change_no = next_change_no(session)
    if isinstance(obj, (Task, Node)):
        obj.updated = now_ts()
        obj.rev = (obj.rev or 0) + 1


def refresh(task: Task) -> None:
    """Recompute what derives from nodes and reviews: next due date, status, search text."""
    nodes = live_nodes(task)
    pending = [n.due for n in nodes if n.status == "pending"]
    task.next_due = min(pending) if pending else None
    task.status = derive_status(task, nodes)
    owner = task.owner.name if task.owner else ""
    section = task.section.name if task.section else ""
    task.search_text = " ".join(
        x for x in (task.title, task.city_ref or "", owner, section, task.batch, task.leader, task.description)
        if x
    ).lower()


def derive_status(task: Task, nodes: list[Node]) -> str:
    if task.review_state == "accepted":
        return "closed"
    pending = any(n.status == "pending" for n in nodes)
    if task.submitted_at and not pending:
        return "submitted"
    if task.review_state == "returned":
        return "returned"
    if any(n.status != "pending" or n.city_result == "returned" for n in nodes):  # spec §5: returned -> in_progress
        return "in_progress"
    return "open"


def create_task(session: Session, actor: str, data: TaskInput, *, city_ref: str | None = None,
                from_city: bool = False, task_id: str | None = None) -> Task:
    fields = _check(data)
    if city_ref and session.scalar(select(Task.id).where(Task.city_ref == city_ref)):
        raise InputRefused(f"市平台编号“{city_ref}”已被另一条任务使用。")
    section = section_named(session, data.section)
    owner = person_named(session, data.owner, section)
    now = now_ts()
    task = Task(id=task_id or str(uuid.uuid4()), city_ref=city_ref or None, section=section, owner=owner,
                from_city=from_city, created=now, updated=now, rev=1, status="open", **fields)
    session.add(task)
    task.change_no = next_change_no(session)
    for i, n in enumerate(data.nodes, start=1):
        task.nodes.append(Node(id=str(uuid.uuid4()), seq=i, title=n.title.strip(), due=n.due, status="pending",
                               updated=now, rev=1, from_city=from_city, change_no=task.change_no))
    refresh(task)
    audit.record(session, actor, "task.create", "task", task.id, obj=task, task_id=task.id)
    for node in task.nodes:
        audit.record(session, actor, "node.create", "node", node.id, obj=node, task_id=task.id)
    return task


def edit_task(session: Session, actor: str, task_id: str, data: TaskInput, *,
              owner_set: bool | None = None, section_set: bool | None = None) -> Task:
    task = get_task(session, task_id)
    if task.status == "closed":
        raise InputRefused(f"任务“{task.title}”已销号，不能再修改。", hint="如需重新整改，请通过回头看重新打开。")
    fields = _check(data, partial=True)
    before = audit.snapshot("task", task)
    for k, v in fields.items():
        setattr(task, k, v)
    if data.section or section_set:
        task.section = section_named(session, data.section)
    if data.owner or owner_set:
        task.owner = person_named(session, data.owner, task.section)
    if data.nodes:
        start = max((n.seq for n in live_nodes(task)), default=0)
        for i, n in enumerate(data.nodes, start=start + 1):
            node = Node(id=str(uuid.uuid4()), seq=i, title=n.title.strip(), due=n.due, status="pending",
                        updated=now_ts(), rev=1, change_no=next_change_no(session))
            task.nodes.append(node)
            session.flush()
            audit.record(session, actor, "node.create", "node", node.id, obj=node, task_id=task.id)
    touch(session, task)
    refresh(task)
    audit.record(session, actor, "task.edit", "task", task.id, obj=task, before=before, task_id=task.id)
    return task


@dataclass(frozen=True)
class DeleteGuard:
    """What makes a task weigh more than a typo: the city knows it, or it carries notices or evidence."""

    title: str
    city_ref: str
    notices: int
    evidence: int

    @property
    def guarded(self) -> bool:
        return bool(self.city_ref or self.notices or self.evidence)

    def reasons(self) -> list[str]:
        out = []
        if self.city_ref:
            out.append(f"有市平台编号 {self.city_ref}")
        if self.notices:
            out.append(f"有督办通知 {self.notices} 条")
        if self.evidence:
            out.append(f"有佐证材料 {self.evidence} 份")
        return out


DELETE_ACTION = "删除带有市平台编号、督办通知或佐证材料的任务"


def delete_guard(session: Session, task_id: str, actor: str | None = None) -> DeleteGuard:
    """What the deletion of a task involves; with `actor`, a refusal first when that user may not delete it
    (so a form does not ask for a confirmation that would be refused anyway)."""
    from core.team.users import require_role
    from db.models import Notice

    task = get_task(session, task_id)
    if task.from_city:
        raise InputRefused(f"任务“{task.title}”是市督查平台交办的，不能在本单位删除。",
                           hint="如交办有误，请向市督查室申诉。")
    notices = len(session.scalars(select(Notice.id).where(Notice.task_id == task.id)).all())
    evidence = len(session.scalars(select(Evidence.id).where(Evidence.task_id == task.id,
                                                             Evidence.deleted.is_(None))).all())
    guard = DeleteGuard(task.title, task.city_ref or "", notices, evidence)
    if actor is not None and guard.guarded:
        require_role(session, actor, "reviewer", action=DELETE_ACTION)
    return guard


def delete_task(session: Session, actor: str, task_id: str, *, confirmed: bool = False) -> Task:
    """Tombstones the task with its nodes and evidence. A task the city knows, or with notices or evidence,
    needs a reviewer or administrator and an explicit confirmation (`confirmed`)."""
    task = get_task(session, task_id)
    guard = delete_guard(session, task.id, actor)
    if guard.guarded:
        if not confirmed:
            raise InputRefused(f"任务“{task.title}”{'、'.join(guard.reasons())}，删除前须再次确认。",
                               hint="确认要删除时，请在命令后加 --yes。",
                               window_hint="确认要删除时，请在删除确认框中勾选并输入任务编号。")
    now = now_ts()
    for ev in session.scalars(select(Evidence).where(Evidence.task_id == task.id, Evidence.deleted.is_(None))):
        ev.deleted = now
        touch(session, ev)
        audit.record(session, actor, "evidence.delete", "evidence", ev.id, obj=ev, task_id=task.id)
    for n in live_nodes(task):
        n.deleted = now
        touch(session, n)
        audit.record(session, actor, "node.delete", "node", n.id, obj=n, task_id=task.id)
    task.deleted = now
    touch(session, task)
    audit.record(session, actor, "task.delete", "task", task.id, obj=task, task_id=task.id)
    return task


# -- undo: a mistake corrected right after it was made, before any report carried it ------------

def reported_in(session: Session, change_no: int) -> int | None:
    """The report (Sequence) that already carried a change, or None while it is only on this PC."""
    from db.models import PackageLog

    return session.scalar(select(func.min(PackageLog.sequence)).where(
        PackageLog.direction == "out", PackageLog.max_change_no >= change_no))


def last_entry(session: Session, entity_type: str, entity_id: str) -> Any:
    from db.models import AuditEntry

    return session.scalar(select(AuditEntry).where(AuditEntry.entity_type == entity_type,
                                                   AuditEntry.entity_id == entity_id)
                          .order_by(AuditEntry.id.desc()).limit(1))


def check_undoable(session: Session, entity_type: str, entity_id: str, action: str, change_no: int,
                   what: str) -> Any:
    """The audit entry of the action to undo, or a refusal saying why it can no longer be undone."""
    entry = last_entry(session, entity_type, entity_id)
    if entry is None or entry.action != action:
        raise InputRefused(f"{what}之后又有改动，不能撤销。", hint="请直接修改到正确的内容。")
    seq = reported_in(session, change_no)
    if seq is not None:
        raise InputRefused(f"{what}已随第 {seq} 号报送包报送市平台，不能撤销。",
                           hint="请直接修改到正确的内容，下一次报送会告知市平台。")
    return entry


def undo_node_done(session: Session, actor: str, task_id: str, seq: int) -> Node:
    """撤销填报完成: the node goes back to what it was before `complete_node` (audited as node.undo_done)."""
    import json

    from core.team.users import require_role

    task = get_task(session, task_id)
    node = get_node(task, seq)
    what = f"第 {seq} 个节点的完成填报"
    if node.status == "confirmed":
        raise InputRefused(f"第 {seq} 个节点已经由{node.confirmed_by}核查确认，不能撤销填报。",
                           hint="核查确认后的节点不能撤销；如确有错误，请在节点说明中写明更正情况。")
    if node.status != "done":
        raise InputRefused(f"第 {seq} 个节点还没有填报完成，无需撤销。")
    entry = check_undoable(session, "node", node.id, "node.done", node.change_no, what)
    if (node.done_by or "") != actor:
        require_role(session, actor, "reviewer", action="撤销别人填报的节点")
    changes = json.loads(entry.summary or "{}").get("changes", {})
    before = audit.snapshot("node", node)
    for name in ("status", "done", "note", "done_by", "confirmed_by", "city_result"):
        if name in changes:
            setattr(node, name, changes[name][0])
    if node.status == "done":  # an entry written before the snapshot held the status: pending is safe
        node.status, node.done, node.done_by = "pending", None, None
    touch(session, node)
    touch(session, task)
    refresh(task)
    audit.record(session, actor, "node.undo_done", "node", node.id, obj=node, before=before, task_id=task.id)
    return node


def add_node(session: Session, actor: str, task_id: str, title: str, due: str) -> Node:
    task = get_task(session, task_id)
    title = clean_text(title)
    ni = NodeInput(title, parse_date(due, "节点期限").isoformat())
    if not title.strip():
        raise InputRefused("节点名称不能为空。")
    seq = max((n.seq for n in live_nodes(task)), default=0) + 1
    node = Node(id=str(uuid.uuid4()), seq=seq, title=ni.title.strip(), due=ni.due, status="pending",
                updated=now_ts(), rev=1, change_no=next_change_no(session))
    task.nodes.append(node)
    task.submitted_at = None
    touch(session, task)
    refresh(task)
    audit.record(session, actor, "node.create", "node", node.id, obj=node, task_id=task.id)
    return node


def edit_node(session: Session, actor: str, task_id: str, seq: int, *, title: str | None = None,
              due: str | None = None) -> Node:
    task = get_task(session, task_id)
    node = get_node(task, seq)
    if node.from_city and due is not None and due != node.due:
        raise InputRefused("市平台交办的节点期限不能在本单位修改。", hint="如需延期，请向市督查室申请。")
    before = audit.snapshot("node", node)
    if title is not None:
        title = clean_text(title)
        if not title.strip():
            raise InputRefused("节点名称不能为空。")
        node.title = title.strip()
    if due is not None:
        node.due = parse_date(due, "节点期限").isoformat()
    touch(session, node)
    refresh(task)
    audit.record(session, actor, "node.edit", "node", node.id, obj=node, before=before, task_id=task.id)
    return node


def delete_node(session: Session, actor: str, task_id: str, seq: int) -> Node:
    task = get_task(session, task_id)
    node = get_node(task, seq)
    if node.from_city:
        raise InputRefused("市平台交办的节点不能在本单位删除。")
    node.deleted = now_ts()
    touch(session, node)
    refresh(task)
    audit.record(session, actor, "node.delete", "node", node.id, obj=node, task_id=task.id)
    return node


def complete_node(session: Session, actor: str, task_id: str, seq: int, *, done: date,
                  note: str = "", today: date | None = None) -> Node:
    task = get_task(session, task_id)
    if task.status == "closed":
        raise InputRefused(f"任务“{task.title}”已销号。")
    node = get_node(task, seq)
    if node.status != "pending":
        raise InputRefused(f"第 {seq} 个节点已经填报为完成。")
    if today is not None and done > today:
        raise InputRefused(f"完成日期 {done.isoformat()} 晚于今天。", hint="完成日期不能是将来的日子。")
    before = audit.snapshot("node", node)
    node.status = "done"
    node.done = done.isoformat()
    node.note = long_text(note, "完成情况说明", field="note") or node.note
    node.done_by = actor
    node.confirmed_by = None
    node.city_result = None
    touch(session, node)
    touch(session, task)
    refresh(task)
    audit.record(session, actor, "node.done", "node", node.id, obj=node, before=before, task_id=task.id)
    return node


def _check_reviewer(session: Session, actor: str) -> None:
    """双人核查: once the unit keeps several user accounts, only a reviewer or admin may confirm.

    A one-account unit (a single clerk with the admin made at init) still needs a different person.
    """
    users = session.scalars(select(Person.id).where(Person.role.is_not(None)).limit(2)).all()
    if len(users) < 2:
        return
    person = session.scalar(select(Person).where(Person.name == actor))
    if person is None or person.role not in ("reviewer", "admin") or not person.active:
        raise PermissionDenied(f"“{actor}”没有审核人权限，不能核查节点。", hint="请由本单位的审核人登录后核查。")


class SamePersonConfirm(InputRefused):
    """双人核查: the person who reported a node done cannot also confirm it (the window offers 切换用户)."""

    def __init__(self, seq: int, actor: str) -> None:
        super().__init__(f"第 {seq} 个节点是“{actor}”本人填报的，不能由本人核查。",
                         hint="双人核查：请由另一位同事核查确认。")
        self.seq, self.actor = seq, actor


def confirm_node(session: Session, actor: str, task_id: str, seq: int) -> Node:
    task = get_task(session, task_id)
    node = get_node(task, seq)
    if node.status == "pending":
        raise InputRefused(f"第 {seq} 个节点还没有填报完成，不能核查。")
    if node.status == "confirmed":
        raise InputRefused(f"第 {seq} 个节点已经由{node.confirmed_by}核查过了。")
    if (node.done_by or "") == actor:
        raise SamePersonConfirm(seq, actor)
    _check_reviewer(session, actor)
    before = audit.snapshot("node", node)
    node.status = "confirmed"
    node.confirmed_by = actor
    node.confirmed_at = now_ts()
    touch(session, node)
    nodes = live_nodes(task)
    if nodes and all(n.status == "confirmed" for n in nodes) and task.review_state != "accepted":
        task.submitted_at = now_ts()
    touch(session, task)
    refresh(task)
    audit.record(session, actor, "node.confirm", "node", node.id, obj=node, before=before, task_id=task.id)
    return node


def submit_task(session: Session, actor: str, task_id: str) -> Task:
    """申请销号: the unit says the task is done; every node must be filled in."""
    task = get_task(session, task_id)
    if task.status == "closed":
        raise InputRefused(f"任务“{task.title}”已经销号。")
    pending = [n.seq for n in live_nodes(task) if n.status == "pending"]
    if pending:
        raise InputRefused(f"还有节点未完成（第 {'、'.join(map(str, pending))} 个），不能申请销号。")
    task.submitted_at = now_ts()
    touch(session, task)
    refresh(task)
    audit.record(session, actor, "task.submit", "task", task.id, obj=task, task_id=task.id)
    return task


def reorder_nodes(session: Session, actor: str, task_id: str, new_order: list[int]) -> list[Node]:
    """调整节点顺序: `new_order` lists the live nodes' numbers in the wanted order; they are renumbered.

    The numbers stay the same set (slot i gets the i-th smallest current number). Nodes assigned by the
    city keep their numbers, since the city refers to them as `<ref>#<seq>`: an order that would move
    one is refused. Each renumbered node travels in the next report.
    """
    task = get_task(session, task_id)
    if task.status == "closed":
        raise InputRefused(f"任务“{task.title}”已销号，不能调整节点顺序。")
    nodes = {n.seq: n for n in live_nodes(task)}
    slots = sorted(nodes)
    if sorted(new_order) != slots:
        have = "、".join(map(str, slots)) or "无"
        raise InputRefused("新的节点顺序必须恰好列出现有的每个节点一次。", hint=f"现有节点序号：{have}。")
    for slot, seq in zip(slots, new_order, strict=True):
        if slot != seq and (nodes[seq].from_city or nodes[slot].from_city):
            city = nodes[seq] if nodes[seq].from_city else nodes[slot]
            raise InputRefused(f"第 {city.seq} 个节点“{city.title}”是市平台交办的，不能调整它的位置。",
                               hint="市平台按序号识别交办的节点；只能调整本单位自己添加的节点的顺序。")
    changed: list[Node] = []
    for slot, seq in zip(slots, new_order, strict=True):
        if slot == seq:
            continue
        node = nodes[seq]
        before = audit.snapshot("node", node)
        node.seq = slot
        touch(session, node)
        audit.record(session, actor, "node.reorder", "node", node.id, obj=node, before=before, task_id=task.id)
        changed.append(node)
    if changed:
        task.nodes.sort(key=lambda n: n.seq)
        touch(session, task)
        refresh(task)
    return changed
