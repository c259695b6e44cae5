"""Team benchmark: backup, restore and password hashing.

1. Backup of a data folder (demo ledger + N evidence files of M MB) against `zip -0 -r` of the same
   folder in the same run (target <= 1.5x).
2. Restore over the existing folder (full verification, keeping the old content as a backup of its own,
   swap) against `unzip -q` of the baseline zip into an empty folder (target <= 3x: it does a backup too).
3. One scrypt password check, median of 5 (target <= 250 ms on an old PC; no baseline: it is meant to be slow).
Usage: uv run python bench/team_bench.py [--files 200] [--file-mb 2] [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import time
from datetime import date

from _common import WORK, best_of, report, row

from core.demo import build_demo
from core.team import backup
from core.team.users import check_password, hash_password
from core.workspace import Workspace


def _fill(ws: Workspace, files: int, mb: int) -> None:
    chunk = os.urandom(1024 * 1024)  # random: evidence is mostly already-compressed media
    for i in range(files):
        data = bytearray(chunk * mb)
        data[:8] = i.to_bytes(8, "little")
        path = ws.paths.tmp / "bench-input"
        path.write_bytes(bytes(data))
        ws.evidence.add_file(path)
    (ws.paths.tmp / "bench-input").unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False)
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--file-mb", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="50 files of 1 MB")
    args = ap.parse_args()
    files, mb = (50, 1) if args.quick else (args.files, args.file_mb)
    work = WORK / "team"
    shutil.rmtree(work, ignore_errors=True)
    root = work / "data"
    ws = Workspace.open(root, user="陈晓红", today=date(2026, 4, 15))
    build_demo(ws)
    _fill(ws, files, mb)

    t0 = time.perf_counter()
    info = backup.create_backup(ws, work / "backup.zip")
    t_backup = (time.perf_counter() - t0) * 1000
    ws.close()
    t0 = time.perf_counter()
    subprocess.run(["zip", "-0", "-qr", str(work / "baseline.zip"), "."], cwd=root, check=True)
    t_zip = (time.perf_counter() - t0) * 1000

    t0 = time.perf_counter()
    backup.restore(root, info.path, actor="陈晓红")
    t_restore = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    subprocess.run(["unzip", "-q", str(work / "baseline.zip"), "-d", str(work / "unzipped")], check=True)
    t_unzip = (time.perf_counter() - t0) * 1000

    stored = hash_password("bench-password")
    t_hash = best_of(lambda: check_password(stored, "bench-password")) * 1000

    size = info.size / 2**20
    rows = [row(f"backup {info.files} files, {size:.0f} MiB", t_backup, round(1.5 * t_zip), t_zip),
            row("restore over existing (verify+keep+swap)", t_restore, round(3 * t_unzip), t_unzip),
            row("scrypt password check", t_hash, 250)]
    report(rows, "team")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
