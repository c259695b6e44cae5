"""Window benchmark: start-up to the first painted ledger, filter keystrokes and scrolling, memory.

Prints each figure with its ratio to a baseline measured in the same run:
- start-up: `main.py --smoke` on a 10,000-task data folder (the ledger painted from the cached first page,
  before SQLAlchemy loads: `core.ledger.firstpage`) vs a bare PySide6 QMainWindow script started the same
  way (target <= 2x the bare script); and `main.py --smoke ready` (the workspace open and the ledger painted
  again from the ORM, the window ready for input) vs the same bare script that also imports SQLAlchemy's
  ORM and db.models (`--startup-only` prints just these figures);
- a text-filter keystroke over 100,000 tasks: re-count + first screen of rows through the model,
  vs the same two queries in plain sqlite3 (target <= 100 ms);
- scrolling one screen down (target <= 100 ms) and jumping to a random place in the 100,000-row table,
  painted, against the plain sqlite3 OFFSET query that a jump needs (target <= 1.5x);
- peak memory of the window process with 100,000 tasks vs the bare script (target <= 350 MB).
Usage: QT_QPA_PLATFORM=offscreen uv run python bench/ui_bench.py [--tasks 100000] [--startup-tasks 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT, WORK, peak_rss_mb, report, row

TODAY = "2026-06-01"
BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setCentralWidget(QTableView())
w.resize(1280, 720)
w.show()
w.centralWidget().viewport().repaint()
app.processEvents()
import resource
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

# The same bare window after importing what no start-up can avoid: SQLAlchemy's ORM and the table models.
BARE_ORM = "import sqlalchemy.orm, db.models\n" + BARE


def build(folder: Path, tasks: int) -> None:
    if (folder / "rectidesk.sqlite3").exists() and (folder / f".tasks-{tasks}").exists():
        return
    code = ("import sys; sys.path.insert(0, 'bench'); from ledger_bench import build; "
            f"build({str(folder)!r}, {tasks}).close()")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    (folder / f".tasks-{tasks}").write_text("built")


def timed_child(args: list[str], repeat: int = 5) -> tuple[float, str]:
    """Median wall time (ms) of a child process and its last output line."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           # Byte code cached as on an installed copy (pip and PyInstaller ship compiled modules).
           "PYTHONPYCACHEPREFIX": str(WORK / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times, out = [], ""
    for _ in range(repeat + 1):  # the first run warms the disk cache and writes byte code
        t0 = time.perf_counter()
        done = subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        times.append((time.perf_counter() - t0) * 1000)
        out = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    return statistics.median(times[1:] or times), out


def main() -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False)
    ap.add_argument("--tasks", type=int, default=100_000)
    ap.add_argument("--startup-tasks", type=int, default=10_000)
    ap.add_argument("--startup-only", action="store_true", help="only the start-up figures")
    args = ap.parse_args()
    small, big = WORK / "ui-10k", WORK / "ui-100k"
    build(small, args.startup_tasks)
    build(big, args.tasks)

    t_bare, bare_out = timed_child([sys.executable, "-c", BARE])
    mem_bare = float(bare_out)
    smoke = [sys.executable, "main.py", "--data-dir", str(small), "--today", TODAY, "--smoke"]
    for folder in (small, big):  # a full start first: it (re)writes the first-page cache with this code's SQL
        timed_child([sys.executable, "main.py", "--data-dir", str(folder), "--today", TODAY, "--smoke", "ready"],
                    repeat=0)
    t_start, _ = timed_child(smoke)
    t_ready, _ = timed_child([*smoke, "ready"])
    t_orm, _ = timed_child([sys.executable, "-c", BARE_ORM])
    # The same start on the big folder: the first page costs the same at 100,000 tasks.
    t_big, _ = timed_child([sys.executable, "main.py", "--data-dir", str(big), "--today", TODAY, "--smoke"])
    startup_rows = [
        row("start-up to painted ledger (main.py --smoke)", t_start, round(2 * t_bare), t_bare),
        row("start-up to ready window (--smoke ready) vs bare + ORM", t_ready, round(2 * t_orm), t_orm),
        row(f"start-up to painted ledger, {args.tasks:,} tasks", t_big, round(2 * t_bare), t_bare),
    ]
    if args.startup_only:
        print(f"start-up on {args.startup_tasks:,} tasks")
        report(startup_rows, "ui-startup")
        return

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from datetime import date

    from PySide6.QtWidgets import QApplication

    from core.ledger.queries import LedgerFilter
    from core.workspace import Workspace
    from ui.app import make_application
    from ui.models.ledger_model import LedgerModel

    app = make_application()
    ws = Workspace.open(big, user="bench", today=date.fromisoformat(TODAY))
    from PySide6.QtWidgets import QTableView

    model = LedgerModel(ws.read, ws.today)
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setDefaultSectionSize(28)
    view.resize(1280, 640)
    view.show()
    app.processEvents()
    visible = 24

    def keystroke(text: str) -> float:
        t0 = time.perf_counter()
        model.set_filter(LedgerFilter(text=text))
        for r in range(min(visible, model.rowCount())):
            model.index(r, 2).data()
        view.viewport().repaint()
        return (time.perf_counter() - t0) * 1000

    typed = ["消", "消防", "消防通", "消防通道", "专", "专项", "专项资", "专项资金", "村", "村务"]
    t_key = statistics.median(keystroke(t) for t in typed)

    con = sqlite3.connect(ws.paths.database)

    def base_keystroke(text: str) -> float:
        t0 = time.perf_counter()
        con.execute("SELECT count(*) FROM tasks WHERE deleted IS NULL AND instr(search_text, ?) > 0",
                    (text,)).fetchone()
        con.execute("SELECT id, title, deadline FROM tasks WHERE deleted IS NULL "
                    "AND instr(search_text, ?) > 0 ORDER BY deadline LIMIT ?", (text, visible)).fetchall()
        return (time.perf_counter() - t0) * 1000

    b_key = statistics.median(base_keystroke(t) for t in typed)

    model.set_filter(LedgerFilter())
    rng = random.Random(7)

    def jump() -> float:
        r = rng.randrange(model.rowCount())
        t0 = time.perf_counter()
        view.scrollTo(model.index(r, 0))
        view.viewport().repaint()
        return (time.perf_counter() - t0) * 1000

    t_jump = statistics.median(jump() for _ in range(20))

    def page_down() -> float:
        t0 = time.perf_counter()
        bar = view.verticalScrollBar()
        bar.setValue(bar.value() + bar.pageStep())
        view.viewport().repaint()
        return (time.perf_counter() - t0) * 1000

    view.scrollToTop()
    t_page = statistics.median(page_down() for _ in range(60))

    def base_jump() -> float:
        off = rng.randrange(args.tasks)
        t0 = time.perf_counter()
        con.execute("SELECT id, title, deadline FROM tasks WHERE deleted IS NULL ORDER BY deadline, id "
                    "LIMIT 200 OFFSET ?", (off,)).fetchall()
        return (time.perf_counter() - t0) * 1000

    b_jump = statistics.median(base_jump() for _ in range(20))
    con.close()
    mem = peak_rss_mb()  # before the reminders' baseline, which lists 50,000 of them

    # The day's reminders as the window reads them (the most urgent listed, every one counted) and the
    # filter value lists it reads after the first paint; baseline: every reminder listed (the old way).
    from core.team.reminders import collect
    from ui.reminders import LIST_LIMIT

    def timed(fn: object) -> float:
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        return (time.perf_counter() - t0) * 1000

    with ws.read() as s:
        collect(s, ws.today)  # warm the page cache for both
        t_rem = statistics.median(timed(lambda: collect(s, ws.today, limit=LIST_LIMIT)) for _ in range(3))
        b_rem = statistics.median(timed(lambda: collect(s, ws.today)) for _ in range(3))
    t_values = timed(lambda: ctx_values(ws))
    view.close()
    ws.close()
    QApplication.processEvents()
    print(f"start-up on {args.startup_tasks:,} tasks; filter and scroll on {model.rowCount():,} tasks")
    report([
        *startup_rows,
        row("filter keystroke (count + first screen)", t_key, 100, b_key),
        row("scroll one screen down and paint (vs OFFSET query)", t_page, 100, b_jump),
        row("jump to a random row and paint (vs same OFFSET query)", t_jump, round(1.5 * b_jump), b_jump),
        row("daily reminders, window (vs every reminder listed)", t_rem, 300, b_rem),
        row("filter value lists (section, owner, batch)", t_values, 100),
        row("peak memory with 100,000 tasks (baseline: bare script)", mem, 350, mem_bare, unit="MB"),
    ], "ui")


def ctx_values(ws: object) -> None:
    from core.ledger.queries import LedgerQuery

    with ws.read() as s:  # type: ignore[attr-defined]
        q = LedgerQuery(s, ws.today)  # type: ignore[attr-defined]
        for key in ("section", "owner", "batch"):
            q.distinct_values(key)


if __name__ == "__main__":
    main()
