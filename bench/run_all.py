"""Runs every benchmark of the project and prints one table; writes docs/performance.md.

Usage: uv run python bench/run_all.py [--quick]   (--quick passes smaller sizes where a script supports it)
Each script prints its own figures and writes bench/_work/<name>.json; this collects them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "_work"
# (name, script, arguments for --quick); without --quick every script runs at the sizes of its issue.
SCRIPTS = [
    ("ledger", "ledger_bench.py", ["--tasks", "20000"]),
    ("exchange", "exchange_bench.py", ["--files", "50", "--records", "2000"]),
    ("ui", "ui_bench.py", ["--tasks", "20000", "--startup-tasks", "2000"]),
    ("reports_bench", "reports_bench.py", ["--tasks", "200", "--rows", "2000"]),
    ("excel", "excel_bench.py", ["--rows", "2000"]),
    ("team", "team_bench.py", ["--quick"]),
    ("hostile", "hostile_bench.py", ["--skip-2gb", "--skip-tamper"]),
    ("longuse", "longuse_bench.py", ["--packages", "100"]),
    ("measures", "measures_bench.py", ["--tasks", "20000"]),
    ("import_similar", "import_similar_bench.py", ["--tasks", "20000", "--rows", "1000"]),
    ("crash", "crash_bench.py", ["--trials", "20"]),
]


def machine() -> str:
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown CPU"
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        mem = 0.0
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, {cpu}, "
            f"Python {platform.python_version()}")


def main() -> int:
    ap = argparse.ArgumentParser(allow_abbrev=False)
    ap.add_argument("--quick", action="store_true", help="smaller sizes, for a fast look")
    ap.add_argument("--only", help="comma-separated names to run again; the others keep their last figures")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    rows: list[tuple[str, dict]] = []
    failed_scripts = []
    for name, script, quick_args in SCRIPTS:
        path = ROOT / "bench" / script
        if not path.exists():
            failed_scripts.append(f"{script} (missing)")
            continue
        out = WORK / f"{name}.json"
        if only is not None and name not in only:
            if out.exists():
                rows += [(name, x) for x in json.loads(out.read_text(encoding="utf-8"))]
            else:
                failed_scripts.append(f"{script} (not run)")
            continue
        out.unlink(missing_ok=True)
        print(f"== {script}", flush=True)
        t0 = time.perf_counter()
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        r = subprocess.run([sys.executable, str(path), *(quick_args if args.quick else [])], cwd=ROOT / "bench",
                           env=env, check=False)
        print(f"   ({time.perf_counter() - t0:.0f} s, exit {r.returncode})")
        if r.returncode != 0 or not out.exists():
            failed_scripts.append(script)
            continue
        rows += [(name, x) for x in json.loads(out.read_text(encoding="utf-8"))]
    lines = ["| bench | figure | target | measured | baseline | ratio | result |", "|---|---|---|---|---|---|---|"]
    for name, r in rows:
        unit = r.get("unit", "ms")
        base = f"{r['baseline']:.1f} {unit}" if r.get("baseline") is not None else "–"
        ratio = f"{r['ratio']:.2f}×" if r.get("ratio") is not None else "–"
        lines.append(f"| {name} | {r['figure']} | {r['target']} {unit} | {r['measured']:.1f} {unit} | {base} | "
                     f"{ratio} | {'pass' if r['ok'] else 'FAIL'} |")
    print()
    print("\n".join(lines))
    if failed_scripts:
        print("scripts that did not finish:", ", ".join(failed_scripts))
    doc = ROOT / "docs" / "performance.md"
    doc.parent.mkdir(exist_ok=True)
    doc.write_text(
        "# Performance\n\nLatest `uv run python bench/run_all.py" + (" --quick" if args.quick else "") + "` on "
        + time.strftime("%Y-%m-%d") + ".\n\nMachine: " + machine() + "\n\n" + "\n".join(lines) + "\n"
        + (f"\nScripts that did not finish: {', '.join(failed_scripts)}\n" if failed_scripts else "")
        + (f"\n{notes.read_text(encoding='utf-8')}" if (notes := ROOT / "bench" / "NOTES.md").exists() else ""),
        encoding="utf-8")
    return 0 if not failed_scripts and all(r["ok"] for _, r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
