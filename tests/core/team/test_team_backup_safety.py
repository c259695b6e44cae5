"""Restore takes nothing on trust and never leaves half a ledger; backups stay small.

A crafted backup (a trigger, a view, a changed key) is refused with nothing changed; a restore interrupted
after its journal was written is finished at the next start; a file held by another program does not stop
it; automatic backups share one evidence store; `#` and `?` in the data folder's path are just characters.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from teamkit import PASSWORDS, make_task
from test_team_backup import state

from core import faults
from core.errors import DatabaseDamaged, MachineError
from core.evidence.attach import attach_file
from core.team import backup
from core.workspace import Workspace
from tests.conftest import FIXTURES
from tests.reliability.hostile_kit import damage_database as _damage
from tests.reliability.hostile_kit import rebuild_backup as rebuild


def _with_evidence(ws: Workspace, tmp_path: Path, n: int = 3) -> None:
    with ws.session() as s:
        for i in range(n):
            t = make_task(s, title=f"问题{i}")
            f = tmp_path / f"照片{i}.jpg"
            f.write_bytes(os.urandom(2000) + bytes([i]))
            attach_file(s, ws.evidence, "张三", t.id, f)


@pytest.mark.parametrize("craft", [
    "CREATE TRIGGER t_evil AFTER INSERT ON notices BEGIN UPDATE tasks SET title = 'x'; DELETE FROM notices; END",
    "CREATE VIEW v_extra AS SELECT * FROM tasks",
    "CREATE INDEX ix_extra ON tasks (title)",
    "ALTER TABLE tasks ADD COLUMN extra TEXT",
    "CREATE TABLE spare (x)",
])
def test_a_backup_whose_schema_was_changed_is_refused_with_nothing_changed(team, tmp_path, craft) -> None:  # noqa: ANN001
    good = backup.create_backup(team, tmp_path / "good.zip").path
    bad = tmp_path / "crafted.zip"
    rebuild(good, bad, lambda con: con.execute(craft))
    root = team.paths.root
    team.close()
    before = state(root)
    with pytest.raises(backup.BackupRefused, match="结构不是整改通建立的") as caught:
        backup.restore(root, bad, actor="张三")
    assert "原有数据没有任何改动" in caught.value.hint
    assert state(root) == before
    backup.restore(root, good, actor="张三")  # the untouched one is fine


def _trust_city(ws: Workspace) -> None:
    from core.exchange.keys import trust_city

    with ws.session() as s:
        trust_city(s, "张三", FIXTURES / "keys" / "test-city.pub.json")


def _other_city_key(con: sqlite3.Connection) -> None:
    con.execute("UPDATE keys SET key_id = 'ffffffffffffffff', public_key = ? WHERE owner = 'city'",
                ("A" * 43 + "=",))


def test_a_backup_that_would_change_the_trusted_city_key_asks_first(team, tmp_path, cli, monkeypatch) -> None:  # noqa: ANN001
    _trust_city(team)
    good = backup.create_backup(team, tmp_path / "good.zip").path
    bad = tmp_path / "other-key.zip"
    rebuild(good, bad, _other_city_key)
    root = team.paths.root
    team.close()
    before = state(root)
    with pytest.raises(backup.KeysWouldChange) as caught:
        backup.restore(root, bad, actor="张三")
    text = caught.value.message
    assert "市平台公钥" in text and "恢复后 ffff-ffff-ffff-ffff" in text  # both key ids, for reading out
    assert caught.value.change.city_now and caught.value.change.city_now[0][:4] in text
    assert state(root) == before
    monkeypatch.setenv("RECTIDESK_PASSWORD", PASSWORDS["张三"])
    code, _out, err = cli("--user", "张三", "restore", str(bad), data=root)
    assert code == 3 and "--accept-new-keys" in err and state(root) == before
    code, _out, err = cli("--user", "张三", "restore", str(bad), "--accept-new-keys", data=root)
    assert code == 0, err
    con = sqlite3.connect(root / "rectidesk.sqlite3")
    assert con.execute("SELECT key_id FROM keys WHERE owner = 'city'").fetchall() == [("ffffffffffffffff",)]
    con.close()


def test_a_restore_interrupted_after_its_journal_is_finished_at_the_next_start(team, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    _with_evidence(team, tmp_path)
    info = backup.create_backup(team, tmp_path / "b.zip")
    root = team.paths.root
    team.close()
    expected = state(root)
    shutil.rmtree(root / "evidence")
    with Workspace.open(root, user="张三") as ws, ws.session() as s:
        make_task(s, title="备份之后新增的")
    real = faults.replace

    def dies_at_the_database(src: Path, dst: Path) -> None:
        if Path(dst).name == "rectidesk.sqlite3":
            raise KeyboardInterrupt  # the power went off just before the last step
        real(src, dst)

    monkeypatch.setattr(faults, "replace", dies_at_the_database)
    with pytest.raises(KeyboardInterrupt):
        backup.restore(root, info.path, actor="张三")
    monkeypatch.setattr(faults, "replace", real)
    assert (root / backup.JOURNAL).exists()
    with Workspace.open(root, user="张三"):  # the next start finishes the restore
        pass
    assert not (root / backup.JOURNAL).exists()
    assert state(root)[0] == expected[0] and state(root)[1] == expected[1]
    assert not list((root / "tmp").glob(".rectidesk-restore-*"))


def test_a_restore_interrupted_before_its_journal_leaves_the_old_data(team, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    _with_evidence(team, tmp_path)
    info = backup.create_backup(team, tmp_path / "b.zip")
    with team.session() as s:
        make_task(s, title="备份之后新增的")
    root = team.paths.root
    team.close()

    def dies(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(backup, "_write_journal", dies)
    before = state(root)
    with pytest.raises(KeyboardInterrupt):
        backup.restore(root, info.path, actor="张三")
    monkeypatch.undo()
    with Workspace.open(root, user="张三"):
        pass
    assert state(root)[0] == before[0]


def test_an_evidence_file_held_by_another_program_does_not_break_a_restore(team, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """Windows: a file open in a viewer cannot be renamed or deleted, nor can the folder holding it."""
    _with_evidence(team, tmp_path)
    info = backup.create_backup(team, tmp_path / "b.zip")
    with team.session() as s:
        make_task(s, title="备份之后新增的")
    root = team.paths.root
    team.close()
    held = next((root / "evidence").glob("??/*"))
    real_replace, real_rmtree = os.replace, shutil.rmtree

    def replace(src: object, dst: object) -> None:
        if Path(str(src)) in (held, held.parent, root / "evidence") or Path(str(dst)) == held:
            raise PermissionError(13, "The process cannot access the file because it is being used", str(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(faults.time, "sleep", lambda _s: None)
    result = backup.restore(root, info.path, actor="张三")
    monkeypatch.setattr(os, "replace", real_replace)
    assert real_rmtree is shutil.rmtree
    assert "备份之后新增的" not in repr(state(root)[0]["tasks"])
    with Workspace.open(root, user="张三") as ws:
        from core.verify import verify_workspace

        assert verify_workspace(ws).ok  # every file the restored ledger names is there
    assert result.previous is not None


def test_automatic_backups_share_one_evidence_store(team, tmp_path) -> None:  # noqa: ANN001
    _with_evidence(team, tmp_path, n=4)
    first = backup.auto_backup(team)
    with team.session() as s:
        make_task(s, title="又一条")
    second = backup.auto_backup(team)
    assert first and second
    store = team.paths.backups / backup.STORE_DIR
    assert len(list(store.glob("??/*"))) == 4  # each evidence file copied once, not once per backup
    for z in (first, second):
        with zipfile.ZipFile(z) as zf:
            assert not [n for n in zf.namelist() if n.startswith("evidence/")]
    count, size = backup.backups_usage(team.paths)
    assert count == 2 and size >= sum(p.stat().st_size for p in store.glob("??/*"))
    root = team.paths.root
    team.close()
    expected = state(root)
    backup.restore(root, first, actor="张三")  # from the backups folder: works alone
    assert state(root)[1] == expected[1]
    alone = tmp_path / "copied-alone" / first.name
    alone.parent.mkdir()
    shutil.copy(first, alone)
    with pytest.raises(backup.BackupRefused, match=backup.STORE_DIR) as caught:
        backup.restore(root, alone, actor="张三")
    assert "完整备份" in caught.value.hint


def test_pruning_removes_store_files_no_kept_backup_names(team, tmp_path) -> None:  # noqa: ANN001
    from core.team.users import set_setting

    _with_evidence(team, tmp_path, n=1)
    with team.session() as s:
        set_setting(s, "张三", "backups_kept", 1)
    backup.auto_backup(team)
    store = team.paths.backups / backup.STORE_DIR
    orphan = store / "ab" / ("ab" + "1" * 62)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"from a pruned backup")
    with team.session() as s:
        make_task(s, title="变化")
    backup.auto_backup(team)
    assert not orphan.exists() and len(list(store.glob("??/*"))) == 1


@pytest.mark.parametrize("odd", ["台账#1", "a?b", "100%资料", "x&y=1"])
def test_a_data_folder_named_with_hash_or_question_mark_backs_up_and_restores(tmp_path, odd) -> None:  # noqa: ANN001
    from core.unit import init_unit

    root = tmp_path / odd / "data"
    with Workspace.open(root, user="张三") as ws:
        with ws.session() as s:
            init_unit(s, "442000-017", "某镇", "township", admin="张三")
        _with_evidence(ws, tmp_path, n=1)
        made = backup.auto_backup(ws)
        manual = backup.create_backup(ws, tmp_path / "out.zip")
    assert made is not None and manual.unit_code == "442000-017"
    expected = state(root)
    backup.restore(root, made, actor="张三")
    assert state(root)[0] == expected[0]


def test_a_backup_too_big_for_a_fat32_stick_says_so(team, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(backup, "_is_fat", lambda _folder: True)
    monkeypatch.setattr(backup, "FAT32_LIMIT", 10)
    stick = tmp_path / "U盘"
    stick.mkdir()
    with pytest.raises(MachineError, match="FAT32") as caught:
        backup.create_backup(team, stick)
    assert "exFAT" in caught.value.hint
    assert list(stick.iterdir()) == []


def test_a_damaged_database_is_said_at_start_and_not_backed_up(team, tmp_path, cli) -> None:  # noqa: ANN001
    with team.session() as s:
        for i in range(200):
            make_task(s, title=f"问题{i}" * 20)
    kept = backup.auto_backup(team)
    root = team.paths.root
    team.close()
    _damage(root / "rectidesk.sqlite3")
    with pytest.raises(DatabaseDamaged) as caught:
        Workspace.open(root, user="张三")
    assert "已损坏" in caught.value.message and str(kept) in caught.value.hint
    code, _out, err = cli("ledger", data=root)
    assert code == 1 and "已损坏" in err and "restore" in err and "程序出错" not in err
    # a backup of it is refused: it would copy the damage over the good ones
    from core.paths import DataPaths

    with pytest.raises(DatabaseDamaged):
        backup.write_backup(DataPaths.resolve(root), tmp_path / "copy.zip")
    # and restoring the good backup is the way out
    backup.restore(root, kept, actor="张三")
    with Workspace.open(root, user="张三"):
        pass


def test_a_database_held_past_the_retries_is_finished_at_the_next_start(team, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    info = backup.create_backup(team, tmp_path / "b.zip")
    with team.session() as s:
        make_task(s, title="备份之后新增的")
    root = team.paths.root
    team.close()
    real = os.replace

    def held(src: object, dst: object) -> None:
        if Path(str(dst)).name == "rectidesk.sqlite3":
            raise PermissionError(13, "being used by another process", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", held)
    monkeypatch.setattr(faults.time, "sleep", lambda _s: None)
    with pytest.raises(MachineError, match="恢复进行到一半") as caught:
        backup.restore(root, info.path, actor="张三")
    assert "自动完成" in caught.value.hint
    monkeypatch.undo()
    with Workspace.open(root, user="张三"):
        pass
    assert "备份之后新增的" not in repr(state(root)[0]["tasks"])
