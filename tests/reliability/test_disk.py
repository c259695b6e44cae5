"""Disks and devices during export: a full USB stick, a read-only one, a folder that disappears mid-write.

Each ends in a clear message and exit code 3, no .zgb (nor a temporary file) left in the target folder, and the
ledger and package log exactly as before. The stick is a small tmpfs mounted for the test (root only).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest

from core.errors import UserError
from core.exchange.exporter import ReportExporter
from tools.reliability import logical_dump

PASS = "correct horse"
MB = 2**20


def _can_mount() -> bool:
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    probe = Path(tempfile.mkdtemp(prefix="rd-mount-probe-"))
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                            capture_output=True, check=False).returncode == 0
        if ok:
            subprocess.run(["umount", str(probe)], capture_output=True, check=False)
        return ok
    finally:
        probe.rmdir()


CAN_MOUNT = _can_mount()
needs_mount = pytest.mark.skipif(not CAN_MOUNT, reason="mounting a tmpfs needs root (a small USB stick stand-in)")


@pytest.fixture
def stick(tmp_path: Path):  # noqa: ANN201
    """A 1 MB 'USB stick'; mounted again read-only on demand; always unmounted afterwards."""
    mnt = tmp_path / "U盘"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], check=True)
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True, check=False)


@pytest.fixture
def unit(cli, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: ANN001
    """A unit with a key, a task and a 3 MB scan: its report is larger than the stick."""
    monkeypatch.setenv("RECTIDESK_PASSPHRASE", PASS)
    code, _, err = cli("init", "--unit-code", "442000-017", "--unit-name", "中山市某某镇人民政府", "--admin", "张三")
    assert code == 0, err
    code, out, err = cli("task", "add", "--title", "消防通道被占用", "--source", "督查", "--category", "立行立改",
                         "--owner", "李四", "--deadline", "2026-06-30", "--node", "清理@2026-05-31")
    assert code == 0, err
    scan = tmp_path / "整改照片.jpg"
    scan.write_bytes(os.urandom(3 * MB))
    code, _, err = cli("evidence", "add", out.strip(), str(scan))
    assert code == 0, err
    return data_dir


def state(data: Path) -> tuple:
    db = logical_dump(data / "rectidesk.sqlite3")
    files = sorted(p.name for p in (data / "evidence").rglob("*") if p.is_file())
    return db, files


def assert_refused_cleanly(cli, data: Path, target: Path, words: str) -> None:  # noqa: ANN001
    before = state(data)
    code, out, err = cli("export", str(target))
    assert code == 3, out + err
    assert words in err
    assert "Traceback" not in err
    assert state(data) == before  # the package log (and every row) is as it was
    if target.exists():
        assert not [p for p in target.iterdir() if p.suffix == ".zgb" or p.name.endswith(".tmp")]
    code, out, _ = cli("packages", "--json")
    assert code == 0 and '"direction": "out"' not in out


def export_failing(data: Path, target: Path, progress) -> UserError:  # noqa: ANN001
    """Export through the API with a progress callback that breaks the target; returns the error raised."""
    from core.workspace import Workspace

    ws = Workspace.open(data, user="张三", today=date(2026, 4, 15))
    try:
        with pytest.raises(UserError) as exc:
            ReportExporter(ws, progress=progress).export(target, passphrase=PASS)
    finally:
        ws.close()
    return exc.value


@needs_mount
def test_full_stick_says_so_and_leaves_nothing(cli, unit: Path, stick: Path) -> None:  # noqa: ANN001
    assert_refused_cleanly(cli, unit, stick, "空间不足")
    assert list(stick.iterdir()) == []


@needs_mount
def test_read_only_stick_says_so(cli, unit: Path, stick: Path) -> None:  # noqa: ANN001
    subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
    assert_refused_cleanly(cli, unit, stick, "只读")


@needs_mount
def test_after_a_failed_export_the_next_one_works(cli, unit: Path, stick: Path, tmp_path: Path) -> None:  # noqa: ANN001
    assert_refused_cleanly(cli, unit, stick, "空间不足")
    good = tmp_path / "大U盘"
    good.mkdir()
    code, out, err = cli("export", str(good))
    assert code == 0, err
    assert "442000-017_unit-report_000001.zgb" in out  # the failed attempt used no Sequence


def test_folder_removed_mid_write_leaves_nothing(unit: Path, tmp_path: Path) -> None:
    target = tmp_path / "外部U盘"
    target.mkdir()
    before = state(unit)

    def pull_out(done: int, total: int) -> None:  # noqa: ARG001
        if target.exists():
            shutil.rmtree(target)

    err = export_failing(unit, target, pull_out)
    assert "U盘" in str(err) and err.exit_code == 3
    assert state(unit) == before
    assert not target.exists() or not any(target.iterdir())


@needs_mount
def test_stick_pulled_out_mid_write_leaves_nothing(unit: Path, stick: Path) -> None:
    """A lazy unmount in the middle of writing: the folder becomes the empty mount point underneath."""
    subprocess.run(["mount", "-o", "remount,size=16m", str(stick)], check=True)
    before = state(unit)
    pulled: list[bool] = []

    def pull_out(done: int, total: int) -> None:  # noqa: ARG001
        if not pulled:
            subprocess.run(["umount", "-l", str(stick)], check=True)
            pulled.append(True)

    err = export_failing(unit, stick, pull_out)
    assert pulled and err.message
    assert state(unit) == before
    assert list(stick.iterdir()) == []
