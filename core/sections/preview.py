"""What a section package would do, before it is applied: verified as the import verifies it, nothing changed.

`preview_report` is the unit's view of a 科室报送包 (which tasks, which nodes done by whom, which evidence files,
the warnings); `preview_tasks` the section desk's view of a 科室任务包. Both use the import's own checks
(`core.sections.report.check_report`, `core.sections.desk.check_tasks`), so a preview that passes is a package
the import takes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.workspace import Workspace
from db.models import Node, Task


@dataclass
class NodeLine:
    seq: int
    title: str
    done: str | None
    done_by: str | None
    note: str
    new: bool  # False: already done (or confirmed) here, the unit's state stands


@dataclass
class FileLine:
    filename: str
    size: int
    added_by: str
    node_seq: int | None
    new: bool  # False: already attached here


@dataclass
class TaskLines:
    task_id: str
    title: str
    nodes: list[NodeLine] = field(default_factory=list)
    files: list[FileLine] = field(default_factory=list)


@dataclass
class ReportPreview:
    """A section report at the unit, as it would be applied (`core.sections.report.import_report`)."""

    kind = "section-report"
    sequence: int
    section: str
    section_code: str
    already: bool
    warnings: list[str]
    tasks: list[TaskLines] = field(default_factory=list)

    @property
    def new_nodes(self) -> int:
        return sum(1 for t in self.tasks for n in t.nodes if n.new)

    @property
    def new_files(self) -> int:
        return sum(1 for t in self.tasks for f in t.files if f.new)

    def headline(self) -> str:
        if self.already:
            return f"{self.section}的第 {self.sequence} 号科室报送包已经导入过，没有变化。"
        return (f"{self.section}的第 {self.sequence} 号科室报送包：涉及任务 {len(self.tasks)} 条，"
                f"节点完成 {self.new_nodes} 个（导入后待本单位双人核查），佐证材料 {self.new_files} 份。")


def preview_report(ws: Workspace, path: Path) -> ReportPreview:
    """Verify a section report fully (as `import_report` does) and say what it would change; nothing changes."""
    from core.sections.report import check_report

    with ws.read() as s:
        checked = check_report(ws, s, Path(path))
        section = checked.section
        out = ReportPreview(checked.pkg.sequence, section.name, section.code or "", checked.already,
                            list(checked.warnings))
        by_task: dict[str, TaskLines] = {}

        def lines_of(task_id: str) -> TaskLines:
            if task_id not in by_task:
                task = s.get(Task, task_id)
                by_task[task_id] = TaskLines(task_id, task.title if task is not None else task_id)
            return by_task[task_id]

        from db.models import Evidence

        for kind, r, node in checked.plan:
            if kind == "node":
                lines_of(node.task_id).nodes.append(NodeLine(
                    node.seq, node.title, r.get("done"), r.get("done_by"), r.get("note") or "",
                    new=node.status == "pending" and r["status"] == "done"))
            elif kind == "evidence":
                at = s.get(Node, r["node_id"]) if r.get("node_id") else None
                lines_of(r["task_id"]).files.append(FileLine(
                    r["filename"], int(r.get("size") or 0), r.get("added_by") or "", at.seq if at else None,
                    new=s.get(Evidence, r["id"]) is None))
        out.tasks = sorted(by_task.values(), key=lambda t: not (any(n.new for n in t.nodes)
                                                                  or any(f.new for f in t.files)))
        for t in out.tasks:  # what the import changes first, then what the unit already has
            t.nodes.sort(key=lambda n: (not n.new, n.seq))
    return out


@dataclass
class TasksPreview:
    """A 科室任务包 at the section desk, as it would be applied (`core.sections.desk.import_tasks`)."""

    kind = "section-tasks"
    sequence: int
    already: bool
    warnings: list[str]
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    nodes: int = 0

    def headline(self) -> str:
        if self.already:
            return f"第 {self.sequence} 号科室任务包已经导入过，没有变化。"
        return (f"第 {self.sequence} 号科室任务包：新任务 {len(self.created)} 条，更新 {len(self.changed)} 条，"
                f"节点 {self.nodes} 个。")


def preview_tasks(ws: Workspace, path: Path) -> TasksPreview:
    """Verify a 科室任务包 fully (as `import_tasks` does) and say which tasks it brings; nothing changes."""
    from core.sections.desk import check_tasks

    with ws.read() as s:
        _me, pkg, already, warnings = check_tasks(s, Path(path))
        out = TasksPreview(pkg.sequence, already, list(warnings))
        if already:
            return out
        for _line, r in pkg.records:
            if r["type"] == "task":
                (out.changed if s.get(Task, r["id"]) is not None else out.created).append(r["title"])
            elif r["type"] == "node":
                out.nodes += 1
    return out
