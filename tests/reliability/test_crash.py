"""Crash consistency: SIGKILL at random moments leaves the data folder intact, before or after, no orphans."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tools.reliability import run_cli, run_trials


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("crash") / "base"
    r = run_cli(data, ["init", "--unit-code", "442000-017", "--unit-name", "某镇", "--admin", "张三"])
    assert r.returncode == 0, r.stderr
    r = run_cli(data, ["task", "add", "--title", "消防通道被占用", "--source", "督查", "--category", "立行立改",
                       "--owner", "李四", "--deadline", "2026-06-30", "--node", "清理@2026-05-31"])
    assert r.returncode == 0, r.stderr
    return data, r.stdout.strip()


def test_killed_evidence_attach_leaves_before_or_after(base: tuple[Path, str], tmp_path: Path) -> None:
    data, task_id = base
    big = tmp_path / "扫描件.pdf"
    with open(big, "wb") as f:
        f.write(os.urandom(12 * 1024 * 1024))
    trials = run_trials(data, tmp_path / "work", ["evidence", "add", task_id, str(big)], trials=3, seed=3)
    assert [t.outcome for t in trials if t.outcome.startswith("BROKEN")] == []
    assert {t.outcome for t in trials} <= {"before", "after"}


def test_killed_task_add_leaves_before_or_after(base: tuple[Path, str], tmp_path: Path) -> None:
    data, _ = base
    argv = ["task", "add", "--title", "公车登记不规范", "--source", "审计", "--category", "立行立改", "--owner", "王五",
            "--deadline", "2026-07-31", "--node", "整改@2026-07-31"]
    trials = run_trials(data, tmp_path / "work", argv, trials=2, seed=5)
    assert [t.outcome for t in trials if t.outcome.startswith("BROKEN")] == []


def test_interrupted_copy_leaves_no_orphan_after_start(base: tuple[Path, str], tmp_path: Path) -> None:
    """A file copied into the store whose row never committed is removed at the next start."""
    import shutil

    data, _ = base
    work = tmp_path / "w"
    shutil.copytree(data, work)
    orphan = work / "evidence" / "ab" / ("ab" + "0" * 62)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left behind")
    (work / "tmp").mkdir(exist_ok=True)
    (work / "tmp" / "ev-123.part").write_bytes(b"half")
    r = run_cli(work, ["ledger", "--json"])
    assert r.returncode == 0 and json.loads(r.stdout)["tasks"]
    assert not orphan.exists() and not (work / "tmp" / "ev-123.part").exists()
