"""Crash consistency: SIGKILL at random moments leaves the data folder intact, before or after, no orphans,
and nothing half-written outside it that looks valid. (bench/crash_bench.py runs hundreds of trials.)"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tools.reliability import check_backup, check_packages, diverged_backup, run_cli, run_trials

ENV = dict(os.environ, RECTIDESK_PASSPHRASE="crash-test-passphrase")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("crash") / "base"
    r = run_cli(data, ["init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三"], env=ENV)
    assert r.returncode == 0, r.stderr
    r = run_cli(data, ["keys", "trust-city", str(FIXTURES / "keys" / "test-city.pub.json")], env=ENV)
    assert r.returncode == 0, r.stderr
    r = run_cli(data, ["task", "add", "--title", "消防通道被占用", "--source", "督查", "--category", "立行立改",
                       "--owner", "李四", "--deadline", "2026-06-30", "--node", "清理@2026-05-31"], env=ENV)
    assert r.returncode == 0, r.stderr
    return data, r.stdout.strip()


def _no_broken(trials) -> None:  # noqa: ANN001
    assert [t.outcome for t in trials if t.outcome.startswith("BROKEN")] == []
    assert {t.outcome for t in trials} <= {"before", "after"}


def test_killed_evidence_attach(base: tuple[Path, str], tmp_path: Path) -> None:
    data, task_id = base
    big = tmp_path / "扫描件.pdf"
    big.write_bytes(os.urandom(12 * 1024 * 1024))
    _no_broken(run_trials(data, tmp_path / "work", ["evidence", "add", task_id, str(big)], trials=2, seed=3, env=ENV))


def test_killed_task_add(base: tuple[Path, str], tmp_path: Path) -> None:
    data, _ = base
    argv = ["task", "add", "--title", "公车登记不规范", "--source", "审计", "--category", "立行立改", "--owner", "王五",
            "--deadline", "2026-07-31", "--node", "整改@2026-07-31"]
    _no_broken(run_trials(data, tmp_path / "work", argv, trials=1, seed=5, env=ENV))


def test_killed_feedback_import(base: tuple[Path, str], tmp_path: Path) -> None:
    data, _ = base
    argv = ["--today", "2026-04-15", "import", str(FIXTURES / "packages" / "442000-017_city-feedback_000001.zgb")]
    _no_broken(run_trials(data, tmp_path / "work", argv, trials=2, seed=7, env=ENV))


def test_killed_export_leaves_no_package_that_looks_valid(base: tuple[Path, str], tmp_path: Path) -> None:
    data, _ = base
    out = tmp_path / "U盘"
    out.mkdir()

    def reset() -> None:
        shutil.rmtree(out)
        out.mkdir()

    trials = run_trials(data, tmp_path / "work", ["export", str(out)], trials=2, seed=9, env=ENV,
                        check_outputs=lambda: check_packages(out, tmp_path / "work"), reset_outputs=reset)
    _no_broken(trials)


def test_killed_backup_leaves_no_backup_that_looks_valid(base: tuple[Path, str], tmp_path: Path) -> None:
    data, _ = base
    target = tmp_path / "backup.zip"
    trials = run_trials(data, tmp_path / "work", ["backup", str(target)], trials=2, seed=13, env=ENV,
                        check_outputs=lambda: check_backup(tmp_path / "work", target),
                        reset_outputs=lambda: target.unlink(missing_ok=True), same_state=True)
    _no_broken(trials)


def test_interrupted_copy_leaves_no_orphan_after_start(base: tuple[Path, str], tmp_path: Path) -> None:
    """A file copied into the store whose row never committed is removed at a later start — but only once it is
    older than the previous start: until then it may be an import's, running in another process (issue 15)."""
    data, _ = base
    work = tmp_path / "w"
    shutil.copytree(data, work)
    orphan = work / "evidence" / "ab" / ("ab" + "0" * 62)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left behind")
    (work / "tmp").mkdir(exist_ok=True)
    (work / "tmp" / "ev-123.part").write_bytes(b"half")
    last_start = (work / "cache" / "last-start").stat().st_mtime
    os.utime(work / "cache" / "last-start", (last_start - 60, last_start - 60))  # the previous start: before
    r = run_cli(work, ["ledger", "--json"])
    assert r.returncode == 0 and json.loads(r.stdout)["tasks"]
    assert orphan.exists() and (work / "tmp" / "ev-123.part").exists()  # younger than the previous start: kept
    r = run_cli(work, ["ledger", "--json"])
    assert r.returncode == 0
    assert not orphan.exists() and not (work / "tmp" / "ev-123.part").exists()


def test_killed_restore_leaves_the_old_ledger_or_the_new_one_whole(base: tuple[Path, str], tmp_path: Path) -> None:
    """Restore: evidence brought in first, a journal, the database swapped last; the next start finishes a
    restore killed after its journal. Any kill leaves the old ledger or the restored one, every file it
    names present, nothing orphaned (tools/reliability.py checks all of it)."""
    data, task_id = base
    start = tmp_path / "start"
    shutil.copytree(data, start)
    backup = diverged_backup(start, tmp_path / "side", tmp_path / "restore-from.zip", task_id, env=ENV)
    trials = run_trials(start, tmp_path / "work", ["--user", "张三", "restore", str(backup)], trials=4, seed=7, env=ENV)
    _no_broken(trials)
