"""A background attach during an edit in the window: the edit waits (busy cursor, 正在保存…), both succeed."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.ledger.tasks import get_task
from db.models import Evidence
from tests.ui.test_task_editor import _editor, _new_task
from ui.dialogs import task_editor


def test_an_edit_during_a_background_attach_waits_and_both_are_saved(
        ctx: Any, qtbot: Any, demo_ws: Any, tmp_path: Path, messages: list[str],
        monkeypatch: Any) -> None:
    task_id = _new_task(demo_ws)
    scan = tmp_path / "整改照片.pdf"
    scan.write_bytes(b"%PDF-1.4 scan " * 1000)
    holding, release = threading.Event(), threading.Event()
    real_attach = task_editor.attach_file

    def slow_attach(s: Any, *args: Any, **kwargs: Any) -> Any:
        ev = real_attach(s, *args, **kwargs)
        s.flush()  # the attach holds SQLite's write lock from here until it commits
        holding.set()
        release.wait(20)  # a large file still being copied
        return ev

    monkeypatch.setattr(task_editor, "attach_file", slow_attach)
    busy: list[bool] = []
    ctx.busy.connect(lambda waiting: (busy.append(waiting), release.set()))
    ed = _editor(ctx, qtbot, task_id)
    ed.attach_files([scan])
    assert holding.wait(20)
    ed.title_edit.setText("公车登记不规范（已补登）")
    assert ed.save()  # waited for the attach instead of failing with "database is locked"
    qtbot.waitUntil(lambda: ed.attach_job.finished_ok, timeout=20_000)  # (it may end while the edit waits)
    assert busy[:1] == [True] and busy[-1] is False
    assert messages == []  # no error box of any kind
    with demo_ws.read() as s:
        assert get_task(s, task_id).title == "公车登记不规范（已补登）"
        assert s.scalar(select(Evidence.filename).where(Evidence.task_id == task_id)) == "整改照片.pdf"
