"""One writer: a second unit of work waits its turn behind the first instead of failing with "database is locked"."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import func, select

from core.ledger.tasks import TaskInput, create_task
from db.models import Task


def _task(title: str) -> TaskInput:
    return TaskInput(title=title, source="inspection", category="immediate", owner="张三", deadline="2026-12-31")


def test_a_write_waits_for_a_background_write_and_both_succeed(workspace: Any) -> None:
    ws = workspace
    holding, waited = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def background() -> None:
        try:
            with ws.session() as s:
                create_task(s, "张三", _task("后台写入"))
                s.flush()  # SQLite's write lock is now held by this transaction
                holding.set()
                waited.wait(20)  # until the main thread is waiting (its hook was called)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    states: list[bool | None] = []

    def hook(state: bool | None) -> None:
        states.append(state)
        waited.set()

    ws.writer.on_wait = hook
    t = threading.Thread(target=background)
    t.start()
    assert holding.wait(20)
    with ws.session() as s:  # on the main thread: waits (the hook says busy), then writes
        create_task(s, "张三", _task("窗口中的修改"))
    t.join(20)
    assert not errors
    assert states[0] is True and states[-1] is False  # busy shown, then cleared
    with ws.read() as s:
        titles = set(s.scalars(select(Task.title)))
    assert {"后台写入", "窗口中的修改"} <= titles


def test_reads_do_not_wait_for_the_writer(workspace: Any) -> None:
    ws = workspace
    holding, done = threading.Event(), threading.Event()

    def background() -> None:
        with ws.session() as s:
            create_task(s, "张三", _task("未提交"))
            s.flush()
            holding.set()
            done.wait(20)

    t = threading.Thread(target=background)
    t.start()
    assert holding.wait(20)
    try:
        with ws.read() as s:  # WAL: the reader sees the last committed state at once
            assert s.scalar(select(func.count()).select_from(Task).where(Task.title == "未提交")) == 0
        assert ws.writer.waits == 0
    finally:
        done.set()
        t.join(20)


def test_a_unit_of_work_may_open_another_on_the_same_thread(workspace: Any) -> None:
    with workspace.session() as outer:
        create_task(outer, "张三", _task("外层"))
        with workspace.session() as inner:  # re-entrant: no self-deadlock
            inner.execute(select(1))
