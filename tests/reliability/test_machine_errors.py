"""Errors of the machine are messages (issue 14): a full disk, a file held by another program, a read-only
folder, a failing disk — during attach, import, backup and a plain `task add` — each says what is full or
held and what to do, in Chinese, exit 1, never "程序出错", never SQL, and the ledger is as it was."""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from core import faults
from tests.conftest import FIXTURES
from tests.reliability.test_disk import MB, PASS, needs_mount, state, unit  # noqa: F401 - fixtures

PACKAGES = FIXTURES / "packages"


def _fail_fsync(monkeypatch: pytest.MonkeyPatch, err: int) -> None:
    def fsync(_fd: int) -> None:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(os, "fsync", fsync)


def _task_id(cli: Any) -> str:
    code, out, _ = cli("ledger", "--json")
    import json

    return json.loads(out)["tasks"][0]["id"]


def assert_message(code: int, err: str, *words: str) -> None:
    assert code == 1, err
    for w in words:
        assert w in err, err
    for never in ("程序出错", "Traceback", "INSERT", "UPDATE ", "Errno", "损坏"):
        assert never not in err, err


def test_attach_on_a_full_disk_says_how_much_room_and_changes_nothing(cli, unit: Path, tmp_path: Path,  # noqa: ANN001, F811
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(os.urandom(3 * MB))
    task = _task_id(cli)
    before = state(unit)
    _fail_fsync(monkeypatch, errno.ENOSPC)
    code, _out, err = cli("evidence", "add", task, str(scan))
    assert_message(code, err, "空间不足", "至少 23.0 MB", "台账数据没有改动")
    monkeypatch.undo()
    assert state(unit) == before
    assert not list((unit / "tmp").glob("*.part"))


def test_attach_to_a_file_held_by_antivirus_retries_then_says_so(cli, unit: Path, tmp_path: Path,  # noqa: ANN001, F811
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    scan = tmp_path / "照片.jpg"
    scan.write_bytes(os.urandom(2000))
    task = _task_id(cli)
    before = state(unit)
    tries: list[float] = []
    real = os.replace

    def held(src: Any, dst: Any) -> None:
        if "evidence" in str(dst):
            raise PermissionError(errno.EACCES, "Access is denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", held)
    monkeypatch.setattr(faults.time, "sleep", tries.append)
    code, _out, err = cli("evidence", "add", task, str(scan))
    assert_message(code, err, "正被其他程序占用", "杀毒软件")
    assert len(tries) == 4 and sum(tries) < 2.0  # five tries, a short back-off
    monkeypatch.undo()
    assert state(unit) == before
    # held only for a moment: the second try goes through
    calls: list[int] = []

    def held_once(src: Any, dst: Any) -> None:
        if "evidence" in str(dst) and not calls:
            calls.append(1)
            raise PermissionError(errno.EACCES, "Access is denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", held_once)
    monkeypatch.setattr(faults.time, "sleep", lambda _s: None)
    code, _out, err = cli("evidence", "add", task, str(scan))
    assert code == 0, err


def test_attach_into_a_read_only_folder_says_so(cli, unit: Path, tmp_path: Path,  # noqa: ANN001, F811
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    scan = tmp_path / "照片.jpg"
    scan.write_bytes(os.urandom(2000))
    task = _task_id(cli)
    before = state(unit)

    def read_only(*_a: Any, **_k: Any) -> Any:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    code, _out, err = cli("evidence", "add", task, str(scan))
    assert_message(code, err, "只读")
    monkeypatch.undo()
    assert state(unit) == before


def test_import_on_a_full_disk_is_a_message_not_a_crash(cli, unit: Path,  # noqa: ANN001, F811
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    code, _out, err = cli("keys", "trust-city", str(FIXTURES / "keys" / "test-city.pub.json"))
    assert code == 0, err
    code, _out, err = cli("import", str(PACKAGES / "442000-017_city-feedback_000001.zgb"))
    assert code == 0, err
    before = state(unit)
    _fail_fsync(monkeypatch, errno.ENOSPC)  # the package's 1.5 KB attachment cannot be stored
    code, _out, err = cli("import", str(PACKAGES / "442000-017_city-feedback_000002.zgb"))
    assert_message(code, err, "空间不足")
    assert "拒收" not in err
    monkeypatch.undo()
    assert state(unit) == before


def test_backup_on_a_full_disk_or_a_failing_stick_leaves_nothing(cli, unit: Path, tmp_path: Path,  # noqa: ANN001, F811, ARG001
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    stick = tmp_path / "U盘"
    stick.mkdir()
    for err_no, words in ((errno.ENOSPC, "空间不足"), (errno.EIO, "I/O"), (errno.EACCES, "占用")):
        _fail_fsync(monkeypatch, err_no)
        monkeypatch.setattr(faults.time, "sleep", lambda _s: None)
        code, _out, err = cli("backup", str(stick / "备份.zip"))
        monkeypatch.undo()
        assert_message(code, err, words)
        assert list(stick.iterdir()) == []


def test_sqlite_disk_full_never_shows_the_sql() -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    exc = OperationalError("INSERT INTO tasks (id, title) VALUES (?, ?)", ("1", "秘密标题"),
                           sqlite3.OperationalError("database or disk is full"))
    mapped = faults.explain(exc, where=Path("/tmp/x/rectidesk.sqlite3"))
    assert mapped is not None and "空间不足" in str(mapped)
    assert "INSERT" not in str(mapped) and "秘密标题" not in str(mapped)
    locked = faults.explain(OperationalError("UPDATE x", (), sqlite3.OperationalError("database is locked")))
    assert locked is not None and "占用" in str(locked)
    assert faults.explain(ValueError("a bug")) is None  # a real bug stays a bug (crash dialog, log)


def test_a_cancelled_operation_is_cancelled_not_refused(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ARG001
    from PySide6.QtWidgets import QMessageBox

    from core.errors import Cancelled
    from ui.messages import show_error

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    show_error(None, Cancelled("已取消导出，没有留下任何文件。"))
    assert shown == []  # the clerk pressed Cancel: no "Cannot do that" box


@needs_mount
def test_task_add_with_24_kb_free_says_the_disk_is_full_not_damaged(cli, tmp_path: Path) -> None:  # noqa: ANN001
    """The very case seen on a small disk: a real full file system (tmpfs), a real SQLite error."""
    disk = tmp_path / "small"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], check=True)
    try:
        data = disk / "data"
        code, _out, err = cli("init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三",
                              data=data)
        assert code == 0, err
        filler = disk / "filler.bin"
        with open(filler, "wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 4096)
            except OSError:
                pass
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        assert free < 64 * 1024
        args = ["task", "add", "--title", "消防通道被占用" * 200, "--source", "督查", "--category", "立行立改",
                "--owner", "李四", "--deadline", "2026-06-30", "--description", "现场" * 20000]
        code, _out, err = cli(*args, data=data)
        assert_message(code, err, "空间不足")
        filler.unlink()
        code, out, err = cli("ledger", "--json", data=data)
        assert code == 0, err and '"tasks": []' in out
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, check=False)
