"""Crash-consistency harness: run an operation as a subprocess, SIGKILL it at a random moment, then check
that the data folder is intact and holds either the state before or the state after the operation.

Used by tests/reliability/ (a few trials) and bench/crash_bench.py (hundreds).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "main.py"

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)")
# Columns whose values are made fresh on every run (hash chain, clock) or bookkeeping only.
_VOLATILE = {"audit_log": {"id", "at", "hash", "prev_hash", "row_hash", "summary"},
             "counters": set(), "package_log": {"logged", "created", "file_name", "package_id", "group_id",
                                                "digest", "group_digest", "previous_digest", "size"}}
_SKIP_TABLES = {"alembic_version", "sqlite_sequence"}


def _norm(value: object) -> object:
    if isinstance(value, str):
        return _TS.sub("<ts>", _UUID.sub("<uuid>", value))
    return value


def logical_dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows as a sorted list, with generated ids and timestamps folded."""
    con = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
                  if r[0] not in _SKIP_TABLES]
        out = {}
        for t in sorted(tables):
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]
            keep = [c for c in cols if c not in _VOLATILE.get(t, set())]
            rows = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in keep)} FROM "{t}"').fetchall()
            out[t] = sorted((tuple(_norm(v) for v in r) for r in rows), key=repr)
        return out
    finally:
        con.close()


def integrity(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def store_state(data: Path) -> tuple[set[str], set[str]]:
    """(files in the evidence store, hashes the database names)."""
    stored = {p.name for p in (data / "evidence").glob("??/*") if p.is_file()}
    con = sqlite3.connect(data / "rectidesk.sqlite3")
    try:
        refs = {r[0] for r in con.execute("SELECT sha256 FROM evidence")}
    finally:
        con.close()
    return stored, refs


def run_cli(data: Path, argv: list[str], env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(MAIN), "--data-dir", str(data), *argv], capture_output=True,
                          text=True, env=env, timeout=timeout, check=False)


@dataclass
class Trial:
    killed_after_s: float
    finished: bool
    outcome: str  # before | after | BROKEN: ...


def open_and_settle(data: Path) -> None:
    """Start the program twice (what a user does after a crash): migrations, an interrupted restore
    finished, temp and orphan sweep. The sweep takes only files older than the previous start (a younger
    one may belong to an import still running in another process), so a killed run's orphan goes at the
    second start."""
    for _ in range(2):
        r = run_cli(data, ["ledger", "--json"])
        if r.returncode not in (0, 3):
            raise RuntimeError(f"start after crash failed: {r.stderr}")


OutputCheck = Callable[[], str | None]  # None when what the operation wrote outside the data folder is sound


