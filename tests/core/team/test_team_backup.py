"""Backup and restore: an exact round trip, and a damaged or foreign backup refused with nothing changed."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest
from teamkit import PASSWORDS, close_task, make_task

from core.errors import DataFolderError, PermissionDenied
from core.evidence.attach import attach_file
from core.team import backup
from core.team.handover import hand_over
from core.workspace import Workspace


def logical_dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, order-independent: what a user's ledger *is*."""
    conn = sqlite3.connect(db)
    try:
        q = "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
        tables = [r[0] for r in conn.execute(q)]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


def evidence_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def state(data_dir: Path) -> tuple:
    return (logical_dump(data_dir / "rectidesk.sqlite3"), evidence_hashes(data_dir / "evidence"),
            evidence_hashes(data_dir / "keys") if (data_dir / "keys").exists() else None,
            evidence_hashes(data_dir / "incoming"))


@pytest.fixture
def filled(team, tmp_path):  # noqa: ANN001, ANN201
    """A ledger with tasks, evidence, a handover, a closed task and a key file."""
    with team.session() as s:
        for i in range(6):
            t = make_task(s, owner="李四", title=f"问题{i}")
            f = tmp_path / f"佐证{i}.jpg"
            f.write_bytes(f"photo {i}".encode() * 1000)
            attach_file(s, team.evidence, "王填", t.id, f)
        close_task(s, make_task(s, owner="王填", title="已销号"), "2026-03-01")
        hand_over(s, "张三", "李四", "王填", today=date(2026, 4, 15), note="调岗")
    keys = team.paths.root / "keys"
    keys.mkdir()
    (keys / "unit-key.pem").write_text("-----BEGIN ENCRYPTED PRIVATE KEY-----\nxx\n", encoding="utf-8")
    (team.paths.incoming / "group_01_part.zgb").write_bytes(b"PK waiting part")
    return team


def test_backup_wipe_restore_gives_back_exactly_the_same_ledger(filled, tmp_path) -> None:  # noqa: ANN001
    ws = filled
    info = backup.create_backup(ws, tmp_path / "out" / "backup.zip")
    assert info.files == 1 + 6 + 1 + 1 and info.unit_code == "442000-017"
    root = ws.paths.root
    ws.close()
    before = state(root)
    shutil.rmtree(root)  # the PC died
    result = backup.restore(root, info.path, actor="")
    assert result.previous is None
    assert state(root) == before
    with Workspace.open(root, user="张三") as again:
        from core.verify import verify_workspace

        assert verify_workspace(again).ok  # audit chain and every evidence file intact
    # and into a brand-new folder elsewhere
    other = tmp_path / "new" / "place"
    backup.restore(other, info.path, actor="")
    assert state(other) == before


def test_restore_over_an_existing_ledger_keeps_its_content_as_a_backup(filled,
                                                                       tmp_path) -> None:  # noqa: ANN001
    ws = filled
    info = backup.create_backup(ws, tmp_path / "b.zip")
    root = ws.paths.root
    with ws.session() as s:
        make_task(s, title="备份之后新增的")
    ws.close()
    changed = state(root)
    result = backup.restore(root, info.path, actor="张三")
    assert result.previous is not None and result.previous.parent == root / "backups"
    restored = state(root)
    assert "备份之后新增的" not in repr(restored[0]["tasks"])
    # the kept copy is itself a valid backup that brings the replaced content back
    backup.restore(root, result.previous, actor="张三")
    assert state(root) == changed


def _corrupt(src: Path, dst: Path) -> None:
    data = bytearray(src.read_bytes())
    at = data.find(b"photo 3")
    data[at:at + 7] = b"PHOTO 3"  # inside a stored (uncompressed) evidence entry
    dst.write_bytes(bytes(data))


