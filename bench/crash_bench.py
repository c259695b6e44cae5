"""Crash-consistency bench: SIGKILL operations at random moments, hundreds of times.

Every trial copies a prepared data folder, starts the operation as its own process, kills it with SIGKILL
after a random delay, starts the program once more (as a user would), and checks: PRAGMA integrity_check is
ok; the logical state equals the state before or after the operation; no evidence file is missing or orphaned.
Usage: uv run python bench/crash_bench.py [--trials 200]   (trials are spread over the operations)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

from _common import WORK, report, row

from tools.reliability import check_backup, check_packages, diverged_backup, run_cli, run_trials

CITY_KEY = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "keys"
FEEDBACK = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "packages"


def prepare(base: Path) -> tuple[str, dict[str, str]]:
    shutil.rmtree(base, ignore_errors=True)
    env = dict(os.environ, RECTIDESK_PASSPHRASE="bench-passphrase-2026")
    r = run_cli(base, ["init", "--unit-code", "442000-017", "--unit-name", "中山市某某镇人民政府", "--admin", "张三"],
                env=env)
    assert r.returncode == 0, r.stderr
    r = run_cli(base, ["demo"], env=env)
    assert r.returncode == 0, r.stderr
    # the demo adds two users to 张三: from here on each command names who acts
    r = run_cli(base, ["--user", "张三", "task", "add", "--title", "消防通道被占用", "--source", "督查",
                       "--category", "立行立改", "--owner", "李四", "--deadline", "2026-06-30",
                       "--node", "清理@2026-05-31"], env=env)
    assert r.returncode == 0, r.stderr
    trust = run_cli(base, ["--user", "张三", "keys", "trust-city", str(CITY_KEY / "test-city.pub.json")], env=env)
    if trust.returncode != 0:
        print("note: keys trust-city not available:", trust.stderr.strip()[:200])
    return r.stdout.strip(), env


def _clear(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
        path.mkdir()
    else:
        path.unlink(missing_ok=True)


def operations(task_id: str, scratch: Path) -> dict[str, list[str]]:
    (scratch / "out").mkdir(parents=True, exist_ok=True)
    big = scratch / "扫描件.pdf"
    if not big.exists():
        big.write_bytes(os.urandom(40 * 1024 * 1024))
    ops = {
        "evidence attach (40 MB)": ["evidence", "add", task_id, str(big)],
        "task add": ["task", "add", "--title", "公车登记不规范", "--source", "审计", "--category", "立行立改",
                     "--owner", "王五", "--deadline", "2026-07-31", "--node", "整改@2026-07-31"],
        "import feedback": ["--today", "2026-04-15", "import", str(FEEDBACK / "442000-017_city-feedback_000001.zgb")],
        "export report": ["export", str(scratch / "out")],
        "backup": ["backup", str(scratch / "backup.zip")],
        # a backup of this ledger gone its own way (a task, an 8 MB scan): evidence in, journal, database swap
        "restore": ["--user", "张三", "restore", str(scratch / "restore-from.zip")],
    }
    return {name: ["--user", "张三", *argv] for name, argv in ops.items()}


def main() -> int:
    ap = argparse.ArgumentParser(allow_abbrev=False)
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--only", help="run only the operations whose name starts with this (e.g. restore)")
    args = ap.parse_args()
    base = WORK / "crash-base"
    scratch = WORK / "crash-scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    task_id, env = prepare(base)
    ops = operations(task_id, scratch)
    if args.only:
        ops = {k: v for k, v in ops.items() if k.startswith(args.only)}
    if "restore" in ops:
        diverged_backup(base, scratch / "restore-side", scratch / "restore-from.zip", task_id, env=env,
                        user="张三")
    per_op = max(1, args.trials // len(ops))
    rows, total, broken, skipped = [], 0, 0, []
    t0 = time.perf_counter()
    for name, argv in ops.items():
        extra: dict = {}
        if name == "export report":
            extra = {"check_outputs": lambda: check_packages(scratch / "out", WORK / "crash-work"),
                     "reset_outputs": lambda: _clear(scratch / "out")}
        elif name == "backup":
            extra = {"check_outputs": lambda: check_backup(WORK / "crash-work", scratch / "backup.zip"),
                     "reset_outputs": lambda: _clear(scratch / "backup.zip"), "same_state": True}
        try:
            trials = run_trials(base, WORK / "crash-work", argv, per_op, seed=11, env=env, **extra)
        except RuntimeError as exc:
            skipped.append(f"{name}: {str(exc)[:160]}")
            continue
        outcomes = Counter(t.outcome for t in trials)
        bad = sum(n for o, n in outcomes.items() if o.startswith("BROKEN"))
        total += len(trials)
        broken += bad
        print(f"{name:28} {len(trials):4} trials  " + ", ".join(f"{o}: {n}" for o, n in sorted(outcomes.items())))
        rows.append(row(f"crash: {name} — failures", bad, 0, None, unit=""))
    print(f"{total} trials in {time.perf_counter() - t0:.0f} s, {broken} failures")
    for s in skipped:
        print("not run:", s)
    rows.append(row("crash: trials run", total, min(args.trials, per_op * len(ops)) * 0.9, None, unit="",
                    lower_is_better=False))
    report(rows, "crash")
    return 0 if broken == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
