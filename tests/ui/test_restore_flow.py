"""Restore in the window: checked and swapped off the GUI thread, a key change shown and asked, a damaged
database at start offered its latest backup, a failed automatic backup told to the clerk."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from core.team import backup
from tests.reliability.hostile_kit import rebuild_backup


def _other_city_key(con: sqlite3.Connection) -> None:
    con.execute("UPDATE keys SET key_id = 'ffffffffffffffff' WHERE owner = 'city'")


def _task_count(ws: Any) -> int:
    from sqlalchemy import func, select

    from db.models import Task

    with ws.read() as s:
        return int(s.scalar(select(func.count()).select_from(Task).where(Task.deleted.is_(None))) or 0)


def test_a_backup_with_another_city_key_shows_both_ids_and_asks(window: Any, demo_ws: Any, qtbot: Any,
                                                                messages: list[str], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.restore_flow as flow
    from core.exchange.keys import trust_city
    from tests.conftest import FIXTURES

    demo_ws.set_user("陈晓红")
    with demo_ws.session() as s:
        trust_city(s, "陈晓红", FIXTURES / "keys" / "test-city.pub.json")
    good = backup.create_backup(demo_ws, tmp_path / "good.zip").path
    crafted = tmp_path / "other-key.zip"
    rebuild_backup(good, crafted, _other_city_key)
    with demo_ws.read() as s:
        from core.exchange.keys import city_keys

        city_now = city_keys(s)[-1].key_id
    page = window.settings_page
    answers = [True, False]  # yes to the restore, no to the new keys
    asked: list[str] = []

    def confirm(_parent: Any, _title: str, text: str) -> bool:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(flow, "confirm", confirm)
    before = _task_count(demo_ws)
    page.restore(crafted)
    with qtbot.waitSignal(page.restore_flow.done, timeout=60_000) as blocker:
        pass
    assert blocker.args == [False]
    assert "ffff-ffff-ffff-ffff" in asked[1] and city_now[:4] in asked[1]  # both key ids, to read out
    assert _task_count(demo_ws) == before
    assert not list(demo_ws.paths.tmp.glob(".rectidesk-restore-*"))  # the checked copy is dropped
    answers[:] = [True, True]
    page.restore(crafted)
    with qtbot.waitSignal(page.restore_flow.done, timeout=60_000) as blocker:
        pass
    assert blocker.args == [True]
    with demo_ws.read() as s:
        assert city_keys(s)[-1].key_id == "ffffffffffffffff"
    assert "已从备份恢复" in messages[-1]
    assert "备份" in page.backup_usage.text()


def test_a_damaged_database_at_start_offers_the_latest_backup(demo_ws: Any, qtbot: Any, tmp_path: Path,  # noqa: ARG001
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from core.errors import DatabaseDamaged
    from core.workspace import Workspace
    from tests.reliability.hostile_kit import damage_database as _damage
    from ui.restore_flow import restore_damaged

    kept = backup.auto_backup(demo_ws)
    assert kept is not None
    root = demo_ws.paths.root
    demo_ws.close()
    _damage(root / "rectidesk.sqlite3")
    with pytest.raises(DatabaseDamaged) as caught:
        Workspace.open(root)
    shown: list[str] = []

    def exec_(box: QMessageBox) -> int:
        shown.append(box.text() + " " + box.informativeText())
        restore_button = next(b for b in box.buttons() if b.text() == "恢复备份…")
        box.clickedButton = lambda: restore_button  # type: ignore[method-assign]
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    assert restore_damaged(caught.value, root, "陈晓红", ask_file=lambda start: start)  # the admin
    assert "已损坏" in shown[0] and kept.name in shown[0]
    with Workspace.open(root, user="李志强") as ws:
        assert _task_count(ws) == 60


def test_a_failed_automatic_backup_is_told_to_the_clerk(window: Any, qtbot: Any,
                                                        messages: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import core.team.backup as core_backup

    def full(*_a: Any, **_k: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(core_backup, "write_backup", full)
    duties = window.start_daily_duties()
    qtbot.waitUntil(lambda: duties.backup_job is not None, timeout=20_000)
    qtbot.waitUntil(lambda: any("自动备份" in m for m in messages), timeout=20_000)
    assert any("空间不足" in m for m in messages)
