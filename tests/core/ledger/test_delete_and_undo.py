"""Deleting a task that weighs (city ref, notices, evidence) takes a confirmation and a reviewer; undo of
node done and evidence removal goes back through core, audited, and only before a report carried it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from core import audit
from core.errors import InputRefused, PermissionDenied
from core.evidence.attach import attach_file, remove_evidence, restore_evidence
from core.ledger.tasks import (
    NodeInput,
    TaskInput,
    complete_node,
    create_task,
    delete_guard,
    delete_task,
    get_task,
    undo_node_done,
)
from core.team.users import add_user, set_password
from db.models import AuditEntry, Evidence, Node, PackageLog, Task


def _task(s, city_ref: str | None = None) -> str:  # noqa: ANN001
    data = TaskInput(title="村务公开不及时", source="巡察", category="立行立改", owner="李四", deadline="2026-05-31",
                     nodes=[NodeInput("制定方案", "2026-04-30")])
    return create_task(s, "张三", data, city_ref=city_ref).id


def _clerk(ws) -> None:  # noqa: ANN001
    with ws.session() as s:
        set_password(s, "张三", "张三", "secret-1")
        add_user(s, "张三", "王五", "clerk", "secret-2")


def test_plain_task_is_deleted_without_confirmation(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        tid = _task(s)
        assert not delete_guard(s, tid).guarded
        delete_task(s, "张三", tid)
    with workspace.read() as s:
        assert s.get(Task, tid).deleted


def test_task_with_evidence_needs_confirmation(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    f = tmp_path / "照片.jpg"
    f.write_bytes(b"\xff\xd8\xff photo")
    with workspace.session() as s:
        tid = _task(s, city_ref="ZS-XC-2026-099")
        attach_file(s, workspace.evidence, "张三", tid, f)
        guard = delete_guard(s, tid)
        assert guard.guarded and guard.reasons() == ["有市平台编号 ZS-XC-2026-099", "有佐证材料 1 份"]
    with pytest.raises(InputRefused, match="删除前须再次确认"), workspace.session() as s:
        delete_task(s, "张三", tid)
    with workspace.read() as s:
        assert not s.get(Task, tid).deleted
    with workspace.session() as s:
        delete_task(s, "张三", tid, confirmed=True)
    with workspace.read() as s:
        assert s.get(Task, tid).deleted
        assert s.scalar(select(Evidence.deleted)) is not None


def test_clerk_may_not_delete_a_guarded_task(workspace) -> None:  # noqa: ANN001
    _clerk(workspace)
    with workspace.session() as s:
        tid = _task(s, city_ref="ZS-XC-2026-100")
        plain = _task(s)
    with pytest.raises(PermissionDenied, match="填报员"), workspace.session() as s:
        delete_task(s, "王五", tid, confirmed=True)
    with workspace.read() as s:
        assert not s.get(Task, tid).deleted
    with workspace.session() as s:  # a task of its own making, with nothing attached: the clerk may
        delete_task(s, "王五", plain)


def test_task_with_a_notice_is_guarded(workspace) -> None:  # noqa: ANN001
    from db.models import Notice

    with workspace.session() as s:
        tid = _task(s)
        s.add(Notice(id="DB-1", level="red", task_ref=tid, task_id=tid, title="督办", text="", issued="2026-04-01",
                     issuer="市督查室", respond_by="2026-04-30", attachments=[], state="open"))
    with workspace.read() as s:
        assert delete_guard(s, tid).notices == 1


def test_cli_delete_needs_yes(cli, workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        tid = _task(s, city_ref="ZS-XC-2026-101")
    workspace.close()
    code, _, err = cli("--user", "张三", "task", "delete", tid)
    assert code == 3 and "--yes" in err
    code, out, _ = cli("--user", "张三", "task", "delete", tid, "--yes")
    assert code == 0 and "已删除" in out


def test_undo_node_done_puts_it_back_and_is_audited(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        tid = _task(s)
        complete_node(s, "张三", tid, 1, done=date(2026, 4, 14), note="方案已印发")
    with workspace.session() as s:
        node = undo_node_done(s, "张三", tid, 1)
        assert (node.status, node.done, node.done_by, node.note) == ("pending", None, None, "")
        assert get_task(s, tid).status == "open"
    with workspace.read() as s:
        last = s.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        assert last.action == "node.undo_done" and last.user == "张三"
        assert audit.verify(s).ok
    with pytest.raises(InputRefused, match="还没有填报完成"), workspace.session() as s:
        undo_node_done(s, "张三", tid, 1)


def test_undo_is_refused_once_a_report_carried_it(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        tid = _task(s)
        node = complete_node(s, "张三", tid, 1, done=date(2026, 4, 14))
        s.add(PackageLog(package_id="p1", direction="out", package_type="report", unit_code="442000-017",
                         sequence=3, group_id="g", digest="d", previous_digest="none", key_id="k", created="x",
                         logged="x", status="sent", max_change_no=node.change_no))
    with pytest.raises(InputRefused, match="第 3 号报送包"), workspace.session() as s:
        undo_node_done(s, "张三", tid, 1)
    with workspace.read() as s:
        assert s.scalar(select(Node.status)) == "done"


def test_undo_of_someone_elses_node_needs_a_reviewer(workspace) -> None:  # noqa: ANN001
    _clerk(workspace)
    with workspace.session() as s:
        tid = _task(s)
        complete_node(s, "张三", tid, 1, done=date(2026, 4, 14))
    with pytest.raises(PermissionDenied), workspace.session() as s:
        undo_node_done(s, "王五", tid, 1)


def test_restore_evidence_undoes_a_removal(workspace, tmp_path: Path) -> None:  # noqa: ANN001
    f = tmp_path / "方案.pdf"
    f.write_bytes(b"%PDF-1.4 plan")
    with workspace.session() as s:
        tid = _task(s)
        ev_id = attach_file(s, workspace.evidence, "张三", tid, f).id
        remove_evidence(s, "张三", ev_id)
    with workspace.session() as s:
        restore_evidence(s, "张三", ev_id)
    with workspace.read() as s:
        assert s.get(Evidence, ev_id).deleted is None
        assert audit.verify(s).ok
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == ev_id)
                                 .order_by(AuditEntry.id)))
        assert actions == ["evidence.add", "evidence.delete", "evidence.restore"]
    with pytest.raises(InputRefused, match="没有被移除"), workspace.session() as s:
        restore_evidence(s, "张三", ev_id)


def test_cli_undo_and_restore(cli, workspace, tmp_path: Path) -> None:  # noqa: ANN001
    f = tmp_path / "方案.pdf"
    f.write_bytes(b"%PDF-1.4 plan")
    with workspace.session() as s:
        tid = _task(s)
        ev_id = attach_file(s, workspace.evidence, "张三", tid, f).id
        complete_node(s, "张三", tid, 1, done=date(2026, 4, 14))
    workspace.close()
    assert cli("--user", "张三", "node", "undo", tid, "1")[0] == 0
    assert cli("--user", "张三", "evidence", "remove", ev_id)[0] == 0
    code, out, _ = cli("--user", "张三", "evidence", "restore", ev_id)
    assert code == 0 and "已恢复" in out