def kill_trial(base: Path, work: Path, argv: list[str], delay_s: float, before: dict, after: dict,
               env: dict[str, str] | None = None, check_outputs: OutputCheck | None = None,
               reset_outputs: Callable[[], None] | None = None) -> Trial:
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base, work)
    if reset_outputs:
        reset_outputs()
    proc = subprocess.Popen([sys.executable, str(MAIN), "--data-dir", str(work), *argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    time.sleep(delay_s)
    finished = proc.poll() is not None
    if not finished:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    open_and_settle(work)
    db = work / "rectidesk.sqlite3"
    check = integrity(db)
    if check != "ok":
        return Trial(delay_s, finished, f"BROKEN: integrity_check {check}")
    stored, refs = store_state(work)
    if refs - stored:
        return Trial(delay_s, finished, f"BROKEN: {len(refs - stored)} evidence file(s) missing")
    if stored - refs:
        return Trial(delay_s, finished, f"BROKEN: {len(stored - refs)} orphaned evidence file(s) after start-up")
    if check_outputs:
        problem = check_outputs()
        if problem:
            return Trial(delay_s, finished, f"BROKEN: {problem}")
    state = logical_dump(db)
    if state == before:
        return Trial(delay_s, finished, "before")
    if state == after:
        return Trial(delay_s, finished, "after")
    diff = [t for t in state if state[t] != before.get(t) and state[t] != after.get(t)]
    return Trial(delay_s, finished, f"BROKEN: tables neither before nor after: {', '.join(diff)}")


def measure(base: Path, work: Path, argv: list[str], env: dict[str, str] | None = None,
            reset_outputs: Callable[[], None] | None = None,
            same_state: bool = False) -> tuple[dict, dict, float]:
    """State before, state after a complete run, and how long the operation takes."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base, work)
    if reset_outputs:
        reset_outputs()
    open_and_settle(work)
    before = logical_dump(work / "rectidesk.sqlite3")
    t0 = time.perf_counter()
    r = run_cli(work, argv, env=env)
    took = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"operation failed: {r.stderr}")
    open_and_settle(work)
    after = logical_dump(work / "rectidesk.sqlite3")
    if before == after and not same_state:
        raise RuntimeError("the operation changed nothing: nothing to test")
    return before, after, took


def run_trials(base: Path, work: Path, argv: list[str], trials: int, seed: int = 1,
               env: dict[str, str] | None = None, check_outputs: OutputCheck | None = None,
               reset_outputs: Callable[[], None] | None = None, same_state: bool = False) -> list[Trial]:
    """`same_state`: the operation writes only outside the data folder (a backup), so before == after."""
    before, after, took = measure(base, work, argv, env, reset_outputs, same_state)
    if check_outputs and (problem := check_outputs()):
        raise RuntimeError(f"a complete run left unsound output: {problem}")
    rng = random.Random(seed)
    out = []
    for _ in range(trials):
        # Python start-up is part of `took`; spread kills over the whole run and a little past it.
        out.append(kill_trial(base, work, argv, rng.uniform(0.05, took * 1.1), before, after, env,
                              check_outputs, reset_outputs))
    return out


def check_packages(out_dir: Path, data: Path) -> str | None:
    """Every .zgb left in `out_dir` must verify as the city would; a half-written one must not look valid.

    A package on the stick that the ledger does not know it sent is unsound too: the next export would
    reuse its Sequence and the city would refuse that one as a replay.
    """
    found = sorted(out_dir.glob("*.zgb"))
    if not found:
        return None
    key = out_dir.parent / f".{out_dir.name}-unit.pub.json"
    r = run_cli(data, ["keys", "export-public", str(key)])
    if r.returncode != 0:
        return f"cannot read the unit key: {r.stderr.strip()[:200]}"
    con = sqlite3.connect(data / "rectidesk.sqlite3")
    try:
        logged = {row[0] for row in con.execute("SELECT file_name FROM package_log WHERE direction = 'out'")}
    finally:
        con.close()
    for f in found:
        r = subprocess.run([sys.executable, str(ROOT / "tools" / "city_desk.py"), "verify", str(f), "--unit-key",
                            str(key)], capture_output=True, text=True, timeout=120, check=False)
        if r.returncode != 0:
            return f"{f.name} looks like a package but does not verify: {r.stderr.strip()[:200]}"
        if f.name not in logged:
            return f"{f.name} is a valid package the ledger does not know it sent"
    return None


def check_backup(data: Path, backup: Path) -> str | None:
    """A backup file left by a killed run is either absent or complete and sound."""
    if not backup.exists():
        return None
    r = run_cli(data, ["backup", "--verify", str(backup)])
    if r.returncode != 0:
        return f"{backup.name} exists but does not verify: {r.stderr.strip()[:200]}"
    return None


def diverged_backup(base: Path, side: Path, out: Path, task_id: str, env: dict[str, str] | None = None,
                    size_mb: int = 8, user: str | None = None) -> Path:
    """For the restore kill test: a backup of `base` gone its own way (a new task and a `size_mb` scan), while
    `base` gains a task and a photo of its own; restoring the backup into a copy of `base` then brings new
    evidence in, leaves base's own photo unnamed, and swaps the database — every step a kill can hit.
    `user` names who acts when the ledger has several users."""
    acting = ["--user", user] if user else []
    shutil.rmtree(side, ignore_errors=True)
    shutil.copytree(base, side)
    scan = out.parent / "restore-scan.pdf"
    scan.write_bytes(os.urandom(size_mb * 1024 * 1024))
    for data, title, file in ((side, "备份中才有的任务", scan), (base, "备份之后新增的任务", None)):
        r = run_cli(data, [*acting, "task", "add", "--title", title, "--source", "审计", "--category", "立行立改",
                           "--owner", "王五", "--deadline", "2026-07-31"], env=env)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        photo = file or out.parent / "base-photo.jpg"
        if file is None:
            photo.write_bytes(os.urandom(4096))
        r = run_cli(data, [*acting, "evidence", "add", r.stdout.strip() or task_id, str(photo)], env=env)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
    out.unlink(missing_ok=True)
    r = run_cli(side, ["backup", str(out)], env=env)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    shutil.rmtree(side, ignore_errors=True)
    return out
