"""Task and node operations: validation, tombstones, two-person check, status derivation, audit."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import InputRefused, NotFound, PermissionDenied
from core.ledger.tasks import (
    NodeInput,
    TaskInput,
    complete_node,
    confirm_node,
    create_task,
    delete_task,
    edit_task,
    submit_task,
)
from db.models import AuditEntry, Node, Person, Task


def _task(s, **kw):  # noqa: ANN001, ANN202
    data = TaskInput(title="村务公开不及时", source="巡察", category="立行立改", owner="李四", deadline="2026-05-31",
                     section="党政办", nodes=[NodeInput("制定方案", "2026-04-30"), NodeInput("完成整改", "2026-05-31")])
    for k, v in kw.items():
        setattr(data, k, v)
    return create_task(s, "张三", data)


def test_create_maps_chinese_terms_and_derives_fields(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        t = _task(s)
        assert (t.source, t.category, t.status) == ("inspection", "immediate", "open")
        assert t.next_due == "2026-04-30"
        assert t.owner.name == "李四" and t.section.name == "党政办"
        assert [n.seq for n in t.nodes] == [1, 2]


@pytest.mark.parametrize(("field", "value", "words"), [
    ("deadline", "2026-02-30", "2026年2月只有28天"),
    ("deadline", "5/1/2026", "格式不对"),
    ("source", "马上改", "无法识别"),
    ("title", "  ", "不能为空"),
])
def test_bad_input_is_refused_and_nothing_changes(workspace, field, value, words) -> None:  # noqa: ANN001
    with pytest.raises(InputRefused, match=words), workspace.session() as s:
        _task(s, **{field: value})
    with workspace.read() as s:
        assert s.query(Task).count() == 0


def test_two_person_check(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        tid = _task(s).id
    with workspace.session() as s:
        complete_node(s, "李四", tid, 1, done=date(2026, 4, 10))
        assert s.get(Task, tid).status == "in_progress"
    with pytest.raises(InputRefused, match="本人"), workspace.session() as s:
        confirm_node(s, "李四", tid, 1)
    with workspace.session() as s:
        confirm_node(s, "王五", tid, 1)
        complete_node(s, "李四", tid, 2, done=date(2026, 4, 12))
        confirm_node(s, "王五", tid, 2)
        task = s.get(Task, tid)
        assert task.status == "submitted" and task.next_due is None


def test_confirm_needs_reviewer_role_once_users_exist(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        tid = _task(s).id
        s.add(Person(name="赵六", role="clerk", active=True))
        complete_node(s, "李四", tid, 1, done=date(2026, 4, 10))
    with pytest.raises(PermissionDenied), workspace.session() as s:
        confirm_node(s, "赵六", tid, 1)
    with workspace.session() as s:
        confirm_node(s, "张三", tid, 1)  # 张三 is the admin made at init


def test_submit_refused_while_nodes_pending(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        tid = _task(s).id
    with pytest.raises(InputRefused, match="未完成"), workspace.session() as s:
        submit_task(s, "张三", tid)


def test_done_date_in_future_refused(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        tid = _task(s).id
    with pytest.raises(InputRefused, match="晚于今天"), workspace.session() as s:
        complete_node(s, "李四", tid, 1, done=date(2026, 4, 20), today=date(2026, 4, 15))


def test_delete_leaves_tombstones_and_unknown_id_is_clear(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        tid = _task(s).id
    with workspace.session() as s:
        delete_task(s, "张三", tid)
    with workspace.read() as s:
        t = s.get(Task, tid)
        assert t.deleted and all(n.deleted for n in s.query(Node).filter_by(task_id=tid))
    with pytest.raises(NotFound), workspace.session() as s:
        edit_task(s, "张三", tid, TaskInput(title="x"))


def test_every_change_is_audited_with_user_and_before_after(workspace) -> None:  # noqa: ANN001
    with workspace.session() as s:
        tid = _task(s).id
    with workspace.session() as s:
        edit_task(s, "王五", tid, TaskInput(deadline="2026-06-30"))
    with workspace.read() as s:
        last = s.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
        assert last.user == "王五" and last.action == "task.edit"
        assert "2026-05-31" in last.summary and "2026-06-30" in last.summary


def test_control_characters_typed_or_pasted_are_removed(workspace) -> None:  # noqa: ANN001
    from core.ledger.tasks import NodeInput, TaskInput, add_node, create_task

    with workspace.session() as s:
        t = create_task(s, "张三", TaskInput(title="公车\x0b登记\x00不规范\x07", source="inspection",
                                             category="immediate", owner="王\x1b五", deadline="2026-12-31",
                                             nodes=[NodeInput("制定\x01方案", "2026-11-30")]))
        node = add_node(s, "张三", t.id, "整改\x0c落实", "2026-12-15")
        assert (t.title, t.owner.name, t.nodes[0].title, node.title) == ("公车\n登记不规范", "王五", "制定方案",
                                                                         "整改\n落实")


@pytest.mark.parametrize("typed", ["2026-12-01", "2026年12月1日", "2026.12.1", "2026/12/01", "20261201",
                                   "２０２６－１２－０１", " 2026-12-1 "])
def test_dates_are_taken_as_people_type_them(workspace, typed: str) -> None:  # noqa: ANN001
    from core.ledger.tasks import TaskInput, create_task

    with workspace.session() as s:
        t = create_task(s, "张三", TaskInput(title="公车登记不规范", source="inspection", category="immediate",
                                             owner="王五", deadline=typed))
        assert t.deadline == "2026-12-01"


@pytest.mark.parametrize("typo", ["1900-01-01", "0206-12-01", "2206-12-01"])
def test_a_mistyped_year_is_refused(workspace, typo: str) -> None:  # noqa: ANN001
    """“逾期 46347 天” helps nobody: a year outside 2000–2099 is a typo, said so, and nothing is saved."""
    from core.errors import InputRefused
    from core.ledger.tasks import TaskInput, create_task

    with pytest.raises(InputRefused, match="年份不对"), workspace.session() as s:
        create_task(s, "张三", TaskInput(title="公车登记不规范", source="inspection", category="immediate",
                                        owner="王五", deadline=typo))
