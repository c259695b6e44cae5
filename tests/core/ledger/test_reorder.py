"""调整节点顺序: local nodes are renumbered in the wanted order; city-assigned nodes keep their numbers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.errors import InputRefused
from core.ledger.tasks import NodeInput, TaskInput, create_task, get_task, live_nodes, reorder_nodes
from db.models import AuditEntry


def _task(s, titles=("制定方案", "组织整改", "完成验收"), city=()):  # noqa: ANN001, ANN202
    nodes = [NodeInput(t, f"2026-05-{10 + i:02d}") for i, t in enumerate(titles)]
    t = create_task(s, "张三", TaskInput(title="村务公开不及时", source="巡察", category="分阶段整改", owner="李四",
                                       deadline="2026-06-30", nodes=nodes))
    for n in t.nodes:
        n.from_city = n.seq in city
    return t


def test_nodes_take_the_new_order_and_travel_in_the_next_report(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        t = _task(s)
        task_id = t.id
        before = {n.title: n.change_no for n in t.nodes}
    with workspace.session() as s:
        changed = reorder_nodes(s, "张三", task_id, [3, 1, 2])
        assert len(changed) == 3
    with workspace.read() as s:
        t = get_task(s, task_id)
        assert [(n.seq, n.title) for n in live_nodes(t)] == [(1, "完成验收"), (2, "制定方案"), (3, "组织整改")]
        assert all(n.change_no > before[n.title] for n in t.nodes)
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "node.reorder").limit(1)) is not None


def test_unchanged_order_changes_nothing(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        t = _task(s)
        assert reorder_nodes(s, "张三", t.id, [1, 2, 3]) == []


@pytest.mark.parametrize("order", [[1, 2], [1, 2, 2], [1, 2, 3, 4]])
def test_order_must_name_each_node_once(workspace, order) -> None:  # noqa: ANN001
    with workspace.session() as s:
        t = _task(s)
        with pytest.raises(InputRefused, match="恰好列出现有的每个节点一次"):
            reorder_nodes(s, "张三", t.id, order)


def test_city_assigned_node_keeps_its_number(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        t = _task(s, city=(1,))
        task_id = t.id
    with workspace.session() as s:
        with pytest.raises(InputRefused, match="市平台交办的") as exc:
            reorder_nodes(s, "张三", task_id, [2, 1, 3])
        assert "本单位自己添加" in exc.value.hint
    with workspace.session() as s:  # the local nodes around it may still swap
        reorder_nodes(s, "张三", task_id, [1, 3, 2])
    with workspace.read() as s:
        assert [n.title for n in live_nodes(get_task(s, task_id))] == ["制定方案", "完成验收", "组织整改"]
