"""交接: all open tasks move in one transaction, history kept, records carry change numbers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from teamkit import close_task, make_task

from core.errors import InputRefused, NotFound, PermissionDenied
from core.team.handover import hand_over, list_handovers
from db.models import AuditEntry, Handover, Person, Task

TODAY = date(2026, 4, 15)


def test_handover_of_fifty_tasks_in_one_transaction(team) -> None:  # noqa: ANN001
    with team.session() as s:
        ids = [make_task(s, owner="李四", title=f"问题{i}").id for i in range(50)]
        closed = make_task(s, owner="李四", title="早已销号")
        close_task(s, closed, "2026-03-01")
        make_task(s, owner="别人", title="与交接无关")
    with team.session() as s:
        result = hand_over(s, "张三", "李四", "王填", today=TODAY, note="李四调任县委办", mark_left=True)
    assert len(result.items) == 50
    with team.read() as s:
        owners = {t.id: t.owner.name for t in s.scalars(select(Task))}
        assert all(owners[i] == "王填" for i in ids)
        assert owners[closed.id] == "李四"  # a closed task stays with who closed it
        rows = s.scalars(select(Handover)).all()
        assert len(rows) == 50 and {r.note for r in rows} == {"李四调任县委办"}
        assert len({r.change_no for r in rows}) == 50 and min(r.change_no for r in rows) > 0
        # each handover record is newer than anything before it, so the next delta export carries it
        assert min(r.change_no for r in rows) > max(
            t.change_no for t in s.scalars(select(Task)) if t.id not in ids)
        assert {(r.from_person, r.to_person, r.date, r.by) for r in rows} == {("李四", "王填", "2026-04-15",
                                                                               "张三")}
        # history stays with the task: its creation and the handover are both in its audit trail
        actions = [a for (a,) in s.execute(select(AuditEntry.action).where(AuditEntry.task_id == ids[0])
                                           .order_by(AuditEntry.id))]
        assert actions[0] == "task.create" and "task.handover" in actions
        li = s.scalar(select(Person).where(Person.name == "李四"))
        assert li.active is False and li.left_on == "2026-04-15"
        assert len(list_handovers(s, person="王填")) == 50


def test_a_failing_handover_moves_nothing(team) -> None:  # noqa: ANN001
    with team.session() as s:
        for i in range(5):
            make_task(s, owner="李四", title=f"问题{i}")
    # the last admin cannot be marked as left: the whole action is refused, no task moved
    with pytest.raises(InputRefused, match="最后一位管理员"), team.session() as s:
        make_task(s, owner="张三", title="管理员自己的")
        hand_over(s, "张三", "张三", "王填", today=TODAY, mark_left=True)
    with team.read() as s:
        assert s.scalar(select(func.count()).select_from(Handover)) == 0
        assert s.scalar(select(func.count()).select_from(Task).where(Task.title == "管理员自己的")) == 0


@pytest.mark.parametrize(("frm", "to", "err", "words"), [
    ("李四", "李四", InputRefused, "同一个人"),
    ("没人", "王填", NotFound, "交出人"),
    ("李四", "新来的", NotFound, "--new-person"),
])
def test_handover_refusals(team, frm, to, err, words) -> None:  # noqa: ANN001
    with team.session() as s:
        make_task(s, owner="李四")
    with pytest.raises(err, match=words), team.session() as s:
        hand_over(s, "张三", frm, to, today=TODAY)


def test_only_an_admin_hands_over_and_a_new_colleague_can_be_registered(team) -> None:  # noqa: ANN001
    with team.session() as s:
        tid = make_task(s, owner="李四").id
    with pytest.raises(PermissionDenied), team.session() as s:
        hand_over(s, "王填", "李四", "李审", today=TODAY)
    with team.session() as s:
        hand_over(s, "张三", "李四", "新来的", today=TODAY, new_person=True)
    with team.read() as s:
        assert s.get(Task, tid).owner.name == "新来的"


def test_handover_list_pdf_names_every_task_for_signing(team, tmp_path) -> None:  # noqa: ANN001
    import pdfplumber

    from core.team.handover import handover_list_pdf

    with team.session() as s:
        for i in range(3):
            make_task(s, owner="李四", title=f"交接问题{i}")
        hand_over(s, "张三", "李四", "王填", today=TODAY, note="李四调任县委办")
    with team.read() as s:
        pdf = handover_list_pdf(s, tmp_path / "交接清单.pdf", from_person="李四", on="2026-04-15")
        with pytest.raises(NotFound), team.read() as s2:
            handover_list_pdf(s2, tmp_path / "x.pdf", from_person="李四", on="2026-01-01")
    with pdfplumber.open(pdf) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
    assert "整改任务交接清单" in text and "李四调任县委办" in text
    assert all(f"交接问题{i}" in text for i in range(3)) and "接收人" in text
