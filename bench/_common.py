"""Shared helpers for the benchmark scripts: timing, peak memory, result lines."""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
WORK = ROOT / "bench" / "_work"


def best_of(fn: Callable[[], Any], repeat: int = 5) -> float:
    """Median wall time in seconds over `repeat` runs (after one warm-up)."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def report(rows: list[dict[str, Any]], name: str) -> None:
    """Print a table and write the rows as JSON for bench/run_all.py."""
    print(f"{'figure':44} {'measured':>12} {'target':>10} {'baseline':>12} {'ratio':>8}  result")
    for r in rows:
        unit = r.get("unit", "ms")
        base = f"{r['baseline']:.1f}{unit}" if r.get("baseline") is not None else "-"
        ratio = f"{r['ratio']:.2f}x" if r.get("ratio") is not None else "-"
        ok = "PASS" if r["ok"] else "FAIL"
        target = str(r["target"]) + unit
        print(f"{r['figure']:44} {r['measured']:>10.1f}{unit:2} {target:>10} {base:>12} {ratio:>8}  {ok}")
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / f"{name}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def row(figure: str, measured: float, target: float, baseline: float | None = None, unit: str = "ms",
        lower_is_better: bool = True) -> dict[str, Any]:
    ratio = measured / baseline if baseline else None
    ok = measured <= target if lower_is_better else measured >= target
    return {"figure": figure, "measured": measured, "target": target, "baseline": baseline, "ratio": ratio,
            "unit": unit, "ok": ok, "pid": os.getpid()}