def _tamper(src: Path, dst: Path) -> None:
    """Same manifest, one evidence file swapped (CRCs valid): only the hashes can tell."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        victim = next(n for n in zin.namelist() if n.startswith("evidence/"))
        for item in zin.infolist():
            zout.writestr(item, b"not the photo" if item.filename == victim else zin.read(item.filename))


def _foreign(src: Path, dst: Path) -> None:  # noqa: ARG001
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("readme.txt", "some other program's archive")


def _not_a_zip(src: Path, dst: Path) -> None:  # noqa: ARG001
    dst.write_bytes(b"MZ\x90\x00 this is not a backup")


def _truncated(src: Path, dst: Path) -> None:
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(("spoil", "words"), [
    (_corrupt, "损坏"),
    (_tamper, "不符"),
    (_foreign, "不是整改通的备份文件"),
    (_not_a_zip, "损坏"),
    (_truncated, "损坏"),
])
def test_a_damaged_or_foreign_backup_is_refused_with_nothing_changed(filled, tmp_path, cli, monkeypatch,  # noqa: ANN001
                                                                      spoil, words) -> None:
    monkeypatch.setenv("RECTIDESK_PASSWORD", PASSWORDS["张三"])
    ws = filled
    good = backup.create_backup(ws, tmp_path / "good.zip").path
    with ws.session() as s:
        make_task(s, title="之后又加的")
    root = ws.paths.root
    ws.close()
    before = state(root)
    backups_before = sorted(p.name for p in (root / "backups").iterdir())
    bad = tmp_path / "bad.zip"
    spoil(good, bad)
    code, _out, err = cli("--user", "张三", "restore", str(bad), data=root)
    assert code == 3, err
    assert words in err and "原有数据没有任何改动" in err
    assert state(root) == before
    assert sorted(p.name for p in (root / "backups").iterdir()) == backups_before
    assert not any(p.name.startswith(".rectidesk-restore") for p in (root / "tmp").iterdir())


def test_another_units_backup_is_refused_over_this_ledger(filled, tmp_path) -> None:  # noqa: ANN001
    from core.unit import init_unit

    other_dir = tmp_path / "other-unit"
    with Workspace.open(other_dir, user="某人") as other:
        with other.session() as s:
            init_unit(s, "442000-099", "另一个镇", "township", admin="某人")
        foreign = backup.create_backup(other, tmp_path / "other.zip").path
    root = filled.paths.root
    filled.close()
    before = state(root)
    with pytest.raises(backup.BackupRefused, match="另一个单位"):
        backup.restore(root, foreign, actor="张三")
    assert state(root) == before


def test_restore_refuses_an_open_folder_and_a_non_admin(filled, tmp_path) -> None:  # noqa: ANN001
    ws = filled
    good = backup.create_backup(ws, tmp_path / "good.zip").path
    with pytest.raises(DataFolderError, match="正被另一个"):
        backup.restore(ws.paths.root, good, actor="张三")  # the workspace still holds the lock
    root = ws.paths.root
    ws.close()
    before = state(root)
    with pytest.raises(PermissionDenied):
        backup.restore(root, good, actor="王填")
    assert state(root) == before
    assert list((root / "backups").glob("before-restore-*")) == []


def test_restore_in_the_window_reopens_the_workspace(filled, tmp_path) -> None:  # noqa: ANN001
    ws = filled
    good = backup.create_backup(ws, tmp_path / "good.zip").path
    with ws.session() as s:
        make_task(s, title="将被撤回的")
    backup.restore_open_workspace(ws, good, actor="张三")
    with ws.read() as s:
        from db.models import Task

        assert s.query(Task).filter_by(title="将被撤回的").count() == 0


def test_auto_backup_skips_when_unchanged_and_keeps_the_last_n(filled) -> None:  # noqa: ANN001
    from core.team.users import set_setting

    ws = filled
    with ws.session() as s:
        set_setting(s, "张三", "backups_kept", 2)
    first = backup.auto_backup(ws)
    assert first is not None and backup.auto_backup(ws) is None  # nothing changed since
    made = [first]
    for i in range(3):
        with ws.session() as s:
            make_task(s, title=f"新问题{i}")
        made.append(backup.auto_backup(ws))
    kept = backup.auto_backups(ws.paths.backups)
    assert kept == made[-2:]
    assert backup.verify_backup(kept[-1]).unit_code == "442000-017"


def test_backup_and_restore_on_the_command_line(filled, tmp_path, cli, monkeypatch) -> None:  # noqa: ANN001
    root = filled.paths.root
    filled.close()
    monkeypatch.setenv("RECTIDESK_PASSWORD", PASSWORDS["张三"])
    out = tmp_path / "u盘" / "整改通备份.zip"
    out.parent.mkdir()
    code, text, err = cli("--user", "张三", "backup", str(out), data=root)
    assert code == 0, err and "已备份到" in text
    before = state(root)
    shutil.rmtree(root)
    code, text, err = cli("restore", str(out), data=root)
    assert code == 0, err
    assert "已从备份恢复" in text and state(root) == before
    code, text, _ = cli("backup", "--verify", str(out), data=root)
    assert code == 0 and "备份完好" in text
    monkeypatch.setenv("RECTIDESK_PASSWORD", "wrong")
    code, _, err = cli("--user", "张三", "restore", str(out), data=root)
    assert code == 3 and "密码不对" in err


def test_restore_rescues_a_folder_whose_database_is_ruined(filled, tmp_path) -> None:  # noqa: ANN001
    ws = filled
    good = backup.create_backup(ws, tmp_path / "good.zip").path
    root = ws.paths.root
    ws.close()
    expected = state(root)
    db = root / "rectidesk.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.write_bytes(b"garbage " * 1000)  # disk trouble
    result = backup.restore(root, good, actor="")
    assert state(root) == expected
    kept = result.previous
    assert kept is not None and (kept / "rectidesk.sqlite3").read_bytes().startswith(b"garbage")


def test_a_damaged_evidence_file_is_backed_up_as_it_is_with_a_warning(filled, tmp_path) -> None:  # noqa: ANN001
    ws = filled
    victim = next(p for p in ws.paths.evidence.glob("??/*"))
    victim.write_bytes(b"bit rot")
    info = backup.create_backup(ws, tmp_path / "b.zip")
    assert len(info.warnings) == 1 and victim.name in info.warnings[0]
    root = ws.paths.root
    ws.close()
    before = state(root)
    shutil.rmtree(root)
    backup.restore(root, info.path, actor="")
    assert state(root) == before  # the rest of the ledger is not held hostage by one bad file
