"""Store benchmark: what SQLite's checks cost on a 100,000-task ledger (400,000 nodes).

Prints, each with its ratio to reading the database file once from start to end in the same run:
the quick check run at every start (target <= 2 s; it runs after the first paint), the full integrity
check run by `verify`, before a backup and before an import (<= 30 s; in the background helper in the
window), and the whole start of a workspace with the quick check (ratio to a start without it).
Usage: uv run python bench/store_bench.py [--tasks N]
"""

from __future__ import annotations

import argparse
import sys
import time

from _common import WORK, best_of, report, row
from ledger_bench import build

from core.dbcheck import problems
from core.paths import DataPaths
from core.workspace import Workspace


def main() -> int:
    ap = argparse.ArgumentParser(allow_abbrev=False)
    ap.add_argument("--tasks", type=int, default=100_000)
    args = ap.parse_args()
    folder = WORK / "store-bench"
    t0 = time.perf_counter()
    build(folder, args.tasks).close()
    print(f"built {args.tasks} tasks in {time.perf_counter() - t0:.0f} s")
    db = folder / "rectidesk.sqlite3"
    size_mb = db.stat().st_size / 1024 / 1024

    def read_file() -> None:
        with open(db, "rb") as f:
            while f.read(1024 * 1024):
                pass

    base = best_of(read_file, 3) * 1000
    quick = best_of(lambda: problems(db, quick=True), 3) * 1000
    full = best_of(lambda: problems(db), 2) * 1000

    def open_close(check: bool) -> None:
        ws = Workspace(DataPaths.resolve(folder), user="bench")
        ws.check_on_start = check
        ws.start()
        ws.close()

    with_check = best_of(lambda: open_close(True), 3) * 1000
    without = best_of(lambda: open_close(False), 3) * 1000
    print(f"database {size_mb:.0f} MB")
    rows = [
        row(f"quick_check at start ({args.tasks} tasks)", quick, 2000, base),
        row("integrity_check (verify, backup, import)", full, 10000, base),
        row("workspace start with the quick check", with_check, 3000, without),
    ]
    report(rows, "store")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
